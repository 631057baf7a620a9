package registrar

import (
	"net/netip"
	"sort"
	"strings"
)

// SameGlue reports whether two glue sets are the same: the same names,
// each with the same addresses in any order and spelling.
func SameGlue(a, b map[string][]string) bool {
	return GlueText(a) == GlueText(b)
}

// GlueText is a glue set as one line, "name addr addr, name addr" sorted
// ("none" when empty).
func GlueText(g map[string][]string) string {
	var parts []string
	for n, as := range g {
		x := make([]string, len(as))
		for i, a := range as {
			x[i] = canonicalAddr(a) // one spelling of an IPv6 address
		}
		sort.Strings(x)
		parts = append(parts, n+" "+strings.Join(x, " "))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// ServesGlue reports whether every server's referral carries exactly the
// glue set (an in-bailiwick nameserver whose address the registrar
// dropped, kept from before or was given mistyped leaves resolvers
// without a way to reach it, or sends them to another address).
func ServesGlue(views []AtServer, glue map[string][]string) bool {
	for _, v := range views {
		if !SameGlue(v.Delegation.Glue, glue) {
			return false
		}
	}
	return true
}

// Serves reports whether every server answered with want's delegation:
// the NS set, exactly its glue, and the DS set when want sets one (nil:
// left alone, any).
func Serves(views []AtServer, want Delegation) bool {
	d, ok := Agreed(views)
	return ok && SameNS(d.NS, want.NS) && (want.DS == nil || SameNS(d.DS, want.DS)) && ServesGlue(views, want.Glue)
}

// canonicalAddr is the address a in netip's form (RFC 5952 for IPv6:
// lower case, zeros compressed), the one spelling GlueText compares; an
// address that does not parse is left as written.
func canonicalAddr(a string) string {
	if ip, err := netip.ParseAddr(a); err == nil {
		return ip.String()
	}
	return a
}
