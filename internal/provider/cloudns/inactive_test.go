package cloudns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/push"
)

// TestInactiveRecordNotHeld: a record deactivated at ClouDNS ("Change
// record's status", status 0 in records.json) is not served. The apex MX
// git has is inactive there: the plan must not call the zone in sync
// (an empty plan: push "nothing to do", --detect-drift exit 0, while
// ClouDNS answers no MX); it refuses the RRset, naming the inactive
// record. An inactive record git lacks is not deleted either.
func TestInactiveRecordNotHeld(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com")
	mx := s.Seed("example.com", cloudnstest.Record{Type: "MX", Host: "", Record: "mail.example.com", Priority: "10", TTL: "3600"})
	s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "mail", Record: "192.0.2.25", TTL: "3600"})
	old := s.Seed("example.com", cloudnstest.Record{Type: "A", Host: "old", Record: "192.0.2.99", TTL: "3600"})
	s.SetStatus("example.com", mx, 0)
	s.SetStatus("example.com", old, 0)
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\n@ 3600 MX 10 mail.example.com.\nmail 3600 A 192.0.2.25\n")
	tg, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "cloudns"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Plan.Empty() && len(tg.Plan.Unsupported) == 0 {
		t.Fatal("plan empty and nothing refused: the zone is called in sync while ClouDNS does not serve its MX (inactive)")
	}
	refused := false
	for _, u := range tg.Plan.Unsupported {
		if u.Set.Name == "example.com." && u.Set.Type == dns.TypeMX && strings.Contains(u.Reason, "inactive") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("the MX is not refused as inactive at ClouDNS: %v", tg.Plan.Unsupported)
	}
	for _, c := range tg.Plan.Changes {
		if c.Name == "old.example.com." {
			t.Errorf("plan %s: an inactive record git lacks", c)
		}
	}
	// Not a record dnsparity cannot read (which the cutover's
	// completeness gates count as held): ClouDNS does not serve it.
	_, fs, err := provider.Read(context.Background(), p, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if f.Name == "old.example.com." || f.Name == "example.com." && f.Type == "MX" {
			n++
			if f.Feature != "inactive" || !f.Blocks {
				t.Errorf("feature %+v: want kind inactive, blocking", f)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d features of the 2 inactive records: %+v", n, fs)
	}
}
