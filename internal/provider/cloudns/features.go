package cloudns

import (
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// features are the provider-only features in the zone's listing (the
// Features of the zone): ALIAS records (answered with the target's
// addresses), WR web redirects (answered with ClouDNS's redirect servers)
// and GeoDNS answers per location. The answers for every location are
// kept as records with a note; per-location answers and ALIAS/WR have no
// zone-file form and are left out.
func features(origin string, rs []record) []provider.Feature {
	return provider.GeoFeatures(geoDNS, rs, func(r record) provider.Located {
		at := provider.Located{Name: provider.Owner(origin, r.Host), Type: r.Type, Value: r.Record}
		if geo(r) {
			at.Location = r.GeoCode
		}
		return at
	}, func(r record, f provider.Feature) (provider.Feature, bool) {
		if inactive(r) {
			// Not served, so not held: in no current zone (a plan would
			// call a zone in sync that ClouDNS does not serve, or a
			// mod-record keep it inactive), and not a record any side
			// answers (the cutover's completeness gates do not count
			// it); git's RRset of its name and type is refused.
			f.Feature, f.Omitted, f.Blocks, f.Unserved = "inactive", true, true, true
			f.Detail = fmt.Sprintf("%s %s %q is inactive at ClouDNS (status 0: not served)", f.Name, r.Type, r.Record)
			f.Advice = "activate or delete it at ClouDNS"
			return f, true
		}
		switch r.Type {
		case "ALIAS":
			return provider.Alias(f, "ClouDNS", "ALIAS", provider.FQDN(r.Record)), true
		case "WR":
			return provider.Redirect(f, "web-redirect", "ClouDNS", r.Record), true
		}
		return f, false
	})
}

// geoDNS is ClouDNS's GeoDNS: a record answers every location, or the one
// its geodns-location-code names.
var geoDNS = provider.Geo{Feature: "geodns", Service: "GeoDNS", Where: "location", Default: "the default"}
