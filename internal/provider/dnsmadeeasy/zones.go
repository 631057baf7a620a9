package dnsmadeeasy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// domain is a managed domain as the API shows it.
type domain struct {
	ID                  int          `json:"id"`
	Name                string       `json:"name"`
	NameServers         []nameServer `json:"nameServers"`
	DelegateNameServers []string     `json:"delegateNameServers"`
	GtdEnabled          bool         `json:"gtdEnabled"`
}

type nameServer struct {
	FQDN string `json:"fqdn"`
	IPv4 string `json:"ipv4,omitempty"`
	IPv6 string `json:"ipv6,omitempty"`
}

// zoneByID reads the configured domain: GET /dns/managed/{id}.
func (p *Provider) zoneByID(ctx context.Context, id string) (domain, error) {
	var d domain
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/"+url.PathEscape(id), nil, nil, &d); err != nil {
		return d, fmt.Errorf("dnsmadeeasy: zone_id %s: %w", id, zoneErr(err))
	}
	return d, nil
}

// zoneByName finds the domain: GET /dns/managed/name?domainname=.
func (p *Provider) zoneByName(ctx context.Context, origin string) (domain, error) {
	var d domain
	q := url.Values{"domainname": {apiName(origin)}}
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/name", q, nil, &d); err != nil {
		return d, fmt.Errorf("dnsmadeeasy: find domain %s: %w", origin, zoneErr(err))
	}
	if provider.FQDN(d.Name) != origin || d.ID == 0 {
		return d, fmt.Errorf("dnsmadeeasy: domain %s: %w", origin, provider.ErrZoneNotFound)
	}
	return d, nil
}

// servers are the domain's assigned (vanity or system) name servers, else
// the ones it is delegated to.
func (d domain) servers() []string {
	var out []string
	for _, n := range d.NameServers {
		out = append(out, n.FQDN)
	}
	if len(out) == 0 {
		out = d.DelegateNameServers
	}
	return out
}

// zoneErr makes a 404 of a zone lookup ErrZoneNotFound.
func zoneErr(err error) error {
	if errors.Is(err, errNotFound) {
		return fmt.Errorf("%w (%v)", provider.ErrZoneNotFound, err)
	}
	return err
}

// SubZones lists the account's domains strictly below origin
// (provider.SubZoneLister): GET /dns/managed/ ("Managed DNS", API V2.0
// documentation: every managed domain of the account, paged as a
// domain's records are, totalRecords counting them). Every domain of an
// account is answered by DNS Made Easy's name servers (the system ones,
// ns0 to ns4.dnsmadeeasy.com, or the account's vanity ones: the domain's
// nameServers), and no DNS Made Easy page says that a domain below
// another one is kept from its parent's servers (as Route 53 and
// Cloudflare say of theirs): a server holding both answers a name below
// the sub-domain from it (RFC 1034, section 4.3.2, step 2: the zone
// nearest the name), with or without a delegation in the parent. In
// doubt it counts: a zone reported that is not served costs a look, a
// zone served and not reported loses its names at the move.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allDomains).SubZones(ctx, origin)
}

// AccountZones lists every zone of the account (GET /dns/managed/, every page;
// provider.AccountLister), canonical.
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	return provider.AllZones(p.allDomains).AccountZones(ctx)
}

// ZoneNames lists the account's domains for a "did you mean"
// (provider.ZoneLister): the first page of GET /dns/managed/, at most
// provider.MaxListedZones rows, one request (DNS Made Easy allows 150
// requests in 5 minutes: a suggestion is not worth reading every page of
// a large account).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	var pg page[domain]
	q := url.Values{"page": {"0"}, "rows": {strconv.Itoa(min(p.pageSize, provider.MaxListedZones))}}
	if _, err := p.call(ctx, http.MethodGet, "dns/managed/", q, nil, &pg); err != nil {
		return nil, fmt.Errorf("dnsmadeeasy: list domains: %w", err)
	}
	return provider.Listed(pg.Data, func(d domain) string { return d.Name }), nil
}

// allDomains is every managed domain of the account (GET /dns/managed/,
// every page, checked by totalRecords).
func (p *Provider) allDomains(ctx context.Context) ([]string, error) {
	l := provider.Listing[domain]{What: "dnsmadeeasy: list domains", Unit: "domains", Count: "totalRecords",
		Key: func(d domain) string { return fmt.Sprintf("domain %s (id %d)", d.Name, d.ID) }}
	ds, err := pages(ctx, p, "dns/managed/", &l)
	if err != nil {
		return nil, err
	}
	return provider.Names(ds, func(d domain) string { return d.Name }), nil
}

// ZoneListAccess: DNS Made Easy lists the domains the API key's user may
// see (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /dns/managed/ lists the domains the API key pair's user may see: a user limited to some folders or domains cannot see the others; in DNS Made Easy's control panel (Config → Account Information → Users) give the user read access to every folder holding a domain below this one, or use the keys of the account's owner"
}

// DNS Made Easy does not tell a user's keys which folders they are
// limited to: no provider.ZoneListPartial.

// Nameservers are the configured ones, else the domain's assigned
// (vanity or system) name servers.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return p.zones.Nameservers(ctx, origin)
}
