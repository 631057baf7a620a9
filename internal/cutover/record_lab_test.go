package cutover

import (
	"context"
	"testing"
	"time"
)

// Steps are serialized by the zone's lock, so each step's entry comes
// after every entry already in the trail; a machine whose clock is behind
// dated its entry before them, and Append put it there by time: a
// rollback run minutes after a flip from a laptop ten minutes behind was
// recorded before the flip, and the trail said flipped while the parent
// delegated to the old side (status: "find out who changed the
// delegation"; push and LeftBehind read the flip as the last move). Now a
// clock behind the trail's last entry by more than TrailClockSkew stops
// the step before anything is asked (exit 2, naming both times), and one
// within it dates the step's times at that entry's at the earliest.
func TestStepClockBehindTrailLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	behind := func(d time.Duration) *Config {
		c := l.mk()
		c.Now = func() time.Time { return time.Now().Add(-d) }
		return c
	}
	rep := Rollback(ctx, behind(10*time.Minute), false, false)
	t.Logf("rollback 10 min behind: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	if rep.ExitCode() != 2 || !has(rep.Errors, "clock") || nsAt(t, l) != "ns1.new.example.test." {
		t.Errorf("rollback from a clock 10 minutes behind the trail: %s (exit %d), parent NS %s: want exit 2 naming the clock, the parent untouched", rep.Result, rep.ExitCode(), nsAt(t, l))
	}
	rep = Rollback(ctx, behind(2*time.Minute), false, false)
	tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if stage, e := tr.Stage(); rep.Result != ResultDone || stage != StageRolledBack || e.ChangedAt == nil {
		t.Errorf("rollback from a clock 2 minutes behind the trail: %s %v, trail stage %s: want done and recorded after the flip", rep.Result, rep.Errors, stage)
	}
}
