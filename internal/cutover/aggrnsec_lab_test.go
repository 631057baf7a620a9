package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// aggrLab is an NSEC-signed zone on both sides (RFC 8901: old Knot signs
// with key a, new BIND with b, each publishing the other's keys; both DS
// at a signed parent), its negative TTL 30 s (SOA TTL 40, MINIMUM 30), for
// validating resolvers behind the parent.
type aggrLab struct {
	ip          map[string]string
	parent, old *lab.Server
	anchor      []string
	mk          func(resolvers ...string) *Config
}

func newAggrLab(t *testing.T) *aggrLab {
	t.Helper()
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	l := &aggrLab{ip: map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	text := func(side string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ 40 SOA ns1.%s.example.test. h.example.test. 1 60 60 60 30\n@ NS ns1.%s.example.test.\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\n",
			side, side, l.ip["old"], l.ip["new"])
	}
	l.parent = lab.BIND(t, lab.Options{IP: l.ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, l.ip, 1, "old", []string{a.ds(t), b.ds(t)})}}})
	l.old = lab.Knot(t, lab.Options{IP: l.ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, text("old"), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: l.ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, text("new"), a.keys(t))}}})
	l.anchor = []string{"test. IN DS " + p.ds(t)}
	z, err := zone.Parse(strings.NewReader(text("new")), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	path := prestagedTrail(t, 60)
	l.mk = func(resolvers ...string) *Config {
		c := signedConfig(t, z, l.ip, l.old, nw, l.parent, path, 60)
		c.Resolvers, c.Timeout = resolvers, time.Second
		return c
	}
	return l
}

// The old provider is down for everyone, but validating resolvers hold
// NSEC records of its zone from before the outage: Unbound
// (aggressive-nsec) and BIND (synth-from-dnssec), both on by default,
// answer a fresh name with NXDOMAIN synthesised from them (RFC 8198),
// with the old side's SOA they cached, for up to the zone's negative TTL,
// without asking it. flip --emergency's old-down gate takes that for no
// sign of the old side either way (its TTLs are aged and count down) and
// passes, saying so. On the code before, it refused ("resolvers still get
// answers from the old side ... ns1.old.example.test. 1"): no failover
// until the negative TTL passed.
func TestEmergencyAggressiveNSECLab(t *testing.T) {
	l := newAggrLab(t)
	ctx := context.Background()
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {l.parent.IP}}, TrustAnchors: l.anchor, MaxNegativeTTL: 3600})
	bi := lab.BIND(t, lab.Options{Recursion: true, Stubs: map[string][]string{"test.": {l.parent.IP}}, TrustAnchors: l.anchor})
	c := l.mk(u.Addr, bi.Addr)
	// Before the outage: a name that does not exist, as any client asks
	// one; each resolver caches the NSEC records that deny it.
	for _, r := range c.Resolvers {
		a := askFreshDO(ctx, c, r)
		if a.err != nil || a.soa != "ns1.old.example.test. 1" || len(a.denial) == 0 {
			t.Fatalf("%s before the outage: %+v; want NXDOMAIN with the old SOA and NSEC records", r, a)
		}
	}
	time.Sleep(1500 * time.Millisecond) // the cached copies age
	l.old.Stop()
	rep := Flip(ctx, c, true, true)
	unmetGates(t, "emergency, resolvers answering from cached NSEC", rep)
	d := gateNamed(rep, GateOldDown)
	if rep.Result != ResultDryRun || d == nil || !d.OK {
		t.Fatalf("flip --emergency --dry-run with the old side down and resolvers synthesising from cached NSEC records: %s, old-down %+v", rep.Result, d)
	}
	t.Logf("old-down: %s", d.Detail)
	for _, want := range []string{u.Addr + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1 from its cache", bi.Addr + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1 from its cache", "RFC 8198", "NSEC records aged", "every old nameserver is down"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("old-down's detail lacks %q: %s", want, d.Detail)
		}
	}
	if !has(rep.Warnings, "from its cache") {
		t.Errorf("warnings %q: want the cached answers named", rep.Warnings)
	}
}

// The other direction: the old side filters this machine's queries while
// the resolvers still reach it. Their answers for a fresh name come from
// it now, signed zone or not, and each still counts (old-down refuses):
// the SOA's TTL the whole negative TTL (30; an uncapped Unbound); cut by
// Unbound's cap (5, the lab's cache-max-negative-ttl) but the NSEC
// records whole, as their RRSIGs' original TTL says; or cut with the NSEC
// records too by BIND's max-ncache-ttl (5), which looks aged, but the
// next fresh name, synthesised from the NSEC records that answer brought
// (cached whole), comes with TTL 28 or so: not one copy counting down.
func TestEmergencySignedFilteredFromHereLab(t *testing.T) {
	l := newAggrLab(t)
	ctx := context.Background()
	stubs := map[string][]string{"test.": {l.parent.IP}}
	out := lab.Addr(t)
	whole := lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: l.anchor, MaxNegativeTTL: 3600, OutgoingIP: out})
	capped := lab.Unbound(t, lab.UnboundOptions{Stubs: stubs, TrustAnchors: l.anchor, OutgoingIP: out})
	bindCapped := lab.BIND(t, lab.Options{Recursion: true, Stubs: stubs, TrustAnchors: l.anchor, MaxNcacheTTL: 5, QuerySource: out})
	filterFromHere(t, l.ip["old"], out)
	rep := Flip(ctx, l.mk(whole.Addr, capped.Addr, bindCapped.Addr), true, true)
	unmetGates(t, "emergency, old filtered from here", rep)
	d := gateNamed(rep, GateOldDown)
	if d == nil || d.OK {
		t.Fatalf("flip --emergency with the old side filtered from here but answering the resolvers: %s, old-down %+v", rep.Result, d)
	}
	for _, want := range []string{whole.Addr + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1", "the zone's whole negative TTL (30)",
		capped.Addr + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1", "its RRSIG's original TTL 30",
		bindCapped.Addr + " answered a fresh name with NXDOMAIN and the SOA ns1.old.example.test. 1", "SOA TTL 5, then 2"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("old-down's detail lacks %q: %s", want, d.Detail)
		}
	}
}
