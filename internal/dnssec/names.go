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

// foldName is name in the one spelling RRsets are grouped by (ASCII case
// folded, fully qualified: groupSection's setKey).
func foldName(name string) string { return zone.Fold(dns.Fqdn(name)) }

// inZone reports whether name is origin or below it.
func inZone(name, origin string) bool {
	return dns.IsSubDomain(zone.Fold(dns.Fqdn(origin)), zone.Fold(dns.Fqdn(name)))
}

// ancestor is the ancestor of name with k labels, or name when it has k
// or fewer (labels counted and stripped as miekg/dns reads escapes,
// zone.Parent): the one walk up the tree of the proofs, for the closest
// encloser a wildcard expansion's RRSIG label count shows (expandedFrom),
// the next closer name (nextCloser) and the closest encloser an NSEC
// shows (nsecEncloser).
func ancestor(name string, k int) string {
	for dns.CountLabel(name) > k {
		name = zone.Parent(name)
	}
	return name
}
