package cutover

import (
	"slices"
	"strings"
)

// Helpers reading a step's report, shared by the unit and lab tests.

// has reports whether one of xs contains every one of subs.
func has(xs []string, subs ...string) bool {
	return slices.ContainsFunc(xs, func(x string) bool {
		for _, s := range subs {
			if !strings.Contains(x, s) {
				return false
			}
		}
		return true
	})
}

// findGate is the gate of gs named name, nil without one.
func findGate(gs []Gate, name string) *Gate {
	for i := range gs {
		if gs[i].Name == name {
			return &gs[i]
		}
	}
	return nil
}
