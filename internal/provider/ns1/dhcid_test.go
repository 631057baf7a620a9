package ns1_test

import (
	"context"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestDHCIDRoundTrip: a DHCID RRset (RFC 4701 §3.6's examples: one
// answer, its base64 digest) is pushed as NS1 takes it, read back as
// listed, and plans no change after; one NS1 already holds (as its
// listing gives it) is read as git writes it. Before, plan refused the
// type ("type DHCID is not supported"), though NS1 holds it.
func TestDHCIDRoundTrip(t *testing.T) {
	s := exampleZone(t)
	const listed = "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "held.example.com", Type: "DHCID", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{listed}}}})
	p := newProvider(t, s, apiKey)
	git := providertest.Head(zoneFile) + "held 300 DHCID " + listed + `
client 300 DHCID AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=
client 300 DHCID AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY=
`
	d := providertest.Desired(t, "example.com.", git)
	got, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	if g, want := got.Get("held.example.com.", dns.TypeDHCID), d.Get("held.example.com.", dns.TypeDHCID); g == nil || !g.SameData(want) {
		t.Errorf("listed DHCID read as %v, want %v", g, want.Strings())
	}
	providertest.Push(t, p, d)
	if r := s.Record("example.com", "client.example.com", "DHCID"); r == nil || len(r.Answers) != 2 {
		t.Fatalf("NS1 holds %v, want the two answers", r)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}
