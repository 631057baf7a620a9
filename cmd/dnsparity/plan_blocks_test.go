package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/report"
)

// countWriter counts the writes it is given.
type countWriter struct {
	bytes.Buffer
	writes int
}

func (w *countWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestWritePlansInBlocks: plan's Markdown and text reports reach stdout
// (a step's redacting writer, which reads each write after the line
// before it) in blocks of report.BlockSize bytes, not a write per line,
// and as the renderer writes them.
func TestWritePlansInBlocks(t *testing.T) {
	entries := largePlan(t, 2000)
	for _, format := range []formatFlag{"markdown", "text"} {
		t.Run(string(format), func(t *testing.T) {
			out := &countWriter{}
			a := &app{stdout: out}
			a.writePlans(format, "plan", entries, "", nil)
			var want bytes.Buffer
			if format == "markdown" {
				report.WritePlanMarkdown(&want, "plan", entries)
			} else {
				report.WritePlanText(&want, entries)
			}
			if out.String() != want.String() {
				t.Fatalf("writePlans wrote %d bytes, the renderer %d", out.Len(), want.Len())
			}
			if most := want.Len()/report.BlockSize + 1; out.writes > most {
				t.Errorf("%d bytes in %d writes, want at most %d", want.Len(), out.writes, most)
			}
		})
	}
}

// TestCheckReportInBlocks: check's Markdown and text reports, too, reach
// stdout through inBlocks: a report of several lines in one write.
func TestCheckReportInBlocks(t *testing.T) {
	zone := filepath.Join(checkTestdata, "bad", "cname-and-other-data.zone")
	for _, format := range []string{"markdown", "text"} {
		t.Run(format, func(t *testing.T) {
			out := &countWriter{}
			a := &app{stdout: out, stderr: io.Discard, getenv: func(string) string { return "" }}
			a.main(context.Background(), []string{"check", "--format", format, zone})
			if lines := strings.Count(out.String(), "\n"); lines < 2 || out.writes != 1 {
				t.Errorf("%d lines in %d writes, want one:\n%s", lines, out.writes, out.String())
			}
		})
	}
}
