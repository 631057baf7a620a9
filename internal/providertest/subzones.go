package providertest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// SubZoneNames are the zones a fake holds beside example.com for
// SubZones (as vendors write them, without the final dot): two below it,
// one whose name only ends like it, one elsewhere.
var SubZoneNames = []string{"dev.example.com", "a.b.example.com", "notexample.com", "example.org"}

// subZones checks a provider.SubZoneLister against a fake holding
// example.com and SubZoneNames, paged as the fake pages them (a small
// page, so several): exactly the two zones below example.com, canonical
// and sorted. short makes the fake's next listing page lose a zone while
// the API still says there are more: an error, never fewer zones.
func subZones(t *testing.T, p provider.Provider, short func()) {
	t.Helper()
	l, ok := p.(provider.SubZoneLister)
	if !ok {
		t.Fatalf("%T does not list the zones below a zone (provider.SubZoneLister)", p)
	}
	got, err := l.SubZones(context.Background(), "Example.COM")
	want := []string{"a.b.example.com.", "dev.example.com."}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("SubZones(example.com.) = %q, %v; want %q", got, err, want)
	}
	if got, err := l.SubZones(context.Background(), "dev.example.com."); err != nil || len(got) != 0 {
		t.Errorf("SubZones(dev.example.com.) = %q, %v; want none", got, err)
	}
	short()
	if got, err := l.SubZones(context.Background(), "example.com."); err == nil {
		t.Errorf("SubZones with a zone lost from a listing page = %q, no error: a short listing must not read as fewer zones", got)
	} else {
		t.Logf("short listing: %v", err)
	}
}

// SubZoneEdges: the zones below example.com read whole as the account
// gains zones below it, one at a time, over two pages of its zone listing
// and two more (page zones a page): every count of zones on the last page
// from none to a page exactly full, and a page and one. add makes the fake
// hold one zone more (as the vendor writes it, without the final dot);
// the zones below example.com at first are what SubZones reads first. A
// listing that stops early, or asks past its end, at one boundary loses
// zones there alone (the completeness gates would pass a zone below left
// out).
func SubZoneEdges(t *testing.T, p provider.Provider, add func(name string), page int) {
	t.Helper()
	l, ok := p.(provider.SubZoneLister)
	if !ok {
		t.Fatalf("%T does not list the zones below a zone (provider.SubZoneLister)", p)
	}
	want, err := l.SubZones(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	for k := range 2*page + 2 {
		name := fmt.Sprintf("edge%02d.example.com", k)
		add(name)
		want = append(want, name+".")
		slices.Sort(want)
		got, err := l.SubZones(context.Background(), "example.com.")
		if err != nil {
			t.Fatalf("%s below example.com., %d a page: %v", plural.N(len(want), "zone", "zones"), page, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s below example.com., %d a page: SubZones = %q, want %q", plural.N(len(want), "zone", "zones"), page, got, want)
		}
	}
}
