package route53_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestZoneChoicePrivate: a private hosted zone answers only inside its
// VPCs, never the public delegation (provider.Zones.Choose): beside one
// public hosted zone of the name, the public one is the zone; alone, the
// name has no zone, and the error says there is a private one.
func TestZoneChoicePrivate(t *testing.T) {
	s := newServer(t)
	priv := s.AddZone("example.com", true)
	public := s.AddZone("example.com", false)
	s.Seed(public, r53test.RRSet{Name: "www.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.7")})
	only := s.AddZone("example.org", true)
	p := newProvider(t, s, keyID, secret)
	ctx := context.Background()
	if z, err := p.Records(ctx, "example.com."); err != nil || z.Get("www.example.com.", dns.TypeA) == nil {
		t.Errorf("example.com. (private %s listed first, public %s): %v", priv, public, err)
	}
	_, err := p.Records(ctx, "example.org.")
	if !errors.Is(err, provider.ErrZoneNotFound) || !strings.Contains(err.Error(), "only 1 private zone of that name ("+only+")") {
		t.Errorf("example.org. (a private hosted zone only): %v", err)
	}
}

// TestZoneChoiceReadsOnce: of several public hosted zones of a name, the
// one chosen is read once (GetHostedZone for the name servers of each,
// none again for the chosen one); it was read twice. One zone of a name
// is read once too, whether a lookup finds it (a new provider's first
// name) or an earlier page listed it.
func TestZoneChoiceReadsOnce(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	served := s.AddZone("example.com", false)
	s.SetNameservers(served, "ns-101.awsdns-12.com", "ns-202.awsdns-25.net")
	s.AddZone("example.org", false)
	newP := func() *route53.Provider {
		p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "old", Type: "route53", Delegation: []string{"ns-101.awsdns-12.com", "ns-202.awsdns-25.net"},
			Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.FastRetry)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRateLimit(400, 1)
		return p
	}
	ctx := context.Background()
	var lastP *route53.Provider
	for _, tc := range []struct {
		name  string
		p     *route53.Provider
		reads int
	}{
		{"example.org.", newP(), 1}, // found by its own lookup
		{"example.com.", newP(), 2},
		{"example.org.", nil, 1}, // listed on example.com.'s page
	} {
		p := tc.p
		if p == nil {
			p = lastP
		}
		lastP = p
		s.ResetCounts()
		if _, err := p.Nameservers(ctx, tc.name); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n := s.Count("GetHostedZone"); n != tc.reads {
			t.Errorf("%s: %d GetHostedZone, want %d (one for each public hosted zone of the name)", tc.name, n, tc.reads)
		}
	}
}

// TestZoneIDPrivate: a zone_id naming a private hosted zone is refused,
// as a lookup by name never chooses one; it was read, planned and pushed
// as if it were the zone the delegation serves.
func TestZoneIDPrivate(t *testing.T) {
	s := newServer(t)
	priv := s.AddZone("example.com", true)
	s.AddZone("example.com", false)
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53",
		Settings: &route53.Settings{URL: s.URL, ZoneID: priv, AWS: config.AWS{AccessKeyID: keyID, SecretAccessKey: secret}}}, providertest.FastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Records(context.Background(), "example.com.")
	if err == nil || !strings.Contains(err.Error(), "hosted zone "+priv+" (example.com.) is a private hosted zone") {
		t.Errorf("zone_id %s (private): %v", priv, err)
	}
}
