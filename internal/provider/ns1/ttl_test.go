package ns1_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApexTTLs: NS1 keeps the SOA in the zone's settings, outside the
// records (the plan warns of it and does not change it), and the apex NS
// as a record of the zone (ns1test.Server.AddZone: NS1's own servers at
// 3600): after `ttl --cap` the apex NS takes git's TTL with NS1's names,
// and git's other apex records (MX, TXT) git's TTL, down and up again; a
// second plan is empty (providertest.ApexTTLs, the zone read back by
// Records).
func TestApexTTLs(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
	})
}
