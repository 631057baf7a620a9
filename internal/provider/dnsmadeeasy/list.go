package dnsmadeeasy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// page is a listing page.
type page[T any] struct {
	TotalRecords int `json:"totalRecords"`
	TotalPages   int `json:"totalPages"`
	Page         int `json:"page"`
	Data         []T `json:"data"`
}

// list reads every record of the domain, page by page (pages).
func (p *Provider) list(ctx context.Context, origin string) (domain, []record, error) {
	d, err := p.zones.Find(ctx, origin)
	if err != nil {
		return d, nil, err
	}
	l := provider.Listing[record]{What: "dnsmadeeasy: zone " + origin + ": list records", Unit: "records", Count: "totalRecords",
		Key: func(r record) string { return "record " + label(r) }}
	rs, err := pages(ctx, p, fmt.Sprintf("dns/managed/%d/records", d.ID), &l)
	return d, rs, err
}

// pages reads a listing page by page and checks it against the
// totalRecords the API reports: a listing that comes back short (or
// changes its total on the way) is an error, never a smaller one. Pages
// are asked for from 0 and followed in the numbering the server answers
// with ("page"): the V2.0 document's paging text could not be consulted,
// and the check makes either convention safe: a page read twice is seen
// twice (duplicate keys), a page skipped leaves the count short. Pages
// are asked by number, so a record deleted on a page already read with
// another added keeps totalRecords and is missed: a listing of more
// pages than one is read until two readings agree (provider.Settled).
func pages[T any](ctx context.Context, p *Provider, path string, l *provider.Listing[T]) ([]T, error) {
	return provider.Settled(ctx, l, func(ctx context.Context, l *provider.Listing[T]) (int, error) {
		read := 0
		for n, i := 0, 0; ; i++ {
			var pg page[T]
			q := url.Values{"page": {strconv.Itoa(n)}, "rows": {strconv.Itoa(p.pageSize)}}
			if _, err := p.call(ctx, http.MethodGet, path, q, nil, &pg); err != nil {
				return 0, fmt.Errorf("%s (page %d): %w", l.What, n, err)
			}
			read++
			if err := l.Page(pg.Page, pg.Data, provider.PageInfo{Total: pg.TotalRecords}); err != nil {
				return 0, err
			}
			if l.Len() >= pg.TotalRecords || len(pg.Data) == 0 || i > pg.TotalPages {
				break
			}
			n = max(pg.Page, n) + 1
		}
		return read, nil
	})
}
