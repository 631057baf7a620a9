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

// TestDryRunErrorExitLab: a dry run whose report holds an error does not
// exit 0 (docs/ARCHITECTURE.md, exit codes: 0 only when every gate
// passes; a step's report holding an error exits 2). The case found: no
// flip in the audit trail (a fresh clone, a lost state_dir) while the
// parent already delegates to the new side; rollback --dry-run's gates
// pass, its report says the trail and the parent disagree ("find out who
// changed the delegation"), and on the code before it exited 0 with
// result dry-run, so a workflow gating the real rollback on the dry run
// went ahead on a report that said stop and look. The real rollback
// exits as its dry run does.
func TestDryRunErrorExitLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	// Someone else (by hand at the registrar) moved the delegation to
	// the new side: the trail holds pushes only.
	if err := l.reg.SetDelegation(ctx, "example.test.", c.New.Want("example.test.", 5)); err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		rep := Rollback(ctx, l.mk(), dry, false)
		if len(rep.Errors) == 0 {
			t.Fatalf("rollback (dry run %v) with no flip in the trail, the parent at the new side: no error (%s, %v); the case is gone", dry, rep.Result, rep.Actions)
		}
		if got := rep.ExitCode(); got != 2 {
			t.Errorf("rollback (dry run %v): result %s, errors %q: exit %d, want 2", dry, rep.Result, rep.Errors, got)
		}
		if !dry && nsAtParent(t, l.parent.Addr) != "ns1.old.example.test." {
			t.Errorf("rollback: the parent delegates to %s", nsAtParent(t, l.parent.Addr))
		}
	}
}
