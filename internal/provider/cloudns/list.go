package cloudns

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// list reads every record of the zone, page by page: the number of pages
// from get-records-pages-count (records, not zones: get-pages-count counts
// pages of the zone list), then records.json for each (pages.read).
func (p *Provider) list(ctx context.Context, origin string) ([]record, error) {
	if err := p.zone(ctx, origin); err != nil {
		return nil, err
	}
	p.askTTLs(ctx, origin)
	return pages[record]{
		count:    "/dns/get-records-pages-count.json",
		list:     "/dns/records.json",
		query:    url.Values{"domain-name": {apiName(origin)}},
		what:     "cloudns: zone " + origin + ": list records",
		counting: "cloudns: zone " + origin + ": count pages of records",
		unit:     "record",
		units:    "records",
		changed:  "the zone changed",
		decode:   recordsAnswer,
	}.read(ctx, p)
}

// recordsAnswer reads a page of records.json: an object keyed by record
// id (an empty page is []), its records in the order of their ids.
func recordsAnswer(raw json.RawMessage) ([]record, error) {
	var m map[string]record
	if err := json.Unmarshal(raw, &m); err != nil {
		var empty []record
		if json.Unmarshal(raw, &empty) != nil || len(empty) != 0 {
			return nil, fmt.Errorf("bad answer: %w", err)
		}
	}
	page := make([]record, 0, len(m))
	for _, r := range m {
		page = append(page, r)
	}
	sort.Slice(page, func(i, j int) bool { return page[i].ID < page[j].ID })
	return page, nil
}

// pages is one of ClouDNS's paged listings (records.json, list-zones.json):
// the number of pages from one call (count) for the query and
// rows-per-page, then each page (list, the same with page). Every page
// but the last must be full and the last must not be empty, else the
// listing is short (what it lists changed meanwhile, or the API lost rows)
// and is an error: a smaller zone would make push create what exists and
// import drop records; fewer zones would hide a zone below another.
type pages[T any] struct {
	// count and list are the paths of the page count and of a page.
	count, list string
	// query says what is listed (domain-name, search); rows-per-page
	// and page are added.
	query url.Values
	// what names the listing in its errors, counting its page count.
	what, counting string
	// unit and units are what a page holds (one, several); changed is
	// what would have made a listing short.
	unit, units, changed string
	// key names a row, for the check that none comes twice (nil: no
	// check).
	key func(T) string
	// decode reads a page's answer; its errors are quoted after the
	// page's number.
	decode func(json.RawMessage) ([]T, error)
}

// read reads every page of the listing, in order.
func (l pages[T]) read(ctx context.Context, p *Provider) ([]T, error) {
	q := url.Values{"rows-per-page": {strconv.Itoa(p.pageSize)}}
	for k, v := range l.query {
		q[k] = v
	}
	var n int
	if _, err := p.call(ctx, l.count, q, false, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", l.counting, err)
	}
	all := provider.Listing[T]{What: l.what, Key: l.key}
	for i := 1; i <= n; i++ {
		pq := url.Values{"page": {strconv.Itoa(i)}}
		for k, v := range q {
			pq[k] = v
		}
		var raw json.RawMessage
		_, err := p.call(ctx, l.list, pq, false, &raw)
		var page []T
		if err == nil {
			page, err = l.decode(raw)
		}
		if err != nil {
			return nil, fmt.Errorf("%s (page %d of %d): %w", l.what, i, n, err)
		}
		if len(page) > p.pageSize || (i < n && len(page) != p.pageSize) || (i == n && len(page) == 0) {
			return nil, fmt.Errorf("%s: page %d of %d holds %s at %d per page: the listing is incomplete (%s while it was read?); nothing was concluded from it, try again", l.what, i, n, plural.N(len(page), l.unit, l.units), p.pageSize, l.changed)
		}
		if err := all.Add(i, page, -1); err != nil {
			return nil, err
		}
	}
	return all.Whole()
}
