package delegation

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
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
		// Escapes stand for the octets they name (RFC 1035 §5.1): an
		// escaped letter is that letter, an escaped dot or space is not
		// a host name's.
		{`ns\065.example.test.`, ""},
		{`ns\0451.example.test.`, ""}, // \045 is '-'
		{`ns\045.example.test.`, `starts or ends with a hyphen`},
		// Empty labels: no domain name at all.
		{"ns..example.test.", "empty label"},
		{".ns.example.test.", "empty label"},
		{"ns.example.test..", "empty label"},
		// Lengths in octets as sent (RFC 1035 §2.3.4: 63 a label, 255
		// the name, 253 characters written out without escapes).
		{strings.Repeat("a", 63) + ".example.test.", ""},
		{strings.Repeat("a.", 126) + "b.", ""},                    // 253 characters, 255 octets
		{strings.Repeat("a.", 127) + "b.", "255 characters long"}, // 255 characters
		{strings.Repeat(`\097.`, 126) + "b.", ""},                 // escaped, still 255 octets
		{"xn--nxasmq6b.example.", ""},
		{"ns1.example.test", ""}, // not absolute: the same host name
	}
	for _, tc := range cases {
		got := zone.HostnameProblem(tc.name)
		if (tc.why == "") != (got == "") || !strings.Contains(got, tc.why) {
			t.Errorf("HostnameProblem(%q) = %q, want %q", tc.name, got, tc.why)
		}
	}
}

// TestNSSyntaxOneRule: the delegation gate's ns-syntax check judges
// every name of zonetest.Hostnames as zone.HostnameProblem does (the one
// rule `check` shares), escaped labels included.
func TestNSSyntaxOneRule(t *testing.T) {
	for _, tc := range zonetest.Hostnames {
		c := nsSyntax(tc.Name)
		if c.OK != (tc.Why == "") || !strings.Contains(c.Detail, tc.Why) {
			t.Errorf("ns-syntax on %q: ok %v, %q; want refused for %q", tc.Name, c.OK, c.Detail, tc.Why)
		}
	}
}
