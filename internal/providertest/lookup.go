package providertest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// LookupCase is one lookup of ZoneLookup: a provider configured with
// ZoneID (empty: by name) asked for Origin's name servers, which fail
// with Err (when not nil).
type LookupCase struct {
	Name, ZoneID, Origin string
	Err                  error
}

// LookupCases are the lookups every provider with a zone_id setting
// answers, in an account holding example.com. (of id) and other (not
// example.com.), and no zone missing.net. or of id unknown: by name, by
// id, the id of example.com. given for other, a zone not there, an id
// not there.
func LookupCases(id, other, unknown string) []LookupCase {
	return []LookupCase{
		{"by name", "", "example.com.", nil},
		{"by id", id, "example.com.", nil},
		{"id of another zone", id, other, provider.ErrZoneNotFound},
		{"missing", "", "missing.net.", provider.ErrZoneNotFound},
		{"unknown id", unknown, "example.com.", provider.ErrZoneNotFound},
	}
}

// ZoneLookup runs each case with the provider newp makes for its zone
// id: an error wrapping the case's Err, or name servers ok accepts.
func ZoneLookup(t *testing.T, cases []LookupCase, newp func(t *testing.T, zoneID string) provider.Provider, ok func(ns []string) bool) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			ns, err := newp(t, tc.ZoneID).Nameservers(context.Background(), tc.Origin)
			if tc.Err != nil {
				if !errors.Is(err, tc.Err) {
					t.Fatalf("got %v, want %v", err, tc.Err)
				}
				return
			}
			if err != nil || !ok(ns) {
				t.Fatalf("nameservers %v %v", ns, err)
			}
		})
	}
}

// NameserversAre is a ZoneLookup check: exactly want, in that order.
func NameserversAre(want ...string) func(ns []string) bool {
	return func(ns []string) bool { return slices.Equal(ns, want) }
}

// ZoneNamesTest are the zones a fake holds for ZoneNamesFirstPage, paged
// two to a page.
var ZoneNamesTest = []string{"a.test", "b.test", "c.test", "d.test", "e.test"}

// ZoneNamesFirstPage: the "did you mean" of a zone not held
// (provider.ZoneLister) reads the first page of the account's zones
// (ZoneNamesTest, two to a page), one request (lists counts the requests
// of listing, what names it in the message), not every page.
func ZoneNamesFirstPage(t *testing.T, p provider.Provider, lists func() int, listing string) {
	t.Helper()
	ZoneNamesPage(t, p, lists, listing, []string{"a.test.", "b.test."})
}

// ZoneNamesPage: the "did you mean" of a zone not held
// (provider.ZoneLister) is the first page of a fake holding more zones
// than a page: exactly want (canonical, in the API's order, at most
// provider.MaxListedZones), from one request (lists counts the requests
// of listing, what names it in the message), not every page.
func ZoneNamesPage(t *testing.T, p provider.Provider, lists func() int, listing string, want []string) {
	t.Helper()
	l, ok := p.(provider.ZoneLister)
	if !ok {
		t.Fatalf("%T lists no zones (provider.ZoneLister)", p)
	}
	if len(want) > provider.MaxListedZones {
		t.Fatalf("want holds %s, more than provider.MaxListedZones (%d)", plural.N(len(want), "zone", "zones"), provider.MaxListedZones)
	}
	before := lists()
	names, err := l.ZoneNames(context.Background())
	if err != nil || !slices.Equal(names, want) {
		t.Errorf("ZoneNames = %d names %q, %v; want the first page, canonical: %d names %q", len(names), names, err, len(want), want)
	}
	if n := lists() - before; n != 1 {
		t.Errorf("%d requests of %s, want 1", n, listing)
	}
}

// AccountZonesPaged: the whole account (provider.AccountLister) is every
// zone of a fake holding more zones than the page ZoneNames reads: want
// (canonical), each once, in any order; ZoneNames, a page, holds fewer.
// finish calls the old provider safe to decommission from it alone.
func AccountZonesPaged(t *testing.T, p provider.Provider, want []string) {
	t.Helper()
	a, ok := p.(provider.AccountLister)
	l, lok := p.(provider.ZoneLister)
	if !ok || !lok {
		t.Fatalf("%T does not list its account (provider.AccountLister and ZoneLister)", p)
	}
	page, err := l.ZoneNames(context.Background())
	if err != nil || len(page) >= len(want) {
		t.Fatalf("ZoneNames: %s, %v; the fake must hold more than a page (%s)", plural.N(len(page), "name", "names"), err, plural.N(len(want), "zone", "zones"))
	}
	all, err := a.AccountZones(context.Background())
	got, w := slices.Sorted(slices.Values(all)), slices.Sorted(slices.Values(want))
	if err != nil || !slices.Equal(got, w) {
		t.Errorf("AccountZones = %d names, %v; want every zone of the account: %d names (first page: %d)", len(all), err, len(want), len(page))
	}
}

// SubZonesPaged is subZones, after one listing of the zones below
// example.com for which the fake was asked for exactly pages pages of
// listing (lists counts them): that listing was paged, each page read
// once (and, with a search, only the pages it finds). subZones lists
// three times, so a count over it all reached the figure with one page
// each.
func SubZonesPaged(t *testing.T, p provider.Provider, short func(), lists func() int, pages int, listing string) {
	t.Helper()
	l, ok := p.(provider.SubZoneLister)
	if !ok {
		t.Fatalf("%T does not list the zones below a zone (provider.SubZoneLister)", p)
	}
	before := lists()
	if _, err := l.SubZones(context.Background(), "example.com."); err != nil {
		t.Fatal(err)
	}
	if n := lists() - before; n != pages {
		t.Errorf("one listing took %d requests of %s, want %d: pages skipped, read twice, or not searched", n, listing, pages)
	}
	subZones(t, p, short)
}
