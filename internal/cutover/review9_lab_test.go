package cutover

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
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

// A flip --from-current recorded the delegation it found, a second server
// (ns2.old, glued to a legacy server the config does not list) included;
// the rollback restores it exactly. The legacy server serves other data
// than the old provider (www), under a serial as new as its: the rollback
// proved parity between the configured old servers and the new ones only,
// and brought the legacy server back to resolvers unasked. The flip asks
// the legacy server as well (askFromServers): while it serves other data
// the flip is refused; it is made once the legacy server serves git, which
// it stops doing before the rollback.
func TestRollbackRecordedServerParityLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t), "legacy": lab.Addr(t)}
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3OS1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A %s\nexample NS ns1.old.example\nexample NS ns2.old.example\nns1.old.example A %s\nns2.old.example A %s\n", ip["parent"], ip["old"], ip["legacy"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	side := func(www string, apex ...string) []lab.Zone {
		text := "$ORIGIN example.test.\n$TTL 60\n@ SOA " + apex[0] + " h.example.test. 1 60 60 60 60\n"
		for _, n := range apex {
			text += "@ NS " + n + "\n"
		}
		text += fmt.Sprintf("ns1.old A %s\nns2.old A %s\nns1.new A %s\nwww A %s\n", ip["old"], ip["legacy"], ip["new"], www)
		return []lab.Zone{{Origin: "example.test.", Text: text}}
	}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: side("192.0.2.80", "ns1.old.example.test.", "ns2.old.example.test.")})
	legacy := lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.99", "ns1.old.example.test.", "ns2.old.example.test.")})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: side("192.0.2.80", "ns1.new.example.test.")})
	z, err := zone.Parse(strings.NewReader(side("192.0.2.80", "ns1.new.example.test.")[0].Text), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	path := prestagedTrail(t, 60)
	mk := func() *Config {
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.ParentZone, c.Log = "test.", io.Discard
		c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
		c.Watch, c.Confirm = time.Second, 2*time.Second
		return c
	}
	ctx := context.Background()
	c := mk()
	c.FromCurrent = true
	// The flip asks the legacy server too (the parent's delegation sends
	// resolvers to it): refused while it serves other data.
	if rep := Flip(ctx, c, false, false); rep.ExitCode() != 1 || !strings.Contains(gateNamed(rep, GateParity).Detail, "www.example.test.") {
		t.Fatalf("flip --from-current with the legacy server serving other data: %s (exit %d) %+v", rep.Result, rep.ExitCode(), rep.Gates)
	}
	// It serves git at the flip, and other data again by the rollback.
	legacy.Stop()
	legacy = lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.80", "ns1.old.example.test.", "ns2.old.example.test.")})
	c = mk()
	c.FromCurrent = true
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip --from-current: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	legacy.Stop()
	lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.99", "ns1.old.example.test.", "ns2.old.example.test.")})
	rep := Rollback(ctx, mk(), false, false)
	if rep.ExitCode() != 1 {
		t.Fatalf("rollback to a recorded server serving other data: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	for _, g := range rep.Gates {
		if g.Name == GateOldParity && (g.OK || !strings.Contains(g.Detail, "www.example.test.")) {
			t.Errorf("old-parity: %+v", g)
		}
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{parentSrv.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.new.example.test." {
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
