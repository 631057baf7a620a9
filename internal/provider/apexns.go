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
	served := p.Capabilities().ServedApexNS
	if !ok || served == nil {
		return nil
	}
	own := map[string]bool{}
	for _, n := range served(origin) {
		own[zone.Fold(FQDN(n))] = true
	}
	if !slices.ContainsFunc(names, func(n string) bool { return !own[zone.Fold(FQDN(n))] }) {
		return nil
	}
	return r.ReadApexNSSetting(ctx, origin)
}
