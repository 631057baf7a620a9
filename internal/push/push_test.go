package push

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
)

// TestPushOrder: zone by zone, each to the providers in config order, so
// that a failure leaves as few zones as possible different between them.
func TestPushOrder(t *testing.T) {
	mk := func(prov, z string) *Target { return &Target{Plan: &plan.Plan{Provider: prov, Zone: z}} }
	targets := []*Target{mk("old", "a."), mk("old", "b."), mk("new", "a."), mk("new", "b.")}
	var got []string
	for _, i := range Order(targets) {
		got = append(got, targets[i].Plan.Provider+" "+targets[i].Plan.Zone)
	}
	if want := "old a.,new a.,old b.,new b."; strings.Join(got, ",") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
