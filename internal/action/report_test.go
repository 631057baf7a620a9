package action

import (
	"encoding/json"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/report"
)

// TestComposedReport: the one JSON report of pr, sync and drift (report):
// the parts and the exit the verdict has, beside the keys each command
// gives (sync and drift the plans, pr none).
func TestComposedReport(t *testing.T) {
	plans := []report.PlanZoneJSON{{}}
	for _, tc := range []struct {
		name      string
		js        composedJSON
		wantPlans bool
	}{
		{"pr: no plans key", composedJSON{}, false},
		{"sync, drift: the plans", composedJSON{Plans: plans}, true},
	} {
		c := composed{parts: []part{{"check", "ok", ""}, {"parity", "problems", "2 differ"}}}
		res := c.report(tc.js)
		var got map[string]json.RawMessage
		if err := json.Unmarshal(res.json, &got); err != nil {
			t.Fatalf("%s: %v: %s", tc.name, err, res.json)
		}
		var parts []part
		var exit int
		if json.Unmarshal(got["parts"], &parts) != nil || len(parts) != 2 || parts[1] != c.parts[1] {
			t.Errorf("%s: parts %s, want %v", tc.name, got["parts"], c.parts)
		}
		if json.Unmarshal(got["exit"], &exit) != nil || exit != cli.ExitProblem || res.exit != exit {
			t.Errorf("%s: exit %s in the report, %d in the outcome: want %d in both", tc.name, got["exit"], res.exit, cli.ExitProblem)
		}
		if _, ok := got["plans"]; ok != tc.wantPlans {
			t.Errorf("%s: plans key given %v, want %v: %s", tc.name, ok, tc.wantPlans, res.json)
		}
	}
}
