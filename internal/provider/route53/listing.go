package route53

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// list reads every record set, page by page (the SDK's paginator follows
// IsTruncated and the Next* markers), and checks each page (a truncated
// one holds maxitems, none more) and the listing against the hosted
// zone's ResourceRecordSetCount: a listing that comes back short is an
// error, never a smaller zone. The first listing of a zone found by name
// takes the count its page of ListHostedZonesByName gave (one request a
// zone, where a GetHostedZone before each doubled them); that page may
// be older than the zone's last change, or than the zone (deleted, made
// again), so a listing that does not match it, or finds no zone, is
// settled by the zone as GetHostedZone reads it now and a listing
// checked against that. A later listing (push reads the zone again
// before it changes it) reads the count just before.
func (p *Provider) list(ctx context.Context, origin string) ([]types.ResourceRecordSet, error) {
	var hz hostedZone
	var err error
	if _, known := p.zones.Known(origin); known {
		hz, err = p.zones.Read(ctx, origin)
	} else {
		hz, err = p.zones.Find(ctx, origin)
	}
	if err != nil {
		return nil, err
	}
	if hz.paged {
		sets, err := p.listSets(ctx, origin, hz, false)
		switch {
		case err == nil && int64(len(sets)) == hz.count:
			return sets, nil
		case err != nil && !errors.Is(err, provider.ErrZoneNotFound):
			return nil, err
		}
		if hz, err = p.zones.Read(ctx, origin); err != nil {
			return nil, err
		}
	}
	return p.listSets(ctx, origin, hz, true)
}

// listSets lists the record sets of hz, checked against its count when
// counted.
func (p *Provider) listSets(ctx context.Context, origin string, hz hostedZone, counted bool) ([]types.ResourceRecordSet, error) {
	want := hz.count
	pg := r53.NewListResourceRecordSetsPaginator(p.client, &r53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(hz.id), MaxItems: aws.Int32(p.pageSize)})
	l := provider.Listing[types.ResourceRecordSet]{What: "route53: zone " + origin + ": list record sets", Unit: "record sets",
		Key: func(rs types.ResourceRecordSet) string {
			return aws.ToString(rs.Name) + " " + string(rs.Type) + " " + aws.ToString(rs.SetIdentifier)
		}}
	if counted {
		l.Count = "the hosted zone's ResourceRecordSetCount"
	}
	for n := 1; pg.HasMorePages(); n++ {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, p.wrap("list record sets of "+origin, err)
		}
		// maxitems is what a full page holds; a page that says
		// IsTruncated is not the last.
		if err := l.Page(n, page.ResourceRecordSets, provider.PageInfo{Total: int(want), Full: int(p.pageSize), More: page.IsTruncated}); err != nil {
			return nil, err
		}
	}
	return l.Whole()
}

// plain reports whether a record set has a zone-file form: not an alias,
// not one answer of a routing policy, not a traffic policy's.
func plain(rs types.ResourceRecordSet) bool {
	return rs.AliasTarget == nil && rs.SetIdentifier == nil && rs.TrafficPolicyInstanceId == nil
}

// zoneOf is the zone in its listing.
func (p *Provider) zoneOf(origin string, sets []types.ResourceRecordSet) (*zone.Zone, error) {
	var rrs []dns.RR
	byKey := map[zone.Key]types.ResourceRecordSet{}
	held := map[zone.Key][]types.ResourceRecordSet{}
	for _, rs := range sets {
		if !plain(rs) {
			if t, ok := dns.StringToType[string(rs.Type)]; ok {
				k := zone.Key{Name: zone.CanonicalName(fromAPIName(aws.ToString(rs.Name))), Type: t}
				held[k] = append(held[k], rs)
			}
			continue
		}
		got, err := toRRs(rs)
		if err != nil {
			continue // Features reports it as unrepresentable
		}
		rrs = append(rrs, got...)
		if len(got) > 0 {
			h := got[0].Header()
			byKey[zone.Key{Name: zone.CanonicalName(h.Name), Type: h.Rrtype}] = rs
		}
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("route53: zone %s: %w", origin, err)
	}
	p.mu.Lock()
	p.listed[origin], p.held[origin] = byKey, held
	p.mu.Unlock()
	return z, nil
}
