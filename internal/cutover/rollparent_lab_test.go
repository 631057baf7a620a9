package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Right after a flip the registry's change reaches the parent's servers
// one by one: for minutes some serve the new delegation and some the old.
// That is when the new side is seen to misbehave, and the rollback must
// not be refused for it: its change (the recorded old delegation) is
// right whatever mix the servers show, as long as each serves the old or
// the new delegation. Here the second parent server never took the flip.
// A planned flip and finish stay strict on such a view.
func TestRollbackParentServersDisagreeLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	old := l.mk()
	lagNew := parentCopy(t, "ns1.new", l.newIP)
	// A planned flip on servers that disagree could not run; the parent
	// is untouched.
	c := l.mk()
	c.ParentServers = []string{l.parent.Addr, lagNew}
	if rep := Flip(ctx, c, false, false); rep.ExitCode() != 2 || !has(rep.Errors, "disagree") {
		t.Fatalf("planned flip with parent servers that disagree: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("the planned flip changed the parent: %s", ns)
	}

	if rep := Flip(ctx, old, false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	lagOld := parentCopy(t, "ns1.old", l.oldIP)
	mixed := func() *Config {
		c := l.mk()
		c.ParentServers = []string{l.parent.Addr, lagOld}
		return c
	}
	// finish stays strict.
	if rep := Finish(ctx, mixed()); rep.ExitCode() != 2 || !has(rep.Errors, "disagree") {
		t.Errorf("finish with parent servers that disagree: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}

	rep := Rollback(ctx, mixed(), false, false)
	if rep.Result != ResultDone || rep.Change == nil || !rep.Change.Confirmed {
		t.Fatalf("rollback with one parent server still serving the old delegation: %s (exit %d) errors %v gates %+v", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	if !has(rep.Warnings, lagOld, l.parent.Addr, "ns1.new.example.test.", "ns1.old.example.test.") {
		t.Errorf("no warning names what the parent's servers showed: %q", rep.Warnings)
	}
	if strings.Join(rep.Change.Before.NS, " ") != "ns1.new.example.test." {
		t.Errorf("change.before: %+v, want the new side's delegation (the one replaced)", rep.Change.Before)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("the parent after the rollback: %s", ns)
	}
	if held, err := l.reg.Delegation(ctx, "example.test."); err != nil || strings.Join(held.NS, " ") != "ns1.old.example.test." || strings.Join(held.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Errorf("the registrar holds %+v (%v), want the recorded old delegation", held, err)
	}
	tr := readTrail(t, old.TrailPath)
	if st, e := tr.Stage(); st != StageRolledBack || e.Result != ResultDone || e.ChangedAt == nil {
		t.Errorf("trail: stage %s, last move %+v", st, e)
	}
}

// A parent server still serving the old delegation that takes the flip
// while a rollback's gates run is the flip propagating, not someone else
// changing the delegation: the rollback, whose view accepts servers in
// motion, goes on and restores the old delegation at the registrar. A
// server that takes a third NS set meanwhile stops it (exit 1), the
// registrar untouched.
func TestRollbackMotionDuringGatesLab(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ns, ip  string
		refused bool
	}{
		{"takes the flip", "ns1.new", "", false},
		{"takes a third delegation", "ns1.elsewhere", "192.0.2.53", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
				t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			lag := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(1, "ns1.old", l.oldIP)}}})
			c := l.mk()
			c.ParentServers = []string{l.parent.Addr, lag.Addr}
			ip := tc.ip
			if ip == "" {
				ip = l.newIP
			}
			c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
				lag.Reload(t, lab.Zone{Origin: "test.", Text: delegatingParent(2, tc.ns, ip)})
				return dnssec.Gate(ctx, in)
			}
			rep := Rollback(ctx, c, false, false)
			if tc.refused {
				if rep.ExitCode() != 1 || !has(rep.Actions, "changed while the gates ran", lag.Addr) {
					t.Fatalf("rollback with a parent server taking a third delegation: %s (exit %d) actions %v gates %+v", rep.Result, rep.ExitCode(), rep.Actions, rep.Gates)
				}
				if ns := nsAt(t, l); ns != "ns1.new.example.test." {
					t.Fatalf("the refused rollback changed the parent: %s", ns)
				}
				return
			}
			// The registrar change is made. (The lagging server here is
			// a copy no registrar reaches, so it never confirms it.)
			if rep.Change == nil || rep.Change.At.IsZero() || has(rep.Actions, "changed while the gates ran") {
				t.Fatalf("rollback with a lagging parent server taking the flip meanwhile: %s (exit %d) actions %v errors %v gates %+v", rep.Result, rep.ExitCode(), rep.Actions, rep.Errors, rep.Gates)
			}
			if ns := nsAt(t, l); ns != "ns1.old.example.test." {
				t.Errorf("the parent after the rollback: %s", ns)
			}
		})
	}
}

// A rollback goes on when a parent server does not answer (one of several
// down), as long as one does; the change is confirmed only when every
// parent server serves it, so the step says it is not. Another NS set at
// a parent server is someone else changing the delegation, and no server
// answering is no view at all: both still stop it, the registrar
// untouched.
func TestRollbackParentServerDownLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	with := func(servers ...string) *Config {
		c := l.mk()
		c.ParentServers = servers
		return c
	}
	// A third party's NS set at one server.
	evil := parentCopy(t, "ns1.evil", "192.0.2.66")
	rep := Rollback(ctx, with(l.parent.Addr, evil), false, false)
	if rep.ExitCode() != 2 || !has(rep.Errors, evil, "ns1.evil.example.test.", "neither") {
		t.Errorf("rollback with a third party's NS at a parent server: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Fatalf("the parent changed: %s", ns)
	}
	// No server answering.
	rep = Rollback(ctx, with(silent(t), silent(t)), false, false)
	if rep.ExitCode() != 2 || !has(rep.Errors, "no parent server answered") {
		t.Errorf("rollback with no parent server answering: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Fatalf("the parent changed: %s", ns)
	}

	// One down, the other on the new side: the rollback is made.
	down := silent(t)
	rep = Rollback(ctx, with(l.parent.Addr, down), false, false)
	if rep.Change == nil || rep.Change.At.IsZero() {
		t.Fatalf("rollback with one parent server down made no change: %s (exit %d) errors %v gates %+v", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
	if !has(rep.Warnings, down) {
		t.Errorf("no warning names the server that does not answer: %q", rep.Warnings)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("the parent after the rollback: %s", ns)
	}
	// Not confirmed: that server cannot be seen serving it.
	if rep.Change.Confirmed || rep.Result != ResultError || !has(rep.Errors, "not every parent server") {
		t.Errorf("rollback confirmed without the server that does not answer: %s confirmed %v %v", rep.Result, rep.Change.Confirmed, rep.Errors)
	}
}

// The emergency flip (the old provider down) is the other way out of an
// incident: a parent server still serving the new delegation from an
// earlier change must not hold it up. The delegation recorded before it,
// which a rollback restores, is the old one, not the lagging server's.
func TestEmergencyParentServersDisagreeLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.old.Stop()
	lagNew := parentCopy(t, "ns1.new", l.newIP)
	c := l.mk()
	c.ParentServers = []string{l.parent.Addr, lagNew}
	rep := Flip(ctx, c, false, true)
	if rep.Result != ResultDone || rep.Change == nil || !rep.Change.Confirmed {
		t.Fatalf("emergency flip with one parent server serving the new delegation: %s (exit %d) errors %v gates %+v", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
	if !has(rep.Warnings, lagNew, "ns1.new.example.test.") {
		t.Errorf("no warning names what the parent's servers showed: %q", rep.Warnings)
	}
	tr := readTrail(t, c.TrailPath)
	if r := tr.Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Errorf("recorded before: %+v, want the old delegation", r)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Errorf("the parent after the emergency flip: %s", ns)
	}
}

// status is an observation: one parent server down leaves it the others'
// view to report, the server named as an error.
func TestStatusParentServerDownLab(t *testing.T) {
	l := newReviewLab(t, 5)
	down := silent(t)
	c := l.mk()
	c.ParentServers = []string{l.parent.Addr, down}
	rep := Status(context.Background(), c)
	if rep.ExitCode() != 0 || rep.Delegation.PointsTo != "old" || !has(rep.Errors, "not every parent server answers", down) {
		t.Errorf("status with one parent server down: %s (exit %d) points_to %s errors %v", rep.Result, rep.ExitCode(), rep.Delegation.PointsTo, rep.Errors)
	}
}

// After an emergency flip the old side's own NS TTL cannot be read (the
// provider is down), yet resolvers that took its NS set keep following it
// that long (RFC 2181 §5.4.1): the old delegation's expiry, which finish
// and the outage's old-side sync wait for, must not count it as 0. The
// largest TTL the trail recorded on the old side bounds it (the review
// lab's trail: 3,600 s); without one, 86,400 s is assumed.
func TestEmergencyOldNSTTLLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.old.Stop()
	c := l.mk()
	rep := Flip(ctx, c, false, true)
	if rep.Result != ResultDone || rep.Watch == nil {
		t.Fatalf("emergency flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if want := rep.Change.At.Add((5 + 3600) * time.Second); rep.Watch.ChildNSTTL != 3600 || rep.Watch.OldDelegationExpires.Before(want) {
		t.Errorf("old side's NS TTL %d s, old_delegation_expires %s; want 3600 s (the trail's largest on the old side), not before %s", rep.Watch.ChildNSTTL, rep.Watch.OldDelegationExpires.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	if !has(rep.Warnings, "3600 s", "audit trail") {
		t.Errorf("no warning says where the old side's NS TTL came from: %q", rep.Warnings)
	}
	tr := readTrail(t, c.TrailPath)
	if _, e := tr.Stage(); e == nil || oldDelegationExpires(e).Before(rep.Change.At.Add(3605*time.Second)) {
		t.Errorf("the trail's old delegation expiry: %+v", e)
	}

	// A trail that never saw the old side: assumed a day.
	old := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP}}}
	if err := l.reg.SetDelegation(ctx, "example.test.", old); err != nil {
		t.Fatal(err)
	}
	c = l.mk()
	c.TrailPath = TrailPath(t.TempDir(), "example.test.")
	rep = Flip(ctx, c, false, true)
	if rep.Result != ResultDone || rep.Watch == nil {
		t.Fatalf("emergency flip, empty trail: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep.Watch.ChildNSTTL != AssumedPreviousTTL || !has(rep.Warnings, "assumed") {
		t.Errorf("empty trail: old side's NS TTL %d s, warnings %q; want %d s assumed", rep.Watch.ChildNSTTL, rep.Warnings, AssumedPreviousTTL)
	}
}
