package cutover

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// setAt replaces (or creates) the RRset of rr at side s's provider.
func setAt(t *testing.T, s *Side, old string, rr string) {
	t.Helper()
	r, err := dns.NewRR(rr)
	if err != nil {
		t.Fatal(err)
	}
	set, err := zone.NewRRSet([]dns.RR{r})
	if err != nil {
		t.Fatal(err)
	}
	ch := provider.Change{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}
	if old != "" {
		o, _ := dns.NewRR(old)
		os, _ := zone.NewRRSet([]dns.RR{o})
		ch.Action, ch.Old = provider.Replace, os
	}
	if _, err := s.Provider.Apply(context.Background(), "example.test.", []provider.Change{ch}, nil); err != nil {
		t.Fatal(err)
	}
}

// The servers a step proves things about on the side it moves away from
// are providers.X.nameservers; resolvers ask the servers the parent's
// delegation names. Nothing tied the two once the delegation to start
// from is the one the trail recorded (after a rollback; the same holds for
// NS names outside the zone, which have no glue to compare): a config
// whose providers.old.nameservers name another server (the new side's, a
// typo, a pull request) made parity compare the new side with itself and
// old-down see an address nothing listens on, while the old provider,
// which resolvers holding the old delegation keep asking, served other
// data.
func TestFlipFromServersNotTheDelegationsLab(t *testing.T) {
	l := newReviewLab(t, 2)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep := Rollback(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The old provider now serves www differently from git (and the new
	// side).
	c := l.mk()
	setAt(t, &c.Old, "www.example.test. 60 IN A 192.0.2.80", "www.example.test. 60 IN A 192.0.2.81")

	// As configured, the flip is refused (parity).
	if rep := Flip(ctx, l.mk(), true, false); rep.ExitCode() != 1 {
		t.Fatalf("flip with the old side differing, as configured: %s (exit %d) %+v", rep.Result, rep.ExitCode(), rep.Gates)
	}
	// providers.old.nameservers naming the new server: the parent still
	// delegates to the old one (glue l.oldIP).
	c = l.mk()
	c.Old.Servers = []string{net.JoinHostPort(l.newIP, "53")}
	rep := Flip(ctx, c, true, false)
	if rep.ExitCode() != 1 {
		t.Errorf("flip with providers.old.nameservers naming the new server while the parent delegates to %s: %s (exit %d), gates %+v", l.oldIP, rep.Result, rep.ExitCode(), rep.Gates)
	}
	if g := gateNamed(rep, GateParity); g == nil || g.OK || !strings.Contains(g.Detail, "www.example.test.") {
		t.Errorf("parity gate should compare the server the delegation names (%s) and find www: %+v", l.oldIP, g)
	}

	// The emergency: providers.old.nameservers naming an address nothing
	// listens on, the old provider up, holding a name git lacks (which
	// an emergency flip, skipping old-complete, would lose).
	c = l.mk()
	setAt(t, &c.Old, "", "only-old.example.test. 60 IN A 192.0.2.82")
	c.Old.Servers = []string{silent(t)}
	rep = Flip(ctx, c, true, true)
	if rep.ExitCode() != 1 {
		t.Errorf("flip --emergency with providers.old.nameservers naming a dead address while the server the parent delegates to (%s) answers: %s (exit %d), gates %+v", l.oldIP, rep.Result, rep.ExitCode(), rep.Gates)
	}
	if g := gateNamed(rep, GateOldDown); g == nil || g.OK || !strings.Contains(g.Detail, l.oldIP) {
		t.Errorf("old-down should ask %s, which the parent's delegation names: %+v", l.oldIP, g)
	}

	// The mirror: after a flip, rollback --emergency with
	// providers.new.nameservers naming an address nothing listens on,
	// the new server up.
	c = l.mk()
	setAt(t, &c.Old, "www.example.test. 60 IN A 192.0.2.81", "www.example.test. 60 IN A 192.0.2.80")
	r, _ := dns.NewRR("only-old.example.test. 60 IN A 192.0.2.82")
	set, _ := zone.NewRRSet([]dns.RR{r})
	if _, err := c.Old.Provider.Apply(ctx, "example.test.", []provider.Change{{Action: provider.Delete, Name: set.Name, Type: set.Type, Old: set}}, nil); err != nil {
		t.Fatal(err)
	}
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip again: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	c = l.mk()
	c.New.Servers = []string{silent(t)}
	// The new server the delegation names answers, and serves git: the
	// side is seen partly down (the configured address fails), which
	// new-down accepts only because that server serves the zone as git
	// has it (gateMatchesGit over it); it is asked, never skipped.
	rep = Rollback(ctx, c, true, true)
	if g := gateNamed(rep, GateNewDown); g == nil || !strings.Contains(g.Detail, l.newIP) || (g.OK && !strings.Contains(g.Detail, "partly down")) {
		t.Errorf("new-down should ask %s, which the parent's delegation names, and pass only as partly down: %+v", l.newIP, g)
	}
}
