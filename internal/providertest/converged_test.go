package providertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

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

// TestUnreported: a change not reported applied and not as before the
// push is accounted for by the list Left puts it in only where that
// list is true of what the provider holds: done whole, only where a
// write may have been applied all the same (perhaps), listed perhaps
// applied or not known; neither old nor new, listed partly applied, or
// not known where a write may have been applied all the same. A push
// whose every failed write was refused (not perhaps) knows what it did:
// "not known" accounts for nothing there.
func TestUnreported(t *testing.T) {
	set := func(addr string) *zone.RRSet {
		return Desired(t, "example.", "$ORIGIN example.\n@ 300 SOA ns h 1 2 3 4 5\na 300 A "+addr+"\n").Get("a.example.", dns.TypeA)
	}
	c := provider.Change{Action: provider.Replace, Name: "a.example.", Type: dns.TypeA,
		Old: set("192.0.2.1"), New: set("192.0.2.2")}
	neither := set("192.0.2.3")
	one := []provider.Change{c}
	for _, tc := range []struct {
		name    string
		have    *zone.RRSet
		left    provider.Unfinished
		perhaps bool
		want    bool
	}{
		{"whole, perhaps applied", c.New, provider.Unfinished{Perhaps: one}, true, true},
		{"whole, perhaps applied, no write perhaps", c.New, provider.Unfinished{Perhaps: one}, false, false},
		{"whole, not known", c.New, provider.Unfinished{Unknown: one}, true, true},
		{"whole, not known, no write perhaps", c.New, provider.Unfinished{Unknown: one}, false, false},
		{"whole, not applied", c.New, provider.Unfinished{NotApplied: one}, true, false},
		{"whole, partly applied", c.New, provider.Unfinished{Partly: []provider.Part{{Change: c}}}, true, false},
		{"neither, partly applied", neither, provider.Unfinished{Partly: []provider.Part{{Change: c}}}, false, true},
		{"neither, not known", neither, provider.Unfinished{Unknown: one}, true, true},
		{"neither, not known, no write perhaps", neither, provider.Unfinished{Unknown: one}, false, false},
		{"neither, perhaps applied", neither, provider.Unfinished{Perhaps: one}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unreported(c, tc.have, tc.left, tc.perhaps); got != tc.want {
				t.Errorf("unreported = %v, want %v", got, tc.want)
			}
		})
	}
}
