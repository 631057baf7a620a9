package cutover

import (
	"context"
	"testing"
	"time"
)

// TestPlannedStepOverTrailAheadLab: the trail's last entry was written on
// a clock 8 days fast. On the code before, every planned step on a
// correct clock refused to run until real time reached it (exit 2, "this
// clock is behind"), and the trail, append only, could not be repaired:
// only --emergency steps went on. A planned step that asks an HTTPS
// server anyway (Route 53 Domains, its answers dated) now tells which
// clock is wrong: confirmed by the server's Date, it goes on, its entry
// dated at that entry's time and its registrar change at the real time;
// on a clock the server contradicts (this one behind), or with no HTTPS
// server to confirm it (the parent registrar over RFC 2136), it stops
// before any change and records nothing.
func TestPlannedStepOverTrailAheadLab(t *testing.T) {
	for _, tc := range []struct {
		name   string
		https  bool          // the registrar is Route 53 Domains over HTTPS (else the parent registrar)
		behind time.Duration // this machine's clock minus real time (negative: behind)
		ahead  time.Duration // the trail's last entry minus real time
		done   bool
		error  string // what the refusal names
	}{
		{name: "this clock right, confirmed by HTTPS", https: true, ahead: 8 * 24 * time.Hour, done: true},
		{name: "this clock 8 days behind, HTTPS says so", https: true, behind: -8 * 24 * time.Hour, ahead: time.Minute, error: "the HTTPS servers it asked"},
		{name: "this clock right, no HTTPS server to confirm it", ahead: 8 * 24 * time.Hour, error: "no HTTPS server this step asked confirmed this clock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			l, _, mk := clockLab(t)
			c := mk(tc.behind)
			if !tc.https {
				c = l.mk()
			}
			at := time.Now().UTC().Add(tc.ahead).Truncate(time.Second)
			tr := readTrail(t, c.TrailPath)
			if err := tr.Append(c.TrailPath, Entry{Time: at, Actor: "fast-clock", Command: "status", Result: ResultObserved}); err != nil {
				t.Fatal(err)
			}
			entries := len(readTrail(t, c.TrailPath).Entries)
			start := time.Now()
			rep := Flip(ctx, c, false, false)
			t.Logf("flip: %s (exit %d), errors %q, warnings %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Warnings)
			tr = readTrail(t, c.TrailPath)
			if !tc.done {
				// Exit 2, or 1 where a gate judged on the wrong clock is
				// unmet too (ttl-expired, 8 days before the pushes).
				if rep.ExitCode() == 0 || rep.Result == ResultDone || !has(rep.Errors, tc.error) {
					t.Errorf("flip: %s (exit %d), errors %q; want it stopped, naming %q", rep.Result, rep.ExitCode(), rep.Errors, tc.error)
				}
				if ns := nsAt(t, l); ns != "ns1.old.example.test." {
					t.Errorf("the refused flip moved the parent: %s", ns)
				}
				if n := len(tr.Entries); n != entries {
					t.Errorf("the refused flip recorded %d entries", n-entries)
				}
				return
			}
			if rep.Result != ResultDone || !has(rep.Warnings, "dated", "after this machine's clock", "goes on only if the HTTPS servers it asks confirm this clock") {
				t.Fatalf("flip on a confirmed clock over an entry 8 days ahead: %s (exit %d), errors %q, warnings %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Warnings)
			}
			if ns := nsAt(t, l); ns != "ns1.new.example.test." {
				t.Errorf("the parent after the flip: %s", ns)
			}
			st, e := tr.Stage()
			if st != StageFlipped || e == nil || e.Time.Before(at) || e.ChangedAt == nil || e.ChangedAt.Before(start.Add(-time.Second)) || e.ChangedAt.After(time.Now()) {
				t.Errorf("trail after the flip: stage %s, last move %+v; want flipped, dated at %s at the earliest, its registrar change at the real time", st, e, at.Format(time.RFC3339))
			}
		})
	}
}
