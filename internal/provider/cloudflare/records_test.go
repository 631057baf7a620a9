package cloudflare

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// Every mapped type survives API form and back unchanged.
func TestRecordRoundTrip(t *testing.T) {
	for _, s := range []string{
		`a.example.com. 300 IN A 192.0.2.1`,
		`a.example.com. 300 IN AAAA 2001:db8::1`,
		`c.example.com. 300 IN CNAME target.example.net.`,
		`sub.example.com. 300 IN NS ns1.example.net.`,
		`1.2.0.192.in-addr.arpa. 300 IN PTR host.example.com.`,
		`example.com. 300 IN MX 10 mail.example.com.`,
		`example.com. 300 IN MX 0 .`,
		`t.example.com. 300 IN TXT "v=spf1 -all" "second \"quoted\" string"`,
		`t.example.com. 300 IN TXT "` + strings.Repeat("k", 255) + `" "tail"`,
		`_sip._tcp.example.com. 300 IN SRV 10 5 5060 sip.example.com.`,
		`example.com. 300 IN CAA 128 issue "ca.example; account=1"`,
		`svc.example.com. 300 IN HTTPS 1 . alpn="h3,h2" no-default-alpn mandatory=alpn port=8443 ipv6hint=2001:db8::1`,
		`svc.example.com. 300 IN SVCB 0 target.example.net.`,
		`_443._tcp.example.com. 300 IN TLSA 3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF`,
		`h.example.com. 300 IN SSHFP 4 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF`,
		`sub.example.com. 300 IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF`,
		`_u.example.com. 300 IN URI 10 1 "https://example.com/"`,
		`n.example.com. 300 IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.`,
		`*.w.example.com. 60 IN A 192.0.2.7`,
		`c.example.com. 300 IN CERT 1 12345 8 MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA`,
		`x._smimecert.example.com. 300 IN SMIMEA 3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF`,
		`x._openpgpkey.example.com. 300 IN OPENPGPKEY mQENBFLTs2YBCADHtTNoOhsi2yWbvKCsNxBWcJw2Q0g=`,
	} {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := toRecord(rr)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if strings.HasSuffix(rec.Name, ".") {
			t.Errorf("%s: API name %q has a final dot", s, rec.Name)
		}
		back, err := toRR(rec)
		if err != nil {
			t.Fatalf("%s: %v (content %q data %s)", s, err, rec.Content, rec.Data)
		}
		if back.String() != rr.String() {
			t.Errorf("round trip\n%s\n%s", rr, back)
		}
	}
	// An automatic TTL reads as the 300 Cloudflare answers with.
	rr, err := toRR(record{Name: "a.example.com", Type: "A", Content: "192.0.2.1", TTL: autoTTL})
	if err != nil || rr.Header().Ttl != 300 {
		t.Errorf("automatic TTL read as %v (%v)", rr, err)
	}
	if _, err := toRecord(&dns.HINFO{Hdr: dns.RR_Header{Name: "x.", Rrtype: dns.TypeHINFO, Class: dns.ClassINET}}); err == nil {
		t.Error("HINFO accepted")
	}
}
