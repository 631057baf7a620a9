package main

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// featureFindings are the provider-only features of the old and the new
// provider in the zone, as parity findings of kind provider-feature
// (warnings: the answers they cause are compared like any other). A side
// whose provider cannot be made or read is named on stderr and skipped.
func (a *app) featureFindings(ctx context.Context, cfg *config.Config, origin string) []parity.Finding {
	if cfg == nil {
		return nil
	}
	var out []parity.Finding
	for _, side := range []string{"old", "new"} {
		pc := cfg.Providers[side]
		if pc == nil || !provider.Has[provider.FeatureReporter](pc.Type) {
			continue // no provider-only features there: not made, no secret read
		}
		p, err := provider.Open(cfg, a.getenv, side)
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: provider-only features of providers.%s not read: %v\n", side, err)
			continue
		}
		fr, ok := p.(provider.FeatureReporter)
		if !ok {
			continue
		}
		fs, err := fr.Features(ctx, origin)
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: provider-only features of providers.%s not read: %v\n", side, err)
			continue
		}
		for _, f := range fs {
			fd := parity.Finding{Name: f.Name, Type: f.Type, Severity: "warning", Kind: "provider-feature",
				Detail: fmt.Sprintf("providers.%s (%s): %s: %s; decide: %s", side, pc.Type, f.Feature, f.Detail, f.Advice)}
			if side == "old" {
				fd.Old = f.Value
			} else {
				fd.New = f.Value
			}
			out = append(out, fd)
		}
	}
	return out
}
