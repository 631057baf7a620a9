package delegation

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
)

// special is an entry of IANA's IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890): a block, its name and whether an address in it
// is globally reachable.
type special struct {
	prefix netip.Prefix
	name   string
	ref    string
	global bool
}

// specials are the registries' entries (iana-ipv4-special-registry,
// iana-ipv6-special-registry), the globally reachable ones inside a
// larger block first, so that the first match is the most specific; and
// multicast, which no unicast server address can be. An address in none
// of them is globally reachable.
var specials = func() []special {
	rows := []struct {
		prefix, name, ref string
		global            bool
	}{
		{"192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", true},
		{"192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", true},
		{"0.0.0.0/8", "\"This network\"", "RFC 791", false},
		{"10.0.0.0/8", "Private-Use", "RFC 1918", false},
		{"100.64.0.0/10", "Shared Address Space", "RFC 6598", false},
		{"127.0.0.0/8", "Loopback", "RFC 1122", false},
		{"169.254.0.0/16", "Link Local", "RFC 3927", false},
		{"172.16.0.0/12", "Private-Use", "RFC 1918", false},
		{"192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", false},
		{"192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", false},
		{"192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", false},
		{"192.168.0.0/16", "Private-Use", "RFC 1918", false},
		{"198.18.0.0/15", "Benchmarking", "RFC 2544", false},
		{"198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", false},
		{"203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", false},
		{"224.0.0.0/4", "Multicast", "RFC 5771", false},
		{"240.0.0.0/4", "Reserved", "RFC 1112", false},
		{"2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", true},
		{"2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", true},
		{"2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", true},
		{"2001:3::/32", "AMT", "RFC 7450", true},
		{"2001:4:112::/48", "AS112-v6", "RFC 7535", true},
		{"2001:20::/28", "ORCHIDv2", "RFC 7343", true},
		{"2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", true},
		{"::1/128", "Loopback Address", "RFC 4291", false},
		{"::/128", "Unspecified Address", "RFC 4291", false},
		{"::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", false},
		{"64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", false},
		{"100::/64", "Discard-Only Address Block", "RFC 6666", false},
		{"100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", false},
		{"2001::/23", "IETF Protocol Assignments", "RFC 2928", false},
		{"2001:db8::/32", "Documentation", "RFC 3849", false},
		{"2002::/16", "6to4", "RFC 3056", false},
		{"3fff::/20", "Documentation", "RFC 9637", false},
		{"5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", false},
		{"fc00::/7", "Unique-Local", "RFC 4193", false},
		{"fe80::/10", "Link-Local Unicast", "RFC 4291", false},
		{"ff00::/8", "Multicast", "RFC 4291", false},
	}
	out := make([]special, 0, len(rows))
	for _, r := range rows {
		out = append(out, special{prefix: netip.MustParsePrefix(r.prefix), name: r.name, ref: r.ref, global: r.global})
	}
	return out
}()

// notGlobal is the special-purpose block an address lies in when it is
// not globally reachable (IANA's registries), else nil; an address that
// does not parse is a block of its own.
func notGlobal(ip string) *special {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return &special{name: "not an IP address"}
	}
	for i := range specials {
		if specials[i].prefix.Contains(a) {
			if specials[i].global {
				return nil
			}
			return &specials[i]
		}
	}
	return nil
}

// nsAddress: every address of an NS name (one that has some: ns-resolves
// fails the others) is globally reachable
// (Zonemaster ADDRESS01: A01_LOCAL_USE_ADDR, A01_DOCUMENTATION_ADDR,
// A01_ADDR_NOT_GLOBALLY_REACHABLE, all ERROR): resolvers on the Internet
// cannot reach a private, loopback, link-local or documentation address,
// even when this machine can (a VPN, a private view, the server itself).
// An address in the same special-purpose block as one of the parent's
// servers passes: resolvers reach the parent there, so the delegation
// lives in that network (the lab on loopback, an internal DNS tree), and
// so do they. When every parent server is itself not globally reachable,
// every address passes: the resolvers that follow that parent live in a
// private network (the lab, an internal tree spanning several private
// blocks), and which addresses they reach cannot be told from the
// address; Zonemaster judges a public delegation, whose parent is public.
func (t *Target) nsAddress(nr nameResult) Check {
	c := Check{Name: CheckNSAddress, Server: nr.name, Asked: "the addresses of " + nr.name, Expected: "globally reachable addresses (IANA special-purpose address registries)",
		Ref: "Zonemaster ADDRESS01; RFC 6890"}
	c.Got = strings.Join(nr.addrs, " ")
	parent := map[netip.Prefix][]string{}
	private := len(t.ParentServers) > 0
	for _, s := range t.ParentServers {
		if b := notGlobal(query.Host(s)); b != nil {
			parent[b.prefix] = append(parent[b.prefix], s)
		} else {
			private = false
		}
	}
	if private {
		c.OK = true
		c.Detail = fmt.Sprintf("%s: %s; not judged: the parent's servers (%s) are not globally reachable either, so the delegation and the resolvers that follow it live in a private network, whose reach no address tells", nr.name, c.Got, strings.Join(t.ParentServers, " "))
		return c
	}
	var bad, inParentNet []string
	for _, a := range nr.addrs {
		b := notGlobal(a)
		switch {
		case b == nil:
		case b.prefix.IsValid() && len(parent[b.prefix]) > 0:
			inParentNet = append(inParentNet, fmt.Sprintf("%s (%s %s, as the parent's server %s)", a, b.name, b.prefix, strings.Join(parent[b.prefix], " ")))
		case b.prefix.IsValid():
			bad = append(bad, fmt.Sprintf("%s is %s (%s, %s)", a, b.name, b.prefix, b.ref))
		default:
			bad = append(bad, fmt.Sprintf("%s is %s", a, b.name))
		}
	}
	if len(bad) > 0 {
		c.Detail = fmt.Sprintf("%s has addresses that are not globally reachable: %s; resolvers following the delegation from the parent (%s) cannot reach them, even if this machine can", nr.name, strings.Join(bad, "; "), orNone(t.ParentServers))
		c.Fix = fmt.Sprintf("give %s the %s side's public addresses (providers.%s.nameservers, the glue, or its A/AAAA records where its zone is served)", nr.name, t.Side, t.Side)
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%s: %s globally reachable", nr.name, c.Got)
	if len(inParentNet) > 0 {
		c.Detail = fmt.Sprintf("%s: %s; not globally reachable, but in the same block as the parent's servers, so the delegation lives in that network with its resolvers", nr.name, strings.Join(inParentNet, "; "))
	}
	return c
}
