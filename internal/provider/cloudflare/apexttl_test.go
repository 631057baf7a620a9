package cloudflare_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApexTTLs: Cloudflare keeps the SOA and the NS TTL in the zone's DNS
// settings, outside the records, and does not list its assigned name
// servers: after `ttl --cap` the plan warns of both and changes neither,
// and git's other apex records (MX, TXT) take git's TTL, down to
// Cloudflare's least (60) and up again; a second plan is empty
// (providertest.ApexTTLs, the zone read back by Records).
func TestApexTTLs(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com", "kim.ns.cloudflare.com", "lou.ns.cloudflare.com")
	p := newProvider(t, s, token)
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
		Floor: 60,
	})
}
