package dnssec

import (
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
