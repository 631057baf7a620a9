package cloudflare_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/push"
)

// TestMultiProviderApexNS: Cloudflare answers an apex NS record other
// than the zone's assigned name servers only with multi-provider DNS on
// (GET /zones/{zone_id}/dns_settings: result.multi_provider; "Nameserver
// options", developers.cloudflare.com/dns/nameservers/nameserver-options/:
// off, "Cloudflare [...] ignore[s] NS records created on the zone
// apex"). The plan push makes (push.Prepare) counts git's other apex NS
// names as served only when it is on, says which are not, and reads the
// setting once, only when git or the listing names a server beyond the
// assigned ones. After the push, the fake's servers answer what the
// plan said.
func TestMultiProviderApexNS(t *testing.T) {
	const head = "$ORIGIN example.com.\n@ 300 SOA kim.ns.cloudflare.com. h. 1 2 3 4 5\nwww 300 A 192.0.2.1\n@ 86400 NS kim.ns.cloudflare.com.\n@ 86400 NS lou.ns.cloudflare.com.\n"
	assigned := []string{"kim.ns.cloudflare.com.", "lou.ns.cloudflare.com."}
	for _, tc := range []struct {
		name     string
		ns       string // git's apex NS beyond the assigned ones
		listed   string // an apex NS record the zone holds, made by hand
		keep     bool   // manage_apex false
		multi    bool
		served   []string
		unserved string // named in a warning
		settings int    // GET dns_settings requests
	}{
		{name: "assigned only", served: assigned},
		{name: "another server, multi-provider off", ns: "@ 86400 NS ns1.example.net.\n",
			served: assigned, unserved: "ns1.example.net.", settings: 1},
		{name: "another server, multi-provider on", ns: "@ 86400 NS ns1.example.net.\n", multi: true,
			served: []string{"kim.ns.cloudflare.com.", "lou.ns.cloudflare.com.", "ns1.example.net."}, settings: 1},
		{name: "listed by hand, manage_apex false, multi-provider off", listed: "ns2.example.org", keep: true,
			served: assigned, unserved: "ns2.example.org.", settings: 1},
		{name: "listed by hand, manage_apex false, multi-provider on", listed: "ns2.example.org", keep: true, multi: true,
			served: []string{"kim.ns.cloudflare.com.", "lou.ns.cloudflare.com.", "ns2.example.org."}, settings: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com", "kim.ns.cloudflare.com", "lou.ns.cloudflare.com")
			s.SetMultiProvider(id, tc.multi)
			if tc.listed != "" {
				s.Seed(id, cftest.Record{Name: "example.com", Type: "NS", Content: tc.listed, TTL: 86400})
			}
			p := newProvider(t, s, token)
			d := desired(t, head+tc.ns)
			ctx := context.Background()
			pc := &config.Provider{Name: "new", Type: "cloudflare", ManageApex: !tc.keep}
			tg, err := push.Prepare(ctx, "new", p, pc, d, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tg.Plan.ApexNS, tc.served) {
				t.Errorf("ApexNS %v, want %v", tg.Plan.ApexNS, tc.served)
			}
			w := strings.Join(tg.Plan.Warnings, "\n")
			if tc.unserved != "" && (!strings.Contains(w, tc.unserved) || !strings.Contains(w, "multi-provider")) {
				t.Errorf("warnings %q do not say %s is not served", tg.Plan.Warnings, tc.unserved)
			}
			if tc.unserved == "" && strings.Contains(w, "multi-provider") {
				t.Errorf("warnings %q", tg.Plan.Warnings)
			}
			if n := s.Count("GET settings"); n != tc.settings {
				t.Errorf("GET dns_settings requests: %d, want %d", n, tc.settings)
			}
			if _, err := p.Apply(ctx, d.Origin, tg.Plan.Changes, nil); err != nil {
				t.Fatal(err)
			}
			if got := s.ApexNS(id); !slices.Equal(got, tg.Plan.ApexNS) {
				t.Errorf("served after the push %v, the plan said %v", got, tg.Plan.ApexNS)
			}
		})
	}
}

// TestMultiProviderUnreadable: when the setting cannot be read, the plan
// is refused (a false refusal, never apex NS names counted as served on
// a guess).
func TestMultiProviderUnreadable(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com", "kim.ns.cloudflare.com", "lou.ns.cloudflare.com")
	s.AddFault(cftest.Fault{Method: "GET", Path: "/zones/{zone_id}/dns_settings", Times: 10, Status: 503})
	p := newProvider(t, s, token)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA kim.ns.cloudflare.com. h. 1 2 3 4 5\n@ 86400 NS kim.ns.cloudflare.com.\n@ 86400 NS lou.ns.cloudflare.com.\n@ 86400 NS ns1.example.net.\n")
	pc := &config.Provider{Name: "new", Type: "cloudflare", ManageApex: true}
	if tg, err := push.Prepare(context.Background(), "new", p, pc, d, nil, nil); err == nil || !strings.Contains(err.Error(), "multi-provider") {
		t.Fatalf("plan made without the setting (err %v): %+v", err, tg)
	} else {
		t.Log(err)
	}
}
