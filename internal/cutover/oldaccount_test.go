package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// pageOnly is a provider that lists a page of its account's zones
// (provider.ZoneLister) and not the whole account: a provider without
// provider.AccountLister.
type pageOnly struct{ l provider.ZoneLister }

func (p pageOnly) ZoneNames(ctx context.Context) ([]string, error) { return p.l.ZoneNames(ctx) }

// cloudflareAccount is an old Cloudflare provider whose account (a
// cftest fake, closed with t) holds zones; GET /zones pages 50 at most,
// as the API does
// (https://developers.cloudflare.com/api/resources/zones/methods/list/).
func cloudflareAccount(t *testing.T, zones ...string) *cloudflare.Provider {
	t.Helper()
	s := cftest.New("tok")
	t.Cleanup(s.Close)
	for _, z := range zones {
		s.AddZone(z)
	}
	p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "tok"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOldProviderUseReadsWholeAccount: an old Cloudflare account of 60
// zones (GET /zones pages 50 at a most: the fake pages as the API does)
// besides the config's one, the other zone last. On the code before,
// finish read ZoneNames' first page (50 zones, a "did you mean"), found
// no zone outside the config in it, and said "the old provider is safe
// to decommission". Now the whole account is read (AccountZones, every
// page) and the 60th zone named; a provider that lists only a page says
// its account was not read whole and never calls it safe.
func TestOldProviderUseReadsWholeAccount(t *testing.T) {
	var want, zones []string
	for i := range 60 {
		// Names sort after the config's zone, as the fake lists them.
		n := fmt.Sprintf("z%02d.test", i)
		zones = append(zones, n)
		want = append(want, n+".")
	}
	p := cloudflareAccount(t, append([]string{"example.test"}, zones...)...)
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.example.test. h.example.test. 1 60 60 1209600 60\n@ NS ns1.example.test.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		old      provider.ZoneLister
		listed   bool
		heldLast string // the last zone Held names
		safe     bool
	}{
		{name: "every page read", old: p, listed: true, heldLast: "z59.test."},
		{name: "a provider listing one page", old: pageOnly{p}, heldLast: "z48.test."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Zone: z, ConfigZones: []GitZone{{Origin: "example.test."}}, Old: Side{Name: "old", Provider: struct {
				provider.Provider
				provider.ZoneLister
			}{nil, tc.old}}}
			if a, ok := tc.old.(provider.AccountLister); ok {
				c.Old.Provider = struct {
					provider.Provider
					provider.ZoneLister
					provider.AccountLister
				}{nil, tc.old, a}
			}
			u := c.oldProviderUse(context.Background())
			if u.Listed != tc.listed || u.Partial == tc.listed || len(u.Held) == 0 || u.Held[len(u.Held)-1] != tc.heldLast {
				t.Errorf("listed %v partial %v, held %d zones, the last %q; want listed %v, the last %s (error %q)", u.Listed, u.Partial, len(u.Held), u.Held[max(0, len(u.Held)-1):], tc.listed, tc.heldLast, u.ListError)
			}
			if tc.listed && !slices.Equal(u.Held, want) {
				t.Errorf("held %v, want the account's 60 other zones", u.Held)
			}
			warn, act := u.advice()
			if strings.Contains(act, "safe to decommission") || !strings.Contains(warn, "do not decommission the old provider yet") {
				t.Errorf("the account holds zones outside the config: warning %q, action %q", warn, act)
			}
			if !tc.listed && !strings.Contains(warn, "may hold more") {
				t.Errorf("a page of the account was read: the warning does not say it may hold more: %q", warn)
			}
		})
	}
	// The same page, holding no zone outside the config: not read whole,
	// never safe.
	u := OldProviderUse{Partial: true}
	if _, act := u.advice(); strings.Contains(act, "safe") || !strings.Contains(act, "not read whole") {
		t.Errorf("a page of the account, no other zone in it: %q", act)
	}
}

// subUser is an account listing read whole whose credentials see only
// some of its zones, and say so (provider.ZoneListPartial: a ClouDNS API
// sub-user).
type subUser struct {
	provider.Provider // nil: only the listing is asked
	zones             []string
}

func (s subUser) AccountZones(context.Context) ([]string, error) { return s.zones, nil }
func (subUser) ZoneListPartial() string                          { return "an API sub-user's" }

// TestOldProviderUseScopedCredentials: a listing read whole by
// credentials that see only some of the account's zones, and say so, is
// partial: finish never calls the old provider safe to decommission
// from it (it did: Listed, "read whole", while a sub-user sees only the
// zones delegated to it).
func TestOldProviderUseScopedCredentials(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.example.test. h.example.test. 1 60 60 1209600 60\n@ NS ns1.example.test.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, ConfigZones: []GitZone{{Origin: "example.test."}}, Old: Side{Name: "old", Provider: subUser{zones: []string{"example.test."}}}}
	u := c.oldProviderUse(context.Background())
	_, act := u.advice()
	if u.Listed || !u.Partial || strings.Contains(act, "safe") || !strings.Contains(act, "an API sub-user's") {
		t.Errorf("listed %v, partial %v, action %q; want partial, naming the credentials' scope, never safe", u.Listed, u.Partial, act)
	}
}

// TestOldHeldZonesReadsEveryPage: ns-zone (and cut-zone) ask whether the
// old provider holds the zone of the new side's nameserver name
// (oldHeldZones.holds). An old Cloudflare account of 61 zones
// (cloudflareAccount: GET /zones pages 50 at most) holds dnshost.test., which sorts past the first page. Before, holds
// read ZoneNames' first page and called dnshost.test. not held ("which
// the old provider does not hold"): finish let the old provider go with
// the zone the new side's nameservers live in. Now it reads every page
// where the provider can (provider.AccountLister, listOldZones, as
// finish's old-provider use does); a provider that lists only a page
// says so, and that the others were not compared.
func TestOldHeldZonesReadsEveryPage(t *testing.T) {
	var zones []string
	for i := range 60 {
		zones = append(zones, fmt.Sprintf("a%02d.test", i)) // sorts before dnshost.test
	}
	p := cloudflareAccount(t, append(zones, "dnshost.test")...)
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

// TestOldProviderUseNoTrailFolder: a Config without a trail path
// (TrailPath empty: a library caller's, Setup always sets it) cannot
// read the stage of the config's other zones: each counts as unknown,
// and finish never calls the old provider safe to decommission, even
// from an account read whole that holds nothing else. Before, those
// zones were skipped, and the advice said "safe to decommission" while
// they might still be delegated to the old provider.
func TestOldProviderUseNoTrailFolder(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1.example.test. h.example.test. 1 60 60 1209600 60\n@ NS ns1.example.test.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	p := cloudflareAccount(t, "example.test", "other.test")
	c := &Config{Zone: z, ConfigZones: []GitZone{{Origin: "example.test."}, {Origin: "other.test."}}, Old: Side{Name: "old", Provider: p}}
	u := c.oldProviderUse(context.Background())
	warn, act := u.advice()
	if len(u.Zones) != 1 || u.Zones[0].Zone != "other.test." || u.Zones[0].Stage != "unknown" || strings.Contains(act, "safe to decommission") || !strings.Contains(warn, "other.test. (trail unreadable") {
		t.Errorf("zones %+v, warning %q, action %q; want other.test. unknown, named, and the old provider never called safe", u.Zones, warn, act)
	}
}
