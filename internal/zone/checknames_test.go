package zone

import (
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestIsHostname(t *testing.T) {
	cases := []struct {
		name     string
		wildcard bool
		want     bool
	}{
		{".", false, true},
		{"www.example.com.", false, true},
		{"a-b.example.com.", false, true},
		{"0.example.com.", false, true},
		{"my_host.example.com.", false, false},
		{"-lead.example.com.", false, false},
		{"trail-.example.com.", false, false},
		{`esc\.dot.example.com.`, false, false},
		{"*.example.com.", true, true},
		{"*.example.com.", false, false},
		{"deep.*.wc.example.com.", true, false},
		{"*", true, true},
		{"example.com", false, true},
	}
	for _, tc := range cases {
		if got := isHostname(tc.name, tc.wildcard); got != tc.want {
			t.Errorf("isHostname(%q, %v) = %v, want %v", tc.name, tc.wildcard, got, tc.want)
		}
	}
	var sink bool
	if n := testing.AllocsPerRun(100, func() { sink = isHostname("www.example.com.", true) }); n != 0 || !sink {
		t.Errorf("isHostname allocates %v times per call", n)
	}
}

// TestIsMailbox: BIND's dns_name_ismailbox on presentation names: the
// first label's octets, escapes decoded ("\." is a dot, "\065" an A),
// must be printable ASCII (0x21-0x7e); the rest must be a host name.
func TestIsMailbox(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{".", true},
		{"", true},
		{"host.example.", true},
		{"a_b.example.", true},
		{`a\.b.example.`, true},        // one label "a.b": the dot is printable
		{`\065b.example.`, true},       // "Ab"
		{`\033.example.`, true},        // "!"
		{`a\\.example.`, true},         // "a\": a backslash octet, printable
		{`a\"b.example.`, true},        // a quote
		{`a\032b.example.`, false},     // a space
		{`a\ b.example.`, false},       // a space, escaped as miekg/dns writes it
		{`\127x.example.`, false},      // DEL
		{`a\195b.example.`, false},     // an octet above 0x7e
		{`a\.b.bad_x.example.`, false}, // the rest is not a host name
		{`a\.b.b-.example.`, false},
		{`\065b`, true},
		{"a.", true},
	} {
		if got := isMailbox(tc.name); got != tc.want {
			t.Errorf("isMailbox(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCheckNamesRules: BIND's check-names rules on one record each, the
// verdicts taken from named-checkzone -k fail (BIND 9.18).
func TestCheckNamesRules(t *testing.T) {
	cases := []struct {
		origin, line string
		bad          string // the name refused, "" when BIND takes it
	}{
		{"example.com.", "sub NS ns_1.example.net.", "ns_1.example.net."},
		{"example.com.", "sub NS *.example.net.", "*.example.net."},
		{"example.com.", "sub NS 192.0.2.1.", ""},
		{"example.com.", "x MX 0 .", ""},
		{"example.com.", "x MX 1 a\\.b.example.net.", "a\\.b.example.net."},
		{"example.com.", "x_y MX 1 a.example.net.", "x_y.example.com."},
		{"example.com.", "x_y SRV 1 1 1 a.example.net.", ""},
		{"example.com.", "x_y NS a.example.net.", ""},
		{"example.com.", "x SRV 1 1 1 a_b.example.net.", "a_b.example.net."},
		{"example.com.", "x HTTPS 0 a_b.example.net.", ""},
		{"example.com.", "x HTTPS 1 a_b.example.net. alpn=h2", "a_b.example.net."},
		{"example.com.", "x HTTPS 1 .", ""},
		{"example.com.", "x PTR a_b.example.net.", ""},
		{"example.com.", "x CNAME a_b.example.net.", ""},
		{"example.com.", "x NAPTR 1 1 \"\" \"\" \"\" a_b.example.net.", ""},
		{"example.com.", "x RP a_b.example.com. .", ""},
		{"example.com.", "x RP x\\.y.example.com. .", ""},
		{"example.com.", "x RP \\065b.example.com. .", ""},
		{"example.com.", "x RP a\\.b.bad_x.example.com. .", "a\\.b.bad_x.example.com."},
		{"example.com.", "x RP -.example.com. .", ""},
		{"example.com.", "x RP a\\032b.example.com. .", "a\\ b.example.com."},
		{"example.com.", "x RP a\\195b.example.com. .", "a\\195b.example.com."},
		{"example.com.", "x RP a.b-.example.com. .", "a.b-.example.com."},
		{"example.com.", "x RP . a_b.example.com.", ""},
		{"example.com.", "x MINFO a.example.net. a.bad_x.example.net.", "a.bad_x.example.net."},
		{"example.com.", "@ SOA ns_1.example.com. host.example.com. 1 2 3 4 5", "ns_1.example.com."},
		{"example.com.", "@ SOA ns1.example.com. ho_st.bad_x.example.com. 1 2 3 4 5", "ho_st.bad_x.example.com."},
		{"example.com.", "@ SOA ns1.example.com. ho_st.example.com. 1 2 3 4 5", ""},
		{"2.0.192.in-addr.arpa.", "1 PTR my_host.example.com.", "my_host.example.com."},
		{"2.0.192.in-addr.arpa.", "1 PTR *.example.com.", "*.example.com."},
		{"2.0.192.in-addr.arpa.", "1 PTR .", ""},
		{"2.0.192.in-addr.arpa.", "lb._dns-sd._udp PTR a_b.example.com.", ""},
		{"2.0.192.in-addr.arpa.", "x._dns-sd._udp PTR a_b.example.com.", "a_b.example.com."},
		{"8.b.d.0.1.0.0.2.ip6.arpa.", "1 PTR my_host.example.com.", "my_host.example.com."},
		{"ip6.int.", "1 PTR a_b.example.com.", "a_b.example.com."},
	}
	for _, tc := range cases {
		rr, err := dns.NewRR("$ORIGIN " + tc.origin + "\n" + tc.line)
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		rdata, err := CanonicalRdata(rr)
		if err != nil {
			t.Fatal(err)
		}
		f, bad := CheckNames(CanonicalName(rr.Header().Name), rr.Header().Rrtype, rdata)
		if bad != (tc.bad != "") || (bad && f.Name != tc.bad) {
			t.Errorf("%s (in %s): refused %v (name %q), want %q", tc.line, tc.origin, bad, f.Name, tc.bad)
		}
	}
}

// TestCheckNamesWarns: check warns, naming file and line, on an NS target
// and on a PTR target in a reverse zone that BIND refuses (neither warned
// before: only A/AAAA owners and MX/SRV/SOA names were checked).
func TestCheckNamesWarns(t *testing.T) {
	for _, tc := range []struct{ origin, text, want string }{
		{"example.com.", "$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nsub NS ns_1.example.net.\n", "f.zone:5: sub.example.com. NS: bad name 'ns_1.example.net.' (target): not a host name"},
		{"2.0.192.in-addr.arpa.", "$TTL 300\n@ SOA ns1.example.com. host.example.com. 1 2 3 4 5\n@ NS ns1.example.com.\n1 PTR my_host.example.com.\n", "f.zone:4: 1.2.0.192.in-addr.arpa. PTR: bad name 'my_host.example.com.' (PTR target in a reverse zone): not a host name"},
	} {
		z, err := Parse(strings.NewReader(tc.text), "f.zone", tc.origin, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range Check(z) {
			if p.Severity == Warning {
				got = append(got, p.String())
			}
		}
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, tc.want) }) {
			t.Errorf("%s: problems %q, want one starting %q", tc.origin, got, tc.want)
		}
	}
}

// TestAddressTargets: an MX or NS target written as an address with a
// final dot is a name nothing resolves; check warns (named-checkzone:
// "MX is an address", "NS record ... appears to be an address"), naming
// file and line. A host name target, and an in-zone name such as
// 192.0.2.1.example.com. written in full, do not warn so.
func TestAddressTargets(t *testing.T) {
	head := "$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.53\n"
	for _, tc := range []struct{ line, want string }{
		{"mx MX 10 192.0.2.1.", "f.zone:5: mx.example.com. MX '192.0.2.1.' is an address, not a host name: mail delivery to mx.example.com. fails"},
		{"mx MX 10 2001:db8::1.", "f.zone:5: mx.example.com. MX '2001:db8::1.' is an address"},
		{"sub NS 192.0.2.1.", "f.zone:5: sub.example.com. NS '192.0.2.1.' appears to be an address"},
		{"sub NS 192.0.2.1", "f.zone:5: sub.example.com. NS '192.0.2.1.example.com.' has no address records (A or AAAA) (an address written as a target?"},
		{"mx MX 10 mail.example.net.", ""},
		{"mx MX 10 192.0.2.1.example.com.\n192.0.2.1 A 192.0.2.1", ""},
	} {
		z, err := Parse(strings.NewReader(head+tc.line+"\n"), "f.zone", "example.com.", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range Check(z) {
			if p.Severity == Warning {
				got = append(got, p.String())
			}
		}
		if tc.want == "" && len(got) > 0 || tc.want != "" && !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, tc.want) }) {
			t.Errorf("%s: warnings %q, want %q", tc.line, got, tc.want)
		}
	}
}
