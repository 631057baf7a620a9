package ns1

import (
	"context"
	"fmt"
	"net/http"

	nsdns "gopkg.in/ns1/ns1-go.v2/rest/model/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// SubZones lists the account's zones strictly below origin
// (provider.SubZoneLister): GET /v1/zones ("View a list of active zones",
// developer.ibm.com/apis/catalog/ns1--ibm-ns1-connect-api; paged by the
// Link header's rel="next" past 2500 zones). NS1 serves every zone of the
// account from the account's name servers, and where it holds a zone and
// one below it, "NS1 will use the child zone for that namespace and just
// ignore the same namespace in the parent zone" ("Subdelegations and
// child zones", Scenario C, ibm.com/docs/en/ns1-connect?topic=zones-
// subdelegations-child): its servers answer for the child zone's names
// with no delegation in the parent.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allZones).SubZones(ctx, origin)
}

// AccountZones lists every zone of the account (GET /v1/zones, every page;
// provider.AccountLister), canonical.
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	return provider.AllZones(p.allZones).AccountZones(ctx)
}

// ZoneNames lists the account's zones for a "did you mean"
// (provider.ZoneLister): the first page of GET /v1/zones (one request, up
// to 2500 zones), at most provider.MaxListedZones of it; a suggestion is
// not worth reading every page of a large account.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	var part []*nsdns.Zone
	if _, _, err := p.call(ctx, http.MethodGet, "zones", nil, &part); err != nil {
		return nil, fmt.Errorf("ns1: list zones: %w", err)
	}
	return provider.Listed(part, func(z *nsdns.Zone) string { return z.Zone }), nil
}

// allZones is every zone of the account as GET /v1/zones lists it, every
// page, each checked as the record list is.
func (p *Provider) allZones(ctx context.Context) ([]string, error) {
	l := provider.Listing[*nsdns.Zone]{What: "ns1: list zones", Unit: "zones", Key: func(z *nsdns.Zone) string { return "zone " + z.Zone }}
	_, zs, err := linked(ctx, p, &l, "zones", func(zs *[]*nsdns.Zone) []*nsdns.Zone { return *zs })
	if err != nil {
		return nil, err
	}
	return provider.Names(zs, func(z *nsdns.Zone) string { return z.Zone }), nil
}

// ZoneListAccess: an NS1 API key lists the zones its permissions allow
// (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /v1/zones lists only the zones the NS1 API key may view (its DNS permission \"View zones\" and its zone allow and deny lists, zones_allow_by_default, zones_allow, zones_deny): a key scoped to some zones cannot see the others; in the NS1 portal (Account settings → Users & teams → API keys) give the key \"View zones\" for every zone of the account, or at least those below this one, or use a key that has it"
}

// NS1 lists a key scoped to some zones only those, without saying so, and
// gives a key no way to read its own scope: no provider.ZoneListPartial.

// Nameservers are the configured ones, else the zone's assigned
// dns_servers.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.Nameservers(ctx, p.nameservers, func(ctx context.Context) ([]string, error) {
		z, err := p.zone(ctx, origin)
		if err != nil {
			return nil, err
		}
		return z.DNSServers, nil
	})
}
