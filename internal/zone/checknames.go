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

// isHostname is BIND's dns_name_ishostname on a name in presentation
// form: every label starts and ends with a letter or digit and holds only
// letters, digits and '-'; with wildcard, a first label "*" is allowed.
func isHostname(name string, wildcard bool) bool {
	if name == "." {
		return true
	}
	labels := dns.SplitDomainName(name)
	for i, l := range labels {
		if i == 0 && wildcard && l == "*" {
			continue
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
			if alnum || c == '-' && j > 0 && j < len(l)-1 {
				continue
			}
			return false
		}
	}
	return true
}
