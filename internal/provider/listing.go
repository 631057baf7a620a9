package provider

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Listing gathers the pages of an API's listing of a zone and checks them
// against what the API says of the whole: the count it reports must not
// change while the pages are read, no record may come twice, and as many
// must be read as it counts. A listing that comes back short is then an
// error, never a smaller zone (push would create what exists, import
// would drop records). Each provider adds the checks its API allows
// beyond these (page sizes, a next page).
type Listing[R any] struct {
	// What names the listing in errors ("cloudflare: zone example.com.:
	// list records").
	What string
	// Unit is what the API counts ("records", "record sets"); Count what
	// it calls the count ("result_info.total_count").
	Unit, Count string
	// Key names a record, for the check that none comes twice (nil: no
	// check).
	Key func(R) string

	records []R
	total   int
	counted bool
	seen    map[string]bool
}

// Add takes page n: its records and the API's count of the whole listing
// as that page gives it (-1 when it gives none).
func (l *Listing[R]) Add(n int, rs []R, total int) error {
	if total >= 0 {
		if l.counted && total != l.total {
			return fmt.Errorf("%s: %s went from %d to %d while the pages were read; try again", l.What, l.Count, l.total, total)
		}
		l.total, l.counted = total, true
	}
	if l.Key != nil {
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		for _, r := range rs {
			k := l.Key(r)
			if l.seen[k] {
				return fmt.Errorf("%s: %s came twice (page %d): the listing is inconsistent; try again", l.What, k, n)
			}
			l.seen[k] = true
		}
	}
	l.records = append(l.records, rs...)
	return nil
}

// Len is the number of records read so far.
func (l *Listing[R]) Len() int { return len(l.records) }

// Whole is the listing, when it holds as many records as the API counts.
func (l *Listing[R]) Whole() ([]R, error) {
	if l.counted && len(l.records) != l.total {
		return nil, fmt.Errorf("%s: %d %s read where %s is %d: the listing is incomplete (or the zone changed while it was read); nothing was concluded from it, try again",
			l.What, len(l.records), l.Unit, l.Count, l.total)
	}
	return l.records, nil
}

// Names are the names of every row of a listing read whole (Listing,
// AllZones), each as name gives it, in the listing's order. Unlike
// Listed, which keeps the first MaxListedZones for a "did you mean",
// none is left out: a listing read whole stays whole.
func Names[T any](rows []T, name func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = name(r)
	}
	return out
}

// ListingReader reads a zone of an API provider whose records and
// provider-only features both come from one listing of the zone: its
// Records, Features and Read (Reader) each list the zone once. The
// provider supplies the three steps; their errors are returned as they
// are (each step names the provider and the zone).
type ListingReader[R any] struct {
	// List lists the zone's records (origin is canonical).
	List func(ctx context.Context, origin string) ([]R, error)
	// ZoneOf is the zone the listing holds: records without a zone-file
	// form are left out (FeaturesOf reports them).
	ZoneOf func(origin string, rs []R) (*zone.Zone, error)
	// FeaturesOf are the provider-only features in the listing.
	FeaturesOf func(origin string, rs []R) []Feature
}

// Records lists the zone and returns its records.
func (l ListingReader[R]) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	rs, err := l.List(ctx, origin)
	if err != nil {
		return nil, err
	}
	return l.ZoneOf(origin, rs)
}

// Features lists the zone and returns its provider-only features.
func (l ListingReader[R]) Features(ctx context.Context, origin string) ([]Feature, error) {
	origin = zone.CanonicalName(origin)
	rs, err := l.List(ctx, origin)
	if err != nil {
		return nil, err
	}
	return l.FeaturesOf(origin, rs), nil
}

// Read lists the zone once for its records and its features.
func (l ListingReader[R]) Read(ctx context.Context, origin string) (*zone.Zone, []Feature, error) {
	origin = zone.CanonicalName(origin)
	rs, err := l.List(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	z, err := l.ZoneOf(origin, rs)
	if err != nil {
		return nil, nil, err
	}
	return z, l.FeaturesOf(origin, rs), nil
}
