package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// WriteCutoverJSON writes a status/flip/rollback/finish report.
func WriteCutoverJSON(w io.Writer, r *cutover.Report) error {
	return writeIndented(w, r)
}

// writeIndented writes v as JSON indented by two spaces.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cutoverHeadline(r *cutover.Report) string {
	what := r.Command
	if r.Emergency {
		what = "EMERGENCY " + what
	}
	if r.DryRun {
		what += " (dry run)"
	}
	line := fmt.Sprintf("%s %s: %s", what, r.Zone, r.Result)
	if r.Result == cutover.ResultObserved {
		// The JSON's word (a contract), said plainly: status reads.
		line += " (status only reads: live DNS and the audit trail as they are now; nothing was changed)"
	}
	// What refused the step, in its first line: the gates keep the
	// step's order below, a failing one among those that pass.
	return line + refusedBy(r)
}

// refusedBy is what refused a step that was refused or could not run:
// ": unmet gates A, B" (each failing gate once, in the step's order);
// "" otherwise.
func refusedBy(r *cutover.Report) string {
	if r.Result != cutover.ResultRefused && r.Result != cutover.ResultError {
		return ""
	}
	var unmet []string
	for _, g := range r.Gates {
		if !g.OK && !slices.Contains(unmet, g.Name) {
			unmet = append(unmet, g.Name)
		}
	}
	if len(unmet) == 0 {
		return ""
	}
	return ": unmet gates " + strings.Join(unmet, ", ")
}

// statusNow is what a status report (result observed) means for the
// user: where the migration stands and the command to run next, from
// the stage, the side the parent delegates to and the gates; "" for any
// other report. The gates, the errors and the next: lines say the
// details; this says which of them matter now.
func statusNow(r *cutover.Report) string {
	if r.Result != cutover.ResultObserved {
		return ""
	}
	z := shell.Quote(r.Zone) // every command below names the zone
	first := ""
	if len(r.Errors) > 0 {
		first = "the errors above need a look first; "
	}
	// A gate that fails and holds back only a rollback (the old side's
	// delegation) is said after the step it does not hold back.
	rollback := ""
	if u := r.RollbackUnmet(); len(u) > 0 {
		rollback = fmt.Sprintf("; a rollback would be refused now (%s, which only a rollback checks): see the warning", unmetGates(u))
	}
	switch pt := r.Delegation.PointsTo; {
	case r.Stage == cutover.StageFinished:
		return first + "the migration is finished: nothing left to do"
	case pt == "old" && r.Stage == cutover.StageRolledBack && r.LeftDown == "new":
		return fmt.Sprintf("%[1]sthe parent delegates to the old side since the emergency rollback, and the new side is still down: git's changes go to the old side (`dnsparity push --provider old --zone %[2]s`; sync takes the new side last, only when it answers); a flip needs the new side answering and serving git again: once it is back, `dnsparity push --provider new --zone %[2]s`, then `dnsparity status --zone %[2]s`", first, z)
	case pt == "old" && (r.Stage == cutover.StageNotStarted || r.Stage == cutover.StageRolledBack):
		unmet := flipUnmet(r)
		switch {
		case len(unmet) == 0:
			return fmt.Sprintf("%sthe parent delegates to the old side and every gate status checks for a flip passes: run `dnsparity flip --zone %s --dry-run` (it checks every gate of the flip), then the same without --dry-run%s", first, z, rollback)
		case len(unmet) == 1 && unmet[0] == cutover.GateTTLExpired:
			return fmt.Sprintf("%sthe parent delegates to the old side; a flip waits for the old TTLs to expire from caches: run `dnsparity flip --zone %s --dry-run` from the time the next: flip line names%s", first, z, rollback)
		}
		return fmt.Sprintf("%sthe parent delegates to the old side; a flip would be refused now (unmet gates %s): do what each says below, then run `dnsparity status --zone %s` again%s", first, strings.Join(unmet, ", "), z, rollback)
	case pt == "new" && r.Stage == cutover.StageFlipped && r.LeftDown == "old":
		// Nothing can be kept identical with a side that is down; the
		// step forward and the step back both need it back.
		return fmt.Sprintf("%[1]sthe parent delegates to the new side since the emergency flip, and the old side is still down: git's changes go to the new side (`dnsparity push --provider new --zone %[2]s`; sync takes the old side last, only when it answers); finish and a rollback both need the old side answering and serving what the new side serves: once it is back, `dnsparity push --provider old --zone %[2]s`, then `dnsparity status --zone %[2]s`", first, z)
	case pt == "new" && r.Stage == cutover.StageFlipped:
		back := fmt.Sprintf("`dnsparity rollback --zone %s` goes back to the old side", z)
		if rollback != "" {
			back = fmt.Sprintf("`dnsparity rollback --zone %s`%s", z, rollback)
		}
		finish := ""
		if u := finishUnmet(r); len(u) > 0 {
			finish = fmt.Sprintf("; finish would be refused now (%s): do what each says below", unmetGates(u))
		}
		return fmt.Sprintf("%sthe parent delegates to the new side, in the overlap: keep both providers identical (push to both), then run `dnsparity finish --zone %s` from the time the next: finish line names%s; %s", first, z, finish, back)
	}
	return fmt.Sprintf("%sthe stage in the audit trail (%s) and the delegation at the parent (points to %s) do not name a next step: see the errors and warnings", first, r.Stage, r.Delegation.PointsTo)
}

// flipUnmet are the gates of a status report that would refuse a flip:
// every gate that fails but the old side's delegation gate (a flip checks
// the new side's) and hidden-master (status's own).
func flipUnmet(r *cutover.Report) []string {
	var out []string
	for _, g := range r.Gates {
		if g.OK || g.Name == cutover.GateHiddenMaster || (g.Name == cutover.GateDelegation && g.Side != "new") || slices.Contains(out, g.Label()) {
			continue
		}
		out = append(out, g.Label())
	}
	return out
}

// finishUnmet are the gates of a status report that finish checks too
// and that fail: parity (finish's compares the same sides) and
// parent-servers.
func finishUnmet(r *cutover.Report) []string {
	var out []string
	for _, g := range r.Gates {
		if !g.OK && (g.Name == cutover.GateParity || g.Name == cutover.GateParentServers) && !slices.Contains(out, g.Label()) {
			out = append(out, g.Label())
		}
	}
	return out
}

// unmetGates is "unmet gate A" or "unmet gates A, B".
func unmetGates(labels []string) string {
	if len(labels) == 1 {
		return "unmet gate " + labels[0]
	}
	return "unmet gates " + strings.Join(labels, ", ")
}

// emergencySides are the side an emergency step found down (the side it
// leaves behind) and the one it moves to: flip --emergency leaves the old
// side, rollback --emergency the new one (cutover.MoveSides).
func emergencySides(r *cutover.Report) (down, up string) {
	return cutover.MoveSides(r.Command)
}

// delegationRead reports whether the step read the stage and the
// delegation: one that could not start (cutover.SetupReport, or another
// step held the zone) read nothing, and shows no stage and no "NS  (TTL
// 0 s)" that looks like one.
func delegationRead(r *cutover.Report) bool {
	return !((r.Stage == "unknown" || r.Stage == "") && len(r.Delegation.NS) == 0)
}

func mark(ok bool) string {
	if ok {
		return "ok  "
	}
	return "FAIL"
}

// WriteCutoverText writes the report for a terminal, errors first.
func WriteCutoverText(w io.Writer, r *cutover.Report) {
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	fmt.Fprintln(w, cutoverHeadline(r))
	if s := statusNow(r); s != "" {
		fmt.Fprintf(w, "what now: %s\n", s)
	}
	for _, e := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", e)
	}
	if r.Emergency {
		down, up := emergencySides(r)
		fmt.Fprintf(w, "This is an EMERGENCY failover: the %s provider is down; parity with it cannot be proven, the %s side was checked against git.\n", down, up)
	}
	stage := r.Stage
	if r.StageSince != nil {
		stage += " since " + r.StageSince.UTC().Format(time.RFC3339)
	}
	d := r.Delegation
	if !delegationRead(r) {
		fmt.Fprintln(w, "stage and delegation: not read")
	} else {
		fmt.Fprintf(w, "stage: %s\n", stage)
		fmt.Fprintf(w, "delegation at the parent: NS %s (TTL %d s), %d DS (TTL %d s), points to %s\n", strings.Join(d.NS, " "), d.NSTTL, len(d.DS), d.DSTTL, d.PointsTo)
	}
	if r.TTL != nil && r.TTL.OldErr == "" && r.TTL.NewErr == "" {
		fmt.Fprintf(w, "largest TTL: old %d s, new %d s\n", r.TTL.OldMax, r.TTL.NewMax)
	}
	if p := r.Parity; p != nil {
		fmt.Fprintf(w, "parity: %s, %s, %d info in %s (%.1f s)\n", plural.N(p.Errors, "error", "errors"), plural.N(p.Warnings, "warning", "warnings"), p.Info, plural.N(p.Queries, "query", "queries"), p.Seconds)
	}
	for _, g := range r.Gates {
		// A detail of several lines (errors.Join: one line per server
		// that does not answer) goes on under the first, not at column 0.
		fmt.Fprintf(w, "  %s %-17s %s\n", mark(g.OK), g.Label(), indentRest(g.Detail, gateIndent))
		for i, p := range g.Plan {
			fmt.Fprintf(w, "       %d. %s\n", i+1, indentRest(p, planIndent))
		}
	}
	writeDelegationText(w, r)
	if c := r.Change; c != nil {
		label := "registrar change"
		switch {
		case !c.At.IsZero():
		case r.Result == cutover.ResultDryRun:
			label = "registrar change (dry run, not made)"
		default:
			// The change the step would have made: refused, or it
			// could not run.
			label = "registrar change (not made)"
		}
		fmt.Fprintf(w, "%s: NS %s -> NS %s", label, strings.Join(c.Before.NS, " "), strings.Join(c.After.NS, " "))
		for n, as := range c.After.Glue {
			fmt.Fprintf(w, ", glue %s %s", n, strings.Join(as, " "))
		}
		if c.After.DS != nil {
			fmt.Fprintf(w, ", DS %s", strings.Join(c.After.DS, "; "))
		}
		fmt.Fprintln(w)
	}
	if wr := r.Watch; wr != nil {
		fmt.Fprintf(w, "watch: %s\n", watchLine(wr))
	}
	for _, rv := range r.Resolvers {
		fmt.Fprintf(w, "resolver %s answers from %s (%s)\n", rv.Resolver, rv.Provider, rv.Detail)
	}
	for _, a := range r.Actions {
		fmt.Fprintf(w, "- %s\n", a)
	}
	for _, n := range r.Next {
		line := fmt.Sprintf("next: %s %s", n.Step, nextWhen(n))
		if n.Detail != "" && n.Now {
			line += ": " + n.Detail
		} else if n.Detail != "" {
			line += " " + n.Detail
		}
		fmt.Fprintln(w, line)
	}
	if r.Trail != "" {
		fmt.Fprintf(w, "audit trail: %s\n", r.Trail)
	}
	if s := emergencyNext(r); s != "" {
		fmt.Fprintf(w, "next: %s\n", s)
	}
}

// The columns a gate's detail and a plan entry start at in the text
// report, where the lines after their first go on.
var (
	gateIndent = strings.Repeat(" ", len("  ok   ")+17+1)
	planIndent = strings.Repeat(" ", len("       1. "))
)

// indentRest indents every line of s after the first by indent.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// emergencyNext is the way out a report of a planned step (or status)
// names when one of its gates offers the emergency step (a side does not
// answer: cutover's offerEmergency), for the report's last line; "" when
// none does. It is buried in the gate's plan otherwise, under a headline
// that says only "error".
func emergencyNext(r *cutover.Report) string {
	if r.Emergency {
		return ""
	}
	for _, g := range r.Gates {
		if o := g.Offer; o != nil {
			return fmt.Sprintf("the %s provider does not answer: if it is down and the %s one serves git, run `dnsparity %s --zone %s --emergency`", o.Down, o.Up, shell.Quote(o.Step), shell.Quote(r.Zone))
		}
	}
	return ""
}

func watchLine(wr *cutover.WatchResult) string {
	if wr.AllMoved {
		return fmt.Sprintf("%s from %s, the last %.1f s after the registrar change (NS TTL %d s)", plural.All(len(wr.Resolvers), "resolver", "resolvers", "answers", "answer"), wr.Target, wr.Seconds, wr.NSTTL)
	}
	return wr.Detail
}

// WriteCutoverMarkdown writes the report for a PR comment or a step
// summary, errors first.
func WriteCutoverMarkdown(w io.Writer, r *cutover.Report) {
	fmt.Fprintf(w, "### dnsparity %s\n\n", MarkdownText(cutoverHeadline(r)))
	for _, e := range r.Errors {
		fmt.Fprintf(w, "> **Error:** %s\n\n", MarkdownSpans(e))
	}
	if s := statusNow(r); s != "" {
		fmt.Fprintf(w, "**What now:** %s\n\n", MarkdownSpans(s))
	}
	for _, e := range r.Warnings {
		fmt.Fprintf(w, "> Warning: %s\n\n", MarkdownSpans(e))
	}
	if r.Emergency {
		down, up := emergencySides(r)
		fmt.Fprintf(w, "**Emergency failover**: the %s provider is down; the %s side was checked against git.\n\n", down, up)
	}
	d := r.Delegation
	if !delegationRead(r) {
		fmt.Fprintf(w, "Stage and delegation: not read.\n\n")
	} else {
		fmt.Fprintf(w, "Stage: **%s**. Delegation at the parent: NS %s (TTL %d s), %d DS, points to **%s**.\n\n",
			MarkdownText(r.Stage), MarkdownText(strings.Join(d.NS, " ")), d.NSTTL, len(d.DS), MarkdownText(d.PointsTo))
	}
	if r.TTL != nil && r.TTL.OldErr == "" && r.TTL.NewErr == "" {
		fmt.Fprintf(w, "Largest TTL: old %d s, new %d s.", r.TTL.OldMax, r.TTL.NewMax)
		if p := r.Parity; p != nil {
			fmt.Fprintf(w, " Parity: %s, %s, %d info in %s.", plural.N(p.Errors, "error", "errors"), plural.N(p.Warnings, "warning", "warnings"), p.Info, plural.N(p.Queries, "query", "queries"))
		}
		fmt.Fprintf(w, "\n\n")
	}
	if len(r.Gates) > 0 {
		fmt.Fprintf(w, "| gate | ok | detail |\n|---|---|---|\n")
		for _, g := range r.Gates {
			ok := "✅"
			if !g.OK {
				ok = "❌"
			}
			detail := g.Detail
			if len(g.Plan) > 0 {
				detail += " — to do: " + strings.Join(g.Plan, "; ")
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", MarkdownText(g.Label()), ok, MarkdownSpans(detail))
		}
		fmt.Fprintln(w)
	}
	writeDelegationMarkdown(w, r)
	if c := r.Change; c != nil {
		fmt.Fprintf(w, "Registrar change: NS %s → NS %s\n\n", MarkdownText(strings.Join(c.Before.NS, " ")), MarkdownText(strings.Join(c.After.NS, " ")))
	}
	if wr := r.Watch; wr != nil {
		fmt.Fprintf(w, "Watch: %s\n\n", MarkdownText(watchLine(wr)))
	}
	for _, rv := range r.Resolvers {
		fmt.Fprintf(w, "- resolver %s answers from **%s** (%s)\n", MarkdownText(rv.Resolver), MarkdownText(rv.Provider), MarkdownText(rv.Detail))
	}
	for _, a := range r.Actions {
		fmt.Fprintf(w, "- %s\n", MarkdownSpans(a))
	}
	for _, n := range r.Next {
		fmt.Fprintf(w, "- next: **%s** %s\n", MarkdownText(n.Step), nextWhen(n))
	}
}

// nextWhen is when a next step may be taken: "now" when its time had
// come as the report was made, else "not before" its time.
func nextWhen(n cutover.Next) string {
	if n.Now {
		return "now"
	}
	return "not before " + deadline.Format(n.Earliest)
}
