package parity

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// resolveTargets turns targets into server addresses: host:port with port
// 53 by default. A host name is resolved through resolver (an IP address:
// port, parity.resolver / --resolver) into every A and AAAA address it
// has; without a resolver a name is an error: dnsparity never asks the
// system resolver.
func resolveTargets(ctx context.Context, side string, ts []Target, resolver string, timeout time.Duration) ([]*query.Server, error) {
	var out []*query.Server
	for _, t := range ts {
		host, port, err := net.SplitHostPort(t.Addr)
		if err != nil {
			host, port = t.Addr, "53"
		}
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return nil, fmt.Errorf("%s server %q: bad port", side, t.Addr)
		}
		if ip := net.ParseIP(host); ip != nil {
			out = append(out, &query.Server{Label: side, Addr: net.JoinHostPort(ip.String(), port), Name: t.Addr})
			continue
		}
		if resolver == "" {
			return nil, fmt.Errorf("%s server %q is a name: give its address, or a resolver (--resolver / parity.resolver) to look it up (dnsparity never uses the system resolver)", side, t.Addr)
		}
		ips, err := lookupAddrs(ctx, resolver, host, timeout)
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
