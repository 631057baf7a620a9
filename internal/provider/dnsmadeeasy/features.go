package dnsmadeeasy

import (
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// features are the provider-only features in the zone's listing (the
// Features of the zone): ANAME records (answered with the target's
// addresses), HTTPRED (a web redirect served by DNS Made Easy's HTTP
// servers) and Global Traffic Director answers per region. The DEFAULT
// region's answers are kept as records with a note; the other regions'
// answers and ANAME/HTTPRED have no zone-file form and are left out.
func features(origin string, rs []record) []provider.Feature {
	return provider.GeoFeatures(trafficDirector, rs, func(r record) provider.Located {
		at := provider.Located{Name: provider.Owner(origin, r.Name), Type: r.Type, Value: r.Value}
		if r.GtdLocation != "" && r.GtdLocation != defaultLocation {
			at.Location = r.GtdLocation
		}
		return at
	}, func(r record, f provider.Feature) (provider.Feature, bool) {
		switch r.Type {
		case "ANAME":
			return provider.Alias(f, "DNS Made Easy", "ANAME", apiName(target(origin, r.Value))), true
		case "HTTPRED":
			return provider.Redirect(f, "http-redirect", "DNS Made Easy", fmt.Sprintf("%s (%s)", r.Value, r.RedirectType)), true
		}
		return f, false
	})
}

// trafficDirector is DNS Made Easy's Global Traffic Director: a record
// answers the resolvers of its gtdLocation region, DEFAULT everyone else.
var trafficDirector = provider.Geo{Feature: "traffic-director", Service: "Global Traffic Director", Where: "region", Default: "the DEFAULT"}
