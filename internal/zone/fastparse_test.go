package zone

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestFastRRSameAsZoneParser: every line fastRR reads gives the record
// (owner, type, class, canonical RDATA, or the same error) that miekg/dns's
// zone parser gives for it, and the common forms are read.
func TestFastRRSameAsZoneParser(t *testing.T) {
	long := strings.Repeat("a", 63)
	cases := []struct {
		line string
		fast bool // fastRR must read it
	}{
		{"host1 300 IN A 10.0.0.1", true},
		{"host1 A 10.0.0.1", true},
		{"HOST1 in a 10.0.0.1", true},
		{"host1 IN 300 A 10.0.0.1", true},
		{"@ 3600 IN A 192.0.2.1", true},
		{"host1.example. A 192.0.2.1", true},
		{"host1.other.test. A 192.0.2.1", true},
		{"*.w A 192.0.2.9", true},
		{"_x._tcp A 192.0.2.9", true},
		{long + " A 192.0.2.9", true},
		{"v6 IN AAAA 2001:db8::1", true},
		{"v6 IN AAAA 2001:DB8::1:0:0:1", true},
		{"v6 IN AAAA ::ffff:192.0.2.1", true},
		{"www 600 IN CNAME host1", true},
		{"www CNAME Host1.Example.", true},
		{"www CNAME @", true},
		{"mail IN MX 10 host1", true},
		{"mail IN MX 0 .", true},
		{"mail IN MX 65535 host1.example.", true},
		{"@ NS ns1", true},
		{`txt IN TXT "v=spf1 ip4:10.0.0.0/24 include:_spf.example.net -all"`, true},
		{`txt TXT "a" "b"`, true},
		{`txt TXT ""`, true},
		{`txt TXT "semi;colon (and parens)"`, true},
		{`txt TXT "` + strings.Repeat("x", 230) + `"`, true},
		{`txt TXT "` + strings.Repeat("x", 255) + `"`, false}, // a line over 250 octets: the name length checks
		{"_sip._tcp IN SRV 10 5 5060 sip", true},
		{"_sip._tcp 300 SRV 0 0 0 .", true},
		{"_sip._tcp SRV 65535 65535 65535 Sip.Example.", true},
		{"_sip._tcp srv 1 2 3 @", true},
		{"@ IN SOA ns1 hostmaster 1 3600 600 1209600 300", true},
		{"@ 3600 IN SOA ns1.example. hostmaster.example. 4294967295 0 0 0 0", true},
		{"@ SOA . . 0001 2 3 4 5", true},
		// miekg/dns's own reading
		{"host1 300 300 A 10.0.0.1", false},
		{"host1 1h A 10.0.0.1", false},
		{"host1 CH A 10.0.0.1", false},
		{"host1 A 10.0.0.1 extra", false},
		{"host1 A 010.0.0.1", false},
		{"host1 A 1.2.3", false},
		{"host1 A 2001:db8::1", false},
		{"v6 AAAA 192.0.2.1", false},
		{"v6 AAAA fe80::1%eth0", false},
		{"v6 AAAA 2001:db8::g", false},
		{"mail MX 65536 host1", false},
		{"mail MX ten host1", false},
		{"mail MX 10", false},
		{"a" + long + " A 192.0.2.9", false},
		{`www CNAME host\.1`, false},
		{`txt TXT unquoted words`, false},
		{`txt TXT "esc\"aped"`, false},
		{`txt TXT "` + strings.Repeat("x", 256) + `"`, false},
		{`txt TXT "a""b"`, false},
		{"host1 A ( 10.0.0.1 )", false},
		{"host1 TYPE1 \\# 4 0a000001", false},
		{"_s._tcp SRV 0 0 65536 host1", false},
		{"_s._tcp SRV 0 0 80", false},
		{"_s._tcp SRV 0 0 80 host1 extra", false},
		{"_s._tcp SRV -1 0 80 host1", false},
		{"_s._tcp SRV +1 0 80 host1", false},
		{`_s._tcp SRV 0 0 80 host\.1`, false},
		{"@ SOA ns1 hostmaster 1 1h 600 1209600 300", false},
		{"@ SOA ns1 hostmaster 4294967296 3600 600 1209600 300", false},
		{"@ SOA ns1 hostmaster 1 3600 600 1209600", false},
		{"@ SOA ns1 hostmaster 1 3600 600 1209600 300 7", false},
		{"@ SOA ns1 hostmaster x 3600 600 1209600 300", false},
		{"@ SOA ns1 host\\.master 1 3600 600 1209600 300", false},
		{"@ SOA ns1 hostmaster ( 1 3600 600 1209600 300 )", false},
	}
	for _, c := range cases {
		line := c.line + "\n"
		b := &batch{buf: []byte(line), jobs: []job{{origin: "example.", tend: int32(len(line))}}}
		j := &b.jobs[0]
		var sc fastScratch
		rr := fastRR(b, j, &sc)
		if (rr != nil) != c.fast {
			t.Errorf("%s: fastRR read it: %v, want %v", c.line, rr != nil, c.fast)
		}
		if rr == nil {
			continue
		}
		zp := dns.NewZoneParser(strings.NewReader("$TTL 0\n$ORIGIN example.\n"+line), "example.", "")
		want, ok := zp.Next()
		if !ok {
			t.Errorf("%s: fastRR reads a line miekg/dns refuses: %v", c.line, zp.Err())
			continue
		}
		var got, exp job
		buf := make([]byte, 0, 512)
		parsed(&got, rr, &buf)
		parsed(&exp, want, &buf)
		if got.name != exp.name || got.rrtype != exp.rrtype || got.class != exp.class || got.rdata != exp.rdata || got.err != exp.err || got.empty != exp.empty || got.minttl != exp.minttl {
			t.Errorf("%s:\n fast   %q %d %d %x %q\n miekg  %q %d %d %x %q", c.line, got.name, got.rrtype, got.class, got.rdata, got.err, exp.name, exp.rrtype, exp.class, exp.rdata, exp.err)
		}
	}
}

// TestFastNameAsIsDomainName: fastName takes a name only where
// dns.IsDomainName does, and makes it absolute as miekg/dns does.
func TestFastNameAsIsDomainName(t *testing.T) {
	for _, n := range []string{"a", "a.b", "a.b.", ".", "@", "*", "*.w", "_x._tcp", "a..b", ".a", "a.", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 63) + "." + strings.Repeat("b", 63), "a-b.C_d", "a\\.b", "a b", ""} {
		for _, origin := range []string{"example.", "."} {
			got, ok := fastName([]byte(n), origin)
			if !ok {
				continue
			}
			if n == "@" {
				if got != origin {
					t.Errorf("%q at %s: %q", n, origin, got)
				}
				continue
			}
			if _, valid := dns.IsDomainName(n); !valid {
				t.Errorf("%q: fastName takes a name dns.IsDomainName refuses", n)
			}
			want := n
			if !dns.IsFqdn(n) {
				want = n + "." + origin
				if origin == "." {
					want = n + "."
				}
			}
			if got != want {
				t.Errorf("%q at %s: %q, want %q", n, origin, got, want)
			}
		}
	}
}

// TestParseIPv4AsNetip: parseIPv4 takes exactly the IPv4 addresses
// netip.ParseAddr takes, with the same octets.
func TestParseIPv4AsNetip(t *testing.T) {
	in := []string{"0.0.0.0", "10.0.0.1", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.02.3.4", "1.2.3.00", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", "a.b.c.d", "1.2.3.-4", "", "1", "192.0.2.53", "1.2.3.4a", "999.1.1.1", "0.0.0.00"}
	for i := 0; i < 2000; i++ {
		var b []byte
		for k := 0; k < 1+i%11; k++ {
			b = append(b, "0123456789.."[(i*7+k*13+k*k*i)%12])
		}
		in = append(in, string(b))
	}
	for _, s := range in {
		got, ok := parseIPv4([]byte(s))
		ip, err := netip.ParseAddr(s)
		want := err == nil && ip.Is4()
		if ok != want || ok && got != ip.As4() {
			t.Errorf("%q: parseIPv4 %v %v, netip %v %v", s, got, ok, ip, want)
		}
	}
}
