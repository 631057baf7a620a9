package cutover

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ttlBlind is a registrar that, like Route 53 Domains, does not know the
// TTLs of the delegation it holds (0).
type ttlBlind struct{ registrar.Registrar }

func (r ttlBlind) Delegation(ctx context.Context, z string) (registrar.Delegation, error) {
	d, err := r.Registrar.Delegation(ctx, z)
	d.NSTTL, d.DSTTL = 0, 0
	return d, err
}

// A registrar whose API does not give the delegation's TTLs (Route 53
// Domains: "TTLs are the registry's and not known here") must not make the
// old delegation look expired at once: the parent's servers serve the NS
// TTL resolvers cache, and the watch, the report's old_delegation_expires
// and the trail (what a rollback restores, ttl-expired's spans) take it
// from there.
func TestFlipRegistrarWithoutTTLLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	c := l.mk()
	c.Registrar = ttlBlind{l.reg}
	rep := Flip(context.Background(), c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep.Watch == nil || rep.Watch.NSTTL != 3000 {
		t.Errorf("watch NS TTL %+v, want the parent's 3000 s", rep.Watch)
	}
	if rep.Watch != nil && rep.Watch.OldDelegationExpires.Before(rep.Change.At.Add(3000*time.Second)) {
		t.Errorf("old_delegation_expires %s, before the change %s + the parent's NS TTL", rep.Watch.OldDelegationExpires, rep.Change.At)
	}
	if rep.Change.Before.NSTTL != 3000 {
		t.Errorf("change.before.ns_ttl %d, want 3000", rep.Change.Before.NSTTL)
	}
	tr := readTrail(t, c.TrailPath)
	if r := tr.Restore(); r == nil || r.NSTTL != 3000 {
		t.Errorf("recorded before: %+v", r)
	}
}

// pendingRegistrar holds a change its registry has not published yet
// (Route 53 Domains after a run whose UpdateDomainNameservers was still
// pending when its wait ended: GetDomainDetail shows the new nameservers,
// the parent's servers still serve the old ones).
type pendingRegistrar struct {
	registrar.Registrar
	pending registrar.Delegation
}

func (r pendingRegistrar) Delegation(context.Context, string) (registrar.Delegation, error) {
	return r.pending, nil
}

// The delegation a flip records as the one before it (what a rollback
// restores) is the one its gates checked at the parent's servers, not a
// registrar's view that differs from it: there, the pending change itself.
func TestFlipRecordsCheckedBeforeLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	pending := c.New.Want("example.test.", 5)
	c.Registrar = pendingRegistrar{l.reg, pending}
	rep := Flip(context.Background(), c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	tr := readTrail(t, c.TrailPath)
	r := tr.Restore()
	if r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Fatalf("recorded before (what a rollback restores): %+v, want ns1.old.example.test. glued to %s", r, l.oldIP)
	}
	if !strings.Contains(strings.Join(rep.Warnings, " "), "ns1.new.example.test.") {
		t.Errorf("no warning names the registrar's differing view: %v", rep.Warnings)
	}
}

// A push that lands while a flip's gates run (push takes no lock, so a
// sync may run beside a flip) changes what parity proved: the flip must
// not trust the verdict it reached before. Here the old side gets a record
// git lacks after parity and old-complete passed, while the dnssec gate
// runs; the registrar is left untouched.
func TestFlipZoneChangedDuringGatesLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	ctx := context.Background()
	c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
		rr, _ := dns.NewRR("late.example.test. 60 IN A 192.0.2.99")
		set, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			return dnssec.Result{}, err
		}
		if _, err := c.Old.Provider.Apply(ctx, "example.test.", []provider.Change{{Action: provider.Create, Name: set.Name, Type: dns.TypeA, New: set}}, nil); err != nil {
			return dnssec.Result{}, err
		}
		return dnssec.Gate(ctx, in)
	}
	rep := Flip(ctx, c, false, false)
	if rep.ExitCode() != 1 {
		t.Fatalf("flip with the old side changed while its gates ran: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	for _, g := range rep.Gates {
		if g.Name == GateParity && (g.OK || !strings.Contains(g.Detail, "changed while the gates ran")) {
			t.Errorf("parity gate: %+v", g)
		}
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.old.example.test." {
		t.Fatalf("the parent changed: %v", d.NS)
	}
}

// lateRegistrar holds another NS set once other is set (a change someone
// makes at the registrar that the registry has not published yet): its
// Delegation says so, the parent's servers do not.
type lateRegistrar struct {
	registrar.Registrar
	other []string
}

func (p *lateRegistrar) Delegation(ctx context.Context, z string) (registrar.Delegation, error) {
	d, err := p.Registrar.Delegation(ctx, z)
	if err == nil && p.other != nil {
		d.NS, d.Glue = p.other, nil
	}
	return d, err
}

// The delegation changes while a flip's gates run: someone else moves it
// at the registrar (published at once by the parent's servers, or held
// there unpublished). The gates judged the delegation read at the start,
// so the flip must not replace the one there now: the parent-servers gate
// is unmet, exit 1, and whatever the other party set is left as it is.
func TestFlipDelegationChangedDuringGatesLab(t *testing.T) {
	ctx := context.Background()
	other := registrar.Delegation{NS: []string{"ns1.elsewhere.example.net."}, NSTTL: 5}
	for _, tc := range []struct {
		name      string
		published bool // the parent's servers serve the other party's change
		dryRun    bool
	}{
		{"published", true, false},
		{"published, dry run", true, true},
		{"held at the registrar", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			c := l.mk()
			pending := &lateRegistrar{Registrar: c.Registrar}
			c.Registrar = pending
			c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
				if tc.published {
					if err := l.reg.SetDelegation(ctx, "example.test.", other); err != nil {
						return dnssec.Result{}, err
					}
				} else {
					pending.other = other.NS
				}
				return dnssec.Gate(ctx, in)
			}
			rep := Flip(ctx, c, tc.dryRun, false)
			if rep.ExitCode() != 1 || rep.Result != ResultRefused {
				t.Fatalf("flip with the delegation changed while its gates ran: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
			}
			if g := gateNamed(rep, GateParentServers); g == nil || g.OK || !strings.Contains(g.Detail, "changed while the gates ran") || !strings.Contains(g.Detail, "ns1.elsewhere.example.net.") {
				t.Errorf("parent-servers gate: %+v", g)
			}
			want := "ns1.old.example.test."
			if tc.published {
				want = "ns1.elsewhere.example.net."
			}
			d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
			if strings.Join(d.NS, " ") != want {
				t.Fatalf("the parent serves %v, want %s", d.NS, want)
			}
		})
	}
}

// The last cached copy of the old delegation expires its NS TTL after the
// parent's servers last served it, not after the registrar accepted the
// change: a registry that publishes 1.5 s later keeps handing out the old
// delegation for those 1.5 s.
func TestFlipOldDelegationFromPublicationLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	c.Confirm = 10 * time.Second
	late := &latePublisher{Registrar: l.reg, delay: 1500 * time.Millisecond, done: make(chan error, 1)}
	c.Registrar = late
	rep := Flip(context.Background(), c, false, false)
	if err := <-late.done; err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultDone || !rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The old side's own NS TTL is 60 s, the parent's 5 s.
	if want := rep.Change.At.Add(late.delay + 65*time.Second); rep.Watch.OldDelegationExpires.Before(want) {
		t.Errorf("old_delegation_expires %s, before the publication (%s after the change at %s) + 5 s + 60 s", rep.Watch.OldDelegationExpires.Format(time.RFC3339Nano), late.delay, rep.Change.At.Format(time.RFC3339Nano))
	}
}

// cycleLab: the parent test. (BIND) delegating example.test. to
// ns1.old.example.test. (glue) and dnshost.test. to host (with an address
// record for it in the parent when glued: sibling glue), the old Knot serving both zones, the new
// Knot example.test. with apex NS ns1.dnshost.test. (dnshost.test.'s
// ns1 is the new server), an Unbound following the parent; git, and the
// flip's configuration with the new side delegated to ns1.dnshost.test.
func cycleLab(t *testing.T, host string, glued bool) (*Config, *lab.Server, map[string]string) {
	t.Helper()
	lab.Require(t, "named", "knotd", "unbound")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3OS1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample NS ns1.old.example\nns1.old.example A %s\ndnshost NS %s\n", ip["parent"], ip["old"], host)
	if glued {
		parentText += host + " A " + ip["old"] + "\n"
	}
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := func(apex string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA %s h.example.test. 1 60 60 1209600 60\n@ NS %s\nns1.old A %s\nns A %s\nwww A 192.0.2.80\n", apex, apex, ip["old"], ip["old"])
	}
	dnshost := lab.Zone{Origin: "dnshost.test.", Text: fmt.Sprintf("$ORIGIN dnshost.test.\n$TTL 60\n@ SOA %s h 1 60 60 1209600 60\n@ NS %s\nns1 A %s\n", host, host, ip["new"])}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.old.example.test.")}, dnshost}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example("ns1.dnshost.test.")}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	z := gitZone(t, example("ns1.dnshost.test."))
	c := signedConfig(t, z, ip, old, nw, parentSrv, prestagedTrail(t, 60), 60)
	c.New.Delegation, c.New.Glue = []string{"ns1.dnshost.test."}, nil
	c.ParentZone, c.Resolvers, c.Log = "test.", []string{resolver.Addr}, io.Discard
	c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
	c.Watch, c.Confirm = time.Second, 2*time.Second
	return c, parentSrv, ip
}

// The new side's nameserver name ns1.dnshost.test. is outside the zone; its
// own zone dnshost.test. is served by ns1.old.example.test., a name inside
// the zone being moved, whose address the parent holds only as the glue of
// the delegation the flip replaces. Before the flip every lookup works
// (that glue is there), so every gate passed; after it, finding
// example.test.'s servers needs dnshost.test., which needs example.test.:
// a cycle no resolver can enter with a cold cache (seen on the old code: a
// fresh Unbound answered SERVFAIL for www.example.test. after the flip).
func TestFlipNSNameCycleLab(t *testing.T) {
	c, parentSrv, _ := cycleLab(t, "ns1.old.example.test.", false)
	rep := Flip(context.Background(), c, false, false)
	if rep.ExitCode() != 1 {
		t.Fatalf("flip to a nameserver name whose zone is served from inside the zone: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	var cycle bool
	for _, g := range rep.Gates {
		if g.Name == GateDelegation {
			for _, ch := range g.Checks {
				if ch.Name == delegation.CheckNSResolves && !ch.OK && strings.Contains(ch.Detail, "dnshost.test.") && strings.Contains(ch.Detail, "ns1.old.example.test.") {
					cycle = true
				}
			}
		} else if !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	if !cycle {
		t.Errorf("no ns-resolves check names the cycle: %+v", rep.Gates)
	}
	d, _ := registrar.Agreed(registrar.Lookup(context.Background(), []string{parentSrv.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.old.example.test." {
		t.Fatalf("the parent changed: %v", d.NS)
	}
}

// The same names, but dnshost.test.'s nameserver ns.example.test. has
// glue of its own at the parent (sibling glue, which the flip leaves):
// no cycle, the flip is done and a fresh resolver finds the zone after it.
func TestFlipNSNameSiblingGlueLab(t *testing.T) {
	c, _, ip := cycleLab(t, "ns.example.test.", true)
	rep := Flip(context.Background(), c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip with sibling glue for dnshost.test.'s nameserver: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	fresh := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(new(dns.Msg).SetQuestion("www.example.test.", dns.TypeA), fresh.Addr)
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("a fresh resolver after the flip: %v %v", r, err)
	}
}

// TestFlipPushRecordedDuringGatesLab: a push applied while the flip's
// gates ran, to a provider whose SOA serial does not move with a change
// (Route 53's never does: the serial re-check cannot see it). The push
// records itself in the zone's audit trail (RecordPush: the trail's own
// lock, never the step's), so the flip reads the trail again right
// before the registrar: a push recorded since its gates began makes the
// parity gate unmet, the registrar untouched. Here the push is recorded
// without changing any server (as a serial that does not move shows
// nothing). On the code before, the flip changed the registrar.
func TestFlipPushRecordedDuringGatesLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	ctx := context.Background()
	c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
		if err := RecordPush(c.TrailPath, "example.test.", "push", "someone", time.Now(), map[string]Pushed{"new": {MaxTTL: 60}}); err != nil {
			return dnssec.Result{}, err
		}
		return dnssec.Gate(ctx, in)
	}
	rep := Flip(ctx, c, false, false)
	t.Logf("flip: %s (exit %d); actions %q", rep.Result, rep.ExitCode(), rep.Actions)
	if rep.ExitCode() != 1 {
		t.Errorf("flip with a push recorded while its gates ran: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if g := gateNamed(rep, GateParity); g == nil || g.OK || !strings.Contains(g.Detail, "changed while the gates ran") || !strings.Contains(g.Detail, "push by someone") {
		t.Errorf("parity gate: %+v", g)
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.old.example.test." {
		t.Errorf("the parent changed: %v", d.NS)
	}
}

// TestFlipConfirmSaysItWaitsLab: while the registrar's change has not
// reached every parent server (up to Confirm, 5 minutes), the step says
// on its log that it waits, then every Every which servers do not serve
// it yet and what they serve: it waited in silence.
func TestFlipConfirmSaysItWaitsLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	var log bytes.Buffer
	c.Log, c.Confirm, c.Every = &log, 10*time.Second, 200*time.Millisecond
	late := &latePublisher{Registrar: l.reg, delay: 1500 * time.Millisecond, done: make(chan error, 1)}
	c.Registrar = late
	rep := Flip(context.Background(), c, false, false)
	if err := <-late.done; err != nil {
		t.Fatal(err)
	}
	if rep.Result != ResultDone || !rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	out := log.String()
	if !strings.Contains(out, "example.test.: confirming the change at 1 parent server") || !strings.Contains(out, "still waiting") || !strings.Contains(out, l.parent.Addr+" serves NS ns1.old.example.test.") {
		t.Errorf("the log does not say the step waits for the parent, nor which server lags:\n%s", out)
	}
}

// A flip that the ttl-expired gate refuses names the time to run it
// again: the gate's refusal and that time are judged at one reading of
// the clock. Before, the flip read it again for its next step, after the
// DNSSEC and delegation gates: a reading past the TTLs' expiry there left
// a refused flip naming no time. The clock here moves from before the
// expiry to after it at every one of the step's readings in turn, so the
// test does not depend on how long a gate takes.
func TestFlipRefusedNamesAgainLab(t *testing.T) {
	l := newReviewLab(t, 60)
	// prestagedTrail: capped an hour ago from 3,600 s, so the old TTLs
	// expire about now; half an hour ago they had not, in two hours they
	// have.
	t0 := time.Now()
	flip := func(n int) (*Report, int) {
		c := l.mk()
		c.TrailPath = prestagedTrail(t, 60)
		clk := &splitClock{n: n, before: t0.Add(-30 * time.Minute), after: t0.Add(2 * time.Hour)}
		c.Now = clk.now
		return Flip(context.Background(), c, true, false), clk.reads
	}
	rep, reads := flip(1 << 30)
	if g := gateNamed(rep, GateTTLExpired); g == nil || g.OK || nextOf(rep.Next, "flip").IsZero() {
		t.Fatalf("the flip half an hour before the TTLs expire: gate %+v, next %+v", g, rep.Next)
	}
	t.Logf("the dry-run flip reads the clock %d times", reads)
	for n := range reads {
		rep, _ := flip(n)
		g := gateNamed(rep, GateTTLExpired)
		if g == nil {
			t.Fatalf("clock after %d readings: no ttl-expired gate: %v", n, rep.Errors)
		}
		if !g.OK && nextOf(rep.Next, "flip").IsZero() {
			t.Errorf("clock moved after %d readings: the ttl-expired gate refused (%s) and the flip names no time to run it again: %+v", n, g.Detail, rep.Next)
		}
	}
}
