package cutover

import (
	"context"
	"testing"
	"time"
)

// A flip that the ttl-expired gate refuses names the time to run it
// again: the gate's refusal and that time are judged at one reading of
// the clock. Before, the flip read it again for its next step, after the
// DNSSEC and delegation gates: a reading past the TTLs' expiry there left
// a refused flip naming no time. The clock here moves from before the
// expiry to after it at every one of the step's readings in turn, so the
// test does not depend on how long a gate takes.
func TestFlipRefusedNamesAgainLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	// prestagedTrail: capped an hour ago from 3,600 s, so the old TTLs
	// expire about now; half an hour ago they had not, in two hours they
	// have.
	t0 := time.Now()
	flip := func(n int) (*Report, int) {
		c := l.mk()
		c.TrailPath = prestagedTrail(t, 60)
		clk := &splitClock{n: n, before: t0.Add(-30 * time.Minute), after: t0.Add(2 * time.Hour)}
		c.Now = clk.now
		return Flip(ctx, c, true, false), clk.reads
	}
	rep, reads := flip(1 << 30)
	if g := gateNamed(rep, GateTTLExpired); g == nil || g.OK || nextOf(rep.Next, "flip").IsZero() {
		t.Fatalf("the flip half an hour before the TTLs expire: gate %+v, next %+v", g, rep.Next)
	}
	t.Logf("the dry-run flip reads the clock %d times", reads)
	for n := range reads {
		rep, _ := flip(n)
		g := gateNamed(rep, GateTTLExpired)
		if g == nil {
			t.Fatalf("clock after %d readings: no ttl-expired gate: %v", n, rep.Errors)
		}
		if !g.OK && nextOf(rep.Next, "flip").IsZero() {
			t.Errorf("clock moved after %d readings: the ttl-expired gate refused (%s) and the flip names no time to run it again: %+v", n, g.Detail, rep.Next)
		}
	}
}
