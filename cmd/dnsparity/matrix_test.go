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

	"github.com/dnsparity/dnsparity/internal/shard"
)

// TestMatrixSummaryOneZone: the summary on stderr counts in words ("1 zone
// in 1 shard", not "1 zones in 1 shards").
func TestMatrixSummaryOneZone(t *testing.T) {
	_, errs := oneZoneMatrix(t, "zones:\n  - {name: one.test., file: one.test.zone}\n", "4")
	if want := "dnsparity matrix: 1 zone in 1 shard of 3 RRsets\n"; errs.String() != want {
		t.Errorf("stderr %q, want %q", errs.String(), want)
	}
}

// TestMatrixZones: --zone splits only the zones named (the Action's
// matrix in a pull request: the zones it changes), each in one shard; a
// name not in the config is refused (exit 2, named).
func TestMatrixZones(t *testing.T) {
	dir := t.TempDir()
	var conf strings.Builder
	conf.WriteString("zones:\n")
	for i := range 10 {
		name := fmt.Sprintf("z%d.test.", i)
		zone := "$ORIGIN " + name + "\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
		if err := os.WriteFile(filepath.Join(dir, name+"zone"), []byte(zone), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&conf, "  - {name: %s, file: %szone}\n", name, name)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		return a.main(context.Background(), append([]string{"matrix", "--config", cfg, "--shards", "4"}, args...)), out.String(), errs.String()
	}
	code, out, errs := run("--zone", "z7.test.", "--zone", "z2.test.")
	var m shard.Matrix
	if code != exitOK || json.Unmarshal([]byte(out), &m) != nil {
		t.Fatalf("matrix --zone: exit %d\n%s%s", code, out, errs)
	}
	var got []string
	for _, e := range m.Include {
		got = append(got, e.Zones...)
	}
	slices.Sort(got)
	if len(m.Include) != 2 || !slices.Equal(got, []string{"z2.test.", "z7.test."}) {
		t.Errorf("matrix --zone z7.test. --zone z2.test.: %d shards of %v, want 2 of those two", len(m.Include), got)
	}
	if code, _, errs := run("--zone", "nope.test."); code != exitError || !strings.Contains(errs, "nope.test.") {
		t.Errorf("matrix --zone nope.test.: exit %d, %q: want 2, naming it", code, errs)
	}
}

// TestMatrixNamesUnreadableZone: a zone file the config names that cannot
// be read (a typo in its path) still leaves the matrix printed (exit 0:
// its shard's job reports it, as the split reads no zone), but the matrix
// job, the one that reads every zone, says so on stderr with the error
// and the config's line: the matrix job stayed green and silent, and the
// user learnt of it from one shard job among many.
func TestMatrixNamesUnreadableZone(t *testing.T) {
	cfg, errs := oneZoneMatrix(t, "zones:\n  - {name: one.test., file: one.test.zone}\n  - {name: two.test., file: zones/tow.test.zone}\n", "2")
	for _, want := range []string{"dnsparity matrix: warning: zone two.test. (shard ", "zones/tow.test.zone: no such file or directory", cfg + ":3", "its shard's job will fail"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs.String())
		}
	}
	if strings.Contains(errs.String(), "one.test.") {
		t.Errorf("stderr names the zone that loads:\n%s", errs.String())
	}
}

// oneZoneMatrix runs matrix --shards N over the config text, in a folder
// holding the zone file one.test.zone; it returns the config's path and
// stderr, and fails the test unless the matrix is printed (exit 0).
func oneZoneMatrix(t *testing.T, config, shards string) (string, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	zone := "$ORIGIN one.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	if err := os.WriteFile(filepath.Join(dir, "one.test.zone"), []byte(zone), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"matrix", "--config", cfg, "--shards", shards}); code != exitOK {
		t.Fatalf("matrix: exit %d, want 0\n%s", code, errs.String())
	}
	return cfg, &errs
}
