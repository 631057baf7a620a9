package cutover

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestCompleteOddOwnersLab: the old side's server (BIND, Knot, PowerDNS)
// serves git's zone of odd owner names (zonetest.OddOwners: a dot, a space, '@', '(',
// ';', '"', octets outside ASCII inside a label, 63 and 255 octets, a '*'
// that is not a wildcard, ...), listed as the flip's old-complete gate
// lists it: by AXFR (rfc2136), through the API (PowerDNS, which writes
// '@', '(', ';' and '"' raw). Each name must come back as git's name: the gate passes
// on git's zone, and a name only the old side holds, spelled with an
// escape or differing from git's only where a label's dot is escaped,
// is named as missing from git, never dropped or merged with another.
func TestCompleteOddOwnersLab(t *testing.T) {
	const origin = "example.test."
	key := &lab.TSIGKey{Name: "k.", Secret: "b2RkbmFtZXMta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="}
	git := zonetest.Load(t, zonetest.OddZone(origin), origin)
	cases := []struct {
		name  string
		old   string // what the old side holds besides git's zone
		lacks []string
	}{
		{"git's zone", "", nil},
		{"escaped dot by hand", `x\.y IN TXT "by hand"`, []string{`x\.y.example.test. TXT`}},
		{"the dot of git's a\\.b unescaped", `a.b IN TXT "odd owner 0"`, []string{"a.b.example.test. TXT"}},
		{"octets by hand", `hi\128 IN TXT "by hand"`, []string{`hi\128.example.test. TXT`}},
		{"'@' by hand", `by\@hand IN TXT "by hand"`, []string{`by\@hand.example.test. TXT`}},
		{"a type git lacks at an odd name", `sp\032ace IN CAA 0 issue "ca.example"`, []string{`sp\ ace.example.test. CAA`}},
	}
	for _, kind := range []string{"bind", "knot", "powerdns"} {
		for _, c := range cases {
			t.Run(kind+"/"+c.name, func(t *testing.T) {
				o := lab.Options{TSIG: key, Zones: []lab.Zone{{Origin: origin, Text: zonetest.OddZone(origin, c.old)}}}
				var p provider.Provider
				switch kind {
				case "bind":
					lab.Require(t, "named")
					p = rfc2136Provider(t, lab.BIND(t, o).Addr, key)
				case "knot":
					lab.Require(t, "knotd")
					p = rfc2136Provider(t, lab.Knot(t, o).Addr, key)
				case "powerdns":
					lab.Require(t, "pdns_server")
					o.TSIG = nil
					srv := lab.PDNS(t, o)
					p = pdnsProvider(t, srv)
				}
				g := (&Config{Zone: git, Old: Side{Name: "old", Provider: p}}).oldComplete(t)
				if c.lacks == nil {
					if !g.OK {
						t.Fatalf("%s: %s", g.Name, g.Detail)
					}
					return
				}
				if g.OK || g.Err {
					t.Fatalf("%s met (or could not run) with %s at the old side only: %s", g.Name, c.old, g.Detail)
				}
				for _, l := range c.lacks {
					if !strings.Contains(g.Detail, l+" (") {
						t.Errorf("%s does not name %s: %s", g.Name, l, g.Detail)
					}
				}
				if n := strings.Count(g.Detail, ";") + 1; n != len(c.lacks) {
					t.Errorf("%s names %d RRsets, want %d: %s", g.Name, n, len(c.lacks), g.Detail)
				}
			})
		}
	}
}
