package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// WriteParityJSON writes one report as an object, several as an array
// (docs/ARCHITECTURE.md).
func WriteParityJSON(w io.Writer, reps []*parity.Report) error {
	s := NewParityStream(w, len(reps) != 1)
	for _, r := range reps {
		if err := s.Add(r); err != nil {
			return err
		}
	}
	return s.Close()
}

// writeParityReport writes one report exactly as an indenting encoder
// would, each finding encoded on its own: a report of a hundred thousand
// findings is never held as one buffer (twice, once indented), which
// would double the peak memory of a large run.
func writeParityReport(w io.Writer, r *parity.Report) error {
	enc := func(w io.Writer, r *parity.Report) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.SetEscapeHTML(false)
		return e.Encode(r)
	}
	if len(r.Findings) == 0 {
		return enc(w, r)
	}
	shell := *r
	shell.Findings = []parity.Finding{}
	err := writeArrayStreamed(w, &shell, "findings", len(r.Findings), func(k int) any { return &r.Findings[k] }, false, nil)
	if errors.Is(err, errNoArrayKey) {
		return enc(w, r)
	}
	return err
}

func parityVerdict(r *parity.Report) string {
	e, wn, i := r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo)
	state := "parity holds"
	switch {
	case checkFailed(r):
		state = "parity not compared: the zone file has errors"
	case r.Partial:
		state = "parity interrupted"
	case e > 0:
		state = "parity does NOT hold"
	case r.Error != "":
		// The run stopped (a server that does not answer, a transfer
		// refused): nothing is proven, whatever the counts say.
		state = "parity NOT proven: could not run"
	}
	return fmt.Sprintf("%s: %s, %s, %d info (%s in %.2fs)%s", state, plural.N(e, "error", "errors"), plural.N(wn, "warning", "warnings"), i, plural.N(r.Queries, "query", "queries"), r.Seconds, replayedNote(r))
}

// replayedNote says what a replayed query log added ("" without one).
func replayedNote(r *parity.Report) string {
	p := r.Replayed
	if p == nil {
		return ""
	}
	s := fmt.Sprintf("; %d logged questions replayed, %d of them at names the zone file does not have", p.Questions, p.OutsideZone)
	if p.OverLimit > 0 {
		s += fmt.Sprintf(" (%d more left out past --max-queries)", p.OverLimit)
	}
	return s
}

// nodesNote names the nodes (NSID) that gave the two answers ("" when the
// servers sent none).
func nodesNote(f parity.Finding) string {
	if f.NSIDOld == "" && f.NSIDNew == "" {
		return ""
	}
	return fmt.Sprintf("nodes (NSID): old %s, new %s", orDash(f.NSIDOld), orDash(f.NSIDNew))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteParityText writes reports for a terminal: per finding a one-line
// reason and a unified diff of the old and the new answer.
func WriteParityText(w io.Writer, reps []*parity.Report) {
	for _, r := range reps {
		fmt.Fprintf(w, "zone %s", r.Zone)
		if r.File != "" {
			fmt.Fprintf(w, " (%s)", r.File)
		}
		if len(r.OldServers)+len(r.NewServers) > 0 {
			fmt.Fprintf(w, ": old %s, new %s", strings.Join(r.OldServers, " "), strings.Join(r.NewServers, " "))
		}
		fmt.Fprintln(w)
		if r.Error != "" {
			fmt.Fprintf(w, "ERROR: %s\n", r.Error)
		}
		fs := append([]parity.Finding{}, r.Findings...)
		parity.SortFindings(fs) // errors, then warnings, then info
		for _, f := range fs {
			pos := f.Pos()
			if pos != "" {
				pos += ": "
			}
			fmt.Fprintf(w, "%s%s %s [%s]: %s\n", pos, strings.ToUpper(f.Severity), strings.TrimSpace(f.Name+" "+f.Type), f.Kind, f.Detail)
			if n := nodesNote(f); n != "" && f.Severity != parity.SevInfo {
				fmt.Fprintf(w, "    %s\n", n)
			}
			if d := Diff("old", "new", f.Old, f.New); d != "" && f.Severity != parity.SevInfo {
				for _, l := range strings.Split(strings.TrimRight(d, "\n"), "\n") {
					fmt.Fprintf(w, "    %s\n", l)
				}
			}
		}
		fmt.Fprintln(w, parityVerdict(r))
	}
}

// maxMarkdownDetails caps the collapsible diffs, for readability.
const maxMarkdownDetails = 100

// MaxParityMarkdown is the size (in characters) the Markdown parity report
// stays under: a GitHub PR comment holds at most 65,536, and the comment
// may carry other text.
const MaxParityMarkdown = 60000

// maxCell caps one table cell (an aggregated finding's detail can be long).
const maxCell = 1000

// parityResult is a zone's result for the summary table.
func parityResult(r *parity.Report) string {
	o := ParityOutcome(r)
	switch o {
	case OutcomeFileErrors, OutcomeDifferences:
		return "❌ " + o
	case OutcomeInterrupted, OutcomeNotRun:
		return "⚠️ " + o
	}
	return "✅ " + o
}

// A zone's outcome in a parity run (ParityOutcome), worst first.
const (
	OutcomeDifferences = "differences"
	OutcomeFileErrors  = "zone file has errors"
	OutcomeNotRun      = "could not run"
	OutcomeInterrupted = "interrupted"
	OutcomeHolds       = "parity holds"
)

// ParityOutcomes are the outcomes ParityOutcome gives, worst first: the
// order a run over several zones names them in.
func ParityOutcomes() []string {
	return []string{OutcomeDifferences, OutcomeFileErrors, OutcomeNotRun, OutcomeInterrupted, OutcomeHolds}
}

// ParityClosing is the last line of a text run over several zones: the
// zones of each outcome (byOutcome: by ParityOutcome), worst first (those that do not hold named, at
// most 20), then those the run did not reach.
func ParityClosing(total int, byOutcome map[string][]string) string {
	var parts []string
	written := 0
	for _, o := range ParityOutcomes() {
		zs := byOutcome[o]
		written += len(zs)
		switch {
		case len(zs) == 0:
		case o == OutcomeHolds && len(zs) == total:
			parts = append(parts, fmt.Sprintf("%s in all %d", o, total))
		case o == OutcomeHolds:
			parts = append(parts, fmt.Sprintf("%s in %d", o, len(zs)))
		default:
			parts = append(parts, fmt.Sprintf("%s in %s (%s)", o, plural.N(len(zs), "zone", "zones"), strings.Join(plural.FirstN(zs, 20), ", ")))
		}
	}
	if rest := total - written; rest > 0 {
		parts = append(parts, fmt.Sprintf("%s not compared (the run stopped)", plural.N(rest, "zone", "zones")))
	}
	return fmt.Sprintf("parity over %s: %s", plural.N(total, "zone", "zones"), strings.Join(parts, "; "))
}

// ParityOutcome is a zone's result in a few words (one of Outcomes): the
// Markdown summary table's, and a run's closing line over several zones.
func ParityOutcome(r *parity.Report) string {
	switch {
	case checkFailed(r):
		return OutcomeFileErrors
	case r.Error != "" && r.Partial:
		return OutcomeInterrupted
	case r.Error != "" && r.Count(parity.SevError) == 0:
		return OutcomeNotRun
	case !r.OK():
		return OutcomeDifferences
	}
	return OutcomeHolds
}

// ParityRank is where a zone stands in a parity report (ErrorsFirstBy):
// one that could not run or has an error finding first, then one with a
// warning or interrupted, then the rest.
func ParityRank(r *parity.Report) int {
	switch {
	case r.Count(parity.SevError) > 0 || (r.Error != "" && !r.Partial):
		return RankError
	case r.Error != "" || r.Count(parity.SevWarning) > 0:
		return RankWarning
	}
	return RankRest
}

// checkFailed: the report holds the check problems of a zone file that
// has errors (nothing was compared).
func checkFailed(r *parity.Report) bool {
	for _, f := range r.Findings {
		if f.Kind == "check" && f.Severity == parity.SevError {
			return true
		}
	}
	return false
}

// findingRow is one finding as a table row; every piece of zone content
// goes through MarkdownText.
func findingRow(f parity.Finding) string {
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", f.Severity, MarkdownText(f.Name), MarkdownText(f.Type), MarkdownText(f.Kind),
		MarkdownText(f.Pos()), MarkdownText(capText(strings.TrimSuffix(f.Detail+"; "+nodesNote(f), "; "), maxCell)))
}

const findingHeader = "| severity | name | type | kind | where | reason |\n|---|---|---|---|---|---|\n"

// codeFence is a fence longer than any run of backticks in s, so that s
// cannot close it (CommonMark §4.5).
func codeFence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// WriteParityMarkdown writes reports for a PR comment: a summary table per
// zone, then per zone its error (if it could not run), the counts by kind
// and severity (always complete), the error and warning findings, the info
// findings collapsed in <details>, and the diffs in <details>; cut where
// the report would exceed MaxParityMarkdown characters, with a line saying
// how many were left out. Zone content is escaped (MarkdownText; diffs in
// a code fence no content can close).
func WriteParityMarkdown(w io.Writer, reps []*parity.Report) {
	reps = append([]*parity.Report(nil), reps...)
	ErrorsFirstBy(reps, ParityRank)
	head := parityMarkdownHead(reps)
	// Per zone: the counts by kind and severity, then the rows and diffs
	// that fit.
	parts := make([]*parityPart, len(reps))
	total := utf8.RuneCountInString(head)
	for i, r := range reps {
		parts[i] = newParityPart(r)
		total += utf8.RuneCountInString(parts[i].summary)
	}
	const note = 400 // room for each zone's notes and the info wrapper
	fitParityParts(parts, MaxParityMarkdown-total-note*len(reps)-2*len(findingHeader)*len(reps))
	io.WriteString(w, head)
	for _, p := range parts {
		p.write(w)
	}
}

// parityMarkdownHead is the title and the summary table, a row per zone.
func parityMarkdownHead(reps []*parity.Report) string {
	var head strings.Builder
	fmt.Fprintln(&head, "## DNS parity")
	fmt.Fprintln(&head)
	fmt.Fprintln(&head, "| zone | result | errors | warnings | info | queries |")
	fmt.Fprintln(&head, "|---|---|---:|---:|---:|---:|")
	for _, r := range reps {
		fmt.Fprintf(&head, "| %s | %s | %d | %d | %d | %d |\n", MarkdownText(r.Zone), parityResult(r), r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo), r.Queries)
	}
	return head.String()
}

// parityPart is one zone's section of the Markdown report: its summary
// (always written), its finding rows, info rows and diffs, and how many
// of each fit.
type parityPart struct {
	summary           string
	rows, info, diffs []string
	nRows, nInfo      int // rows that fit
	nErrors           int // rows that are errors (the first)
	nDiffs            int
}

// newParityPart renders a zone's section whole (empty for a zone with
// nothing to say): its heading, error, query-log note and counts by kind,
// then its rows (errors, then warnings, then info) and diffs.
func newParityPart(r *parity.Report) *parityPart {
	p := &parityPart{}
	if len(r.Findings) == 0 && r.Error == "" && r.Replayed == nil {
		return p
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n", MarkdownText(r.Zone))
	if r.Error != "" {
		fmt.Fprintf(&b, "**Error:** %s\n\n", MarkdownText(r.Error))
	}
	if n := replayedNote(r); n != "" {
		fmt.Fprintf(&b, "Query log: %s.\n\n", MarkdownText(strings.TrimPrefix(n, "; ")))
	}
	writeKindCounts(&b, r.Findings)
	p.summary = b.String()
	fs := append([]parity.Finding{}, r.Findings...)
	parity.SortFindings(fs)
	for _, f := range fs {
		if f.Severity == parity.SevInfo {
			p.info = append(p.info, findingRow(f))
			continue
		}
		if f.Severity == parity.SevError {
			p.nErrors++
		}
		p.rows = append(p.rows, findingRow(f))
		d := Diff("old", "new", f.Old, f.New)
		if d == "" {
			continue
		}
		d = endLine(capText(d, 4*maxCell))
		fence := codeFence(d)
		p.diffs = append(p.diffs, fmt.Sprintf("<details><summary>%s <code>%s</code> %s: %s</summary>\n\n%sdiff\n%s%s\n\n</details>\n\n",
			f.Severity, MarkdownText(f.Name), MarkdownText(f.Type), MarkdownText(f.Kind), fence, d, fence))
	}
	return p
}

// writeKindCounts writes the table of findings by kind and severity,
// worst first (WorstFirst; nothing when there are none).
func writeKindCounts(b *strings.Builder, findings []parity.Finding) {
	if len(findings) == 0 {
		return
	}
	fmt.Fprintln(b, "| kind | errors | warnings | info |")
	fmt.Fprintln(b, "|---|---:|---:|---:|")
	byKind := map[string]*Counts{}
	for _, f := range findings {
		c := byKind[f.Kind]
		if c == nil {
			c = &Counts{}
			byKind[f.Kind] = c
		}
		c.Add(f.Severity)
	}
	for _, k := range WorstFirst(byKind) {
		c := byKind[k]
		fmt.Fprintf(b, "| %s | %d | %d | %d |\n", MarkdownText(k), c.Errors, c.Warnings, c.Info)
	}
	fmt.Fprintln(b)
}

// fitParityParts chooses what fits in budget characters: the rows first
// (every zone's errors, then the warnings of the zones whose errors all
// fit, then the info of those whose rows all fit: errors first across
// zones, not zone by zone), then the diffs (at most maxMarkdownDetails).
func fitParityParts(parts []*parityPart, budget int) {
	for _, p := range parts {
		p.nRows = fitting(p.rows[:p.nErrors], &budget)
	}
	for _, p := range parts {
		if p.nRows == p.nErrors {
			p.nRows += fitting(p.rows[p.nErrors:], &budget)
		}
	}
	for _, p := range parts {
		if p.nRows == len(p.rows) {
			p.nInfo = fitting(p.info, &budget)
		}
	}
	shown := 0
	for _, p := range parts {
		p.nDiffs = fitting(p.diffs[:min(len(p.diffs), maxMarkdownDetails-shown)], &budget)
		shown += p.nDiffs
	}
}

// fitting is how many of texts, from the first, fit in *budget
// characters; what they take is taken off *budget.
func fitting(texts []string, budget *int) int {
	n := 0
	for _, t := range texts {
		c := utf8.RuneCountInString(t)
		if c > *budget {
			break
		}
		*budget -= c
		n++
	}
	return n
}

// write writes what fits of the zone's section, with a note for what was
// left out.
func (p *parityPart) write(w io.Writer) {
	if p.summary == "" {
		return
	}
	io.WriteString(w, p.summary)
	if p.nRows > 0 {
		io.WriteString(w, findingHeader)
		for _, row := range p.rows[:p.nRows] {
			io.WriteString(w, row)
		}
		fmt.Fprintln(w)
	}
	if p.nInfo > 0 {
		fmt.Fprintf(w, "<details><summary>%s</summary>\n\n%s", plural.N(len(p.info), "info finding", "info findings"), findingHeader)
		for _, row := range p.info[:p.nInfo] {
			io.WriteString(w, row)
		}
		fmt.Fprint(w, "\n</details>\n\n")
	}
	all, shownRows := len(p.rows)+len(p.info), p.nRows+p.nInfo
	if left := all - shownRows; left > 0 {
		fmt.Fprintf(w, "_%d of %d findings left out to keep this comment under GitHub's size limit; the counts above are complete, and the JSON report (`--format json`) and the job's step summary list every finding._\n\n", left, all)
	}
	for _, d := range p.diffs[:p.nDiffs] {
		io.WriteString(w, d)
	}
	if left := len(p.diffs) - p.nDiffs; left > 0 {
		fmt.Fprintf(w, "_%d of %d diffs left out; run `dnsparity parity` locally, or see the JSON report, for all._\n", left, len(p.diffs))
	}
}

func endLine(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// capText cuts s to at most n characters, saying so.
func capText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + " … (cut)"
}
