package cutover

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestEmergencyRollbackTrailAheadLab: a step run on a clock 8 days fast
// left the trail's last entry dated 8 days ahead. Every step on a correct
// clock refuses to run (exit 2: it would be recorded before that entry),
// and on the code before so did `rollback --emergency` when the new
// provider then went down: the way out of the outage was blocked until
// real time caught up. Now an emergency step goes on with a warning, its
// entry dated at that entry so that the trail's stage is the rollback's;
// a planned rollback is still refused.
func TestEmergencyRollbackTrailAheadLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	ahead := time.Now().UTC().Add(8 * 24 * time.Hour).Truncate(time.Second)
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Append(c.TrailPath, Entry{Time: ahead, Actor: "fast-clock", Command: "status", Result: ResultObserved}); err != nil {
		t.Fatal(err)
	}
	l.nw.Stop()

	if rep := Rollback(ctx, l.mk(), false, false); rep.ExitCode() != 2 || !has(rep.Errors, "after this machine's clock") {
		t.Errorf("a planned rollback after an entry dated 8 days ahead: %s (exit %d), errors %q; want refused (exit 2), the clock named", rep.Result, rep.ExitCode(), rep.Errors)
	}
	rep := Rollback(ctx, l.mk(), false, true)
	if rep.Result != ResultDone || !rep.Emergency {
		t.Fatalf("rollback --emergency after an entry dated 8 days ahead: %s (exit %d), errors %q, gates %+v", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
	if !has(rep.Warnings, "after this machine's clock", "emergency step goes on") {
		t.Errorf("no warning names the entry dated ahead: %q", rep.Warnings)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("the parent after the emergency rollback: %s", ns)
	}
	tr, err = ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	st, e := tr.Stage()
	if st != StageRolledBack || e == nil || !e.Emergency || e.Time.Before(ahead) {
		t.Errorf("trail after the emergency rollback: stage %s, last move %+v; want rolled-back, dated at %s at the earliest", st, e, ahead.Format(time.RFC3339))
	}
	if last := tr.Entries[len(tr.Entries)-1]; last.Command != "rollback" || !strings.EqualFold(last.Result, ResultDone) {
		t.Errorf("the trail's last entry: %s %s, want the emergency rollback", last.Command, last.Result)
	}
}
