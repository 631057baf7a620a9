package cutover

import (
	"context"
	"slices"
	"testing"
	"time"
)

// After a rollback, settled counts what keeps resolvers on the side the
// rollback left as it does after a flip, the sides swapped (moveHeld, one
// function): the new side's servers still serving an apex NS set naming
// a new server (resolvers that took it prefer it to the referral and
// fetch it again there, RFC 2181 §5.4.1: new-apex-ns), and a parent
// server seen referring to the new side after the rollback
// (referral-after). Before, both were counted after a flip only, and
// status called a rollback settled while resolvers could still be sent
// to the new side.
func TestRollbackSettlesLab(t *testing.T) {
	for _, tc := range []struct {
		name    string
		newDown bool // the new side's servers stopped: no apex NS served
		lagging bool // a later status saw a parent server on the new side
		waits   []string
	}{
		{name: "the new side names itself", waits: []string{WaitNewApexNS}},
		{name: "the new side gone", waits: []string{}},
		{name: "a parent server seen on the new side after it", newDown: true, lagging: true, waits: []string{WaitReferralAfter}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			c := l.mk()
			if rep := Rollback(ctx, c, false, false); rep.Result != ResultDone {
				t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			later := time.Now().Add(2 * time.Hour)
			if tc.newDown || len(tc.waits) == 0 {
				l.nw.Stop()
			}
			if tc.lagging {
				appendTrail(t, c.TrailPath, Entry{Time: later.Add(-time.Hour).UTC(), Command: "status", Result: ResultObserved, DelegatedTo: []string{"old", "new"}, ParentNSTTL: 5})
			}
			c = l.mk()
			c.Now = func() time.Time { return later }
			rep := Status(ctx, c)
			p := rep.Propagation
			if p == nil || p.Target != "old" {
				t.Fatalf("status after the rollback: propagation %+v, errors %v", p, rep.Errors)
			}
			t.Logf("settled %v at %s, waits for %v", p.Settled, p.SettledAt, p.WaitsFor)
			if settled := len(tc.waits) == 0; p.Settled != settled || !slices.Equal(p.WaitsFor, tc.waits) {
				t.Errorf("settled %v, waits_for %q; want %v, %q", p.Settled, p.WaitsFor, settled, tc.waits)
			}
			if len(tc.waits) > 0 && !p.SettledAt.After(later) {
				t.Errorf("settled_at %s, not after now (%s)", p.SettledAt, later)
			}
		})
	}
}
