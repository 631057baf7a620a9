package provider

import (
	"context"
	"strings"
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
