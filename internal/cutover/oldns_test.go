package cutover

import (
	"cmp"
	"testing"
	"time"
)

// What finish waits out of the old side's own NS sets: a push naming
// only new servers is not one; a push recorded before the names were
// (apex_ns_ttl alone) may be; a flip recorded before old_apex_ns was
// counts as having seen the old side name itself, with its NS TTL.
func TestOldNSNamesOld(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	names := map[string]map[string]bool{"old": {"ns1.old.example.test.": true}, "new": {"ns1.new.example.test.": true}}
	oldSet := &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300, OldNames: []string{"ns1.old.example.test."}}
	gone := &OldApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300}
	unread := &OldApexNS{NS: []string{}, NotAnswered: []string{"192.0.2.53:53"}}
	flip := Entry{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: oldSet}
	// After a rollback the new side's apex NS is read the one way the
	// old side's is after a flip: from the trail's new_apex_ns (the
	// rollback's own, then each status run's), never from old_apex_ns.
	ownNew := &NewApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300, NewNames: []string{"ns1.new.example.test."}}
	goneNew := &NewApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300}
	unreadNew := &NewApexNS{NS: []string{}, NotAnswered: []string{"192.0.2.53:53"}}
	rb := Entry{Time: at(0), Command: "rollback", Result: ResultDone, NewApexNS: ownNew}
	cases := []struct {
		name    string
		entries []Entry
		cur     *OldApexNS
		now     int
		want    int    // expiry, seconds after t0; -1: none
		ttl     int    // the TTL that expiry counts
		side    string // the side the move left ("": old)
	}{
		{"seen gone later", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300, ""},
		{"gone first seen now", []Entry{flip}, gone, 1000, 1000 + 300, 300, ""},
		{"still named", []Entry{flip}, oldSet, 1000, 1000 + 300, 300, ""},
		{"push naming new only", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 86400, ApexNS: "ns1.new.example.test."}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300, ""},
		{"push naming old", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 86400, ApexNS: "ns1.old.example.test."}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 86400, 86400, ""},
		{"push without names", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 7200}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 7200, 7200, ""},
		{"legacy flip", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, TTL: &TTLs{OldMax: 600}}}, gone, 1000, 1000 + 600, 600, ""},
		{"dry run ignored", []Entry{flip, {Time: at(100), Command: "finish", DryRun: true, OldApexNS: gone}}, gone, 1000, 1000 + 300, 300, ""},
		{"flip alone, old set already gone", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: gone}}, gone, 1000, -1, 0, ""},
		{"named again after gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: gone}, {Time: at(200), Command: "status", OldApexNS: oldSet}, {Time: at(300), Command: "status", OldApexNS: gone}}, gone, 1000, 300 + 300, 300, ""},
		// a server that did not answer holds the run open until such
		// readings have lasted the set's TTL (then gone for good from
		// the first of them)
		{"unread less than its TTL, then gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(200), Command: "status", OldApexNS: gone}}, gone, 1000, 200 + 300, 300, ""},
		{"unread for its TTL, then gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(500), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300, ""},
		{"unread since, for its TTL", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}}, unread, 1000, 100 + 300, 300, ""},
		{"unread since, less than its TTL", []Entry{flip, {Time: at(900), Command: "status", OldApexNS: unread}}, unread, 1000, 900 + 300, 300, ""},
		{"unread since, less than its TTL, now read", []Entry{flip, {Time: at(900), Command: "status", OldApexNS: unread}}, oldSet, 1000, 1000 + 300, 300, ""},
		{"unread now only", []Entry{flip}, unread, 1000, 1000 + 300, 300, ""},
		{"unread for its TTL, then named again", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(500), Command: "status", OldApexNS: oldSet}}, gone, 1000, 1000 + 300, 300, ""},
		{"unread opens no run", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: gone}, {Time: at(100), Command: "status", OldApexNS: unread}}, unread, 1000, -1, 0, ""},
		{"new: seen gone later", []Entry{rb, {Time: at(100), Command: "status", NewApexNS: goneNew}}, goneNew.reading(), 1000, 100 + 300, 300, "new"},
		{"new: gone first seen now", []Entry{rb}, goneNew.reading(), 1000, 1000 + 300, 300, "new"},
		{"new: old_apex_ns is not the new side's", []Entry{rb, {Time: at(100), Command: "status", OldApexNS: gone}}, goneNew.reading(), 1000, 1000 + 300, 300, "new"},
		{"new: unread since, for its TTL", []Entry{rb, {Time: at(100), Command: "status", NewApexNS: unreadNew}}, unreadNew.reading(), 1000, 100 + 300, 300, "new"},
		{"new: unread since, less than its TTL", []Entry{rb, {Time: at(900), Command: "status", NewApexNS: unreadNew}}, unreadNew.reading(), 1000, 900 + 300, 300, "new"},
		{"new: unread now only", []Entry{rb}, unreadNew.reading(), 1000, 1000 + 300, 300, "new"},
		{"new: legacy rollback (no new_apex_ns), its recorded NS TTL", []Entry{{Time: at(0), Command: "rollback", Result: ResultDone, TTL: &TTLs{NewMax: 600}}}, goneNew.reading(), 1000, 1000 + 600, 600, "new"},
		{"new: the rollback saw none", []Entry{{Time: at(0), Command: "rollback", Result: ResultDone, NewApexNS: goneNew}}, goneNew.reading(), 1000, -1, 0, "new"},
	}
	for _, tc := range cases {
		tr := &Trail{Zone: "example.test.", Entries: tc.entries}
		side := cmp.Or(tc.side, "old")
		last, exp, ttl := tr.apexNSNamesOwn(&tr.Entries[0], side, tc.cur, names[side], at(tc.now))
		if tc.want < 0 {
			if !exp.IsZero() || !last.IsZero() || ttl != 0 {
				t.Errorf("%s: expires %s (last seen %s, ttl %d), want nothing to wait for", tc.name, exp, last, ttl)
			}
			continue
		}
		if want := at(tc.want); !exp.Equal(want) || int(ttl) != tc.ttl || last.IsZero() {
			t.Errorf("%s: expires %s with ttl %d (last seen %s), want %s with ttl %d", tc.name, exp, ttl, last, want, tc.ttl)
		}
	}
}
