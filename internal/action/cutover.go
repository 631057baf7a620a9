package action

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// cutover runs status, flip, rollback or finish for the zone input. The
// subcommand is found by name, so the Action runs whatever this build's
// cutover commands are; the workflow commits the audit trail back.
func (ac *invocation) cutover(ctx context.Context, name string) outcome {
	// The zone input names one zone, or several separated by commas or
	// blanks (any white space: a list typed on Windows ends its lines in
	// "\r\n"): a wave (policy.wave at once; --stop-on-refusal in args).
	zones := strings.FieldsFunc(ac.r.Input("zone"), func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
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
	if len(zones) > 1 {
		return ac.cutoverWave(ctx, name, args)
	}
	s := ac.sub(ctx, name, args...)
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

// cutoverWave runs a step over several zones and reports it: the
// summary, a line per zone, then each zone's report. The command writes
// each zone's report as it comes (report.WaveWriter); each is read,
// redacted and rendered as it comes too, and written to the JSON report
// (res.jsonFile, a temporary file), so that the run holds the Markdown,
// not every zone's report and the whole JSON twice besides.
func (ac *invocation) cutoverWave(ctx context.Context, name string, args []string) outcome {
	f, err := os.CreateTemp("", "dnsparity-"+name+"-*.json")
	if err != nil {
		return ac.errorResult(fmt.Sprintf("%s: the JSON report: %v", name, err))
	}
	pr, pw := io.Pipe()
	type read struct {
		w   *waveMarkdown
		err error
	}
	got := make(chan read, 1)
	go func() {
		bw := bufio.NewWriter(f)
		w, err := ac.readWave(name, pr, bw)
		_, cerr := io.Copy(io.Discard, pr) // what follows a report that could not be read
		got <- read{w, errors.Join(err, cerr, bw.Flush())}
	}()
	s := ac.run(ctx, name, pw, nil, args...)
	pw.Close()
	r := <-got
	if err := errors.Join(r.err, f.Close()); err != nil {
		os.Remove(f.Name())
		return ac.noReport(name, s)
	}
	res := r.w.outcome(name, s.code)
	res.jsonFile = f.Name()
	return res
}

// waveMarkdown is a step over several zones as its reports are read:
// each zone's table row and section rendered, the summary last. Errors
// first: rows and sections are kept by rank (cutover.Report.WaveRank: the
// zones that could not run, then those refused, then those with errors or
// unmet gates, with warnings, then the rest), each rank in the order
// given.
// Each rank keeps at most waveBudget bytes of rows and of sections
// (github.Capped), counting the zones it leaves out: what a step over
// thousands of zones holds stays flat with their number (the JSON report
// has every zone).
type waveMarkdown struct {
	rows, sections            [cutover.WaveRanks]github.Capped
	sum                       cutover.Summary
	errors, warnings, changes int
}

// waveBudget is the Markdown a step over several zones renders at most
// (bytes): GitHub's step-summary limit, less room for the headline and
// the notes. commentBudget is its collapsed form's (the rows only), for
// the comment: GitHub counts characters, which are never more than bytes.
const (
	waveBudget    = github.MaxSummary - 32<<10
	commentBudget = github.MaxBody - 8<<10
)

func newWaveMarkdown() *waveMarkdown {
	w := &waveMarkdown{}
	for i := range w.rows {
		w.rows[i].Limit, w.sections[i].Limit = waveBudget, waveBudget
	}
	return w
}

// readWave reads the JSON of a step over several zones from in
// (report.WaveWriter: {"reports": [...], "summary": {...}, "exit": N}),
// each value as it comes: redacted (redact.Secrets.ReplaceBytes: only
// its strings), written to out as the command wrote it, and each zone's
// report rendered, none kept.
func (ac *invocation) readWave(name string, in io.Reader, out io.Writer) (*waveMarkdown, error) {
	w := newWaveMarkdown()
	redacted := func(raw json.RawMessage) json.RawMessage {
		return ac.alias.apply(ac.r.Secrets().ReplaceBytes(raw))
	}
	summary := false
	var keys shard.Comma
	io.WriteString(out, "{")
	err := shard.Fields(json.NewDecoder(in), func(key string, dec *json.Decoder) error {
		k, _ := json.Marshal(key)
		keys.Next(out, "\n  ")
		fmt.Fprintf(out, "%s: ", k)
		if key != "reports" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			raw = redacted(raw)
			if key == "summary" {
				summary = true
				if err := json.Unmarshal(raw, &w.sum); err != nil {
					return err
				}
			}
			out.Write(raw)
			return nil
		}
		io.WriteString(out, "[")
		var reports shard.Comma
		err := shard.Elements(dec, func(raw json.RawMessage) error {
			raw = redacted(raw)
			var d cutover.Report
			if err := json.Unmarshal(raw, &d); err != nil {
				return err
			}
			reports.Next(out, "\n    ")
			out.Write(raw)
			w.add(ac, name, &d)
			return nil
		})
		io.WriteString(out, "\n  ]")
		return err
	})
	if err != nil {
		return nil, err
	}
	io.WriteString(out, "\n}\n")
	if !summary {
		return nil, errors.New("no summary")
	}
	return w, nil
}

// add renders one zone's report.
func (w *waveMarkdown) add(ac *invocation, name string, d *cutover.Report) {
	r := d.WaveRank() // the CLI's order too (report.WaveWriter)
	w.rows[r].Add(fmt.Sprintf("| `%s` | %s |\n", codeText(d.Zone), mdText(d.Result)))
	one := ac.cutoverOutcome(name, *d, d.ExitCode(), func() string { return "" })
	w.sections[r].Add(fmt.Sprintf("### `%s`: %s\n\n%s\n", codeText(d.Zone), one.verdict, one.body))
	w.errors += one.errors
	w.warnings += one.warnings
	w.changes += one.changes
}

// outcome is the step's report: the summary, a line per zone, then each
// zone's report, errors first (cutover.Report.WaveRank; the zones not
// started after those refused), within waveBudget, which a rank's lines
// and reports take before the next rank's; its short form (the comment's) the
// summary and the lines within commentBudget. Each says how many zones
// it leaves out.
func (w *waveMarkdown) outcome(name string, code int) outcome {
	res := outcome{exit: code, errors: w.errors, warnings: w.warnings, changes: w.changes}
	sum := w.sum
	head := fmt.Sprintf("%s in waves of %d: %d done, %d refused, %d could not run, %d not started\n\n| zone | result |\n|---|---|\n",
		plural.N(sum.Zones, "zone", "zones"), sum.Wave, len(sum.Done), len(sum.Refused), len(sum.Failed), len(sum.Skipped))
	// One budget spent errors first: each rank's rows, then its zones'
	// reports, before the next rank's (a zone that could not run keeps
	// its report while the rows of zones that hold are left out); the
	// table and the reports each keep their layout.
	full, short := github.Capped{Limit: waveBudget - len(head) - 1}, github.Capped{Limit: commentBudget - len(head)}
	var rows, sections strings.Builder
	fullRows, shortRows, sectionsLeft := 0, 0, 0
	for r := range w.rows {
		var lines []string
		if r == cutover.WaveRankSkipped {
			for _, z := range sum.Skipped {
				lines = append(lines, fmt.Sprintf("| `%s` | not started (stopped at the first refusal) |\n", codeText(z)))
			}
		}
		for _, l := range append(lines, w.rows[r].Blocks()...) {
			if full.Add(l) {
				rows.WriteString(l)
			} else {
				fullRows++
			}
			if !short.Add(l) {
				shortRows++
			}
		}
		fullRows += w.rows[r].Left
		shortRows += w.rows[r].Left
		for _, s := range w.sections[r].Blocks() {
			if full.Add(s) {
				sections.WriteString(s)
			} else {
				sectionsLeft++
			}
		}
		sectionsLeft += w.sections[r].Left
	}
	res.body = head + rows.String() + "\n" + sections.String() + leftOut(fullRows, sectionsLeft)
	res.short = head + short.String() + "\n" + leftOut(shortRows, 0)
	switch code {
	case cli.ExitOK:
		res.verdict = fmt.Sprintf("✅ %s done for %s", name, plural.N(sum.Zones, "zone", "zones"))
	case cli.ExitProblem:
		res.verdict = fmt.Sprintf("❌ %s: %d of %d zones refused or not started (the registrar was not touched for them)", name, len(sum.Refused)+len(sum.Skipped), sum.Zones)
	default:
		res.verdict = fmt.Sprintf("⚠️ %s: %d of %d zones could not run (the reports say what was done)", name, len(sum.Failed), sum.Zones)
	}
	return res
}

// leftOut says how many zones' rows and sections a step's report left
// out to keep within GitHub's size limit ("" when none).
func leftOut(rows, sections int) string {
	if n := notShown("zone", left{rows, "zone's line", "zones' lines"}, left{sections, "zone's report", "zones' reports"}); n != "" {
		return "\n" + n + "\n"
	}
	return ""
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
