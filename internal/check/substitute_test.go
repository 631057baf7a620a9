package check

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestSubstituteLength: a DNAME substitution fits while the result is at
// most 255 octets on the wire (RFC 6672 §2.2: else YXDOMAIN), however
// long its presentation form: a label of 63 octets written as \DDD
// escapes is 252 characters.
func TestSubstituteLength(t *testing.T) {
	esc := strings.Repeat(`\200`, 63) // 63 octets, 252 characters
	l63 := strings.Repeat("a", 63)
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 NS ns\nns 300 A 192.0.2.1\nd 300 DNAME "+esc+"."+l63+".x.\n"), "z", "example.", "")
	if err != nil {
		t.Fatal(err)
	}
	r := zoneResolver{z}
	for _, c := range []struct {
		name string
		fits bool
	}{
		// 64 + 64 + 3 + 1 = 132 octets, 324 characters.
		{"a.d.example.", true},
		// 64 + 64 + 64 + 61 + 3 + 1 = 257 octets: too long.
		{l63 + "." + strings.Repeat("b", 60) + ".d.example.", false},
	} {
		if _, ok := r.substitute(c.name, "d.example."); ok != c.fits {
			t.Errorf("%s: fits %v, want %v", c.name, ok, c.fits)
		}
	}
}
