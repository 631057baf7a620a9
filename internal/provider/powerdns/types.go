package powerdns

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// pdnsNames are the types PowerDNS 4.7 has a text form for, by the name
// it gives them: those reportAllTypes registers for class IN
// (pdns/dnsrecords.cc, auth-4.7.3), named as NumberToType prints them in
// a type bitmap. Seen on the lab's PowerDNS 4.7.3: an NSEC listing TYPE0
// to TYPE300, TYPE32768, TYPE32769 and TYPE65400 to TYPE65535 was
// answered "Not in expected format (parsed as 'x.example.com. ENT A NS
// TYPE3 ...')", naming exactly these. PowerDNS refuses every other name
// ("RRset ... IN RT: unknown type given", "Unknown DNS type 'RT'" in a
// bitmap) and takes the type as TYPEnnn, its data as RFC 3597's \# form
// (QType::chartocode, UnknownRecordContent); SIG (24) and A6 (38) are
// names of its API with no text form (QType::names) and take \# too.
// QType::names is the same in every release up to auth-5.0.7; PowerDNS's
// development branch adds HHIT, BRID, RESINFO and WALLET, and a server
// built from it reads their content with their own parser
// (DNSRecordContent::make), which takes no \# form: such a push fails at
// the PATCH (HTTP 422), as before.
var pdnsNames = map[uint16]string{
	0: "ENT", 1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
	12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
	25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV", 35: "NAPTR", 36: "KX", 37: "CERT",
	39: "DNAME", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP", 45: "IPSECKEY",
	46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
	52: "TLSA", 53: "SMIMEA", 57: "RKEY", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY",
	62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF", 104: "NID",
	105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64", 251: "IXFR",
	252: "AXFR", 255: "ANY", 256: "URI", 257: "CAA", 32769: "DLV", 65401: "ALIAS",
	65402: "LUA",
}

// pdnsNumbers are pdnsNames by name.
var pdnsNumbers = func() map[string]uint16 {
	m := make(map[string]uint16, len(pdnsNames))
	for t, n := range pdnsNames {
		m[n] = t
	}
	return m
}()

// pdnsListedOnly are the names PowerDNS's API lists a type by that
// miekg/dns has no name for: A6, a name of QType::names with no text
// form, whose records it takes as TYPE38 (typeName) and lists as "A6",
// their data in RFC 3597's \# form (seen on the lab's PowerDNS 4.7.3).
// SIG, the other such name, miekg/dns reads.
var pdnsListedOnly = map[string]uint16{"A6": 38}

// listedType is the type PowerDNS's API names name in a listing: a name
// miekg/dns knows, TYPEnnn, or pdnsListedOnly's; false for another
// (PowerDNS's own types: ALIAS, LUA).
func listedType(name string) (uint16, bool) {
	u := strings.ToUpper(name)
	if t, ok := dns.StringToType[u]; ok {
		return t, true
	}
	if t, ok := pdnsListedOnly[u]; ok {
		return t, true
	}
	if !strings.HasPrefix(u, "TYPE") {
		return 0, false
	}
	n, err := strconv.ParseUint(u[len("TYPE"):], 10, 16)
	return uint16(n), err == nil
}

// typeName is type t as PowerDNS 4.7 names it: pdnsNames, else TYPEnnn
// (RFC 3597 §5).
func typeName(t uint16) string {
	if n, ok := pdnsNames[t]; ok {
		return n
	}
	return fmt.Sprintf("TYPE%d", t)
}

// unknownContent is rr in RFC 3597's form (\# length hex), the one
// PowerDNS takes for a type it has no text form for.
func unknownContent(rr dns.RR) (string, error) {
	u := new(dns.RFC3597)
	if err := u.ToRFC3597(rr); err != nil {
		return "", fmt.Errorf("%s %s: RFC 3597 form: %w", rr.Header().Name, dns.Type(rr.Header().Rrtype), err)
	}
	return fmt.Sprintf("\\# %d %s", len(u.Rdata)/2, u.Rdata), nil
}

// bitmapFields are the fields before the type bitmap of each type that
// ends in one.
var bitmapFields = map[string]int{"NSEC": 1, "NSEC3": 5, "CSYNC": 2}

// bitmapFromContent writes the types of a type bitmap in PowerDNS's
// content as TYPEnnn, which miekg/dns reads for every type: PowerDNS
// names type 0 ENT, and its own types ALIAS and LUA, as miekg/dns does
// not.
func bitmapFromContent(typ, c string) string {
	n, ok := bitmapFields[strings.ToUpper(typ)]
	if !ok {
		return c
	}
	f := strings.Fields(c)
	for i := n; i < len(f); i++ {
		if t, ok := pdnsNumbers[strings.ToUpper(f[i])]; ok {
			f[i] = fmt.Sprintf("TYPE%d", t)
		}
	}
	return strings.Join(f, " ")
}
