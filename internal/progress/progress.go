// Package progress shows how far long work has got, on stderr. Long work
// is handed a Progress explicitly and reports each task it starts to it
// (nil or None: nothing shown); one renderer, Line, draws every progress
// line of the binary: plain lines in CI logs, a bar redrawn in place on a
// terminal. Printer is the one Progress of the binary, for plan, push,
// parity and the cutover's parity gates: nothing for work that ends
// quickly, then done/total, rate and the time left; the binary makes it
// with NewPrinter, so that tasks under way at once (8 zones of a push)
// share one terminal line, one bar at a time. A task names what its
// total counts when it starts (StartUnits: "answers", "zones"; else
// "changes"), and only there.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress is what long work reports to: Start begins a task named label
// of total units (0: not known).
type Progress interface {
	Start(label string, total int) Task
}

// Task is one task under way: Update says how many units are done, Stop
// ends it.
type Task interface {
	Updater
	Stop()
}

// Updater is the part of a Task that work handed a task it does not own
// may use: Update says how many units are done. Whoever started the task
// stops it (a provider's Apply is handed its caller's task as an Updater).
type Updater interface {
	Update(done int)
}

// StartUnits starts a task on p as Start does, its total counting unit
// ("answers"): a Progress that can say so (a method StartUnits, as
// Printer has) names them in its lines; another starts the task with
// Start.
func StartUnits(p Progress, label string, total int, unit string) Task {
	if u, ok := p.(interface {
		StartUnits(label string, total int, unit string) Task
	}); ok {
		return u.StartUnits(label, total, unit)
	}
	return p.Start(label, total)
}

// End ends t as Stop does; when err is not nil, a task that can say so
// (a method Fail) ends with "failed after ..." instead of "done in ...".
func End(t Task, err error) {
	if f, ok := t.(interface{ Fail() }); ok && err != nil {
		f.Fail()
	}
	t.Stop()
}

// Failed says that n units of t (zones) failed so far, and are not done:
// a task that can say so (a method FailedUnits(n int)) counts them apart
// ("0/1 zones (1 failed)"), so that a unit that failed is not shown as
// done.
func Failed(t Task, n int) {
	if f, ok := t.(interface{ FailedUnits(int) }); ok {
		f.FailedUnits(n)
	}
}

// None shows nothing.
var None Progress = none{}

type none struct{}

func (none) Start(string, int) Task { return none{} }
func (none) Update(int)             {}
func (none) Stop()                  {}

// Printer shows the tasks of the command Cmd ("push", "plan", "parity",
// "flip") on W, each as "dnsparity CMD: LABEL: ...".
type Printer struct {
	W   io.Writer
	Cmd string

	// screen, when set (NewPrinter), is the one terminal line its tasks
	// share; copies of the Printer share it too.
	screen *screen
}

// NewPrinter is a Printer whose tasks, several under way at once (plan
// and push work on 8 zones at a time, each zone's read its own task,
// beside the tally of zones), share one terminal line: one bar at a time
// is drawn in place there, never two over each other (screen). In a log
// each task prints its own lines, as a Printer{} does.
// A Console w gives its tasks the console's line, which the plain lines
// written to it share.
func NewPrinter(w io.Writer, cmd string) Printer {
	if c, ok := w.(*Console); ok {
		return Printer{W: w, Cmd: cmd, screen: c.screen}
	}
	return Printer{W: w, Cmd: cmd, screen: &screen{line: &Line{W: w, TTY: IsTerminal(w)}}}
}

// Console is a command's stderr as the progress of the Printers made on it
// (NewPrinter) and its plain lines (a note, a warning) share it. On a
// terminal, a plain line written while a bar is drawn first clears the
// bar's line, so that the two never share one line; the bar is drawn again
// below at its next tick. Write whole lines: a bar drawn after a part of a
// line would draw over it.
type Console struct {
	screen *screen
	// plain is where the plain lines go: Printable of the screen's
	// writer (a line quoting a server's text holds no raw control;
	// made at the first line when nil).
	plain io.Writer
}

// NewConsole is the Console on w (a terminal when w is one).
func NewConsole(w io.Writer) *Console {
	return &Console{screen: &screen{line: &Line{W: w, TTY: IsTerminal(w)}}, plain: Printable(w)}
}

// Write writes b on its own line, every control character but the line
// feed and the tab written as its escape (Printable).
func (c *Console) Write(b []byte) (int, error) {
	s := c.screen
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.line.clear(); err != nil {
		return 0, err
	}
	if c.plain == nil {
		c.plain = Printable(s.line.W)
	}
	return c.plain.Write(b)
}

// screen is the line the tasks of a NewPrinter share. On a terminal the
// first task that draws owns it until it ends: the others' lines are not
// drawn meanwhile (their final lines are, each a whole line, and the
// owner's bar is drawn again below at its next tick); then the next task
// that draws takes it. Its lock is taken inside a task's, never around
// one.
type screen struct {
	mu    sync.Mutex
	line  *Line
	owner *timed
}

func (s *screen) show(t *timed, frac float64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.line.TTY {
		if s.owner != nil && s.owner != t {
			return
		}
		s.owner = t
	}
	s.line.Show(frac, text)
}

func (s *screen) end(t *timed, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line.End(text)
	if s.owner == t {
		s.owner = nil
	}
}

// Start starts showing the task on p.W; Stop ends it.
func (p Printer) Start(label string, total int) Task {
	return p.StartUnits(label, total, "")
}

// StartUnits is Start for a task whose total counts unit ("": changes).
func (p Printer) StartUnits(label string, total int, unit string) Task {
	s := p.screen
	if s == nil { // a Printer{}: a line of the task's own
		s = &screen{line: &Line{W: p.W, TTY: IsTerminal(p.W)}}
	}
	t := start(s, p.Cmd, label, total)
	t.unit = unit
	return t
}

// timed prints how far a task (a push, a long read, parity's answers) has
// got, once a second, but only when it lasts longer than quietFor, each
// line with done/total, rate and the time left; with total 0, the time
// spent.
type timed struct {
	screen *screen // the line it draws on (shared with other tasks: NewPrinter)
	cmd    string  // "push", "plan"
	label  string
	total  int
	unit   string
	now    func() time.Time

	mu      sync.Mutex
	start   time.Time
	done    int
	failed  bool // the task ended with an error: the last line says so
	nFailed int  // units that failed (Failed), not counted in done
	printed time.Time
	ticker  *time.Ticker
	quit    chan struct{}
	wg      sync.WaitGroup
}

const (
	quietFor  = 1500 * time.Millisecond
	printEach = time.Second
)

func start(s *screen, cmd, label string, total int) *timed {
	p := &timed{screen: s, cmd: cmd, label: label, total: total, now: time.Now, quit: make(chan struct{})}
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
func (p *timed) Update(done int) { p.set(func() { p.done = done }) }

// Fail makes the last line say the task failed (End).
func (p *timed) Fail() {
	p.mu.Lock()
	p.failed = true
	p.mu.Unlock()
}

// FailedUnits records n units failed (Failed).
func (p *timed) FailedUnits(n int) { p.set(func() { p.nFailed = n }) }

// set makes a change to the counts (f) under the lock, then prints a
// line if one is due.
func (p *timed) set(f func()) {
	p.mu.Lock()
	f()
	p.mu.Unlock()
	p.tick(false)
}

// Stop ends the ticker; a task that printed progress gets a last line.
func (p *timed) Stop() {
	p.ticker.Stop()
	close(p.quit)
	p.wg.Wait()
	p.tick(true)
}

// tick prints a line when one is due: a bar (when the total is known)
// with the line, the final line ending it.
func (p *timed) tick(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	line, ok := p.text(now, final)
	if !ok {
		return
	}
	frac := -1.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	if final {
		p.screen.end(p, line)
	} else {
		p.screen.show(p, frac, line)
	}
	p.printed = now
}

// text is the progress line due at now, if any: none before quietFor,
// then at most one each printEach; the final line only after others.
func (p *timed) text(now time.Time, final bool) (string, bool) {
	el := now.Sub(p.start)
	cmd := p.cmd
	if final {
		if p.printed.IsZero() {
			return "", false
		}
		if p.failed && p.total == 0 {
			return fmt.Sprintf("dnsparity %s: %s: failed after %s", cmd, p.label, el.Round(100*time.Millisecond)), true
		}
		if p.failed {
			return fmt.Sprintf("dnsparity %s: %s: %d/%d %s, then failed after %s", cmd, p.label, p.done, p.total, p.units(), el.Round(100*time.Millisecond)), true
		}
		if p.total == 0 {
			return fmt.Sprintf("dnsparity %s: %s: done in %s", cmd, p.label, el.Round(100*time.Millisecond)), true
		}
		return fmt.Sprintf("dnsparity %s: %s: %d/%d %s%s in %s", cmd, p.label, p.done, p.total, p.units(), p.failedNote(), el.Round(100*time.Millisecond)), true
	}
	if el < quietFor || (!p.printed.IsZero() && now.Sub(p.printed) < printEach) {
		return "", false
	}
	if p.total == 0 {
		return fmt.Sprintf("dnsparity %s: %s: %s elapsed", cmd, p.label, el.Round(time.Second)), true
	}
	s := fmt.Sprintf("dnsparity %s: %s: %d/%d %s%s, %s elapsed", cmd, p.label, p.done, p.total, p.units(), p.failedNote(), el.Round(time.Second))
	if p.done > 0 && el > 0 {
		rate := float64(p.done) / el.Seconds()
		eta := time.Duration(float64(max(0, p.total-p.done-p.nFailed)) / rate * float64(time.Second))
		s += fmt.Sprintf(", %.0f/s, about %s left", rate, eta.Round(time.Second))
	}
	return s, true
}

// failedNote is " (N failed)" after done/total when units failed.
func (p *timed) failedNote() string {
	if p.nFailed == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d failed)", p.nFailed)
}

// units is what the total counts ("changes" unless said).
func (p *timed) units() string {
	if p.unit == "" {
		return "changes"
	}
	return p.unit
}

// Line draws a progress line on W: on a terminal (TTY) redrawn in place
// after a bar, elsewhere one plain line each time.
type Line struct {
	W     io.Writer
	TTY   bool
	drawn bool
}

// Show draws text, on a terminal after a bar frac (0..1) full (frac < 0:
// no bar).
func (l *Line) Show(frac float64, text string) {
	if !l.TTY {
		fmt.Fprint(l.W, text+"\n")
		return
	}
	s := "\r"
	if frac >= 0 {
		const width = 30
		n := min(int(frac*width), width)
		s += fmt.Sprintf("[%s%s] %3.0f%% ", strings.Repeat("#", n), strings.Repeat(".", width-n), 100*frac)
	}
	fmt.Fprint(l.W, s+text+"\033[K")
	l.drawn = true
}

// End ends the line with its last text: on a terminal drawn in place,
// then a newline.
func (l *Line) End(text string) {
	if l.TTY {
		fmt.Fprint(l.W, "\r"+text+"\033[K\n")
	} else {
		fmt.Fprint(l.W, text+"\n")
	}
	l.drawn = false // the line is ended: nothing is drawn on the next one yet
}

// clear wipes a bar drawn on a terminal, so that a plain line written
// next is a line of its own (Console); the bar is drawn again at its
// task's next tick.
func (l *Line) clear() error {
	if !l.TTY || !l.drawn {
		return nil
	}
	l.drawn = false
	_, err := io.WriteString(l.W, "\r\033[K")
	return err
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
