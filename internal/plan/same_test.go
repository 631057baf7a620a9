package plan_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestSameRecordPlan: git writes side A of every pair, the provider holds
// side B (records as an API or a transfer gives them): the plan changes
// exactly the RRsets that differ. The CAA pair is a provider that
// lower-cases the tag: nothing to push there.
func TestSameRecordPlan(t *testing.T) {
	const origin = "example.test."
	desired := zonetest.Load(t, zonetest.Zone(origin, false), origin)
	var rrs []dns.RR
	zp := dns.NewZoneParser(strings.NewReader(zonetest.Zone(origin, true)), origin, "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	current, err := zone.FromRRs(origin, rrs)
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Compute(desired, current, plan.Options{ManageApex: true})
	seen := map[zone.Key]bool{}
	for _, c := range p.Changes {
		seen[c.Key()] = true
	}
	zonetest.Check(t, "plan", origin, seen)
}
