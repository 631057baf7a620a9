package cutover

import (
	"strings"
	"testing"
	"time"
)

// TestTTLExpiredUnknownSaysWhy: with no TTL above the cap ever seen (the
// first status found the TTLs at or under it already), ttl-expired waits
// 86400 s from that first observation; its plan says why (no earlier TTL
// seen: the wait covers the largest TTL resolvers may hold) and that
// nothing shortens it. Its plan was only "wait until T".
func TestTTLExpiredUnknownSaysWhy(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	low := TTLs{OldMax: 20, NewMax: 20}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{{Time: t0, Command: "status", Result: ResultObserved, TTL: &low}}}
	g, when := gateTTLExpired(tr, low, 300, t0.Add(time.Hour))
	if g.OK || !when.Equal(t0.Add(86400*time.Second)) || len(g.Plan) == 0 {
		t.Fatalf("ttl-expired an hour after the first observation: %+v, passes at %s", g, when)
	}
	wait := g.Plan[0]
	for _, want := range []string{"wait until", "no TTL above the cap", "86400 s", "nothing shortens"} {
		if !strings.Contains(wait, want) {
			t.Errorf("ttl-expired's first step %q lacks %q", wait, want)
		}
	}
	// A known previous TTL keeps the plain step.
	tr.Entries = []Entry{{Time: t0, Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		{Time: t0.Add(time.Minute), Command: "status", Result: ResultObserved, TTL: &low}}
	if g, _ := gateTTLExpired(tr, low, 300, t0.Add(2*time.Minute)); g.OK || len(g.Plan) == 0 || strings.Contains(g.Plan[0], "86400") {
		t.Errorf("ttl-expired with a TTL of 3600 s seen: %+v", g)
	}
}
