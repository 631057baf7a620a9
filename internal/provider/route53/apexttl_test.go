package route53_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestApexTTLs: Route 53's own SOA (900 s TTL, 86400 s minimum) and NS
// (172800 s, r53test.Server.AddZone) take git's TTLs and SOA timers by
// UPSERT, beside a new record, Route 53's names kept; a second plan is
// empty; a later raise works the same way (providertest.ApexTTLs, the zone
// read back by Records). The NS served after each step are still Route
// 53's own awsdns names.
func TestApexTTLs(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	records := func(t *testing.T) *zone.Zone {
		t.Helper()
		z, err := p.Records(context.Background(), "example.com.")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra:  "www A 192.0.2.1\n",
		Served: records,
		After: func(t *testing.T, ttl uint32, _ bool) {
			ns := records(t).Get("example.com.", dns.TypeNS)
			for _, n := range ns.Strings() {
				if !strings.Contains(n, ".awsdns-") {
					t.Errorf("ttl %d: NS %v, want Route 53's awsdns names", ttl, ns.Strings())
					break
				}
			}
		},
	})
}
