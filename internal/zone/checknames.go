package zone

import (
	"encoding/binary"
	"strings"

	"github.com/miekg/dns"
)

// NameFault is a name of one record that BIND's check-names refuses.
type NameFault struct {
	Name  string // presentation form, as the zone holds it (lower case)
	Owner bool   // the record's owner; otherwise a name in its RDATA
	// Field names the RDATA field ("target", "MNAME", "RNAME", "mailbox",
	// "PTR target in a reverse zone"); empty for the owner. Index is its
	// place in the RDATA as written (1-based; Zone.FieldPos).
	Field string
	Index int
	// Mailbox: the name must be a mailbox (RFC 1034 §3.3: any printable
	// ASCII in the first label, a host name after it), not a host name.
	Mailbox bool
}

// Want says what the name is not.
func (f NameFault) Want() string {
	if f.Mailbox {
		return "not a mailbox name (first label printable ASCII, the rest letters, digits, '-' inside labels)"
	}
	return "not a host name (letters, digits, '-' inside labels)"
}

// CheckNames is BIND's check-names (lib/dns/rdata: checkowner and
// checknames, dns_name_ishostname and dns_name_ismailbox), the one
// statement of it that `check` and the rfc2136 flavor bind both use, on
// one record of type t at owner with RDATA in canonical wire form. It
// gives the first name BIND refuses, if any:
//
//   - the owner of A, AAAA, MX and WKS must be a host name (a first
//     label "*" allowed);
//   - the NS, MX, SRV, RT and AFSDB target, and the SVCB/HTTPS target in
//     service mode (priority not 0), must be a host name;
//   - a PTR target must be a host name when the owner is under
//     in-addr.arpa., ip6.arpa. or ip6.int. (not a DNS-SD browse name
//     such as lb._dns-sd._udp);
//   - the SOA MNAME must be a host name, the SOA RNAME, the RP mailbox and
//     both MINFO names mailbox names.
//
// A target is never a wildcard; the root (".") always passes. BIND's
// defaults: a primary refuses the zone and an UPDATE holding such a
// record (check-names primary fail), a secondary and named-checkzone
// warn.
func CheckNames(owner string, t uint16, rdata string) (NameFault, bool) {
	switch t {
	case dns.TypeA, dns.TypeAAAA, dns.TypeMX, typeWKS:
		if !isHostname(owner, true) {
			return NameFault{Name: owner, Owner: true}, true
		}
	}
	host := func(off int, field string, index int) (NameFault, bool) {
		if n := rdataName(rdata, off); n != "" && !isHostname(n, false) {
			return NameFault{Name: n, Field: field, Index: index}, true
		}
		return NameFault{}, false
	}
	mailbox := func(n, field string, index int) (NameFault, bool) {
		if n != "" && !isMailbox(n) {
			return NameFault{Name: n, Field: field, Index: index, Mailbox: true}, true
		}
		return NameFault{}, false
	}
	switch t {
	case dns.TypeNS:
		return host(0, "target", 1)
	case dns.TypeMX, dns.TypeRT, dns.TypeAFSDB:
		return host(2, "target", 2)
	case dns.TypeSRV:
		return host(6, "target", 4)
	case dns.TypeSVCB, dns.TypeHTTPS:
		if len(rdata) >= 2 && binary.BigEndian.Uint16([]byte(rdata[:2])) != 0 {
			return host(2, "target", 2)
		}
	case dns.TypePTR:
		if reverseOwner(owner) {
			return host(0, "PTR target in a reverse zone", 1)
		}
	case dns.TypeSOA:
		if f, bad := host(0, "MNAME", 1); bad {
			return f, bad
		}
		_, rname := rdataNames(rdata, 0)
		return mailbox(rname, "RNAME", 2)
	case dns.TypeRP:
		return mailbox(rdataName(rdata, 0), "mailbox", 1)
	case dns.TypeMINFO:
		a, b := rdataNames(rdata, 0)
		if f, bad := mailbox(a, "RMAILBX", 1); bad {
			return f, bad
		}
		return mailbox(b, "EMAILBX", 2)
	}
	return NameFault{}, false
}

// rdataNames gives the two domain names that start RDATA at off.
func rdataNames(rdata string, off int) (string, string) {
	if off >= len(rdata) {
		return "", ""
	}
	a, next, err := dns.UnpackDomainName([]byte(rdata), off)
	if err != nil {
		return "", ""
	}
	b, _, err := dns.UnpackDomainName([]byte(rdata), next)
	if err != nil {
		return a, ""
	}
	return a, b
}

// reverseOwner: name is under in-addr.arpa., ip6.arpa. or ip6.int. and is
// not a DNS-SD browse domain name (BIND's dns_name_isdnssd: a first three
// labels b, db, r, dr or lb, then _dns-sd._udp).
func reverseOwner(name string) bool {
	name = Fold(name)
	if !inZone("in-addr.arpa.", name) && !inZone("ip6.arpa.", name) && !inZone("ip6.int.", name) {
		return false
	}
	for _, p := range []string{"b.", "db.", "r.", "dr.", "lb."} {
		if strings.HasPrefix(name, p+"_dns-sd._udp.") {
			return false
		}
	}
	return true
}

// checkNames warns on each name of s that BIND's check-names refuses
// (CheckNames): named-checkzone warns; named itself, as a primary, refuses
// the whole zone by default ("check-names primary fail"), and refuses
// such a record in a dynamic update.
func (v *validator) checkNames(s *RRSet) {
	const why = "(check-names: named refuses to load the zone as a primary, and refuses the record in an update)"
	owner := false
	for _, r := range s.Records {
		f, bad := CheckNames(s.Name, s.Type, r.Rdata)
		switch {
		case !bad:
		case f.Owner:
			if !owner {
				v.add(s.Pos(), Warning, "%s %s: bad owner name: %s %s", s.Name, TypeName(s.Type), f.Want(), why)
			}
			owner = true
		default:
			v.add(v.z.FieldPos(r.Pos, f.Index), Warning, "%s %s: bad name '%s' (%s): %s %s", s.Name, TypeName(s.Type), f.Name, f.Field, f.Want(), why)
		}
	}
}

// isHostname is BIND's dns_name_ishostname on a name in presentation
// form, escapes decoded (ns\065 is nsA, as BIND loads it): every label
// starts and ends with a letter or digit and holds only letters, digits
// and '-'; with wildcard, a first label "*" is allowed. It is the part of
// HostnameProblem BIND enforces (hostLabels, the one rule), and
// allocates nothing for a name without escapes, refused or not (it runs
// on every A/AAAA owner of a zone).
func isHostname(name string, wildcard bool) bool {
	if name == "." || name == "" {
		return true
	}
	fault, _, _ := hostLabels(name, wildcard)
	return fault.kind == faultNone
}

// isMailbox is BIND's dns_name_ismailbox on a name in presentation form:
// the first label's octets are printable ASCII (0x21-0x7e, escapes
// decoded: "a\.b" passes, "a\032b" does not), the rest is a host name.
// The label is split and decoded as CompareNames does it
// (dns.SplitDomainName, labelBytes); labelBytes also lower-cases it,
// which changes no octet's printability.
func isMailbox(name string) bool {
	if name == "." || name == "" {
		return true
	}
	labels := dns.SplitDomainName(name)
	if len(labels) == 0 {
		return true
	}
	for _, c := range []byte(labelBytes(labels[0])) {
		if c <= 0x20 || c >= 0x7f {
			return false
		}
	}
	return isHostname(strings.TrimPrefix(name[len(labels[0]):], "."), false)
}

// typeWKS is RFC 1035's WKS (miekg/dns names no constant for it).
const typeWKS = 11
