package route53

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/dnsparity/dnsparity/internal/provider"
)

type hostedZone struct {
	id, name    string // name as a zone file writes it
	nameservers []string
	count       int64 // its ResourceRecordSetCount when read
	// paged: id and count as a page of ListHostedZonesByName gave them
	// (read for this zone or another, perhaps a while ago), not read by
	// GetHostedZone: no name servers (that page shows none).
	paged bool
}

// pageZone is the hosted zone as a page of ListHostedZonesByName gives
// it (paged).
func pageZone(z types.HostedZone) hostedZone {
	return hostedZone{id: strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/"), name: fromAPIName(aws.ToString(z.Name)),
		count: aws.ToInt64(z.ResourceRecordSetCount), paged: true}
}

// hostedZone reads the hosted zone of an id as it is now (GetHostedZone):
// its name, name servers and the count of its record sets. A private
// hosted zone is refused, whoever named it (zone_id too): it answers only
// inside the VPCs associated with it, so what plan, push and parity read
// and write there is never what the public delegation serves.
func (p *Provider) hostedZone(ctx context.Context, id string) (hostedZone, error) {
	out, err := p.client.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(id)})
	if err != nil {
		return hostedZone{}, p.wrap("hosted zone "+id, err)
	}
	hz := hostedZone{id: id, name: fromAPIName(aws.ToString(out.HostedZone.Name)), count: aws.ToInt64(out.HostedZone.ResourceRecordSetCount)}
	if c := out.HostedZone.Config; c != nil && c.PrivateZone {
		return hostedZone{}, fmt.Errorf("route53: hosted zone %s (%s) is a private hosted zone: it answers only inside the VPCs associated with it, never the public delegation; set zone_id to the public hosted zone of %s, or leave it out to find that by name", id, hz.name, hz.name)
	}
	if out.DelegationSet != nil {
		hz.nameservers = out.DelegationSet.NameServers
	}
	return hz, nil
}

// reread reads a hosted zone found before as it is now (Zones.Reread).
// One found on a page that has gone since (deleted, perhaps made again
// under another id) is looked up by name again.
func (p *Provider) reread(ctx context.Context, hz hostedZone) (hostedZone, error) {
	now, err := p.zoneAt(ctx, hz.id, hz.name)
	if hz.paged && errors.Is(err, provider.ErrZoneNotFound) {
		p.mu.Lock()
		delete(p.paged, hz.name)
		p.mu.Unlock()
		return p.lookup(ctx, hz.name)
	}
	return now, err
}

// zoneAt reads the hosted zone of an id that must be origin's.
func (p *Provider) zoneAt(ctx context.Context, id, origin string) (hostedZone, error) {
	hz, err := p.hostedZone(ctx, id)
	if err == nil && hz.name != origin {
		return hostedZone{}, fmt.Errorf("route53: zone_id %s is %s, not %s: %w", id, hz.name, origin, provider.ErrZoneNotFound)
	}
	return hz, err
}

// zoneByName is the public hosted zone of origin as a page of
// ListHostedZonesByName gave it: one read for an earlier zone (100 zones
// a page in name order: zones worked on in order cost one lookup per
// page, not one each), else looked up. No GetHostedZone: the page gives
// the id and the ResourceRecordSetCount a listing is checked against
// (list; a zone made again since is found again there, reread). One
// lookup at a time: a zone planned beside others (push plans several at
// once) whose name is on the page another lookup is reading waits for
// that page and takes its zone from it, rather than reading the same
// page itself.
func (p *Provider) zoneByName(ctx context.Context, origin string) (hostedZone, error) {
	hz := p.pagedZone(origin)
	if hz.id == "" {
		p.lookupMu.Lock()
		defer p.lookupMu.Unlock()
		if hz = p.pagedZone(origin); hz.id == "" {
			return p.lookup(ctx, origin)
		}
	}
	return hz, nil
}

// pagedZone is origin's public zone on a page read so far (id "": none,
// or it must be looked up).
func (p *Provider) pagedZone(origin string) hostedZone {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paged[origin]
}

// lookup reads the public hosted zone of that name: every hosted zone of
// it (ListHostedZonesByName from the name on), the one
// provider.Zones.Choose chooses (private hosted zones never: they answer
// only inside their VPCs, never the public delegation; of several public
// ones, the one whose name servers are the configured delegation's,
// read by GetHostedZone, else an error naming each for zone_id to
// choose), as its page gave it unless GetHostedZone read it. It
// remembers the public zone of every other name on the pages read:
// paged holds it as its page gave it, or no id for a name that must be
// looked up (several public zones of it seen, or its zones running on
// past the page).
func (p *Provider) lookup(ctx context.Context, origin string) (hostedZone, error) {
	var cands []provider.ZoneCandidate
	onPage := map[string]hostedZone{}
	err := p.zonePages(ctx, "find hosted zone "+origin, aws.String(apiName(origin)), func(out *r53.ListHostedZonesByNameOutput) bool {
		past := false
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, z := range out.HostedZones {
			hz := pageZone(z)
			name, zid := hz.name, hz.id
			private := z.Config != nil && z.Config.PrivateZone
			if name == origin && !slices.ContainsFunc(cands, func(c provider.ZoneCandidate) bool { return c.ID == zid }) {
				cands = append(cands, provider.ZoneCandidate{ID: zid, Name: name, Active: !private, Private: private})
				onPage[zid] = hz
			}
			if name != origin {
				past = true // sorted by name: past it
			}
			if private {
				continue
			}
			if first, seen := p.paged[name]; !seen {
				p.paged[name] = hz
			} else if first.id != zid {
				p.paged[name] = hostedZone{} // several: looked up
			}
		}
		if out.IsTruncated {
			// The next page starts with a zone of this name: those of
			// it on this page may not be all (a name is one zone only
			// when a lookup of it saw every zone of it).
			p.paged[fromAPIName(aws.ToString(out.NextDNSName))] = hostedZone{}
		}
		return !past
	})
	if err != nil {
		return hostedZone{}, err
	}
	public := 0
	for _, c := range cands {
		if !c.Private {
			public++
		}
	}
	// Several public zones: the choice needs the name servers of each
	// (GetHostedZone; ListHostedZonesByName shows none), and the one
	// chosen is read already; one is read once chosen.
	read := map[string]hostedZone{}
	for i, c := range cands {
		if c.Private || public < 2 {
			continue
		}
		hz, err := p.hostedZone(ctx, c.ID)
		if err != nil {
			return hostedZone{}, err
		}
		read[c.ID], cands[i].Servers = hz, hz.nameservers
	}
	c, err := p.zones.Choose(ctx, origin, cands)
	if err != nil {
		return hostedZone{}, err
	}
	if hz, ok := read[c.ID]; ok {
		return hz, nil
	}
	return onPage[c.ID], nil
}

// ZoneNames lists the public hosted zones of these credentials from one
// request (provider.ZoneLister): the first page of ListHostedZonesByName,
// 100 zones, the most a page holds ("If you specify a value greater than
// 100, Route 53 returns only the first 100 hosted zones", MaxItems, Route
// 53 API Reference, ListHostedZonesByName), the private ones left out,
// canonical, in the API's order (provider.Listed).
func (p *Provider) ZoneNames(ctx context.Context) ([]string, error) {
	page, err := p.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{MaxItems: aws.Int32(zonesPerPage)})
	if err != nil {
		return nil, p.wrap("list hosted zones", err)
	}
	public := slices.DeleteFunc(page.HostedZones, func(z types.HostedZone) bool { return z.Config != nil && z.Config.PrivateZone })
	return provider.Listed(public, func(z types.HostedZone) string { return fromAPIName(aws.ToString(z.Name)) }), nil
}

// AccountZones lists every hosted zone of these credentials
// (provider.AccountLister): every page of ListHostedZonesByName, each
// asked from the NextDNSName and NextHostedZoneId of the one before
// ("If IsTruncated is true, ... submit another ListHostedZonesByName
// request, and specify the value of NextDNSName and NextHostedZoneId",
// Route 53 API Reference, ListHostedZonesByName), private ones included:
// closing the account deletes them too. Canonical, each name once.
func (p *Provider) AccountZones(ctx context.Context) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := p.zonePages(ctx, "list hosted zones", nil, func(page *r53.ListHostedZonesByNameOutput) bool {
		for _, z := range page.HostedZones {
			if n := fromAPIName(aws.ToString(z.Name)); !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// zonePages reads the pages of ListHostedZonesByName from the name from
// on (nil: the first name), each handed to page, which says whether to
// read on, until the last (IsTruncated false). Each next page is asked
// as the one before names it, NextDNSName with NextHostedZoneId ("If
// IsTruncated is true, ... submit another ListHostedZonesByName request,
// and specify the value of NextDNSName and NextHostedZoneId", Route 53
// API Reference, ListHostedZonesByName): a page that says more follow
// without naming the next, or that names itself, is an error (what
// names the reading in it).
func (p *Provider) zonePages(ctx context.Context, what string, from *string, page func(*r53.ListHostedZonesByNameOutput) (more bool)) error {
	in := &r53.ListHostedZonesByNameInput{DNSName: from, MaxItems: aws.Int32(zonesPerPage)}
	for {
		out, err := p.client.ListHostedZonesByName(ctx, in)
		if err != nil {
			return p.wrap(what, err)
		}
		if !page(out) || !out.IsTruncated {
			return nil
		}
		if out.NextDNSName == nil || out.NextHostedZoneId == nil {
			return fmt.Errorf("route53: %s: a page says more follow (IsTruncated) without NextDNSName and NextHostedZoneId", what)
		}
		if aws.ToString(out.NextDNSName) == aws.ToString(in.DNSName) && aws.ToString(out.NextHostedZoneId) == aws.ToString(in.HostedZoneId) {
			// Asked again, it would answer again: never an end.
			return fmt.Errorf("route53: %s: the page from %s (%s) names itself as the next one", what, aws.ToString(in.DNSName), aws.ToString(in.HostedZoneId))
		}
		in = &r53.ListHostedZonesByNameInput{DNSName: out.NextDNSName, HostedZoneId: out.NextHostedZoneId, MaxItems: aws.Int32(zonesPerPage)}
	}
}

// zonesPerPage is the most hosted zones a page of ListHostedZonesByName
// holds.
const zonesPerPage = 100

// No SubZones (provider.SubZoneLister): ListHostedZones could list the
// account's hosted zones, but a hosted zone below another one never
// shares its name servers: "Two hosted zones that have the same name or
// that have a parent/child relationship (example.com and test.example.com)
// can't have any common name servers" (CreateHostedZone refuses it,
// ConflictingDomainExists; Route 53 API Reference, docs.aws.amazon.com/
// Route53/latest/APIReference/API_CreateHostedZone.html, DelegationSetId:
// "If you are using a reusable delegation set to create a public hosted
// zone for a subdomain, make sure that the parent hosted zone doesn't use
// one or more of the same name servers"). The parent's servers never
// answer from the child, a reusable delegation set or not: its names are
// reached only through NS records in the parent, which the listing shows
// and the completeness gates count.

// Nameservers are the configured ones, else the hosted zone's delegation
// set (GetHostedZone: a zone found on a page of ListHostedZonesByName
// has none yet).
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.Nameservers(ctx, p.zones.Configured, func(ctx context.Context) ([]string, error) {
		hz, err := p.zones.Find(ctx, origin)
		if err == nil && hz.paged {
			hz, err = p.zones.Read(ctx, origin)
		}
		return hz.nameservers, err
	})
}
