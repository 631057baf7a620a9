package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// WriteParityJSON writes one report as an object, several as an array
// (DESIGN.md).
func WriteParityJSON(w io.Writer, reps []*parity.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(reps) == 1 {
		return enc.Encode(reps[0])
	}
	if reps == nil {
		reps = []*parity.Report{}
	}
	return enc.Encode(reps)
}

func parityVerdict(r *parity.Report) string {
	e, wn, i := r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo)
	state := "parity holds"
	if e > 0 {
		state = "parity does NOT hold"
	}
	return fmt.Sprintf("%s: %d errors, %d warnings, %d info (%d queries in %.2fs)", state, e, wn, i, r.Queries, r.Seconds)
}

// WriteParityText writes reports for a terminal: per finding a one-line
// reason and a unified diff of the old and the new answer.
func WriteParityText(w io.Writer, reps []*parity.Report) {
	for _, r := range reps {
		fmt.Fprintf(w, "zone %s", r.Zone)
		if r.File != "" {
			fmt.Fprintf(w, " (%s)", r.File)
		}
		fmt.Fprintf(w, ": old %s, new %s\n", strings.Join(r.OldServers, " "), strings.Join(r.NewServers, " "))
		for _, f := range r.Findings {
			pos := f.Pos()
			if pos != "" {
				pos += ": "
			}
			fmt.Fprintf(w, "%s%s %s %s [%s]: %s\n", pos, strings.ToUpper(f.Severity), f.Name, f.Type, f.Kind, f.Detail)
			if d := Diff("old", "new", f.Old, f.New); d != "" && f.Severity != parity.SevInfo {
				for _, l := range strings.Split(strings.TrimRight(d, "\n"), "\n") {
					fmt.Fprintf(w, "    %s\n", l)
				}
			}
		}
		fmt.Fprintln(w, parityVerdict(r))
	}
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", "<br>")
	return s
}

// maxMarkdownDetails caps the collapsible diffs, for readability.
const maxMarkdownDetails = 100

// MaxParityMarkdown is the size (in characters) the Markdown parity report
// stays under: a GitHub PR comment holds at most 65,536, and the comment
// may carry other text.
const MaxParityMarkdown = 60000

// maxCell caps one table cell (an aggregated finding's detail can be long).
const maxCell = 1000

// WriteParityMarkdown writes reports for a PR comment: a summary table per
// zone and per kind and severity (always complete), then one row per
// finding and the diffs in <details>, cut where the report would exceed
// MaxParityMarkdown characters, with a line saying how many were left out.
func WriteParityMarkdown(w io.Writer, reps []*parity.Report) {
	var head strings.Builder
	fmt.Fprintln(&head, "## DNS parity")
	fmt.Fprintln(&head)
	fmt.Fprintln(&head, "| zone | result | errors | warnings | info | queries |")
	fmt.Fprintln(&head, "|---|---|---:|---:|---:|---:|")
	for _, r := range reps {
		res := "✅ parity holds"
		if !r.OK() {
			res = "❌ differences"
		}
		fmt.Fprintf(&head, "| `%s` | %s | %d | %d | %d | %d |\n", r.Zone, res, r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo), r.Queries)
	}
	// Per zone: the counts by kind and severity, then the rows and diffs
	// that fit.
	type part struct {
		summary     string
		rows, diffs []string
		nRows       int // rows that fit
		nDiffs      int
	}
	parts := make([]*part, len(reps))
	total := utf8.RuneCountInString(head.String())
	for i, r := range reps {
		p := &part{}
		parts[i] = p
		if len(r.Findings) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "\n### `%s`\n\n", r.Zone)
		fmt.Fprintln(&b, "| kind | errors | warnings | info |")
		fmt.Fprintln(&b, "|---|---:|---:|---:|")
		type counts [3]int
		byKind := map[string]*counts{}
		var kinds []string
		for _, f := range r.Findings {
			c := byKind[f.Kind]
			if c == nil {
				c = &counts{}
				byKind[f.Kind] = c
				kinds = append(kinds, f.Kind)
			}
			switch f.Severity {
			case parity.SevError:
				c[0]++
			case parity.SevWarning:
				c[1]++
			default:
				c[2]++
			}
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			c := byKind[k]
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", k, c[0], c[1], c[2])
		}
		fmt.Fprintln(&b)
		fmt.Fprintln(&b, "| severity | name | type | kind | where | reason |")
		fmt.Fprintln(&b, "|---|---|---|---|---|---|")
		p.summary = b.String()
		total += utf8.RuneCountInString(p.summary)
		for _, f := range r.Findings {
			p.rows = append(p.rows, fmt.Sprintf("| %s | `%s` | %s | %s | %s | %s |\n", f.Severity, f.Name, f.Type, f.Kind, mdCell(f.Pos()), mdCell(capText(f.Detail, maxCell))))
			d := Diff("old", "new", f.Old, f.New)
			if d == "" || f.Severity == parity.SevInfo {
				continue
			}
			p.diffs = append(p.diffs, fmt.Sprintf("<details><summary>%s <code>%s</code> %s: %s</summary>\n\n```diff\n%s```\n\n</details>\n\n",
				f.Severity, f.Name, f.Type, strings.ReplaceAll(f.Kind, "<", "&lt;"), endLine(capText(d, 4*maxCell))))
		}
	}
	// The rows first (zone by zone), then the diffs, while they fit; a
	// note per zone says what was left out.
	const note = 300 // room for each zone's notes
	budget := MaxParityMarkdown - total - note*len(reps)
	for _, p := range parts {
		for _, row := range p.rows {
			n := utf8.RuneCountInString(row)
			if n > budget {
				break
			}
			budget -= n
			p.nRows++
		}
	}
	shown := 0
	for _, p := range parts {
		for _, d := range p.diffs {
			n := utf8.RuneCountInString(d)
			if n > budget || shown == maxMarkdownDetails {
				break
			}
			budget -= n
			p.nDiffs++
			shown++
		}
	}
	io.WriteString(w, head.String())
	for _, p := range parts {
		if p.summary == "" {
			continue
		}
		io.WriteString(w, p.summary)
		for _, row := range p.rows[:p.nRows] {
			io.WriteString(w, row)
		}
		fmt.Fprintln(w)
		if left := len(p.rows) - p.nRows; left > 0 {
			fmt.Fprintf(w, "_%d of %d findings left out to keep this comment under GitHub's size limit; the counts above are complete, and the JSON report (`--format json`) and the job's step summary list every finding._\n\n", left, len(p.rows))
		}
		for _, d := range p.diffs[:p.nDiffs] {
			io.WriteString(w, d)
		}
		if left := len(p.diffs) - p.nDiffs; left > 0 {
			fmt.Fprintf(w, "_%d of %d diffs left out; run `dnsparity parity` locally, or see the JSON report, for all._\n", left, len(p.diffs))
		}
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
