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
	if err := l.Page(1, []string{"a", "b"}, PageInfo{Total: 3}); err != nil {
		t.Fatal(err)
	}
	if err := l.Page(2, []string{"c"}, PageInfo{Total: 3}); err != nil {
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
			if err = l.Page(i+1, p, PageInfo{Total: c.total[i]}); err != nil {
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
	// Without a count only repeats are checked: a total a page gives is
	// not read.
	l = Listing[string]{What: "vendor", Key: key}
	if err := l.Page(1, []string{"a"}, PageInfo{Total: 5}); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Whole(); err != nil || len(got) != 1 {
		t.Errorf("uncounted listing %v %v", got, err)
	}
}

// TestListingPages: each page is checked against what the API says of
// it (PageInfo): the rows its own count says, a full page before the
// last, no page over full, no empty last page of a counted number of
// pages, no empty page that says more follow. What the API does not say
// is not checked.
func TestListingPages(t *testing.T) {
	rows := func(n int) []string { return strings.Split(strings.Repeat("x", n), "") }
	for _, c := range []struct {
		name      string
		pageCount string // Listing.PageCount
		pages     []int  // rows on each page
		info      []PageInfo
		want      string // "": the listing is read whole
	}{
		{"as counted", "result_info.count", []int{2, 1}, []PageInfo{{Count: 2, Of: 2}, {Count: 1, Of: 2}}, ""},
		{"fewer than counted", "result_info.count", []int{2, 1}, []PageInfo{{Count: 2, Of: 2}, {Count: 2, Of: 2}},
			"vendor: zone example.com.: page 2 of 2 holds 1 where its result_info.count is 2 (records): the listing is incomplete"},
		{"more than counted", "result_info.count", []int{3}, []PageInfo{{Count: 2}}, "page 1 holds 3 where its result_info.count is 2 (records)"},
		{"a count the API does not give", "", []int{3}, []PageInfo{{Count: 2}}, ""},
		{"full pages", "", []int{2, 2, 1}, []PageInfo{{Full: 2, More: true}, {Full: 2, More: true}, {Full: 2}}, ""},
		{"short before the last", "", []int{2, 1, 1}, []PageInfo{{Full: 2, More: true}, {Full: 2, More: true}, {Full: 2}},
			"vendor: zone example.com.: page 2 holds 1 of 2 records a page and says more follow: the listing is incomplete"},
		{"over full", "", []int{2, 3}, []PageInfo{{Full: 2, More: true}, {Full: 2}}, "page 2 holds 3 of 2 records a page: the listing is incomplete"},
		{"the last of the pages counted, empty", "", []int{2, 0}, []PageInfo{{Of: 2, Full: 2, More: true}, {Of: 2, Full: 2}},
			"page 2 of 2 holds 0 of 2 records a page: the listing is incomplete"},
		{"the last of the pages counted, short", "", []int{2, 1}, []PageInfo{{Of: 2, Full: 2, More: true}, {Of: 2, Full: 2}}, ""},
		{"an empty last page, no pages counted", "", []int{2, 0}, []PageInfo{{Full: 2, More: true}, {Full: 2}}, ""},
		{"an empty page of an unknown size that says more", "", []int{0}, []PageInfo{{More: true}},
			"page 1 holds no records and says more follow: the listing is incomplete"},
		{"an empty only page", "", []int{0}, []PageInfo{{}}, ""},
		{"as full as the first", "", []int{3, 3, 1}, []PageInfo{{Full: AsFirst, More: true}, {Full: AsFirst, More: true}, {Full: AsFirst}}, ""},
		{"short of the first", "", []int{3, 2, 1}, []PageInfo{{Full: AsFirst, More: true}, {Full: AsFirst, More: true}, {Full: AsFirst}},
			"page 2 holds 2 records where the first page held 3 and says more follow: the listing is incomplete"},
		{"over the first", "", []int{2, 3}, []PageInfo{{Full: AsFirst, More: true}, {Full: AsFirst}}, "page 2 holds 3 records where the first page held 2: the listing is incomplete"},
		{"an empty first page that says more", "", []int{0, 1}, []PageInfo{{Full: AsFirst, More: true}, {Full: AsFirst}}, "page 1 holds no records and says more follow"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := Listing[string]{What: "vendor: zone example.com.", Unit: "records", PageCount: c.pageCount}
			var err error
			read := 0
			for i, n := range c.pages {
				if err = l.Page(i+1, rows(n), c.info[i]); err != nil {
					break
				}
				read += n
			}
			if c.want == "" {
				if got, werr := l.Whole(); err != nil || werr != nil || len(got) != read {
					t.Errorf("%s, %v %v; want every page read", plural.N(len(got), "row", "rows"), err, werr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
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

// TestSettled: a listing of one page stands as read; one of more pages
// stands when two readings in a row hold the same rows, and is an error
// when no two do (rows moved from page to page by a change meanwhile).
func TestSettled(t *testing.T) {
	key := func(s string) string { return "record " + s }
	tmpl := Listing[string]{What: "vendor: zone example.com.", Unit: "records", Key: key}
	// readings returns a pass giving each reading's pages in turn.
	readings := func(rs ...[][]string) (func(context.Context, *Listing[string]) (int, error), *int) {
		n := 0
		return func(_ context.Context, l *Listing[string]) (int, error) {
			pages := rs[min(n, len(rs)-1)]
			n++
			for i, p := range pages {
				if err := l.Page(i+1, p, PageInfo{}); err != nil {
					return 0, err
				}
			}
			return len(pages), nil
		}, &n
	}
	for _, c := range []struct {
		name     string
		readings [][][]string
		want     string // rows joined, or the error
		took     int
	}{
		{"one page", [][][]string{{{"a", "b"}}}, "ab", 1},
		{"two agree", [][][]string{{{"a", "b"}, {"c"}}, {{"a", "b"}, {"c"}}}, "abc", 2},
		{"a row missed, then read", [][][]string{{{"a", "b"}, {"d"}}, {{"a", "c"}, {"d"}}, {{"a", "c"}, {"d"}}}, "acd", 3},
		{"never settles", [][][]string{{{"a", "b"}, {"d"}}, {{"a", "c"}, {"d"}}, {{"a", "e"}, {"d"}}}, "the listing changed while it was read: 3 readings of its 2 pages", 3},
	} {
		pass, took := readings(c.readings...)
		rows, err := Settled(context.Background(), &tmpl, pass)
		got := strings.Join(rows, "")
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, c.want) || *took != c.took {
			t.Errorf("%s: %q after %d readings, want %q after %d", c.name, got, *took, c.want, c.took)
		}
	}
}
