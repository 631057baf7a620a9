package provider

import (
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// FQDN is an API's name as an absolute, canonical one ("" is the root).
func FQDN(n string) string {
	if n == "" || n == "." {
		return "."
	}
	return zone.CanonicalName(dns.Fqdn(n))
}

// Relative is an absolute name as an API writes it below origin: "" for
// the apex.
func Relative(origin, name string) string {
	if name == origin {
		return ""
	}
	return strings.TrimSuffix(name, "."+origin)
}

// Owner is the absolute name of an API's relative host name ("" or "@":
// the apex).
func Owner(origin, host string) string {
	if host == "" || host == "@" {
		return origin
	}
	return FQDN(host + "." + origin)
}
