package cutover

import (
	"context"
	"strings"
	"testing"
	"time"
)

// finish passed as soon as the old side's apex NS named the new servers.
// A resolver that took the old side's previous NS set (naming its own
// servers) prefers it to the parent's referral and fetches it again from
// those servers: it keeps asking the old provider for that set's TTL
// after the set changed. Now every step and status run records what the
// old side served (old_apex_ns), and finish waits until the last set
// naming old servers has expired: from the first observation that saw
// none, plus its TTL.
func TestFinishWaitsOldApexNSLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c := l.mk()
	c.Overlap = time.Second
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	flipped := rep.Change.At
	at := func(after time.Duration) *Config {
		c := l.mk()
		c.Overlap = time.Second
		c.Now = func() time.Time { return flipped.Add(after) }
		return c
	}
	// During the overlap the old side serves its own NS set for an
	// hour, and a status run sees it.
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns1.old.example.test.")
	if rep := Status(ctx, at(2*time.Minute)); rep.Result != ResultObserved {
		t.Fatalf("status: %s %v", rep.Result, rep.Errors)
	}
	// Then the old side's apex NS names the new server.
	setRRs(t, &c.Old, "example.test. 3600 IN NS ns1.new.example.test.")
	rep = Finish(ctx, at(10*time.Minute))
	var overlap *Gate
	for i, g := range rep.Gates {
		if g.Name == GateOverlap {
			overlap = &rep.Gates[i]
		} else if !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	t.Logf("finish 10 minutes after the flip: %s; overlap %+v", rep.Result, overlap)
	if rep.Result != ResultRefused || overlap == nil || overlap.OK || !strings.Contains(overlap.Detail, "apex NS set naming old servers") {
		t.Fatalf("finish right after the old side stopped serving an hour-long NS set naming its own servers: %s, overlap %+v", rep.Result, overlap)
	}
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Entries {
		t.Logf("trail: %s %s %s old_apex_ns %+v pushed %+v", e.Time.Format(time.RFC3339), e.Command, e.Result, e.OldApexNS, e.Pushed)
	}
	last := tr.Entries[len(tr.Entries)-1]
	if last.OldApexNS == nil || last.OldApexNS.namesOld() || last.OldApexNS.TTL != 3600 {
		t.Errorf("finish's entry old_apex_ns %+v, want ns1.new at 3600 s naming no old server", last.OldApexNS)
	}
	if rep := Finish(ctx, at(10*time.Minute+3500*time.Second)); rep.Result != ResultRefused {
		t.Errorf("finish 3500 s after the old side was seen serving the new NS set: %s", rep.Result)
	}
	if rep := Finish(ctx, at(10*time.Minute+3601*time.Second)); rep.Result != ResultDone {
		t.Errorf("finish an hour after the old side was seen serving the new NS set: %s; gates %+v", rep.Result, rep.Gates)
	}
}
