package zone

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// rdataCases are single records after apex: BIND 9.18's verdict (reject:
// the zone does not load) and a word our message must hold when we reject.
var rdataCases = []struct {
	rec    string
	reject bool
	want   string
}{
	// \DDD escapes in character-strings (RFC 1035 §5.1): three digits, at most 255.
	{`x TXT "\1"`, true, `\DDD`},
	{`x TXT "a\12b"`, true, `\DDD`},
	{`x TXT "\256"`, true, "over 255"},
	{`x TXT \256`, true, "over 255"},
	{`x TXT "\255" "\0651"`, false, ""},
	{`x NAPTR 100 10 "s" "SIP+D2U" "\300" _sip._udp.example.`, true, "over 255"},
	{`x HINFO "\25" "os"`, true, `\DDD`},
	// CAA tags: letters and digits (RFC 8659 §4.1).
	{`x CAA 0 Issue "ca.example"`, false, ""},
	{`x CAA 0 iss-ue "ca.example"`, true, "CAA tag"},
	{`x CAA 0 iss_ue "ca.example"`, true, "CAA tag"},
	// Digest lengths per algorithm (RFC 4034 §5, RFC 4509, RFC 6605, RFC 4255, RFC 6594, RFC 8976).
	{`x DS 1 8 1 0123456789abcdef0123456789abcdef01234567`, false, ""},
	{`x DS 1 8 1 0123456789abcdef0123456789abcdef012345`, true, "20"},
	{`x DS 1 8 2 0123456789abcdef0123456789abcdef01234567`, true, "32"},
	{`x DS 1 8 4 0123456789abcdef0123456789abcdef01234567`, true, "48"},
	{`x DS 1 8 9 0123`, false, ""},
	{`x CDS 1 8 2 0123456789abcdef0123456789abcdef01234567`, true, "32"},
	{`x SSHFP 1 1 0123456789abcdef0123456789abcdef01234567`, false, ""},
	{`x SSHFP 1 2 0123456789abcdef0123456789abcdef01234567`, true, "32"},
	{`x SSHFP 1 9 0123`, false, ""},
	{`@ ZONEMD 1 1 1 0123456789abcdef0123456789abcdef01234567`, true, "48"},
	{`@ ZONEMD 1 1 2 0123456789abcdef0123456789abcdef01234567`, true, "64"},
	{`@ ZONEMD 1 1 9 0123456789abcdef`, true, "12"},
	{`@ ZONEMD 1 1 9 0123456789abcdef01234567`, false, ""},
	{`@ ZONEMD 1 9 1 0123456789abcdef01234567`, true, "48"},
	// SVCB/HTTPS (RFC 9460 §7, §8).
	{`x SVCB 1 . alpn=h2 no-default-alpn`, false, ""},
	{`x SVCB 1 . no-default-alpn`, true, "no-default-alpn"},
	{`x HTTPS 1 . no-default-alpn`, true, "no-default-alpn"},
	{`x SVCB 1 . mandatory=alpn alpn=h2`, false, ""},
	{`x SVCB 1 . mandatory=alpn`, true, "missing"},
	{`x SVCB 1 . mandatory=mandatory,alpn alpn=h2`, true, "mandatory"},
	{`x SVCB 1 . alpn=h2 alpn=h3`, true, "twice"},
	{`x SVCB 1 . port=53 port=54`, true, "twice"},
	{`x SVCB 1 . mandatory=port,port port=53`, true, "twice"},
	{`x SVCB 1 . key01=abc`, true, "leading zero"},
	{`x SVCB 1 . key65534=abc`, false, ""},
	{`x SVCB 1 . mandatory=key123 key123=abc`, false, ""},
	{`x SVCB 0 . alpn=h2`, false, ""},
	{`x SVCB 1 . alpn=`, true, ""},
	{`x SVCB 1 . port=`, true, ""},
	// Character-strings hold at most 255 octets (RFC 1035 §3.3); miekg/dns
	// split a longer one in two, a third string in a HINFO (Knot zscanner
	// tests 22_HINFO, 12_TXT).
	{`x HINFO "` + strings.Repeat("a", 256) + `" "os"`, true, "over 255"},
	{`x AVC "` + strings.Repeat("a", 256) + `"`, true, "over 255"},
	{`x RESINFO "` + strings.Repeat("a", 256) + `"`, true, "over 255"},
	{`x NINFO "` + strings.Repeat("a", 256) + `"`, true, "over 255"},
	{`x WALLET "` + strings.Repeat("a", 256) + `"`, true, "over 255"},
	// Key and signature fields are not optional (RFC 4034 §2.2, §3.2;
	// RFC 2535 §3.1.2: a KEY with the no-key flags has none); 30_KEY,
	// 31_DNSKEY, 50_CDNSKEY, 36_RRSIG.
	{`x DNSKEY 257 3 8`, true, "public key"},
	{`x CDNSKEY 257 3 8`, true, "public key"},
	{`x KEY 256 3 8`, true, "public key"},
	{`x KEY 49152 3 8`, false, ""},
	{`x KEY 49152 3 8 AwEAAQ==`, true, "no-key"},
	{`x RRSIG A 8 2 300 20300101000000 20200101000000 1234 example.`, true, "signature"},
	// IPSECKEY gateway types 0-3 (RFC 4025 §2.3); 35_IPSECKEY.
	{`x IPSECKEY 10 4 2 . AwEAAQ==`, true, "gateway type"},
	// An empty item in an SvcParam list (57_SVCB): miekg/dns dropped it.
	{`x SVCB 1 . ipv4hint=192.0.2.1,`, true, "empty"},
	{`x SVCB 1 . ipv6hint=::1,,::2`, true, "empty"},
	{`x SVCB 1 . alpn=h2,`, true, "empty"},
	{`x SVCB 1 . mandatory=alpn, alpn=h2`, true, "empty"},
	// A type BIND knows needs its data (60_DSYNC).
	{`x DSYNC \# 0`, true, "no data"},
	// L64 and NID: four groups of hex digits (RFC 6742 §2.3.1); miekg/dns
	// dropped a fifth and read any separator (47_L64, 45_NID).
	{`x L64 10 0014:4fff:ff20:ee64:0001`, true, "four groups"},
	{`x L64 10 0014:4fff:ff20-ee64`, true, "four groups"},
	{`x NID 10 0014:4fff:ff20:ee64:0000`, true, "four groups"},
	// The delete records of RFC 8078 §4 are exactly CDS 0 0 0 00 and
	// CDNSKEY 0 3 0 AA==; any other CDS/CDNSKEY must match a DNSKEY
	// (49_CDS, 50_CDNSKEY).
	{`@ CDS 0 0 0 00`, false, ""},
	{`@ CDNSKEY 0 3 0 AA==`, false, ""},
	{`@ CDS 1 0 0 00`, true, "consistency"},
	{`@ CDS 0 0 0 01`, true, "consistency"},
	{`@ CDNSKEY 0 0 0 AA==`, true, "consistency"},
	{`@ CDNSKEY 256 3 0 AA==`, true, "consistency"},
	{`@ CDNSKEY 0 3 0 AQ==`, true, "consistency"},
	// miekg/dns stricter than BIND (shims in compat.go).
	{`x X25 "311061700956"`, false, ""},
	{`x X25 311061700956`, false, ""},
	{`x APL`, false, ""},
	{`x APL 1:192.168.32.0/21 !1:192.168.38.0/28`, false, ""},
}

const rdataApex = "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"

// TestRdataValidation: RDATA that BIND refuses is refused, with a message at
// the record's line that says why; what BIND loads stays accepted.
func TestRdataValidation(t *testing.T) {
	for _, c := range rdataCases {
		t.Run(c.rec, func(t *testing.T) {
			z, err := Parse(strings.NewReader(rdataApex+c.rec+"\n"), "t.zone", "example.", "")
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			if got := HasErrors(ps); got != c.reject {
				t.Fatalf("rejects=%v, BIND 9.18 rejects=%v: %v", got, c.reject, ps)
			}
			if !c.reject {
				for _, s := range z.Sets {
					for _, r := range s.Records {
						if _, err := FromRdata(s.Header(), r.Rdata); err != nil {
							t.Errorf("%s: stored RDATA does not unpack: %v", s.Key(), err)
						}
					}
				}
				return
			}
			for _, p := range ps {
				if p.Severity == Error && p.Pos.Line == 5 && strings.Contains(p.Message, c.want) {
					return
				}
			}
			t.Errorf("want an error at line 5 containing %q, got %v", c.want, ps)
		})
	}
}

// TestRdataCasesAgainstNamedCheckzone proves the table's verdicts with the
// oracle itself.
func TestRdataCasesAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	dir := t.TempDir()
	for i, c := range rdataCases {
		f := filepath.Join(dir, "c.zone")
		if err := os.WriteFile(f, []byte(rdataApex+c.rec+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		if rejects := err != nil; rejects != c.reject {
			t.Errorf("case %d %q: named-checkzone rejects=%v, table says %v:\n%s", i, c.rec, rejects, c.reject, out)
		}
	}
}

// differentialRecords are records of many types, given to named-checkzone
// and to Check; the verdicts must agree but where knownRdataDifferences
// says why not.
var differentialRecords = []string{
	`x NAPTR 100 10 "s!" "SIP+D2U" "" _sip._udp.example.`,
	`x NAPTR 100 10 "s" "SIP+D2U" "!^.*$!sip:x@example.com!" .`,
	`x NAPTR 100 10 "s" "SIP+D2U" "!^.*$!sip:x@example.com!" foo.example.`,
	`x CAA 128 issue "ca.example"`, `x CAA 0 issue "ca.example; key=val"`, `x CAA 0 issue ca.example`, `x CAA 0 tbs "x"`,
	`x SRV 0 0 65536 a`, `x MX 65536 a`, `x HINFO "a" "b"`, caaLong,
	`x LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m`, `x LOC 91 0 0 N 0 0 0 E 0m`,
	`x TLSA 4 1 1 0123`, `x TLSA 3 2 1 0123`, `x SSHFP 0 1 0123456789abcdef0123456789abcdef01234567`,
	`x IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==`,
	`x IPSECKEY 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==`,
	`x IPSECKEY 10 1 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==`,
	`x CERT PKIX 0 0 AAAA`, `x CERT 65535 0 0 AAAA`,
	`x DNSKEY 257 3 8 AAAA`, `x DNSKEY 256 2 8 AAAA`, `x DNSKEY 256 3 8 AAA`,
	`x DHCID AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=`, `x OPENPGPKEY AAAA`,
	`x URI 10 1 "ftp://ftp1.example.com/public"`, `x URI 10 1 ""`, `x SMIMEA 3 1 1 00`,
	`x EUI48 01-23-45-67-89-ab`, `x L32 10 10.1.2.0`, `x L64 10 2001:0DB8:1140:1000`, `x LP 10 l64-subnet1.example.com.`,
	`x NID 10 0014:4fff:ff20:ee64`, `x APL 1:192.168.32.0/21 !1:192.168.38.0/28`, `x APL 1:192.168.32.1/21`, `x APL`,
	`x AFSDB 0 a`, `x RP mbox txt`, `x KX 10 a`, `x TXT ""`, `x TXT "a" ""`, `x SPF "v=spf1 -all"`,
	`x AMTRELAY 0 0 0 .`, `x AMTRELAY 0 0 1 192.0.2.1`, `x AMTRELAY 0 0 3 a.example.`,
	`x RESINFO qnamemin exterr=15-17`, `x CSYNC 66 3 A NS AAAA`,
	`x SVCB 1 . ipv4hint=192.0.2.1,192.0.2.300`, `x SVCB 1 . dohpath=/q{?dns}`, `x SVCB 1 . alpn=h2,,h3`,
	`x SVCB 1 . alpn=h2\,h3`, `x SVCB 1 . ech=AAAA`, `x SVCB 1 . mandatory=alpn,port alpn=h2 port=1`,
	`x SVCB 1 foo.example. ipv6hint=::1`, `x HTTPS 0 foo.example. alpn=h2`,
	`x NSEC3PARAM 1 0 0 -`, `x NSEC3PARAM 1 0 10 AABBCCDD`, `x NSEC3PARAM 2 0 10 AABBCCDD`,
	`x TA 1 8 1 0123456789abcdef0123456789abcdef01234567`, `x CDNSKEY 0 3 0 AA==`,
	`x GPOS -32.6882 116.8652 10.0`, `x X25 "311061700956"`, `x ISDN "150862028003217" "004"`,
	`x RT 0 a`, `x PX 10 a b`, `x MINFO a b`, `x NULL \# 3 010203`, `x TYPE65534 \# 2 0102`, `x KEY 256 3 8 AAAA`,
}

var knownRdataDifferences = map[string]string{
	`x APL 1:192.168.32.1/21`: "miekg/dns refuses address bits beyond the prefix; BIND 9.18 loads them",
}

// caaLong: a CAA value is the rest of the RDATA, not a character-string
// (RFC 8659 §4.1.1): BIND and Knot load one of over 255 octets (Knot's
// zscanner test 52_CAA), and so does dnsparity (NewRR, caaGenericLine).
var caaLong = `x CAA 0 issue "` + strings.Repeat("b", 300) + `"`

func TestDifferentialAgainstNamedCheckzone(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	dir := t.TempDir()
	for _, rec := range differentialRecords {
		f := filepath.Join(dir, "d.zone")
		if err := os.WriteFile(f, []byte(rdataApex+rec+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		z, lerr := Load(f, Options{Origin: "example."})
		if lerr != nil {
			t.Fatal(lerr)
		}
		ps := Check(z)
		bind, ours := err != nil, HasErrors(ps)
		switch why := knownRdataDifferences[rec]; {
		case bind == ours && why != "":
			t.Errorf("%q: now agrees with BIND; remove it from knownRdataDifferences", rec)
		case bind != ours && why == "":
			t.Errorf("%q: dnsparity rejects=%v, named-checkzone rejects=%v\n%v\n%s", rec, ours, bind, ps, out)
		}
	}
}
