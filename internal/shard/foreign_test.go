package shard

import (
	"slices"
	"testing"
)

// TestStrays: a result is foreign when its shard's report does not claim
// its zone; List names each once, shard by shard in the order claimed,
// each shard's zones sorted, whatever order they were met in (the
// command line's merge meets them key by key, the Action's report by
// report).
func TestStrays(t *testing.T) {
	type result struct{ shard, zone string }
	for _, tt := range []struct {
		name    string
		claims  map[string][]string
		order   []string // claim order
		results []result
		foreign []bool
		list    []string
	}{
		{"own zones", map[string][]string{"1/2": {"a."}, "2/2": {"b."}}, []string{"1/2", "2/2"},
			[]result{{"1/2", "a."}, {"2/2", "b."}}, []bool{false, false}, nil},
		{"another shard's zone, twice", map[string][]string{"1/2": {"a."}, "2/2": {"b."}}, []string{"1/2", "2/2"},
			[]result{{"1/2", "b."}, {"1/2", "b."}, {"2/2", "b."}}, []bool{true, true, false}, []string{"b. (shard 1/2)"}},
		{"met out of order", map[string][]string{"1/2": {"a."}, "2/2": {}}, []string{"1/2", "2/2"},
			[]result{{"2/2", "z."}, {"1/2", "y."}, {"2/2", "c."}, {"1/2", "a."}}, []bool{true, true, true, false},
			[]string{"y. (shard 1/2)", "c. (shard 2/2)", "z. (shard 2/2)"}},
		{"a shard that claimed nothing", map[string][]string{"1/1": nil}, []string{"1/1"},
			[]result{{"1/1", "a."}}, []bool{true}, []string{"a. (shard 1/1)"}},
		// A result that names no zone (a report of a file whose origin was
		// not known) is no zone's to give or take: kept, never foreign.
		{"a result with no zone", map[string][]string{"1/2": {"a."}, "2/2": {"b."}}, []string{"1/2", "2/2"},
			[]result{{"1/2", ""}, {"2/2", ""}}, []bool{false, false}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s Strays
			for _, sh := range tt.order {
				s.Claim(sh, tt.claims[sh])
			}
			for i, r := range tt.results {
				if got := s.Foreign(r.shard, r.zone); got != tt.foreign[i] {
					t.Errorf("Foreign(%s, %s) = %v, want %v", r.shard, r.zone, got, tt.foreign[i])
				}
			}
			if got := s.List(); !slices.Equal(got, tt.list) {
				t.Errorf("List() = %q, want %q", got, tt.list)
			}
		})
	}
}

// TestOwnersGiveZonelessResults: a result with no zone goes into the
// merged report from every kept shard (the command line's merge keeps it
// too); a zone's result only from its owner.
func TestOwnersGiveZonelessResults(t *testing.T) {
	o := Owners{"a.": "1/2", "b.": "2/2"}
	for _, c := range []struct {
		shard, zone string
		want        bool
	}{
		{"1/2", "a.", true}, {"2/2", "a.", false}, {"1/2", "c.", false},
		{"1/2", "", true}, {"2/2", "", true},
	} {
		if got := o.Gives(c.shard, c.zone); got != c.want {
			t.Errorf("Gives(%s, %q) = %v, want %v", c.shard, c.zone, got, c.want)
		}
	}
}
