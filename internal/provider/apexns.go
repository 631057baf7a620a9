package provider

import (
	"context"
	"slices"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// ApexNSSetting is a provider whose servers answer apex NS records other
// than its own name servers (Capabilities.ServedApexNS) only when a zone
// setting says so (Cloudflare's multi-provider DNS). ReadApexNSSetting
// reads that setting for zone origin; Capabilities.OwnApexNSOnly then
// reports it.
type ApexNSSetting interface {
	ReadApexNSSetting(ctx context.Context, origin string) error
}

// ReadApexNSSetting reads p's apex NS setting for zone origin
// (ApexNSSetting) when names, the apex NS names of git and of the
// provider's listing, hold one that ServedApexNS lacks: only then does
// the setting change what the zone serves, and only then is the request
// sent. Nothing for any other provider.
func ReadApexNSSetting(ctx context.Context, p Provider, origin string, names []string) error {
	r, ok := p.(ApexNSSetting)
	caps := p.Capabilities()
	if !ok || caps.ServedApexNS == nil {
		return nil
	}
	own := caps.FoldedServedApexNS(origin)
	if !slices.ContainsFunc(names, func(n string) bool {
		_, found := slices.BinarySearch(own, zone.Fold(FQDN(n)))
		return !found
	}) {
		return nil
	}
	return r.ReadApexNSSetting(ctx, origin)
}

// FoldedServedApexNS are the names of ServedApexNS for zone origin,
// absolute, folded, sorted, each once: nil when ServedApexNS is nil.
func (c Capabilities) FoldedServedApexNS(origin string) []string {
	if c.ServedApexNS == nil {
		return nil
	}
	var out []string
	for _, n := range c.ServedApexNS(origin) {
		out = append(out, zone.Fold(FQDN(n)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
