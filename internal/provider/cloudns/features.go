package cloudns

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Features lists ClouDNS-only behaviour in the zone: ALIAS records
// (answered with the target's addresses), WR web redirects (answered with
// ClouDNS's redirect servers) and GeoDNS answers per location. The
// answers for every location are kept as records with a note; per-location
// answers and ALIAS/WR have no zone-file form and are left out.
func (p *Provider) Features(ctx context.Context, origin string) ([]provider.Feature, error) {
	origin = zone.CanonicalName(origin)
	rs, err := p.list(ctx, origin)
	if err != nil {
		return nil, err
	}
	return features(origin, rs), nil
}

// features are the provider-only features in the zone's listing.
func features(origin string, rs []record) []provider.Feature {
	located := map[string][]string{}
	for _, r := range rs {
		if geo(r) {
			k := provider.Owner(origin, r.Host) + " " + r.Type
			located[k] = append(located[k], r.GeoCode)
		}
	}
	var out []provider.Feature
	noted := map[string]bool{}
	for _, r := range rs {
		name := provider.Owner(origin, r.Host)
		f := provider.Feature{Name: name, Type: r.Type, Value: r.Record}
		switch {
		case r.Type == "ALIAS":
			f.Feature, f.Omitted = "alias", true
			f.Detail = fmt.Sprintf("ClouDNS answers A/AAAA questions with the current addresses of %s; a zone file cannot hold an ALIAS", provider.FQDN(r.Record))
			f.Advice = fmt.Sprintf("put the addresses of %s (A/AAAA) in git, or use the new provider's ALIAS/ANAME, before the flip", provider.FQDN(r.Record))
		case r.Type == "WR":
			f.Feature, f.Omitted = "web-redirect", true
			f.Detail = fmt.Sprintf("ClouDNS answers with its redirect servers' addresses and sends HTTP clients to %s", r.Record)
			f.Advice = "run the redirect elsewhere (a web server or the new provider's redirect service) and put its address in git"
		case geo(r):
			f.Feature, f.Omitted = "geodns", true
			f.Value = fmt.Sprintf("%s (location %s)", r.Record, r.GeoCode)
			f.Detail = fmt.Sprintf("GeoDNS answers resolvers in %s with %s instead of the default answer", r.GeoCode, r.Record)
			f.Advice = "another provider answers every location with the default records: set up its geo routing, or accept one answer"
		default:
			k := name + " " + r.Type
			if len(located[k]) == 0 || noted[k] {
				continue
			}
			noted[k] = true
			f.Feature = "geodns"
			f.Detail = fmt.Sprintf("the default answer of a GeoDNS record; locations %v get other answers (parity may see either)", located[k])
			f.Advice = "another provider answers every location with these records: set up its geo routing, or accept one answer"
		}
		out = append(out, f)
	}
	return out
}
