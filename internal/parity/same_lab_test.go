package parity_test

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestSameRecordParity: the old server (BIND) serves side A of every pair
// of zonetest.Pairs as git writes it, the new server (BIND) side B: parity
// finds a difference exactly at the pairs that differ, with the same
// definition of the same record as plan and import.
func TestSameRecordParity(t *testing.T) {
	git := zonetest.Zone(origin, false)
	old, new := serve(t, "bind", git), serve(t, "bind", zonetest.Zone(origin, true))
	rep := run(t, loadText(t, git), []string{old}, []string{new})
	seen := map[zone.Key]bool{}
	for _, f := range rep.Findings {
		seen[zone.Key{Name: zone.CanonicalName(f.Name), Type: dns.StringToType[f.Type]}] = true
	}
	zonetest.Check(t, "parity", origin, seen)
	if t.Failed() {
		dump(t, rep)
	}
}
