package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// TestWaveErrorsFirst: text and Markdown over several zones put the
// zones that could not run first, then those refused, then the rest,
// each rank in the order the reports came (cutover.Report.WaveRank, the
// Action's order), in the reports and in the summary alike; JSON keeps
// the order they came in. Before, text and Markdown kept that order:
// an error in the 40th zone of a wave stood below 39 zones done.
func TestWaveErrorsFirst(t *testing.T) {
	rep := func(zone, result string) *cutover.Report {
		return &cutover.Report{Zone: zone, Command: "flip", Result: result, Warnings: []string{"report-of-" + zone[:1]}}
	}
	reps := []*cutover.Report{
		rep("a.test.", cutover.ResultDone), rep("b.test.", cutover.ResultRefused), rep("c.test.", cutover.ResultError),
		rep("d.test.", cutover.ResultDone), rep("e.test.", cutover.ResultRefused), rep("f.test.", cutover.ResultError),
	}
	r := &cutover.WaveReport{Reports: reps, Summary: cutover.Summary{Command: "flip", Zones: 7, Wave: 2,
		Done: []string{"a.test.", "d.test."}, Refused: []string{"b.test.", "e.test."}, Failed: []string{"c.test.", "f.test."}, Skipped: []string{"g.test."}}}
	for _, c := range []struct {
		format string
		// summary starts the summary; zone is how it names a zone
		// there.
		summary string
		zone    func(string) string
		want    string // the zones' order in the summary
	}{
		{"text", "flip: 7 zones", func(z string) string { return "  " + z + ": " }, "cfbead"},
		{"markdown", "| zone | result |", func(z string) string { return "| " + MarkdownText(z) + " |" }, "cfbegad"},
	} {
		t.Run(c.format, func(t *testing.T) {
			out := writeWave(t, c.format, reps, r)
			if got := zoneOrder(out, "abcdef", func(z string) string { return "report-of-" + z }); got != "cfbead" {
				t.Errorf("reports in the order %q, want %q:\n%s", got, "cfbead", out)
			}
			at := strings.Index(out, c.summary)
			if at < 0 {
				t.Fatalf("no summary %q:\n%s", c.summary, out)
			}
			if got := zoneOrder(out[at:], "abcdefg", func(z string) string { return c.zone(z + ".test.") }); got != c.want {
				t.Errorf("summary in the order %q, want %q:\n%s", got, c.want, out[at:])
			}
		})
	}
	var js bytes.Buffer
	ww := NewWaveWriter(&js, "json")
	for _, rep := range reps {
		ww.Add(rep)
	}
	if err := ww.End(r); err != nil {
		t.Fatal(err)
	}
	if got := zoneOrder(js.String(), "abcdef", func(z string) string { return "report-of-" + z }); got != "abcdef" {
		t.Errorf("JSON reports in the order %q, want them as they came", got)
	}
}

// zoneOrder is the letters of zones in the order of where each one's mark
// (mark(letter)) first stands in out; a letter whose mark is missing is
// left out.
func zoneOrder(out, zones string, mark func(string) string) string {
	type at struct {
		z string
		i int
	}
	var ats []at
	for _, z := range strings.Split(zones, "") {
		if i := strings.Index(out, mark(z)); i >= 0 {
			ats = append(ats, at{z, i})
		}
	}
	slices.SortFunc(ats, func(a, b at) int { return a.i - b.i })
	var s strings.Builder
	for _, a := range ats {
		s.WriteString(a.z)
	}
	return s.String()
}

// TestWaveErrorsFirstWithinDone: among zones that are neither refused nor
// failed (status observes and exits 0 whatever its gates say), text and
// Markdown put those with errors or unmet gates first, then those with
// warnings, then the rest (cutover.Report.WaveRank). Before, they stood in
// the order given: a status of thousands of zones cut to GitHub's size
// kept the zones that hold and dropped a late zone whose parity failed.
func TestWaveErrorsFirstWithinDone(t *testing.T) {
	rep := func(zone string, gateOK bool, warnings ...string) *cutover.Report {
		return &cutover.Report{Zone: zone, Command: "status", Result: cutover.ResultObserved, Warnings: warnings,
			Gates: []cutover.Gate{{Name: "parity", OK: gateOK, Detail: "gate-of-" + zone[:1]}}}
	}
	reps := []*cutover.Report{rep("a.test.", true), rep("b.test.", true, "a warning"), rep("c.test.", false),
		rep("d.test.", true), &cutover.Report{Zone: "e.test.", Command: "status", Result: cutover.ResultObserved, Errors: []string{"an error"}}}
	r := &cutover.WaveReport{Reports: reps, Summary: cutover.Summary{Command: "status", Zones: 5, Wave: 2}}
	for _, c := range []struct {
		format, summary string
		zone            func(string) string
	}{
		{"text", "status: 5 zones", func(z string) string { return "  " + z + ": " }},
		{"markdown", "| zone | result |", func(z string) string { return "| " + MarkdownText(z) + " |" }},
	} {
		t.Run(c.format, func(t *testing.T) {
			out := writeWave(t, c.format, reps, r)
			at := strings.Index(out, c.summary)
			if at < 0 {
				t.Fatalf("no summary %q:\n%s", c.summary, out)
			}
			if got, want := zoneOrder(out[at:], "abcde", func(z string) string { return c.zone(z + ".test.") }), "cebad"; got != want {
				t.Errorf("summary in the order %q, want %q:\n%s", got, want, out[at:])
			}
			if got, want := zoneOrder(out, "abcd", func(z string) string { return "gate-of-" + z }), "cbad"; got != want {
				t.Errorf("reports in the order %q, want %q:\n%s", got, want, out)
			}
		})
	}
}

// writeWave is the wave of reps (summary r) as WaveWriter writes it in
// format.
func writeWave(t *testing.T, format string, reps []*cutover.Report, r *cutover.WaveReport) string {
	t.Helper()
	var b bytes.Buffer
	ww := NewWaveWriter(&b, format)
	for _, rep := range reps {
		ww.Add(rep)
	}
	if err := ww.End(r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
