package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// CheckJSON is the JSON shape of `check --format json`:
// {"problems":[{"file","line","severity","message"}]}, with "error" when a
// file could not be checked (exit 2).
type CheckJSON struct {
	Problems []ProblemJSON `json:"problems"`
	Error    string        `json:"error,omitempty"`
}

// WriteCheckJSON writes the problems, and failed (why files could not be
// checked) as the error.
func WriteCheckJSON(w io.Writer, problems []zone.Problem, failed []string) error {
	out := CheckJSON{Problems: []ProblemJSON{}, Error: strings.Join(failed, "; ")}
	for _, p := range problems {
		out.Problems = append(out.Problems, ProblemJSON{p.Pos.File, p.Pos.Line, string(p.Severity), p.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// CheckSummary is what a check run covered, for its summary line.
type CheckSummary struct {
	Files, Records int
	Tally          zone.Tally
	// Failed counts the files that could not be checked.
	Failed int
}

// WriteCheckText writes one line per problem (CheckLine), then the
// summary.
func WriteCheckText(w io.Writer, problems []zone.Problem, s CheckSummary) {
	for _, p := range problems {
		fmt.Fprintln(w, CheckLine(p))
	}
	line := fmt.Sprintf("dnsparity check: %d zone file(s), %d records: %d error(s), %d warning(s)", s.Files, s.Records, s.Tally.Errors, s.Tally.Warnings)
	if s.Tally.Hidden > 0 {
		line += fmt.Sprintf(" (%d not shown: --max-problems)", s.Tally.Hidden)
	}
	if s.Failed > 0 {
		line += fmt.Sprintf("; %d file(s) could not be checked", s.Failed)
	}
	fmt.Fprintln(w, line)
}

// CheckLine is FILE:LINE: message, with "warning: " (or "info: ") before
// the message (as named-checkzone prints warnings). A line that stands for
// the whole file (line 0) is FILE: message.
func CheckLine(p zone.Problem) string {
	msg := p.Message
	switch p.Severity {
	case zone.Warning:
		msg = "warning: " + msg
	case zone.Info:
		msg = "info: " + msg
	}
	if p.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", p.Pos.File, msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.Pos.File, p.Pos.Line, msg)
}

// WriteCheckMarkdown writes the problems as a table (info lines
// collapsed), under a heading with the counts.
func WriteCheckMarkdown(w io.Writer, ps []zone.Problem, s CheckSummary) {
	errs, warns, files := s.Tally.Errors, s.Tally.Warnings, s.Files
	if len(ps) == 0 {
		fmt.Fprintf(w, "### Zone check: no problems in %d zone file(s)\n", files)
		return
	}
	icon := "✅"
	if errs > 0 {
		icon = "❌"
	}
	fmt.Fprintf(w, "### Zone check %s: %d error(s), %d warning(s) in %d zone file(s)\n\n", icon, errs, warns, files)
	var main, info []zone.Problem
	for _, p := range ps {
		if p.Severity == zone.Info {
			info = append(info, p)
		} else {
			main = append(main, p)
		}
	}
	table := func(ps []zone.Problem) {
		fmt.Fprintln(w, "| File | Line | Severity | Message |")
		fmt.Fprintln(w, "|---|---:|---|---|")
		esc := strings.NewReplacer("|", `\|`, "\n", " ", "`", "'")
		for _, p := range ps {
			fmt.Fprintf(w, "| `%s` | %d | %s | %s |\n", esc.Replace(p.Pos.File), p.Pos.Line, p.Severity, MarkdownText(p.Message))
		}
	}
	if len(main) > 0 {
		table(main)
	}
	if len(info) > 0 {
		// Info lines (what was done for the user) collapsed.
		fmt.Fprintf(w, "\n<details><summary>%d info line(s)</summary>\n\n", len(info))
		table(info)
		fmt.Fprintln(w, "\n</details>")
	}
}

// ErrorsFirst orders a check report: errors, then warnings, then info
// lines, each in file and line order (as given); a line that counts
// problems left out (line 0) comes last.
func ErrorsFirst(ps []zone.Problem) {
	rank := func(p zone.Problem) int {
		if p.Pos.Line == 0 {
			return 3
		}
		switch p.Severity {
		case zone.Error:
			return 0
		case zone.Warning:
			return 1
		}
		return 2
	}
	sort.SliceStable(ps, func(i, j int) bool { return rank(ps[i]) < rank(ps[j]) })
}
