package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// WaveWriter writes a step over several zones in a format ("json":
// {"reports": [...], "summary": {"command", "zones", "wave", "done",
// "refused", "failed", "skipped"}, "exit"}; "markdown": the summary as
// a table of the zones, then each zone's report; else text: each zone's
// report, then the summary naming the zones refused, failed and not
// started) as its zones' reports come (Add, in the order given), then
// the summary (End), without holding every zone's report until the
// last is done (cutover.StreamWaves). It keeps a line per zone
// for the summary and, for Markdown, whose table of the zones comes
// first, each report as rendered.
//
// Text and Markdown put errors first (cutover.Report.WaveRank, as the
// Action's step report does): the zones that could not run, then those
// refused (and those not started), then those with errors or unmet
// gates, with warnings, then the rest, each rank in the order added; text writes a
// zone that could not run at once and keeps the others' reports until
// End. JSON is written in the order added.
type WaveWriter struct {
	// Redact, when set, takes the secrets out of each JSON value written
	// (a zone's report, the summary: each a JSON text of its own, so
	// that only its strings change; redact.Secrets.ReplaceBytes).
	Redact func([]byte) []byte
	w      io.Writer
	format string
	n      int // the reports added
	// lines are, by rank, text: each zone's line of the summary;
	// markdown: its row.
	lines [cutover.WaveRanks][]string
	// md are, by rank, the Markdown reports, written after the table.
	md [cutover.WaveRanks]bytes.Buffer
	// held are, by rank, the text reports not written at once.
	held [cutover.WaveRanks][]string
	// written: text, a report was written.
	written bool
	err     error // the first write that failed
}

// NewWaveWriter writes to w in format.
func NewWaveWriter(w io.Writer, format string) *WaveWriter {
	return &WaveWriter{w: w, format: format}
}

// Add writes one zone's report (Markdown: keeps it for after the table).
func (ww *WaveWriter) Add(rep *cutover.Report) {
	switch ww.format {
	case "json":
		b, err := ww.marshal(rep, "    ")
		if err != nil {
			ww.err = cmp.Or(ww.err, err)
			return
		}
		lead := ",\n    "
		if ww.n == 0 {
			lead = "{\n  \"reports\": [\n    "
		}
		ww.write(lead, string(b))
	case "markdown":
		r := rep.WaveRank()
		ww.lines[r] = append(ww.lines[r], fmt.Sprintf("| %s | %s |\n", MarkdownText(rep.Zone), MarkdownText(rep.Result)))
		WriteCutoverMarkdown(&ww.md[r], rep)
		fmt.Fprintln(&ww.md[r])
	default:
		r := rep.WaveRank()
		var b strings.Builder
		WriteCutoverText(&b, rep)
		if r == 0 {
			ww.writeReport(b.String())
		} else {
			ww.held[r] = append(ww.held[r], b.String())
		}
		// Each zone in one line: its result, what refused it, and its
		// next step with its time, so that a wave of many zones says why
		// and when without its reports read one by one.
		line := fmt.Sprintf("  %s: %s%s", rep.Zone, rep.Result, refusedBy(rep))
		if len(rep.Next) > 0 {
			line += fmt.Sprintf("; next: %s %s", rep.Next[0].Step, nextWhen(rep.Next[0]))
		}
		ww.lines[r] = append(ww.lines[r], line+"\n")
	}
	ww.n++
}

// writeReport writes one zone's text report, a blank line before it
// when one was written.
func (ww *WaveWriter) writeReport(s string) {
	if ww.written {
		ww.write("\n")
	}
	ww.written = true
	ww.write(s)
}

// End writes the summary of r (its Reports are those added) and returns
// the first write that failed.
func (ww *WaveWriter) End(r *cutover.WaveReport) error {
	switch ww.format {
	case "json":
		sum, err := ww.marshal(r.Summary, "  ")
		if err != nil {
			return cmp.Or(ww.err, err)
		}
		if ww.n == 0 {
			ww.write("{\n  \"reports\": [],\n")
		} else {
			ww.write("\n  ],\n")
		}
		ww.write(`  "summary": `, string(sum), fmt.Sprintf(",\n  \"exit\": %d\n}\n", r.ExitCode()))
	case "markdown":
		ww.write(fmt.Sprintf("## %s\n\n| zone | result |\n|---|---|\n", MarkdownText(waveLine(r))))
		// The zones not started (after a refusal) after those refused,
		// before the rest, as the Action's report has them.
		for i := range ww.lines {
			if i == cutover.WaveRankSkipped {
				for _, z := range r.Summary.Skipped {
					ww.write(fmt.Sprintf("| %s | not started |\n", MarkdownText(z)))
				}
			}
			ww.write(ww.lines[i]...)
		}
		ww.write("\n")
		for i := range ww.md {
			ww.write(ww.md[i].String())
		}
	default:
		for _, reps := range ww.held {
			for _, rep := range reps {
				ww.writeReport(rep)
			}
		}
		ww.write("\n", waveLine(r), "\n")
		for i := range ww.lines {
			ww.write(ww.lines[i]...)
		}
		for _, l := range []struct {
			what  string
			zones []string
		}{{"refused", r.Summary.Refused}, {"could not run", r.Summary.Failed}, {"not started", r.Summary.Skipped}} {
			if len(l.zones) > 0 {
				ww.write(fmt.Sprintf("  %s: %s\n", l.what, strings.Join(l.zones, " ")))
			}
		}
	}
	return ww.err
}

// marshal is v as JSON indented within the document at prefix,
// redacted (Redact).
func (ww *WaveWriter) marshal(v any, prefix string) ([]byte, error) {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err == nil && ww.Redact != nil {
		b = ww.Redact(b)
	}
	return b, err
}

// write writes ss, unless a write failed before.
func (ww *WaveWriter) write(ss ...string) {
	for _, s := range ss {
		if ww.err == nil {
			_, ww.err = io.WriteString(ww.w, s)
		}
	}
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

// WaveOut is where a command writes a step over several zones as its
// reports come: out in format, a JSON copy to jsonCopy (nil: none), and
// JSON to stream instead of out when stream is set (a step log's:
// each value redacted by redactJSON, not the document held whole).
type WaveOut struct {
	out *WaveWriter
	all []*WaveWriter
}

// NewWaveOut writes to out in format (see WaveOut).
func NewWaveOut(out io.Writer, format string, jsonCopy, stream io.Writer, redactJSON func([]byte) []byte) *WaveOut {
	o := &WaveOut{out: NewWaveWriter(out, format)}
	if jsonCopy != nil {
		o.all = append(o.all, NewWaveWriter(jsonCopy, "json"))
	}
	if stream != nil && format == "json" {
		o.out = NewWaveWriter(stream, "json")
		o.out.Redact = redactJSON
	}
	o.all = append(o.all, o.out)
	return o
}

// Add writes one zone's report to every output.
func (o *WaveOut) Add(r *cutover.Report) {
	for _, w := range o.all {
		w.Add(r)
	}
}

// End writes every output's summary; the error is the JSON output's
// first failed write (text and Markdown are written as well as they
// can be).
func (o *WaveOut) End(r *cutover.WaveReport) error {
	var err error
	for _, w := range o.all {
		if e := w.End(r); e != nil && w == o.out && w.format == "json" {
			err = e
		}
	}
	return err
}
