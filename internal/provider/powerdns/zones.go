package powerdns

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func zonePath(origin string) string {
	return "/zones/" + url.PathEscape(zone.CanonicalName(origin))
}

type apiZone struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind,omitempty"`
	Masters     []string `json:"masters,omitempty"`
	Nameservers []string `json:"nameservers,omitempty"`
	RRsets      []rrset  `json:"rrsets,omitempty"`
}

// secondary says why a push must not change the zone z: PowerDNS holds
// it as a secondary ("kind": "Slave", "Secondary" from 4.8 on), whose
// data comes by zone transfer from its masters. PowerDNS 4.7's API takes
// a PATCH of its RRsets all the same (TestSlaveZoneRefused), and the
// next transfer from a master puts the master's data back. "" for
// another kind.
func secondary(origin string, z apiZone) string {
	if !strings.EqualFold(z.Kind, "Slave") && !strings.EqualFold(z.Kind, "Secondary") {
		return ""
	}
	from := "its masters"
	if len(z.Masters) > 0 {
		from = "its masters (" + strings.Join(z.Masters, ", ") + ")"
	}
	return fmt.Sprintf("PowerDNS holds zone %s as a secondary (kind %s), its data transferred from %s: a change through the API would be undone by the next transfer; push to the primary instead (or make the zone Native or Master in PowerDNS)", origin, z.Kind, from)
}

// secondaryOf is why a push must not change zone origin, as the last
// reading of it found ("" when it may, or was not read).
func (p *Provider) secondaryOf(origin string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.secondaries[origin]
}

// zone reads the zone with its rrsets (GET zone; origin is canonical).
func (p *Provider) zone(ctx context.Context, origin string) (apiZone, error) {
	var z apiZone
	if err := p.do(ctx, http.MethodGet, zonePath(origin), nil, &z); err != nil {
		return z, fmt.Errorf("powerdns %s: GET zone %s: %w", p.shown, origin, err)
	}
	return z, nil
}

// SubZones lists the zones the server holds strictly below origin (GET
// zones; provider.SubZoneLister), canonical and sorted.
func (p *Provider) SubZones(ctx context.Context, origin string) ([]string, error) {
	return provider.AllZones(p.allZones).SubZones(ctx, origin)
}

// AccountZones lists every zone of the account (GET zones;
// provider.AccountLister), canonical.
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	return provider.AllZones(p.allZones).AccountZones(ctx)
}

// ZoneNames lists the zones the server holds (GET zones, one request;
// provider.ZoneLister), canonical and sorted, at most
// provider.MaxListedZones.
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	return provider.AllZones(p.allZones).ZoneNames(ctx)
}

// allZones is every zone the server holds (GET zones), canonical and
// sorted.
func (p *Provider) allZones(ctx context.Context) ([]string, error) {
	var zs []apiZone
	if err := p.do(ctx, http.MethodGet, "/zones", nil, &zs); err != nil {
		return nil, fmt.Errorf("powerdns %s: GET zones: %w", p.shown, err)
	}
	out := provider.Names(zs, func(z apiZone) string { return zone.CanonicalName(z.Name) })
	slices.Sort(out)
	return out, nil
}

// ZoneListAccess: PowerDNS's API key (api-key, or webserver-password's
// key) is the server's, for every zone (provider.ZoneListScope).
func (p *Provider) ZoneListAccess() string {
	return "GET /api/v1/servers/localhost/zones needs the server's API key (pdns.conf api-key), which reads every zone of the server: set api_key_env to the variable holding that key (a key put in front of the API by a proxy that allows only some zones cannot list the others: allow GET zones through it)"
}

// The API key is the server's; nothing tells of a listing of some zones
// only: no provider.ZoneListPartial.

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// CreateZone creates a Native zone with these NS names (the configured
// nameservers when none are given).
func (p *Provider) CreateZone(ctx context.Context, origin string, nameservers []string) error {
	origin = zone.CanonicalName(origin)
	if len(nameservers) == 0 {
		nameservers = p.nameservers
	}
	ns := make([]string, 0, len(nameservers))
	for _, n := range nameservers {
		ns = append(ns, dns.Fqdn(n))
	}
	body := apiZone{Name: origin, Kind: "Native", Nameservers: ns}
	if err := p.do(ctx, http.MethodPost, "/zones", body, nil); err != nil {
		return fmt.Errorf("powerdns %s: create zone %s: %w", p.shown, origin, err)
	}
	return nil
}

// CreateZoneApex creates a Native zone whose SOA (all but the serial,
// which SOA-EDIT-API rewrites) and apex NS TTL are those of desired; the NS
// names are nameservers, else the configured ones. The zone file's apex
// NS are never taken silently: a caller that wants them passes them.
func (p *Provider) CreateZoneApex(ctx context.Context, desired *zone.Zone, nameservers []string) error {
	origin := zone.CanonicalName(desired.Origin)
	if len(nameservers) == 0 {
		nameservers = p.nameservers
	}
	if len(nameservers) == 0 {
		return fmt.Errorf("powerdns %s: create zone %s: no NS names to create it with (set nameservers)", p.shown, origin)
	}
	nsTTL := uint32(3600)
	if s := desired.Get(origin, dns.TypeNS); s != nil {
		nsTTL = s.TTL
	}
	ns := rrset{Name: origin, Type: "NS", TTL: nsTTL, Records: []record{}}
	for _, n := range nameservers {
		ns.Records = append(ns.Records, record{Content: zone.CanonicalName(n)})
	}
	body := apiZone{Name: origin, Kind: "Native", RRsets: []rrset{ns}}
	if s := desired.Get(origin, dns.TypeSOA); s != nil {
		soa := rrset{Name: origin, Type: "SOA", TTL: s.TTL, Records: []record{}}
		for _, rr := range s.RRs() {
			text, err := content(rr)
			if err != nil {
				return fmt.Errorf("powerdns %s: create zone %s: %w", p.shown, origin, err)
			}
			soa.Records = append(soa.Records, record{Content: text})
		}
		body.RRsets = append(body.RRsets, soa)
	}
	if err := p.do(ctx, http.MethodPost, "/zones", body, nil); err != nil {
		return fmt.Errorf("powerdns %s: create zone %s: %w", p.shown, origin, err)
	}
	return nil
}
