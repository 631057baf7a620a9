package cloudns_test

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestDSBesideOtherRecordsRefusedByPlan: "ClouDNS requires NS records
// exist for any DS records. No other records for the same label may exist
// (A, MX, TXT, etc.)" (dnscontrol's ClouDNS provider documentation,
// Records; cloudnstest refuses both orders). A delegation whose own name
// carries its glue (sub NS sub.example.com., sub A ...) is a valid zone,
// but its DS passed plan and the push failed: plan refuses the DS beside
// the A, and the A added beside a DS already there, naming the rule; the
// delegation without the glue is pushed and reads back.
func TestDSBesideOtherRecordsRefusedByPlan(t *testing.T) {
	const (
		head = "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\n"
		ns   = "sub 3600 NS sub.example.com.\n"
		glue = "sub 3600 A 192.0.2.53\n"
		ds   = "sub 3600 DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n"
	)
	for _, tc := range []struct {
		name, first, then string
		refused           uint16
	}{
		{"ds-beside-glue", ns + glue, ns + glue + ds, dns.TypeDS},
		{"glue-beside-ds", ns + ds, ns + ds + glue, dns.TypeA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, authID, "")
			s.AddZone("example.com")
			p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
			providertest.Push(t, p, providertest.Desired(t, "example.com.", head+tc.first))
			pl := providertest.Refuses(t, p, providertest.Desired(t, "example.com.", head+tc.then), "sub.example.com.", tc.refused, "beside")
			if len(pl.Changes) != 0 {
				t.Errorf("the plan still sends %v", pl.Changes)
			}
		})
	}
}
