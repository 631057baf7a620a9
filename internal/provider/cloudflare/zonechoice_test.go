package cloudflare_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestZoneChoiceDelegation: several zones of one name, one active, and a
// configured delegation that names neither's name servers: the active
// zone does not serve the delegation, so the lookup is an error naming
// both for zone_id to choose (provider.Zones.Choose, Route 53's rule too).
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

// TestZoneLookupReadsEveryPage: GET /zones?name= is read page by page
// (50 zones a page) up to result_info.total_pages, and the choice is
// made among all of them: an active zone on the second page is found
// behind 50 moved ones, and a second active zone there makes the lookup
// an error naming every zone, where reading the first page alone took
// the first page's active zone. A page that holds fewer zones than its
// result_info.count is an error, never a choice among fewer zones
// (total_count is the account's, not the name's: see zoneByName).
func TestZoneLookupReadsEveryPage(t *testing.T) {
	for _, c := range []struct {
		name        string
		firstActive bool // the first of the 50 zones on page 1 is active too
		want        string
	}{
		{name: "active on page 2"},
		{name: "active on pages 1 and 2", firstActive: true, want: "51 zones are named example.com."},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			for i := range 50 {
				id := s.AddZone("example.com", fmt.Sprintf("n%02d.ns.cloudflare.com", i), "bob.ns.cloudflare.com")
				if i > 0 || !c.firstActive {
					s.SetStatus(id, "moved")
				}
			}
			last := s.AddZone("example.com", "cruz.ns.cloudflare.com", "dana.ns.cloudflare.com")
			s.Seed(last, cftest.Record{Name: "www.example.com", Type: "A", Content: "192.0.2.80", TTL: 300})
			p := newProvider(t, s, token)
			z, err := p.Records(context.Background(), "example.com.")
			if n := s.Count("GET zones"); n != 4 {
				t.Errorf("%s of GET /zones, want 4 (50 zones a page, 2 pages read twice: provider.Settled)", plural.N(n, "request", "requests"))
			}
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), last) {
					t.Errorf("got %v, want an error with %q naming %s", err, c.want, last)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if www := z.Get("www.example.com.", dns.TypeA); www == nil {
				t.Errorf("records %v: not the active zone's (%s) on page 2", z, last)
			}
		})
	}
	t.Run("short page", func(t *testing.T) {
		s := cftest.New(token)
		defer s.Close()
		s.AddZone("example.org") // the account's other zones: total_count counts them
		for _, st := range []string{"moved", "active"} {
			s.SetStatus(s.AddZone("example.com"), st)
		}
		// the first GET is the zone lookup's: its page loses the active
		// zone, and the moved one alone would be taken
		s.AddFault(cftest.Fault{Method: "GET", Path: "/zones", Times: 1, Status: cftest.Short})
		_, err := newProvider(t, s, token).Records(context.Background(), "example.com.")
		if err == nil || !strings.Contains(err.Error(), "cloudflare: find zone example.com.: page 1 of 1 holds 1 where its result_info.count is 2 (zones)") {
			t.Errorf("a short page of zones: %v", err)
		}
	})
	t.Run("total_count of the account", func(t *testing.T) {
		s := cftest.New(token)
		defer s.Close()
		for i := range 60 {
			s.AddZone(fmt.Sprintf("z%02d.example", i))
		}
		s.AddZone("example.com")
		if _, err := newProvider(t, s, token).Records(context.Background(), "example.com."); err != nil {
			t.Errorf("one zone of the name among 61 the account holds: %v", err)
		}
	})
}
