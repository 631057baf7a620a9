package shard

import (
	"bytes"
	"reflect"
	"testing"
)

// TestMergeExitUnknown: a shard report is a pass only when it says so. One
// without "exit" (a truncated or hand-made report, another tool's JSON
// with a "shard" key), with an exit code no command has (below 0), or
// with "exit" twice (a decoder keeps the last) counts as a failed shard:
// read as 0 it made the merge green (dnsparity merge printed "16 of 16
// shard reports; exit 0 (ok)").
func TestMergeExitUnknown(t *testing.T) {
	for name, tail := range map[string]string{
		"no exit":    ``,
		"exit -1":    `, "exit": -1`,
		"exit twice": `, "exit": 2, "exit": 0`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			r1 := writeJSON(t, dir, "1.json", `{"problems": [], "shard": {"name": "1/2", "zones": ["a."]}, "exit": 0}`)
			r2 := writeJSON(t, dir, "2.json", `{"problems": [], "shard": {"name": "2/2", "zones": ["b."]}`+tail+`}`)
			var out bytes.Buffer
			sh, exit, err := Merge(&out, []string{r1, r2}, 0, nil)
			if err != nil {
				if name == "exit twice" {
					return // refused as malformed: also not a pass
				}
				t.Fatal(err)
			}
			if exit != 2 || !reflect.DeepEqual(sh.Failed, []string{"2/2"}) || sh.OK() {
				t.Errorf("merge of a report with %s: exit %d, failed %v, ok %v; want exit 2, failed [2/2]", name, exit, sh.Failed, sh.OK())
			}
		})
	}
	// Tally, which the Action's merge calls too: an unknown exit is failed.
	sh, _, _, err := Tally([]Part{{Name: "1/1", Zones: []string{"a."}, Exit: ExitUnknown}}, 0, nil)
	if err != nil || !reflect.DeepEqual(sh.Failed, []string{"1/1"}) || sh.OK() {
		t.Errorf("Tally of an unknown exit: %v, %+v", err, sh)
	}
}
