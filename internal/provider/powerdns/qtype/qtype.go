// Package qtype is PowerDNS 4.7's table of record types: the name it
// gives each type it knows (QType::names, pdns/qtype.cc of auth-4.7.3,
// the same in every release up to auth-5.0.7) and whether it reads and
// writes that type's data as text (those reportAllTypes registers for
// class IN, pdns/dnsrecords.cc). One table for the two ways dnsparity
// writes to PowerDNS: the powerdns provider (its API takes a type without
// a text form as TYPEnnn, its data in RFC 3597's \# form) and rfc2136's
// powerdns flavor (its UPDATE prescan answers FORMERR to a message holding
// a type it has no name for: checkUpdatePrescan, QType::isSupportedType).
//
// Seen on the lab's PowerDNS 4.7.3: an NSEC listing TYPE0 to TYPE300,
// TYPE32768, TYPE32769 and TYPE65400 to TYPE65535 was answered "Not in
// expected format (parsed as 'x.example.com. ENT A NS TYPE3 ...')",
// naming exactly the types with a text form. PowerDNS's development
// branch adds HHIT, BRID, RESINFO and WALLET.
package qtype

import "strings"

// entry is one type PowerDNS names.
type entry struct {
	name string
	text bool // its data read and written as text (else only in \# form)
	meta bool // no zone holds it: ENT (PowerDNS's name for type 0), OPT, IXFR, AXFR, ANY
}

var table = map[uint16]entry{
	0: {"ENT", true, true}, 1: {"A", true, false}, 2: {"NS", true, false}, 5: {"CNAME", true, false},
	6: {"SOA", true, false}, 7: {"MB", true, false}, 8: {"MG", true, false}, 9: {"MR", true, false},
	12: {"PTR", true, false}, 13: {"HINFO", true, false}, 14: {"MINFO", true, false}, 15: {"MX", true, false},
	16: {"TXT", true, false}, 17: {"RP", true, false}, 18: {"AFSDB", true, false}, 24: {"SIG", false, false},
	25: {"KEY", true, false}, 28: {"AAAA", true, false}, 29: {"LOC", true, false}, 33: {"SRV", true, false},
	35: {"NAPTR", true, false}, 36: {"KX", true, false}, 37: {"CERT", true, false}, 38: {"A6", false, false},
	39: {"DNAME", true, false}, 41: {"OPT", true, true}, 42: {"APL", true, false}, 43: {"DS", true, false},
	44: {"SSHFP", true, false}, 45: {"IPSECKEY", true, false}, 46: {"RRSIG", true, false}, 47: {"NSEC", true, false},
	48: {"DNSKEY", true, false}, 49: {"DHCID", true, false}, 50: {"NSEC3", true, false}, 51: {"NSEC3PARAM", true, false},
	52: {"TLSA", true, false}, 53: {"SMIMEA", true, false}, 57: {"RKEY", true, false}, 59: {"CDS", true, false},
	60: {"CDNSKEY", true, false}, 61: {"OPENPGPKEY", true, false}, 62: {"CSYNC", true, false}, 63: {"ZONEMD", true, false},
	64: {"SVCB", true, false}, 65: {"HTTPS", true, false}, 99: {"SPF", true, false}, 104: {"NID", true, false},
	105: {"L32", true, false}, 106: {"L64", true, false}, 107: {"LP", true, false}, 108: {"EUI48", true, false},
	109: {"EUI64", true, false}, 251: {"IXFR", true, true}, 252: {"AXFR", true, true}, 255: {"ANY", true, true},
	256: {"URI", true, false}, 257: {"CAA", true, false}, 32769: {"DLV", true, false},
	65400: {"ADDR", false, false}, 65401: {"ALIAS", true, false}, 65402: {"LUA", true, false},
}

// TextName is the name PowerDNS gives type t when it reads and writes
// its data as text; false for a type it takes only in \# form (as
// TYPEnnn).
func TextName(t uint16) (string, bool) {
	if e, ok := table[t]; ok && e.text {
		return e.name, true
	}
	return "", false
}

// TextType is the type PowerDNS names name (any case) in a text form: a
// type bitmap, a listing; false for another name.
func TextType(name string) (uint16, bool) {
	u := strings.ToUpper(name)
	for t, e := range table {
		if e.text && e.name == u {
			return t, true
		}
	}
	return 0, false
}

// ZoneType: PowerDNS has a name for type t and a zone may hold it (what
// its UPDATE prescan accepts).
func ZoneType(t uint16) bool {
	e, ok := table[t]
	return ok && !e.meta
}
