package parity

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/query"
)

// resolveTargets turns targets into server addresses: host:port with port
// 53 by default; a host name gives every address it resolves to.
func resolveTargets(ctx context.Context, side string, ts []Target) ([]*query.Server, error) {
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
		ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("%s server %q: %w", side, t.Addr, err)
		}
		for _, ip := range ips {
			out = append(out, &query.Server{Label: side, Addr: net.JoinHostPort(ip.IP.String(), port), Name: t.Addr})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s server given", side)
	}
	return out, nil
}
