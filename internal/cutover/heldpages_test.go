package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestOldHeldZonesReadsEveryPage: ns-zone (and cut-zone) ask whether the
// old provider holds the zone of the new side's nameserver name
// (oldHeldZones.holds). An old Cloudflare account of 61 zones (GET /zones
// pages 50 at most: the fake pages as the API does,
// https://developers.cloudflare.com/api/resources/zones/methods/list/)
// holds dnshost.test., which sorts past the first page. Before, holds
// read ZoneNames' first page and called dnshost.test. not held ("which
// the old provider does not hold"): finish let the old provider go with
// the zone the new side's nameservers live in. Now it reads every page
// where the provider can (provider.AccountLister, listOldZones, as
// finish's old-provider use does); a provider that lists only a page
// says so, and that the others were not compared.
func TestOldHeldZonesReadsEveryPage(t *testing.T) {
	s := cftest.New("tok")
	defer s.Close()
	for i := range 60 {
		s.AddZone(fmt.Sprintf("a%02d.test", i)) // sorts before dnshost.test
	}
	s.AddZone("dnshost.test")
	p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "tok"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if page, err := p.ZoneNames(context.Background()); err != nil || len(page) >= 61 {
		t.Fatalf("the fake's first page holds %d zones (%v): want fewer than the account's 61", len(page), err)
	}
	for _, tc := range []struct {
		name string
		old  provider.Provider
		held bool
		note string
	}{
		{name: "every page read", old: p, held: true},
		{name: "a provider listing one page", old: struct {
			provider.Provider
			pageOnly
		}{nil, pageOnly{p}}, note: "it lists only a page, so any others were not compared"},
		{name: "credentials seeing some zones", old: subUser{zones: []string{"a00.test."}}, note: "the account may hold more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &oldHeldZones{c: &Config{Old: Side{Name: "old", Provider: tc.old}}}
			held, note, err := h.holds(context.Background(), "dnshost.test.")
			if err != nil || held != tc.held || (tc.note != "" && !strings.Contains(note, tc.note)) || (!tc.held && strings.Contains(note, "does not hold")) {
				t.Errorf("holds(dnshost.test.) = %v, %q, %v; want %v, a note saying %q", held, note, err, tc.held, tc.note)
			}
		})
	}
}
