package registrar

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
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
			x[i] = CanonicalAddr(a) // one spelling of an IPv6 address
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

// CanonicalAddr is the address a in netip's form (RFC 5952 for IPv6:
// lower case, zeros compressed), the one spelling GlueText compares (and
// the delegation gate's ns-moved, which compares a name's addresses with
// those the trail recorded); an address that does not parse is left as
// written.
func CanonicalAddr(a string) string {
	if ip, err := netip.ParseAddr(a); err == nil {
		return ip.String()
	}
	return a
}

// SharedHostMoved is the refusal, nil when none, of a change that sets
// the address of a nameserver host other zones rely on: the glue at a
// name is one record set (at a registry, one host object) shared by every
// NS set naming it, so moving it for zone sends their resolvers too to a
// server that need not serve them. For each in-bailiwick name of want
// given glue: with others (the parent zone's other NS sets and the
// addresses it holds for their names, OtherNSReader), refused when
// another NS set names it and its glue there differs from want's; without
// (a registrar that cannot say which other zones name the host: Route 53
// Domains, manual), refused when the address held now (cur: what the
// registrar holds and the parent's servers serve) differs from want's,
// since who else names it cannot be read: a false refusal rather than a
// false pass. A name whose address is unchanged, or held nowhere yet, is
// not refused.
func SharedHostMoved(zone string, cur []map[string][]string, want Delegation, others *OtherDelegations) error {
	usedBy := map[string][]string{}
	if others != nil {
		for owner, ns := range others.NS {
			for _, n := range ns {
				usedBy[n] = append(usedBy[n], owner)
			}
		}
	}
	for _, n := range slices.Sorted(maps.Keys(want.Glue)) {
		addrs := want.Glue[n]
		if !InBailiwick(n, zone) || len(addrs) == 0 {
			continue
		}
		same := func(held []string) bool {
			return SameGlue(map[string][]string{"": held}, map[string][]string{"": addrs})
		}
		if others != nil {
			owners := usedBy[n]
			if len(owners) > 0 && !same(others.Glue[n]) {
				sort.Strings(owners)
				return fmt.Errorf("delegation of %s: %s is also the nameserver of %s, whose referral carries the same glue (%s): setting it to %s would send resolvers of %s to a server that need not serve it; change that glue by hand, knowingly, or delegate %s to another name",
					zone, n, strings.Join(owners, " "), strings.Join(others.Glue[n], " "), strings.Join(addrs, " "), strings.Join(owners, " "), zone)
			}
			continue
		}
		for _, g := range cur {
			if held := g[n]; len(held) > 0 && !same(held) {
				return fmt.Errorf("delegation of %s: the host %s has address %s now and would be moved to %s; at a registry a host is one object every domain naming it shares, and this registrar cannot say which other zones name it: they would follow to a server that need not serve them; change the host's address by hand, knowingly, or delegate %s to another name",
					zone, n, strings.Join(held, " "), strings.Join(addrs, " "), zone)
			}
		}
	}
	return nil
}
