package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
)

// cutover runs status, flip, rollback or finish for the zone input. The
// subcommand is found by name, so the Action runs whatever this build's
// cutover commands are; the workflow commits the audit trail back.
func (ac *invocation) cutover(ctx context.Context, name string) outcome {
	zoneName := ac.r.Input("zone")
	if zoneName == "" {
		return ac.errorResult("input zone is required for " + name)
	}
	if !ac.cmds.Has(name) {
		return ac.errorResult("this build of dnsparity has no " + name + " command")
	}
	args := []string{"--zone", zoneName, "--format", "json"}
	if p := ac.configPath(); p != "" {
		args = append(args, "--config", p)
	}
	args = append(args, strings.Fields(ac.r.Input("args"))...)
	s := ac.sub(ctx, name, args...)
	var d cutover.Report
	err := json.Unmarshal(s.out, &d)
	if err != nil {
		res := ac.errorResult(fmt.Sprintf("%s printed no report: %s", name, s.why()))
		if s.code != cli.ExitError {
			res.exit = s.code
		}
		return res
	}
	var res outcome
	res.exit = s.code
	res.json = s.out
	var b strings.Builder
	fmt.Fprintf(&b, "Zone `%s` · stage **%s** · delegation points to **%s**", codeText(d.Zone), mdText(d.Stage), mdText(dash(d.Delegation.PointsTo)))
	if len(d.Delegation.NS) > 0 {
		fmt.Fprintf(&b, " (NS %s, TTL %d)", mdText(strings.Join(d.Delegation.NS, ", ")), d.Delegation.NSTTL)
	}
	b.WriteString("\n\n")
	if s.code == cli.ExitError && len(d.Errors) == 0 {
		fmt.Fprintf(&b, "**Could not run:** %s\n\n", ac.md(s.why()))
	}
	for _, l := range []struct {
		title string
		items []string
	}{{"### ❌ Errors", d.Errors}, {"### ⚠️ Warnings", d.Warnings}} {
		if len(l.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d)\n\n", l.title, len(l.items))
		for _, it := range l.items {
			fmt.Fprintf(&b, "- %s\n", mdText(it))
		}
		b.WriteString("\n")
	}
	res.errors += len(d.Errors)
	res.warnings += len(d.Warnings)
	if len(d.Gates) > 0 {
		b.WriteString("| gate | | detail |\n|---|---|---|\n")
		for _, pass := range []bool{false, true} { // unmet gates first
			for _, g := range d.Gates {
				if g.OK != pass {
					continue
				}
				icon := "✅"
				if !g.OK {
					icon = "❌"
					res.errors++
				}
				fmt.Fprintf(&b, "| %s | %s | %s |\n", mdText(g.Label()), icon, mdText(g.Detail))
			}
		}
		b.WriteString("\n")
	}
	if len(d.Actions) > 0 {
		b.WriteString("**Done:**\n\n")
		for _, a := range d.Actions {
			fmt.Fprintf(&b, "- %s\n", mdText(a))
		}
		b.WriteString("\n")
		res.changes = len(d.Actions)
	}
	if len(d.Next) > 0 {
		b.WriteString("**Next:**\n\n")
		for _, n := range d.Next {
			when := ""
			if !n.Earliest.IsZero() {
				when = " (earliest " + mdText(n.Earliest.Format(time.RFC3339Nano)) + ")" // as in the JSON
			}
			fmt.Fprintf(&b, "- %s%s\n", mdText(n.Step), when)
		}
		b.WriteString("\n")
	}
	if d.Trail != "" {
		fmt.Fprintf(&b, "Audit trail: `%s` (the cutover workflow commits it).\n", codeText(ac.r.RelPath(d.Trail)))
	}
	res.body = b.String()
	switch s.code {
	case cli.ExitOK:
		res.verdict = "✅ " + name + " done"
		if name == "status" {
			res.verdict = "✅ stage " + mdText(d.Stage)
		}
	case cli.ExitProblem:
		unmet := 0
		for _, g := range d.Gates {
			if !g.OK {
				unmet++
			}
		}
		res.verdict = fmt.Sprintf("❌ %s refused: %d %s unmet (the registrar was not touched)", name, unmet, plural(unmet, "gate"))
	default:
		res.verdict = "⚠️ " + name + " could not run (the report says what was done)"
	}
	return res
}
