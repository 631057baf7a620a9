package cutover

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFinishWaitsParentNSTTLBeforeFlipLab: the parent served the old
// delegation with an NS TTL of 3000 s (a status run recorded it half a
// minute before the flip), then 5 s when the flip read it (its NS TTL
// lowered at the parent, as a prestaging step would, minutes before the
// flip). A resolver that took the referral while it carried 3000 s keeps
// the old delegation, and asks the old provider, for 3000 s from then:
// up to the flip's change plus 3000 s, the TTL having been served until
// the flip read another. On the code before, finish counted only the NS
// TTL the flip read (5 s): with policy.overlap 1 s, finish said "safe to
// decommission" minutes after the flip. It waits until the change plus
// 3000 s plus the old side's own NS TTL (60 s), and is done after.
func TestFinishWaitsParentNSTTLBeforeFlipLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	path := l.mk().TrailPath
	appendTrail(t, path, Entry{Time: time.Now().UTC().Add(-30 * time.Second), Command: "status", Result: ResultObserved, DelegatedTo: []string{"old"}, ParentNSTTL: 3000})
	c, _, flipped := l.flip(t, ctx)
	// The old side names the new server now (old-unreferenced).
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")

	finishAt := func(after time.Duration) *Report { return Finish(ctx, l.at(flipped, after)) }
	// A first run sees the old side's apex NS name the new server (its
	// 60 s counted from there, as the overlap gate counts it).
	finishAt(time.Minute)
	rep := finishAt(10 * time.Minute)
	g := overlapGate(t, rep)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "3000 s") {
		t.Fatalf("finish 10 minutes after a flip while the parent served the old delegation with NS TTL 3000 s half a minute before it: %s; overlap %+v", rep.Result, g)
	}
	if len(rep.Next) == 0 || rep.Next[0].Earliest.Before(flipped.Add(3060*time.Second).Truncate(time.Second)) {
		t.Errorf("next: %+v, want finish not before the flip + 3000 s + the old side's NS TTL 60 s", rep.Next)
	}
	if rep = finishAt(3061 * time.Second); rep.Result != ResultDone {
		t.Fatalf("finish once that referral has expired: %s; gates %+v", rep.Result, rep.Gates)
	}
}
