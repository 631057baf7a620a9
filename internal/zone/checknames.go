package zone

import (
	"github.com/miekg/dns"
)

// checkNames is BIND's check-names (RFC 952/1123 host names) on the names
// it checks: A and AAAA owners (a leading "*." allowed), MX and SRV targets
// and the SOA MNAME. named-checkzone warns; named itself, as a primary,
// refuses the whole zone by default ("check-names primary fail"), and
// refuses such a record in a dynamic update.
func (v *validator) checkNames(s *RRSet) {
	const why = "(check-names: named refuses to load the zone as a primary, and refuses the record in an update)"
	switch s.Type {
	case dns.TypeA, dns.TypeAAAA:
		if !isHostname(s.Name, true) {
			v.add(s.Pos(), Warning, "%s %s: bad owner name: not a host name (letters, digits, '-' inside labels) %s", s.Name, typeName(s.Type), why)
		}
	case dns.TypeMX, dns.TypeSRV, dns.TypeSOA:
		off := 2
		switch s.Type {
		case dns.TypeSRV:
			off = 6
		case dns.TypeSOA:
			off = 0
		}
		for _, r := range s.Records {
			target := rdataName(r.Rdata, off)
			if target != "" && !isHostname(target, false) {
				v.add(r.Pos, Warning, "%s %s: bad name '%s': not a host name (letters, digits, '-' inside labels) %s", s.Name, typeName(s.Type), target, why)
			}
		}
	}
}

// IsHostname is BIND's dns_name_ishostname (see isHostname), for a
// provider that must refuse up front what named's check-names refuses.
func IsHostname(name string, wildcard bool) bool { return isHostname(name, wildcard) }

// isHostname is BIND's dns_name_ishostname on a name in presentation
// form: every label starts and ends with a letter or digit and holds only
// letters, digits and '-'; with wildcard, a first label "*" is allowed. It
// allocates nothing (it runs on every A/AAAA owner of a zone): any escape
// (a backslash) already makes a name not a host name.
func isHostname(name string, wildcard bool) bool {
	if name == "." || name == "" {
		return true
	}
	if wildcard && (name == "*" || len(name) >= 2 && name[:2] == "*.") {
		name = name[1:]
		if name == "" || name == "." {
			return true
		}
		name = name[1:]
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '.' {
			c := name[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		// name[start:i] is a label (empty only for the root's trailing dot)
		if i > start && (name[start] == '-' || name[i-1] == '-') {
			return false
		}
		start = i + 1
	}
	return true
}
