package cutover

import (
	"iter"
	"slices"
	"strconv"
	"testing"
)

// queryTrail is a trail of four entries whose actors name their index
// ("0" oldest .. "3" newest); two of them are pushes, so that last must
// take the newer one.
func queryTrail() *Trail {
	return &Trail{Zone: "example.test.", Entries: []Entry{
		{Actor: "0", Command: "status"},
		{Actor: "1", Command: "push"},
		{Actor: "2", Command: "flip"},
		{Actor: "3", Command: "push"},
	}}
}

// actors are the actors of the entries seq yields, in its order; stop
// ends the range after that many (0: never), as a caller's break does.
func actors(seq iter.Seq[*Entry], stop int) []string {
	out := []string{}
	for e := range seq {
		out = append(out, e.Actor)
		if len(out) == stop {
			break
		}
	}
	return out
}

func actorOf(e *Entry) []string {
	if e == nil {
		return []string{}
	}
	return []string{e.Actor}
}

func TestTrailQueries(t *testing.T) {
	empty := func() *Trail { return &Trail{} }
	command := func(c string) func(*Entry) bool {
		return func(e *Entry) bool { return e.Command == c }
	}
	for _, tc := range []struct {
		name  string
		trail func() *Trail
		got   func(*Trail) []string
		want  []string
	}{
		{"newestFirst", queryTrail, func(tr *Trail) []string { return actors(tr.newestFirst(), 0) }, []string{"3", "2", "1", "0"}},
		{"newestFirst, empty trail", empty, func(tr *Trail) []string { return actors(tr.newestFirst(), 0) }, []string{}},
		{"newestFirst, stopped after two", queryTrail, func(tr *Trail) []string { return actors(tr.newestFirst(), 2) }, []string{"3", "2"}},
		{"newestBefore 0: nothing before the first", queryTrail, func(tr *Trail) []string { return actors(tr.newestBefore(0), 0) }, []string{}},
		{"newestBefore 2: entry 2 itself left out", queryTrail, func(tr *Trail) []string { return actors(tr.newestBefore(2), 0) }, []string{"1", "0"}},
		{"newestBefore the end: every entry", queryTrail, func(tr *Trail) []string { return actors(tr.newestBefore(4), 0) }, []string{"3", "2", "1", "0"}},
		{"from 0", queryTrail, func(tr *Trail) []string { return actors(tr.from(0), 0) }, []string{"0", "1", "2", "3"}},
		{"from 2: entry 2 itself included", queryTrail, func(tr *Trail) []string { return actors(tr.from(2), 0) }, []string{"2", "3"}},
		{"from the end: nothing", queryTrail, func(tr *Trail) []string { return actors(tr.from(4), 0) }, []string{}},
		{"from 1, stopped after one", queryTrail, func(tr *Trail) []string { return actors(tr.from(1), 1) }, []string{"1"}},
		{"from 0, empty trail", empty, func(tr *Trail) []string { return actors(tr.from(0), 0) }, []string{}},
		{"last of two matches: the newer", queryTrail, func(tr *Trail) []string { return actorOf(tr.last(command("push"))) }, []string{"3"}},
		{"last, the oldest the only match", queryTrail, func(tr *Trail) []string { return actorOf(tr.last(command("status"))) }, []string{"0"}},
		{"last, no match", queryTrail, func(tr *Trail) []string { return actorOf(tr.last(command("finish"))) }, []string{}},
		{"last, empty trail", empty, func(tr *Trail) []string { return actorOf(tr.last(command("push"))) }, []string{}},
		{"index of an entry", queryTrail, func(tr *Trail) []string { return []string{strconv.Itoa(tr.index(&tr.Entries[2]))} }, []string{"2"}},
		{"index of the last entry", queryTrail, func(tr *Trail) []string { return []string{strconv.Itoa(tr.index(&tr.Entries[3]))} }, []string{"3"}},
		{"index of a copy: not one of its entries", queryTrail, func(tr *Trail) []string {
			e := tr.Entries[2]
			return []string{strconv.Itoa(tr.index(&e))}
		}, []string{"-1"}},
		{"index of another trail's equal entry", queryTrail, func(tr *Trail) []string { return []string{strconv.Itoa(tr.index(&queryTrail().Entries[1]))} }, []string{"-1"}},
		{"index of nil", queryTrail, func(tr *Trail) []string { return []string{strconv.Itoa(tr.index(nil))} }, []string{"-1"}},
	} {
		if got := tc.got(tc.trail()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTrailQueriesYieldEntries: the queries hand out the trail's own
// entries, not copies, so a gate that asks for a step's index (index) by
// the entry Stage or last gave finds it.
func TestTrailQueriesYieldEntries(t *testing.T) {
	tr := queryTrail()
	e := tr.last(func(e *Entry) bool { return e.Command == "flip" })
	if e != &tr.Entries[2] || tr.index(e) != 2 {
		t.Fatalf("last = %p (index %d), want the trail's entry 2, %p", e, tr.index(e), &tr.Entries[2])
	}
	for f := range tr.from(0) {
		if tr.index(f) < 0 {
			t.Errorf("from yielded a copy of entry %s", f.Actor)
		}
	}
	for f := range tr.newestFirst() {
		if tr.index(f) < 0 {
			t.Errorf("newestFirst yielded a copy of entry %s", f.Actor)
		}
	}
}
