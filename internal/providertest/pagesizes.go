package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// PageSizes: h.SetPageSize (the provider's SetPageSize) takes each size
// of h.PageSizesTaken, and the zone reads whole with it (seven seeded A
// RRsets among as many RRsets as at h.PageSize); it refuses each of
// h.PageSizesRefused with an error naming the size, the page size it had
// (h.PageSize, which New sets, and set again before each) unchanged: the
// zone still reads whole, in as many listing requests as at h.PageSize. A size the API refuses, or answers
// with fewer rows than asked for, makes every listing after it fail; a
// hook that took one hid that until a zone of more than a page.
func PageSizes(t *testing.T, h Harness) {
	if h.SetPageSize == nil || len(h.PageSizesTaken) == 0 || len(h.PageSizesRefused) == 0 {
		t.Fatal("the harness names no SetPageSize, or no page size it takes or refuses: nothing to test")
	}
	h.SeedA(7)
	read := func(p provider.Provider, what string) (rrsets, requests int) {
		t.Helper()
		before := h.Lists()
		z, err := p.Records(context.Background(), h.Origin)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for i := range 7 {
			if name := fmt.Sprintf("h%02d.%s", i, h.Origin); z.Get(name, 1) == nil {
				t.Errorf("%s: %s not read", what, name)
			}
		}
		return z.Len(), h.Lists() - before
	}
	base := fmt.Sprintf("%d a page", h.PageSize)
	// One provider throughout (one account's rate limiter), its page size
	// set back to h.PageSize before each size.
	p := h.New(t, h.Secret)
	want, requests := read(p, base)
	for _, n := range h.PageSizesTaken {
		if err := h.SetPageSize(p, n); err != nil {
			t.Errorf("SetPageSize(%d): %v", n, err)
			continue
		}
		if got, _ := read(p, fmt.Sprintf("%d a page", n)); got != want {
			t.Errorf("%d a page: %d RRsets read, %d at %s", n, got, want, base)
		}
	}
	for _, n := range h.PageSizesRefused {
		if err := h.SetPageSize(p, h.PageSize); err != nil {
			t.Fatalf("SetPageSize(%d): %v", h.PageSize, err)
		}
		err := h.SetPageSize(p, n)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d rows a page", n)) {
			t.Errorf("SetPageSize(%d): %v, want an error naming %d rows a page", n, err, n)
			continue
		}
		what := fmt.Sprintf("after SetPageSize(%d) was refused", n)
		if got, reqs := read(p, what); got != want || reqs != requests {
			t.Errorf("%s: %d RRsets in %d listing requests, want %d in %d (%s, the page size of before)", what, got, reqs, want, requests, base)
		}
	}
}
