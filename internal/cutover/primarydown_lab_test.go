package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestFlipOldPublicDownPrimaryUpLab: the old side's public server is down
// (stopped), or up without the zone (a secondary that never got it:
// REFUSED), while its hidden primary (providers.old.server, which
// old-complete lists) answers. old-complete must say the public servers
// do not serve the zone, and what to do, not that they "serve another
// copy"; no gate of the planned flip may tell the user to push (a push
// goes to the primary, which holds git, and brings no server back).
func TestFlipOldPublicDownPrimaryUpLab(t *testing.T) {
	for _, tc := range []struct {
		name   string
		public func(l *reviewLab)
	}{
		{"down", func(l *reviewLab) {}},
		{"without the zone", func(l *reviewLab) {
			lab.Knot(t, lab.Options{IP: l.oldIP, Zones: []lab.Zone{{Origin: "other.test.", Text: "$TTL 60\n@ SOA ns h 1 60 60 1209600 60\n@ NS ns\nns A 192.0.2.1\n"}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 60)
			ip := map[string]string{"old": l.oldIP, "new": l.newIP}
			primary := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
			l.old.Stop()
			tc.public(l)
			c := l.mk()
			c.Old.Provider, c.Old.Primary = rfc2136Provider(t, primary.Addr, nil), primary.Addr
			rep := Flip(context.Background(), c, true, false)
			g := findGate(rep.Gates, GateOldComplete)
			t.Logf("flip (dry run): %s; old-complete %+v; parity %+v", rep.Result, g, findGate(rep.Gates, GateParity))
			if rep.Result != ResultRefused || g == nil || g.OK {
				t.Fatalf("flip with the old side's public server %s: %s, old-complete %+v", tc.name, rep.Result, g)
			}
			if strings.Contains(g.Detail, "another copy") || !strings.Contains(g.Detail, "do not serve the zone") || !strings.Contains(strings.Join(g.Plan, " "), "bring") {
				t.Errorf("old-complete with the public server %s: detail %q, plan %q", tc.name, g.Detail, g.Plan)
			}
			for _, o := range rep.Gates {
				if !o.OK && strings.Contains(strings.Join(o.Plan, " "), "dnsparity push") {
					t.Errorf("gate %s tells the user to push while the old side's public server is %s: %q", o.Name, tc.name, o.Plan)
				}
			}
		})
	}
}
