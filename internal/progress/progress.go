// Package progress shows how far long work has got, on stderr: nothing for
// work that ends quickly, then plain lines in CI logs or a bar redrawn in
// place on a terminal, each with done/total, rate and the time left.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Task prints how far a push (or a long read) has got on stderr, once a
// second, but only when it lasts longer than quietFor: plain lines in CI
// logs, a bar redrawn in place on a terminal, each with done/total, rate
// and the time left; with total 0, the time spent.
type Task struct {
	w     io.Writer
	tty   bool
	cmd   string // "push", "plan"
	label string
	total int
	now   func() time.Time

	mu      sync.Mutex
	start   time.Time
	done    int
	failed  bool // the task ended with an error: the last line says so
	printed time.Time
	ticker  *time.Ticker
	quit    chan struct{}
	wg      sync.WaitGroup
}

const (
	quietFor  = 1500 * time.Millisecond
	printEach = time.Second
)

// Start starts showing the progress of the task label of command cmd
// ("push", "plan") on w: total changes (0: not known). Stop ends it.
func Start(w io.Writer, cmd, label string, total int) *Task {
	p := &Task{w: w, tty: IsTerminal(w), cmd: cmd, label: label, total: total, now: time.Now, quit: make(chan struct{})}
	p.start = p.now()
	p.ticker = time.NewTicker(printEach / 2)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			select {
			case <-p.quit:
				return
			case <-p.ticker.C:
				p.tick(false)
			}
		}
	}()
	return p
}

// Update records done changes.
func (p *Task) Update(done int) {
	p.mu.Lock()
	p.done = done
	p.mu.Unlock()
	p.tick(false)
}

// Stop ends the ticker; a task that printed progress gets a last line.
func (p *Task) Stop() { p.End(nil) }

// End is Stop for a task that may have failed: with an error, the last
// line says it failed (not "done").
func (p *Task) End(err error) {
	p.mu.Lock()
	p.failed = err != nil
	p.mu.Unlock()
	p.ticker.Stop()
	close(p.quit)
	p.wg.Wait()
	p.tick(true)
}

// tick prints a line when one is due.
func (p *Task) tick(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if line, ok := p.line(now, final); ok {
		fmt.Fprint(p.w, p.render(line, final))
		p.printed = now
	}
}

// render is a line as it is written: plain with a newline, or on a
// terminal a bar (when the total is known) redrawn in place, ended with a
// newline by the final line.
func (p *Task) render(line string, final bool) string {
	if !p.tty {
		return line + "\n"
	}
	s := "\r"
	if p.total > 0 && !final {
		const width = 30
		f := float64(p.done) / float64(p.total)
		n := min(int(f*width), width)
		s += fmt.Sprintf("[%s%s] %3.0f%% ", strings.Repeat("#", n), strings.Repeat(".", width-n), 100*f)
	}
	s += line + "\033[K"
	if final {
		s += "\n"
	}
	return s
}

// line is the progress line due at now, if any: none before quietFor,
// then at most one each printEach; the final line only after others.
func (p *Task) line(now time.Time, final bool) (string, bool) {
	el := now.Sub(p.start)
	cmd := p.cmd
	if cmd == "" {
		cmd = "push"
	}
	if final {
		if p.printed.IsZero() {
			return "", false
		}
		if p.failed && p.total == 0 {
			return fmt.Sprintf("dnsparity %s: %s: failed after %s", cmd, p.label, el.Round(100*time.Millisecond)), true
		}
		if p.failed {
			return fmt.Sprintf("dnsparity %s: %s: %d/%d changes, then failed after %s", cmd, p.label, p.done, p.total, el.Round(100*time.Millisecond)), true
		}
		if p.total == 0 {
			return fmt.Sprintf("dnsparity %s: %s: done in %s", cmd, p.label, el.Round(100*time.Millisecond)), true
		}
		return fmt.Sprintf("dnsparity %s: %s: %d/%d changes in %s", cmd, p.label, p.done, p.total, el.Round(100*time.Millisecond)), true
	}
	if el < quietFor || (!p.printed.IsZero() && now.Sub(p.printed) < printEach) {
		return "", false
	}
	if p.total == 0 {
		return fmt.Sprintf("dnsparity %s: %s: %s elapsed", cmd, p.label, el.Round(time.Second)), true
	}
	s := fmt.Sprintf("dnsparity %s: %s: %d/%d changes, %s elapsed", cmd, p.label, p.done, p.total, el.Round(time.Second))
	if p.done > 0 && el > 0 {
		rate := float64(p.done) / el.Seconds()
		eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		s += fmt.Sprintf(", %.0f/s, about %s left", rate, eta.Round(time.Second))
	}
	return s, true
}

// IsTerminal reports whether w is a terminal (progress draws a bar there,
// plain lines elsewhere).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
