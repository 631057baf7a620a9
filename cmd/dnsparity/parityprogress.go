package main

import (
	"fmt"
	"io"
	"time"

	"github.com/dnsparity/dnsparity/internal/parity"
	prog "github.com/dnsparity/dnsparity/internal/progress"
)

// progress draws a parity run's figures with the binary's one progress
// renderer (progress.Line): a bar redrawn in place on a terminal, a plain
// line every few seconds otherwise (CI logs).
type progress struct {
	line *prog.Line
}

func newProgress(w io.Writer, zoneName string) *progress {
	return &progress{line: prog.NewLine(w, "parity "+zoneName+": ")}
}

// every is how often the run reports (parity.Options.ProgressEvery).
func (p *progress) every() time.Duration { return p.line.Every() }

// update is called by the run (one goroutine at a time).
func (p *progress) update(pr parity.Progress) {
	total := pr.Questions * pr.Servers
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Queries) / s
	}
	eta := "--"
	if d := pr.ETA(); d > 0 {
		eta = d.Round(time.Second).String()
	}
	line := fmt.Sprintf("%d/%d answers (%d questions × %d servers), %.0f queries/s, ETA %s", pr.Answered, total, pr.Questions, pr.Servers, rate, eta)
	if pr.Stage != "" {
		line = pr.Stage + ": " + line
	}
	p.line.Show(pr.Done(), line)
}

func (p *progress) done() { p.line.End("") }
