package action

import (
	"context"
	"strings"
)

// single runs one of check, plan, push, parity with Markdown output (the
// args input adds arguments).
func (ac *invocation) single(ctx context.Context, name string) outcome {
	args := []string{"--format", "markdown"}
	if name != "check" {
		if p := ac.configPath(); p != "" {
			args = append(args, "--config", p)
		}
	}
	args = append(args, strings.Fields(ac.r.Input("args"))...)
	s := ac.sub(ctx, name, args...)
	res := outcome{exit: s.code, body: string(s.out), json: s.js, annots: annotations(s.js), checkRun: name != "push"}
	if s.code == exitError {
		res.body = "**Could not run:** " + mdText(s.why()) + "\n\n" + res.body
	}
	type doc struct {
		Problems []problemDoc `json:"problems"`
		Findings []findingDoc `json:"findings"`
		Plans    []planDoc    `json:"plans"`
	}
	docs, _ := decode[doc](s.js)
	count := func(sev string) {
		switch sev {
		case "error":
			res.errors++
		case "warning":
			res.warnings++
		}
	}
	for _, d := range docs {
		for _, p := range d.Problems {
			count(p.Severity)
		}
		for _, f := range d.Findings {
			count(f.Severity)
		}
		for _, p := range d.Plans {
			res.changes += p.count()
			res.errors += len(p.Blocked) + len(p.Unsupported)
			res.warnings += len(p.Warnings)
		}
	}
	switch s.code {
	case exitOK:
		res.verdict = "✅ passed"
	case exitProblem:
		res.verdict = "❌ found problems"
	default:
		res.verdict = "⚠️ could not run"
	}
	return res
}
