package cloudflare_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestAssignedApexNS: Cloudflare's servers answer the zone's assigned
// name servers (its name_servers) at the apex, which GET dns_records
// does not list; an NS record created at the apex is ignored, or with
// multi-provider DNS answered beside them ("Nameserver options":
// "Cloudflare will no longer ignore NS records created on the zone apex
// [...] responses to DNS queries made to the zone apex and requesting NS
// records will contain both Cloudflare's and your other DNS providers'
// nameservers", developers.cloudflare.com/dns/nameservers/
// nameserver-options/). So with manage_apex no plan creates a record
// naming an assigned server (a second copy of Cloudflare's own), a plan
// whose git apex NS lacks one says so, and the apex NS the zone serves
// after the push (Plan.ApexNS, the apex trap's) holds them, with
// manage_apex or without.
func TestAssignedApexNS(t *testing.T) {
	const head = "$ORIGIN example.com.\n@ 300 SOA kim.ns.cloudflare.com. h. 1 2 3 4 5\nwww 300 A 192.0.2.1\n"
	assigned := []string{"kim.ns.cloudflare.com.", "lou.ns.cloudflare.com."}
	for _, tc := range []struct {
		name   string
		apex   bool
		multi  bool // multi-provider DNS on (TestMultiProviderApexNS: off)
		ns     string
		create []string // names of the apex NS records the plan creates
		warn   string
		served []string
	}{
		{name: "git names the assigned servers", apex: true,
			ns:     "@ 86400 NS kim.ns.cloudflare.com.\n@ 86400 NS lou.ns.cloudflare.com.\n",
			served: assigned},
		{name: "git adds a server of its own", apex: true, multi: true,
			ns:     "@ 86400 NS kim.ns.cloudflare.com.\n@ 86400 NS lou.ns.cloudflare.com.\n@ 86400 NS ns1.example.net.\n",
			create: []string{"ns1.example.net."},
			served: []string{"kim.ns.cloudflare.com.", "lou.ns.cloudflare.com.", "ns1.example.net."}},
		{name: "git lacks an assigned server", apex: true,
			ns:     "@ 86400 NS kim.ns.cloudflare.com.\n",
			warn:   "lou.ns.cloudflare.com.",
			served: assigned},
		{name: "manage_apex false", apex: false,
			ns:     "@ 86400 NS kim.ns.cloudflare.com.\n@ 86400 NS lou.ns.cloudflare.com.\n",
			served: assigned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com", "kim.ns.cloudflare.com", "lou.ns.cloudflare.com")
			s.SetMultiProvider(id, tc.multi)
			p := newProvider(t, s, token)
			d := desired(t, head+tc.ns)
			cur, err := p.Records(context.Background(), d.Origin)
			if err != nil {
				t.Fatal(err)
			}
			if err := provider.ReadApexNSSetting(context.Background(), p, d.Origin, provider.ApexNS(d)); err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(d, cur, plan.Options{ManageApex: tc.apex, Caps: p.Capabilities()})
			var created []string
			for _, c := range pl.Changes {
				if c.Name == "example.com." && c.Type == dns.TypeNS && c.New != nil {
					created = append(created, plan.NSNames(c.New)...)
				}
			}
			if !slices.Equal(created, tc.create) {
				t.Errorf("apex NS records created %q, want %q", created, tc.create)
			}
			if w := strings.Join(pl.Warnings, "\n"); tc.warn != "" && !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q lack %s", pl.Warnings, tc.warn)
			}
			if !slices.Equal(pl.ApexNS, tc.served) {
				t.Errorf("ApexNS %v, want %v", pl.ApexNS, tc.served)
			}
		})
	}
}

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
