package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// The holes of issue 15, each replayed on the lab of TestCutoverLab: the
// parent test. on BIND, example.test. on PowerDNS (old) and Knot (new),
// two Unbound resolvers.

// prestaged brings git and both sides to the cap and writes the trail a
// status run would have: the TTLs seen at coHighTTL two hours ago and at
// the cap since an hour ago, so ttl-expired passes and a flip's other gates
// are what the test is about.
func (l *coLab) prestaged(t *testing.T) {
	t.Helper()
	l.ttl, l.serial = coPrestage, l.serial+1
	l.writeGit(t)
	l.reloadSide(t, "old", "")
	l.reloadSide(t, "new", "")
	path := l.trailPath()
	tr, err := cutover.ReadTrail(path, coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, e := range []cutover.Entry{
		{Time: now.Add(-2 * time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coHighTTL, NewMax: coHighTTL}},
		{Time: now.Add(-time.Hour), Actor: "tester", Command: "status", Result: cutover.ResultObserved, TTL: &cutover.TTLs{OldMax: coPrestage, NewMax: coPrestage}},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
}

func (l *coLab) trailPath() string { return filepath.Join(l.dir, "state", "example.test.json") }

// reloadSide makes one side serve git's zone (its own apex SOA and NS)
// plus extra lines, with a new serial.
func (l *coLab) reloadSide(t *testing.T, side, extra string) {
	t.Helper()
	l.serial++
	z := l.side(side, "192.0.2.10")
	z.Text += extra
	if side == "old" {
		l.old.Reload(t, z)
	} else {
		l.new.Reload(t, z)
	}
}

// editConfig rewrites the lab's config with old replaced by new.
func (l *coLab) editConfig(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCutoverCompleteLab (hole 1): a record someone added at the old
// provider only (not in git) would vanish at the flip; one added at the
// new provider only would vanish at a rollback. The gates old-complete
// and new-complete list the side and refuse, naming the RRset and
// offering `dnsparity import`; with parity.axfr the cutover's parity gate
// asks exactly what `dnsparity parity` asks (one function builds the
// options), so it finds the record too.
func TestCutoverCompleteLab(t *testing.T) {
	l := newCoLab(t)
	cfg := l.cfgPath
	l.editConfig(t, cfg, "parity:\n", "parity:\n  axfr: true\n")
	l.prestaged(t)
	before := l.parentText(t)

	// Control: every gate passes.
	code, rep, stderr := l.run(t, cfg, "flip", "--dry-run")
	if code != exitOK {
		t.Fatalf("flip --dry-run before the edit: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}

	// Someone adds legacy-vpn at the old provider only.
	l.reloadSide(t, "old", "legacy-vpn IN A 192.0.2.200\n")
	if code, _ := l.runCmd(t, "parity", "--config", cfg); code != exitProblem {
		t.Errorf("dnsparity parity with a record on old only: exit %d, want 1", code)
	}
	code, rep, stderr = l.run(t, cfg, "flip", "--dry-run")
	l.wantRefused(t, "flip with a record on the old side only", code, rep, stderr, before, cutover.GateOldComplete, cutover.GateParity)
	if g := gateOf(rep, cutover.GateOldComplete); g == nil || !strings.Contains(g.Detail, "legacy-vpn.example.test. A") ||
		!strings.Contains(strings.Join(g.Plan, " "), "dnsparity import --provider old --zone example.test.") {
		t.Errorf("old-complete should name legacy-vpn.example.test. A and offer import: %+v", g)
	}
	if g := gateOf(rep, cutover.GateParity); g == nil || !strings.Contains(g.Detail, "legacy-vpn.example.test.") {
		t.Errorf("the parity gate (parity.axfr) should find legacy-vpn too: %+v", g)
	}

	// Removed again: the flip goes through.
	l.reloadSide(t, "old", "")
	code, rep, stderr = l.run(t, cfg, "flip", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
	if g := gateOf(rep, cutover.GateOldComplete); g == nil || !g.OK {
		t.Errorf("old-complete after the removal: %+v", g)
	}

	// The mirror: a record added at the new provider only, by UPDATE.
	before = l.parentText(t)
	l.reloadSide(t, "new", "added-on-new IN TXT \"only here\"\n")
	code, rep, stderr = l.run(t, cfg, "rollback", "--dry-run")
	l.wantRefused(t, "rollback with a record on the new side only", code, rep, stderr, before, cutover.GateNewComplete, cutover.GateOldParity)
	if g := gateOf(rep, cutover.GateNewComplete); g == nil || !strings.Contains(g.Detail, "added-on-new.example.test. TXT") ||
		!strings.Contains(strings.Join(g.Plan, " "), "dnsparity import --provider new --zone example.test.") {
		t.Errorf("new-complete should name added-on-new.example.test. TXT and offer import: %+v", g)
	}
	l.reloadSide(t, "new", "")
	code, rep, stderr = l.run(t, cfg, "rollback", "--watch", "1s")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback: exit %d gates %+v errors %v\n%s", code, rep.Gates, rep.Errors, stderr)
	}
}
