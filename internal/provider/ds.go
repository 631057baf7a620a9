package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
)

// DSState is what a provider that signs a zone says about its DNSSEC:
// whether it signs, and the DS records the parent should hold for it
// (presentation form: "keytag algorithm digesttype digest").
type DSState struct {
	Active bool     `json:"active"`
	DS     []string `json:"ds,omitempty"`
}

// DSReporter is a provider that can report its DNSSEC state for a zone
// (ClouDNS: get-dnssec-ds-records). cutover status compares it with the
// DS the parent holds: StaleDS names a DS left behind.
type DSReporter interface {
	DSState(ctx context.Context, zone string) (DSState, error)
}

// StaleDS returns the DS records at the parent that match none the
// provider publishes: a DS left behind after DNSSEC was turned off or its
// key rolled (resolvers that validate then fail the whole zone when this
// provider answers). Fields are compared case-insensitively, with
// whitespace normalized.
func StaleDS(parent []string, s DSState) []string {
	have := map[string]bool{}
	for _, d := range s.DS {
		have[normDS(d)] = true
	}
	var out []string
	for _, d := range parent {
		if !s.Active || !have[normDS(d)] {
			out = append(out, d)
		}
	}
	return out
}

func normDS(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// StaleDSWarnings says, for each side (old, new) whose provider reports its DNSSEC
// state (DSReporter: ClouDNS), which DS records at the parent
// match no key that provider publishes: the DS left behind after DNSSEC
// was turned off or the zone re-keyed there. parentDS is the DS set the
// parent serves (status's delegation.ds). One line per stale DS, naming
// the side; a side that cannot be read is one line saying so. Only those
// sides are made (their secrets from getenv).
func StaleDSWarnings(ctx context.Context, cfg *config.Config, getenv func(string) string, origin string, parentDS []string) []string {
	var out []string
	for _, side := range []string{"old", "new"} {
		pc := cfg.Providers[side]
		if pc == nil || !Has[DSReporter](pc.Type) {
			continue // no DNSSEC state to read there: not made, no secret read
		}
		p, err := Open(cfg, getenv, side)
		if err != nil {
			out = append(out, fmt.Sprintf("providers.%s: DNSSEC state not read: %v", side, err))
			continue
		}
		r, ok := p.(DSReporter)
		if !ok {
			continue
		}
		st, err := r.DSState(ctx, origin)
		if err != nil {
			out = append(out, fmt.Sprintf("providers.%s (%s): DNSSEC state not read: %v", side, pc.Type, err))
			continue
		}
		for _, ds := range StaleDS(parentDS, st) {
			why := "DNSSEC is off there"
			if st.Active {
				why = fmt.Sprintf("it publishes %d other DS", len(st.DS))
			}
			out = append(out, fmt.Sprintf("providers.%s (%s): the DS %s at the parent matches no key it signs with (%s): validating resolvers fail the zone when it answers; remove the DS or sign again before the flip", side, pc.Type, ds, why))
		}
	}
	return out
}
