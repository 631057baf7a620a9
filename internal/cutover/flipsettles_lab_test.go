package cutover

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// After a flip, settles reads the old side's NS TTL at every server the
// delegation recorded before the flip sends resolvers to (sideAfter:
// oldServers), as old-apex-ns reads that side: the mirror of what
// TestRollbackSettlesLab holds for the new side after a rollback. Before,
// it read providers.old.nameservers alone: a config naming another live
// server (here the new one, NS TTL 60 s) gave that server's TTL while
// the old server, which resolvers holding the old delegation still ask,
// served its NS set with a day's TTL; and a config naming an address
// nothing listens on fell back to the TTL the flip recorded. Status
// called the flip settled while resolvers could hold that set.
func TestFlipSettlesAtRecordedOldLab(t *testing.T) {
	type reading struct {
		after time.Duration // after the flip
		waits []string
	}
	for _, tc := range []struct {
		name string
		// servers is status's providers.old.nameservers
		servers func(l *reviewLab) []string
		reads   []reading
	}{
		{
			name:    "providers.old.nameservers the new server",
			servers: func(l *reviewLab) []string { return []string{l.nw.Addr} },
			reads:   []reading{{after: 2 * time.Hour, waits: []string{WaitOldApexNS, WaitNSTTL}}, {after: 2*time.Hour + 10*time.Minute, waits: []string{WaitNSTTL}}},
		},
		{
			name:    "providers.old.nameservers an unused address",
			servers: func(*reviewLab) []string { return []string{lab.Addr(t) + ":53"} },
			reads:   []reading{{after: 2 * time.Hour, waits: []string{WaitOldApexNS, WaitNSTTL}}, {after: 2*time.Hour + 10*time.Minute, waits: []string{WaitNSTTL}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			t0 := time.Now()
			// the old server now names the new one, with a day's TTL
			ip := map[string]string{"old": l.oldIP, "new": l.newIP}
			l.old.Stop()
			l.old = lab.Knot(t, lab.Options{IP: l.oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: replaced(t, ownNSZone("old", ip), "@ NS ns1.old", "@ 86400 NS ns1.new")}}})
			servers := tc.servers(l)
			for _, r := range tc.reads {
				c := l.at(t0, r.after) // policy.overlap a second
				c.Old.Servers = servers
				rep := Status(ctx, c)
				p := rep.Propagation
				if p == nil || p.Target != "new" {
					t.Fatalf("status after the flip: propagation %+v, errors %v", p, rep.Errors)
				}
				what := fmt.Sprintf("+%s: settled %v at %s, child NS TTL %d, waits for %q", r.after, p.Settled, p.SettledAt, p.ChildNSTTL, p.WaitsFor)
				t.Log(what)
				if settled := len(r.waits) == 0; p.Settled != settled || !slices.Equal(p.WaitsFor, r.waits) {
					t.Errorf("%s; want settled %v, waits %q", what, settled, r.waits)
				}
				if p.ChildNSTTL != 86400 {
					t.Errorf("%s: want the old server's NS TTL, 86400 s", what)
				}
			}
		})
	}
}
