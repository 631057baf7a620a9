package export

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// everyTypeRecords are records of every type check accepts, with edge
// values (differential testing against named-checkzone, which loads each;
// their canonical RDATA equals named-rrchecker -u's but for the fields
// Normalize folds: CAA tags, NAPTR flags): import must write each so that
// it reads back as the same RRset. An owner "x" is made unique.
var everyTypeRecords = []string{
	"x TXT \"a\\\"b\" \"c\\\\d\" \"\\065\\066\" \"semi;colon\" \"\\255\\000\"",
	"x TXT a\\;b c\\\"d",
	"x TXT \"é\"",
	"x CAA 0 issue \"ca.example; key=\\\"v\\\"\"",
	"x CAA 0 issue \"\\255\"",
	"x CAA 128 iodef \"mailto:a@b\"",
	"x URI 10 1 \"https://example.com/a\\\"b\"",
	"x NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.",
	"x NAPTR 100 10 \"\" \"\" \"!^(.*)$!\\\\1!\" .",
	"x SVCB 1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1,192.0.2.2 mandatory=alpn,port",
	"x SVCB 1 . alpn=h2\\\\,x,h3",
	"x SVCB 1 . alpn=\"h2\\\\\\\\,x,h3\"",
	"x SVCB 1 . alpn=\"a\\\\\\\\b\"",
	"x SVCB 1 . key65333=abc",
	"x SVCB 1 . key65333=\"a\\\\044b\"",
	"x SVCB 1 . key65333",
	"x SVCB 1 . ipv6hint=2001:db8::1,2001:db8::2",
	"x SVCB 1 . ech=AEX+DQBB8wAgACBaOT9YnhG0ogJLDxQYkuqzS2Ok4PqtkjTDcJwp8UO2VAAEAAEAAQASY2xvdWRmbGFyZS1lY2guY29tAAA=",
	"x SVCB 1 . dohpath=/dns-query{?dns}",
	"x HTTPS 1 . alpn=h2 no-default-alpn port=8443",
	"x HTTPS 0 target.example.",
	"x HTTPS 1 target.example. alpn=h3",
	"x SVCB 1 . mandatory=key65333,alpn alpn=h2 key65333=x",
	"x HINFO \"INTEL-386\" \"UNIX\"",
	"x HINFO a\\ b c",
	"x RP mbox.example. txt.example.",
	"x AFSDB 1 afs.example.",
	"x X25 311061700956",
	"x X25 \"311061700956\"",
	"x RT 10 rt.example.",
	"x PX 10 a.example. b.example.",
	"x GPOS -32.6882 116.8652 10.0",
	"x LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
	"x LOC 0 0 0.001 S 0 0 0.001 W 42849672.95m 90000000m 90000000m 90000000m",
	"x LOC 52 22 N 4 53 E 0m",
	"x LOC 52 N 4 E 0m 1.5m 20m 3.33m",
	"x APL 1:192.168.32.0/21 !1:192.168.38.0/28 2:2001:db8::/32 1:0.0.0.0/0",
	"x APL",
	"x SSHFP 1 1 0123456789abcdef0123456789abcdef01234567",
	"x TLSA 3 1 1 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	"x SMIMEA 3 1 1 00",
	"x CERT PKIX 0 0 AAAA",
	"x CERT IPGP 0 RSASHA256 AAAA",
	"x DS 12345 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"x DS 12345 RSASHA256 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"x DNSKEY 257 3 ED25519 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
	"x RRSIG A 8 2 300 20300101000000 20200101000000 12345 example. AAAA",
	"x RRSIG A 8 2 300 1893456000 1577836800 12345 example. AAAA",
	"x RRSIG TYPE65534 ED25519 2 300 20300101000000 20200101000000 12345 example. AAAA",
	"x NSEC a.example. A NS SOA RRSIG NSEC TYPE65534",
	"a0 NSEC3 1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
	"abcdefgh NSEC3 1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s",
	"x NSEC3PARAM 1 0 10 aabb",
	"x CSYNC 66 3 A NS AAAA",
	"x CSYNC 0 0 TYPE0",
	"x NSEC a.example. TYPE0 A RRSIG NSEC TYPE65535",
	"x ZONEMD 2018031900 1 1 FEBE3D4CE2EC2FFA4BA99D46CD69D6D29711E55217057BEE7EB1A7B641A47BA7FED2DD5B97AE499FAFA4F22C6BD647DE",
	"x HIP 2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs.example.",
	"x IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	"x IPSECKEY 10 2 2 2001:db8::1 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	"x IPSECKEY 10 3 2 gw.example. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	"x IPSECKEY 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	"x AMTRELAY 10 0 1 192.0.2.1",
	"x AMTRELAY 10 0 2 2001:db8::1",
	"x AMTRELAY 10 0 3 relay.example.",
	"x AMTRELAY 10 1 0 .",
	"x AMTRELAY 10 0 0 .",
	"x DHCID AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
	"x OPENPGPKEY AAAA",
	"x EUI48 01-23-45-67-89-ab",
	"x EUI64 01-23-45-67-89-ab-cd-ef",
	"x L32 10 10.1.2.0",
	"x L64 10 2001:0DB8:1140:1000",
	"x LP 10 l64-subnet1.example.com.",
	"x NID 10 0014:4fff:ff20:ee64",
	"x KX 10 kx.example.",
	"x TALINK a.example. b.example.",
	"x NINFO \"a\" \"b\"",
	"x AVC \"app-name:WOLFGANG|app-class:OAM\"",
	"x RESINFO qnamemin exterr=15,16,17",
	"x MINFO a.example. b.example.",
	"x MB a.example.",
	"x NSAP-PTR foo.example.",
	"x NSAP 0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00",
	"x WKS 192.0.2.1 TCP smtp http",
	"x DOA 0 1 2 \"\" aGVsbG8=",
	"x TYPE65534 \\# 3 010203",
	"x A \\# 4 C0000201",
	"x SPF \"v=spf1 -all\"",
	"x SRV 0 0 0 .",
	"x NULL \\# 3 010203",
	"x EID 0123",
	"x NIMLOC 0123",
	"x TA 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"x DLV 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"x KEY 0 3 RSASHA1 AwEAAQ==",
	"x SIG A 8 2 300 20300101000000 20200101000000 12345 example. AAAA",
	"x CDS 0 0 0 00",
	"x CDNSKEY 0 3 0 AA==",
	"x ISDN \"150862028003217\" \"004\"",
	"x SMIMEA 0 0 0 AAAA",
	"x WALLET \"BTC\" \"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\"",
	"x DSYNC CDS NOTIFY 5359 cds-scanner.example.net.",
	"x HHIT AAAA",
	"x BRID AAAA",
}

// TestWriteEveryType: every record of everyTypeRecords is written as a
// record (none commented out) and reads back as the same RRset.
func TestWriteEveryType(t *testing.T) {
	const origin = "example."
	text := "$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n"
	for i, r := range everyTypeRecords {
		// one owner per record: x1, x2, ... (NSEC3 owners are hashes)
		if rest, ok := strings.CutPrefix(r, "x "); ok {
			r = "x" + strconv.Itoa(i) + " " + rest
		}
		text += r + "\n"
	}
	z := zonetest.Load(t, text, origin)
	writesBack(t, z, origin)
}
