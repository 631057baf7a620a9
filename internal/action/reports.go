package action

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/report"
)

// The Action reads each command's JSON report (the contract in
// docs/ARCHITECTURE.md) into the typed values the commands write it from:
// report.CheckJSON, report.PlanJSON, parity.Report and cutover.Report.

// decode reads a JSON object or an array of them.
func decode[T any](js []byte) ([]T, error) {
	js = bytes.TrimSpace(js)
	if len(js) == 0 {
		return nil, nil
	}
	if js[0] == '[' {
		var out []T
		if err := json.Unmarshal(js, &out); err != nil {
			return nil, fmt.Errorf("read the JSON report: %w", err)
		}
		return out, nil
	}
	var one T
	if err := json.Unmarshal(js, &one); err != nil {
		return nil, fmt.Errorf("read the JSON report: %w", err)
	}
	return []T{one}, nil
}

// level is the annotation level of a severity.
func level(sev string) string {
	switch sev {
	case "error", "warning":
		return sev
	}
	return "notice"
}

func checkAnnotations(ps []report.ProblemJSON) []github.Annotation {
	var out []github.Annotation
	for _, p := range ps {
		out = append(out, github.Annotation{File: p.File, Line: p.Line, Level: level(p.Severity), Title: "dnsparity check", Message: p.Message})
	}
	return out
}

func parityAnnotations(ds []parity.Report) []github.Annotation {
	var out []github.Annotation
	for _, d := range ds {
		for _, f := range d.Findings {
			if f.File == "" {
				continue
			}
			out = append(out, github.Annotation{File: f.File, Line: f.Line, Level: level(f.Severity), Title: "dnsparity parity: " + f.Kind,
				Message: fmt.Sprintf("%s %s: %s", f.Name, f.Type, f.Detail)})
		}
	}
	return out
}

func planAnnotations(ps []report.PlanZoneJSON) []github.Annotation {
	var out []github.Annotation
	for _, p := range ps {
		for _, u := range p.Unsupported {
			out = append(out, github.Annotation{File: u.File, Line: u.Line, Level: "error", Title: "dnsparity plan: " + p.Provider,
				Message: fmt.Sprintf("%s %s cannot be held by provider %s: %s", u.Name, u.Type, p.Provider, u.Reason)})
		}
		for _, c := range p.Changes {
			if c.File == "" {
				continue
			}
			out = append(out, github.Annotation{File: c.File, Line: c.Line, Level: "notice", Title: "dnsparity plan: " + p.Provider,
				Message: fmt.Sprintf("%s %s %s at provider %s", c.Action, c.Name, c.Type, p.Provider)})
		}
	}
	return out
}

// annotations turns a command's JSON report (check problems, parity
// findings, plans; one object or an array of them) into file:line
// annotations.
func annotations(js []byte) []github.Annotation {
	type doc struct {
		Problems []report.ProblemJSON  `json:"problems"`
		Findings []parity.Finding      `json:"findings"`
		Plans    []report.PlanZoneJSON `json:"plans"`
	}
	docs, err := decode[doc](js)
	if err != nil {
		return nil
	}
	var out []github.Annotation
	for _, d := range docs {
		out = append(out, checkAnnotations(d.Problems)...)
		out = append(out, parityAnnotations([]parity.Report{{Findings: d.Findings}})...)
		out = append(out, planAnnotations(d.Plans)...)
	}
	return out
}

// sortProblems orders check problems errors first (report.ErrorsFirstBy).
func sortProblems(ps []report.ProblemJSON) {
	report.ErrorsFirstBy(ps, func(p report.ProblemJSON) int { return report.SeverityRank(p.Severity) })
}
