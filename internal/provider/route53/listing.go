package route53

import (
	"context"
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
// zone's ResourceRecordSetCount read just before: a listing that comes
// back short is an error, never a smaller zone.
func (p *Provider) list(ctx context.Context, origin string) ([]types.ResourceRecordSet, error) {
	// The count the listing is checked against, read just before it (the
	// same request finds the zone the first time).
	hz, err := p.zones.Read(ctx, origin)
	if err != nil {
		return nil, err
	}
	want := hz.count
	pg := r53.NewListResourceRecordSetsPaginator(p.client, &r53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(hz.id), MaxItems: aws.Int32(p.pageSize)})
	l := provider.Listing[types.ResourceRecordSet]{What: "route53: zone " + origin + ": list record sets", Unit: "record sets",
		Count: "the hosted zone's ResourceRecordSetCount", Key: func(rs types.ResourceRecordSet) string {
			return aws.ToString(rs.Name) + " " + string(rs.Type) + " " + aws.ToString(rs.SetIdentifier)
		}}
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
