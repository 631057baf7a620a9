package dnssec

import "testing"

// mayHaveChanged: which two records of the same key tags count as a set
// that may have lost keys between them (the DNSKEY wait starts again).
func TestMayHaveChanged(t *testing.T) {
	s := func(serial uint32, rrsig, signing, keys string) KeySet {
		return KeySet{Tags: []uint16{1, 2}, TTL: 300, Serials: []uint32{serial}, RRSIG: rrsig, Signing: signing, Keys: keys}
	}
	for _, tc := range []struct {
		name string
		a, b KeySet
		want bool
	}{
		{"nothing moved", s(1, "x", SigningStable, "k"), s(1, "x", SigningStable, "k"), false},
		{"a push: the serial alone", s(1, "x", SigningStable, "k"), s(2, "x", SigningStable, "k"), false},
		{"a stable signer re-signed at the same serial", s(1, "x", SigningStable, "k"), s(1, "y", SigningStable, "k"), true},
		{"a per-answer signer's signatures alone", s(1, "x", SigningPerAnswer, "k"), s(1, "y", SigningPerAnswer, "k"), false},
		{"a per-answer signer, serial and signatures", s(1, "x", SigningPerAnswer, "k"), s(2, "y", SigningPerAnswer, "k"), true},
		{"signing unknown (not asked again): both must move", s(1, "x", "", "k"), s(1, "y", SigningStable, "k"), false},
		{"the set itself, the same tags", s(1, "x", SigningPerAnswer, "k"), s(1, "x", SigningPerAnswer, "other"), true},
		{"records from before: no serials, no signatures", KeySet{Tags: []uint16{1, 2}}, KeySet{Tags: []uint16{1, 2}}, false},
		{"a record from before the digests", KeySet{Tags: []uint16{1, 2}, Serials: []uint32{1}, RRSIG: "x"}, s(2, "y", SigningStable, "k"), true},
	} {
		if got := mayHaveChanged(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: mayHaveChanged = %v, want %v", tc.name, got, tc.want)
		}
	}
}
