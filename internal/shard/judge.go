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

// PerZone says whether a shard report's array under key holds a result
// for every zone the shard ran (a parity report each, "reports", and
// "parity" in the Action's reports; a plan per provider, "plans"), so
// that a zone it claims and has no result for was not checked. check's
// "problems" name only the zones that have some.
func PerZone(key string) bool {
	return key == "reports" || key == "parity" || key == "plans"
}

// Unreported are the zones a shard report claims and has no result for,
// results being the zones it has one for under a PerZone key (nil: the
// report has no such key, and nothing is missing). A report that says it
// completed (no "error", exit 0 or 1) with such a zone is better than its
// contents, as Judge's are: the zone was never compared or planned.
func Unreported(claimed []string, results map[string]bool) []string {
	if results == nil {
		return nil
	}
	var out []string
	for _, z := range claimed {
		if !results[z] {
			out = append(out, z)
		}
	}
	return out
}
