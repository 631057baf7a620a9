package provider

import (
	"fmt"
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

// APIName is an absolute name as an API that takes whole names writes it
// (Cloudflare, NS1): without the final dot, the root as ".". FQDN reads
// it back.
func APIName(n string) string {
	if n == "." {
		return n
	}
	return strings.TrimSuffix(n, ".")
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

// PlainName refuses a name a JSON API lists with a backslash in it. Those
// APIs (Cloudflare, NS1, ClouDNS, DNS Made Easy) write names as plain
// text and document no escapes: the backslash may escape the next
// character, as a zone file's "x\.y" is one label "x.y", or be an octet
// of the label, "x\" below "y". Read either way it could be another
// name than the one the provider serves, so it is read as neither: the
// record is reported (a listing error, or Cloudflare's unrepresentable
// feature, which the cutover's completeness gates count) instead of
// silently moved. dnsparity itself never writes such a name there
// (PlainNames).
func PlainName(name string) error {
	if strings.IndexByte(name, '\\') >= 0 {
		return fmt.Errorf("the API writes the name %q with a backslash, which it documents neither as an escape nor as a character of the name: not read as either name", name)
	}
	return nil
}
