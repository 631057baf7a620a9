package cloudns_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApexTTLs: ClouDNS keeps the SOA apart from the records (the plan
// warns of it and does not change it), and the apex NS as records of the
// zone (cloudnstest.Server.AddZone: ClouDNS's own servers at 3600): after
// `ttl --cap` the apex NS takes git's TTL with ClouDNS's names, and git's
// other apex records (MX, TXT) git's TTL, down to the least of ClouDNS's
// TTL list (60) and up again; a second plan is empty
// (providertest.ApexTTLs, the zone read back by Records).
func TestApexTTLs(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
		Floor: 60,
	})
}
