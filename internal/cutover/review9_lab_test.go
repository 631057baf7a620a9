package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// setRRs replaces (or creates) the RRset of rrs at the side s's provider.
func setRRs(t *testing.T, s *Side, text ...string) {
	t.Helper()
	var rrs []dns.RR
	for _, x := range text {
		rr, err := dns.NewRR(x)
		if err != nil {
			t.Fatal(err)
		}
		rrs = append(rrs, rr)
	}
	set, err := zone.NewRRSet(rrs)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.Provider.Records(context.Background(), "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	ch := provider.Change{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}
	if old := cur.Get(set.Name, set.Type); old != nil {
		ch.Action, ch.Old = provider.Replace, old
	}
	if _, err := s.Provider.Apply(context.Background(), "example.test.", []provider.Change{ch}); err != nil {
		t.Fatal(err)
	}
}

// finish says the old provider is safe to decommission. A resolver that
// cached the old delegation just before the flip keeps asking the old
// servers until the parent's NS TTL (and the old side's own NS TTL, which
// child-centric resolvers took) has passed: a policy.overlap shorter than
// that (a .com parent's NS TTL is two days; a pull request can set
// overlap: 1s) must not let finish pass before then.
func TestFinishWaitsOldDelegationLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	c := l.mk()
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	flipped := rep.Change.At
	// The old side names the new server now (old-unreferenced).
	setRRs(t, &c.Old, "example.test. 60 IN NS ns1.new.example.test.")

	finishAt := func(after time.Duration) *Report {
		c := l.mk()
		c.Overlap = time.Second
		c.Now = func() time.Time { return flipped.Add(after) }
		return Finish(ctx, c)
	}
	rep = finishAt(time.Minute)
	if rep.Result != ResultRefused {
		t.Fatalf("finish a minute after a flip that replaced a delegation with NS TTL 3000 s (overlap 1 s): %s; gates %+v", rep.Result, rep.Gates)
	}
	for _, g := range rep.Gates {
		if g.Name == GateOverlap && (g.OK || !strings.Contains(g.Detail, "old delegation")) {
			t.Errorf("overlap gate: %+v", g)
		}
		if g.Name != GateOverlap && !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	if len(rep.Next) == 0 || rep.Next[0].Earliest.Before(flipped.Add(3060*time.Second)) {
		t.Errorf("next: %+v, want finish not before the flip + 3000 s + the old side's NS TTL 60 s", rep.Next)
	}
	// Once the old delegation and the old side's NS set have expired
	// from every cache: done.
	if rep = finishAt(3061 * time.Second); rep.Result != ResultDone {
		t.Fatalf("finish after the old delegation expired: %s; gates %+v", rep.Result, rep.Gates)
	}
}

