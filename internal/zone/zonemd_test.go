package zone

import (
	"fmt"
	"strings"
	"testing"
)

// TestStaleZONEMD: an apex ZONEMD is stale when no record of it has the
// SOA's serial and the zone's digest; one whose digest cannot be redone
// exactly (a CAA in the zone: its tag's case is folded) is judged by its
// serial alone, a false "current" rather than a push deleting a
// provider's ZONEMD that verifies; a listing without an SOA (an API's)
// tells nothing.
func TestStaleZONEMD(t *testing.T) {
	const head = "$ORIGIN a.test.\n$TTL 300\n@ SOA ns hm 5 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"
	load := func(text string) *Zone {
		z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	d, _ := ZONEMDDigest(load(head), zonemdSHA384)
	good := fmt.Sprintf("@ ZONEMD 5 1 1 %x\n", d)
	wrong := "@ ZONEMD 5 1 1 " + strings.Repeat("ab", 48) + "\n"
	withCAA := head + "@ CAA 0 issue \"ca.example\"\n"
	for _, tc := range []struct {
		text  string
		stale bool
	}{
		{head, false},
		{head + good, false},
		{head + wrong, true},
		{head + strings.Replace(good, "ZONEMD 5", "ZONEMD 4", 1), true},
		{head + wrong + good, false},                                // one record that verifies
		{head + strings.Replace(wrong, "5 1 1", "5 1 9", 1), false}, // an unknown hash: the serial alone
		{withCAA + wrong, false},
		{withCAA + strings.Replace(wrong, "ZONEMD 5", "ZONEMD 4", 1), true},
		{strings.Replace(head, "@ SOA ns hm 5 2 3 4 5\n", "", 1) + wrong, false},
	} {
		if got := StaleZONEMD(load(tc.text)); got != tc.stale {
			t.Errorf("StaleZONEMD = %v, want %v:\n%s", got, tc.stale, tc.text)
		}
	}
}
