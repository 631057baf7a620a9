package cutover

import (
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
	names := map[string]bool{"ns1.old.example.test.": true}
	oldSet := &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300, OldNames: []string{"ns1.old.example.test."}}
	gone := &OldApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300}
	unread := &OldApexNS{NS: []string{}, NotAnswered: []string{"192.0.2.53:53"}}
	flip := Entry{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: oldSet}
	cases := []struct {
		name    string
		entries []Entry
		cur     *OldApexNS
		now     int
		want    int // expiry, seconds after t0; -1: none
		ttl     int // the TTL that expiry counts
	}{
		{"seen gone later", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300},
		{"gone first seen now", []Entry{flip}, gone, 1000, 1000 + 300, 300},
		{"still named", []Entry{flip}, oldSet, 1000, 1000 + 300, 300},
		{"push naming new only", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 86400, ApexNS: "ns1.new.example.test."}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300},
		{"push naming old", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 86400, ApexNS: "ns1.old.example.test."}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 86400, 86400},
		{"push without names", []Entry{flip, {Time: at(50), Command: "push", Pushed: map[string]Pushed{"old": {ApexNSTTL: 7200}}}, {Time: at(100), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 7200, 7200},
		{"legacy flip", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, TTL: &TTLs{OldMax: 600}}}, gone, 1000, 1000 + 600, 600},
		{"dry run ignored", []Entry{flip, {Time: at(100), Command: "finish", DryRun: true, OldApexNS: gone}}, gone, 1000, 1000 + 300, 300},
		{"flip alone, old set already gone", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: gone}}, gone, 1000, -1, 0},
		{"named again after gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: gone}, {Time: at(200), Command: "status", OldApexNS: oldSet}, {Time: at(300), Command: "status", OldApexNS: gone}}, gone, 1000, 300 + 300, 300},
		// a server that did not answer holds the run open until such
		// readings have lasted the set's TTL (then gone for good from
		// the first of them)
		{"unread less than its TTL, then gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(200), Command: "status", OldApexNS: gone}}, gone, 1000, 200 + 300, 300},
		{"unread for its TTL, then gone", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(500), Command: "status", OldApexNS: gone}}, gone, 1000, 100 + 300, 300},
		{"unread since, for its TTL", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}}, unread, 1000, 100 + 300, 300},
		{"unread since, less than its TTL", []Entry{flip, {Time: at(900), Command: "status", OldApexNS: unread}}, unread, 1000, 1000 + 300, 300},
		{"unread now only", []Entry{flip}, unread, 1000, 1000 + 300, 300},
		{"unread for its TTL, then named again", []Entry{flip, {Time: at(100), Command: "status", OldApexNS: unread}, {Time: at(500), Command: "status", OldApexNS: oldSet}}, gone, 1000, 1000 + 300, 300},
		{"unread opens no run", []Entry{{Time: at(0), Command: "flip", Result: ResultDone, OldApexNS: gone}, {Time: at(100), Command: "status", OldApexNS: unread}}, unread, 1000, -1, 0},
	}
	for _, tc := range cases {
		tr := &Trail{Zone: "example.test.", Entries: tc.entries}
		last, exp, ttl := tr.apexNSNamesOwn(&tr.Entries[0], "old", tc.cur, names, at(tc.now))
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

// After a rollback the new side's apex NS is read the one way the old
// side's is after a flip: from the trail's new_apex_ns (the rollback's
// own, then each status run's), never from old_apex_ns.
func TestNewNSNamesNew(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	names := map[string]bool{"ns1.new.example.test.": true}
	own := &NewApexNS{NS: []string{"ns1.new.example.test."}, TTL: 300, NewNames: []string{"ns1.new.example.test."}}
	gone := &NewApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300}
	unread := &NewApexNS{NS: []string{}, NotAnswered: []string{"192.0.2.53:53"}}
	rb := Entry{Time: at(0), Command: "rollback", Result: ResultDone, NewApexNS: own}
	for _, tc := range []struct {
		name    string
		entries []Entry
		cur     *NewApexNS
		want    int // expiry, seconds after t0; -1: none
	}{
		{"seen gone later", []Entry{rb, {Time: at(100), Command: "status", NewApexNS: gone}}, gone, 100 + 300},
		{"gone first seen now", []Entry{rb}, gone, 1000 + 300},
		{"old_apex_ns is not the new side's", []Entry{rb, {Time: at(100), Command: "status", OldApexNS: &OldApexNS{NS: []string{"ns1.old.example.test."}, TTL: 300}}}, gone, 1000 + 300},
		{"unread since, for its TTL", []Entry{rb, {Time: at(100), Command: "status", NewApexNS: unread}}, unread, 100 + 300},
		{"unread now only", []Entry{rb}, unread, 1000 + 300},
		{"legacy rollback (no new_apex_ns): its recorded NS TTL", []Entry{{Time: at(0), Command: "rollback", Result: ResultDone, TTL: &TTLs{NewMax: 600}}}, gone, 1000 + 600},
		{"rollback saw none", []Entry{{Time: at(0), Command: "rollback", Result: ResultDone, NewApexNS: gone}}, gone, -1},
	} {
		tr := &Trail{Zone: "example.test.", Entries: tc.entries}
		_, exp, _ := tr.apexNSNamesOwn(&tr.Entries[0], "new", tc.cur.reading(), names, at(1000))
		if want := at(tc.want); tc.want < 0 && !exp.IsZero() || tc.want >= 0 && !exp.Equal(want) {
			t.Errorf("%s: expires %s, want %d s after the rollback (-1: nothing)", tc.name, exp, tc.want)
		}
	}
}
