package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanApexTrap (issue 16): plan says, per side, where the apex NS the
// side serves after the push is not the delegation a flip installs for
// it, with the consequence and what to change; a side serving its own NS
// plans without it. On a real PowerDNS, where push creates the zone: with
// manage_apex its apex NS come from git (the old provider's names: the
// trap); without it, from providers.new.delegation (no trap), and turning
// manage_apex on afterwards would write git's over them (the trap, with
// git's file and line).
func TestPlanApexTrap(t *testing.T) {
	own := "ns1.pdns.example.net., ns2.pdns.example.net."
	old := "  old:\n    type: powerdns\n    url: http://127.0.0.1:9/unused\n    api_key_env: PDNS_KEY\n    delegation: [ns1.example.com., ns2.example.com.]\n"
	trapOf := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "apex trap") {
				return l
			}
		}
		return ""
	}
	wantAll := func(t *testing.T, out string, want ...string) {
		t.Helper()
		trap := trapOf(out)
		for _, w := range want {
			if !strings.Contains(trap, w) {
				t.Errorf("the apex trap warning lacks %q:\n%s", w, out)
			}
		}
	}

	t.Run("git's apex NS written to the new side", func(t *testing.T) {
		e, _ := pdnsEnv(t, "    manage_apex: true\n    delegation: ["+own+"]\n"+old)
		code, out, errs := e.run(t, "plan", "--provider", "new")
		if code != exitOK {
			t.Fatalf("plan: exit %d (the trap is a warning)\n%s\n%s", code, out, errs)
		}
		wantAll(t, out, "apex trap, provider new", "apex NS ns1.example.com. ns2.example.com.", "the zone's creation: the zone file (manage_apex: true)",
			"installs NS ns1.pdns.example.net. ns2.pdns.example.net. (providers.new.delegation)", "ns1.example.com. (providers.old's)",
			"RFC 2181 §5.4.1", "child-ns", "set providers.new.manage_apex: false")
		// push shows the same plan, the warning with it.
		if code, out, errs := e.run(t, "push", "--provider", "new"); code != exitOK || trapOf(out) == "" {
			t.Errorf("push: exit %d, no apex trap warning:\n%s\n%s", code, out, errs)
		}
	})

	t.Run("each side its own NS", func(t *testing.T) {
		e, srv := pdnsEnv(t, "    delegation: ["+own+"]\n"+old)
		code, out, errs := e.run(t, "plan", "--provider", "new")
		if code != exitOK || trapOf(out) != "" || !strings.Contains(out, "new zone's apex NS: providers.new.delegation (ns1.pdns.example.net., ns2.pdns.example.net.)") {
			t.Fatalf("plan: exit %d, the zone not created with its delegation names, or a trap:\n%s\n%s", code, out, errs)
		}
		if code, out, errs := e.run(t, "push", "--provider", "new"); code != exitOK {
			t.Fatalf("push: exit %d\n%s\n%s", code, out, errs)
		}
		if got := strings.Join(apexNS(t, srv.Addr), " "); got != "ns1.pdns.example.net. ns2.pdns.example.net." {
			t.Errorf("the created zone serves apex NS %s", got)
		}
		// The zone exists now, with its own NS; manage_apex would write
		// git's over them.
		cfg := filepath.Join(e.dir, "dnsparity.yaml")
		b, _ := os.ReadFile(cfg)
		if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "    delegation: ["+own+"]\n", "    delegation: ["+own+"]\n    manage_apex: true\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, out, _ = e.run(t, "plan", "--provider", "new")
		wantAll(t, out, "apex trap, provider new: after the push it serves apex NS ns1.example.com. ns2.example.com. (git's apex NS, providers.new.manage_apex: true, zones/example.com.zone:")
	})

	t.Run("the provider's own in-zone apex NS losing its address", func(t *testing.T) {
		e, _ := pdnsEnv(t, "    delegation: [ns1.example.com., ns2.example.com.]\n")
		if code, out, errs := e.run(t, "push", "--provider", "new"); code != exitOK {
			t.Fatalf("push: exit %d\n%s\n%s", code, out, errs)
		}
		// git moves its apex NS elsewhere and drops ns2's address; the
		// provider keeps serving its own NS (manage_apex is false).
		z := readTestdata(t, "example.com.zone")
		z = strings.Replace(z, "        IN  NS   ns1.example.com.\n        IN  NS   ns2.example.com.\n", "        IN  NS   ns1.other.example.net.\n        IN  NS   ns2.other.example.net.\n", 1)
		z = strings.Replace(z, "ns2     IN  A     198.51.100.53\n", "", 1)
		e.writeZone(t, z)
		code, out, errs := e.run(t, "plan", "--provider", "new")
		if code != exitOK || !strings.Contains(out, "apex NS without an address, provider new: it serves apex NS ns2.example.com.") || strings.Contains(out, "serves apex NS ns1.example.com. (") {
			t.Errorf("plan: exit %d, no warning for ns2.example.com. alone:\n%s\n%s", code, out, errs)
		}
	})
}
