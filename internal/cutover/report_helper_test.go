package cutover

import (
	"slices"
	"strings"
	"testing"
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

// gateNamed is the gate of rep named name (nil: none).
func gateNamed(rep *Report, name string) *Gate {
	return findGate(rep.Gates, name)
}

// planOf is gate name's plan in rep, one string ("" without the gate).
func planOf(rep *Report, name string) string {
	if g := gateNamed(rep, name); g != nil {
		return strings.Join(g.Plan, "\n")
	}
	return ""
}

// unmetGates logs rep's unmet gates.
func unmetGates(t *testing.T, what string, rep *Report) {
	t.Helper()
	for _, g := range rep.Gates {
		if !g.OK {
			t.Logf("%s: unmet %s: %s; plan %q", what, g.Name, g.Detail, g.Plan)
		}
	}
}
