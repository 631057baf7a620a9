package cloudflare_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestZoneChoiceDelegation: several zones of one name, one active, and a
// configured delegation that names neither's name servers: the active
// zone does not serve the delegation, so the lookup is an error naming
// both for zone_id to choose (provider.ZoneChoice, Route 53's rule too).
// The lookup took the active zone before, where Route 53 refused. A
// single zone of the name is still taken, whatever the delegation and
// its state (the pending zone a cutover delegates to).
func TestZoneChoiceDelegation(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	pending := s.AddZone("example.com", "ada.ns.cloudflare.com", "bob.ns.cloudflare.com")
	s.SetStatus(pending, "pending")
	active := s.AddZone("example.com", "cruz.ns.cloudflare.com", "dana.ns.cloudflare.com")
	alone := s.AddZone("example.net", "ada.ns.cloudflare.com", "bob.ns.cloudflare.com")
	s.SetStatus(alone, "pending")
	p, err := cloudflare.New(&config.Provider{Name: "new", Type: "cloudflare", Delegation: []string{"ns1.example.org.", "ns2.example.org."},
		Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: config.Secret(token)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	ctx := context.Background()
	_, err = p.Records(ctx, "example.com.")
	if err == nil || !strings.Contains(err.Error(), "2 zones are named example.com.") || !strings.Contains(err.Error(), active) || !strings.Contains(err.Error(), pending) ||
		!strings.Contains(err.Error(), "none has exactly the configured delegation's name servers (ns1.example.org. ns2.example.org.): set zone_id") {
		t.Errorf("two zones of the name, the delegation neither's: %v", err)
	}
	if _, err := p.Records(ctx, "example.net."); err != nil {
		t.Errorf("the one (pending) zone of example.net.: %v", err)
	}
}
