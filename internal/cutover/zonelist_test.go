package cutover

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// An NS1 API key scoped to the zone (it reads example.test., and may not
// list the account's zones) made old-complete fail to run with the API's
// error alone: nothing said that the listing is of the account's zones,
// what it is for, nor how to grant the key access. Now the error names
// the side, the provider and the call, that a scoped key cannot see the
// other zones, and where to give it "View zones".
func TestCompleteZoneListRefused(t *testing.T) {
	s := ns1test.New("key")
	t.Cleanup(s.Close)
	s.AddZone("example.test")
	s.Seed(ns1test.Record{Zone: "example.test", Domain: "www.example.test", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.1"}}}})
	p, err := ns1.New(&config.Provider{Name: "old", Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "key"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	git, err := p.Records(context.Background(), "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	// The zone read (GET /v1/zones/example.test) passes, the list of
	// the account's zones (GET /v1/zones) is refused.
	s.AddFault(fakeapi.Fault{Method: http.MethodGet, Path: "/v1/zones", Skip: 1, Times: 1, Status: http.StatusForbidden})
	cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
	held, unread, _, _, err := list(context.Background(), cfg, &cfg.Old)
	g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	t.Logf("%s: ok=%v err=%v %s", g.Name, g.OK, g.Err, g.Detail)
	if g.OK || !g.Err {
		t.Fatalf("old-complete with the zone list refused: ok=%v could_not_run=%v", g.OK, g.Err)
	}
	for _, want := range []string{"providers.old", "ns1: list zones", "listing the account's zones", "cannot see the others", "View zones", "run the step again"} {
		if !strings.Contains(g.Detail, want) {
			t.Errorf("the error does not say %q: %s", want, g.Detail)
		}
	}
}

// A ClouDNS API sub-user lists only the zones delegated to it: the
// listing succeeds and may miss a zone of the account below this one.
// The gate's detail says so, and how to make it whole.
func TestCompleteZoneListPartial(t *testing.T) {
	s := cloudnstest.New("", "77", "pw")
	t.Cleanup(s.Close)
	s.AddZone("example.test")
	s.Seed("example.test", cloudnstest.Record{Type: "A", Host: "www", Record: "192.0.2.1", TTL: "300"})
	mk := func(st *cloudns.Settings) *Config {
		p, err := cloudns.New(&config.Provider{Name: "old", Type: "cloudns", Settings: st}, nil)
		if err != nil {
			t.Fatal(err)
		}
		git, err := p.Records(context.Background(), "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		return &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
	}
	cfg := mk(&cloudns.Settings{APISettings: provider.APISettings{URL: s.URL, APIKey: "pw"}, SubAuthID: "77"})
	held, unread, _, _, err := list(context.Background(), cfg, &cfg.Old)
	g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	t.Logf("%s: ok=%v %s", g.Name, g.OK, g.Detail)
	if !g.OK || !strings.Contains(g.Detail, "sub-user") || !strings.Contains(g.Detail, "may be missing") {
		t.Errorf("old-complete with a ClouDNS sub-user: ok=%v %s; want it met, saying the zone list may be partial", g.OK, g.Detail)
	}
}

// TestSubZonesErrorNotAFormat: the error of a failed listing of the
// account's zones holds the zone's name (a "%" is a character a label
// may hold) as text: it was made part of the format, and the provider's
// error came out as %!d(MISSING) and the like.
func TestSubZonesErrorNotAFormat(t *testing.T) {
	c := &Config{Zone: &zone.Zone{Origin: "100%d.example.test."}}
	err := subZonesError(c, &Side{Name: "old"}, fmt.Errorf("ns1: list zones: %w", provider.ErrUnavailable))
	if msg := err.Error(); !strings.Contains(msg, "below 100%d.example.test. that") || strings.Contains(msg, "%!") || !strings.Contains(msg, "ns1: list zones") || !errors.Is(err, provider.ErrUnavailable) {
		t.Errorf("subZonesError: %q", msg)
	}
}
