package cutover

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestMovedNSTTL: the overlap gate (oldDelegationExpires), ttl-expired
// (delegated), status's propagation and a re-run confirming a pending
// move (pendingExpires) count one figure for the parent's NS TTL of a
// move: the larger of the one recorded before it and the one its watch
// counted (which is the larger of that and what the parent's servers
// served before the change), else the largest the entry knows. A flip
// whose registrar gave no TTL before (Before.NSTTL 0) ended the old side's
// delegation at the change plus the old side's own NS TTL alone in
// ttl-expired, while the overlap gate counted the parent's hour; status
// called the move settled after the old side's NS TTL alone. A flip whose
// registrar gave a shorter TTL than a parent server served counted the
// registrar's where the watch counted the server's. What the caller saw
// of the parent since counts when nothing was recorded.
func TestMovedNSTTL(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		before, after *registrar.Delegation
		parent        uint32
		watched       uint32 // the watch's NS TTL (0: no watch)
		want          uint32
	}{
		{"recorded before", &registrar.Delegation{NSTTL: 600}, &registrar.Delegation{NSTTL: 7200}, 3600, 0, 600},
		{"recorded before, the watch counted the same", &registrar.Delegation{NSTTL: 600}, &registrar.Delegation{NSTTL: 7200}, 3600, 600, 600},
		{"recorded before, a parent server served more before the change (the watch's)", &registrar.Delegation{NSTTL: 300}, &registrar.Delegation{NSTTL: 300}, 300, 3600, 3600},
		{"not recorded before: the parent's", &registrar.Delegation{}, nil, 3600, 0, 3600},
		{"not recorded before: the watch's, larger", &registrar.Delegation{}, nil, 3600, 7200, 7200},
		{"not recorded before: what it served after, larger", &registrar.Delegation{}, &registrar.Delegation{NSTTL: 7200}, 3600, 0, 7200},
		{"found in live DNS", nil, &registrar.Delegation{NSTTL: 86400}, 3600, 0, 86400},
		{"found in live DNS, the delegation before recorded by an earlier run (the watch counted what the parent served when found)", &registrar.Delegation{NSTTL: 600}, &registrar.Delegation{NSTTL: 86400}, 86400, 86400, 86400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := t0
			e := Entry{Time: t0.Add(time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &changed,
				Before: tc.before, After: tc.after, ParentNSTTL: tc.parent, TTL: &TTLs{OldMax: 300, NewMax: 300}}
			if tc.watched > 0 {
				// No time of its own: oldDelegationExpires counts the
				// rule, and the old side's NS TTL is the entry's.
				e.Watch = &WatchResult{NSTTL: tc.watched}
			}
			if got := movedNSTTL(&e); got != tc.want {
				t.Errorf("movedNSTTL = %d, want %d", got, tc.want)
			}
			seen := max(tc.want, 43200)
			if tc.before != nil && tc.before.NSTTL > 0 {
				seen = tc.want // recorded: what is seen later does not count
			}
			if got := movedNSTTL(&e, 43200); got != seen {
				t.Errorf("movedNSTTL(seen 43200) = %d, want %d", got, seen)
			}
			left := time.Duration(tc.want+300) * time.Second
			if got := oldDelegationExpires(&e); tc.before != nil && !got.Equal(t0.Add(left)) {
				t.Errorf("oldDelegationExpires = %v, want %v", got, t0.Add(left))
			}
			confirmed := t0.Add(time.Hour)
			if got, want := pendingExpires(&e, confirmed, 60), confirmed.Add(left); !got.Equal(want) {
				t.Errorf("pendingExpires = %v, want %v (the move's figure)", got, want)
			}
			if got, want := pendingExpires(&e, confirmed, 90000), confirmed.Add(time.Duration(90000+300)*time.Second); !got.Equal(want) {
				t.Errorf("pendingExpires(seen 90000) = %v, want %v (what the re-run read, larger)", got, want)
			}
			if tc.before == nil {
				return // found in live DNS: the span starts at the entry before
			}
			tr := &Trail{Entries: []Entry{{Time: t0.Add(-time.Hour), Command: "status", Result: ResultObserved}, e}}
			spans := tr.delegated()["old"]
			if len(spans) != 1 || !spans[0].to.Equal(t0.Add(left)) {
				t.Errorf("old side delegated %+v, want until %v (the change + %s)", spans, t0.Add(left), left)
			}
		})
	}
}

// TestMergeOldNS: the trail records both answers of finish's two asks:
// every name and old name, and the TTL of the one that named an old
// server (the other's, larger, would hold finish longer than any cache).
func TestMergeOldNS(t *testing.T) {
	newSet := &OldApexNS{NS: []string{"ns1.new.example."}, TTL: 86400}
	oldSet := &OldApexNS{NS: []string{"ns1.old.example."}, TTL: 300, OldNames: []string{"ns1.old.example."}}
	for _, tc := range []struct {
		name string
		a, b *OldApexNS
		want OldApexNS
	}{
		{"new, then old", newSet, oldSet, OldApexNS{NS: []string{"ns1.new.example.", "ns1.old.example."}, TTL: 300, OldNames: []string{"ns1.old.example."}}},
		{"old, then new", oldSet, newSet, OldApexNS{NS: []string{"ns1.new.example.", "ns1.old.example."}, TTL: 300, OldNames: []string{"ns1.old.example."}}},
		{"neither old: the larger TTL", newSet, &OldApexNS{NS: []string{"ns1.new.example."}, TTL: 60}, OldApexNS{NS: []string{"ns1.new.example."}, TTL: 86400}},
		{"one asked", nil, oldSet, *oldSet},
	} {
		got := mergeOldNS(tc.a, tc.b)
		if got == nil || !slices.Equal(got.NS, tc.want.NS) || got.TTL != tc.want.TTL || !slices.Equal(got.OldNames, tc.want.OldNames) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestDelegatedUntilWatch: ttl-expired counts the old side delegated until
// the time the overlap gate counts (oldDelegationExpires): the flip's
// watch's, when it recorded one (it counts from when every parent server
// served the change), not the change plus the TTLs alone, which ended the
// span earlier than the overlap gate did.
func TestDelegatedUntilWatch(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	watched := t0.Add(2 * time.Hour)
	e := Entry{Time: t0.Add(time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &t0,
		Before: &registrar.Delegation{NSTTL: 3600}, TTL: &TTLs{OldMax: 300, NewMax: 300},
		Watch: &WatchResult{OldDelegationExpires: watched}}
	tr := &Trail{Entries: []Entry{{Time: t0.Add(-time.Hour), Command: "status", Result: ResultObserved}, e}}
	if spans := tr.delegated()["old"]; len(spans) != 1 || !spans[0].to.Equal(watched) {
		t.Errorf("old side delegated %+v, want until the watch's %v", spans, watched)
	}
}

// TestMovedNSTTLUnconfirmed: after a flip not confirmed at every parent
// server, whose registrar gave the NS TTL before as 300 s while a parent
// server served the old delegation for an hour (the watch counted 3,600
// s), ttl-expired (delegated) and the overlap gate (oldDelegationExpires,
// seenAfter) end the old delegation at one time: the entry that saw
// every server moved + the hour + the old side's own NS TTL. Before,
// ttl-expired ended it 300 s after that entry (+ the old side's NS TTL)
// while the overlap gate counted the watch's hour from the change.
func TestMovedNSTTLUnconfirmed(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	confirmEnd := t0.Add(5 * time.Minute)
	flip := Entry{Time: confirmEnd, Command: "flip", Result: ResultDone, ChangedAt: &t0,
		Before: &registrar.Delegation{NSTTL: 300}, After: &registrar.Delegation{NSTTL: 300}, ParentNSTTL: 300,
		DelegatedTo: []string{"old", "new"}, TTL: &TTLs{OldMax: 300, NewMax: 300},
		Watch: &WatchResult{NSTTL: 3600, ChildNSTTL: 300, OldDelegationExpires: confirmEnd.Add(3900 * time.Second)}}
	moved := t0.Add(10 * time.Minute)
	tr := &Trail{Entries: []Entry{
		{Time: t0.Add(-time.Hour), Command: "status", Result: ResultObserved, DelegatedTo: []string{"old"}, ParentNSTTL: 3600, TTL: &TTLs{OldMax: 300, NewMax: 300}},
		flip,
		{Time: moved, Command: "status", Result: ResultObserved, DelegatedTo: []string{"new"}, ParentNSTTL: 300, TTL: &TTLs{OldMax: 300, NewMax: 300}},
	}}
	e := &tr.Entries[1]
	want := moved.Add(3900 * time.Second)

	overlap := oldDelegationExpires(e)
	if _, exp := tr.seenAfter(e, "old", moved.Add(time.Minute)); exp.After(overlap) {
		overlap = exp
	}
	spans := tr.delegated()["old"]
	if len(spans) != 1 {
		t.Fatalf("old side delegated %+v, want one span", spans)
	}
	if !spans[0].to.Equal(want) || !overlap.Equal(want) {
		t.Errorf("the old delegation ends at %v in ttl-expired and at %v in the overlap gate, want both at %v (the entry that saw every parent server moved + the parent's 3,600 s + the old side's 300 s)", spans[0].to, overlap, want)
	}
}

// TestRecordFoundNSTTL: a flip found made in live DNS, whose delegation
// before was recorded by the run that made it with a day's NS TTL while
// the parent now serves an hour, is watched, and so recorded, with the
// day, as a flip of its own counts the larger of the TTL before and the
// one served: resolvers that took the old delegation just before the
// change keep it a day. The watch counted the hour the parent serves
// now, and finish and ttl-expired, which count the watch's time, ended
// the old delegation 23 hours early.
func TestRecordFoundNSTTL(t *testing.T) {
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, TrailPath: filepath.Join(t.TempDir(), "example.test.json"), apexSeen: newApexNSSeen()}
	c.defaults()
	c.Old = Side{Name: "old", Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		before *registrar.Delegation
		want   uint32
	}{
		{"recorded before, larger", &registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 86400}, 86400},
		{"recorded before, smaller", &registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 600}, 3600},
		{"not recorded", nil, 3600},
	} {
		rep := newReport(c, "flip")
		rep.Delegation = DelegationView{NS: []string{"ns1.new.example.test."}, NSTTL: 3600, PointsTo: "new"}
		c.recordFound(context.Background(), tr, rep, "new", tc.before)
		w := rep.Watch
		if w == nil || w.NSTTL != tc.want || !w.OldDelegationExpires.Equal(w.Start.Add(time.Duration(tc.want+w.ChildNSTTL)*time.Second)) {
			t.Errorf("%s: watch %+v, want the parent's NS TTL %d s counted", tc.name, w, tc.want)
		}
	}
}

// When finish may run is one count (finishWhen): finish's overlap gate
// passes at it, status's next finish and the flip's own next finish name
// it, for every trail. Before, each computed it its own way (the gate
// from moveHeld with policy.overlap, finish then settles on top; status
// the gate's time and settled_at while it waited; the flip the overlap,
// its watch and settles), and the gate alone did not count status's NS
// TTLs (the rows "NS TTL unrecorded" and "the old side's NS TTL above
// the overlap": its time read before the one finish and status gave).
func TestFinishStatusMoveAgree(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ttl := func(v uint32) *TTLs { return &TTLs{OldMax: v, NewMax: v} }
	clean := &OldApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300}
	named := &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 7200, OldNames: []string{"ns1.old.example.test."}}
	changed := at(1000)
	flip := func(f func(*Entry)) Entry {
		e := Entry{Time: at(1010), Command: "flip", Result: ResultDone, ChangedAt: &changed, TTL: ttl(300), OldApexNS: clean, DelegatedTo: []string{"new"}, ParentNSTTL: 300}
		if f != nil {
			f(&e)
		}
		return e
	}
	status := func(s int, f func(*Entry)) Entry {
		e := Entry{Time: at(s), Command: "status", Result: ResultObserved, DelegatedTo: []string{"new"}, ParentNSTTL: 300}
		if f != nil {
			f(&e)
		}
		return e
	}
	for _, tc := range []struct {
		name    string
		entries []Entry
		cur     *OldApexNS
		now     int
		overlap time.Duration
		// want is when finish may run, seconds after t0, counted by
		// hand from the row's trail: the change at 1000, the parent's
		// NS TTL 300 s, the old side's 300 s unless the row says
		// otherwise; a policy.overlap of an hour ends at 4600
		want int
	}{
		{"the overlap alone", []Entry{flip(nil)}, clean, 2000, time.Hour, 4600},
		// the old side's NS TTL unrecorded: bounded by the one common
		// resolvers keep by default (AssumedPreviousTTL, a day): 1000 +
		// 300 + 86400 (ns-ttl)
		{"NS TTL unrecorded", []Entry{flip(func(e *Entry) { e.TTL = nil })}, clean, 2000, time.Hour, 87700},
		{"the old side's NS TTL above the overlap", []Entry{flip(func(e *Entry) { e.TTL = ttl(86400) })}, clean, 2000, time.Hour, 87700},
		{"the watch's old delegation later", []Entry{flip(func(e *Entry) { e.Watch = &WatchResult{OldDelegationExpires: at(90000)} })}, clean, 2000, time.Hour, 90000},
		// still named now (9000): its TTL from now (old-apex-ns)
		{"the old side names itself", []Entry{flip(nil), status(1500, func(e *Entry) { e.OldApexNS = named })}, named, 9000, time.Hour, 9000 + 7200},
		// named until the reading at 3000 saw none
		{"the old side named itself, then not", []Entry{flip(nil), status(1500, func(e *Entry) { e.OldApexNS = named }), status(3000, func(e *Entry) { e.OldApexNS = clean })}, clean, 9000, time.Hour, 3000 + 7200},
		// the push's TTL from the first reading after it that saw none:
		// this run's, at 9000
		{"a push naming the old side", []Entry{flip(nil), {Time: at(1200), Command: "push", Pushed: map[string]Pushed{"old": {ApexNS: "ns1.old.example.test.", ApexNSTTL: 86400}}}}, clean, 9000, time.Hour, 9000 + 86400},
		// served until the change (the next reading): + 172800 + 300
		// (referral-before)
		{"a referral before the flip", []Entry{status(500, func(e *Entry) { e.DelegatedTo, e.ParentNSTTL = []string{"old"}, 172800 }), flip(nil)}, clean, 2000, time.Hour, 1000 + 172800 + 300},
		// every parent server first seen on the new side at 5000: + 300
		// + 300 (referral-after)
		{"a parent server lagging after it", []Entry{flip(func(e *Entry) { e.DelegatedTo = []string{"old", "new"} }), status(5000, nil)}, clean, 9000, time.Hour, 5000 + 300 + 300},
		{"all passed", []Entry{flip(nil)}, clean, 999999, time.Hour, 4600},
		{"a week's overlap", []Entry{flip(nil)}, clean, 2000, 168 * time.Hour, 1000 + 168*3600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := at(tc.now)
			// each reader on a config of its own: nothing counted once
			// by one is read by another
			mk := func(tr *Trail) *Config {
				c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: tc.overlap, Now: func() time.Time { return now }}
				c.Old.Name, c.New.Name = "old", "new"
				c.Old.Delegation, c.New.Delegation = []string{"ns1.old.example.test."}, []string{"ns1.new.example.test."}
				c.startStep(tr)
				c.oldNS = tc.cur
				return c
			}
			ctx := context.Background()
			tr := &Trail{Zone: "example.test.", Entries: tc.entries}
			const parentNow = 300

			g, finishAt := mk(tr).gateOverlap(ctx, tr, tc.cur, parentNow, now)

			c := mk(tr)
			rep := &Report{Command: "status", Stage: StageFlipped, Delegation: DelegationView{NSTTL: parentNow}}
			rep.Propagation = propagation(ctx, c, tr, rep, now)
			c.statusNext(ctx, tr, rep, time.Time{}, now)
			statusAt := nextOf(rep.Next, "finish")

			c = mk(tr)
			_, e := tr.Stage()
			mv := &Report{Command: "flip", Delegation: DelegationView{NSTTL: parentNow}, Watch: &WatchResult{OldDelegationExpires: oldDelegationExpires(e)}}
			moveAt := nextOf(c.moveNext(ctx, tr, mv, flipTime(e)), "finish")

			t.Logf("finish %s (ok %v), status %s, flip %s; settled_at %s", finishAt, g.OK, statusAt, moveAt, rep.Propagation.SettledAt)
			if want := at(tc.want); !finishAt.Equal(want) || !statusAt.Equal(want) || !moveAt.Equal(want) {
				t.Errorf("finish may run at %s (its overlap gate), status says %s, the flip %s; want all at %s: %s", finishAt, statusAt, moveAt, want, g.Detail)
			}
			if g.OK != !now.Before(finishAt) {
				t.Errorf("gate ok %v at %s, finish at %s", g.OK, now, finishAt)
			}
			if finishAt.Before(rep.Propagation.SettledAt) {
				t.Errorf("finish at %s before status's settled_at %s", finishAt, rep.Propagation.SettledAt)
			}
		})
	}
}

// nextOf is the earliest of next's step named step (zero: none).
func nextOf(next []Next, step string) time.Time {
	for _, n := range next {
		if n.Step == step {
			return n.Earliest
		}
	}
	return time.Time{}
}

// Status counts settles once a step for each time it reads it at: its
// DNSSEC check (leftBogusUnderDS) reads it at the run's start, its
// propagation after parity at a later clock. Before, the step's one
// count ignored the time, so a figure ending between the two gave
// propagation settled with waits_for still naming it (documented as []
// when none) and a settled_at counted at the earlier time.
func TestSettlesCountedAtItsTime(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	clean := &OldApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300}
	changed := at(1000)
	// the old delegation and the NS TTLs end at 1,600 (the change, the
	// parent's 300 s and the old side's 300 s)
	flip := Entry{Time: at(1010), Command: "flip", Result: ResultDone, ChangedAt: &changed, TTL: &TTLs{OldMax: 300, NewMax: 300}, OldApexNS: clean, DelegatedTo: []string{"new"}, ParentNSTTL: 300}
	named := &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 7200, OldNames: []string{"ns1.old.example.test."}}
	for _, tc := range []struct {
		name          string
		first, second int // the times settles is read at
		cur           *OldApexNS
		settled       bool
		settledAt     int
		waits         []string
	}{
		{"both before the end", 1500, 1550, clean, false, 1600, []string{WaitDelegationTTL, WaitNSTTL}},
		{"the end between them", 1500, 1700, clean, true, 1600, []string{}},
		{"both after the end", 1700, 1800, clean, true, 1600, []string{}},
		// still seen: its TTL (7,200 s) from the second reading
		{"the old side names itself", 1700, 1800, named, false, 9000, []string{WaitOldApexNS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &Trail{Zone: "example.test.", Entries: []Entry{flip}}
			now := at(tc.first)
			c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Overlap: 10 * time.Second, Now: func() time.Time { return now }}
			c.Old.Name, c.New.Name = "old", "new"
			c.Old.Delegation, c.New.Delegation = []string{"ns1.old.example.test."}, []string{"ns1.new.example.test."}
			c.startStep(tr)
			c.oldNS = tc.cur
			ctx := context.Background()
			rep := &Report{Command: "status", Stage: StageFlipped, Delegation: DelegationView{NSTTL: 300}}
			_, e := tr.Stage()
			c.settles(ctx, tr, e, &c.New, &c.Old, c.oldNS, rep.Delegation.NSTTL, now)
			now = at(tc.second)
			p := propagation(ctx, c, tr, rep, now)
			if p.Settled != tc.settled || !slices.Equal(p.WaitsFor, tc.waits) || !p.SettledAt.Equal(at(tc.settledAt)) {
				t.Errorf("read at %s after %s: settled %v at %s, waits for %q; want settled %v at %s, waits for %q", now, at(tc.first), p.Settled, p.SettledAt, p.WaitsFor, tc.settled, at(tc.settledAt), tc.waits)
			}
		})
	}
}
