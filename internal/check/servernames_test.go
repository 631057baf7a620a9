package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestNameserverNameWarns: a nameserver of old or new given as a name with
// no parity.resolver makes parity refuse to run (the system resolver is
// never used); check says so as a warning on the entry's line of the
// config (a warning: plan and push never look the servers up, and their
// users must not be blocked), and says nothing for an address, with a
// resolver, or for a provider parity does not compare.
func TestNameserverNameWarns(t *testing.T) {
	const zoneText = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
	const head = "zones:\n  - name: a.test.\n    file: a.test.zone\nproviders:\n"
	for _, tc := range []struct {
		name, providers string
		want            []string // "LINE providers.SIDE.nameservers: NAME"
	}{
		{"flow list", "  old:\n    type: rfc2136\n    server: 192.0.2.1\n    nameservers: [ns1.example.net, 192.0.2.53]\n",
			[]string{"8 providers.old.nameservers: ns1.example.net"}},
		{"block list, each its line", "  new:\n    type: rfc2136\n    server: 192.0.2.1\n    nameservers:\n      - 192.0.2.54:53\n      - ns2.example.net:5300\n      - ns3.example.net.\n",
			[]string{"10 providers.new.nameservers: ns2.example.net:5300", "11 providers.new.nameservers: ns3.example.net."}},
		{"addresses only", "  old:\n    type: rfc2136\n    server: 192.0.2.1\n    nameservers: [192.0.2.53, '[2001:db8::53]:53']\n", nil},
		{"a resolver set", "  old:\n    type: rfc2136\n    server: 192.0.2.1\n    nameservers: [ns1.example.net]\nparity:\n  resolver: 192.0.2.9\n", nil},
		{"not a side parity compares", "  parent:\n    type: rfc2136\n    server: 192.0.2.1\n    nameservers: [ns1.example.net]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "dnsparity.yaml")
			for p, text := range map[string]string{cfg: head + tc.providers, filepath.Join(dir, "a.test.zone"): zoneText} {
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			targets, _, err := Targets(nil, "", Scope{Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			res := Run(targets, 0)
			if res.Tally.Errors > 0 || len(res.Failed) > 0 {
				t.Fatalf("errors (want warnings only): %v %v", res.Problems, res.Failed)
			}
			var got []string
			for _, p := range res.Problems {
				if !strings.Contains(p.Message, "parity.resolver") {
					continue
				}
				if p.Pos.File != cfg || p.Severity != zone.Warning {
					t.Errorf("%v: want a warning in %s", p, cfg)
				}
				got = append(got, fmt.Sprintf("%d %s", p.Pos.Line, strings.SplitN(p.Message, " is a name", 2)[0]))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("warned:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
