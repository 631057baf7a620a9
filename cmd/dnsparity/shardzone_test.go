package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// TestShardThenZone: --shard I/N is shard I of the split of the config's
// zones, the split dnsparity matrix prints, whatever --zone names; --zone
// then narrows the run within that shard, and a zone that is not the
// shard's is refused (exit 2), as parity refuses it. check, plan and push
// split the zones --zone named instead: `check --shard 3/4 --zone X`,
// X in shard 3 of the matrix, checked nothing (exit 0), and shard 1/4
// took X, which the matrix gives shard 3.
func TestShardThenZone(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		origin := fmt.Sprintf("s%d.test.", i)
		var b strings.Builder
		fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n", origin)
		for k := range i * 3 { // sizes differ: the split is not by order
			fmt.Fprintf(&b, "h%d IN A 192.0.2.%d\n", k, k+1)
		}
		if err := os.WriteFile(filepath.Join(dir, "zones", strings.TrimSuffix(origin, ".")+".zone"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfgPath, []byte("zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:5353, nameservers: [127.0.0.1]}\n  new: {type: rfc2136, server: 127.0.0.1:5354, nameservers: [127.0.0.1]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	m := shard.NewMatrix(cfg, 4)
	// A zone the matrix does not give shard 1.
	var zone, its string
	for _, e := range m.Include[1:] {
		if len(e.Zones) > 0 {
			zone, its = e.Zones[0], e.Shard
			break
		}
	}
	if zone == "" {
		t.Fatalf("matrix %+v: every zone in shard 1", m)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), append(args, "--config", cfgPath, "--format", "json"))
		return code, out.String(), errb.String()
	}
	code, out, errs := run("check", "--shard", its, "--zone", zone)
	var rep struct {
		Shard struct{ Zones []string } `json:"shard"`
	}
	json.Unmarshal([]byte(out), &rep)
	if code != exitOK || !slices.Equal(rep.Shard.Zones, []string{zone}) {
		t.Errorf("check --shard %s --zone %s (the matrix gives it shard %s): exit %d, zones %v; want exit 0 and [%s]\n%s%s", its, zone, its, code, rep.Shard.Zones, zone, out, errs)
	}
	for _, cmd := range [][]string{{"check"}, {"plan"}, {"push", "--dry-run"}} {
		code, out, errs := run(append(cmd, "--shard", "1/4", "--zone", zone)...)
		if want := "zone " + zone + " is not in shard 1/4"; code != exitError || !strings.Contains(errs, want) {
			t.Errorf("%s --shard 1/4 --zone %s (shard %s's): exit %d, want 2 and %q\n%s%s", cmd[0], zone, its, code, want, out, errs)
		}
	}
}
