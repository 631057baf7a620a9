package delegation

import (
	"fmt"
	"net"
	"strings"

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
	why := hostnameProblem(name)
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

// hostnameProblem says why the name n (absolute or not, in presentation
// form) is not a host name, or "". Escapes stand for the octets they
// name (RFC 1035 §5.1: ns\065 is nsA, a\.b one label holding a dot), and
// lengths are counted in those octets (RFC 1035 §2.3.4: 63 a label, 255
// the name on the wire, 253 written out); an empty label makes no domain
// name at all.
func hostnameProblem(n string) string {
	if ip := net.ParseIP(strings.TrimSuffix(n, ".")); ip != nil {
		return fmt.Sprintf("it is the IP address %s written as a name (an NS record names a host; its address goes in glue)", ip)
	}
	if n == "." || n == "" {
		return "it is the root"
	}
	labels, escaped := splitLabels(n)
	size := len(labels) - 1 // the dots between labels
	for _, l := range labels {
		size += len(l)
	}
	if size > 253 {
		return fmt.Sprintf("it is %d characters long (at most 253)", size)
	}
	for i, l := range labels {
		shown := strings.ReplaceAll(l, ".", `\.`)
		switch {
		case l == "":
			return "it holds an empty label (a dot at its start or two in a row): it is no domain name"
		case len(l) > 63:
			return fmt.Sprintf("the label %q is %d octets long (at most 63)", shown, len(l))
		case strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-"):
			return fmt.Sprintf("the label %q starts or ends with a hyphen", shown)
		}
		for j := 0; j < len(l); j++ {
			if r := l[j]; !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				if escaped[i] {
					return fmt.Sprintf("the label %q holds the escaped character %q (a dot or octet other than a letter, digit or hyphen)", shown, r)
				}
				return fmt.Sprintf("the label %q holds %q (only letters, digits and hyphens)", shown, []rune(l[j:])[0])
			}
		}
	}
	if top := labels[len(labels)-1]; strings.Trim(top, "0123456789") == "" {
		return fmt.Sprintf("its last label %q is all digits", top)
	}
	return ""
}

// splitLabels splits the presentation name n at its unescaped dots (one
// trailing dot ends an absolute name) into labels as octets (escapes
// decoded, zone.Unescape), and says which labels held an escape.
func splitLabels(n string) (labels []string, escaped []bool) {
	start := 0
	for i := 0; i < len(n); i++ {
		switch n[i] {
		case '\\':
			i++ // the escaped octet, or the first digit of \DDD
		case '.':
			labels, escaped = append(labels, zone.Unescape(n[start:i])), append(escaped, strings.Contains(n[start:i], `\`))
			start = i + 1
		}
	}
	if start < len(n) || len(labels) == 0 {
		labels, escaped = append(labels, zone.Unescape(n[start:])), append(escaped, strings.Contains(n[start:], `\`))
	}
	return labels, escaped
}
