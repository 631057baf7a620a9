package cutover

import (
	"context"
	"testing"
)

// A dry run that finds the step's move made in live DNS but not in the
// trail (a registrar call that failed after the registry took the
// change, or a fresh clone without the trail) changes nothing: it neither
// watches the resolvers (up to cutover.watch, 15 minutes by default) nor
// writes a trail entry, and says that a run without --dry-run records the
// move. On the code before, flip --dry-run and rollback --dry-run ran the
// watch and wrote a "done" entry marked dry_run, which no reader of the
// trail counts, while the report said "recorded the flip found in live
// DNS": each further dry run did the same, and the stage never changed.
func TestDryRunFoundMoveNotRecordedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	entries := func() int {
		t.Helper()
		tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		return len(tr.Entries)
	}
	for _, step := range []struct {
		name  string
		run   func(*Config, bool) *Report
		stage string
	}{
		{"flip", func(c *Config, dry bool) *Report { return Flip(ctx, c, dry, false) }, StageFlipped},
		{"rollback", func(c *Config, dry bool) *Report { return Rollback(ctx, c, dry, false) }, StageRolledBack},
	} {
		c := l.mk()
		c.Registrar = appliedButFailed{l.reg}
		if rep := step.run(c, false); rep.Result != ResultError {
			t.Fatalf("%s with the registrar failing after the change: %s %v", step.name, rep.Result, rep.Errors)
		}
		before := entries()
		rep := step.run(l.mk(), true)
		if rep.Result != ResultNothing || rep.ExitCode() != 0 {
			t.Errorf("%s --dry-run after a move found in live DNS: %s (exit %d) %q, want nothing-to-do (exit 0)", step.name, rep.Result, rep.ExitCode(), rep.Errors)
		}
		if rep.Watch != nil {
			t.Errorf("%s --dry-run watched the resolvers: %+v", step.name, rep.Watch)
		}
		if has(rep.Actions, "recorded the") || !has(rep.Actions, "dry run", "not recorded", "without --dry-run") {
			t.Errorf("%s --dry-run actions %q: want it to say the move is not recorded and how to record it", step.name, rep.Actions)
		}
		if n := entries(); n != before {
			t.Errorf("%s --dry-run wrote %d trail entries, want none", step.name, n-before)
		}
		rep = step.run(l.mk(), false)
		if !has(rep.Actions, "recorded the "+step.name+" found in live DNS") {
			t.Fatalf("%s re-run without --dry-run: %s %v %v", step.name, rep.Result, rep.Actions, rep.Errors)
		}
		tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		if stage, _ := tr.Stage(); stage != step.stage {
			t.Errorf("after the %s re-run: trail stage %s, want %s", step.name, stage, step.stage)
		}
	}
}
