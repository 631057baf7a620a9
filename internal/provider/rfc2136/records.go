package rfc2136

import (
	"context"
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// Transfer reads the zone's records by AXFR as the server sends them
// (spelling kept, the closing SOA left out), complete or an error: for
// callers that compare wire data (parity) rather than plan.
func (p *Provider) Transfer(ctx context.Context, origin string) ([]dns.RR, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.axfr(ctx, origin)
	if err != nil {
		if transfer.IsContextErr(err) {
			return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
		}
		return nil, p.notServed(ctx, origin, p.wrap("AXFR "+origin, err))
	}
	return rrs, nil
}

// Records transfers the zone (AXFR over TCP).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.Transfer(ctx, origin)
	if err != nil {
		return nil, err
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
	}
	p.keepSpelling(origin, rrs)
	return z, nil
}
