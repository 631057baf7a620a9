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
	l.nw.Reload(t, lab.Zone{Origin: extra, Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 60 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nstale A 192.0.2.66\n", l.oldIP, l.newIP)})
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
	stale := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.old h.example.test. 1 60 60 60 60\n@ NS ns1.old\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.81\n", l.oldIP, l.newIP)
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
