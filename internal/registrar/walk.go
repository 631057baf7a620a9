package registrar

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"syscall"
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
	return (&Walker{}).Walk(ctx, servers, zone, timeout)
}

// Walker is Walk keeping the referrals it followed (each zone cut's
// servers, as the walk from the same servers found them by their glue),
// so that the walks of one run over many zones start at the closest
// cut above each zone already found: a wave of 1,000 zones under one
// parent asks the root once, not 1,000 times. A failed walk keeps
// nothing it did not follow. The zero value is ready; safe for
// concurrent use.
type Walker struct {
	mu   sync.Mutex
	cuts map[string][]string // servers walked from + " " + cut → the cut's servers
}

// Walk is Walk, starting at the closest cut above zone that w has
// followed from the same servers.
func (w *Walker) Walk(ctx context.Context, servers []string, zone string, timeout time.Duration) ([]string, error) {
	zone = dns.Fqdn(foldName(zone))
	cur, err := query.ParseAddrs("walk to "+zone+": server", servers)
	if err != nil {
		return nil, err
	}
	from := strings.Join(cur, " ")
	var path []string
	if cut, s := w.closest(from, zone); s != nil {
		cur, path = s, []string{cut}
	}
	for depth := 0; depth < 16; depth++ {
		var r *dns.Msg
		var lastErr error
		refused := true // by every server asked: nothing listens at any
		for _, s := range cur {
			m, err := exchange(ctx, s, zone, dns.TypeNS, false, timeout)
			if err == nil {
				r = m
				break
			}
			lastErr = err
			refused = refused && errors.Is(err, syscall.ECONNREFUSED)
		}
		if r == nil {
			// Said so only of the servers the caller named: a server a
			// referral named is no address the caller can correct.
			if refused && depth == 0 && path == nil {
				// ICMP port unreachable: no server there at all, which
				// the raw "recvfrom: connection refused" does not say.
				return nil, fmt.Errorf("walk to %s: no answer from %s: nothing listens on that address and port (connection refused): a wrong address or port, or the server is down: %w", zone, strings.Join(cur, " "), lastErr)
			}
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
		w.keep(from, cut, next)
		cur = next
	}
	return nil, fmt.Errorf("walk to %s: too many referrals", zone)
}

// closest is the deepest cut strictly above zone that w has followed
// from the servers from, and its servers (nil: none).
func (w *Walker) closest(from, zone string) (string, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for off, end := dns.NextLabel(zone, 0); !end; off, end = dns.NextLabel(zone, off) {
		if s, ok := w.cuts[from+" "+zone[off:]]; ok {
			return zone[off:], slices.Clone(s)
		}
	}
	return "", nil
}

// keep notes the servers of cut, found walking from the servers from.
func (w *Walker) keep(from, cut string, servers []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cuts == nil {
		w.cuts = map[string][]string{}
	}
	w.cuts[from+" "+cut] = slices.Clone(servers)
}
