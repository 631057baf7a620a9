package cloudflare

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// apiZone is a zone as GET /zones shows it.
type apiZone struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Status      string   `json:"status"`
	NameServers []string `json:"name_servers"`
	// Plan is the zone's plan: its legacy_id ("free", "pro", "business",
	// "enterprise"; cloudflare-go v6 zones.ZonePlan, LegacyID) sets the
	// least TTL its records take (zoneTTL).
	Plan struct {
		LegacyID string `json:"legacy_id"`
	} `json:"plan"`
}

// zoneByID reads the configured zone: GET /zones/{zone_id}.
func (p *Provider) zoneByID(ctx context.Context, id string) (apiZone, error) {
	var z apiZone
	params := zones.ZoneGetParams{}
	params.ZoneID.Value, params.ZoneID.Present = id, true
	if _, err := p.call(ctx, true, "GET zones/"+id, &z, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.Get(ctx, params, opts...)
		return err
	}); err != nil {
		return z, fmt.Errorf("cloudflare: zone_id %s: %w", id, err)
	}
	return z, nil
}

// zoneByName finds the zone: every page of GET /zones?name= (readPages,
// 50 zones a page), no zone twice. Its total_count is not checked:
// Cloudflare's schema describes it as the "total results available
// without any search parameters", and a total of the account's zones
// would refuse every lookup by name in an account of more than one. A
// token may see several zones of one name (the same domain added to
// several accounts, one active, others pending or moved), each on name
// servers of its own: the zone is the one provider.Zones.Choose chooses
// (the one whose name_servers are the configured delegation's, else the
// one active zone; else an error naming each, for zone_id to choose)
// among all of them.
func (p *Provider) zoneByName(ctx context.Context, origin string) (apiZone, error) {
	l := provider.Listing[apiZone]{What: "cloudflare: find zone " + origin, Unit: "zones", Key: func(z apiZone) string {
		return "zone " + redact.Name(redact.ServerText(ctx, z.ID, p.token)) // as Choose names it
	}}
	q := url.Values{"name": {provider.APIName(origin)}}
	zs, err := readPages(ctx, p, &l, "GET zones", q, zonesPerPage, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.List(ctx, zones.ZoneListParams{}, opts...)
		return err
	})
	if err != nil {
		return apiZone{}, err
	}
	return p.choose(ctx, origin, zs)
}

// choose is the zone of origin among zs (provider.Zones.Choose): those a
// lookup by name found, or every zone of the account.
func (p *Provider) choose(ctx context.Context, origin string, zs []apiZone) (apiZone, error) {
	cands := make([]provider.ZoneCandidate, len(zs))
	for i, z := range zs {
		cands[i] = provider.ZoneCandidate{ID: z.ID, Name: z.Name, Servers: z.NameServers, State: z.Status, Active: z.Status == "active"}
	}
	c, err := p.zones.Choose(ctx, origin, cands, p.token)
	if err != nil {
		return apiZone{}, err
	}
	return zs[slices.IndexFunc(zs, func(z apiZone) bool { return z.ID == c.ID })], nil
}

// allZones lists every zone the token sees (provider.Zones.All): every
// page of GET /zones, 50 a page, counted by result_info.total_count
// (without search parameters, the account's zones), read until two
// readings agree; a zone is then chosen among those of its name, as
// zoneByName chooses it among what GET /zones?name= finds.
func (p *Provider) allZones(ctx context.Context) (func(ctx context.Context, origin string) (apiZone, error), error) {
	zs, err := p.everyZone(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string][]apiZone{}
	for _, z := range zs {
		n := zone.CanonicalName(provider.FQDN(z.Name))
		byName[n] = append(byName[n], z)
	}
	return func(ctx context.Context, origin string) (apiZone, error) {
		return p.choose(ctx, origin, byName[origin])
	}, nil
}

// everyZone is every zone the token sees: every page of GET /zones, 50
// a page, counted by result_info.total_count, read until two readings
// agree.
func (p *Provider) everyZone(ctx context.Context) ([]apiZone, error) {
	l := provider.Listing[apiZone]{What: "cloudflare: list zones", Unit: "zones", Count: "result_info.total_count", Key: func(z apiZone) string {
		return "zone " + redact.Name(redact.ServerText(ctx, z.ID, p.token))
	}}
	return readPages(ctx, p, &l, "GET zones", nil, zonesPerPage, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.List(ctx, zones.ZoneListParams{}, opts...)
		return err
	})
}

// AccountZones lists every zone the token sees (provider.AccountLister):
// every page of GET /zones (everyZone), canonical. A token scoped to
// some zones sees only those: the account's other zones are not listed
// (List Zones, developers.cloudflare.com/api/resources/zones/methods/list/:
// "Lists, searches, sorts, and filters your zones" the token may read).
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	return provider.ZonesOf(p.everyZone, func(z apiZone) string { return z.Name }).AccountZones(ctx)
}

// allZonesCost is the requests allZones takes (provider.Zones.AllCost),
// from the first page of GET /zones: its result_info.total_pages.
func (p *Provider) allZonesCost(ctx context.Context) (int, error) {
	_, ri, err := p.firstZones(ctx)
	if err != nil {
		return 0, err
	}
	if ri == nil {
		return 0, fmt.Errorf("cloudflare: list zones: the answer has no result_info")
	}
	return provider.SettledCost(ri.TotalPages, 0), nil
}

// ZoneNames lists the zones the token sees from one request
// (provider.ZoneLister): the first page of GET /zones, 50 zones, the most
// a page holds (List Zones: per_page "maximum: 50", developers.cloudflare.com/
// api/resources/zones/methods/list/), canonical, in the API's order
// (provider.Listed).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	zs, _, err := p.firstZones(ctx)
	if err != nil {
		return nil, err
	}
	return provider.Listed(zs, func(z apiZone) string { return z.Name }), nil
}

// firstZones is the first page of GET /zones, 50 zones, and its
// result_info.
func (p *Provider) firstZones(ctx context.Context) ([]apiZone, *resultInfo, error) {
	var zs []apiZone
	q := url.Values{"page": {"1"}, "per_page": {strconv.Itoa(zonesPerPage)}}
	env, err := p.call(ctx, true, "GET zones", &zs, func(opts ...option.RequestOption) error {
		_, err := p.zonesvc.List(ctx, zones.ZoneListParams{}, append(query(q), opts...)...)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cloudflare: list zones: %w", err)
	}
	return zs, env.ResultInfo, nil
}

// ExpectZones tells the zone lookups how many zones a run will read
// (provider.ZonesAhead): more than GET /zones takes pages, and the
// account's zones are listed once.
func (p *Provider) ExpectZones(n int) { p.zones.Expect(n) }

// zonesPerPage is the most zones a page of GET /zones holds.
const zonesPerPage = 50

// No SubZones (provider.SubZoneLister): GET /zones lists the account's
// zones, but a child zone never shares its parent's name servers: "Get
// the nameserver names for the child domain ... [they] will not be the
// same nameservers as the parent domain", and the child is active only
// once the parent holds NS records for it ("Parent domain on full setup",
// developers.cloudflare.com/dns/zone-setups/subdomain-setup/setup/
// parent-on-full/); account custom nameservers too: a subdomain zone "can
// use account custom nameservers as long as they use a different
// nameserver set (ns_set) than their parent, child, or any other zone in
// their direct hierarchy tree" (developers.cloudflare.com/dns/
// nameservers/custom-nameservers/account-custom-nameservers/). The
// parent's servers never answer from the child: its names are reached
// only through NS records in the parent, which the listing shows and the
// completeness gates count.

// Nameservers are the configured ones, else the names Cloudflare assigned
// to the zone.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return p.zones.Nameservers(ctx, origin)
}
