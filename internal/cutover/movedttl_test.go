package cutover

import (
	"slices"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestMovedNSTTL: the overlap gate (oldDelegationExpires) and ttl-expired
// (delegated) count one figure for the parent's NS TTL of a move: the one
// recorded before it, else the largest the entry knows. A flip whose
// registrar gave no TTL before (Before.NSTTL 0) ended the old side's
// delegation at the change plus the old side's own NS TTL alone in
// ttl-expired, while the overlap gate counted the parent's hour; status
// called the move settled after the old side's NS TTL alone. What the
// caller saw of the parent since counts when nothing was recorded.
func TestMovedNSTTL(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		before, after *registrar.Delegation
		parent        uint32
		want          uint32
	}{
		{"recorded before", &registrar.Delegation{NSTTL: 600}, &registrar.Delegation{NSTTL: 7200}, 3600, 600},
		{"not recorded before: the parent's", &registrar.Delegation{}, nil, 3600, 3600},
		{"not recorded before: what it served after, larger", &registrar.Delegation{}, &registrar.Delegation{NSTTL: 7200}, 3600, 7200},
		{"found in live DNS", nil, &registrar.Delegation{NSTTL: 86400}, 3600, 86400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := t0
			e := Entry{Time: t0.Add(time.Minute), Command: "flip", Result: ResultDone, ChangedAt: &changed,
				Before: tc.before, After: tc.after, ParentNSTTL: tc.parent, TTL: &TTLs{OldMax: 300, NewMax: 300}}
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
