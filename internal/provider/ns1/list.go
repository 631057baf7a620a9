package ns1

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// zone reads the zone with every record summary, page by page (the Link
// header's rel="next").
func (p *Provider) zone(ctx context.Context, origin string) (*nsdns.Zone, error) {
	origin = zone.CanonicalName(origin)
	path := "zones/" + url.PathEscape(provider.APIName(origin))
	if p.pageSize > 0 {
		path += "?limit=" + strconv.Itoa(p.pageSize)
	}
	l := provider.Listing[*nsdns.ZoneRecord]{What: "ns1: zone " + origin, Unit: "records", Key: func(r *nsdns.ZoneRecord) string {
		return fmt.Sprintf("record %s %s (id %s)", r.Domain, r.Type, r.ID)
	}}
	z, recs, err := linked(ctx, p, &l, path, func(z *nsdns.Zone) []*nsdns.ZoneRecord { return z.Records })
	if err != nil {
		return nil, err
	}
	z.Records = recs
	if provider.FQDN(z.Zone) != origin {
		return nil, fmt.Errorf("ns1: zone %s: %w (the API answered for %q)", origin, provider.ErrZoneNotFound, z.Zone)
	}
	if z.Link != nil && *z.Link != "" {
		// ns1-go, Zone.LinkTo: a linked zone reuses the records of the
		// zone it links to and "cannot have records added".
		return nil, fmt.Errorf("ns1: zone %s is linked to %s at NS1: it serves that zone's records, and NS1 takes no records in a linked zone; push to zone %s (or unlink the zone in NS1); nothing was sent",
			origin, provider.FQDN(*z.Link), provider.FQDN(*z.Link))
	}
	why := secondary(origin, &z)
	p.mu.Lock()
	if p.secondaries == nil {
		p.secondaries = map[string]string{}
	}
	p.secondaries[origin] = why
	p.mu.Unlock()
	return &z, nil
}

// secondary says why NS1 takes no record changes to the zone z: a
// secondary zone (ns1-go: "secondary" {"enabled": true, "primary_ip"},
// "for slaving the zone to a primary dns server") is "a read-only copy of
// the zone data that is kept updated by recurring zone transfers from the
// primary name servers" (IBM NS1 Connect, "Creating a secondary zone").
// "" for a primary zone.
func secondary(origin string, z *nsdns.Zone) string {
	if z.Secondary == nil || !z.Secondary.Enabled {
		return ""
	}
	from := "its primary"
	if z.Secondary.PrimaryIP != "" {
		from = "its primary " + net.JoinHostPort(z.Secondary.PrimaryIP, strconv.Itoa(cmp.Or(z.Secondary.PrimaryPort, 53)))
	}
	return fmt.Sprintf("NS1 holds zone %s as a secondary zone, a read-only copy kept by zone transfers from %s: push to the primary instead (or make the zone a primary one in NS1)", origin, from)
}

// linked reads a listing NS1 pages by the Link header (rel="next"), from
// path, whole into l: each page decoded as a P, its entries (entries);
// first is the first page (a zone's fields beside its records). NS1 says
// no total and no page size; what can be checked is checked (l: a page
// with a next one holds as many entries as the first, none more, no
// entry twice): a short page is an error, never a smaller listing.
func linked[P, T any](ctx context.Context, p *Provider, l *provider.Listing[T], path string, entries func(*P) []T) (first P, all []T, err error) {
	for page := 1; path != ""; page++ {
		var part P
		_, h, err := p.call(ctx, http.MethodGet, path, nil, &part)
		if err != nil {
			return first, nil, fmt.Errorf("%s (page %d): %w", l.What, page, err)
		}
		es := entries(&part)
		next, err := p.next(h.Get("Link"), path)
		if err != nil {
			return first, nil, fmt.Errorf("%s (page %d): %w", l.What, page, err)
		}
		if page == 1 {
			first = part
		}
		if err := l.Page(page, es, provider.PageInfo{Full: provider.AsFirst, More: next != ""}); err != nil {
			return first, nil, err
		}
		path = next
	}
	all, _ = l.Whole() // no total to check it against
	return first, all, nil
}

// next is the URL of the page after the one read from path, its answer's
// Link header being link: the target of rel="next" ("" when there is
// none: the last page). A target is a URI-Reference, a relative one
// resolved against the URL of the page it came with (RFC 8288, section
// 3.1; RFC 3986, section 5), and a relation type a token, quoted or not
// (RFC 8288, section 3.3). ns1-go's ParseLink is not used: it keeps only
// an absolute URI or path (url.ParseRequestURI) and gives no next page
// for "<example.com?after=…>", so a listing ended there, read in part;
// and it panics on an unquoted rel=next. An http target is followed as
// https when the API is (as ParseLink does: ns1-go, "See PLAT-188").
func (p *Provider) next(link, path string) (string, error) {
	m := nextLink.FindStringSubmatch(link)
	if m == nil {
		return "", nil
	}
	ref, err := url.Parse(strings.TrimSpace(m[1]))
	if err != nil {
		return "", fmt.Errorf("the Link header's next page %q cannot be read: %w", m[1], err)
	}
	page, err := url.Parse(path)
	if err != nil {
		return "", fmt.Errorf("page %q: %w", path, err)
	}
	u := p.client.Endpoint.ResolveReference(page).ResolveReference(ref)
	if p.https && u.Scheme == "http" {
		u.Scheme = "https"
	}
	return u.String(), nil
}

// nextLink finds a Link header's link-value whose rel holds "next"
// (rel="next", rel=next, or among several relation types), its target in
// the first group.
var nextLink = regexp.MustCompile(`(?i)<([^>]*)>[^,<]*;\s*rel\s*=\s*(?:"(?:[^"]*\s)?next(?:\s[^"]*)?"|next\b)`)

// Records lists the zone from its record summaries. ALIAS, URLFWD,
// REDIRECT and linked records have no zone-file form, and a record with an answer
// dnsparity cannot read has none it knows: they are left out and
// reported by Features. A record with a filter chain is listed with all its
// answers (what it answers without filters).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, err
	}
	return records(origin, z)
}

func records(origin string, z *nsdns.Zone) (*zone.Zone, error) {
	var rrs []dns.RR
	// The zone's SOA fields, as NS1 serves them.
	if len(z.DNSServers) > 0 && z.Hostmaster != "" {
		mbox := strings.Replace(z.Hostmaster, "@", ".", 1)
		soa := fmt.Sprintf("%s %d IN SOA %s %s %d %d %d %d %d", origin, z.TTL, provider.FQDN(z.DNSServers[0]), provider.FQDN(mbox), z.Serial, z.Refresh, z.Retry, z.Expiry, z.NxTTL)
		if rr, err := dns.NewRR(soa); err == nil {
			rrs = append(rrs, rr)
		}
	}
	for _, r := range z.Records {
		if omitted(r) {
			continue
		}
		got, err := answers(r)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, got...)
	}
	out, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("ns1: zone %s: %w", origin, err)
	}
	return out, nil
}

// answers reads every answer of a record (an NS1 record is an RRset): an
// answer it cannot read makes the whole record unreadable, so no plan
// replaces or deletes the answers it could read along with it.
func answers(r *nsdns.ZoneRecord) ([]dns.RR, error) {
	out := make([]dns.RR, 0, len(r.ShortAns))
	for _, a := range r.ShortAns {
		rr, err := toRR(r.Domain, r.Type, r.TTL, a)
		if err != nil {
			return nil, err
		}
		out = append(out, rr)
	}
	return out, nil
}
