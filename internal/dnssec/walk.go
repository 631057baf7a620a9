package dnssec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
)

// ErrNSECChainLong: the NSEC chain names more names than the known ones
// past the limit WalkNSEC was given; the names it read are returned
// with it.
var ErrNSECChainLong = errors.New("the NSEC chain names more names than the limit")

// ErrNoNSECChain: the server serves no NSEC at the zone's apex (the zone
// is unsigned, or denies with NSEC3, RFC 5155, whose hashed names cannot
// be walked), an NSEC an online signer made up for the name asked
// (madeUp), or a chain that names a next name whose NSEC the server does
// not give: its names cannot be read that way.
var ErrNoNSECChain = errors.New("no NSEC chain to walk")

// WalkNSEC reads zone's NSEC chain at server (RFC 4034 section 4: each
// name's NSEC names the next name of the zone and the types that name
// holds, the last one the apex again): the names the server's copy
// holds, each with the types of its bitmap, whatever lists them or
// refuses to transfer them. It asks the NSEC of each of known (the names
// the caller expects; the apex always) at once, up to 16 at a time, then
// of each name an NSEC names next that it has not asked, and so on: every
// name of the chain follows a name asked before it, the apex at the
// latest, so the whole chain is read in as many rounds as the longest run
// of names not known, not one question after another. A known name the
// server holds no NSEC for (one it lacks, an empty non-terminal, one
// below a delegation) is left out; a name an NSEC names next whose NSEC
// cannot be read breaks the chain, and is ErrNoNSECChain (the names
// after it unread). Names below a delegation are not in
// the chain (the cut's NSEC is). More than limit names beyond known is
// ErrNSECChainLong, with the names read; a name that does not answer is
// an error, as is a server that gives no NSEC at the apex
// (ErrNoNSECChain).
func WalkNSEC(ctx context.Context, server, zone string, known []string, limit int, timeout time.Duration) (map[string][]uint16, error) {
	zone = dns.CanonicalName(zone)
	addr, err := query.ParseAddr(server)
	if err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	out := map[string][]uint16{}
	asked := map[string]bool{zone: true}
	queue := []string{zone}
	for _, n := range known {
		if n = dns.CanonicalName(n); !asked[n] && dns.IsSubDomain(zone, n) {
			asked[n] = true
			queue = append(queue, n)
		}
	}
	beyond := 0
	var chained []string // the names NSEC records name next
	for len(queue) > 0 {
		type got struct {
			nsec *dns.NSEC
			err  error
		}
		res := make([]got, len(queue))
		fanout.Each(len(queue), askWorkers, func(_, i int) {
			n, err := nsecAt(ctx, a, addr, zone, queue[i])
			res[i] = got{n, err}
		})
		var next []string
		for i, r := range res {
			name := queue[i]
			switch {
			case r.err != nil && errors.Is(r.err, errNoNSEC) && name == zone:
				return nil, fmt.Errorf("dnssec: %s: %s: %w", zone, addr, ErrNoNSECChain)
			case r.err != nil && errors.Is(r.err, errNoNSEC):
				continue // not a name of the server's chain
			case r.err != nil:
				return nil, fmt.Errorf("dnssec: %s: %w: the chain was not read", zone, r.err)
			}
			out[name] = r.nsec.TypeBitMap
			nx := dns.CanonicalName(r.nsec.NextDomain)
			if madeUp(name, nx) {
				return nil, fmt.Errorf("dnssec: %s: %s: %w (its NSEC of %s names %s next, made up for the name asked by a signer that signs as it answers, RFC 4470: no name the copy holds follows from it)", zone, addr, ErrNoNSECChain, name, nx)
			}
			if !dns.IsSubDomain(zone, nx) {
				continue
			}
			chained = append(chained, nx)
			if asked[nx] {
				continue
			}
			asked[nx] = true
			if beyond++; beyond > limit {
				return out, fmt.Errorf("dnssec: %s: %s: %w (%d beyond the %d known)", zone, addr, ErrNSECChainLong, limit, len(known))
			}
			next = append(next, nx)
		}
		queue = next
	}
	// Every name the chain names next is one of it: one whose NSEC was
	// not read breaks the chain there, and the names after it are
	// unread, not absent.
	for _, nx := range chained {
		if _, ok := out[nx]; !ok {
			return nil, fmt.Errorf("dnssec: %s: %s: %w (the chain names %s next, whose NSEC it does not give: the names after it were not read)", zone, addr, ErrNoNSECChain, nx)
		}
	}
	return out, nil
}

var errNoNSEC = errors.New("no NSEC")

// nsecAt is the NSEC record owned by name (of zone) at addr: asked for
// it (an answer with authority); at a delegation, where the server
// refers (the cut's NSEC is the parent's, RFC 4035 section 2.3, and comes
// with a referral to an unsigned child only) or answers from the child
// zone it serves too (childApex), the one that denies the name right
// after the cut's subtree, its first label followed by a zero octet (RFC
// 4034 section 6.1: it sorts after every name below the cut and before
// the next name of the zone), which covers it from name.
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
	// A server that also serves a zone delegated at name answers from
	// that child, with authority: its apex's NSEC (a bitmap with SOA) or,
	// unsigned, none. The parent's NSEC at the cut is read as at a
	// referral: read as the child's, the walk went into the child's
	// names, or stopped there and left every name after the cut unread.
	child := name != zone && childApex(r, name)
	if r.Rcode == dns.RcodeSuccess && r.Authoritative && !child {
		if n := find(r.Answer); n != nil {
			return n, nil
		}
	}
	if n := find(r.Ns); n != nil && !child {
		return n, nil
	}
	if name == zone || r.Authoritative && !child {
		return nil, fmt.Errorf("%s answers NSEC %s with %s, aa=%v: %w", addr, name, rcodeText(r), r.Authoritative, errNoNSEC)
	}
	labels := dns.SplitDomainName(name)
	if len(labels) == 0 || len(labels[0]) >= 63 {
		return nil, fmt.Errorf("%s refers NSEC %s, and no name after it can be made to ask: %w", addr, name, errNoNSEC)
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

// childApex reports whether r, a server's answer to a question for name,
// comes from a zone whose apex is name (its SOA in the authority section,
// or an NSEC of name whose bitmap holds SOA): a zone delegated at name
// that the server serves too.
func childApex(r *dns.Msg, name string) bool {
	for _, rr := range append(slices.Clip(r.Answer), r.Ns...) {
		switch v := rr.(type) {
		case *dns.SOA:
			if equalName(v.Hdr.Name, name) {
				return true
			}
		case *dns.NSEC:
			if equalName(v.Hdr.Name, name) && slices.Contains(v.TypeBitMap, dns.TypeSOA) {
				return true
			}
		}
	}
	return false
}

// madeUp reports whether next, the next name an NSEC of name gives, is
// the one an online signer makes up for the name asked (RFC 4470 section
// 3, minimally covering: "\000." and name, the first name after it, as
// Cloudflare's, Route 53's, NS1's and Knot's mod-onlinesign answers
// give), not a name of the zone: their chain names none of the copy's
// other names, and a walk following it reads made-up names until its
// limit.
func madeUp(name, next string) bool {
	first, rest, ok := strings.Cut(next, ".")
	return ok && first == `\000` && equalName(rest, name)
}
