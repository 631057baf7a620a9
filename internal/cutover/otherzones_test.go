package cutover

import (
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestOtherZones: a step's config carries every other zone of the
// config, with its file, for finish's git-target checks.
func TestOtherZones(t *testing.T) {
	const yml = `
zones:
  - {name: example.test, file: zones/example.test.zone}
  - {name: other.test, file: zones/other.test.zone}
  - {name: third.test, file: /abs/third.zone}
`
	cfg, err := config.Parse([]byte(yml), "/repo/dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := otherZones(cfg, "example.test.")
	want := []GitZone{{Origin: "other.test.", File: "/repo/zones/other.test.zone"}, {Origin: "third.test.", File: "/abs/third.zone"}}
	if !slices.Equal(got, want) {
		t.Errorf("other zones %+v, want %+v", got, want)
	}
}
