package shard

import (
	"bytes"
	"reflect"
	"testing"
)

// TestMergeAfterPush: a push during a run changes the zone files between
// the shard jobs (or before the merge job checks out the branch): the
// merge's split of the config is then not the one every shard ran. Each
// zone still checked by some shard is no reason to refuse (before, every
// shard whose zones moved was "mismatched", exit 2: a false refusal of a
// whole run); a zone of the config no shard checked is (the shards split
// different commits and the zone fell between them).
func TestMergeAfterPush(t *testing.T) {
	// The config as the merge reads it: b. grew, and moved to shard 1.
	split := func(s Spec) []string {
		return map[int][]string{1: {"a.", "b."}, 2: {"c."}}[s.I]
	}
	rep := func(name string, zones ...string) string {
		s := `{"shard": {"name": "` + name + `", "zones": [`
		r := ""
		for i, z := range zones {
			if i > 0 {
				s += ", "
				r += ", "
			}
			s += `"` + z + `"`
			r += `{"zone": "` + z + `", "findings": [], "queries": 1, "seconds": 1}`
		}
		return s + `]}, "reports": [` + r + `], "exit": 0}`
	}
	for _, tc := range []struct {
		name       string
		r1, r2     string
		exit       int
		mismatched []string
	}{
		// Both shards ran the commit before the push (1: a., 2: b. c.):
		// every zone checked once.
		{"every shard before the push", rep("1/2", "a."), rep("2/2", "b.", "c."), 0, nil},
		// Shard 1 ran the commit before the push, shard 2 the one after:
		// b. fell between them, checked by neither.
		{"b. checked by no shard", rep("1/2", "a."), rep("2/2", "c."), 2, []string{"1/2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r1 := writeJSON(t, dir, "1.json", tc.r1)
			r2 := writeJSON(t, dir, "2.json", tc.r2)
			var out bytes.Buffer
			sh, exit, err := Merge(&out, []string{r1, r2}, 0, split)
			if err != nil {
				t.Fatal(err)
			}
			if exit != tc.exit || sh.OK() != (tc.exit == 0) || !reflect.DeepEqual(sh.Mismatched, tc.mismatched) {
				t.Errorf("exit %d, shards %+v; want exit %d, mismatched %v", exit, sh, tc.exit, tc.mismatched)
			}
		})
	}
}
