package mailauth

import "testing"

// TestUnparsed: the one wording of RFC 6376 §3.6.1's rule for a DKIM key
// record that does not parse, as check (a zone's record) and parity (one
// side's, both sides', each side its own error) say it.
func TestUnparsed(t *testing.T) {
	for _, tc := range []struct{ what, why, who, want string }{
		{"does not parse", "no p= tag", "verifiers",
			"the DKIM key record does not parse (RFC 6376 §3.6.1): no p= tag; verifiers fail every signature with this selector"},
		{"does not parse on old and new", "no p= tag", "verifiers",
			"the DKIM key record does not parse on old and new (RFC 6376 §3.6.1): no p= tag; verifiers fail every signature with this selector"},
		{"does not parse on old (a) nor on new (b)", "", "verifiers",
			"the DKIM key record does not parse on old (a) nor on new (b) (RFC 6376 §3.6.1): verifiers fail every signature with this selector"},
		{"on new does not parse", "no p= tag", "verifiers that reach new",
			"the DKIM key record on new does not parse (RFC 6376 §3.6.1): no p= tag; verifiers that reach new fail every signature with this selector"},
	} {
		if got := Unparsed(tc.what, tc.why, tc.who); got != tc.want {
			t.Errorf("Unparsed(%q, %q, %q)\n= %q\nwant %q", tc.what, tc.why, tc.who, got, tc.want)
		}
	}
}
