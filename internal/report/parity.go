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

// parityName is what a report is of: its zone, or, for a file that could
// not be read (parity --file: its origin not known), the file.
func parityName(r *parity.Report) string {
	if r.Zone == "" {
		return r.File
	}
	return r.Zone
}

// WriteParityText writes reports for a terminal: per finding a one-line
// reason and a unified diff of the old and the new answer.
func WriteParityText(w io.Writer, reps []*parity.Report) {
	for _, r := range reps {
		if r.Zone == "" && r.File != "" {
			fmt.Fprintf(w, "zone file %s", r.File) // not read: no origin
		} else {
			fmt.Fprintf(w, "zone %s", r.Zone)
			if r.File != "" {
				fmt.Fprintf(w, " (%s)", r.File)
			}
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

// WriteParityMarkdown writes reports for a PR comment: a summary table
// (a row per zone), then per zone its error (if it could not run), the
// counts by kind and severity, the error and warning findings, the info
// findings collapsed in <details>, and the diffs in <details>. Over many
// zones it stays within MaxParityMarkdown characters, spent on what
// matters first (fitParity): the table takes at most a quarter, its rows
// errors first and the zones that hold counted, not listed, once they do
// not all fit; the sections take the rest, every zone's errors before any
// zone's warnings, each piece of it noted where left out, with a pointer
// to the JSON report. Zone content is escaped (MarkdownText; diffs in a
// code fence no content can close).
func WriteParityMarkdown(w io.Writer, reps []*parity.Report) {
	reps = append([]*parity.Report(nil), reps...)
	ErrorsFirstBy(reps, ParityRank)
	parts := make([]*parityPart, len(reps))
	for i, r := range reps {
		parts[i] = newParityPart(r)
	}
	fitParity(parts)
	writeParityTable(w, parts)
	for _, p := range parts {
		p.write(w)
	}
	if n := sectionsLeft(parts); n > 0 {
		fmt.Fprintf(w, "\n_Left out, to keep this comment under GitHub's size limit (errors first): the sections of %s. The JSON report (`--format json`) and the job's step summary have every finding._\n", plural.N(n, "zone", "zones"))
	}
}

const parityTableHead = "## DNS parity\n\n| zone | result | errors | warnings | info | queries |\n|---|---|---:|---:|---:|---:|\n"

// Where MaxParityMarkdown goes (characters): the summary table's rows
// take at most parityTableShare; parityNotes is kept for the notes after
// the table and the sections.
const (
	parityTableShare = MaxParityMarkdown / 4
	parityNotes      = 1000
)

// frame is the most a section writes besides its heading, rows and diffs
// (the tables' headers, the info wrapper, the notes of what is left
// out), taken with its heading.
func (p *parityPart) frame() int {
	n := 0
	if len(p.rows[RankError])+len(p.rows[RankWarning]) > 0 {
		n += len(findingHeader) + 1
	}
	if len(p.rows[RankRest]) > 0 {
		n += len(findingHeader) + 100
	}
	if len(p.rows[RankError])+len(p.rows[RankWarning])+len(p.rows[RankRest]) > 0 {
		n += 300 // the findings left out
	}
	if len(p.diffs[RankError])+len(p.diffs[RankWarning]) > 0 {
		n += 150 // the diffs left out
	}
	return n
}

// parityPart is one zone's part of the Markdown report: its summary-table
// row, its section (heading and counts: head; finding rows and diffs by
// rank, rendered only when fitParity first offers the section: render)
// and how much of each fits.
type parityPart struct {
	r       *parity.Report
	rank    int
	outcome string
	row     string
	says    bool // the zone has a section (findings, an error, a query log)
	drawn   bool // render has run
	head    string
	rows    [RankRest + 1][]string
	diffs   [RankRest][]string // of errors and of warnings
	inTable bool
	inHead  bool
	nRows   [RankRest + 1]int
	nDiffs  [RankRest]int
}

// newParityPart is a zone's part with its table row; its section is
// rendered when offered (render): a report over thousands of zones with
// findings renders the few sections that fit, not every one.
func newParityPart(r *parity.Report) *parityPart {
	return &parityPart{r: r, rank: ParityRank(r), outcome: ParityOutcome(r),
		row:  fmt.Sprintf("| %s | %s | %d | %d | %d | %d |\n", MarkdownText(parityName(r)), parityResult(r), r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo), r.Queries),
		says: len(r.Findings) > 0 || r.Error != "" || r.Replayed != nil}
}

// render renders the zone's section whole, once: its heading, error,
// query-log note and counts by kind, its rows and its diffs.
func (p *parityPart) render() {
	if p.drawn || !p.says {
		return
	}
	p.drawn = true
	r := p.r
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n", MarkdownText(parityName(r)))
	if r.Error != "" {
		fmt.Fprintf(&b, "**Error:** %s\n\n", MarkdownText(r.Error))
	}
	if n := replayedNote(r); n != "" {
		fmt.Fprintf(&b, "Query log: %s.\n\n", MarkdownText(strings.TrimPrefix(n, "; ")))
	}
	writeKindCounts(&b, r.Findings)
	p.head = b.String()
	fs := append([]parity.Finding{}, r.Findings...)
	parity.SortFindings(fs)
	for _, f := range fs {
		k := SeverityRank(f.Severity)
		p.rows[k] = append(p.rows[k], findingRow(f))
		if k == RankRest {
			continue
		}
		d := Diff("old", "new", f.Old, f.New)
		if d == "" {
			continue
		}
		d = endLine(capText(d, 4*maxCell))
		fence := codeFence(d)
		p.diffs[k] = append(p.diffs[k], fmt.Sprintf("<details><summary>%s <code>%s</code> %s: %s</summary>\n\n%sdiff\n%s%s\n\n</details>\n\n",
			f.Severity, MarkdownText(f.Name), MarkdownText(f.Type), MarkdownText(f.Kind), fence, d, fence))
	}
}

// parityBudget is the characters a parity report may still take. From the
// first piece that does not fit, none is taken: the pieces are offered
// errors first, so nothing lesser is kept where a greater one was left
// out (as github.Capped keeps lines).
type parityBudget struct {
	left int
	full bool
}

// take takes n characters, if they fit.
func (b *parityBudget) take(n int) bool {
	if b.full || n > b.left {
		b.full = true
		return false
	}
	b.left -= n
	return true
}

// fitParity chooses what fits in MaxParityMarkdown. The table's rows, in
// rank order, up to parityTableShare (the zones that hold all or none:
// a count says how many, not a row each). Then the sections, rank by rank
// (errors, warnings, the rest): the headings of that rank's zones, each
// with its first finding of that severity, then the findings of that
// severity of every zone, a row from each zone in turn (a zone of
// thousands of errors does not crowd out another zone's first error),
// then their diffs the same way (at most maxMarkdownDetails in all):
// every zone's error diffs before any zone's warning diffs.
func fitParity(parts []*parityPart) {
	table := parityBudget{left: parityTableShare}
	var holds []*parityPart
	for _, p := range parts {
		if p.rank == RankRest {
			holds = append(holds, p)
			continue
		}
		p.inTable = table.take(utf8.RuneCountInString(p.row))
	}
	n := 0
	for _, p := range holds {
		n += utf8.RuneCountInString(p.row)
	}
	if table.take(n) {
		for _, p := range holds {
			p.inTable = true
		}
	}
	b := &parityBudget{left: MaxParityMarkdown - len(parityTableHead) - parityNotes - (parityTableShare - table.left)}
	diffs := maxMarkdownDetails
	for rank := RankError; rank <= RankRest; rank++ {
		// The headings of this rank's zones, each with its first row of
		// this rank: thousands of headings do not crowd out every row.
		for _, p := range parts {
			if p.rank != rank || !p.says {
				continue
			}
			p.render()
			if !b.take(utf8.RuneCountInString(p.head) + p.frame()) {
				break
			}
			p.inHead = true
			if rows := p.rows[rank]; len(rows) > 0 && b.take(utf8.RuneCountInString(rows[0])) {
				p.nRows[rank] = 1
			}
		}
		roundRobin(parts, b, func(p *parityPart) []string { return p.rows[rank] }, func(p *parityPart) *int { return &p.nRows[rank] }, nil)
		if rank < RankRest {
			roundRobin(parts, b, func(p *parityPart) []string { return p.diffs[rank] }, func(p *parityPart) *int { return &p.nDiffs[rank] }, &diffs)
		}
	}
}

// roundRobin takes, of each part whose section is in, the next of its
// texts in turn, while they fit in b (and, with limit, while *limit
// allows: each taken counts one off it), counting them in *kept.
func roundRobin(parts []*parityPart, b *parityBudget, texts func(*parityPart) []string, kept func(*parityPart) *int, limit *int) {
	var active []*parityPart
	for _, p := range parts {
		if p.inHead && *kept(p) < len(texts(p)) {
			active = append(active, p)
		}
	}
	for len(active) > 0 {
		next := active[:0]
		for _, p := range active {
			if limit != nil && *limit == 0 {
				return
			}
			k := kept(p)
			if !b.take(utf8.RuneCountInString(texts(p)[*k])) {
				return
			}
			if limit != nil {
				*limit--
			}
			if *k++; *k < len(texts(p)) {
				next = append(next, p)
			}
		}
		active = next
	}
}

// writeParityTable writes the title and the summary table's rows that fit,
// then a note counting the zones left out by outcome.
func writeParityTable(w io.Writer, parts []*parityPart) {
	io.WriteString(w, parityTableHead)
	left, listed := map[string]int{}, map[string]bool{}
	for _, p := range parts {
		if p.inTable {
			io.WriteString(w, p.row)
			listed[p.outcome] = true
		} else {
			left[p.outcome]++
		}
	}
	if len(left) == 0 {
		return
	}
	var says []string
	for _, o := range ParityOutcomes() {
		n := left[o]
		if n == 0 {
			continue
		}
		zones := plural.N(n, "zone", "zones")
		if listed[o] {
			zones = plural.N(n, "more zone", "more zones")
		}
		says = append(says, zones+" "+outcomePhrase[o])
	}
	fmt.Fprintf(w, "\n_Not listed, to keep this comment under GitHub's size limit (errors first): %s. The JSON report (`--format json`) lists every zone._\n", strings.Join(says, ", "))
}

// outcomePhrase names the zones of an outcome in the summary's note.
var outcomePhrase = map[string]string{
	OutcomeDifferences: "with differences",
	OutcomeFileErrors:  "whose zone file has errors",
	OutcomeNotRun:      "that could not run",
	OutcomeInterrupted: "interrupted",
	OutcomeHolds:       "in parity",
}

// sectionsLeft counts the zones with a section that did not fit.
func sectionsLeft(parts []*parityPart) int {
	n := 0
	for _, p := range parts {
		if p.says && !p.inHead {
			n++
		}
	}
	return n
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

// write writes what fits of the zone's section, with a note for what was
// left out.
func (p *parityPart) write(w io.Writer) {
	if !p.inHead {
		return
	}
	io.WriteString(w, p.head)
	// The rows taken are each rank's first: a zone's warnings are taken
	// only once every error is, so they follow one another.
	if n := p.nRows[RankError] + p.nRows[RankWarning]; n > 0 {
		io.WriteString(w, findingHeader)
		for _, row := range p.rows[RankError][:p.nRows[RankError]] {
			io.WriteString(w, row)
		}
		for _, row := range p.rows[RankWarning][:p.nRows[RankWarning]] {
			io.WriteString(w, row)
		}
		fmt.Fprintln(w)
	}
	info := p.rows[RankRest]
	if p.nRows[RankRest] > 0 {
		fmt.Fprintf(w, "<details><summary>%s</summary>\n\n%s", plural.N(len(info), "info finding", "info findings"), findingHeader)
		for _, row := range info[:p.nRows[RankRest]] {
			io.WriteString(w, row)
		}
		fmt.Fprint(w, "\n</details>\n\n")
	}
	all, shown := 0, 0
	for k := range p.rows {
		all += len(p.rows[k])
		shown += p.nRows[k]
	}
	if left := all - shown; left > 0 {
		fmt.Fprintf(w, "_%d of %d findings left out to keep this comment under GitHub's size limit; the counts above are complete, and the JSON report (`--format json`) and the job's step summary list every finding._\n\n", left, all)
	}
	allDiffs, shownDiffs := 0, 0
	for k := range p.diffs {
		allDiffs += len(p.diffs[k])
		shownDiffs += p.nDiffs[k]
		for _, d := range p.diffs[k][:p.nDiffs[k]] {
			io.WriteString(w, d)
		}
	}
	if left := allDiffs - shownDiffs; left > 0 {
		fmt.Fprintf(w, "_%d of %d diffs left out; run `dnsparity parity` locally, or see the JSON report, for all._\n", left, allDiffs)
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
