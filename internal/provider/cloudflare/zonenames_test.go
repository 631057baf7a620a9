package cloudflare_test

import (
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestZoneNamesOnePage: the "did you mean" of a zone not held reads one
// page of GET /zones, 50 zones (per_page's most; the fake refuses more),
// in the API's order; it read up to four pages (200 zones) before, where
// the other providers read one. The whole account (AccountZones), which
// finish reads before it calls the old provider safe to decommission, is
// every page.
func TestZoneNamesOnePage(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	var all []string
	for i := range 120 {
		s.AddZone(fmt.Sprintf("Z%03d.test", i))
		all = append(all, fmt.Sprintf("z%03d.test.", i))
	}
	p, err := cloudflare.New(&config.Provider{Name: "new", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: config.Secret(token)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	providertest.ZoneNamesPage(t, p, func() int { return s.Count("GET zones") }, "GET /zones", all[:50])
	providertest.AccountZonesPaged(t, p, all)
}
