package cloudns

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"

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
	l := provider.Listing[record]{What: "cloudns: zone " + origin + ": list records", Unit: "records", Key: func(r record) string { return "record " + r.ID }}
	return readPages(ctx, p, &l, "/dns/get-records-pages-count.json", "/dns/records.json", url.Values{"domain-name": {apiName(origin)}}, recordsAnswer)
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

// readPages reads one of ClouDNS's paged listings (records.json,
// list-zones.json) whole into l: the number of pages from count for query
// and rows-per-page, then each page of list (the same with page), read by
// decode. l checks each page against the count of pages and the rows a
// page holds: every page but the last must be full and the last must not
// be empty, else the listing is short (what it lists changed meanwhile,
// or the API lost rows) and is an error: a smaller zone would make push
// create what exists and import drop records; fewer zones would hide a
// zone below another. ClouDNS pages by number and counts no rows, so a
// row deleted on a page already read (and another added) would go
// unseen: a listing of more pages than one is read until two readings
// agree (provider.Settled).
func readPages[T any](ctx context.Context, p *Provider, l *provider.Listing[T], count, list string, query url.Values, decode func(json.RawMessage) ([]T, error)) ([]T, error) {
	q := url.Values{"rows-per-page": {strconv.Itoa(p.pageSize)}}
	for k, v := range query {
		q[k] = v
	}
	return provider.Settled(ctx, l, func(ctx context.Context, l *provider.Listing[T]) (int, error) {
		var n int
		if _, err := p.call(ctx, count, q, false, &n); err != nil {
			return 0, fmt.Errorf("%s: count of pages: %w", l.What, err)
		}
		for i := 1; i <= n; i++ {
			pq := url.Values{"page": {strconv.Itoa(i)}}
			for k, v := range q {
				pq[k] = v
			}
			var raw json.RawMessage
			_, err := p.call(ctx, list, pq, false, &raw)
			var page []T
			if err == nil {
				page, err = decode(raw)
			}
			if err != nil {
				return 0, fmt.Errorf("%s (page %d of %d): %w", l.What, i, n, err)
			}
			if err := l.Page(i, page, provider.PageInfo{Of: n, Full: p.pageSize, More: i < n}); err != nil {
				return 0, err
			}
		}
		return n, nil
	})
}
