package zonetest

import (
	"fmt"
	"strings"
)

// OddOwner is an owner name of unusual form, as a zone file writes it
// below the origin, and why it is in the table.
type OddOwner struct {
	Owner, Why string
	// Text is the TXT record's text OddZone writes there (empty: "odd
	// owner N"), valid for the mail checks at _dmarc and _domainkey.
	Text string
}

// Label63 is a label of exactly 63 octets, the most RFC 1035 §2.3.4
// allows.
const Label63 = "l23456789012345678901234567890123456789012345678901234567890123"

// OddOwners are the owner names an attacker, a registry or a sloppy
// provider would use: each one a name of its own, which every stage (zone
// file, plan and push, parity's questions and comparison, the listings of
// the cutover's completeness gates) must keep as that one name. Names
// whose spelling holds a '.' are one label where the dot is escaped.
var OddOwners = []OddOwner{
	{`a\.b`, "a dot inside a label: one label \"a.b\", not a below b", ""},
	{`sp\032ace`, "a space (\\032)", ""},
	{`at\@sign`, "'@' inside a label (not the origin)", ""},
	{`paren\(`, "'(' inside a label (not a group)", ""},
	{`semi\;colon`, "';' inside a label (not a comment)", ""},
	{`quote\"`, "'\"' inside a label (not a string)", ""},
	{`it\'s`, "an apostrophe, which miekg/dns escapes", ""},
	{`back\\slash`, "a backslash", ""},
	{`hi\128\255`, "octets outside ASCII, as \\DDD (decimal)", ""},
	{Label63, "a label of exactly 63 octets", ""},
	{"MiXeD", "upper case in git (servers and APIs answer lower case)", ""},
	{"a.*", "a '*' that is not the leftmost label: a literal label, and *.ORIGIN an empty non-terminal", ""},
	{"_dmarc", "an underscore label (DMARC)", "v=DMARC1; p=none"},
	{"sel._domainkey", "underscore labels (DKIM)", "v=DKIM1; k=rsa; p="},
	{"x.ent", "below an empty non-terminal (ent exists only as one)", ""},
	{"*.wild", "a wildcard", ""},
}

// MaxOwner is, below origin (a name without escapes), an owner name of
// exactly 255 octets on the wire: three labels of 63 octets and one of
// what is left.
func MaxOwner(origin string) string {
	left := 255 - (len(origin) + 1) - 3*64 - 1
	return Label63 + "." + Label63 + "." + Label63 + "." + strings.Repeat("m", left)
}

// ENTOwner is, below origin (a name without escapes), an owner name of
// exactly 255 octets whose parent, an empty non-terminal, is 253: no
// name with a longer first label fits below that parent.
func ENTOwner(origin string) string {
	m := MaxOwner(origin)
	return "z." + m[:len(m)-2]
}

// OddZone is a zone file for origin (a name without escapes) with a TXT
// record at each of OddOwners, at MaxOwner(origin) and at
// ENTOwner(origin), its text saying which, besides the apex SOA and NS (ns1.origin, with an address) and
// the records in extra (zone-file lines).
func OddZone(origin string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n", origin)
	for i, o := range OddOwners {
		text := o.Text
		if text == "" {
			text = fmt.Sprintf("odd owner %d", i)
		}
		fmt.Fprintf(&b, "%s IN TXT %q\n", o.Owner, text)
	}
	fmt.Fprintf(&b, "%s IN TXT \"255 octets\"\n", MaxOwner(origin))
	fmt.Fprintf(&b, "%s IN TXT \"255 octets below a 253-octet empty non-terminal\"\n", ENTOwner(origin))
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}
