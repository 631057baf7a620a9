package providertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// holding lists one zone; nothing else of it is called (converged plans).
type holding struct {
	provider.Provider
	z *zone.Zone
}

func (h holding) Records(context.Context, string) (*zone.Zone, error) { return h.z, nil }
func (h holding) Capabilities() provider.Capabilities                 { return provider.Capabilities{} }

// errs is a testing.TB that keeps what it is told is wrong.
type errs struct {
	testing.TB
	said []string
}

func (e *errs) Helper() {}
func (e *errs) Errorf(format string, args ...any) {
	e.said = append(e.said, format)
}

// TestConverged: the shared tests' one check that a push left nothing to
// do (converged) passes a provider that holds git's zone and fails one
// that holds less.
func TestConverged(t *testing.T) {
	head := "$ORIGIN example.com.\n@ 3600 SOA ns1.example.net. admin.example.com. 1 7200 3600 1209600 300\n@ 3600 NS ns1.example.net.\n"
	d := Desired(t, "example.com.", head+CommonRecords)
	empty := Desired(t, "example.com.", head)
	for _, c := range []struct {
		name  string
		holds *zone.Zone
		fails bool
	}{
		{"holds git's zone", d, false},
		{"holds the apex alone", empty, true},
	} {
		e := &errs{TB: t}
		converged(e, holding{z: c.holds}, d, "pushed")
		// Failed by converged's own check, not by another error on the
		// way (a Plan that refuses what the fake lacks).
		failed := slices.ContainsFunc(e.said, func(f string) bool { return strings.Contains(f, "plan not empty") })
		if failed != c.fails {
			t.Errorf("%s: converged failed %v (%q), want %v", c.name, failed, e.said, c.fails)
		}
	}
}
