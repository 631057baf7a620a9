package rfc2136_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestPowerDNSUnnamedTypesRefusedAtPlan: PowerDNS 4.7 answers an UPDATE
// holding a type it has no name for (not in QType::names: RT, RESINFO,
// X25, ...) FORMERR, the whole message refused (checkUpdatePrescan,
// pdns/rfc2136handler.cc of auth-4.7.3: QType::isSupportedType), though
// miekg/dns knows the type: with flavor powerdns the plan refuses such an
// RRset, before anything is sent, and pushes the rest (SIG, a name
// PowerDNS knows, and a CSYNC whose bitmap names RT).
func TestPowerDNSUnnamedTypesRefusedAtPlan(t *testing.T) {
	srv := start(t, servers[2])
	p := newFlavor(t, srv.Addr, key.Secret, "powerdns")
	ctx := context.Background()
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	desired := load(t, minZone)
	refused := map[string]bool{}
	for _, s := range []string{
		"rt.example.com. 300 IN RT 10 relay.example.com.",
		"resinfo.example.com. 300 IN RESINFO qnamemin exterr=15",
		"x25.example.com. 300 IN X25 311061700956",
		"sig.example.com. 300 IN SIG A 8 2 300 20300101000000 20200101000000 12345 example.com. AAAA",
		"csync.example.com. 300 IN CSYNC 1 0 A RT",
	} {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		set, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		desired.AddSet(set)
		if t := set.Type; t == dns.TypeRT || t == dns.TypeRESINFO || t == dns.TypeX25 {
			refused[set.Name] = true
		}
	}
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	for _, u := range pl.Unsupported {
		if !refused[u.Set.Name] || !strings.Contains(u.Reason, "FORMERR") {
			t.Errorf("refused %s %s: %s", u.Set.Name, dns.Type(u.Set.Type), u.Reason)
		}
		delete(refused, u.Set.Name)
	}
	for n := range refused {
		t.Errorf("%s not refused at plan", n)
	}
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatalf("push of the rest: %v", err)
	}
	after, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range pl.Changes {
		if got := after.Get(c.Name, c.Type); got == nil || !got.SameData(c.New) {
			t.Errorf("%s %s: pushed %q, server has %v", c.Name, dns.Type(c.Type), c.New.Strings(), got)
		}
	}
}
