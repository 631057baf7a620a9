package progress

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestProgressLines: nothing for a short push; then at most a line a
// second with done/total, rate and time left; a last line only after
// others.
func TestProgressLines(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &timed{cmd: "push", label: "provider new, zone example.com.", total: 1000, start: t0}
	steps := []struct {
		at    time.Duration
		done  int
		final bool
		want  string // "" for no line
	}{
		{500 * time.Millisecond, 100, false, ""},
		{1400 * time.Millisecond, 200, false, ""},
		{2 * time.Second, 400, false, "dnsparity push: provider new, zone example.com.: 400/1000 changes, 2s elapsed, 200/s, about 3s left"},
		{2500 * time.Millisecond, 500, false, ""},
		{3 * time.Second, 600, false, "dnsparity push: provider new, zone example.com.: 600/1000 changes, 3s elapsed, 200/s, about 2s left"},
		{5 * time.Second, 1000, true, "dnsparity push: provider new, zone example.com.: 1000/1000 changes in 5s"},
	}
	for _, s := range steps {
		p.done = s.done
		line, ok := p.text(t0.Add(s.at), s.final)
		if ok != (s.want != "") || line != s.want {
			t.Errorf("at %s: %q %v, want %q", s.at, line, ok, s.want)
		}
		if ok {
			p.printed = t0.Add(s.at)
		}
	}
	read := &timed{cmd: "plan", label: "reading zone example.com. from provider old", start: t0}
	for _, s := range []struct {
		at    time.Duration
		final bool
		want  string
	}{
		{time.Second, false, ""},
		{2 * time.Second, false, "dnsparity plan: reading zone example.com. from provider old: 2s elapsed"},
		{2500 * time.Millisecond, true, "dnsparity plan: reading zone example.com. from provider old: done in 2.5s"},
	} {
		line, ok := read.text(t0.Add(s.at), s.final)
		if ok != (s.want != "") || line != s.want {
			t.Errorf("read at %s: %q %v, want %q", s.at, line, ok, s.want)
		}
		if ok {
			read.printed = t0.Add(s.at)
		}
	}
	// A read or a push that failed says so in its last line, not "done".
	failed := &timed{cmd: "plan", label: "reading zone example.com. from provider old", start: t0, printed: t0.Add(2 * time.Second)}
	failed.Fail()
	if line, _ := failed.text(t0.Add(3500*time.Millisecond), true); line != "dnsparity plan: reading zone example.com. from provider old: failed after 3.5s" {
		t.Errorf("failed read: %q", line)
	}
	failedPush := &timed{cmd: "push", label: "provider new, zone example.com.", total: 10, done: 4, start: t0, printed: t0.Add(2 * time.Second), failed: true}
	if line, _ := failedPush.text(t0.Add(3*time.Second), true); line != "dnsparity push: provider new, zone example.com.: 4/10 changes, then failed after 3s" {
		t.Errorf("failed push: %q", line)
	}
	short := &timed{cmd: "push", total: 10, start: t0}
	if line, ok := short.text(t0.Add(300*time.Millisecond), true); ok {
		t.Errorf("a short push printed %q", line)
	}
}

// TestPushProgressBar: on a terminal the push's progress is a bar redrawn
// in place, the last line ends it; elsewhere plain lines (TestProgressLines).
func TestPushProgressBar(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		tty  bool
		want string
	}{
		{true, "\r[############..................]  40% dnsparity push: new: 4/10 changes, 2s elapsed, 2/s, about 3s left\x1b[K" +
			"\rdnsparity push: new: 4/10 changes in 2s\x1b[K\n"},
		{false, "dnsparity push: new: 4/10 changes, 2s elapsed, 2/s, about 3s left\n" +
			"dnsparity push: new: 4/10 changes in 2s\n"},
	} {
		var b bytes.Buffer
		p := &timed{screen: &screen{line: &Line{W: &b, TTY: c.tty}}, cmd: "push", label: "new", total: 10, done: 4, start: t0, now: func() time.Time { return t0.Add(2 * time.Second) }}
		p.tick(false)
		p.tick(true)
		if b.String() != c.want {
			t.Errorf("tty %v:\n%q\nwant\n%q", c.tty, b.String(), c.want)
		}
	}
}

// TestLine: the one renderer draws every progress line: a plain line
// each time in a log; on a terminal a bar redrawn in place, which End
// closes with its last line, and clear wipes (a plain line follows).
func TestLine(t *testing.T) {
	var b bytes.Buffer
	plain := &Line{W: &b}
	plain.Show(0.5, "100/200 answers")
	plain.End("200/200 answers in 1s")
	if b.String() != "100/200 answers\n200/200 answers in 1s\n" {
		t.Errorf("plain: %q", b.String())
	}
	b.Reset()
	tty := &Line{W: &b, TTY: true}
	tty.clear()
	if b.Len() != 0 {
		t.Errorf("clear without a bar drew %q", b.String())
	}
	tty.Show(0.5, "half")
	tty.clear()
	tty.Show(-1, "no bar")
	tty.End("done")
	if want := "\r[###############...............]  50% half\x1b[K\r\x1b[K\rno bar\x1b[K\rdone\x1b[K\n"; b.String() != want {
		t.Errorf("tty:\n%q\nwant\n%q", b.String(), want)
	}
}

// TestQuickTaskSilent: a Printer's task that ends within quietFor prints
// nothing; None never does.
func TestQuickTaskSilent(t *testing.T) {
	var b bytes.Buffer
	task := Printer{W: &b, Cmd: "push"}.Start("provider new, zone a.", 10)
	task.Update(10)
	task.Stop()
	n := None.Start("x", 3)
	n.Update(1)
	n.Stop()
	if b.Len() != 0 {
		t.Errorf("a quick task printed %q", b.String())
	}
}

// TestEndFailed: End with an error reaches the task through the Task
// interface: its last line says it failed.
func TestEndFailed(t *testing.T) {
	var b bytes.Buffer
	tk := start(&screen{line: &Line{W: &b}}, "plan", "reading zone example.com. from provider old", 0)
	tk.mu.Lock()
	tk.printed = tk.start // as if a line had been printed
	tk.mu.Unlock()
	End(tk, errors.New("connection refused"))
	if !strings.Contains(b.String(), "reading zone example.com. from provider old: failed after") || strings.Contains(b.String(), "done in") {
		t.Errorf("last line: %q", b.String())
	}
	var n bytes.Buffer
	ok := start(&screen{line: &Line{W: &n}}, "plan", "x", 0)
	ok.mu.Lock()
	ok.printed = ok.start
	ok.mu.Unlock()
	End(ok, nil)
	if !strings.Contains(n.String(), "x: done in") {
		t.Errorf("last line without an error: %q", n.String())
	}
}

// TestFailedUnits: units that failed (a zone that could not be planned)
// are counted apart, not as done: "planned: 0/1 zones (1 failed)".
func TestFailedUnits(t *testing.T) {
	var b bytes.Buffer
	tk := Printer{W: &b, Cmd: "plan"}.StartUnits("planned", 1, "zones")
	p := tk.(*timed)
	p.mu.Lock()
	p.printed = p.start // as if a line had been printed
	p.mu.Unlock()
	Failed(tk, 1)
	tk.Stop()
	if !strings.HasPrefix(b.String(), "dnsparity plan: planned: 0/1 zones (1 failed) in ") {
		t.Errorf("last line: %q", b.String())
	}
	p = &timed{cmd: "plan", label: "planned", total: 3, done: 1, nFailed: 1, unit: "zones", start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if line, _ := p.text(p.start.Add(2*time.Second), false); !strings.HasPrefix(line, "dnsparity plan: planned: 1/3 zones (1 failed), 2s elapsed") {
		t.Errorf("line under way: %q", line)
	}
	// A run of zones that failed says zones, not changes.
	p = &timed{cmd: "parity", label: "compared", total: 2, unit: "zones", failed: true, start: p.start, printed: p.start}
	if line, _ := p.text(p.start.Add(2*time.Second), true); line != "dnsparity parity: compared: 0/2 zones, then failed after 2s" {
		t.Errorf("last line of a failed run: %q", line)
	}
	Failed(None.Start("x", 1), 1) // a task that cannot say so: nothing
}

// startRecorder is a Progress without StartUnits: it records the labels
// Start was called with.
type startRecorder struct{ labels []string }

func (r *startRecorder) Start(label string, total int) Task {
	r.labels = append(r.labels, label)
	return None.Start(label, total)
}

// TestStartUnits: a task started with StartUnits counts its own unit on a
// Printer (parity's answers on the cutover's Printer), "changes" when it
// says none; a Progress that cannot say so gets Start.
func TestStartUnits(t *testing.T) {
	for _, c := range []struct {
		p    Printer
		unit string
		want string
	}{
		{Printer{Cmd: "flip"}, "answers", "dnsparity flip: x.test.: 4/10 answers"},
		{Printer{Cmd: "plan"}, "zones", "dnsparity plan: x.test.: 4/10 zones"},
		{Printer{Cmd: "push"}, "", "dnsparity push: x.test.: 4/10 changes"},
	} {
		var b bytes.Buffer
		c.p.W = &b
		tk := StartUnits(c.p, "x.test.", 10, c.unit).(*timed)
		tk.mu.Lock()
		tk.printed = tk.start // as if a line had been printed
		tk.mu.Unlock()
		tk.Update(4)
		tk.Stop()
		if !strings.HasPrefix(b.String(), c.want+" in ") {
			t.Errorf("%+v, unit %q: last line %q, want %q", c.p, c.unit, b.String(), c.want+" in ...")
		}
	}
	r := &startRecorder{}
	StartUnits(r, "x.test.", 10, "answers").Stop()
	if len(r.labels) != 1 || r.labels[0] != "x.test." {
		t.Errorf("a Progress without StartUnits: Start called with %q", r.labels)
	}
}

// TestScreenOneBar: tasks of one NewPrinter under way at once (push's 8
// zones) share the terminal line: the first that draws keeps it until it
// ends, the other's bar is not drawn over it meanwhile, its final line is
// printed whole, and once the first ended the other draws. In a log each
// task prints its lines, as before. On the code before, each task had its
// own Line and redrew the one terminal line in turn.
func TestScreenOneBar(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tty := range []bool{true, false} {
		var b bytes.Buffer
		s := &screen{line: &Line{W: &b, TTY: tty}}
		at := 2 * time.Second
		mk := func(label string) *timed {
			return &timed{screen: s, cmd: "push", label: label, total: 10, start: t0, now: func() time.Time { return t0.Add(at) }}
		}
		a, c, d := mk("zone a"), mk("zone c"), mk("zone d")
		a.done, c.done, d.done = 4, 5, 10
		a.tick(false)
		c.tick(false)
		d.tick(false)
		d.tick(true) // d ends while a owns the line
		if got := strings.Contains(b.String(), "zone c: 5/10"); got == tty {
			t.Errorf("tty %v: c's bar drawn while a owns the line: %v\n%q", tty, got, b.String())
		}
		if !strings.Contains(b.String(), "zone d: 10/10 changes in 2s") {
			t.Errorf("tty %v: d's final line missing:\n%q", tty, b.String())
		}
		a.done = 10
		a.tick(true)
		at = 4 * time.Second
		c.done = 7
		c.tick(false)
		if !strings.Contains(b.String(), "zone c: 7/10 changes") {
			t.Errorf("tty %v: c does not draw once a ended:\n%q", tty, b.String())
		}
		if tty && strings.Count(b.String(), "\n") != 2 {
			t.Errorf("tty: %d newlines, want 2 (d's and a's final lines):\n%q", strings.Count(b.String(), "\n"), b.String())
		}
	}
}

// TestConsolePlainLine: a plain line written to a Console while a task of
// a Printer on it has a bar drawn clears the bar's line first (it was
// written after the bar, on its line), and the bar is drawn again below at
// its next tick; in a log, lines are written as they come.
func TestConsolePlainLine(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tty := range []bool{true, false} {
		var b bytes.Buffer
		c := &Console{screen: &screen{line: &Line{W: &b, TTY: tty}}}
		p := NewPrinter(c, "parity")
		if p.screen != c.screen {
			t.Fatalf("tty %v: a Printer on a Console draws on a line of its own", tty)
		}
		at := 2 * time.Second
		task := &timed{screen: p.screen, cmd: "parity", label: "compared", total: 10, unit: "zones", start: t0, now: func() time.Time { return t0.Add(at) }}
		task.done = 4
		task.tick(false)
		fmt.Fprintf(c, "dnsparity parity: note: a.zone:3: x\n")
		at = 4 * time.Second
		task.done = 6
		task.tick(false)
		got := b.String()
		note := strings.Index(got, "dnsparity parity: note:")
		bar := strings.Index(got, "compared: 4/10 zones")
		again := strings.Index(got, "compared: 6/10 zones")
		if note < 0 || bar < 0 || again < note || bar > note {
			t.Fatalf("tty %v: want the bar, the note, the bar again:\n%q", tty, got)
		}
		if tty && !strings.HasSuffix(got[:note], "\033[K\r\033[K") {
			t.Errorf("tty: the note is written on the bar's line:\n%q", got)
		}
		if !tty && !strings.HasSuffix(got[:note], "left\n") {
			t.Errorf("log: the note is not a line of its own:\n%q", got)
		}
	}
}
