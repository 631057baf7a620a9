package route53

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// features are the provider-only features in the zone's listing (the
// Features of the zone): alias record sets and record sets of a routing
// policy (weighted, latency, geolocation, geoproximity, failover,
// multivalue, IP-based) or a traffic policy. None has a zone-file form;
// Records leaves them out.
func features(origin string, sets []types.ResourceRecordSet) []provider.Feature {
	var out []provider.Feature
	for _, rs := range sets {
		if plain(rs) {
			if _, err := toRRs(rs); err != nil {
				out = append(out, provider.Unreadable(provider.Feature{Name: fromAPIName(aws.ToString(rs.Name)), Type: string(rs.Type)}, err))
			}
			continue
		}
		// Blocks: Route 53 refuses a plain set beside the sets of a
		// routing policy, and a traffic policy instance owns its sets
		// (Change: "To delete the resource record set that is
		// associated with a traffic policy instance, use
		// DeleteTrafficPolicyInstance"). A plain alias is Replaceable
		// instead: git's RRset of its name and type replaces it in one
		// change batch (DELETE of the alias as listed, CREATE of git's
		// set: all or nothing), shown in the plan as a replace over it.
		f := provider.Feature{Name: fromAPIName(aws.ToString(rs.Name)), Type: string(rs.Type), Omitted: true, Blocks: true}
		var vals []string
		for _, r := range rs.ResourceRecords {
			vals = append(vals, fromAPIValue(dns.StringToType[string(rs.Type)], aws.ToString(r.Value)))
		}
		f.Value = strings.Join(vals, " | ")
		switch {
		case rs.AliasTarget != nil:
			target := aws.ToString(rs.AliasTarget.DNSName)
			f.Feature = "alias"
			f.Value = "ALIAS " + target
			f.Detail = fmt.Sprintf("an alias to %s (hosted zone %s): Route 53 answers with the target's %s records and their TTL; a zone file cannot express it", target, aws.ToString(rs.AliasTarget.HostedZoneId), rs.Type)
			if f.Name == origin {
				f.Advice = "at the apex: write the target's current addresses in git, or use the new provider's ALIAS/ANAME"
			} else {
				f.Advice = "write a CNAME to " + target + " in git (or its current addresses), or use the new provider's ALIAS"
			}
			if aliasReplaceable(rs) {
				f.Blocks, f.Replaceable = false, true
				f.Advice += fmt.Sprintf("; at a push here git's %s %s replaces the alias, and a CNAME of git at its name deletes it (each a line of the plan)", f.Name, rs.Type)
			} else {
				f.Advice += "; git's RRset of this name and type is refused here while the alias's routing policy holds it"
			}
		case rs.TrafficPolicyInstanceId != nil:
			f.Feature = "traffic-policy"
			f.Detail = "managed by the traffic policy instance " + aws.ToString(rs.TrafficPolicyInstanceId) + ": answers depend on the policy"
			f.Advice = "rebuild the policy at the new provider, or write the one answer you want in git"
		default:
			f.Feature, f.Detail = routing(rs)
			f.Detail = fmt.Sprintf("%s (set %q): Route 53 answers per client or health; a zone file holds one answer for everyone", f.Detail, aws.ToString(rs.SetIdentifier))
			f.Advice = "decide the answer for everyone and write it in git, or rebuild the policy at the new provider (the answers differ per resolver during the migration)"
		}
		if rs.HealthCheckId != nil {
			f.Detail += "; health-checked by " + aws.ToString(rs.HealthCheckId)
		}
		out = append(out, f)
	}
	return out
}

// aliasReplaceable reports whether git's RRset of an alias's name and
// type can replace it in one change batch: a plain alias, of no routing
// policy (a set identifier: Route 53 refuses a plain set beside the
// policy's other sets) and of no traffic policy instance.
func aliasReplaceable(rs types.ResourceRecordSet) bool {
	return rs.AliasTarget != nil && rs.SetIdentifier == nil && rs.TrafficPolicyInstanceId == nil
}

// routing names a record set's routing policy.
func routing(rs types.ResourceRecordSet) (feature, detail string) {
	switch {
	case rs.Weight != nil:
		return "weighted-routing", fmt.Sprintf("weighted routing, weight %d", aws.ToInt64(rs.Weight))
	case rs.Region != "":
		return "latency-routing", "latency routing, region " + string(rs.Region)
	case rs.GeoLocation != nil:
		g := rs.GeoLocation
		where := strings.Trim(strings.Join([]string{aws.ToString(g.ContinentCode), aws.ToString(g.CountryCode), aws.ToString(g.SubdivisionCode)}, "/"), "/")
		return "geolocation-routing", "geolocation routing for " + where
	case rs.GeoProximityLocation != nil:
		return "geoproximity-routing", "geoproximity routing"
	case rs.Failover != "":
		return "failover-routing", "failover routing, " + strings.ToLower(string(rs.Failover))
	case rs.MultiValueAnswer != nil && *rs.MultiValueAnswer:
		return "multivalue-routing", "multivalue answer routing"
	case rs.CidrRoutingConfig != nil:
		return "ip-based-routing", "IP-based routing, collection " + aws.ToString(rs.CidrRoutingConfig.CollectionId)
	}
	return "routing-policy", "a routing policy"
}
