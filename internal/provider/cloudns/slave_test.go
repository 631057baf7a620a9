package cloudns_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/push"
)

// TestSlaveZoneRefused: a zone ClouDNS holds as a slave (get-zone-info
// "type": "slave") gets its records by zone transfer from its masters,
// and ClouDNS lists, adds, changes and imports records of master zones
// only (API help, articles 57, 58, 60, 156): a plan for it failed at its
// first records call with ClouDNS's refusal. It is refused when the zone
// is looked up, saying it is a slave zone and to push to its master;
// nothing is written, and it is not taken for a zone to create.
func TestSlaveZoneRefused(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddSlaveZone("example.com")
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA pns41.cloudns.net. support.cloudns.net. 1 7200 1800 1209600 3600\n@ 3600 NS pns41.cloudns.net.\n@ 3600 NS pns42.cloudns.com.\nwww 3600 A 192.0.2.80\n")
	_, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "cloudns"}, d, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "slave zone") || !strings.Contains(err.Error(), "master") {
		t.Errorf("plan for a slave zone: %v; want it refused as a slave zone, naming its master", err)
	}
	if errors.Is(err, provider.ErrZoneNotFound) {
		t.Errorf("a slave zone taken for a missing one (a push would create it): %v", err)
	}
	www := d.Get("www.example.com.", dns.TypeA)
	_, err = p.Apply(context.Background(), d.Origin, []provider.Change{{Action: provider.Create, Name: www.Name, Type: www.Type, New: www}}, nil)
	if err == nil || !strings.Contains(err.Error(), "slave zone") {
		t.Errorf("Apply to a slave zone: %v", err)
	}
	if n := s.Count("write"); n != 0 {
		t.Errorf("%d writes sent to a slave zone", n)
	}
}
