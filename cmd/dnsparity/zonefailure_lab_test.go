package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/report"
)

// TestOneZoneUnplannedLab: over several zones, one that a provider cannot
// plan (BIND and Knot do not serve missing.example., and an RFC 2136
// server cannot create a zone) is that zone's error: plan reports every
// other zone's plans beside it (exit 2), and push reports them too and
// sends nothing to any provider (a false refusal rather than a push
// whose run failed: exit 2, "not pushed"; its dry run exits 2 too: the
// Action's sync stops there). Before, the one zone's error
// was the whole report: no other zone's plan was shown, and over 10,000
// zones one unplannable zone hid every other result.
func TestOneZoneUnplannedLab(t *testing.T) {
	e := newPushEnv(t)
	// missing.example. first in the config, example.com. after it.
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "missing.example.zone"),
		[]byte("$ORIGIN missing.example.\n$TTL 300\n@ SOA ns hm 1 7200 3600 1209600 300\n@ NS ns.example.com.\nwww A 192.0.2.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(e.dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(cfg), "zones:\n", "zones:\n  - name: missing.example.\n    file: zones/missing.example.zone\n", 1)
	if err := os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	before := axfr(t, e.srv["old"].Addr)

	byZone := func(j report.PlanJSON) map[string]string {
		out := map[string]string{}
		for _, p := range j.Plans {
			out[p.Provider+" "+p.Zone] = fmt.Sprintf("create %d error %q", p.Summary["create"], p.Error)
		}
		return out
	}
	for _, args := range [][]string{{"plan"}, {"push", "--dry-run"}, {"push"}} {
		cmd := strings.Join(args, " ")
		code, out, errs := e.run(t, append(args, "--format", "json")...)
		var j report.PlanJSON
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatalf("%s JSON: %v\n%s\n%s", cmd, err, out, errs)
		}
		got := byZone(j)
		if code != exitError {
			t.Errorf("%s: exit %d, want %d", cmd, code, exitError)
		}
		// stderr says which zone could not be planned (the Action's
		// part quotes it: "failed: ...").
		if !strings.Contains(errs, "zone missing.example.") || !strings.Contains(errs, "not found at the provider") {
			t.Errorf("%s: stderr does not name the zone and why:\n%s\nerror: %q", cmd, errs, j.Error)
		}
		for _, p := range []string{"old", "new"} {
			if s, ok := got[p+" missing.example."]; !ok || !strings.Contains(s, "provider "+p) {
				t.Errorf("%s: %s missing.example.: %q, want the provider's error", cmd, p, s)
			}
			s, ok := got[p+" example.com."]
			if !ok || strings.HasPrefix(s, "create 0 ") {
				t.Errorf("%s: %s example.com.: %q (plans %v), want its plan", cmd, p, s, got)
			}
			if cmd == "push" && !strings.Contains(s, "not pushed") {
				t.Errorf("push: %s example.com.: %q, want not pushed", p, s)
			}
		}
	}
	if after := axfr(t, e.srv["old"].Addr); after != before {
		t.Errorf("a push with a zone unplanned changed another zone:\n%s\n---\n%s", before, after)
	}
}
