package powerdns

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestContent: each record is written as PowerDNS 4.7 prints it (its API
// refuses any other form), and what PowerDNS prints reads back, through
// fromContent and miekg/dns, as the same canonical RDATA. The "want"
// strings are PowerDNS's own (from its "parsed as" answers and GET).
func TestContent(t *testing.T) {
	tests := []struct{ rr, want string }{
		{`x TXT "a\;b" "semi;colon" "quote\"d" "back\\slash"`, `"a;b" "semi;colon" "quote\"d" "back\\slash"`},
		{`x TXT "\000\001\255" "caf\195\169" ""`, `"\000\001\255" "caf\195\169" ""`},
		{`x TXT "héllo ✓"`, `"h\195\169llo \226\156\147"`},
		{`x CAA 128 tbs "\"quoted\""`, `128 tbs "\"quoted\""`},
		{`x CERT PGP 0 0 mQENBFl0SdoBCAA=`, `3 0 0 mQENBFl0SdoBCAA=`},
		{`x CERT PKIX 12345 RSASHA256 AQID`, `1 12345 8 AQID`},
		{`x LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m`, `52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000.00m 10.00m`},
		{`x LOC 42 21 54 N 71 06 18 W -24m 30m`, `42 21 54.000 N 71 6 18.000 W -24.00m 30.00m 10000.00m 10.00m`},
		{`x LOC 33 51 0 S 151 12 0 E 10m`, `33 51 0.000 S 151 11 60.000 E 10.00m 1.00m 10000.00m 10.00m`},
		{`x SVCB 1 t.example. alpn="h2,h3" port=8443 ipv4hint=192.0.2.5,192.0.2.6`, `1 t.example. alpn=h2,h3 port=8443 ipv4hint=192.0.2.5,192.0.2.6`},
		{`x HTTPS 1 . mandatory=alpn alpn=h2 ipv6hint=2001:db8::1`, `1 . mandatory=alpn alpn=h2 ipv6hint=2001:db8::1`},
		{`x HTTPS 2 t.example. no-default-alpn alpn=h3`, `2 t.example. alpn=h3 no-default-alpn`},
		{`x SVCB 0 alias.example.`, `0 alias.example.`},
		{`x CNAME sp\032ace.example.`, `sp\032ace.example.`},
		{`x CNAME a\.b.example.`, `a\.b.example.`},
		{`x CNAME a\;b\(c\).example.`, `a;b(c).example.`},
		{`x PTR a\@b\$c.example.`, `a@b$c.example.`},
		{`x MX 10 caf\195\169.example.`, `10 caf\195\169.example.`},
		{`x NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@x.example!" .`, `100 10 "U" "E2U+sip" "!^.*$!sip:info@x.example!" .`},
		{`x NAPTR 10 0 "a" "x" "!^(\\+1)(.*)$!\\2@example.net!i" .`, `10 0 "a" "x" "!^(\\+1)(.*)$!\\2@example.net!i" .`},
		{`x TYPE65000 \# 4 0A000001`, `\# 4 0a000001`},
		{`x TYPE65001 \# 0`, `\# 0 `},
		{`x DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118`, `60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118`},
		{`x SSHFP 4 2 123456789abcdef67890123456789abcdef67890123456789abcdef123456789`, `4 2 123456789abcdef67890123456789abcdef67890123456789abcdef123456789`},
		// Types PowerDNS 4.7 has no text form for (RT, RESINFO, SIG):
		// RFC 3597's, as it prints them.
		{`x RT 10 relay.example.`, `\# 17 000a0572656c6179076578616d706c6500`},
		{`x RESINFO qnamemin exterr=15,16,17`, `\# 25 08716e616d656d696e0f6578746572723d31352c31362c3137`},
		{`x SIG A 8 2 300 20300101000000 20200101000000 12345 example. AAAA`, `\# 30 000108020000012c70dbd8805e0be1003039076578616d706c6500000000`},
		// Bitmaps with PowerDNS's type names: ENT for type 0, TYPEnnn for
		// a type it has no name for (its "parsed as" answers).
		{`x CSYNC 0 0 TYPE0`, `0 0 ENT`},
		{`x CSYNC 66 3 A NS AAAA`, `66 3 A NS AAAA`},
		{`x NSEC a.example. TYPE0 A RT NSEC TYPE65535`, `a.example. ENT A TYPE21 NSEC TYPE65535`},
		{`x NSEC3 1 0 0 - 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S TYPE0 A RESINFO`, `1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s ENT A TYPE261`},
	}
	for _, tc := range tests {
		rr, err := dns.NewRR("x.example. 300 IN " + tc.rr[2:])
		if err != nil {
			t.Fatalf("%s: %v", tc.rr, err)
		}
		// As the provider sees it: from the canonical model.
		s, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		got, err := content(s.RRs()[0])
		if err != nil {
			t.Errorf("%s: %v", tc.rr, err)
		}
		if !equalFold(got, tc.want) {
			t.Errorf("%s: content %q, want %q", tc.rr, got, tc.want)
		}
		// What PowerDNS prints back (the want) reads as the same data.
		// As the provider reads it: the type as PowerDNS names it.
		back, err := rrsetRRs(rrset{Name: "x.example.", Type: typeName(s.Type), TTL: 300, Records: []record{{Content: tc.want}}})
		if err != nil {
			t.Errorf("%s: PowerDNS's %q does not read back: %v", tc.rr, tc.want, err)
			continue
		}
		b, err := zone.NewRRSet(back)
		if err != nil || !b.SameData(s) {
			t.Errorf("%s: PowerDNS's %q reads back as %q (%v)", tc.rr, tc.want, b.Strings(), err)
		}
	}
}

// equalFold is PowerDNS's check (pdns_iequals): ASCII case-insensitive.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{
		"a.example.": true, "*.example.": true, "_443._tcp.example.": true, "a/b.example.": true, "a-b.example.": true,
		`a\.b.example.`: false, `a\032b.example.`: false, "a*b.example.": false, `a\(b.example.`: false, "a+b.example.": false,
		// PowerDNS 4.7 answers 422 "contains unsupported characters" for
		// a '*' label that is not the leftmost (TestOddOwnersListed).
		"a.*.example.": false, "*.*.example.": false, "*.a.example.": true,
		`at\@sign.example.`: false, `hi\128.example.`: false, `it\'s.example.`: false,
	} {
		if got := checkName(name) == ""; got != ok {
			t.Errorf("checkName(%q): ok=%v, want %v", name, got, ok)
		}
	}
}
