package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A partial outage of the old provider (one server silent, the other
// serving git's answers) with a record at the old provider git lacks
// (added at its UI: extra.example.test., which the surviving server
// serves and parity, asking git's names, never sees): flip --emergency
// judges old-complete as the planned flip does and refuses, naming the
// record and the server (it would vanish for every resolver; before
// TestEmergencyServedBeyondGitRefusedLab it was a warning). With the old
// provider unlistable (its API down, the usual emergency) and the
// survivor's transfer refused too (a key it does not know), nothing
// shows what it serves: old-complete passes as not checked and a warning
// says what may be lost. On the code before (f5e7a0b), no old-complete
// gate: extra.example.test. vanished at the flip unnamed.
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
	g := gateNamed(rep, GateOldComplete)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test. A at "+l.old.Addr) ||
		!strings.Contains(strings.Join(g.Plan, "\n"), "dnsparity import --provider old --zone example.test.") {
		t.Errorf("flip --emergency, partly down, a record git lacks at the old provider: %s, old-complete %+v, warnings %q", rep.Result, g, rep.Warnings)
	}
	if d := gateNamed(rep, GateOldDown); d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
		t.Errorf("old-down %+v, want partly down", d)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("the dry run moved the delegation: %s", ns)
	}

	// The old provider's API is down and the survivor's transfer fails
	// (a key it does not know): not checked, not held back.
	unl := func() *Config {
		c := mk()
		c.Old.Provider = unlistable{c.Old.Provider}
		c.Parity.OldTSIG = unknownKey
		return c
	}
	rep = Flip(ctx, unl(), false, true)
	unmetGates(t, "flip --emergency, unlistable", rep)
	g = gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDone || g == nil || !g.OK || !strings.Contains(g.Detail, "not checked") {
		t.Errorf("flip --emergency, partly down, the old provider unlistable: %s, old-complete %+v", rep.Result, g)
	}
	if !has(rep.Warnings, "old-complete", "cannot be listed", "503", "vanish at the flip", l.oldIP, "transfers from those nameservers failed too") {
		t.Errorf("no warning says what may be lost: %q", rep.Warnings)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Errorf("after flip --emergency the parent delegates to %s", ns)
	}
}

// The mirror: after a flip the new provider is partly down (one server
// silent, the other serving git) and holds a record git lacks (added at
// its UI since the flip): rollback --emergency judges new-complete as the
// planned rollback does and refuses, naming it; with the new provider
// unlistable and the survivor's transfer refused it rolls back, warning.
// On the code before f5e7a0b, no new-complete gate.
func TestEmergencyPartialNewCompleteLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.flip(t, ctx)
	// The new provider with a record git lacks.
	l.nw.Stop()
	text := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 1209600 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nextra A 192.0.2.55\n", l.oldIP, l.newIP)
	l.nw = lab.Knot(t, lab.Options{IP: l.newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	dead := silent(t)
	mk := func() *Config {
		c := l.mk()
		c.New.Servers = append(c.New.Servers, dead)
		return c
	}

	rep := Rollback(ctx, mk(), true, true)
	g := gateNamed(rep, GateNewComplete)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test. A at ") ||
		!strings.Contains(strings.Join(g.Plan, "\n"), "dnsparity import --provider new --zone example.test.") {
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
		c.Parity.NewTSIG = unknownKey
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

// Tests of an emergency's completeness gate of the side it leaves partly
// down (downComplete): it judges what the surviving servers serve, the
// provider's listing naming what to ask.

// listsAhead is a provider whose API lists one RRset more than its
// servers serve (a record created at its API during the outage that its
// broken data plane never published; an ACME challenge TXT an
// automation keeps adding, say).
type listsAhead struct {
	provider.Provider
	extra string
}

func (p listsAhead) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	z, err := p.Provider.Records(ctx, origin)
	if err != nil {
		return z, err
	}
	rr, err := dns.NewRR(p.extra)
	if err != nil {
		return nil, err
	}
	set, err := zone.NewRRSet([]dns.RR{rr})
	if err != nil {
		return nil, err
	}
	z.AddSet(set)
	return z, nil
}

// flip --emergency with the old side partly down, the old API answering
// and listing an RRset the surviving old server does not serve: nothing
// vanishes at the flip (no server serves it), so old-complete passes and
// a warning names it as listed and served by no surviving server. Putting
// it into git is no way out (old-down then refuses: the survivor does not
// serve git), so the gate must not ask for it. On the code before,
// old-complete refused it: "refused; old-complete ... the old provider
// holds 1 RRset that git lacks, which would vanish at the flip (the old
// nameservers still answering, 127.53.0.4:53, serve them ...)".
func TestEmergencyListedNotServedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	const extra = "_acme-challenge.example.test. 60 IN TXT \"token\""
	mk := func() *Config {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		c.Old.Provider = listsAhead{c.Old.Provider, extra}
		return c
	}
	// The surviving old server does not serve it.
	if r, err := ask(ctx, l.old.Addr, "_acme-challenge.example.test.", dns.TypeTXT, false, time.Second); err == nil && len(r.Answer) > 0 {
		t.Fatalf("the old server serves it: %v", r.Answer)
	}
	rep := Flip(ctx, mk(), true, true)
	g := gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDryRun || g == nil || !g.OK {
		t.Fatalf("flip --emergency, old partly down, its API listing an RRset no old server serves: %s; old-complete %+v", rep.Result, g)
	}
	if !strings.Contains(g.Detail, "_acme-challenge.example.test. TXT") || strings.Contains(g.Detail, "serve them") {
		t.Errorf("old-complete's detail: %s", g.Detail)
	}
	if !has(rep.Warnings, "old-complete", "_acme-challenge.example.test. TXT", "served by no old nameserver still answering", l.old.Addr, "not refused") {
		t.Errorf("no warning names the RRset listed and served by no surviving server: %q", rep.Warnings)
	}
	if has(rep.Warnings, "old-complete", "incomplete") {
		t.Errorf("a listing that holds git's RRsets is said to look incomplete: %q", rep.Warnings)
	}
}

// zonesScoped reads the zone (a Reader) but its key may not list the
// account's zones (a token scoped to one zone): SubZones fails.
type zonesScoped struct{ provider.Provider }

func (p zonesScoped) Read(ctx context.Context, origin string) (*zone.Zone, []provider.Feature, error) {
	z, err := p.Provider.Records(ctx, origin)
	return z, nil, err
}

func (zonesScoped) SubZones(context.Context, string) ([]string, error) {
	return nil, fmt.Errorf("GET /zones: %w", provider.ErrAuth)
}

// The old provider's records list fine (and hold a record git lacks that
// the surviving old server serves); only the account's zone listing is
// refused (a scoped key): the records are judged (refused, naming the
// server that serves it), and only the zones below go unchecked, with a
// warning that says so (and no "within": nothing timed out). On the code
// before, the whole listing counted as failed: "dry-run; old-complete
// ... not checked, refusing nothing: the old provider cannot be listed
// within 1m0s (providers.old: listing the account's zones ...".
func TestEmergencyZoneListRefusedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	mk := func() *Config {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		c.Old.Provider = zonesScoped{c.Old.Provider}
		return c
	}
	rep := Flip(ctx, mk(), true, true)
	g := gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, "holds no RRset that git lacks") || !strings.Contains(g.Detail, "zones of its own below were not checked") {
		t.Errorf("flip --emergency, the old records listed (nothing beyond git), its zone list refused: %s; old-complete %+v", rep.Result, g)
	}
	if !has(rep.Warnings, "old-complete", "zones could not be listed", "credentials refused", "not checked") || has(rep.Warnings, "within") {
		t.Errorf("the warning on the zones below: %q", rep.Warnings)
	}

	setRRs(t, &l.mk().Old, "extra.example.test. 60 IN A 192.0.2.55")
	rep = Flip(ctx, mk(), true, true)
	g = gateNamed(rep, GateOldComplete)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test. A at "+l.old.Addr) {
		t.Errorf("flip --emergency, the old records listed (extra.example.test. served by the survivor, git lacks it), its zone list refused: %s; old-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
	}
	if !has(rep.Warnings, "old-complete", "zones could not be listed") {
		t.Errorf("no warning on the zones below: %q", rep.Warnings)
	}
}

// listsPartial answers a listing that holds only the apex (a degraded
// API backend answering from an empty or lagging replica).
type listsPartial struct {
	provider.Provider
	z *zone.Zone
}

func (p listsPartial) Records(context.Context, string) (*zone.Zone, error) { return p.z, nil }

// The old API answers with a partial listing (none of git's RRsets, which
// the surviving server serves, old-down proved) while the survivor also
// serves a record git lacks, which no listing names: the survivor's
// transfer shows it (refused); with the transfer refused too old-complete
// cannot see it, and says, in its detail and a warning, that the listing looked
// incomplete. On the code before it passed as checked, without a
// warning: "old-complete ... the old provider holds no RRset that git
// lacks (2 RRsets listed)".
func TestEmergencyPartialListingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	apex := gitZone(t, "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.old h.example.test. 1 60 60 1209600 60\n@ NS ns1.old\n")
	mk := func() *Config {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		c.Old.Provider = listsPartial{c.Old.Provider, apex}
		return c
	}
	setRRs(t, &l.mk().Old, "extra.example.test. 60 IN A 192.0.2.55")
	rep := Flip(ctx, mk(), true, true)
	g := gateNamed(rep, GateOldComplete)
	if g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test. A at "+l.old.Addr+" (by AXFR)") || !has(rep.Warnings, "old-complete", "listing looked incomplete", "www.example.test. A", l.old.Addr) {
		t.Errorf("flip --emergency, the old API listing only the apex (the survivor serves git and extra.example.test., and transfers): %s; old-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
	}
	// The survivor's transfer refused too: nothing names extra.example.test.
	c := mk()
	c.Parity.OldTSIG = unknownKey
	rep = Flip(ctx, c, true, true)
	g = gateNamed(rep, GateOldComplete)
	if g == nil || !g.OK || !has(rep.Warnings, "old-complete", "listing looked incomplete", "www.example.test. A", l.old.Addr) {
		t.Errorf("flip --emergency, the old API listing only the apex, the survivor's transfer refused: %s; old-complete %+v; warnings %q", rep.Result, g, rep.Warnings)
	}
	if g != nil && !strings.Contains(g.Detail, "incomplete") {
		t.Errorf("old-complete's detail does not say the listing looked incomplete: %s", g.Detail)
	}
}

// hangs is a provider whose API takes every call and never answers (it
// returns only when the call is given up).
type hangs struct{ provider.Provider }

func (hangs) Records(ctx context.Context, _ string) (*zone.Zone, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("GET /records: %w", ctx.Err())
}

// A listing of the side an emergency leaves partly down that never
// answers is cut at Config.EmergencyListWait: old-complete passes as not
// checked, the warning saying "within" the wait; a listing that fails on
// its own (a 503) says no "within". On the code before there was no
// Config.EmergencyListWait (the wait was a constant minute).
func TestEmergencyListWaitLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	c := l.mk()
	c.Old.Servers = append(c.Old.Servers, dead)
	c.Old.Provider = hangs{c.Old.Provider}
	c.Parity.OldTSIG = unknownKey // no transfer shows what the survivor serves either
	c.EmergencyListWait = 700 * time.Millisecond
	start := time.Now()
	rep := Flip(ctx, c, true, true)
	took := time.Since(start)
	g := gateNamed(rep, GateOldComplete)
	if rep.Result != ResultDryRun || g == nil || !g.OK || !strings.Contains(g.Detail, "not checked") {
		t.Errorf("flip --emergency, the old listing never answering: %s; old-complete %+v", rep.Result, g)
	}
	if !has(rep.Warnings, "old-complete", "cannot be listed within 700ms", "context deadline exceeded", l.old.Addr) {
		t.Errorf("no warning says the listing was cut at the wait: %q", rep.Warnings)
	}
	if took > 30*time.Second {
		t.Errorf("the step took %s", took)
	}

	c = l.mk()
	c.Old.Servers = append(c.Old.Servers, dead)
	c.Old.Provider = unlistable{c.Old.Provider}
	c.Parity.OldTSIG = unknownKey
	rep = Flip(ctx, c, true, true)
	if !has(rep.Warnings, "old-complete", "cannot be listed (", "503") || has(rep.Warnings, "old-complete", "within") {
		t.Errorf("a listing refused at once is said to be cut at the wait: %q", rep.Warnings)
	}
}

// An emergency the down gate already refuses (a surviving old server
// serves other data than git) does not wait on the old provider's
// listing: old-complete is not judged. On the code before, the listing
// was waited on for the whole minute: "old-complete judged ...", in about
// 60 s.
func TestEmergencyRefusedSkipsDownListingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	setRRs(t, &l.mk().Old, "www.example.test. 60 IN A 192.0.2.81") // git: 192.0.2.80
	c := l.mk()
	c.Old.Servers = append(c.Old.Servers, dead)
	c.Old.Provider = hangs{c.Old.Provider}
	start := time.Now()
	rep := Flip(ctx, c, true, true)
	took := time.Since(start)
	if d := gateNamed(rep, GateOldDown); rep.Result != ResultRefused || d == nil || d.OK {
		t.Fatalf("flip --emergency, a surviving old server serving other data: %s; old-down %+v", rep.Result, d)
	}
	if g := gateNamed(rep, GateOldComplete); g != nil {
		t.Errorf("old-complete judged (in %s) while old-down refuses: %+v", took, g)
	}
	if took > 30*time.Second {
		t.Errorf("the refused step took %s", took)
	}
}

// unknownKey is a TSIG key no lab server knows: a transfer signed with it
// is refused (NOTAUTH, BADKEY), as a provider's servers refuse strangers.
var unknownKey = &parity.TSIG{Name: "unknown-key.", Secret: "dW5rbm93bi1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0x"}
