package provider

import (
	"strings"
	"testing"
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
