package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Listing gathers the pages of an API's listing and checks each page
// against what the API says of it, and the whole against what the API
// says of the whole: the count it reports must not change while the
// pages are read, no record may come twice, and as many must be read as
// it counts. A listing that comes back short is then an error, never a
// smaller zone (push would create what exists, import would drop
// records). Each provider states what its API says (the Listing's
// fields, and a PageInfo for each page); Listing does the checking and
// writes the error.
type Listing[R any] struct {
	// What names the listing in errors ("cloudflare: zone example.com.:
	// list records").
	What string
	// Unit is what the API counts ("records", "record sets").
	Unit string
	// Count is what the API calls its count of the whole listing
	// ("result_info.total_count"), which each page gives (PageInfo.Total);
	// "" when it gives none.
	Count string
	// PageCount is what the API calls a page's count of its own rows
	// ("result_info.count"), which each page gives (PageInfo.Count); ""
	// when it gives none.
	PageCount string
	// Key names a record, for the check that none comes twice (nil: no
	// check).
	Key func(R) string

	records []R
	total   int
	counted bool
	seen    map[string]bool
	pages   int // pages taken
	first   int // rows on the first
}

// PageInfo is what a page of a listing says of itself and of the
// listing, as far as the API says anything (the zero value: nothing).
type PageInfo struct {
	// Total is the API's count of the whole listing as this page gives
	// it (read when the Listing names it: Count). It must not change
	// from page to page, and Whole must hold as many.
	Total int
	// Count is how many rows the page says it holds (read when the
	// Listing names it: PageCount). The page must hold that many.
	Count int
	// Of is how many pages the API says the listing has (0: it does not
	// say), for errors. With Full, page Of is the last, and holds a row
	// (a listing of Of pages holds more than Of-1 full pages).
	Of int
	// Full is how many rows a full page holds, as the request asked for
	// (per page, maxitems), or AsFirst; 0: not known. No page holds
	// more, and a page that is not the last (More) holds that many.
	Full int
	// More says the page is not the last: a page follows it (a next
	// link, IsTruncated, a page before Of). It holds rows: a page of
	// none that says more is no way on.
	More bool
}

// AsFirst is the Full of an API that does not say how many rows a page
// holds: a full page holds as many as the first page did.
const AsFirst = -1

// Page takes page n of the listing: its rows rs and what the API says
// of it (pg). A page that does not hold what the API says it does, a
// count of the whole that changed, and a row that came twice are each
// an error naming the page.
func (l *Listing[R]) Page(n int, rs []R, pg PageInfo) error {
	of := ""
	if pg.Of > 0 {
		of = fmt.Sprintf(" of %d", pg.Of)
	}
	if l.pages++; l.pages == 1 {
		l.first = len(rs)
	}
	full, size := pg.Full, fmt.Sprintf("of %d %s a page", pg.Full, l.Unit)
	if full == AsFirst {
		full, size = l.first, fmt.Sprintf("%s where the first page held %d", l.Unit, l.first)
	}
	switch {
	case l.PageCount != "" && len(rs) != pg.Count:
		return fmt.Errorf("%s: page %d%s holds %d where its %s is %d (%s): the listing is incomplete; nothing was concluded from it, try again",
			l.What, n, of, len(rs), l.PageCount, pg.Count, l.Unit)
	case full > 0 && (len(rs) > full || (pg.More && len(rs) < full) || (n == pg.Of && len(rs) == 0)):
		more := ""
		if pg.More {
			more = " and says more follow"
		}
		return fmt.Errorf("%s: page %d%s holds %d %s%s: the listing is incomplete (it changed while it was read?); nothing was concluded from it, try again",
			l.What, n, of, len(rs), size, more)
	case pg.More && len(rs) == 0:
		return fmt.Errorf("%s: page %d%s holds no %s and says more follow: the listing is incomplete (it changed while it was read?); nothing was concluded from it, try again",
			l.What, n, of, l.Unit)
	}
	if l.Count != "" {
		if l.counted && pg.Total != l.total {
			return fmt.Errorf("%s: %s went from %d to %d while the pages were read; try again", l.What, l.Count, l.total, pg.Total)
		}
		l.total, l.counted = pg.Total, true
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

// Settled reads whole a listing an API pages by number: page n holds the
// rows from the (n-1)×size+1st on of the listing as it stands when page n
// is asked (Cloudflare's page and per_page, DNS Made Easy's page and rows,
// ClouDNS's page and rows-per-page). A row deleted before a page already
// read moves the first row of the next page onto it, where it is never
// read, and a row added with it keeps every count and every page full:
// no check of one reading can tell. So a listing of more than one page is
// read again (pass reads it once into the fresh Listing it is given, a
// copy of tmpl, and says how many pages it took) until two readings in a
// row hold the same rows (by tmpl.Key, which must be set), at most
// settleReadings times; the later one is the listing. A listing of one
// page is one answer and stands as read. Readings that do not settle are
// an error, never a listing.
func Settled[R any](ctx context.Context, tmpl *Listing[R], pass func(context.Context, *Listing[R]) (pages int, err error)) ([]R, error) {
	var prev []string
	pages := 0
	for reading := 1; reading <= settleReadings; reading++ {
		l := &Listing[R]{What: tmpl.What, Unit: tmpl.Unit, Count: tmpl.Count, PageCount: tmpl.PageCount, Key: tmpl.Key}
		n, err := pass(ctx, l)
		if err != nil {
			return nil, err
		}
		rows, err := l.Whole()
		if err != nil {
			return nil, err
		}
		if n < 2 && reading == 1 {
			return rows, nil
		}
		pages = max(pages, n)
		if tmpl.Key == nil {
			return nil, fmt.Errorf("%s: %d pages and no key to compare two readings by (Listing.Key)", tmpl.What, n)
		}
		keys := make([]string, len(rows))
		for i, r := range rows {
			keys[i] = tmpl.Key(r)
		}
		slices.Sort(keys)
		if prev != nil && slices.Equal(keys, prev) {
			return rows, nil
		}
		prev = keys
	}
	return nil, fmt.Errorf("%s: %w: %d readings of its %d pages, no two in a row the same (rows added or deleted meanwhile move rows from page to page, one missed or read twice); nothing was concluded from it, try again",
		tmpl.What, ErrUnsettled, settleReadings, pages)
}

// settleReadings is the most readings Settled takes of a listing.
const settleReadings = 3

// ErrUnsettled is a listing that changed while it was read (Settled):
// read later, it may be whole.
var ErrUnsettled = errors.New("the listing changed while it was read")

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
	return l.of(origin, rs)
}

// of is the zone and the features of a listing.
func (l ListingReader[R]) of(origin string, rs []R) (*zone.Zone, []Feature, error) {
	z, err := l.ZoneOf(origin, rs)
	if err != nil {
		return nil, nil, err
	}
	return z, l.FeaturesOf(origin, rs), nil
}

// Guard is g as Holdings.Apply takes it: g judges the zone and the
// features of the listing Apply makes, as Read would give them (nil: no
// guard).
func (l ListingReader[R]) Guard(g Guard) func(origin string, rs []R) error {
	if g == nil {
		return nil
	}
	return func(origin string, rs []R) error {
		z, fs, err := l.of(origin, rs)
		if err != nil {
			return Reread(err)
		}
		return g(z, fs)
	}
}

// PageSizes are the page sizes an API's listing takes, Least to Most, as
// its documentation gives them (Doc, cited in the error): a page size
// outside them is refused by the API or answered with fewer rows a page
// than asked for, and no listing with it reads a zone.
type PageSizes struct {
	Least, Most int
	Doc         string
}

// Check is nil when the API takes n rows a page, else an error naming
// what (the provider) and the sizes the API takes.
func (s PageSizes) Check(what string, n int) error {
	if n < s.Least || n > s.Most {
		return fmt.Errorf("%s: %d rows a page: the API takes %d to %d (%s)", what, n, s.Least, s.Most, s.Doc)
	}
	return nil
}
