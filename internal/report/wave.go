package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// WriteWaveJSON writes a step over several zones: {"reports": [...],
// "summary": {"command", "zones", "wave", "done", "refused", "failed",
// "skipped"}, "exit"}.
func WriteWaveJSON(w io.Writer, r *cutover.WaveReport) error {
	return writeIndented(w, struct {
		*cutover.WaveReport
		Exit int `json:"exit"`
	}{r, r.ExitCode()})
}

// waveLine is the one summary of a step over several zones.
func waveLine(r *cutover.WaveReport) string {
	s := r.Summary
	line := fmt.Sprintf("%s: %s in waves of %d: %d done, %d refused, %d could not run", s.Command, plural.N(s.Zones, "zone", "zones"), s.Wave, len(s.Done), len(s.Refused), len(s.Failed))
	if len(s.Skipped) > 0 {
		line += fmt.Sprintf(", %d not started (stopped at the first refusal)", len(s.Skipped))
	}
	return line
}

// WriteWaveText writes each zone's report, then the summary naming the
// zones refused, failed and not started.
func WriteWaveText(w io.Writer, r *cutover.WaveReport) {
	for i, rep := range r.Reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		WriteCutoverText(w, rep)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, waveLine(r))
	// Each zone in one line: its result, what refused it, and its next
	// step with its time, so that a wave of many zones says why and when
	// without its reports read one by one.
	for _, rep := range r.Reports {
		line := fmt.Sprintf("  %s: %s%s", rep.Zone, rep.Result, refusedBy(rep))
		if len(rep.Next) > 0 {
			line += fmt.Sprintf("; next: %s %s", rep.Next[0].Step, nextWhen(rep.Next[0]))
		}
		fmt.Fprintln(w, line)
	}
	for _, l := range []struct {
		what  string
		zones []string
	}{{"refused", r.Summary.Refused}, {"could not run", r.Summary.Failed}, {"not started", r.Summary.Skipped}} {
		if len(l.zones) > 0 {
			fmt.Fprintf(w, "  %s: %s\n", l.what, strings.Join(l.zones, " "))
		}
	}
}

// WriteWaveMarkdown writes the summary as a table of the zones, then each
// zone's report.
func WriteWaveMarkdown(w io.Writer, r *cutover.WaveReport) {
	fmt.Fprintf(w, "## %s\n\n| zone | result |\n|---|---|\n", MarkdownText(waveLine(r)))
	for _, rep := range r.Reports {
		fmt.Fprintf(w, "| %s | %s |\n", MarkdownText(rep.Zone), MarkdownText(rep.Result))
	}
	for _, z := range r.Summary.Skipped {
		fmt.Fprintf(w, "| %s | not started |\n", MarkdownText(z))
	}
	fmt.Fprintln(w)
	for _, rep := range r.Reports {
		WriteCutoverMarkdown(w, rep)
		fmt.Fprintln(w)
	}
}
