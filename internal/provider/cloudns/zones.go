package cloudns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// zone checks that the account holds the zone, once per zone.
func (p *Provider) zone(ctx context.Context, origin string) error {
	_, err := p.zones.Find(ctx, origin)
	return err
}

// zoneInfo is the zone's name as get-zone-info answers it (ClouDNS has
// no zone ids). A slave zone is refused: ClouDNS fills it by zone
// transfers from its master servers, and lists, adds, changes and
// imports records of master zones only ("This function is available
// only for master zones": API help, articles 57, 58, 60, 156).
func (p *Provider) zoneInfo(ctx context.Context, origin string) (string, error) {
	var info zoneRow
	_, err := p.call(ctx, "/dns/get-zone-info.json", url.Values{"domain-name": {apiName(origin)}}, false, &info)
	var ae *apiError
	if errors.As(err, &ae) {
		return "", fmt.Errorf("cloudns: zone %s: %w (%s)", origin, provider.ErrZoneNotFound, ae.text)
	}
	if err != nil {
		return "", fmt.Errorf("cloudns: zone %s: %w", origin, err)
	}
	return master(origin, info)
}

// master is the zone of origin as the API shows it (get-zone-info, or a
// row of list-zones): its name, unless it is another's or a slave zone.
func master(origin string, info zoneRow) (string, error) {
	if provider.FQDN(info.Name) != origin {
		return "", fmt.Errorf("cloudns: zone %s: %w (the API answered for %q)", origin, provider.ErrZoneNotFound, info.Name)
	}
	if strings.EqualFold(info.Type, "slave") {
		return "", fmt.Errorf("cloudns: zone %s is a slave zone at ClouDNS: its records come by zone transfer from its master servers, and ClouDNS lists and changes records of master zones only: push to its master (or make it a master zone at ClouDNS); nothing was sent", origin)
	}
	return info.Name, nil
}

// SubZones lists the account's zones strictly below origin
// (provider.SubZoneLister): "List zones" (www.cloudns.net/wiki/article/50/,
// dns/list-zones.json, paged: rows-per-page 10 to 100, the pages counted
// by get-pages-count.json for the same rows and search; search: "keyword
// to search for in the zone names", here the zone's name, which every
// name below it holds). ClouDNS answers every zone of an account from the
// same name servers (its apex NS records: ns1 to ns4.cloudns.net, or the
// premium pns ones), and no ClouDNS page says that a zone below another
// one is kept from its parent's servers (as Route 53 and Cloudflare say of
// theirs): a server holding both answers a name below the sub-zone from it
// (RFC 1034, section 4.3.2, step 2: the zone nearest the name), with or
// without a delegation in the parent. In doubt it counts: a zone reported
// that is not served costs a look, a zone served and not reported loses
// its names at the move. Every page but the last must be full and the
// last not empty, as for records.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	origin = zone.CanonicalName(origin)
	l := provider.Listing[zoneRow]{What: "cloudns: list zones", Unit: "zones", Key: func(z zoneRow) string { return "zone " + z.Name }}
	zs, err := readPages(ctx, p, &l, "/dns/get-pages-count.json", "/dns/list-zones.json", url.Values{"search": {apiName(origin)}}, zonesAnswer)
	if err != nil {
		return nil, err
	}
	return provider.Below(origin, provider.Names(zs, func(z zoneRow) string { return z.Name })), nil
}

// ZoneNames lists the account's zones for a "did you mean"
// (provider.ZoneLister): the first page of list-zones.json at its most
// rows (100), one request; an account with more zones is suggested from
// among those.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	page, err := p.zonesPage(ctx, url.Values{"page": {"1"}, "rows-per-page": {"100"}})
	if err != nil {
		return nil, fmt.Errorf("cloudns: list zones: %w", err)
	}
	return provider.Listed(page, func(z zoneRow) string { return z.Name }), nil
}

// zoneRow is a zone as list-zones.json lists it, and get-zone-info
// shows it (the fields read).
type zoneRow struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// allZones lists every zone of the account (provider.Zones.All): every
// page of list-zones.json without search, counted by get-pages-count,
// read until two readings agree; a zone is then found by its row as
// get-zone-info would show it (master).
func (p *Provider) allZones(ctx context.Context) (func(ctx context.Context, origin string) (string, error), error) {
	zs, err := p.everyZone(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]zoneRow, len(zs))
	for _, z := range zs {
		byName[zone.CanonicalName(provider.FQDN(z.Name))] = z
	}
	return func(_ context.Context, origin string) (string, error) {
		z, ok := byName[origin]
		if !ok {
			return "", fmt.Errorf("cloudns: zone %s: %w (not in list-zones)", origin, provider.ErrZoneNotFound)
		}
		return master(origin, z)
	}, nil
}

// everyZone is every zone of the account: every page of list-zones.json
// without search, counted by get-pages-count, read until two readings
// agree.
func (p *Provider) everyZone(ctx context.Context) ([]zoneRow, error) {
	l := provider.Listing[zoneRow]{What: "cloudns: list zones", Unit: "zones", Key: func(z zoneRow) string { return "zone " + z.Name }}
	return readPages(ctx, p, &l, "/dns/get-pages-count.json", "/dns/list-zones.json", nil, zonesAnswer)
}

// AccountZones lists every zone of the account (provider.AccountLister):
// every page of list-zones.json (everyZone), canonical.
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	return provider.ZonesOf(p.everyZone, func(z zoneRow) string { return z.Name }).AccountZones(ctx)
}

// allZonesCost is the requests allZones takes (provider.Zones.AllCost):
// get-pages-count's pages of the zone list, and the count itself, each
// reading.
func (p *Provider) allZonesCost(ctx context.Context) (int, error) {
	var n int
	if _, err := p.call(ctx, "/dns/get-pages-count.json", url.Values{"rows-per-page": {strconv.Itoa(p.pageSize)}}, false, &n); err != nil {
		return 0, fmt.Errorf("cloudns: list zones: count of pages: %w", err)
	}
	return provider.SettledCost(n, 1), nil
}

// ExpectZones tells the zone lookups how many zones a run will read
// (provider.ZonesAhead): more than list-zones takes requests, and the
// account's zones are listed once.
func (p *Provider) ExpectZones(n int) { p.zones.Expect(n) }

// zonesPage is one page of list-zones.json for q (page, rows-per-page,
// search).
func (p *Provider) zonesPage(ctx context.Context, q url.Values) ([]zoneRow, error) {
	var raw json.RawMessage
	if _, err := p.call(ctx, "/dns/list-zones.json", q, false, &raw); err != nil {
		return nil, err
	}
	return zonesAnswer(raw)
}

// zonesAnswer reads a page of list-zones.json: ClouDNS answers {} rather
// than [] when it finds no zone.
func zonesAnswer(raw json.RawMessage) ([]zoneRow, error) {
	var page []zoneRow
	if err := json.Unmarshal(raw, &page); err != nil {
		var none map[string]any
		if json.Unmarshal(raw, &none) != nil || len(none) != 0 {
			return nil, fmt.Errorf("bad answer: %w", err)
		}
	}
	return page, nil
}

// ZoneListAccess: ClouDNS's list-zones lists what the API user may
// manage (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "dns/list-zones.json lists the zones the API user may manage: an API sub-user (sub_auth_id) sees only the zones delegated to it; in ClouDNS's control panel (API & Resellers → API users) delegate to the sub-user every zone below this one, or use the main API user (auth_id)"
}

// ZoneListPartial: an API sub-user lists only the zones delegated to it.
func (p *Provider) ZoneListPartial() string {
	if p.authKey != "sub-auth-id" {
		return ""
	}
	return "the credentials are an API sub-user's (sub_auth_id), which ClouDNS lets list only the zones delegated to it: a zone of the account below this one that is not delegated to it is not seen here, and its servers answer for it all the same; delegate every such zone to the sub-user (API & Resellers → API users), or use the main API user (auth_id)"
}

// Nameservers are the configured ones, else the zone's apex NS (ClouDNS
// lists its own nameservers as NS records).
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}
