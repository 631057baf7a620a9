package zone_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestSameRecord: the canonical form makes both sides of a pair the same
// RRset exactly when the table says they are the same records; plan,
// parity and import test the same table (zonetest.Pairs).
func TestSameRecord(t *testing.T) {
	const origin = "example.test."
	load := func(text string) *zone.Zone {
		z, err := zone.Parse(strings.NewReader(text), "same.zone", origin, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range z.Problems {
			if p.Severity == zone.Error {
				t.Fatalf("%s", p)
			}
		}
		return z
	}
	a, b := load(zonetest.Zone(origin, false)), load(zonetest.Zone(origin, true))
	for _, p := range zonetest.Pairs {
		k := p.Key(origin)
		sa, sb := a.Get(k.Name, k.Type), b.Get(k.Name, k.Type)
		if sa == nil {
			t.Errorf("%s: side A has no %s", p.Owner, k)
			continue
		}
		if got := sa.SameData(sb) && sa.TTL == sb.TTL; got != p.Same {
			var bs []string
			if sb != nil {
				bs = sb.Strings()
			}
			t.Errorf("%s: same = %v, want %v (%s): %q against %q", p.Owner, got, p.Same, p.Why, sa.Strings(), bs)
		}
	}
}
