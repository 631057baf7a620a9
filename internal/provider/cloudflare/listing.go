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
// total_pages, count): a listing that comes back short is an error, never
// a smaller zone.
func (p *Provider) list(ctx context.Context, origin string) (apiZone, []record, error) {
	z, err := p.zones.Find(ctx, origin)
	if err != nil {
		return z, nil, err
	}
	params := cfdns.RecordListParams{}
	params.ZoneID.Value, params.ZoneID.Present = z.ID, true
	what := "GET zones/" + z.ID + "/dns_records"
	l := provider.Listing[record]{What: "cloudflare: zone " + origin + ": list records", Unit: "records", Count: "result_info.total_count"}
	for page := 1; ; page++ {
		var rs []record
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(p.pageSize)}}
		env, err := p.call(ctx, true, what, &rs, func(opts ...option.RequestOption) error {
			_, err := p.records.List(ctx, params, append(query(q), opts...)...)
			return err
		})
		if err != nil {
			return z, nil, fmt.Errorf("cloudflare: zone %s: list records (page %d): %w", origin, page, err)
		}
		ri := env.ResultInfo
		if ri == nil {
			return z, nil, fmt.Errorf("cloudflare: zone %s: list records (page %d): the answer has no result_info: cannot tell whether the listing is whole", origin, page)
		}
		if err := l.Add(page, rs, ri.TotalCount); err != nil {
			return z, nil, err
		}
		if page >= ri.TotalPages || len(rs) == 0 {
			break
		}
	}
	out, err := l.Whole()
	return z, out, err
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
	return z, nil
}
