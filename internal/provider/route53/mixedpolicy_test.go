package route53_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// TestPlainBesideWeightedRefused: Route 53 refuses a plain record set
// beside weighted sets of the same name and type (InvalidChangeBatch
// "... cannot be created as other RRSets exist with the same name and
// type."), and a weighted one beside a plain one; the fake refuses
// them as it does, so a plan that sent one (no Blocks on the weighted
// sets) fails here as it would at AWS, and nothing of the batch is kept.
func TestPlainBesideWeightedRefused(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	s.Seed(id, r53test.RRSet{Name: "p.example.com.", Type: "A", TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.2")})
	p := newProvider(t, s, keyID, secret)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\nw 300 A 192.0.2.80\nok 300 A 192.0.2.9\n")
	cs := []provider.Change{
		{Action: provider.Create, Name: "w.example.com.", Type: dns.TypeA, New: d.Get("w.example.com.", dns.TypeA)},
		{Action: provider.Create, Name: "ok.example.com.", Type: dns.TypeA, New: d.Get("ok.example.com.", dns.TypeA)},
	}
	_, err := p.Apply(context.Background(), "example.com.", cs, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot be created as other RRSets exist with the same name and type") {
		t.Fatalf("apply of a plain w A beside weighted sets: %v, want Route 53's InvalidChangeBatch", err)
	}
	for _, set := range s.Sets(id) {
		if set.Name == "ok.example.com." || (set.Name == "w.example.com." && set.SetIdentifier == "") {
			t.Errorf("kept from a refused batch: %+v", set)
		}
	}
}
