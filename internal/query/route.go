package query

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrNoRoute marks an address this machine cannot send to at all (see
// Route).
var ErrNoRoute = errors.New("no route from this machine")

// noRouteErrnos are the kernel's refusals to send: no route to the
// network (a machine without IPv6, such as a GitHub-hosted runner), an
// unreachable route, no source address of the family, the family
// disabled.
var noRouteErrnos = []syscall.Errno{syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.EADDRNOTAVAIL, syscall.EAFNOSUPPORT}

// Route reports whether this machine can send to server (ip:port) at all.
// It connects a UDP socket, which looks up the route and the source
// address and sends nothing: when the kernel refuses (ENETUNREACH,
// EHOSTUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT) the error wraps ErrNoRoute and
// the errno ("no route from this machine (network is unreachable)"). Nil means a packet would leave; whether anything answers is
// the question's business: an ICMP "unreachable" that comes back from the
// network after a packet went out (a router, a neighbour that does not
// answer) is what a dead server looks like, and is not ErrNoRoute.
func Route(ctx context.Context, server string) error {
	server, err := dialAddr(server)
	if err != nil {
		return err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", server)
	if err == nil {
		c.Close()
		return nil
	}
	for _, e := range noRouteErrnos {
		if errors.Is(err, e) {
			return fmt.Errorf("%w (%w)", ErrNoRoute, e)
		}
	}
	return fmt.Errorf("route to %s: %w", server, err)
}

// NotFromHere says why server is not asked from this machine at all, ""
// when it is: an IPv6 address while IPv6 is left out on purpose (noIPv6,
// policy.delegation.ipv6: false; onPurpose true), or an address the kernel
// has no route to (Route: ErrNoRoute, a runner without IPv6). A routable
// server that does not answer is asked, and fails: that is what a dead
// server looks like. Every check of a side's servers (the delegation
// gate, new-authoritative, old-down, parity) decides with it, so the same
// server is "not asked from here" everywhere.
func NotFromHere(ctx context.Context, server string, noIPv6 bool) (why string, onPurpose bool) {
	addr, err := dialAddr(server)
	if err != nil {
		return err.Error(), false
	}
	if ap, err := netip.ParseAddrPort(addr); err == nil && noIPv6 && ap.Addr().Is6() && !ap.Addr().Is4In6() {
		return "IPv6 left out on purpose: policy.delegation.ipv6 is false", true
	}
	if err := Route(ctx, addr); errors.Is(err, ErrNoRoute) {
		return err.Error(), false
	}
	return "", false
}
