package shard

import (
	"bytes"
	"strings"
	"testing"
)

// TestMergeUnreportedZone: a shard report that claims a zone (its
// "shard" key) and gives no result for it (no parity report, no plan)
// while saying exit 0 or 1 has not checked that zone: its exit is better
// than its contents, and the merge refuses it (exit 2, the shard in
// "contradicted"). Before, the merge passed it (exit 0): a zone of the
// shard never compared, the run said parity held everywhere.
func TestMergeUnreportedZone(t *testing.T) {
	for _, tc := range []struct {
		name, r2 string
		want     int
	}{
		{"parity: c. claimed, not reported", `{"shard": {"name": "2/2", "zones": ["b.", "c."]}, "reports": [{"zone": "b.", "findings": [], "queries": 1, "seconds": 1}], "exit": 0}`, 2},
		{"plan: c. claimed, no plan", `{"shard": {"name": "2/2", "zones": ["b.", "c."]}, "plans": [{"provider": "old", "zone": "b.", "summary": {}, "percent": 0, "changes": []}], "exit": 0}`, 2},
		{"parity: every zone reported", `{"shard": {"name": "2/2", "zones": ["b.", "c."]}, "reports": [{"zone": "b.", "findings": [], "queries": 1, "seconds": 1}, {"zone": "c.", "findings": [], "queries": 1, "seconds": 1}], "exit": 0}`, 0},
		// A failed shard says so itself: failed, not contradicted.
		{"parity: exit 2, zones left out", `{"shard": {"name": "2/2", "zones": ["b.", "c."]}, "reports": [], "exit": 2}`, 2},
		// check reports problems only: a zone without any is no gap.
		{"check: no problem for c.", `{"shard": {"name": "2/2", "zones": ["b.", "c."]}, "problems": [], "exit": 0}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			key := "reports"
			if strings.Contains(tc.r2, `"plans"`) {
				key = "plans"
			} else if strings.Contains(tc.r2, `"problems"`) {
				key = "problems"
			}
			r1 := `{"shard": {"name": "1/2", "zones": ["a."]}, "reports": [{"zone": "a.", "findings": [], "queries": 1, "seconds": 1}], "exit": 0}`
			switch key {
			case "plans":
				r1 = `{"shard": {"name": "1/2", "zones": ["a."]}, "plans": [{"provider": "old", "zone": "a.", "summary": {}, "percent": 0, "changes": []}], "exit": 0}`
			case "problems":
				r1 = `{"shard": {"name": "1/2", "zones": ["a."]}, "problems": [], "exit": 0}`
			}
			p1 := writeJSON(t, dir, "1.json", r1)
			p2 := writeJSON(t, dir, "2.json", tc.r2)
			var out bytes.Buffer
			sh, exit, err := Merge(&out, []string{p1, p2}, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if exit != tc.want {
				t.Errorf("merged exit %d, want %d; shards %+v\n%s", exit, tc.want, sh, out.String())
			}
			if wantU := tc.want == 2 && !strings.Contains(tc.name, "exit 2"); wantU != (strings.Join(sh.Unreported, " ") == "c. (shard 2/2)") {
				t.Errorf("unreported %q, want c. (shard 2/2): %v", sh.Unreported, wantU)
			}
			contradicted := strings.Join(sh.Contradicted, " ")
			if wantC := tc.want == 2 && !strings.Contains(tc.name, "exit 2"); (contradicted == "2/2") != wantC {
				t.Errorf("contradicted %q, want 2/2: %v", contradicted, wantC)
			}
		})
	}
}
