package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// oldText is the review lab's old side at serial with extra lines, and
// without www when noWWW.
func (l *reviewLab) oldText(serial int, noWWW bool, extra ...string) string {
	s := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.old h.example.test. %d 60 60 1209600 60\n@ NS ns1.old\nns1.old A %s\nns1.new A %s\n", serial, l.oldIP, l.newIP)
	if !noWWW {
		s += "www A 192.0.2.80\n"
	}
	return s + strings.Join(extra, "\n") + "\n"
}

// After a planned flip the new provider fails: the rollback is the way
// back, but its gates ask the new side (old-parity, new-complete), so
// with every new server down it is refused exactly when it is needed.
// rollback --emergency is the mirror of flip --emergency: every new
// server must fail (new-down: a new side that answers takes the plain
// rollback), and the old side must serve exactly git (old-matches-git),
// authoritatively (old-authoritative), holding nothing git lacks
// (old-complete). The new side's own NS TTL, which resolvers that took
// its NS set keep, cannot be read: the trail's bound counts (the review
// lab's trail: 3,600 s), with a warning.
func TestRollbackEmergencyLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	stopped := func(what string, rep *Report, gate string, exit int) {
		t.Helper()
		if rep.Result == ResultDone || rep.ExitCode() != exit {
			t.Errorf("%s: %s (exit %d), want exit %d; gates %+v errors %v", what, rep.Result, rep.ExitCode(), exit, rep.Gates, rep.Errors)
		}
		if g := gateNamed(rep, gate); g == nil || g.OK {
			t.Errorf("%s: gate %s %+v, want it unmet", what, gate, g)
		}
		if ns := nsAt(t, l); ns != "ns1.new.example.test." {
			t.Fatalf("%s changed the parent: %s", what, ns)
		}
	}
	refused := func(what string, rep *Report, gate string) { t.Helper(); stopped(what, rep, gate, 1) }

	// The new side answers: no emergency.
	rep := Rollback(ctx, l.mk(), false, true)
	refused("rollback --emergency with the new side up", rep, GateNewDown)
	if g := gateNamed(rep, GateNewDown); g != nil && !strings.Contains(g.Detail, "without --emergency") {
		t.Errorf("new-down: %s", g.Detail)
	}

	l.nw.Stop()
	// Status, while the parent delegates to the new side and every new
	// server fails, offers the emergency rollback.
	if g := gateNamed(Status(ctx, l.mk()), GateParity); g == nil || !has(g.Plan, "rollback --emergency") || g.Offer == nil || *g.Offer != (Offer{Down: "new", Up: "old", Step: "rollback"}) {
		t.Errorf("status with the new side down does not offer the emergency rollback: %+v", g)
	}
	// Today's rollback does not move: parity with the new side cannot be
	// proven, and new-complete cannot list it (could not run, exit 2).
	// Its parity gate offers the emergency.
	rep = Rollback(ctx, l.mk(), false, false)
	stopped("rollback with the new side down", rep, GateOldParity, 2)
	if g := gateNamed(rep, GateNewComplete); g == nil || g.OK {
		t.Errorf("new-complete with the new side down: %+v", g)
	}
	if g := gateNamed(rep, GateOldParity); g == nil || !has(g.Plan, "rollback --emergency") || g.Offer == nil || *g.Offer != (Offer{Down: "new", Up: "old", Step: "rollback"}) {
		t.Errorf("old-parity does not offer the emergency rollback: %+v", g)
	}

	// The old side lacks a record git has.
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: l.oldText(2, true)})
	rep = Rollback(ctx, l.mk(), false, true)
	refused("rollback --emergency with the old side missing www", rep, GateOldMatchesGit)
	if g := gateNamed(rep, GateNewDown); g == nil || !g.OK {
		t.Errorf("new-down with every new server stopped: %+v", g)
	}

	// The old side holds a record git lacks: it would come back.
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: l.oldText(3, false, "stale A 192.0.2.99")})
	rep = Rollback(ctx, l.mk(), false, true)
	refused("rollback --emergency with a stale record on the old side", rep, GateOldComplete)
	if g := gateNamed(rep, GateOldMatchesGit); g == nil || !g.OK {
		t.Errorf("old-matches-git with the old side serving git and more: %+v", g)
	}

	// The old side serves git: the rollback is made.
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: l.oldText(4, false)})
	c := l.mk()
	rep = Rollback(ctx, c, false, true)
	if rep.Result != ResultDone || rep.Change == nil || !rep.Change.Confirmed || !rep.Emergency {
		t.Fatalf("rollback --emergency: %s (exit %d) emergency %v gates %+v errors %v", rep.Result, rep.ExitCode(), rep.Emergency, rep.Gates, rep.Errors)
	}
	for _, name := range []string{GatePointsToNew, GateNewDown, GateOldMatchesGit, GateOldAuthoritative, GateOldComplete, GateDNSSEC, GateDelegation} {
		if g := gateNamed(rep, name); g == nil || !g.OK {
			t.Errorf("gate %s: %+v", name, g)
		}
	}
	for _, name := range []string{GateOldParity, GateNewComplete} {
		if g := gateNamed(rep, name); g != nil {
			t.Errorf("gate %s asks the new side, which is down: %+v", name, g)
		}
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("the parent after the emergency rollback: %s", ns)
	}
	if held, err := l.reg.Delegation(ctx, "example.test."); err != nil || strings.Join(held.NS, " ") != "ns1.old.example.test." || strings.Join(held.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Errorf("the registrar holds %+v (%v), want the recorded old delegation", held, err)
	}
	if rep.Watch == nil {
		t.Fatalf("no watch")
	}
	if want := rep.Change.At.Add((5 + 3600) * time.Second); rep.Watch.ChildNSTTL != 3600 || rep.Watch.OldDelegationExpires.Before(want) {
		t.Errorf("new side's NS TTL %d s, old_delegation_expires %s; want 3600 s (the trail's largest on the new side), not before %s", rep.Watch.ChildNSTTL, rep.Watch.OldDelegationExpires.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	if !has(rep.Warnings, "no new nameserver answers", "3600 s", "audit trail", "new side") {
		t.Errorf("no warning says where the new side's NS TTL came from: %q", rep.Warnings)
	}
	tr := readTrail(t, c.TrailPath)
	st, e := tr.Stage()
	if st != StageRolledBack || e == nil || !e.Emergency || e.Command != "rollback" || e.Result != ResultDone {
		t.Fatalf("trail: stage %s, last move %+v", st, e)
	}
	// Done: a second run has nothing to do.
	if rep = Rollback(ctx, l.mk(), false, true); rep.Result != ResultNothing {
		t.Errorf("rollback --emergency again: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	}
}

// The mirror of TestStatusOldBackAfterEmergencyLab: after rollback
// --emergency (the new provider was down) resolvers that cached the new
// delegation before the rollback still ask the new servers until it
// expires (the parent's NS TTL, here 3,000 s). A new provider back within
// that time serves them what it held, not what git says now, until a sync
// or push has run since it came back: status (the cutover-watch
// workflow's, whose errors open the zone's issue) says so, naming the
// push; once the new side serves git again, nothing.
func TestStatusNewBackAfterEmergencyRollbackLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	l.nw.Stop()
	if rep := Rollback(ctx, l.mk(), false, true); rep.Result != ResultDone || !rep.Emergency {
		t.Fatalf("emergency rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	back := func(rep *Report) bool {
		return slices.ContainsFunc(rep.Errors, func(e string) bool { return strings.Contains(e, "answers again") })
	}
	// Still down: nothing to say (parity cannot be proven; sync warns).
	if rep := Status(ctx, l.mk()); back(rep) {
		t.Errorf("status with the new provider still down: errors %q", rep.Errors)
	}
	// The new provider is back with what it held, which git has changed
	// since (here: www).
	stale := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 1 60 60 1209600 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.81\n", l.oldIP, l.newIP)
	l.nw = lab.Knot(t, lab.Options{IP: l.newIP, AllowUpdate: true, Zones: []lab.Zone{{Origin: "example.test.", Text: stale}}})
	rep := Status(ctx, l.mk())
	if !slices.ContainsFunc(rep.Errors, func(e string) bool {
		return strings.Contains(e, "the new provider answers again after the emergency rollback") && strings.Contains(e, "differs from the old side") &&
			strings.Contains(e, "push --provider new --zone example.test.")
	}) {
		t.Fatalf("status with the new provider back and stale within its delegation's TTL: errors %q", rep.Errors)
	}
	// Once it serves git again, nothing is said.
	setRRs(t, &l.mk().New, "www.example.test. 60 IN A 192.0.2.80")
	if rep = Status(ctx, l.mk()); back(rep) {
		t.Errorf("status with the new provider back in sync: errors %q", rep.Errors)
	}
}

// An emergency flip proves the new side against git by asking git's
// questions only: a record the new provider holds and git lacks (one its
// zone import brought in, one entered by hand, one git deleted while the
// new side was not synced) is never asked, and comes out to every resolver
// at the flip. The planned flip's drift gate finds it; the emergency must
// too.
func TestEmergencyNewHoldsMoreLab(t *testing.T) {
	l := newReviewLab(t, 5)
	l.old.Stop()
	extra := l.z.Origin
	l.nw.Reload(t, lab.Zone{Origin: extra, Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 1209600 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nstale A 192.0.2.66\n", l.oldIP, l.newIP)})
	rep := Flip(context.Background(), l.mk(), false, true)
	if rep.ExitCode() != 1 {
		t.Fatalf("emergency flip with a record only the new side holds: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	var named bool
	for _, g := range rep.Gates {
		if g.Name == GateNewComplete && !g.OK && strings.Contains(g.Detail, "stale.example.test.") {
			named = true
		}
	}
	if !named {
		t.Errorf("no gate names stale.example.test.: %+v", rep.Gates)
	}
	d, _ := registrar.Agreed(registrar.Lookup(context.Background(), []string{l.parent.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.old.example.test." {
		t.Fatalf("the parent changed: %v", d.NS)
	}
}

// After an emergency flip push and sync take the old provider last, only
// if it answers (LeftBehind). Resolvers that cached the old
// delegation before the flip still ask the old servers until it expires
// (the parent's NS TTL, two days at .com): an old provider back within
// that time serves them what it held, not what git says now, until a
// sync or push has run since it came back. status, which the cutover-watch
// workflow runs after the flip and whose errors open the zone's issue,
// must say so.
func TestStatusOldBackAfterEmergencyLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	l.old.Stop()
	if rep := Flip(ctx, l.mk(), false, true); rep.Result != ResultDone {
		t.Fatalf("emergency flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The old side still down: parity cannot be proven, and status
	// offers no emergency step (the parent delegates to the new side,
	// which answers: a rollback --emergency would move resolvers to
	// the side that is down).
	if g := gateNamed(Status(ctx, l.mk()), GateParity); g == nil || g.OK || has(g.Plan, "--emergency") || g.Offer != nil {
		t.Errorf("status after the emergency flip, the old side down: parity gate %+v", g)
	}
	// The old provider is back with what it held, which git has changed
	// since (here: www).
	stale := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.old h.example.test. 1 60 60 1209600 60\n@ NS ns1.old\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.81\n", l.oldIP, l.newIP)
	l.old = lab.Knot(t, lab.Options{IP: l.oldIP, AllowUpdate: true, Zones: []lab.Zone{{Origin: "example.test.", Text: stale}}})
	rep := Status(ctx, l.mk())
	if !slices.ContainsFunc(rep.Errors, func(e string) bool {
		return strings.Contains(e, "answers again") && strings.Contains(e, "push --provider old")
	}) {
		t.Fatalf("status with the old provider back and stale within its delegation's TTL: errors %q", rep.Errors)
	}
	// Once it serves git again, nothing is said.
	setRRs(t, &l.mk().Old, "www.example.test. 60 IN A 192.0.2.80")
	if rep = Status(ctx, l.mk()); slices.ContainsFunc(rep.Errors, func(e string) bool { return strings.Contains(e, "answers again") }) {
		t.Errorf("status with the old provider back in sync: errors %q", rep.Errors)
	}
}

// Before any flip, with the new side down (the parent delegates to the
// old one, which answers), status and a flip cannot prove parity, and
// neither offers flip --emergency: that would move resolvers to the side
// that is down. With the old side down instead, both offer it.
func TestOfferEmergencyOnlyForTheSideDownLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.nw.Stop()
	for _, rep := range []*Report{Status(ctx, l.mk()), Flip(ctx, l.mk(), true, false)} {
		if g := gateNamed(rep, GateParity); g == nil || g.OK || has(g.Plan, "--emergency") || g.Offer != nil {
			t.Errorf("%s with the new side down: parity gate %+v", rep.Command, g)
		}
	}
	l2 := newReviewLab(t, 5)
	l2.old.Stop()
	for _, rep := range []*Report{Status(ctx, l2.mk()), Flip(ctx, l2.mk(), true, false)} {
		if g := gateNamed(rep, GateParity); g == nil || g.OK || !has(g.Plan, "flip --emergency") || g.Offer == nil || *g.Offer != (Offer{Down: "old", Up: "new", Step: "flip"}) {
			t.Errorf("%s with the old side down: parity gate %+v", rep.Command, g)
		}
	}
}
