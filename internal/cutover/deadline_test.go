package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDeadlinesRoundedUp: the deadlines a gate's detail and plan name
// (ttl-expired's "expired at" and "wait until", overlap's "ends at" and
// "until") are rounded up to the second, as the "next" times are, never
// cut to it: on the code before, an overlap ending at 12:40:00.4 read
// "ends at 12:40:00Z", and a finish run then was refused.
func TestDeadlinesRoundedUp(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	tr := &Trail{Zone: "example.test.", Entries: []Entry{
		{Time: at(0), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 300}},
		{Time: at(100.4), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 300, NewMax: 300}},
	}}
	g, when := gateTTLExpired(tr, TTLs{OldMax: 300, NewMax: 300}, 300, at(3000))
	if !when.Equal(at(3700.4)) {
		t.Fatalf("ttl-expired at %s, want %s", when, at(3700.4))
	}
	if !strings.Contains(g.Detail, "expired from caches at 2026-11-01T11:01:41Z") || !strings.Contains(strings.Join(g.Plan, "; "), "wait until 2026-11-01T11:01:41Z") {
		t.Errorf("ttl-expired does not round its deadline up to 11:01:41:\n%s\n%v", g.Detail, g.Plan)
	}

	// the old side's NS TTL recorded and its apex NS seen naming no old
	// server: the overlap alone holds finish (finishWhen)
	tr.Entries = append(tr.Entries, Entry{Time: at(6000.4), Command: "flip", Result: ResultDone, TTL: &TTLs{OldMax: 300, NewMax: 300}, OldApexNS: &OldApexNS{NS: []string{}}})
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: time.Hour}
	g, end := c.gateOverlap(context.Background(), tr, nil, 0, at(6000+1800))
	if !end.Equal(at(9600.4)) {
		t.Fatalf("overlap ends %s, want %s", end, at(9600.4))
	}
	if !strings.Contains(g.Detail, "ends at 2026-11-01T12:40:01Z") || !strings.Contains(strings.Join(g.Plan, "; "), "identical until 2026-11-01T12:40:01Z") {
		t.Errorf("overlap does not round its end up to 12:40:01:\n%s\n%v", g.Detail, g.Plan)
	}
}
