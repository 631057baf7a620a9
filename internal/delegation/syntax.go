package delegation

import (
	"fmt"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// nsSyntax checks that an NS name of the delegation is a host name
// (Zonemaster SYNTAX04, NAMESERVER_NAME_SYNTAX): labels of letters,
// digits and hyphens, no hyphen at a label's start or end (RFC 952,
// RFC 1123 §2.1), at most 63 octets a label and 253 characters in all,
// and a top label that is not all digits (RFC 1123 §2.1, RFC 3696 §2: a
// host name never looks like an IPv4 address; an address written as a
// name is not one at all). Registries keep nameservers as host objects
// whose names must be host names (RFC 5732 §2.1 through RFC 5731), BIND
// refuses other NS targets in zone files and UPDATEs (check-names), and
// the name goes into every referral: the flip would be refused half-way
// at the registrar, or leave resolvers a name they may not follow.
func nsSyntax(name string) Check {
	c := Check{Name: CheckNSSyntax, Server: name, Asked: "the syntax of " + name,
		Expected: "a host name: labels of letters, digits and hyphens, none starting or ending with a hyphen, the last not all digits",
		Ref:      "Zonemaster SYNTAX04; RFC 1123 §2.1, RFC 952, RFC 3696 §2"}
	why := zone.HostnameProblem(name)
	if why == "" {
		c.OK = true
		c.Got = name
		c.Detail = name + " is a host name"
		return c
	}
	c.Got = why
	c.Detail = fmt.Sprintf("%s is not a host name: %s; registries refuse it as a nameserver, and resolvers may not follow it", name, why)
	c.Fix = fmt.Sprintf("delegate to a host name instead of %s (providers.SIDE.delegation; the provider's apex NS names when none is configured)", name)
	return c
}
