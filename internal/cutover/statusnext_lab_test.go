package cutover

import (
	"context"
	"testing"
	"time"
)

// TestStatusNextNowLab: a step status names as next that can be taken
// when it runs is marked Now (the writers say "now"), not given as a
// "not before" time already past by the time it is read: the pre-staging
// of a fresh zone (TTLs above the cap), and the flip once the old TTLs
// expired. A step whose time is to come is not Now. Status said
// "next: prestage-ttl not before <the time it ran>".
func TestStatusNextNowLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	// A time to come is no "now": the trail saw the TTLs capped an hour
	// ago, after 3600 s; status runs 59 minutes before now (first: the
	// trail holds nothing later yet).
	c := l.mk()
	c.Now = func() time.Time { return time.Now().Add(-59 * time.Minute) }
	flip := false
	for _, n := range Status(ctx, c).Next {
		if n.Step == "flip" {
			flip = true
			if n.Now {
				t.Errorf("next flip at %s, status before it: marked now", n.Earliest)
			}
		}
	}
	if !flip {
		t.Errorf("status an hour early names no next flip")
	}
	for _, tc := range []struct {
		name, step string
		cap        uint32
		now        bool
	}{
		{"fresh zone", "prestage-ttl", 10, true}, // git and both sides serve TTL 60
		{"old TTLs expired", "flip", 60, true},   // the trail saw them at 60 an hour ago, 3600 before
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := l.mk()
			c.PrestageTTL = tc.cap
			rep := Status(ctx, c)
			var found *Next
			for i, n := range rep.Next {
				if n.Step == tc.step {
					found = &rep.Next[i]
				}
			}
			if found == nil {
				t.Fatalf("no next step %s: %+v (errors %v)", tc.step, rep.Next, rep.Errors)
			}
			if found.Now != tc.now {
				t.Errorf("next %s: now %v, want %v (earliest %s)", tc.step, found.Now, tc.now, found.Earliest)
			}
		})
	}
}
