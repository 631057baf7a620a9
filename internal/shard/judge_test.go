package shard

import (
	"bytes"
	"strings"
	"testing"
)

// TestMergeJudgesContents: a shard report's "exit" is checked against
// what it holds. A report that says exit 0 (or 1) while its results fail
// worse (a parity report with an error finding or one that could not be
// compared, a check error, a plan that could not be made or holds what
// the provider cannot take) contradicts itself: the merge refuses it
// (exit 2, the shard named in "contradicted") instead of passing it.
// Before, the merge took the exit as given and printed exit 0.
func TestMergeJudgesContents(t *testing.T) {
	// Shard 1 is empty (a zone it claimed without a result would be
	// contradicted itself: TestMergeUnreportedZone).
	ok := `{"shard": {"name": "1/2", "zones": []}, "%s": [], "exit": 0}`
	for _, tc := range []struct {
		name, key, elem string
		exit            int // the shard report's own exit
		want            int // the merged exit
	}{
		{"parity error finding, exit 0", "reports", `{"zone": "b.", "findings": [{"severity": "error", "name": "b.", "type": "A", "kind": "differ"}]}`, 0, 2},
		{"the Action's parity error finding, exit 0", "parity", `{"zone": "b.", "findings": [{"severity": "error", "name": "b.", "type": "A", "kind": "differ"}]}`, 0, 2},
		{"parity not compared, exit 0", "reports", `{"zone": "b.", "findings": [], "error": "no server answered"}`, 0, 2},
		{"parity interrupted, exit 1", "reports", `{"zone": "b.", "findings": [], "error": "interrupted", "partial": true}`, 1, 2},
		{"check error, exit 0", "problems", `{"file": "b.zone", "line": 3, "severity": "error", "message": "CNAME and other data"}`, 0, 2},
		{"plan error, exit 0", "plans", `{"provider": "new", "zone": "b.", "summary": {}, "percent": 0, "changes": [], "error": "403 from the API"}`, 0, 2},
		{"plan unsupported, exit 0", "plans", `{"provider": "new", "zone": "b.", "summary": {}, "percent": 0, "changes": [], "unsupported": [{"name": "b.", "type": "NAPTR", "reason": "no NAPTR"}]}`, 0, 2},
		// Honest reports: the exit stands.
		{"parity error finding, exit 1", "reports", `{"zone": "b.", "findings": [{"severity": "error", "name": "b.", "type": "A", "kind": "differ"}]}`, 1, 1},
		{"parity warning, exit 0", "reports", `{"zone": "b.", "findings": [{"severity": "warning", "name": "b.", "type": "A", "kind": "ttl"}]}`, 0, 0},
		{"check warning, exit 0", "problems", `{"file": "b.zone", "line": 3, "severity": "warning", "message": "TTL differs"}`, 0, 0},
		{"plan changes, exit 0", "plans", `{"provider": "new", "zone": "b.", "summary": {"create": 1}, "percent": 10, "changes": [{"action": "create", "name": "x.b.", "type": "A"}]}`, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r1 := writeJSON(t, dir, "1.json", strings.Replace(ok, "%s", tc.key, 1))
			r2 := writeJSON(t, dir, "2.json", `{"shard": {"name": "2/2", "zones": ["b."]}, "`+tc.key+`": [`+tc.elem+`], "exit": `+string(rune('0'+tc.exit))+`}`)
			var out bytes.Buffer
			sh, exit, err := Merge(&out, []string{r1, r2}, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if exit != tc.want || !strings.Contains(out.String(), `"exit": `+string(rune('0'+tc.want))) {
				t.Errorf("merged exit %d, want %d\n%s", exit, tc.want, out.String())
			}
			if contradicted := strings.Join(sh.Contradicted, " "); (tc.want == 2) != (contradicted == "2/2") {
				t.Errorf("contradicted %q", contradicted)
			}
			if sh.OK() != (tc.want < 2) {
				t.Errorf("shards ok = %v, want %v (%+v)", sh.OK(), tc.want < 2, sh)
			}
		})
	}
}
