package powerdns

import (
	"context"
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

type record struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

type rrset struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	TTL        uint32   `json:"ttl"` // 0 is a TTL, sent as such
	ChangeType string   `json:"changetype,omitempty"`
	Records    []record `json:"records"`
}

// Records reads the zone (GET zone with its rrsets). Disabled records are
// left out (PowerDNS does not serve them; Features lists them and Apply
// keeps them), and so are PowerDNS's own types (ALIAS, LUA, ADDR) and
// RRsets holding a record dnsparity cannot read, which Features lists.
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	z, _, err := p.Read(ctx, origin)
	return z, err
}

// Read lists the zone once (GET zone with its rrsets) for its records and
// its features (provider.Reader).
func (p *Provider) Read(ctx context.Context, origin string) (*zone.Zone, []provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	z, err := p.zone(ctx, origin)
	if err != nil {
		return nil, nil, err
	}
	out, unread, err := p.records(origin, z)
	if err != nil {
		return nil, nil, err
	}
	return out, append(append(features(z), unread...), disabledFeatures(z)...), nil
}

// records is the zone in z, and the feature of each RRset it holds
// with a record dnsparity cannot read: PowerDNS lists only what its own
// parser reads, in its presentation, but that is not always one
// miekg/dns reads (PowerDNS 4.7 writes an SvcParam it has no name for,
// dohpath, as key7="..."). Such an RRset is left out whole (a PATCH
// replaces an RRset whole); a plan never changes it (plan.Options.Unreadable).
func (p *Provider) records(origin string, z apiZone) (*zone.Zone, []provider.Feature, error) {
	var rrs []dns.RR
	var unread []provider.Feature
	off := map[zone.Key][]string{}
	for _, s := range z.RRsets {
		if k, ok := rrsetKey(s); ok && !pdnsType(s.Type) {
			for _, r := range s.Records {
				if r.Disabled {
					off[k] = append(off[k], r.Content)
				}
			}
		}
		got, err := rrsetRRs(s)
		if err != nil {
			var vals []string
			for _, r := range s.Records {
				if !r.Disabled {
					vals = append(vals, r.Content)
				}
			}
			unread = append(unread, provider.Unreadable(provider.Feature{Name: zone.CanonicalName(provider.FQDN(s.Name)), Type: strings.ToUpper(s.Type),
				Value: strings.Join(vals, " | ")}, err))
			continue
		}
		rrs = append(rrs, got...)
	}
	out, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, nil, fmt.Errorf("powerdns %s: zone %s: %w", p.shown, origin, err)
	}
	p.mu.Lock()
	p.disabled[origin] = off
	p.secondaries[origin] = secondary(origin, z)
	p.mu.Unlock()
	return out, unread, nil
}

// rrsetKey is the name and type of an RRset as the API lists it (a type
// PowerDNS has no name for as TYPEnnn; listedType).
func rrsetKey(s rrset) (zone.Key, bool) {
	t, ok := listedType(s.Type)
	if !ok {
		return zone.Key{}, false
	}
	return zone.Key{Name: zone.CanonicalName(provider.FQDN(s.Name)), Type: t}, true
}

// rrsetRRs reads an RRset's enabled records (none for PowerDNS's own
// types, which Features lists).
func rrsetRRs(s rrset) ([]dns.RR, error) {
	var rrs []dns.RR
	// PowerDNS writes a name's '.' and '\' escaped and other octets
	// outside printable ASCII as \DDD, as a zone file does, but '@',
	// '(', ')', ';' and '"' raw: in the text below they would be the
	// origin, a group, a comment, a string. The canonical name
	// escapes them.
	name := provider.FQDN(s.Name)
	for _, r := range s.Records {
		if r.Disabled || pdnsType(s.Type) {
			continue // PowerDNS-only (ALIAS, LUA): Features lists it
		}
		c := bitmapFromContent(s.Type, fromContent(r.Content))
		if s.Type == "LOC" {
			c = locFromContent(c)
		}
		typ := s.Type
		if t, ok := pdnsListedOnly[strings.ToUpper(typ)]; ok {
			typ = fmt.Sprintf("TYPE%d", t) // its data is in \# form
		}
		rr, err := zone.NewRR(fmt.Sprintf("%s %d IN %s %s", name, s.TTL, typ, c))
		if err != nil || rr == nil {
			return nil, fmt.Errorf("%s %s %q: cannot read: %v", s.Name, s.Type, r.Content, err)
		}
		rrs = append(rrs, rr)
	}
	return rrs, nil
}
