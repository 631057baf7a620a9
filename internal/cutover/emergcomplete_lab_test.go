package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// A partial outage of the old provider (one server silent, the other
// serving git's answers) with a record at the old provider git lacks
// (added at its UI: extra.example.test., which the surviving server
// serves and parity, asking git's names, never sees): flip --emergency
// judges old-complete as the planned flip does, and names the record
// with the planned gate's plan (import it into git) in a warning, not
// holding the failover back (a dry run here). With the old provider
// unlistable (its API down, the usual emergency) old-complete passes as
// not checked and a warning says what may be lost. On the code before
// (f5e7a0b), no old-complete gate: extra.example.test. vanished at the
// flip unnamed.
func TestEmergencyPartialOldCompleteLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	mk := func() *Config {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		return c
	}
	setRRs(t, &mk().Old, "extra.example.test. 60 IN A 192.0.2.55")

	rep := Flip(ctx, mk(), true, true)
	unmetGates(t, "flip --emergency, listable", rep)
	g := gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, "not refused in an emergency") || !strings.Contains(g.Detail, "extra.example.test.") ||
		!has(rep.Warnings, "old-complete", "extra.example.test.", "dnsparity import --provider old --zone example.test.") {
		t.Errorf("flip --emergency, partly down, a record git lacks at the old provider: %s, old-complete %+v, warnings %q", rep.Result, g, rep.Warnings)
	}
	if d := gateNamed(rep, GateOldDown); d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
		t.Errorf("old-down %+v, want partly down", d)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("the dry run moved the delegation: %s", ns)
	}

	// The old provider's API is down: not checked, not held back.
	unl := func() *Config {
		c := mk()
		c.Old.Provider = unlistable{c.Old.Provider}
		return c
	}
	rep = Flip(ctx, unl(), false, true)
	unmetGates(t, "flip --emergency, unlistable", rep)
	g = gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDone || g == nil || !g.OK || !strings.Contains(g.Detail, "not checked") {
		t.Errorf("flip --emergency, partly down, the old provider unlistable: %s, old-complete %+v", rep.Result, g)
	}
	if !has(rep.Warnings, "old-complete", "cannot be listed", "503", "vanish at the flip", l.oldIP) {
		t.Errorf("no warning says what may be lost: %q", rep.Warnings)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Errorf("after flip --emergency the parent delegates to %s", ns)
	}
}

// The mirror: after a flip the new provider is partly down (one server
// silent, the other serving git) and holds a record git lacks (added at
// its UI since the flip): rollback --emergency judges new-complete as the
// planned rollback does and names it in a warning (a dry run here); with
// the new provider unlistable it rolls back, warning. On the code before
// f5e7a0b, no new-complete gate.
func TestEmergencyPartialNewCompleteLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.flip(t, ctx)
	// The new provider with a record git lacks.
	l.nw.Stop()
	text := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 60 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nextra A 192.0.2.55\n", l.oldIP, l.newIP)
	l.nw = lab.Knot(t, lab.Options{IP: l.newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	dead := silent(t)
	mk := func() *Config {
		c := l.mk()
		c.New.Servers = append(c.New.Servers, dead)
		return c
	}

	rep := Rollback(ctx, mk(), true, true)
	unmetGates(t, "rollback --emergency, listable", rep)
	g := gateNamed(rep, GateNewComplete)
	if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, "not refused in an emergency") || !strings.Contains(g.Detail, "extra.example.test.") ||
		!has(rep.Warnings, "new-complete", "extra.example.test.", "dnsparity import --provider new --zone example.test.") {
		t.Errorf("rollback --emergency, partly down, a record git lacks at the new provider: %s, new-complete %+v, warnings %q", rep.Result, g, rep.Warnings)
	}
	if d := gateNamed(rep, GateNewDown); d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
		t.Errorf("new-down %+v, want partly down", d)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Fatalf("the dry run moved the delegation: %s", ns)
	}

	unl := func() *Config {
		c := mk()
		c.New.Provider = unlistable{c.New.Provider}
		return c
	}
	rep = Rollback(ctx, unl(), false, true)
	unmetGates(t, "rollback --emergency, unlistable", rep)
	g = gateNamed(rep, GateNewComplete)
	if rep.Result != ResultDone || g == nil || !g.OK || !strings.Contains(g.Detail, "not checked") {
		t.Errorf("rollback --emergency, partly down, the new provider unlistable: %s, new-complete %+v", rep.Result, g)
	}
	if !has(rep.Warnings, "new-complete", "cannot be listed", "vanish at the rollback", l.newIP) {
		t.Errorf("no warning says what may be lost: %q", rep.Warnings)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("after rollback --emergency the parent delegates to %s", ns)
	}
}
