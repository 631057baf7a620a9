package registrar

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// Walk finds the servers that hold zone's delegation, starting from
// servers (the parent's servers themselves, or root hints) and following
// referrals by their glue, without recursion and without any other
// resolver. It returns the servers (IP:port) that answer with the referral
// for zone itself, or that are authoritative for it.
func Walk(ctx context.Context, servers []string, zone string, timeout time.Duration) ([]string, error) {
	zone = dns.Fqdn(foldName(zone))
	cur, err := query.ParseAddrs("walk to "+zone+": server", servers)
	if err != nil {
		return nil, err
	}
	var path []string
	for depth := 0; depth < 16; depth++ {
		var r *dns.Msg
		var lastErr error
		for _, s := range cur {
			m, err := exchange(ctx, s, zone, dns.TypeNS, false, timeout)
			if err == nil {
				r = m
				break
			}
			lastErr = err
		}
		if r == nil {
			return nil, fmt.Errorf("walk to %s: no answer from %s: %w", zone, strings.Join(cur, " "), lastErr)
		}
		if r.Authoritative && r.Rcode == dns.RcodeSuccess {
			return cur, nil // the server holds the zone itself
		}
		cut, names := "", map[string]bool{}
		for _, rr := range r.Ns {
			if ns, ok := rr.(*dns.NS); ok {
				cut = foldName(ns.Hdr.Name)
				names[foldName(ns.Ns)] = true
			}
		}
		if cut == "" {
			return nil, fmt.Errorf("walk to %s: %s answered %s without a referral", zone, strings.Join(cur, " "), dns.RcodeToString[r.Rcode])
		}
		if cut == zone {
			return cur, nil // these servers hold the delegation
		}
		if !dns.IsSubDomain(cut, zone) || len(path) > 0 && path[len(path)-1] == cut {
			return nil, fmt.Errorf("walk to %s: referral to %s does not lead closer", zone, cut)
		}
		path = append(path, cut)
		var next []string
		for _, rr := range r.Extra {
			if a, ok := rr.(*dns.A); ok && names[foldName(a.Hdr.Name)] {
				next = append(next, net.JoinHostPort(a.A.String(), "53"))
			}
		}
		if len(next) == 0 {
			return nil, fmt.Errorf("walk to %s: the referral to %s carries no glue (names are not resolved through the system resolver; set cutover.parent_servers)", zone, cut)
		}
		cur = next
	}
	return nil, fmt.Errorf("walk to %s: too many referrals", zone)
}
