package parity

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// resolveTargets turns targets into server addresses: host:port with port
// 53 by default. A host name is resolved through resolver (an IP address:
// port, parity.resolver / --resolver) into every A and AAAA address it
// has; without a resolver a name is an error: dnsparity never asks the
// system resolver. With an Engine (many zones) a name is looked up once
// for all its zones (Engine.lookupAddrs).
func resolveTargets(ctx context.Context, e *Engine, side string, ts []Target, resolver string, timeout time.Duration) ([]*query.Server, error) {
	lookup := lookupAddrs
	if e != nil {
		lookup = e.lookupAddrs
	}
	var out []*query.Server
	for _, t := range ts {
		host, port, err := splitTarget(side, t.Addr)
		if err != nil {
			return nil, err
		}
		if ip := net.ParseIP(host); ip != nil {
			out = append(out, &query.Server{Label: side, Addr: net.JoinHostPort(ip.String(), port), Name: t.Addr})
			continue
		}
		if resolver == "" {
			return nil, fmt.Errorf("%s server %q is a name: give its address, or a resolver (--resolver / parity.resolver) to look it up (dnsparity never uses the system resolver)", side, t.Addr)
		}
		ips, err := lookup(ctx, resolver, host, timeout)
		if err != nil {
			return nil, fmt.Errorf("%s server %q: %w", side, t.Addr, err)
		}
		for _, ip := range ips {
			out = append(out, &query.Server{Label: side, Addr: net.JoinHostPort(ip, port), Name: t.Addr})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s server given", side)
	}
	return out, nil
}

// splitTarget is a target's host and port (53 when none is given), or
// why it is no server: a bad port, a host that is neither an address nor
// a domain name.
func splitTarget(side, addr string) (host, port string, err error) {
	host, port, err = net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, "53"
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", "", fmt.Errorf("%s server %q: bad port", side, addr)
	}
	if _, ok := dns.IsDomainName(host); net.ParseIP(host) == nil && (!ok || host == "") {
		return "", "", fmt.Errorf("%s server %q is neither an IP address nor a host name", side, addr)
	}
	return host, port, nil
}

// CheckTargets is what the command line's servers of a side (--old,
// --new) say wrong of themselves, before any config is read or server
// asked: a bad port, no host. A name is looked up only when the run
// starts (through the resolver, which the config may give).
func CheckTargets(flag, side string, addrs []string) error {
	for _, a := range addrs {
		if _, _, err := splitTarget(side, a); err != nil {
			return fmt.Errorf("%s: %w", flag, err)
		}
	}
	return nil
}

// lookupAddrs asks resolver (ip:port, recursion desired) for the A and AAAA
// records of host, through the query engine (never the system resolver).
func lookupAddrs(ctx context.Context, resolver, host string, timeout time.Duration) ([]string, error) {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	c := &query.Client{Server: &query.Server{Addr: resolver}, Timeout: timeout, RD: true}
	var ips []string
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		a := c.Exchange(ctx, dns.Fqdn(host), t)
		if a.Err != "" {
			return nil, fmt.Errorf("look up %s at resolver %s: %s", host, resolver, a.Err)
		}
		if a.Rcode != dns.RcodeSuccess && a.Rcode != dns.RcodeNameError {
			return nil, fmt.Errorf("look up %s at resolver %s: %s", host, resolver, dns.RcodeToString[a.Rcode])
		}
		for _, rr := range a.Answer {
			if rr.Type == t {
				ips = append(ips, query.RdataText(rr))
			}
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("resolver %s knows no address for %s", resolver, host)
	}
	return ips, nil
}

// KindNotAsked is the finding of a server left out on purpose.
const KindNotAsked = "not-asked"

// NotAskedError stops a run at a server this machine cannot send to (no
// route): parity proves nothing about a server it cannot ask.
type NotAskedError struct {
	Server, Why string
	Hint        string // what would let it be asked
}

func (e *NotAskedError) Error() string {
	return fmt.Sprintf("%s not asked from here: %s: parity proves nothing about a server it cannot ask, and resolvers elsewhere ask it; %s", e.Server, e.Why, e.Hint)
}

// fromHere leaves out the servers this machine does not ask
// (query.NotFromHere, through eng when the run has an Engine: nil is
// none). An IPv6 address left out on purpose (Options.NoIPv6,
// policy.delegation.ipv6: false) is a not-asked warning naming it: nothing
// is proven about it. A server the machine has no route to stops the run:
// parity proves nothing about a server it cannot ask, while resolvers
// elsewhere ask it. A side left with no server to ask stops the run too.
func fromHere(ctx context.Context, eng *Engine, origin, side string, ss []*query.Server, noIPv6 bool) ([]*query.Server, []Finding, error) {
	var out []*query.Server
	var notes []Finding
	for _, s := range ss {
		notFromHere := query.NotFromHere
		if eng != nil {
			notFromHere = eng.notFromHere
		}
		why, onPurpose := notFromHere(ctx, s.Addr, noIPv6)
		switch {
		case why == "":
			out = append(out, s)
		case onPurpose:
			f := Finding{Name: origin, Type: "ANY", Severity: SevWarning, Kind: KindNotAsked,
				Detail: fmt.Sprintf("%s not asked from here (%s): nothing is proven about its answers, which resolvers that reach it over IPv6 get; set policy.delegation.ipv6 back to true on a machine with IPv6 to compare it", s, why)}
			if side == "old" {
				f.Old = s.Addr
			} else {
				f.New = s.Addr
			}
			notes = append(notes, f)
		default:
			hint := "run parity from a machine that can reach it"
			if a, err := netip.ParseAddrPort(s.Addr); err == nil && a.Addr().Is6() && !a.Addr().Is4In6() {
				hint += ", or set policy.delegation.ipv6: false to leave IPv6 addresses out on purpose"
			}
			return nil, nil, &NotAskedError{Server: s.String(), Why: why, Hint: hint}
		}
	}
	if len(out) == 0 && len(ss) > 0 {
		return nil, nil, fmt.Errorf("no %s server can be asked from here: each is left out (%d IPv6 addresses, policy.delegation.ipv6: false): nothing of the %s side can be compared", side, len(notes), side)
	}
	return out, notes, nil
}
