package main

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// staleDS says, for each side (old, new) whose provider reports its DNSSEC
// state (provider.DSReporter: ClouDNS), which DS records at the parent
// match no key that provider publishes: the DS left behind after DNSSEC
// was turned off or the zone re-keyed there. parentDS is the DS set the
// parent serves (status's delegation.ds). One line per stale DS, naming
// the side; a side that cannot be read is one line saying so.
func (a *app) staleDS(ctx context.Context, cfg *config.Config, origin string, parentDS []string) []string {
	var out []string
	for _, side := range []string{"old", "new"} {
		pc := cfg.Providers[side]
		if pc == nil || !provider.Has[provider.DSReporter](pc.Type) {
			continue // no DNSSEC state to read there: not made, no secret read
		}
		p, err := provider.Open(cfg, a.getenv, side)
		if err != nil {
			out = append(out, fmt.Sprintf("providers.%s: DNSSEC state not read: %v", side, err))
			continue
		}
		r, ok := p.(provider.DSReporter)
		if !ok {
			continue
		}
		st, err := r.DSState(ctx, origin)
		if err != nil {
			out = append(out, fmt.Sprintf("providers.%s (%s): DNSSEC state not read: %v", side, pc.Type, err))
			continue
		}
		for _, ds := range provider.StaleDS(parentDS, st) {
			why := "DNSSEC is off there"
			if st.Active {
				why = fmt.Sprintf("it publishes %d other DS", len(st.DS))
			}
			out = append(out, fmt.Sprintf("providers.%s (%s): the DS %s at the parent matches no key it signs with (%s): validating resolvers fail the zone when it answers; remove the DS or sign again before the flip", side, pc.Type, ds, why))
		}
	}
	return out
}
