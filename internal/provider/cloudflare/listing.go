package cloudflare

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// list reads every record of the zone, page by page, and checks the
// listing against the result_info the API sends (total_count,
// total_pages, count) and for a record that comes twice (its id): a
// listing that comes back short is an error, never a smaller zone.
func (p *Provider) list(ctx context.Context, origin string) (apiZone, []record, error) {
	z, err := p.zones.Find(ctx, origin)
	if err != nil {
		return z, nil, err
	}
	params := cfdns.RecordListParams{}
	params.ZoneID.Value, params.ZoneID.Present = z.ID, true
	l := provider.Listing[record]{What: "cloudflare: zone " + origin + ": list records", Unit: "records", Count: "result_info.total_count",
		Key: func(r record) string { return "record " + r.ID }} // a record shifted onto a second page leaves the count whole
	out, err := readPages(ctx, p, &l, "GET zones/"+z.ID+"/dns_records", nil, p.pageSize, func(opts ...option.RequestOption) error {
		_, err := p.records.List(ctx, params, opts...)
		return err
	})
	return z, out, err
}

// readPages reads one of Cloudflare's paged listings whole into l: what
// names the call, q its own query (page and per_page, perPage, are
// added), list sends it. Page after page until result_info.total_pages
// or an empty page (as the SDK's pager stops), each page holding the rows
// its result_info.count says (l.PageCount is set here); when l names it
// (l.Count), result_info.total_count is the count of the whole listing,
// which must not change and must be read (a listing filtered by name is
// not counted so: see zoneByName). l checks each page against its
// result_info: a listing read short is an error, never a smaller one.
// Pages are asked by number, so a row deleted on a page already read with
// another added keeps every count and is missed: a listing of more pages
// than one is read until two readings agree (provider.Settled).
func readPages[T any](ctx context.Context, p *Provider, l *provider.Listing[T], what string, q url.Values, perPage int, list func(opts ...option.RequestOption) error) ([]T, error) {
	l.PageCount = "result_info.count"
	return provider.Settled(ctx, l, func(ctx context.Context, l *provider.Listing[T]) (int, error) {
		page := 1
		for ; ; page++ {
			var rs []T
			pq := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}}
			for k, v := range q {
				pq[k] = v
			}
			env, err := p.call(ctx, true, what, &rs, func(opts ...option.RequestOption) error {
				return list(append(query(pq), opts...)...)
			})
			if err != nil {
				return 0, fmt.Errorf("%s (page %d): %w", l.What, page, err)
			}
			ri := env.ResultInfo
			if ri == nil {
				return 0, fmt.Errorf("%s (page %d): the answer has no result_info: cannot tell whether the listing is whole", l.What, page)
			}
			if err := l.Page(page, rs, provider.PageInfo{Total: ri.TotalCount, Count: ri.Count, Of: ri.TotalPages}); err != nil {
				return 0, err
			}
			if page >= ri.TotalPages || len(rs) == 0 {
				break
			}
		}
		return page, nil
	})
}

// omitted reports whether a record has no zone-file form in origin: a
// CNAME at the apex (Cloudflare flattens it).
func omitted(origin string, r record) bool {
	return r.Type == "CNAME" && provider.FQDN(r.Name) == origin
}

// zoneOf is the zone in its listing.
func (p *Provider) zoneOf(origin string, rs []record) (*zone.Zone, error) {
	rrs := make([]dns.RR, 0, len(rs))
	for _, r := range rs {
		if omitted(origin, r) {
			continue
		}
		rr, err := toRR(r)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, rr)
		if isProxied(r) {
			p.mu.Lock()
			p.proxied[zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}] = true
			p.mu.Unlock()
		}
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("cloudflare: zone %s: %w", origin, err)
	}
	held := map[string]map[uint16]heldSet{}
	for _, set := range z.Sets {
		if held[set.Name] == nil {
			held[set.Name] = map[uint16]heldSet{}
		}
		held[set.Name][set.Type] = heldSet{n: len(set.Records), sum: set.Digest()}
	}
	p.mu.Lock()
	p.held[z.Origin] = held
	p.mu.Unlock()
	return z, nil
}

// recordsPerPage is the per_page of the records listing: a zone of up to
// this many records is one answer, whole at one instant, which stands as
// read; a longer one is read twice or more (provider.Settled), each page
// a request of the account's 1,200 per 5 minutes. List DNS Records takes
// up to 5e+06 (the OpenAPI schema dns-records_per_page, which cftest
// enforces); 5,000 keeps an answer to a few megabytes (TestListingRequests).
const recordsPerPage = 5000
