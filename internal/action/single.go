package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/report"
)

// single runs one of check, plan, push, parity with Markdown output (the
// args input adds arguments).
func (ac *invocation) single(ctx context.Context, name string) outcome {
	args := []string{"--format", "markdown"}
	if p := ac.configPath(); p != "" {
		// check too: without it, check found the root's dnsparity.yaml,
		// whatever the config input named.
		args = append(args, "--config", p)
	}
	args = append(args, strings.Fields(ac.r.Input("args"))...)
	// The command's Markdown kept line by line within GitHub's summary
	// limit (a report over thousands of zones is megabytes), the lines
	// past it counted; the JSON report has everything.
	md := &github.Capped{Limit: mdBudget}
	s := ac.subTo(ctx, name, md, args...)
	md.Flush()
	body := string(ac.alias.apply(ac.r.Secrets().ReplaceBytes([]byte(md.String()))))
	if md.Left > 0 {
		body += fmt.Sprintf("\n_Not shown, to keep within GitHub's size limit: the report's last %s. The JSON report (the step's `report` output) has everything._\n", plural.N(md.Left, "line", "lines"))
	}
	res := outcome{exit: s.code, body: body, json: s.js, annots: annotations(s.js), checkRun: name != "push"}
	for i := range res.annots {
		res.annots[i].File = ac.repoPath(res.annots[i].File)
	}
	if s.code == cli.ExitError {
		res.body = "**Could not run:** " + ac.md(s.why()) + "\n\n" + res.body
	}
	type doc struct {
		Problems []report.ProblemJSON  `json:"problems"`
		Findings []parity.Finding      `json:"findings"`
		Plans    []report.PlanZoneJSON `json:"plans"`
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
			res.changes += p.Count()
			res.errors += len(refusals(p)) + len(p.Unsupported)
			res.warnings += len(p.Warnings)
		}
	}
	switch s.code {
	case cli.ExitOK:
		res.verdict = "✅ passed"
	case cli.ExitProblem:
		res.verdict = "❌ found problems"
	default:
		res.verdict = "⚠️ could not run"
	}
	return res
}
