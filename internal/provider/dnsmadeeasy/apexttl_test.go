package dnsmadeeasy_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApexTTLs: DNS Made Easy keeps the SOA outside the records (a
// custom SOA record assigned to the domain) and serves the system name
// servers at a fixed TTL no call changes, neither of which the records
// listing shows: after `ttl --cap` the plan warns of both and changes
// neither, and git's other apex records (MX, TXT) take git's TTL, down
// and up again; a second plan is empty (providertest.ApexTTLs, the zone
// read back by Records).
func TestApexTTLs(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
	})
}
