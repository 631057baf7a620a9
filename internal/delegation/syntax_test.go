package delegation

import (
	"strings"
	"testing"
)

// TestHostnameProblem: the NS names ns-syntax (Zonemaster SYNTAX04)
// passes and refuses, each refusal saying why.
func TestHostnameProblem(t *testing.T) {
	long := strings.Repeat("a", 64)
	cases := []struct {
		name string
		why  string // "" when it is a host name
	}{
		{"ns1.example.test.", ""},
		{"NS1.Example.TEST.", ""},
		{"1ns.0.example.test.", ""}, // digits may start a label (RFC 1123 §2.1)
		{"xn--bcher-kva.example.", ""},
		{"ns_1.example.test.", `"ns_1" holds '_'`},
		{"ns1-.example.test.", `"ns1-" starts or ends with a hyphen`},
		{"-ns1.example.test.", `"-ns1" starts or ends with a hyphen`},
		{"*.example.test.", `"*" holds '*'`},
		{`ns\032x.example.test.`, "escaped character"},
		{`a\.b.example.test.`, "escaped character"},
		{long + ".example.test.", "64 octets long"},
		{"192.0.2.1.", "IP address 192.0.2.1"},
		{"2001:db8::1.", "IP address 2001:db8::1"},
		{"ns.example.123.", `last label "123" is all digits`},
		{".", "the root"},
	}
	for _, tc := range cases {
		got := hostnameProblem(tc.name)
		if (tc.why == "") != (got == "") || !strings.Contains(got, tc.why) {
			t.Errorf("hostnameProblem(%q) = %q, want %q", tc.name, got, tc.why)
		}
	}
}
