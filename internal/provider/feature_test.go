package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestGeoFeatures: each answer for one location is a feature left out of
// the zone; the first answer for every location of an RRset that also
// has located ones gets one note, naming the locations; the other
// records get none.
func TestGeoFeatures(t *testing.T) {
	g := Geo{Feature: "geodns", Service: "GeoDNS", Where: "location", Default: "the default"}
	rs := []Located{
		{Name: "www.x.", Type: "A", Value: "192.0.2.1"},
		{Name: "geo.x.", Type: "A", Value: "192.0.2.2"},
		{Name: "geo.x.", Type: "A", Value: "192.0.2.3"},
		{Name: "geo.x.", Type: "A", Value: "198.51.100.1", Location: "EU"},
		{Name: "geo.x.", Type: "AAAA", Value: "2001:db8::1"},
		{Name: "geo.x.", Type: "A", Value: "198.51.100.2", Location: "NA"},
	}
	fs := g.Features(rs)
	var got []string
	for i, f := range fs {
		if f != nil {
			got = append(got, fmt.Sprintf("%d %s %s %v %s | %s", i, f.Name, f.Feature, f.Omitted, f.Value, f.Detail))
		}
	}
	want := []string{
		"1 geo.x. geodns false 192.0.2.2 | the default answer of a GeoDNS record; locations [EU NA] get other answers (parity may see either)",
		"3 geo.x. geodns true 198.51.100.1 (location EU) | GeoDNS answers resolvers in location EU with 198.51.100.1 instead of the default answer",
		"5 geo.x. geodns true 198.51.100.2 (location NA) | GeoDNS answers resolvers in location NA with 198.51.100.2 instead of the default answer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A record's own feature comes before its located one; the others
	// keep the listing's order.
	var listed []string
	for _, f := range g.ListingFeatures(rs, func(i int, f Feature) (Feature, bool) {
		if i == 3 || i == 4 {
			f.Feature = "own"
			return f, true
		}
		return f, false
	}) {
		listed = append(listed, f.Feature+" "+f.Type+" "+f.Value)
	}
	if got, want := strings.Join(listed, ", "), "geodns A 192.0.2.2, own A 198.51.100.1, own AAAA 2001:db8::1, geodns A 198.51.100.2 (location NA)"; got != want {
		t.Errorf("ListingFeatures = %s, want %s", got, want)
	}
	a := Alias(Feature{Name: "x.", Type: "ANAME"}, "Vendor", "ANAME", "lb.example.net")
	if a.Feature != "aname" || !a.Omitted || !strings.Contains(a.Detail, "current addresses of lb.example.net; a zone file cannot hold an ANAME") {
		t.Errorf("alias feature %+v", a)
	}
}

// TestBelow: the zones strictly below a zone, whatever the vendor's
// spelling (case, final dot), each once and sorted; not the zone itself,
// nor a name that only ends like it.
func TestBelow(t *testing.T) {
	got := Below("Example.COM", []string{"example.com", "Dev.Example.com.", "a.b.example.com", "notexample.com", "example.org", "dev.example.com", "com"})
	if want := []string{"a.b.example.com.", "dev.example.com."}; !slices.Equal(got, want) {
		t.Errorf("Below = %q, want %q", got, want)
	}
}

// TestAllZones: one listing of every zone gives both the zones below a
// zone (Below) and the names for a "did you mean": canonical, in the
// listing's order, at most MaxListedZones; and the whole account
// (AccountZones), every zone; a failed listing is the error of each.
func TestAllZones(t *testing.T) {
	var names []string
	for i := range MaxListedZones + 5 {
		names = append(names, fmt.Sprintf("Z%03d.example.com", i))
	}
	all := AllZones(func(context.Context) ([]string, error) { return slices.Clone(names), nil })
	got, err := all.ZoneNames(context.Background())
	if err != nil || len(got) != MaxListedZones || got[0] != "z000.example.com." || got[MaxListedZones-1] != fmt.Sprintf("z%03d.example.com.", MaxListedZones-1) {
		t.Errorf("ZoneNames = %d names from %q, %v", len(got), got[:min(len(got), 1)], err)
	}
	if sub, err := all.SubZones(context.Background(), "z001.example.com"); err != nil || len(sub) != 0 {
		t.Errorf("SubZones(z001.example.com.) = %q, %v", sub, err)
	}
	if sub, err := all.SubZones(context.Background(), "example.com"); err != nil || len(sub) != len(names) {
		t.Errorf("SubZones(example.com.) = %d zones, %v; want %d", len(sub), err, len(names))
	}
	// The whole account, past MaxListedZones (what finish reads before
	// it calls the old provider safe to decommission).
	if acct, err := all.AccountZones(context.Background()); err != nil || len(acct) != len(names) || acct[len(acct)-1] != fmt.Sprintf("z%03d.example.com.", len(names)-1) {
		t.Errorf("AccountZones = %d zones, %v; want %d, canonical", len(acct), err, len(names))
	}
	failed := AllZones(func(context.Context) ([]string, error) { return nil, ErrAuth })
	if _, err := failed.AccountZones(context.Background()); !errors.Is(err, ErrAuth) {
		t.Errorf("AccountZones of a failed listing: %v", err)
	}
	if _, err := failed.ZoneNames(context.Background()); !errors.Is(err, ErrAuth) {
		t.Errorf("ZoneNames of a failed listing: %v", err)
	}
	if _, err := failed.SubZones(context.Background(), "example.com"); !errors.Is(err, ErrAuth) {
		t.Errorf("SubZones of a failed listing: %v", err)
	}
}
