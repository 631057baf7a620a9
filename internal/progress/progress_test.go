package progress

import (
	"bytes"
	"testing"
	"time"
)

// TestProgressLines: nothing for a short push; then at most a line a
// second with done/total, rate and time left; a last line only after
// others.
func TestProgressLines(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &Task{label: "provider new, zone example.com.", total: 1000, start: t0}
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
		line, ok := p.line(t0.Add(s.at), s.final)
		if ok != (s.want != "") || line != s.want {
			t.Errorf("at %s: %q %v, want %q", s.at, line, ok, s.want)
		}
		if ok {
			p.printed = t0.Add(s.at)
		}
	}
	read := &Task{cmd: "plan", label: "reading zone example.com. from provider old", start: t0}
	for _, s := range []struct {
		at    time.Duration
		final bool
		want  string
	}{
		{time.Second, false, ""},
		{2 * time.Second, false, "dnsparity plan: reading zone example.com. from provider old: 2s elapsed"},
		{2500 * time.Millisecond, true, "dnsparity plan: reading zone example.com. from provider old: done in 2.5s"},
	} {
		line, ok := read.line(t0.Add(s.at), s.final)
		if ok != (s.want != "") || line != s.want {
			t.Errorf("read at %s: %q %v, want %q", s.at, line, ok, s.want)
		}
		if ok {
			read.printed = t0.Add(s.at)
		}
	}
	// A read or a push that failed says so in its last line, not "done".
	failed := &Task{cmd: "plan", label: "reading zone example.com. from provider old", start: t0, printed: t0.Add(2 * time.Second), failed: true}
	if line, _ := failed.line(t0.Add(3500*time.Millisecond), true); line != "dnsparity plan: reading zone example.com. from provider old: failed after 3.5s" {
		t.Errorf("failed read: %q", line)
	}
	failedPush := &Task{label: "provider new, zone example.com.", total: 10, done: 4, start: t0, printed: t0.Add(2 * time.Second), failed: true}
	if line, _ := failedPush.line(t0.Add(3*time.Second), true); line != "dnsparity push: provider new, zone example.com.: 4/10 changes, then failed after 3s" {
		t.Errorf("failed push: %q", line)
	}
	short := &Task{total: 10, start: t0}
	if line, ok := short.line(t0.Add(300*time.Millisecond), true); ok {
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
		p := &Task{w: &b, tty: c.tty, label: "new", total: 10, done: 4, start: t0, now: func() time.Time { return t0.Add(2 * time.Second) }}
		p.tick(false)
		p.tick(true)
		if b.String() != c.want {
			t.Errorf("tty %v:\n%q\nwant\n%q", c.tty, b.String(), c.want)
		}
	}
}
