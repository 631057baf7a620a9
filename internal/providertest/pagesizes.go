package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// PageSizes: set (a provider's SetPageSize) takes each size of taken, and
// the zone at origin, of want RRsets, reads whole with it; it refuses
// each size of refused with an error naming the sizes the API takes ("the
// API takes"), the page size it had (base) unchanged: the zone still
// reads whole, in as many listing requests (lists) as at base. A size the
// API refuses, or answers with fewer rows than asked for, makes every
// listing after it fail; a hook that took one would hide that until a
// zone of more than a page.
func PageSizes(t *testing.T, newP func(t *testing.T) provider.Provider, set func(p provider.Provider, n int) error, lists func() int, origin string, want, base int, taken, refused []int) {
	t.Helper()
	read := func(p provider.Provider, what string) int {
		t.Helper()
		before := lists()
		z, err := p.Records(context.Background(), origin)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if z.Len() != want {
			t.Errorf("%s: %d RRsets read, want %d", what, z.Len(), want)
		}
		return lists() - before
	}
	for _, n := range taken {
		t.Run(fmt.Sprintf("takes %d", n), func(t *testing.T) {
			p := newP(t)
			if err := set(p, n); err != nil {
				t.Fatalf("SetPageSize(%d): %v", n, err)
			}
			read(p, fmt.Sprintf("%d a page", n))
		})
	}
	for _, n := range refused {
		t.Run(fmt.Sprintf("refuses %d", n), func(t *testing.T) {
			p := newP(t)
			if err := set(p, base); err != nil {
				t.Fatalf("SetPageSize(%d): %v", base, err)
			}
			requests := read(p, fmt.Sprintf("%d a page", base))
			err := set(p, n)
			if err == nil || !strings.Contains(err.Error(), "the API takes") {
				t.Fatalf("SetPageSize(%d): %v, want an error naming the sizes the API takes", n, err)
			}
			if got := read(p, fmt.Sprintf("after SetPageSize(%d) was refused", n)); got != requests {
				t.Errorf("after SetPageSize(%d) was refused: %d listing requests, want %d (the page size of before, %d)", n, got, requests, base)
			}
		})
	}
}
