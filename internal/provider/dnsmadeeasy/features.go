package dnsmadeeasy

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Features lists DNS Made Easy-only behaviour in the zone: ANAME records
// (answered with the target's addresses), HTTPRED (a web redirect served
// by DNS Made Easy's HTTP servers) and Global Traffic Director answers
// per region. The DEFAULT region's answers are kept as records with a
// note; the other regions' answers and ANAME/HTTPRED have no zone-file
// form and are left out.
func (p *Provider) Features(ctx context.Context, origin string) ([]provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	_, rs, err := p.list(ctx, origin)
	if err != nil {
		return nil, err
	}
	return features(origin, rs), nil
}

// features are the provider-only features in the zone's listing.
func features(origin string, rs []record) []provider.Feature {
	regional := map[string][]string{} // name type → regions
	for _, r := range rs {
		if r.GtdLocation != "" && r.GtdLocation != defaultLocation {
			k := provider.Owner(origin, r.Name) + " " + r.Type
			regional[k] = append(regional[k], r.GtdLocation)
		}
	}
	var out []provider.Feature
	noted := map[string]bool{}
	for _, r := range rs {
		name := provider.Owner(origin, r.Name)
		f := provider.Feature{Name: name, Type: r.Type, Value: r.Value}
		switch {
		case r.Type == "ANAME":
			t := apiName(target(origin, r.Value))
			f.Feature, f.Omitted = "aname", true
			f.Detail = fmt.Sprintf("DNS Made Easy answers A/AAAA questions with the current addresses of %s; a zone file cannot hold an ANAME", t)
			f.Advice = fmt.Sprintf("put the addresses of %s (A/AAAA) in git, or use the new provider's ALIAS/ANAME, before the flip", t)
		case r.Type == "HTTPRED":
			f.Feature, f.Omitted = "http-redirect", true
			f.Detail = fmt.Sprintf("DNS Made Easy answers with its redirect servers' addresses and sends HTTP clients to %s (%s)", r.Value, r.RedirectType)
			f.Advice = "run the redirect elsewhere (a web server or the new provider's redirect service) and put its address in git"
		case r.GtdLocation != "" && r.GtdLocation != defaultLocation:
			f.Feature, f.Omitted = "traffic-director", true
			f.Value = fmt.Sprintf("%s (region %s)", r.Value, r.GtdLocation)
			f.Detail = fmt.Sprintf("Global Traffic Director answers resolvers in region %s with %s instead of the DEFAULT answer", r.GtdLocation, r.Value)
			f.Advice = "another provider answers every region with the DEFAULT records: set up its geo routing, or accept one answer"
		default:
			k := name + " " + r.Type
			if len(regional[k]) == 0 || noted[k] {
				continue
			}
			noted[k] = true
			f.Feature = "traffic-director"
			f.Detail = fmt.Sprintf("the DEFAULT answer of a Global Traffic Director record; regions %v get other answers (parity may see either)", regional[k])
			f.Advice = "another provider answers every region with these records: set up its geo routing, or accept one answer"
		}
		out = append(out, f)
	}
	return out
}
