package shard

import (
	"encoding/json"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Judge is the least exit code one element of a shard report's array
// under key calls for, whatever the report's "exit" says: a parity
// report ("reports"; "parity" in the Action's reports) with an error finding or one not compared 1, one
// interrupted 2; a check problem ("problems") of severity error 1; a
// plan ("plans") that could not be made or holds records the provider
// cannot take, or that are blocked, 1. Anything else (and an element that
// is none of these) 0: the contents only ever raise the bar, so a report
// whose exit is worse than its contents keeps its exit.
func Judge(key string, raw json.RawMessage) int {
	switch key {
	case "reports", "parity": // parity's; the Action's sync, drift and pr
		var r parity.Report
		if json.Unmarshal(raw, &r) != nil {
			return 0
		}
		switch {
		case r.Partial:
			return 2
		case r.Error != "" || !r.OK():
			return 1
		}
	case "problems":
		var p report.ProblemJSON
		if json.Unmarshal(raw, &p) == nil && p.Severity == string(zone.Error) {
			return 1
		}
	case "plans":
		var p report.PlanZoneJSON
		if json.Unmarshal(raw, &p) == nil && (p.Error != "" || len(p.Unsupported) > 0 || len(p.Blocked) > 0) {
			return 1
		}
	}
	return 0
}
