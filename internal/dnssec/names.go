package dnssec

import (
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// equalName compares two domain names the DNS way (ASCII case folded,
// trailing dot optional).
func equalName(a, b string) bool {
	return zone.Fold(dns.Fqdn(a)) == zone.Fold(dns.Fqdn(b))
}

// inZone reports whether name is origin or below it.
func inZone(name, origin string) bool {
	return dns.IsSubDomain(zone.Fold(dns.Fqdn(origin)), zone.Fold(dns.Fqdn(name)))
}

// canonicalLess orders two names as RFC 4034 section 6.1 does: label by
// label from the right, each label compared as lower-case octets.
func canonicalLess(a, b string) bool {
	la := dns.SplitDomainName(zone.Fold(dns.Fqdn(a)))
	lb := dns.SplitDomainName(zone.Fold(dns.Fqdn(b)))
	for i, j := len(la)-1, len(lb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		x, y := unescapeLabel(la[i]), unescapeLabel(lb[j])
		if x != y {
			return x < y
		}
	}
	return len(la) < len(lb)
}

// unescapeLabel turns a presentation label (with \. or \DDD escapes) into
// its octets, so that labels compare as the wire does.
func unescapeLabel(l string) string {
	if !strings.Contains(l, `\`) {
		return l
	}
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c != '\\' || i+1 >= len(l) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(l) && isDigit(l[i+1]) && isDigit(l[i+2]) && isDigit(l[i+3]) {
			b.WriteByte((l[i+1]-'0')*100 + (l[i+2]-'0')*10 + (l[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(l[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
