package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestTTLExpiredCountsPushes (hole 3): a record pushed with a long TTL and
// capped again minutes later keeps the flip waiting that TTL after the
// first observation at the cap that follows, though status never saw it;
// a TTL a push replaced counts the same way.
func TestTTLExpiredCountsPushes(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	low := TTLs{OldMax: 300, NewMax: 300}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{
		{Time: at(0), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		{Time: at(100), Command: "status", Result: ResultObserved, TTL: &low},
		// a record at a day, pushed to both sides, then capped again
		{Time: at(5000), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"old": {MaxTTL: 86400}, "new": {MaxTTL: 86400}}},
		{Time: at(5300), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"old": {MaxTTL: 300, ReplacedTTL: 86400}, "new": {MaxTTL: 300, ReplacedTTL: 86400}}},
	}}
	if !tr.pushedSinceObservation() {
		t.Error("a push after the last observation is not noticed")
	}
	// Before: the first observation after the push is this run.
	g, when := gateTTLExpired(tr, low, 300, at(7300))
	if g.OK || !when.Equal(at(7300+86400)) || !strings.Contains(g.Detail, "86400") {
		t.Errorf("right after the pushes: %+v, passes at %s", g, when)
	}
	tr.Entries = append(tr.Entries, Entry{Time: at(8000), Command: "status", Result: ResultObserved, TTL: &low})
	if tr.pushedSinceObservation() {
		t.Error("an observation after the push is not noticed")
	}
	if g, when := gateTTLExpired(tr, low, 300, at(9000)); g.OK || !when.Equal(at(8000+86400)) {
		t.Errorf("after the observation: %+v, passes at %s, want %s", g, when, at(8000+86400))
	}
	if g, _ := gateTTLExpired(tr, low, 300, at(8000+86400)); !g.OK {
		t.Errorf("a day after the observation: %+v", g)
	}
	// A push at or under the cap says nothing about the rest of the zone.
	quiet := &Trail{Entries: []Entry{{Time: at(0), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"new": {MaxTTL: 60}}}}}
	if _, prev, known, _ := quiet.Lowered(low, 300, at(10)); known || prev != AssumedPreviousTTL {
		t.Errorf("a push under the cap taken for knowledge: %d %v", prev, known)
	}
	// Only the sides count: a push to the registrar's parent zone does not.
	parent := &Trail{Entries: []Entry{{Time: at(0), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"parent": {MaxTTL: 86400}}}}}
	if _, _, known, _ := parent.Lowered(low, 300, at(10)); known {
		t.Error("a push to another provider counted")
	}
}

// TestPushedOf: the largest TTL created or replaced, and the largest one
// replaced or deleted; DNSSEC records left out.
func TestPushedOf(t *testing.T) {
	set := func(s string) *zone.RRSet {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		x, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	p := PushedOf("example.test.", []plan.Change{
		{Action: provider.Create, Type: dns.TypeA, New: set("a.example.test. 600 IN A 192.0.2.1")},
		{Action: provider.Replace, Type: dns.TypeA, Old: set("b.example.test. 86400 IN A 192.0.2.2"), New: set("b.example.test. 300 IN A 192.0.2.2")},
		{Action: provider.Delete, Type: dns.TypeTXT, Old: set("c.example.test. 7200 IN TXT x")},
	})
	if p != (Pushed{MaxTTL: 600, ReplacedTTL: 86400}) || p.Max() != 86400 {
		t.Errorf("PushedOf = %+v", p)
	}
}

// TestSideMaxTTLHidden (hole 3): the apex SOA and NS count as their servers
// serve them; an apex record the API does not list and no server answered
// counts at the provider's documented TTL (Cloudflare's NS: 86400), else
// at AssumedPreviousTTL, never as nothing.
func TestSideMaxTTLHidden(t *testing.T) {
	held, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\nwww 300 IN A 192.0.2.1\n"), "listing", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	cf := provider.Capabilities{HiddenApexTTL: map[uint16]uint32{dns.TypeNS: 86400, dns.TypeSOA: 3600}}
	if m, note := sideMaxTTL(held, map[uint16]uint32{dns.TypeSOA: 300, dns.TypeNS: 300}, cf); m != 300 || !strings.Contains(note, "apex NS 300 s as served") {
		t.Errorf("served: %d %q", m, note)
	}
	if m, note := sideMaxTTL(held, map[uint16]uint32{dns.TypeSOA: 300}, cf); m != 86400 || !strings.Contains(note, "apex NS neither listed nor served: 86400 s documented by the provider") {
		t.Errorf("hidden NS: %d %q", m, note)
	}
	if m, _ := sideMaxTTL(held, map[uint16]uint32{dns.TypeNS: 300}, provider.Capabilities{}); m != AssumedPreviousTTL {
		t.Errorf("hidden SOA, nothing documented: %d", m)
	}
	if m, _ := sideMaxTTL(held, map[uint16]uint32{dns.TypeSOA: 300, dns.TypeNS: 7200}, cf); m != 7200 {
		t.Errorf("a served apex NS over the listing: %d", m)
	}
}

// TestTTLExpiredOnlyWhileDelegated: a side's TTLs count only while the
// parent's delegation sent resolvers to it (Trail.delegated): the new
// side's before the first flip do not (a fresh provider zone's defaults a
// push replaced, a day pushed there and capped), the old side's always
// do; after a flip and a rollback, what the new side served while it was
// delegated to (until the rollback plus the parent's NS TTL) counts for
// the next flip, what it served after does not; a flip found in live DNS
// (no "before") counts the new side delegated since the entry before it,
// and a status that saw the parent send resolvers to the new side (someone
// changed it by hand) likewise.
func TestTTLExpiredOnlyWhileDelegated(t *testing.T) {
	withChildNSTTL := func(e Entry, ttl uint32) Entry {
		e.Watch = &WatchResult{ChildNSTTL: ttl}
		return e
	}
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	atp := func(s int) *time.Time { x := at(s); return &x }
	low := TTLs{OldMax: 300, NewMax: 300}
	obs := func(s int, old, nw uint32) Entry {
		return Entry{Time: at(s), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: old, NewMax: nw}}
	}
	push := func(s int, side string, sent, replaced uint32) Entry {
		return Entry{Time: at(s), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{side: {MaxTTL: sent, ReplacedTTL: replaced}}}
	}
	flip := func(s int, cmd string, nsTTL uint32) Entry {
		return Entry{Time: at(s + 30), Command: cmd, Result: ResultDone, ChangedAt: atp(s),
			Before: &registrar.Delegation{NSTTL: nsTTL}, After: &registrar.Delegation{NSTTL: nsTTL}}
	}
	unconfirmed := func(e Entry) Entry {
		e.DelegatedTo = []string{"old", "new"}
		return e
	}
	for _, tc := range []struct {
		name    string
		entries []Entry
		now     int
		since   int // since + prev is when the gate passes
		prev    uint32
		known   bool
	}{
		{"a fresh new zone's defaults replaced before any delegation", []Entry{
			obs(0, 3600, 300),
			push(50, "new", 300, 172800), // Route 53's NS at 172800 s
			push(60, "new", 86400, 3600), // a day pushed there...
			push(70, "new", 300, 86400),  // ...and capped again
			obs(100, 300, 300),
		}, 200, 100, 3600, true},
		{"the old side's day pushed and capped", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			push(5000, "old", 86400, 0),
			push(5300, "old", 300, 86400),
			obs(8000, 300, 300),
		}, 9000, 8000, 86400, true},
		{"only the new side was ever above the cap", []Entry{
			obs(0, 300, 3600),
			push(50, "new", 300, 3600),
			obs(100, 300, 300),
		}, 200, 100, AssumedPreviousTTL, false},
		{"what the new side served while delegated counts for the next flip", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			flip(5000, "flip", 60),
			push(6000, "new", 86400, 0),
			push(6100, "new", 300, 86400),
			obs(6200, 300, 300),
			flip(7000, "rollback", 60),
			push(7500, "new", 86400, 0), // after the rollback: not delegated
			obs(7700, 300, 300),
		}, 8000, 6200, 86400, true},
		{"a TTL replaced after the rollback may have been there while delegated", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			flip(5000, "flip", 60),
			obs(6200, 300, 300),
			flip(7000, "rollback", 60),
			push(7600, "new", 300, 86400), // there since 6200 at the earliest
			obs(7700, 300, 300),
		}, 8000, 7060, 86400, true},
		{"served until the rollback's NS TTL ran out", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			flip(5000, "flip", 60),
			push(6000, "new", 86400, 0),
			flip(7000, "rollback", 60),
			push(7500, "new", 300, 86400),
			obs(7700, 300, 300),
		}, 8000, 7060, 86400, true},
		{"served until the rollback's NS TTL and the new side's own apex NS TTL ran out", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			flip(5000, "flip", 60),
			push(6000, "new", 86400, 0),
			withChildNSTTL(flip(7000, "rollback", 60), 600), // resolvers that took the new side's NS set keep it 600 s more
			push(7500, "new", 300, 86400),
			obs(7700, 300, 300),
		}, 8000, 7660, 86400, true},
		{"a flip found in live DNS", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			push(2000, "new", 86400, 0),
			push(2100, "new", 300, 86400),
			{Time: at(3000), Command: "flip", Result: ResultDone, ChangedAt: atp(3000), After: &registrar.Delegation{NSTTL: 60}},
			obs(3100, 300, 300),
			flip(4000, "rollback", 60),
		}, 5000, 3100, 86400, true},
		{"a status that saw the parent send resolvers to new", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			push(2000, "new", 86400, 0),
			push(2100, "new", 300, 86400),
			{Time: at(2200), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"old", "new"}, ParentNSTTL: 60},
			{Time: at(2300), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"old"}, ParentNSTTL: 60},
		}, 5000, 2200, 86400, true},
		{"a side seen left keeps resolvers that took its own NS set", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			{Time: at(2200), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"old", "new"}, ParentNSTTL: 60},
			{Time: at(2300), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"old"}, ParentNSTTL: 60},
			// Past the parent's NS TTL (2360), within the new side's
			// own NS TTL (at most the 300 s the entry saw): still asked.
			push(2400, "new", 86400, 0),
			push(2450, "new", 300, 86400),
			obs(2500, 300, 300),
		}, 5000, 2500, 86400, true},
		{"a flip not confirmed at every parent server keeps the old side delegated", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			unconfirmed(flip(5000, "flip", 60)), // a parent server still sends resolvers to the old side
			push(6000, "old", 86400, 0),         // while it does, a day is pushed there...
			push(6100, "old", 300, 86400),       // ...and capped again
			obs(6200, 300, 300),
			{Time: at(7000), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"new"}, ParentNSTTL: 60},
			flip(8000, "rollback", 60),
			obs(8100, 300, 300),
		}, 9000, 6200, 86400, true},
		{"an unconfirmed move's NS TTLs count from the entry that saw it done", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			withChildNSTTL(unconfirmed(flip(5000, "flip", 60)), 3000),
			{Time: at(7000), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"new"}, ParentNSTTL: 60},
			push(9000, "old", 86400, 0), // within 7000 + 60 + 3000: resolvers still ask the old side
			push(9100, "old", 300, 86400),
			obs(9200, 300, 300),
		}, 9500, 9200, 86400, true},
		{"a status that saw only the old side", []Entry{
			obs(0, 3600, 300),
			obs(100, 300, 300),
			push(2000, "new", 86400, 0),
			push(2100, "new", 300, 86400),
			{Time: at(2200), Command: "status", Result: ResultObserved, TTL: &low, DelegatedTo: []string{"old"}, ParentNSTTL: 60},
		}, 5000, 100, 3600, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &Trail{Zone: "example.test.", Entries: tc.entries}
			since, prev, known, ok := tr.Lowered(low, 300, at(tc.now))
			if !ok || known != tc.known || prev != tc.prev || !since.Equal(at(tc.since)) {
				t.Errorf("Lowered = since %s, previous %d, known %v, ok %v; want since %s, previous %d, known %v", since, prev, known, ok, at(tc.since), tc.prev, tc.known)
			}
		})
	}
}

// TestServedTTLUnknown: an observation made while parity did not complete
// does not know what the servers served beyond the apex. ttl-prestaged and
// ttl-expired are then unmet (not could-not-run), and such an observation
// never ends a time above the cap: a TTL seen served above it keeps
// counting until an observation that knows.
func TestServedTTLUnknown(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	unknown := TTLs{OldMax: 300, NewMax: 300, ServedUnknown: "parity did not complete"}
	low := TTLs{OldMax: 300, NewMax: 300}
	l := &listing{old: &zone.Zone{Origin: "example.test."}, new: &zone.Zone{Origin: "example.test."}}
	if g := gateTTLPrestaged("example.test.", unknown, 300, l, nil); g.OK || g.Err || !strings.Contains(g.Detail, "not checked: parity did not complete") || len(g.Plan) == 0 {
		t.Errorf("ttl-prestaged with the served TTLs unknown: %+v", g)
	}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{
		{Time: at(0), Command: "status", Result: ResultObserved, TTL: &low},
		{Time: at(100), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 300, OldServed: "mail.example.test. A 3600 s at 192.0.2.53:53"}},
		{Time: at(200), Command: "status", Result: ResultObserved, TTL: &unknown},
	}}
	if g, _ := gateTTLExpired(tr, unknown, 300, at(300)); g.OK || g.Err || !strings.Contains(g.Detail, "not known") {
		t.Errorf("ttl-expired with the served TTLs unknown: %+v", g)
	}
	// The served 3600 s ends with the first observation that knows (at
	// 5000), not with the one at 200.
	tr.Entries = append(tr.Entries, Entry{Time: at(5000), Command: "status", Result: ResultObserved, TTL: &low})
	if g, when := gateTTLExpired(tr, low, 300, at(5100)); g.OK || !when.Equal(at(5000+3600)) {
		t.Errorf("ttl-expired after an unknown observation: %+v, passes at %s, want %s", g, when, at(5000+3600))
	}
}

// TestNSTTLBound: what a step counts for the own NS TTL of the side it
// leaves behind when none of its servers answers (an emergency flip: old;
// an emergency rollback: new): the largest TTL the trail recorded on that
// side (observed, pushed, or read by the watch of a step that moved away
// from it; not the other side's, nor the watch of a step that moved to
// it, which read the other side's; nor an observation that could not
// list it), else a day, assumed.
func TestNSTTLBound(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		side    string
		entries []Entry
		want    uint32
		how     string
	}{
		{"old: empty", "old", nil, AssumedPreviousTTL, "assumed"},
		{"old: new side only", "old", []Entry{
			{Command: "status", TTL: &TTLs{NewMax: 7200, OldErr: "down"}},
			{Command: "push", Pushed: map[string]Pushed{"new": {MaxTTL: 9000}}},
			{Command: "rollback", Watch: &WatchResult{Target: "old", ChildNSTTL: 600}},
		}, AssumedPreviousTTL, "assumed (the audit trail recorded no TTL of the old side"},
		{"old: observed", "old", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
		}, 3600, "status"},
		{"old: pushed", "old", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
			{Command: "push", Pushed: map[string]Pushed{"old": {MaxTTL: 300, ReplacedTTL: 5000}}},
		}, 5000, "push"},
		{"old: flip's watch", "old", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
			{Command: "flip", Watch: &WatchResult{Target: "new", ChildNSTTL: 900}},
		}, 900, "recorded on the old side (flip"},
		{"new: empty", "new", nil, AssumedPreviousTTL, "assumed"},
		{"new: old side only", "new", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 7200, NewErr: "down"}},
			{Command: "push", Pushed: map[string]Pushed{"old": {MaxTTL: 9000}}},
			{Command: "flip", Watch: &WatchResult{Target: "new", ChildNSTTL: 600}},
		}, AssumedPreviousTTL, "assumed (the audit trail recorded no TTL of the new side"},
		{"new: observed", "new", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 3600}},
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
		}, 3600, "status"},
		{"new: pushed", "new", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
			{Command: "push", Pushed: map[string]Pushed{"new": {MaxTTL: 300, ReplacedTTL: 5000}}},
		}, 5000, "push"},
		{"new: rollback's watch", "new", []Entry{
			{Command: "status", TTL: &TTLs{OldMax: 300, NewMax: 300}},
			{Command: "rollback", Watch: &WatchResult{Target: "old", ChildNSTTL: 900}},
		}, 900, "recorded on the new side (rollback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.entries {
				tc.entries[i].Time = t0.Add(time.Duration(i) * time.Minute)
			}
			tr := &Trail{Zone: "example.test.", Entries: tc.entries}
			if got, how := tr.nsTTLBound(tc.side); got != tc.want || !strings.Contains(how, tc.how) {
				t.Errorf("nsTTLBound(%s) = %d (%s), want %d (%s)", tc.side, got, how, tc.want, tc.how)
			}
		})
	}
}

// TestOldDelegationExpiresWithoutWatch: an entry without a watch counts
// the previous side's own NS TTL as the entry recorded it, as the trail's
// spans do (not the parent's NS TTL alone).
func TestOldDelegationExpiresWithoutWatch(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		e    Entry
		want time.Duration
	}{
		{"flip", Entry{Command: "flip", ChangedAt: &at, ParentNSTTL: 600, TTL: &TTLs{OldMax: 3600, NewMax: 300}}, 4200 * time.Second},
		{"rollback", Entry{Command: "rollback", ChangedAt: &at, ParentNSTTL: 600, TTL: &TTLs{OldMax: 3600, NewMax: 300}}, 900 * time.Second},
		{"watched", Entry{Command: "flip", ChangedAt: &at, ParentNSTTL: 600, Watch: &WatchResult{OldDelegationExpires: at.Add(time.Hour)}}, time.Hour},
	} {
		if got := oldDelegationExpires(&tc.e); !got.Equal(at.Add(tc.want)) {
			t.Errorf("%s: %s, want %s", tc.name, got.Format(time.RFC3339), at.Add(tc.want).Format(time.RFC3339))
		}
	}
}

// TestFinishCountsOldNSTTLPushed: finish counted the old side's own NS
// TTL as it was at the flip (capped: 300 s). A push right after it (the
// `ttl --cap` commit reverted during the overlap) gave the old side's
// apex NS 86,400 s while resolvers still held the referral to it: those
// that took that NS set from the old servers keep asking them for a day.
// Such a push holds finish's overlap gate until a day after the old side
// was first seen serving no set naming an old server. One naming only
// the new servers holds nothing: the resolvers that take it ask the new
// side. finish counted such a push too, by a second rule (a push before
// the last referral to the old side expired, whatever it named), and
// waited a day for nothing; the case "push naming new only" failed on
// that code.
func TestFinishCountsOldNSTTLPushed(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: time.Hour}
	c.Old.Delegation = []string{"ns1.old.example."}
	c.New.Delegation = []string{"ns1.new.example."}
	oldSet := &OldApexNS{NS: []string{"ns1.old.example."}, TTL: 300, OldNames: []string{"ns1.old.example."}}
	gone := &OldApexNS{NS: []string{"ns1.new.example."}, TTL: 300}
	// The old delegation's last cached copy expires at 3,900 s (the
	// parent's NS TTL of 3,600 s and the old side's own 300 s); the old
	// side served its own NS set at the flip and was first seen serving
	// the new one at 5 minutes.
	flip := Entry{Time: at.Add(2 * time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &at, ParentNSTTL: 3600,
		Watch: &WatchResult{OldDelegationExpires: at.Add(3900 * time.Second), ChildNSTTL: 300}, OldApexNS: oldSet}
	seenGone := func(after time.Duration) Entry {
		return Entry{Time: at.Add(after), Command: "status", Result: ResultObserved, OldApexNS: gone}
	}
	ns := func(name string, ttl uint32) *zone.RRSet {
		rr, err := dns.NewRR(fmt.Sprintf("example.test. %d IN NS %s", ttl, name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// A push to the old side replacing its apex NS (300 s) with name at
	// 86,400 s, as RecordPush records it; named false: recorded before
	// pushes recorded the names.
	push := func(after time.Duration, name string, named bool) Entry {
		reverted := []plan.Change{{Action: provider.Replace, Type: dns.TypeNS, Name: "example.test.", Old: ns("ns1.old.example.", 300), New: ns(name, 86400)}}
		p := PushedOf("Example.Test", reverted)
		p.ApexNSTTL = apexNSTTL("Example.Test", reverted)
		if named {
			p.ApexNS = apexNSNames("example.test.", reverted)
		}
		return Entry{Time: at.Add(after), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"old": p}}
	}
	if p := push(0, "ns1.new.example.", true).Pushed["old"]; p.ApexNSTTL != 86400 || p.ApexNS != "ns1.new.example." {
		t.Fatalf("the push records apex NS %q at %d s, want ns1.new.example. at 86400 s", p.ApexNS, p.ApexNSTTL)
	}
	now := at.Add(3 * time.Hour)
	day := 86400 * time.Second
	for _, tc := range []struct {
		name  string
		trail []Entry
		until time.Time // when the gate passes
		held  bool      // still refused now, by the pushed NS set's day
	}{
		{"no push", []Entry{flip, seenGone(5 * time.Minute)}, at.Add(3900 * time.Second), false},
		{"push naming new only", []Entry{flip, push(3*time.Minute, "ns1.new.example.", true), seenGone(5 * time.Minute)}, at.Add(3900 * time.Second), false},
		{"push naming old", []Entry{flip, push(3*time.Minute, "ns1.old.example.", true), seenGone(5 * time.Minute)}, at.Add(5*time.Minute + day), true},
		{"push recorded without names", []Entry{flip, push(3*time.Minute, "ns1.new.example.", false), seenGone(5 * time.Minute)}, at.Add(5*time.Minute + day), true},
		// Made while the flip watched its resolvers: recorded before the
		// flip's entry, which is written when the step ends.
		{"push naming old during the flip's watch", []Entry{push(30*time.Second, "ns1.old.example.", true), flip, seenGone(5 * time.Minute)}, at.Add(5*time.Minute + day), true},
		{"push naming old before the change", []Entry{push(-time.Minute, "ns1.old.example.", true), flip, seenGone(5 * time.Minute)}, at.Add(3900 * time.Second), false},
	} {
		tr := &Trail{Zone: "example.test.", Entries: tc.trail}
		g, until := c.gateOverlap(context.Background(), tr, gone, 0, now)
		t.Logf("%s: ok=%v %s", tc.name, g.OK, g.Detail)
		if !until.Equal(tc.until) {
			t.Errorf("%s: passes at %s, want %s: %s", tc.name, until.Format(time.RFC3339), tc.until.Format(time.RFC3339), g.Detail)
		}
		switch {
		case !tc.held && !g.OK:
			t.Errorf("%s: refused 3 hours after the flip: %s", tc.name, g.Detail)
		case tc.held && (g.OK || !strings.Contains(g.Detail, "with a TTL of 86400 s")):
			t.Errorf("%s: ok=%v, want refused, naming the pushed set's TTL of 86400 s: %s", tc.name, g.OK, g.Detail)
		case tc.held:
			if g, _ := c.gateOverlap(context.Background(), tr, gone, 0, tc.until); !g.OK {
				t.Errorf("%s: refused once the pushed set's TTL has passed, at %s: %s", tc.name, tc.until.Format(time.RFC3339), g.Detail)
			}
		}
	}
}

// TestOverlapOldNSDeadlineRoundedUp: the wait for the old side's own NS
// set is a deadline: its "expired, at" and the plan's "until" are rounded
// up to the second (internal/deadline), never cut to it. Counted from a
// step's own observation (now, with a fraction of a second), they read a
// second early on the code before.
func TestOverlapOldNSDeadlineRoundedUp(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0.Add(2*time.Hour + 400*time.Millisecond)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: time.Hour}
	c.Old.Delegation = []string{"ns1.old.example.test."}
	c.New.Delegation = []string{"ns1.new.example.test."}
	oldSet := &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300, OldNames: []string{"ns1.old.example.test."}}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{{Time: t0, Command: "flip", Result: ResultDone, OldApexNS: oldSet, TTL: &TTLs{OldMax: 300, NewMax: 300}}}}
	g, at := c.gateOverlap(context.Background(), tr, oldSet, 0, now)
	want := "2026-01-01T02:05:01Z" // now + 300 s, rounded up
	if g.OK || !at.Equal(now.Add(300*time.Second)) {
		t.Fatalf("ok=%v until %s: %s", g.OK, at, g.Detail)
	}
	if !strings.Contains(g.Detail, "until it has expired, at "+want) || strings.Contains(g.Detail, "02:05:00Z") {
		t.Errorf("detail, want the expiry rounded up to %s: %s", want, g.Detail)
	}
	if !strings.Contains(strings.Join(g.Plan, "\n"), "identical until "+want) {
		t.Errorf("plan, want \"until %s\": %q", want, g.Plan)
	}
}

// TestPushRecordsApexNS: a push records the TTL and the names of the
// apex NS RRset it created or replaced, from the same changes
// (setsApexNS): not a delegation below the apex, not a deleted set, not
// another type at the apex, whatever the zone name's spelling.
func TestPushRecordsApexNS(t *testing.T) {
	set := func(rrs ...string) *zone.RRSet {
		var out []dns.RR
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rr)
		}
		s, err := zone.NewRRSet(out)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	apex := plan.Change{Action: provider.Replace, Type: dns.TypeNS, Name: "EXAMPLE.test.", Old: set("example.test. 300 IN NS ns1.old.example."),
		New: set("example.test. 3600 IN NS NS2.new.example.", "example.test. 3600 IN NS ns1.new.example.")}
	below := plan.Change{Action: provider.Create, Type: dns.TypeNS, Name: "sub.example.test.", New: set("sub.example.test. 86400 IN NS ns9.example.")}
	deleted := plan.Change{Action: provider.Delete, Type: dns.TypeNS, Name: "example.test.", Old: set("example.test. 172800 IN NS ns8.example.")}
	other := plan.Change{Action: provider.Replace, Type: dns.TypeA, Name: "example.test.", New: set("example.test. 7200 IN A 192.0.2.1")}
	for _, tc := range []struct {
		name  string
		cs    []plan.Change
		ttl   uint32
		names string
	}{
		{"the apex NS among others", []plan.Change{below, apex, deleted, other}, 3600, "ns1.new.example. ns2.new.example."},
		{"no apex NS created or replaced", []plan.Change{below, deleted, other}, 0, ""},
	} {
		for _, z := range []string{"example.test.", "Example.Test"} {
			if ttl, names := apexNSTTL(z, tc.cs), apexNSNames(z, tc.cs); ttl != tc.ttl || names != tc.names {
				t.Errorf("%s (zone %s): apex NS %q at %d s, want %q at %d s", tc.name, z, names, ttl, tc.names, tc.ttl)
			}
		}
	}
}
