package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// CheckJSON is the JSON shape of `check --format json`:
// {"problems":[{"file","line","severity","message"}]}, with "error" first
// when a file could not be checked (exit 2).
type CheckJSON struct {
	// Error first, as plan's: a report of many problems does not hide
	// why it is incomplete at its end.
	Error    string        `json:"error,omitempty"`
	Problems []ProblemJSON `json:"problems"`
}

// WriteCheckJSON writes the problems, and failed (why files could not be
// checked) as the error.
func WriteCheckJSON(w io.Writer, problems []zone.Problem, failed []string) error {
	return WriteCheckJSONExtra(w, problems, failed, nil)
}

// WriteCheckJSONExtra is WriteCheckJSON with more top-level keys after
// the problems (extra: a pointer to a struct, or nil; --shard adds
// "shard" and "exit").
func WriteCheckJSONExtra(w io.Writer, problems []zone.Problem, failed []string, extra any) error {
	out := CheckJSON{Problems: []ProblemJSON{}, Error: strings.Join(failed, "; ")}
	for _, p := range problems {
		out.Problems = append(out.Problems, ProblemJSON{p.Pos.File, p.Pos.Line, string(p.Severity), p.Message})
	}
	var v any = out
	if extra != nil {
		b, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		x, err := json.Marshal(extra)
		if err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		if len(x) > 2 { // the extra object's keys after the others
			b = append(append(b[:len(b)-1], ','), x[1:]...)
		}
		v = json.RawMessage(b)
	}
	if err := writeIndented(w, v); err != nil {
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
	// Shard names the shard of a --shard run ("" otherwise).
	Shard string
}

// WriteCheckText writes one line per problem (CheckLine), then the
// summary.
func WriteCheckText(w io.Writer, problems []zone.Problem, s CheckSummary) {
	for _, p := range problems {
		fmt.Fprintln(w, CheckLine(p))
	}
	line := fmt.Sprintf("dnsparity check: %s, %s: %s, %s", plural.N(s.Files, "zone file", "zone files"), plural.N(s.Records, "record", "records"), plural.N(s.Tally.Errors, "error", "errors"), plural.N(s.Tally.Warnings, "warning", "warnings"))
	if n := s.Tally.Hidden(); n > 0 {
		line += fmt.Sprintf(" (%d not shown: --max-problems)", n)
	}
	if s.Failed > 0 {
		line += fmt.Sprintf("; %s could not be checked", plural.N(s.Failed, "file", "files"))
	}
	if s.Shard != "" {
		line += fmt.Sprintf(" (shard %s)", s.Shard)
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
		fmt.Fprintf(w, "### Zone check: no problems in %s\n", plural.N(files, "zone file", "zone files"))
		return
	}
	icon := "✅"
	if errs > 0 {
		icon = "❌"
	}
	fmt.Fprintf(w, "### Zone check %s: %s, %s in %s\n\n", icon, plural.N(errs, "error", "errors"), plural.N(warns, "warning", "warnings"), plural.N(files, "zone file", "zone files"))
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
		for _, p := range ps {
			fmt.Fprintf(w, "| `%s` | %d | %s | %s |\n", MarkdownCode(p.Pos.File), p.Pos.Line, p.Severity, MarkdownText(p.Message))
		}
	}
	if len(main) > 0 {
		table(main)
	}
	if len(info) > 0 {
		// Info lines (what was done for the user) collapsed.
		fmt.Fprintf(w, "\n<details><summary>%s</summary>\n\n", plural.N(len(info), "info line", "info lines"))
		table(info)
		fmt.Fprintln(w, "\n</details>")
	}
}

// ErrorsFirst orders a check report: errors, then warnings, then info
// lines, each in file and line order (as given); a line that counts
// problems left out (line 0) comes last.
func ErrorsFirst(ps []zone.Problem) {
	ErrorsFirstBy(ps, func(p zone.Problem) int {
		if p.Pos.Line == 0 {
			return RankRest + 1
		}
		switch p.Severity {
		case zone.Error:
			return RankError
		case zone.Warning:
			return RankWarning
		}
		return RankRest
	})
}
