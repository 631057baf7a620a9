package action

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// cutover runs status, flip, rollback or finish for the zone input. The
// subcommand is found by name, so the Action runs whatever this build's
// cutover commands are; the workflow commits the audit trail back.
func (ac *invocation) cutover(ctx context.Context, name string) outcome {
	// The zone input names one zone, or several separated by commas or
	// blanks: a wave (policy.wave at once; --stop-on-refusal in args).
	zones := strings.FieldsFunc(ac.r.Input("zone"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	if len(zones) == 0 {
		return ac.errorResult("input zone is required for " + name)
	}
	if !ac.cmds.Has(name) {
		return ac.errorResult("this build of dnsparity has no " + name + " command")
	}
	var args []string
	for _, z := range zones {
		args = append(args, "--zone", z)
	}
	args = append(args, "--format", "json")
	if p := ac.configPath(); p != "" {
		args = append(args, "--config", p)
	}
	args = append(args, strings.Fields(ac.r.Input("args"))...)
	s := ac.sub(ctx, name, args...)
	if len(zones) > 1 {
		return ac.cutoverWave(name, s)
	}
	var d cutover.Report
	err := json.Unmarshal(s.out, &d)
	if err != nil {
		return ac.noReport(name, s)
	}
	res := ac.cutoverOutcome(name, d, s.code, s.why)
	res.json = s.out
	return res
}

// noReport is the outcome of a cutover step whose report could not be
// read: it could not run (exit 2), or was refused (exit 1) when the
// command said so. Never success: a step that exited 0 may have changed
// the registrar, which its log and the audit trail then say.
func (ac *invocation) noReport(name string, s subRun) outcome {
	msg := fmt.Sprintf("%s printed no report: %s", name, s.why())
	if s.code == cli.ExitOK {
		msg = fmt.Sprintf("%s exited 0 but its report could not be read: what it did is in the log above and in the audit trail", name)
	}
	res := ac.errorResult(msg)
	if s.code == cli.ExitProblem {
		res.exit = s.code
	}
	return res
}

// cutoverWave reports a step over several zones: the summary, a line per
// zone, then each zone's report.
func (ac *invocation) cutoverWave(name string, s subRun) outcome {
	var w cutover.WaveReport
	if err := json.Unmarshal(s.out, &w); err != nil {
		return ac.noReport(name, s)
	}
	res := outcome{exit: s.code, json: s.out}
	sum := w.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "%s in waves of %d: %d done, %d refused, %d could not run, %d not started\n\n| zone | result |\n|---|---|\n",
		plural.N(sum.Zones, "zone", "zones"), sum.Wave, len(sum.Done), len(sum.Refused), len(sum.Failed), len(sum.Skipped))
	for _, d := range w.Reports {
		fmt.Fprintf(&b, "| `%s` | %s |\n", codeText(d.Zone), mdText(d.Result))
	}
	for _, z := range sum.Skipped {
		fmt.Fprintf(&b, "| `%s` | not started (stopped at the first refusal) |\n", codeText(z))
	}
	b.WriteString("\n")
	for _, d := range w.Reports {
		one := ac.cutoverOutcome(name, *d, d.ExitCode(), func() string { return "" })
		fmt.Fprintf(&b, "### `%s`: %s\n\n%s\n", codeText(d.Zone), one.verdict, one.body)
		res.errors += one.errors
		res.warnings += one.warnings
		res.changes += one.changes
	}
	res.body = b.String()
	switch s.code {
	case cli.ExitOK:
		res.verdict = fmt.Sprintf("✅ %s done for %s", name, plural.N(sum.Zones, "zone", "zones"))
	case cli.ExitProblem:
		res.verdict = fmt.Sprintf("❌ %s: %d of %d zones refused or not started (the registrar was not touched for them)", name, len(sum.Refused)+len(sum.Skipped), sum.Zones)
	default:
		res.verdict = fmt.Sprintf("⚠️ %s: %d of %d zones could not run (the reports say what was done)", name, len(sum.Failed), sum.Zones)
	}
	return res
}

// cutoverOutcome renders one zone's report of a step; why says why the
// step could not run when its report has no error of its own.
func (ac *invocation) cutoverOutcome(name string, d cutover.Report, code int, why func() string) outcome {
	var res outcome
	res.exit = code
	var b strings.Builder
	fmt.Fprintf(&b, "Zone `%s` · stage **%s** · delegation points to **%s**", codeText(d.Zone), mdText(d.Stage), mdText(dash(d.Delegation.PointsTo)))
	if len(d.Delegation.NS) > 0 {
		fmt.Fprintf(&b, " (NS %s, TTL %d)", mdText(strings.Join(d.Delegation.NS, ", ")), d.Delegation.NSTTL)
	}
	b.WriteString("\n\n")
	if d.Emergency {
		// flip --emergency or rollback --emergency (the cutover
		// workflow's emergency input): say which side was down.
		down, up := cutover.MoveSides(d.Command)
		fmt.Fprintf(&b, "**Emergency %s**: the %s provider is down; parity with it cannot be proven, the %s side was checked against git.\n\n", mdText(d.Command), down, up)
	}
	if code == cli.ExitError && len(d.Errors) == 0 {
		fmt.Fprintf(&b, "**Could not run:** %s\n\n", ac.md(why()))
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
	}
	res.changes = d.Changed
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
		// The report names it relative to the config's folder.
		trail := d.Trail
		if !filepath.IsAbs(trail) {
			trail = filepath.Join(filepath.Dir(ac.configPath()), trail)
		}
		fmt.Fprintf(&b, "Audit trail: `%s` (the cutover workflow commits it).\n", codeText(ac.r.RelPath(trail)))
	}
	res.body = b.String()
	step := name
	if d.Emergency {
		step = "EMERGENCY " + name
	}
	switch code {
	case cli.ExitOK:
		res.verdict = "✅ " + step + " done"
		if d.DryRun {
			res.verdict = "✅ " + step + " (dry run): every gate passes"
		}
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
		res.verdict = fmt.Sprintf("❌ %s refused: %s unmet (the registrar was not touched)", step, plural.N(unmet, "gate", "gates"))
	default:
		res.verdict = "⚠️ " + step + " could not run (the report says what was done)"
	}
	return res
}
