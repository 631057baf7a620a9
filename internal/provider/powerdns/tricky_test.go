package powerdns_test

import (
	"context"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const (
	trickyOrigin = "tricky.example."
	trickyZone   = "../../zone/testdata/tricky.example.zone"
)

// TestTrickyTypes pushes records whose presentation form is easy to get
// wrong (TXT escapes and UTF-8, CAA, SVCB/HTTPS, NAPTR, LOC, SSHFP, TLSA,
// CERT, DS, RFC 3597 types, escaped names, wildcards) one RRset per PATCH,
// and reads them back through the API and through AXFR: every RRset the
// plan does not list as unsupported is accepted and comes back equal.
func TestTrickyTypes(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	p.SetBatch(1)
	ctx := context.Background()
	desired, err := zone.Load(trickyZone, zone.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := createAndPlan(t, p, desired, "ns1.tricky.example.", "ns2.tricky.example.")
	for _, u := range pl.Unsupported {
		t.Logf("unsupported (reported before sending): %s", u)
	}
	var refused int
	for _, c := range pl.Changes {
		if _, err := p.Apply(ctx, trickyOrigin, []provider.Change{c}, nil); err != nil {
			refused++
			t.Errorf("PowerDNS refused %s %q: %v", c, c.New.Strings(), err)
		}
	}
	viaAPI, err := p.Records(ctx, trickyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	viaAXFR := axfrZone(t, srv.Addr, trickyOrigin)
	unsupported := map[zone.Key]bool{}
	for _, u := range pl.Unsupported {
		unsupported[u.Set.Key()] = true
	}
	n := 0
	for _, s := range desired.Sets {
		if s.Type == dns.TypeSOA || unsupported[s.Key()] {
			continue
		}
		n++
		for what, got := range map[string]*zone.Zone{"API": viaAPI, "AXFR": viaAXFR} {
			o := got.Get(s.Name, s.Type)
			if o == nil || !s.SameData(o) || o.TTL != s.TTL {
				var have []string
				if o != nil {
					have = o.Strings()
				}
				t.Errorf("%s via %s: want %d %q, server has %q", s.Key(), what, s.TTL, s.Strings(), have)
			}
		}
	}
	if n < 40 {
		t.Errorf("compared only %d RRsets", n)
	}
	if again := plan.Compute(desired, viaAPI, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
		t.Errorf("a second push would still change %d RRsets: %v", len(again.Changes), again.Changes)
	}
	t.Logf("%d RRsets pushed and read back, %d refused, %d unsupported", n, refused, len(pl.Unsupported))
}

// createAndPlan checks desired (no errors), creates its zone at p with
// apex NS ns, and plans desired against what p then holds.
func createAndPlan(t *testing.T, p *powerdns.Provider, desired *zone.Zone, ns ...string) *plan.Plan {
	t.Helper()
	ctx := context.Background()
	if ps := zone.Check(desired); zone.HasErrors(ps) {
		t.Fatalf("zone: %v", ps)
	}
	if err := p.CreateZoneApex(ctx, desired, ns); err != nil {
		t.Fatal(err)
	}
	cur, err := p.Records(ctx, desired.Origin)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
}
