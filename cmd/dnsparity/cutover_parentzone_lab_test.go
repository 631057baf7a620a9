package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The parent zone in git: test., the registrar's parent zone (registrar
// type parent), is also one of the zones dnsparity pushes from git, as a
// company that owns example.com and delegates dept.example.com would
// configure it. The delegation of example.test. in test. (its NS, glue
// and DS) belongs to the cutover: a push of test. leaves it as the
// provider serves it and says so, so that a push after a flip does not
// undo it, a push after a rollback does not redo it, and a push before
// any flip does not flip without gates.

// parentGitPath is git's copy of the parent zone.
func (l *coLab) parentGitPath() string { return filepath.Join(l.dir, "test.zone") }

// writeParentGit writes git's test.: the parent zone as the lab serves
// it, delegating example.test. to ns (with glue addr), plus ten RRsets
// of the parent's own (so that a two-RRset change is under
// max_change_percent, as in a real parent zone).
func (l *coLab) writeParentGit(t *testing.T, ns, addr string) {
	t.Helper()
	text := fmt.Sprintf(`$ORIGIN test.
$TTL %[1]d
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 %[1]d )
@        IN NS  ns.test.
ns       IN A   %[2]s
example  IN NS  %[3]s
%[3]s IN A %[4]s
`, coNSTTL, l.parentIP, ns, addr)
	for i := 1; i <= 10; i++ {
		text += fmt.Sprintf("host%d IN A 192.0.2.%d\n", i, 100+i)
	}
	if err := os.WriteFile(l.parentGitPath(), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newParentInGitLab is the cutover lab with test. in git and in the
// config's zones, pushed once to the parent's provider.
func newParentInGitLab(t *testing.T) *coLab {
	t.Helper()
	l := newCoLab(t)
	l.prestaged(t)
	l.writeParentGit(t, "ns1.old.example.test.", l.oldIP)
	l.editConfig(t, l.cfgPath, "zones:\n", "zones:\n  - name: test.\n    file: test.zone\n")
	if code, out := l.pushParent(t); code != exitOK {
		t.Fatalf("first push of test.: exit %d\n%s", code, out)
	}
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Fatalf("after the first push the parent delegates to %q", got)
	}
	return l
}

// pushParent pushes git's test. to the parent's provider.
func (l *coLab) pushParent(t *testing.T) (int, string) {
	t.Helper()
	return l.runCmd(t, "push", "--config", l.cfgPath, "--provider", "parent", "--zone", "test.")
}

const heldText = "delegation of example.test. is managed by the cutover"

// TestParentZonePushAfterFlipLab: a flip, then a push of the parent zone
// (git still delegating to old) keeps the new delegation and says why;
// plan warns that git's copy is not what the trail says the parent
// serves; once git is committed with the new NS, a rollback, then a push,
// keeps the old delegation.
func TestParentZonePushAfterFlipLab(t *testing.T) {
	l := newParentInGitLab(t)
	code, rep, stderr := l.run(t, l.cfgPath, "flip", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	flipped := l.delegationText(t)

	code, out := l.runCmd(t, "plan", "--config", l.cfgPath, "--provider", "parent", "--zone", "test.", "--detect-drift")
	if code != exitOK {
		t.Errorf("plan --detect-drift of test. after the flip: exit %d, want 0 (nothing a push would change)\n%s", code, out)
	}
	for _, want := range []string{heldText + ": left as served", "NS ns1.new.example.test.", "git has NS ns1.old.example.test.",
		"commit", "since the flip of"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan of test. after the flip does not say %q:\n%s", want, out)
		}
	}
	t.Logf("plan after the flip:\n%s", out)
	code, out = l.pushParent(t)
	if code != exitOK || !strings.Contains(out, heldText) {
		t.Errorf("push of test. after the flip: exit %d, want 0 naming %q\n%s", code, heldText, out)
	}
	if got := l.parentNS(t); got != "ns1.new.example.test." {
		t.Errorf("a push of test. after the flip undid it: the parent delegates to %q", got)
	}
	if after := l.delegationText(t); after != flipped {
		t.Errorf("a push of test. after the flip changed the delegation:\n%s\n---\n%s", flipped, after)
	}

	// The user commits the new delegation: plan has nothing to say.
	l.writeParentGit(t, "ns1.new.example.test.", l.newIP)
	code, out = l.runCmd(t, "plan", "--config", l.cfgPath, "--provider", "parent", "--zone", "test.")
	if code != exitOK || strings.Contains(out, "commit") {
		t.Errorf("plan of test. with the new delegation committed: exit %d, still a warning\n%s", code, out)
	}

	// Rollback, then a push of test. (git delegating to new): the old
	// delegation stays.
	code, rep, stderr = l.run(t, l.cfgPath, "rollback", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	rolled := l.delegationText(t)
	code, out = l.pushParent(t)
	if code != exitOK || !strings.Contains(out, heldText) || !strings.Contains(out, "since the rollback of") {
		t.Errorf("push of test. after the rollback: exit %d, want 0 naming %q and the rollback\n%s", code, heldText, out)
	}
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Errorf("a push of test. after the rollback undid it: the parent delegates to %q", got)
	}
	if after := l.delegationText(t); after != rolled {
		t.Errorf("a push of test. after the rollback changed the delegation:\n%s\n---\n%s", rolled, after)
	}
}

// TestParentZonePushBeforeFlipLab: git's test. changed to delegate to
// the new side before any flip; a push of test. does not change the
// delegation (that would be a flip without gates) and says why; the flip
// then starts from the old side as its gates expect.
func TestParentZonePushBeforeFlipLab(t *testing.T) {
	l := newParentInGitLab(t)
	before := l.delegationText(t)
	l.writeParentGit(t, "ns1.new.example.test.", l.newIP)
	code, out := l.pushParent(t)
	if code != exitOK || !strings.Contains(out, heldText+": left as served") || !strings.Contains(out, "git has NS ns1.new.example.test.") ||
		!strings.Contains(out, "flip") {
		t.Errorf("push of test. with a changed delegation before any flip: exit %d, want 0 saying %q\n%s", code, heldText, out)
	}
	t.Logf("push before any flip:\n%s", out)
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Errorf("a push of test. flipped without gates: the parent delegates to %q", got)
	}
	if after := l.delegationText(t); after != before {
		t.Errorf("a push of test. before any flip changed the delegation:\n%s\n---\n%s", before, after)
	}
	code, rep, stderr := l.run(t, l.cfgPath, "flip", "--dry-run")
	if code != exitOK {
		t.Errorf("flip --dry-run after the push: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
}
