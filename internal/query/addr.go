// Package query is the authoritative query engine: it asks DNS servers
// named by address, never the system resolver. A Client asks one server
// many questions at once (batched UDP with sendmmsg/recvmmsg, TCP after a
// truncated answer, retries, an optional shared rate limit) or a handful
// one at a time, and reduces each response to an Answer (class, AA bit,
// records in canonical form) that callers compare.
package query

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ErrNotAddress marks a server given by something else than an IP
// address (a host name): the engine never looks a name up through the
// system resolver.
var ErrNotAddress = errors.New("not an IP address")

// ParseAddr turns an IP address with an optional port (53 by default) into
// ip:port: "192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]:53".
// Anything else (a host name, "none", an empty string) is an error: the
// engine never looks a name up through the system resolver. This is the
// one parser of "IP[:port]" (servers, resolvers, parent servers).
func ParseAddr(s string) (string, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		host, port = strings.Trim(s, "[]"), "53"
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || port == "" {
		return "", fmt.Errorf("%q: bad port %q", s, port)
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return "", fmt.Errorf("%q is %w (IP or IP:port; names are not looked up: the system resolver is never used)", s, ErrNotAddress)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

// Host is the IP of an IP:port, or addr itself when it has no port (an
// address as a report or a dig command shows it).
func Host(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// dialAddr is server as the address a socket is opened to: ParseAddr's
// ip:port (port 53 by default), which netip.ParseAddrPort must take as
// it is. Every exchange (Msg, a Client's sockets, Route) passes through
// it before a socket is opened, so that no caller reaches the system
// resolver by handing a name to the dialer.
func dialAddr(server string) (string, error) {
	addr, err := ParseAddr(server)
	if err != nil {
		return "", err
	}
	if _, err := netip.ParseAddrPort(addr); err != nil {
		return "", fmt.Errorf("%q is %w: %v", server, ErrNotAddress, err)
	}
	return addr, nil
}

// ParseAddrs is ParseAddr of each address, in order; what names them in
// an error ("providers.old.nameservers").
func ParseAddrs(what string, addrs []string) ([]string, error) {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		p, err := ParseAddr(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, p)
	}
	return out, nil
}
