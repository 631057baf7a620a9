package dnssec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// ErrNSECChainLong: the NSEC chain goes on past the limit of names
// WalkNSEC was given; the names it read are returned with it.
var ErrNSECChainLong = errors.New("the NSEC chain goes on past the limit")

// ErrNoNSECChain: the server serves no NSEC at the zone's apex (the zone
// is unsigned, or denies with NSEC3, RFC 5155, whose hashed names cannot
// be walked): its names cannot be read that way.
var ErrNoNSECChain = errors.New("no NSEC chain to walk")

// WalkNSEC follows zone's NSEC chain at server from the apex (RFC 4034
// section 4: each name's NSEC names the next name of the zone and the
// types that name holds, the last one the apex again), asking each name
// for its NSEC: the names the server's copy holds, each with the types
// of its bitmap, whatever lists them or refuses to transfer them. Names
// below a delegation are not in the chain (the cut's NSEC is). At most
// limit names are followed: a longer chain is ErrNSECChainLong, with the
// limit's names read (a caller that knows how many names the zone should
// hold learns that it holds more); a loop, a name whose NSEC the server
// does not give, or one that does not answer with authority is an error,
// as is a server that gives no NSEC at the apex (ErrNoNSECChain).
func WalkNSEC(ctx context.Context, server, zone string, limit int, timeout time.Duration) (map[string][]uint16, error) {
	zone = dns.CanonicalName(zone)
	addr, err := query.ParseAddr(server)
	if err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	out := map[string][]uint16{}
	name := zone
	for {
		if len(out) >= limit {
			return out, fmt.Errorf("dnssec: %s: %s: %w (%d names)", zone, addr, ErrNSECChainLong, limit)
		}
		nsec, err := nsecAt(ctx, a, addr, zone, name)
		if err != nil {
			if errors.Is(err, errNoNSEC) && name == zone {
				return nil, fmt.Errorf("dnssec: %s: %s: %w", zone, addr, ErrNoNSECChain)
			}
			return nil, fmt.Errorf("dnssec: %s: %w: the chain breaks there", zone, err)
		}
		out[name] = nsec.TypeBitMap
		next := dns.CanonicalName(nsec.NextDomain)
		if next == zone {
			return out, nil
		}
		if _, seen := out[next]; seen || !dns.IsSubDomain(zone, next) {
			return nil, fmt.Errorf("dnssec: %s: the NSEC chain at %s loops or leaves the zone at %s (next %s)", zone, addr, name, next)
		}
		name = next
	}
}

var errNoNSEC = errors.New("no NSEC")

// nsecAt is the NSEC record owned by name (of zone) at addr: asked for
// it (an answer with authority); at a delegation, where the server
// refers (the cut's NSEC is the parent's, RFC 4035 section 2.3, and comes
// with a referral to an unsigned child only), the one that denies the
// name right after the cut's subtree, its first label followed by a zero
// octet (RFC 4034 section 6.1: it sorts after every name below the cut
// and before the next name of the zone), which covers it from name.
func nsecAt(ctx context.Context, a asker, addr, zone, name string) (*dns.NSEC, error) {
	find := func(rrs []dns.RR) *dns.NSEC {
		for _, rr := range rrs {
			if n, ok := rr.(*dns.NSEC); ok && equalName(n.Hdr.Name, name) {
				return n
			}
		}
		return nil
	}
	r, err := a.ask(ctx, addr, name, dns.TypeNSEC)
	if err != nil {
		return nil, fmt.Errorf("NSEC %s at %s: %w", name, addr, err)
	}
	if r.Rcode == dns.RcodeSuccess && r.Authoritative {
		if n := find(r.Answer); n != nil {
			return n, nil
		}
	}
	if n := find(r.Ns); n != nil {
		return n, nil
	}
	if name == zone || r.Authoritative {
		return nil, fmt.Errorf("%s answers NSEC %s with %s, aa=%v: %w", addr, name, rcodeText(r), r.Authoritative, errNoNSEC)
	}
	labels := dns.SplitDomainName(name)
	if len(labels) == 0 || len(labels[0]) >= 63 {
		return nil, fmt.Errorf("%s refers NSEC %s, and no name after it can be made to ask", addr, name)
	}
	after := labels[0] + "\\000." + strings.Join(labels[1:], ".") + "."
	r, err = a.ask(ctx, addr, after, dns.TypeA)
	if err != nil {
		return nil, fmt.Errorf("asking %s A at %s: %w", after, addr, err)
	}
	if n := find(r.Ns); n != nil && r.Authoritative {
		return n, nil
	}
	return nil, fmt.Errorf("%s refers NSEC %s and denies %s with %s, aa=%v, without the NSEC owned by %s: %w", addr, name, after, rcodeText(r), r.Authoritative, name, errNoNSEC)
}
