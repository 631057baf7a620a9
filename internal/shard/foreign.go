package shard

import "sort"

// Strays finds the results shard reports have for zones they do not
// claim (their "shard" key's zones): such a result is not the shard's to
// give, so a merge leaves it out and names it in Shards.Foreign. The
// command line's merge (streaming the reports' arrays) and the Action's
// (reading each report's results as it merges them) both ask it, so they name the same zones.
type Strays struct {
	claims map[string]map[string]bool // shard → the zones its report claims
	found  map[string]map[string]bool // shard → the zones it has results for and does not claim
	order  []string                   // the shards, in the order claimed
}

// Claim records the zones the report of shard (its name, "I/N") claims.
func (s *Strays) Claim(shard string, zones []string) {
	if s.claims == nil {
		s.claims, s.found = map[string]map[string]bool{}, map[string]map[string]bool{}
	}
	if s.claims[shard] == nil {
		s.claims[shard], s.found[shard] = map[string]bool{}, map[string]bool{}
		s.order = append(s.order, shard)
	}
	for _, z := range zones {
		s.claims[shard][z] = true
	}
}

// Foreign says whether a result for zone in the report of shard is not
// the report's to give (it does not claim zone), and notes it. A result
// that names no zone ("") is never foreign: it is kept (Owners.Gives).
func (s *Strays) Foreign(shard, zone string) bool {
	if zone == "" || s.claims[shard][zone] {
		return false
	}
	if s.found[shard] == nil {
		s.Claim(shard, nil)
	}
	s.found[shard][zone] = true
	return true
}

// Of is the zones the report of shard has results for without claiming
// them, sorted.
func (s *Strays) Of(shard string) []string {
	out := make([]string, 0, len(s.found[shard]))
	for z := range s.found[shard] {
		out = append(out, z)
	}
	sort.Strings(out)
	return out
}

// List is Shards.Foreign: "zone (shard I/N)" for each zone a report has
// results for without claiming it, shard by shard in the order claimed
// (the merge's shard order), each shard's zones sorted; nil for none.
func (s *Strays) List() []string {
	var out []string
	for _, sh := range s.order {
		for _, z := range s.Of(sh) {
			out = append(out, z+" (shard "+sh+")")
		}
	}
	return out
}
