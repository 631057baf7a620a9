package cutover

import (
	"context"
	"testing"
)

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
