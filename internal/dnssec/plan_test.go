package dnssec

import (
	"strings"
	"testing"
	"time"
)

// TestPlan: both routes in order; the times follow from Now and the TTLs;
// the wording follows the side.
func TestPlan(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	dss, err := parseDS("example.test.", []string{"4242 13 2 00FF"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name              string
		in                Input
		dnskeyTTL         uint32
		dsGone, newDS, mb time.Time
		side, other       string
	}{
		{"flip", Input{Zone: "example.test.", DSTTL: 86400, NSTTL: 172800, MaxTTL: 3600, Now: now}, 300,
			now.Add(24 * time.Hour), now.Add(24*time.Hour + 49*time.Hour), now.Add(24 * time.Hour), "new", "old"},
		{"rollback, DNSKEY TTL largest", Input{Zone: "example.test.", DSTTL: 60, NSTTL: 5, MaxTTL: 300, Now: now, Side: "old"}, 7200,
			now.Add(time.Minute), now.Add(time.Minute + 2*time.Hour), now.Add(2 * time.Hour), "old", "new"},
	} {
		t.Run(c.name, func(t *testing.T) {
			steps := plan(c.in, dss, map[uint16]bool{7: true}, c.dnskeyTTL, time.Time{})
			var a, b []Step
			for _, s := range steps {
				if s.Route == "a" {
					a = append(a, s)
				} else {
					b = append(b, s)
				}
			}
			if len(a) != 5 || len(b) != 6 {
				t.Fatalf("%d steps in (a), %d in (b)", len(a), len(b))
			}
			for i, s := range steps {
				if i > 0 && steps[i-1].Route == s.Route && steps[i-1].N+1 != s.N {
					t.Errorf("step %d numbered %d after %d", i, s.N, steps[i-1].N)
				}
			}
			if !strings.HasPrefix(a[0].Text, "Remove the DS") || !strings.Contains(a[0].Text, "4242") {
				t.Errorf("(a) 1: %s", a[0].Text)
			}
			if !a[1].Earliest.Equal(c.dsGone) || !strings.Contains(a[1].Text, c.dsGone.Format(time.RFC3339)) {
				t.Errorf("(a) 2 at %v, want %v: %s", a[1].Earliest, c.dsGone, a[1].Text)
			}
			if !strings.Contains(a[2].Text, "to the "+c.side+" provider") || !a[2].Earliest.Equal(c.dsGone) {
				t.Errorf("(a) 3: %s at %v", a[2].Text, a[2].Earliest)
			}
			if !a[4].Earliest.Equal(c.newDS) || !strings.Contains(a[4].Text, "Publish the "+c.side+" provider's DS") {
				t.Errorf("(a) 5 at %v, want %v: %s", a[4].Earliest, c.newDS, a[4].Text)
			}
			if !strings.Contains(b[1].Text, "into the "+c.other+" provider's DNSKEY set") || !strings.Contains(b[2].Text, "both DS") {
				t.Errorf("(b) 2, 3: %s / %s", b[1].Text, b[2].Text)
			}
			if !b[3].Earliest.Equal(c.mb) {
				t.Errorf("(b) 4 at %v, want %v", b[3].Earliest, c.mb)
			}
			if got := a[1].String(); !strings.HasPrefix(got, "(a) 2. Wait out the DS TTL") || !strings.HasSuffix(got, "[not before "+c.dsGone.Format(time.RFC3339)+"]") {
				t.Errorf("String: %s", got)
			}
		})
	}
}

// TestPlanRemoved: with the DS gone from the parent already, the plan is
// route (a) from the wait on, and the new DS waits for the caches after it.
func TestPlanRemoved(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	until := now.Add(90 * time.Minute)
	dss, err := parseDS("example.test.", []string{"4242 13 2 00FF"})
	if err != nil {
		t.Fatal(err)
	}
	steps := plan(Input{Zone: "example.test.", DSTTL: 86400, NSTTL: 600, MaxTTL: 3600, Now: now}, dss, nil, 0, until)
	if len(steps) != 4 {
		t.Fatalf("%d steps: %v", len(steps), steps)
	}
	for _, s := range steps {
		if s.Route != "a" {
			t.Errorf("route %s offered: %s", s.Route, s)
		}
	}
	if !strings.HasPrefix(steps[0].Text, "Wait until "+until.Format(time.RFC3339)) || !steps[0].Earliest.Equal(until) || !steps[1].Earliest.Equal(until) {
		t.Errorf("wait: %s / %s", steps[0], steps[1])
	}
	if want := until.Add(70 * time.Minute); !steps[3].Earliest.Equal(want) { // the parent NS TTL + the zone's max TTL (for the old apex NS TTL)
		t.Errorf("publish at %v, want %v", steps[3].Earliest, want)
	}
}

// TestPlanTimesRoundedUp: a plan's times are deadlines: written rounded
// up to the second, in the step's text and its "[not before]", never cut
// to it (on the code before, a DS held until 09:30:00.6 read "until
// 09:30:00Z").
func TestPlanTimesRoundedUp(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 600_000_000, time.UTC)
	until := now.Add(90 * time.Minute)
	dss, err := parseDS("example.test.", []string{"4242 13 2 00FF"})
	if err != nil {
		t.Fatal(err)
	}
	steps := plan(Input{Zone: "example.test.", DSTTL: 86400, NSTTL: 600, MaxTTL: 3600, Now: now}, dss, nil, 0, until)
	if got := steps[0].String(); !strings.Contains(got, "Wait until 2026-11-27T09:30:01Z:") || !strings.HasSuffix(got, "[not before 2026-11-27T09:30:01Z]") {
		t.Errorf("not rounded up to 09:30:01: %s", got)
	}
	if got := wait(until, "why", "then")[0].Text; !strings.HasPrefix(got, "Wait until 2026-11-27T09:30:01Z:") {
		t.Errorf("route (b)'s wait not rounded up: %s", got)
	}
}

// TestPlanRouteAPublishDS: route (a)'s last step publishes the new DS no
// earlier than the cutover's old_delegation_expires counts from the
// change: the parent's NS TTL plus the old side's own apex NS TTL (a
// resolver that takes the old side's NS set just before the referral
// expires keeps it for its TTL, RFC 2181 section 5.4.1; the zone's max
// TTL stands in for it when unknown), later when the DNSKEY TTL or the
// zone's max TTL is larger; the text points at old_delegation_expires
// and finish, and warns about CDS. The review's finding: the plan said
// flip + max(parent NS TTL, zone max TTL, DNSKEY TTL), before the last
// resolver can have left the old servers (with a parent NS TTL of 3600 s
// and an apex NS TTL of 300 s, 300 s too early).
func TestPlanRouteAPublishDS(t *testing.T) {
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name      string
		in        Input
		dnskeyTTL uint32
		removed   time.Time
		after     time.Duration // step 5's earliest after the flip's earliest
		want      []string
	}{
		{"the old side's apex NS TTL known", Input{NSTTL: 3600, OtherNSTTL: 86400, MaxTTL: 300}, 300, time.Time{}, 90000 * time.Second,
			[]string{"+ 90000 s (the parent NS TTL 3600 s + the old side's apex NS TTL 86400 s)", "old_delegation_expires", "finish still waits on the old side's apex NS", "the old side's own apex NS, to the old servers", "CDS/CDNSKEY as soon as signing is enabled (step 4)"}},
		{"unknown: the zone's max TTL for it (the review's case)", Input{NSTTL: 3600, MaxTTL: 300}, 300, time.Time{}, 3900 * time.Second,
			[]string{"+ 3900 s (the parent NS TTL 3600 s + the old side's apex NS TTL, not known here: the zone's max TTL 300 s)"}},
		{"the DNSKEY TTL larger", Input{NSTTL: 60, OtherNSTTL: 60, MaxTTL: 300}, 7200, time.Time{}, 7200 * time.Second,
			[]string{"+ 7200 s (the parent NS TTL 60 s + the old side's apex NS TTL 60 s = 120 s; the old keys and answers may stay cached longer: the larger of the zone's max TTL 300 s and the DNSKEY TTL 7200 s)"}},
		{"rollback", Input{NSTTL: 3600, OtherNSTTL: 600, MaxTTL: 300, Side: "old"}, 300, time.Time{}, 4200 * time.Second,
			[]string{"Publish the old provider's DS", "the new side's apex NS TTL 600 s", "the new side's own apex NS, to the new servers"}},
		{"the DS removed already", Input{NSTTL: 3600, OtherNSTTL: 600, MaxTTL: 300}, 300, now.Add(30 * time.Minute), 4200 * time.Second, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Zone, in.DSTTL, in.Now = "example.test.", 3600, now
			steps := plan(in, nil, nil, c.dnskeyTTL, c.removed)
			var flip, publish Step
			for _, s := range steps {
				switch {
				case s.Route == "a" && strings.HasPrefix(s.Text, "Flip the delegation"):
					flip = s
				case s.Route == "a" && strings.HasPrefix(s.Text, "Publish the "):
					publish = s
				}
			}
			t.Logf("%s\n%s", flip, publish)
			if want := flip.Earliest.Add(c.after); !publish.Earliest.Equal(want) {
				t.Errorf("publish at %s, want %s (flip at %s + %s)", publish.Earliest.Format(time.RFC3339), want.Format(time.RFC3339), flip.Earliest.Format(time.RFC3339), c.after)
			}
			// Never before old_delegation_expires as the cutover counts it
			// for a flip at the earliest: + the parent NS TTL + the old
			// side's apex NS TTL.
			otherNS := in.OtherNSTTL
			if otherNS == 0 {
				otherNS = in.MaxTTL
			}
			if expires := flip.Earliest.Add(secs(in.NSTTL + otherNS)); publish.Earliest.Before(expires) {
				t.Errorf("publish at %s, before the old delegation expires at %s", publish.Earliest.Format(time.RFC3339), expires.Format(time.RFC3339))
			}
			for _, w := range c.want {
				if !strings.Contains(publish.Text, w) {
					t.Errorf("step lacks %q: %s", w, publish.Text)
				}
			}
		})
	}
}
