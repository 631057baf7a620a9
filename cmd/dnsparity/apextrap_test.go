package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanApexTrap (issue 16): plan says, per side, where the apex NS the
// side serves after the push is not the delegation a flip installs for
// it, with the consequence and what to change; each provider serving its
// own NS plans without it. On a real PowerDNS: the zone is created by the
// push, so its apex NS come from git (manage_apex) or from the provider.
func TestPlanApexTrap(t *testing.T) {
	own := "ns1.pdns.example.net., ns2.pdns.example.net."
	old := "  old:\n    type: powerdns\n    url: http://127.0.0.1:9/unused\n    api_key_env: PDNS_KEY\n    delegation: [ns1.example.com., ns2.example.com.]\n"
	for _, tc := range []struct {
		name, provider string
		want           []string // in the warning; none: no warning
	}{
		{"git's apex NS written to the new side", "    manage_apex: true\n    delegation: [" + own + "]\n" + old,
			[]string{"apex trap, provider new", "apex NS ns1.example.com. ns2.example.com.", "the zone's creation: the zone file (manage_apex: true)",
				"installs NS ns1.pdns.example.net. ns2.pdns.example.net. (providers.new.delegation)", "ns1.example.com. (providers.old's)",
				"RFC 2181 §5.4.1", "child-ns", "set providers.new.manage_apex: false"}},
		{"the new zone created with the zone file's NS", "    delegation: [" + own + "]\n" + old,
			[]string{"apex trap, provider new", "the zone's creation", "ns1.example.com. (providers.old's)"}},
		{"each side its own NS", "    nameservers: [" + own + "]\n    delegation: [" + own + "]\n" + old, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := pdnsEnv(t, tc.provider)
			code, out, errs := e.run(t, "plan", "--provider", "new")
			if code != exitOK {
				t.Fatalf("plan: exit %d (the trap is a warning)\n%s\n%s", code, out, errs)
			}
			var trap string
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, "apex trap") {
					trap = l
				}
			}
			if tc.want == nil {
				if trap != "" {
					t.Errorf("a trap where each side serves its own NS: %s", trap)
				}
				// The zone exists now, with its own NS; manage_apex would
				// write git's over them.
				if code, out, errs := e.run(t, "push", "--provider", "new"); code != exitOK {
					t.Fatalf("push: exit %d\n%s\n%s", code, out, errs)
				}
				cfg := filepath.Join(e.dir, "dnsparity.yaml")
				b, _ := os.ReadFile(cfg)
				if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "    delegation: ["+own+"]\n", "    delegation: ["+own+"]\n    manage_apex: true\n", 1)), 0o644); err != nil {
					t.Fatal(err)
				}
				_, out, _ = e.run(t, "plan", "--provider", "new")
				if !strings.Contains(out, "apex trap, provider new: after the push it serves apex NS ns1.example.com. ns2.example.com. (git's apex NS, providers.new.manage_apex: true, zones/example.com.zone:") {
					t.Errorf("manage_apex on an existing zone:\n%s", out)
				}
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(trap, w) {
					t.Errorf("the warning lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
