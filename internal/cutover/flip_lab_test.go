package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
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
	tr, _ := ReadTrail(c.TrailPath, "example.test.")
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
	tr, _ := ReadTrail(c.TrailPath, "example.test.")
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
