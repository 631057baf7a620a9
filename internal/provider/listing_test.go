package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestListing: pages add up to the listing when the count holds; a count
// that changes, a record that comes twice and a listing short of the
// count are errors that say so.
func TestListing(t *testing.T) {
	key := func(s string) string { return "record " + s }
	l := Listing[string]{What: "vendor: zone example.com.", Unit: "records", Count: "total", Key: key}
	if err := l.Add(1, []string{"a", "b"}, 3); err != nil {
		t.Fatal(err)
	}
	if err := l.Add(2, []string{"c"}, 3); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Whole(); err != nil || strings.Join(got, "") != "abc" {
		t.Errorf("whole listing %v %v", got, err)
	}
	for _, c := range []struct {
		pages [][]string
		total []int
		want  string
	}{
		{[][]string{{"a"}, {"b"}}, []int{2, 3}, "vendor: zone example.com.: total went from 2 to 3 while the pages were read"},
		{[][]string{{"a", "b"}, {"b"}}, []int{3, 3}, "record b came twice (page 2)"},
		{[][]string{{"a"}, {"b"}}, []int{3, 3}, "2 records read where total is 3: the listing is incomplete"},
	} {
		l := Listing[string]{What: "vendor: zone example.com.", Unit: "records", Count: "total", Key: key}
		var err error
		for i, p := range c.pages {
			if err = l.Add(i+1, p, c.total[i]); err != nil {
				break
			}
		}
		if err == nil {
			_, err = l.Whole()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v of %v: %v, want %q", c.pages, c.total, err, c.want)
		}
	}
	// Without a count only repeats are checked.
	l = Listing[string]{What: "vendor", Key: key}
	if err := l.Add(1, []string{"a"}, -1); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Whole(); err != nil || len(got) != 1 {
		t.Errorf("uncounted listing %v %v", got, err)
	}
}

// TestListingReader: Records, Features and Read each list the zone once,
// under its canonical name, and build records and features from that one
// listing; a failed listing is the error of each.
func TestListingReader(t *testing.T) {
	var lists []string
	fail := false
	l := ListingReader[string]{
		List: func(_ context.Context, origin string) ([]string, error) {
			lists = append(lists, origin)
			if fail {
				return nil, errors.New("vendor: list failed")
			}
			return []string{"www A", "alias ALIAS"}, nil
		},
		ZoneOf: func(origin string, rs []string) (*zone.Zone, error) {
			return &zone.Zone{Origin: origin}, nil
		},
		FeaturesOf: func(origin string, rs []string) []Feature {
			return []Feature{{Name: "alias." + origin, Type: "ALIAS", Value: strings.Join(rs, ",")}}
		},
	}
	ctx := context.Background()
	z, err := l.Records(ctx, "Example.COM")
	if err != nil || z.Origin != "example.com." {
		t.Fatalf("Records = %+v, %v", z, err)
	}
	fs, err := l.Features(ctx, "example.com.")
	if err != nil || len(fs) != 1 || fs[0].Name != "alias.example.com." || fs[0].Value != "www A,alias ALIAS" {
		t.Fatalf("Features = %+v, %v", fs, err)
	}
	z, fs, err = l.Read(ctx, "example.com")
	if err != nil || z.Origin != "example.com." || len(fs) != 1 {
		t.Fatalf("Read = %+v, %+v, %v", z, fs, err)
	}
	if strings.Join(lists, " ") != "example.com. example.com. example.com." {
		t.Fatalf("listings = %q, want one per call under the canonical name", lists)
	}
	fail = true
	if _, err := l.Records(ctx, "example.com."); err == nil || !strings.Contains(err.Error(), "list failed") {
		t.Fatalf("Records on a failed listing: %v", err)
	}
	if _, err := l.Features(ctx, "example.com."); err == nil {
		t.Fatal("Features on a failed listing: no error")
	}
	if _, _, err := l.Read(ctx, "example.com."); err == nil {
		t.Fatal("Read on a failed listing: no error")
	}
}

// TestNamesWhole: Names keeps every row of a listing, in its order, each as
// name gives it, past the MaxListedZones that Listed keeps (the names of
// a listing read whole, which SubZones judge: none may go missing).
func TestNamesWhole(t *testing.T) {
	type row struct{ Name string }
	rows := make([]row, MaxListedZones+50)
	for i := range rows {
		rows[i] = row{fmt.Sprintf("Z%03d.Example", len(rows)-i)}
	}
	got := Names(rows, func(r row) string { return r.Name })
	if len(got) != len(rows) || got[0] != "Z250.Example" || got[len(got)-1] != "Z001.Example" {
		t.Errorf("Names of %s: %s, %q … %q", plural.N(len(rows), "row", "rows"), plural.N(len(got), "name", "names"), got[:min(1, len(got))], got[max(len(got)-1, 0):])
	}
	if l := Listed(rows, func(r row) string { return r.Name }); len(l) != MaxListedZones || l[0] != "z250.example." {
		t.Errorf("Listed: %s, first %q", plural.N(len(l), "name", "names"), l[:min(1, len(l))])
	}
	if got := Names([]row(nil), func(r row) string { return r.Name }); len(got) != 0 {
		t.Errorf("Names of no rows: %q", got)
	}
}
