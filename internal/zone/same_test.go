package zone_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestSameRecord: the canonical form makes both sides of a pair the same
// RRset exactly when the table says they are the same records; plan,
// parity and import test the same table (zonetest.Pairs).
func TestSameRecord(t *testing.T) {
	const origin = "example.test."
	a, b := zonetest.Load(t, zonetest.Zone(origin, false), origin), zonetest.Load(t, zonetest.Zone(origin, true), origin)
	seen := map[zone.Key]bool{}
	for _, pair := range [][2]*zone.Zone{{a, b}, {b, a}} {
		for _, s := range pair[0].Sets {
			o := pair[1].Get(s.Name, s.Type)
			if !s.SameData(o) || s.TTL != o.TTL {
				seen[s.Key()] = true
			}
		}
	}
	zonetest.Check(t, "zone", origin, seen)
}
