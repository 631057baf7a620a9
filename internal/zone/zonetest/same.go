// Package zonetest is the one table of what "the same record" means, for
// the tests of every stage that compares records: the canonical form
// (zone), a plan against a provider's records (plan), two servers'
// answers and git (parity), and a provider's zone written as a file and
// read back (import). Each stage's test loads both sides of every pair
// and asserts that it sees a difference exactly at the pairs that differ.
package zonetest

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Pair is one RRset written two ways, and whether the two are the same
// records (as a resolver, a CA, a mail server... must treat them).
type Pair struct {
	// Owner is the owner's name relative to the origin, as side A writes
	// it (canonical form: lower case, escapes as miekg/dns prints them);
	// Type is the RRset's type.
	Owner, Type string
	// A and B are the RRset as zone-file lines relative to the origin,
	// owner and TTL written, one record a line.
	A, B string
	Same bool
	// Why is the rule behind Same.
	Why string
}

// Pairs: every spelling the canonical form makes equal, and differences
// it must keep (never normalise more than the RFCs allow).
var Pairs = []Pair{
	// The same records.
	{"owner-case", "A", "Owner-CASE 300 A 192.0.2.1", "owner-case 300 A 192.0.2.1", true,
		"owner names compare case-insensitively (RFC 4343)"},
	{"mx-case", "MX", "mx-case 300 MX 10 Mail.Example.TEST.", "mx-case 300 MX 10 mail.example.test.", true,
		"names in RDATA compare case-insensitively (RFC 4343, RFC 4034 §6.2)"},
	{"mx-escape", "MX", `mx-escape 300 MX 10 \077ail.example.test.`, "mx-escape 300 MX 10 mail.example.test.", true,
		`\077 is the letter M (RFC 4343 §2.1), which folds like any other`},
	{"https-case", "HTTPS", "https-case 300 HTTPS 1 Svc.Example.TEST. alpn=h2", "https-case 300 HTTPS 1 svc.example.test. alpn=h2", true,
		"the TargetName is a domain name (RFC 9460 §2.2)"},
	{"lp-case", "LP", "lp-case 300 LP 10 L64.Example.TEST.", "lp-case 300 LP 10 l64.example.test.", true,
		"the LP FQDN is a domain name (RFC 6742 §2.4)"},
	{"caa-tag", "CAA", "caa-tag 300 CAA 0 ISSUE \"ca.example\"\ncaa-tag 300 CAA 0 IssueWild \";\"", "caa-tag 300 CAA 0 issue \"ca.example\"\ncaa-tag 300 CAA 0 issuewild \";\"", true,
		"\"Matching of tags is case insensitive\" (RFC 8659 §4.1)"},
	{"naptr-flags", "NAPTR", `naptr-flags 300 NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.test.`, `naptr-flags 300 NAPTR 100 10 "s" "SIP+D2U" "" _sip._udp.example.test.`, true,
		"\"The case of the alphabetic characters is not significant\" in FLAGS (RFC 3403 §4.1)"},
	{"txt-escape", "TXT", `txt-escape 300 TXT "caf\195\169" "a\059b"`, `txt-escape 300 TXT "café" "a;b"`, true,
		`\DDD is the octet it names (RFC 1035 §5.1)`},
	{"generic", "CAA", `generic 300 TYPE257 \# 17 0005697373756563612e6578616d706c65`, `generic 300 CAA 0 issue "ca.example"`, true,
		"the RFC 3597 form of a known type is that type (RFC 3597 §5)"},
	{"aaaa-text", "AAAA", "aaaa-text 300 AAAA 2001:DB8:0:0:0:0:0:1", "aaaa-text 300 AAAA 2001:db8::1", true,
		"one address, two spellings (RFC 4291 §2.2)"},
	{"sshfp-hex", "SSHFP", "sshfp-hex 300 SSHFP 1 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", "sshfp-hex 300 SSHFP 1 2 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", true,
		"the fingerprint is octets; hex is only its spelling (RFC 4255 §3.2)"},
	{"order", "A", "order 300 A 192.0.2.2\norder 300 A 192.0.2.1", "order 300 A 192.0.2.1\norder 300 A 192.0.2.2", true,
		"an RRset is a set (RFC 2181 §5)"},

	// Different records.
	{"txt-case", "TXT", `txt-case 300 TXT "Abc"`, `txt-case 300 TXT "abc"`, false,
		"character-strings are octets (RFC 1035 §3.3.14); DKIM and SPF read them as written"},
	{"txt-split", "TXT", `txt-split 300 TXT "ab" "c"`, `txt-split 300 TXT "abc"`, false,
		"other strings (RFC 1035 §3.3.14); parity calls it txt-split, info, where verifiers concatenate"},
	{"caa-value", "CAA", `caa-value 300 CAA 0 issue "Ca.example"`, `caa-value 300 CAA 0 issue "ca.example"`, false,
		"the value is a sequence of octets (RFC 8659 §4.1)"},
	{"caa-flags", "CAA", `caa-flags 300 CAA 128 issue "ca.example"`, `caa-flags 300 CAA 0 issue "ca.example"`, false,
		"the issuer critical flag (RFC 8659 §4.1)"},
	{"naptr-services", "NAPTR", `naptr-services 300 NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.test.`, `naptr-services 300 NAPTR 100 10 "S" "sip+d2u" "" _sip._udp.example.test.`, false,
		"SERVICES are what the application says (RFC 3403 §4.1), not case-insensitive as such"},
	{"naptr-regexp", "NAPTR", `naptr-regexp 300 NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:Info@example.test!" .`, `naptr-regexp 300 NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.test!" .`, false,
		"the substitution expression applies as written (RFC 3402 §3.2)"},
	{"uri-case", "URI", `uri-case 300 URI 10 1 "https://example.test/Path"`, `uri-case 300 URI 10 1 "https://example.test/path"`, false,
		"a URI's path is case-sensitive (RFC 3986 §6.2.2.1)"},
	{"alpn-case", "HTTPS", "alpn-case 300 HTTPS 1 . alpn=H2", "alpn-case 300 HTTPS 1 . alpn=h2", false,
		"ALPN protocol IDs are octets (RFC 7301 §3.1)"},
	{"hinfo-case", "HINFO", `hinfo-case 300 HINFO "INTEL" "LINUX"`, `hinfo-case 300 HINFO "intel" "linux"`, false,
		"character-strings are octets (RFC 1035 §3.3.2)"},
	{`a\.dot`, "TXT", `a\.dot 300 TXT "x"`, `a.dot 300 TXT "x"`, false,
		`an escaped dot is part of the label (RFC 1035 §5.1)`},
	{"addr", "A", "addr 300 A 192.0.2.4", "addr 300 A 192.0.2.5", false, "another address"},
}

// Apex is the zone's SOA and NS, the same on both sides.
const Apex = "@ 300 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 300 NS ns1\nns1 300 A 192.0.2.53\n"

// Zone is the text of a zone at origin: the apex, then side A (b false)
// or side B of every pair.
func Zone(origin string, b bool) string {
	var sb strings.Builder
	sb.WriteString("$ORIGIN " + origin + "\n" + Apex)
	for _, p := range Pairs {
		if b {
			sb.WriteString(p.B + "\n")
		} else {
			sb.WriteString(p.A + "\n")
		}
	}
	return sb.String()
}

// Load parses zone text at origin (a test's "git"), failing the test on
// an error or a problem of severity error.
func Load(t testing.TB, text, origin string) *zone.Zone {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range z.Problems {
		if p.Severity == zone.Error {
			t.Fatalf("%s", p)
		}
	}
	return z
}

// Key is the pair's RRset in a zone at origin.
func (p Pair) Key(origin string) zone.Key {
	return zone.Key{Name: zone.CanonicalName(p.Owner + "." + origin), Type: dns.StringToType[p.Type]}
}

// onlyB is the RRset side B writes at another owner than side A (an
// owner that differs), or the zero Key.
func (p Pair) onlyB(origin string) zone.Key {
	owner, _, _ := strings.Cut(p.B, " ")
	k := zone.Key{Name: zone.CanonicalName(owner + "." + origin), Type: dns.StringToType[p.Type]}
	if k == p.Key(origin) {
		return zone.Key{}
	}
	return k
}

// Check asserts what a stage saw: a difference (seen) at the RRset of
// every pair that differs, none at a pair that is the same, and none
// anywhere else but at the owners of a pair whose sides name other owners
// (there any question may differ: parity also asks a type the owner
// lacks).
func Check(t testing.TB, stage, origin string, seen map[zone.Key]bool) {
	t.Helper()
	known, owners := map[zone.Key]bool{}, map[string]bool{}
	for _, p := range Pairs {
		k := p.Key(origin)
		known[k] = true
		if b := p.onlyB(origin); b != (zone.Key{}) {
			owners[k.Name], owners[b.Name] = true, true
		}
		if seen[k] == p.Same {
			t.Errorf("%s: %s: a difference seen: %v; want %v: %s\n  A: %s\n  B: %s", stage, k, seen[k], !p.Same, p.Why, p.A, p.B)
		}
	}
	for k := range seen {
		if !known[k] && !owners[k.Name] {
			t.Errorf("%s: a difference at %s, where both sides write the same", stage, k)
		}
	}
}
