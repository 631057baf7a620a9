package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

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

// maxMarkdownDetails caps the collapsible diffs so that a PR comment stays
// under GitHub's size limit.
const maxMarkdownDetails = 100

// WriteParityMarkdown writes reports for a PR comment: a summary table,
// then the diffs in <details>.
func WriteParityMarkdown(w io.Writer, reps []*parity.Report) {
	fmt.Fprintln(w, "## DNS parity")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| zone | result | errors | warnings | info | queries |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
	for _, r := range reps {
		res := "✅ parity holds"
		if !r.OK() {
			res = "❌ differences"
		}
		fmt.Fprintf(w, "| `%s` | %s | %d | %d | %d | %d |\n", r.Zone, res, r.Count(parity.SevError), r.Count(parity.SevWarning), r.Count(parity.SevInfo), r.Queries)
	}
	shown := 0
	for _, r := range reps {
		if len(r.Findings) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n### `%s`\n\n", r.Zone)
		fmt.Fprintln(w, "| severity | name | type | kind | where | reason |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|")
		for _, f := range r.Findings {
			fmt.Fprintf(w, "| %s | `%s` | %s | %s | %s | %s |\n", f.Severity, f.Name, f.Type, f.Kind, mdCell(f.Pos()), mdCell(f.Detail))
		}
		fmt.Fprintln(w)
		for _, f := range r.Findings {
			d := Diff("old", "new", f.Old, f.New)
			if d == "" || f.Severity == parity.SevInfo {
				continue
			}
			if shown == maxMarkdownDetails {
				fmt.Fprintln(w, "_More diffs left out; run `dnsparity parity` locally for all._")
				shown++
				continue
			}
			if shown > maxMarkdownDetails {
				continue
			}
			shown++
			fmt.Fprintf(w, "<details><summary>%s <code>%s</code> %s: %s</summary>\n\n```diff\n%s```\n\n</details>\n\n",
				f.Severity, f.Name, f.Type, strings.ReplaceAll(f.Kind, "<", "&lt;"), d)
		}
	}
}
