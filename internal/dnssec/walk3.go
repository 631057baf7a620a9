package dnssec

import (
	"context"
	"encoding/base32"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
)

// NSEC3Chain is what a server's NSEC3 chain (RFC 5155) says its copy of
// a zone holds: each name of the chain a known name (or an empty
// non-terminal above one) hashes to, with the types of its bitmap, and
// each hash no known name has (a name the copy holds that the caller
// does not know of), with its types. Hashes name nothing by themselves:
// such a name is only told by its hash.
type NSEC3Chain struct {
	Names   map[string][]uint16
	Unnamed map[string][]uint16
	// OptOut: the chain has the opt-out flag (RFC 5155 section 6): it
	// holds every name the copy holds but unsigned delegations (and the
	// empty non-terminals that lead only to them), which it leaves out:
	// its spans may cover any number of those, unseen.
	OptOut bool
}

// WalkNSEC3 reads zone's NSEC3 chain at server: WalkNSEC for a zone
// denied with NSEC3, whose owner names are hashes (RFC 5155 section 3),
// so that a copy that refuses to transfer can still be held to the names
// the caller knows. Each NSEC3 names the next hash of the chain, the last
// one the first again: the chain read whole is every name the copy
// holds, each with its types. It asks each of known (the apex always)
// for a type no name holds (NULL: the NODATA proof carries the NSEC3
// matching the name, RFC 5155 section 7.2.3; a name the copy lacks gets
// the covering ones), then, for each hash the chain names next whose
// NSEC3 it has not read, a made-up name under the apex hashing after it
// and before the next hash read (found by hashing made-up names, as the
// server does): the NXDOMAIN proof carries the NSEC3 covering that name's
// hash, owned by that hash or one between them not read yet, so every
// round reads new NSEC3 records until the chain closes. More
// than limit hashes beyond known is ErrNSECChainLong. A server that
// gives no NSEC3 at the apex, or one an online signer makes up per
// answer (each NSEC3 covering only the hash asked, "white lies": no name
// the copy holds follows from it) is ErrNoNSECChain. An opt-out chain
// (RFC 5155 section 6) is read whole all the same, NSEC3Chain.OptOut
// set: it shows every name but unsigned delegations, which it leaves out.
func WalkNSEC3(ctx context.Context, server, zone string, known []string, limit int, timeout time.Duration) (*NSEC3Chain, error) {
	zone = dns.CanonicalName(zone)
	addr, err := query.ParseAddr(server)
	if err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	a := asker{timeout: timeout}
	w := &nsec3Walk{owners: map[string]*dns.NSEC3{}}
	if err := w.ask(ctx, a, addr, []string{zone}); err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w", zone, err)
	}
	if w.param == nil {
		return nil, fmt.Errorf("dnssec: %s: %s: %w (no NSEC3 at the apex)", zone, addr, ErrNoNSECChain)
	}
	if w.param.Iterations > nsec3MaxIterations {
		// The server chooses the iterations (up to 65535) and each
		// probe name costs that many hashes: a hostile or careless copy
		// would hold the step for hours. RFC 9276 section 3.1 bounds
		// them; validators treat more as insecure (section 3.2).
		return nil, fmt.Errorf("dnssec: %s: %s: %w (its NSEC3 chain hashes %d iterations, over the %d RFC 9276 allows; not read)", zone, addr, ErrNoNSECChain, w.param.Iterations, nsec3MaxIterations)
	}
	// The names known, and the empty non-terminals above them, by hash.
	byHash := map[string]string{}
	var names []string
	for _, n := range append([]string{zone}, known...) {
		for n = dns.CanonicalName(n); dns.IsSubDomain(zone, n); n = parentName(n) {
			if h := w.hash(n); byHash[h] == "" {
				byHash[h] = n
				names = append(names, n)
			}
			if n == zone {
				break
			}
		}
	}
	if err := w.ask(ctx, a, addr, names); err != nil {
		return nil, fmt.Errorf("dnssec: %s: %w: the chain was not read", zone, err)
	}
	for {
		if err := w.unwalkable(); err != nil {
			return nil, fmt.Errorf("dnssec: %s: %s: %w", zone, addr, err)
		}
		missing := w.missing()
		if len(missing) == 0 {
			break
		}
		if beyond := len(w.owners) - countKnown(w.owners, byHash); beyond > limit {
			return w.chain(byHash), fmt.Errorf("dnssec: %s: %s: %w (%d beyond the %d known)", zone, addr, ErrNSECChainLong, limit, len(known))
		}
		var probes []string
		for _, h := range missing {
			p, err := w.probe(ctx, zone, h)
			if err != nil {
				return nil, fmt.Errorf("dnssec: %s: %w: the chain was not read", zone, err)
			}
			if p != "" && !slices.Contains(probes, p) {
				probes = append(probes, p)
			}
		}
		before := len(w.owners)
		if err := w.ask(ctx, a, addr, probes); err != nil {
			return nil, fmt.Errorf("dnssec: %s: %w: the chain was not read", zone, err)
		}
		if len(w.owners) == before {
			// Every probe's cover was read already: the server does
			// not give the NSEC3 the chain names next.
			return nil, fmt.Errorf("dnssec: %s: %s: %w (the NSEC3 of hash %s, which the chain names next, was not given)", zone, addr, ErrNoNSECChain, missing[0])
		}
	}
	return w.chain(byHash), nil
}

// chain is what w read, the hashes of byHash named.
func (w *nsec3Walk) chain(byHash map[string]string) *NSEC3Chain {
	out := &NSEC3Chain{Names: map[string][]uint16{}, Unnamed: map[string][]uint16{}, OptOut: w.optOut}
	for h, n := range w.owners {
		if byHash[h] != "" {
			out.Names[byHash[h]] = n.TypeBitMap
		} else {
			out.Unnamed[h] = n.TypeBitMap
		}
	}
	return out
}

// nsec3Walk is what WalkNSEC3 has read: the NSEC3 records by owner hash
// (upper case), and the chain's parameters (the first NSEC3 read).
type nsec3Walk struct {
	mu     sync.Mutex
	owners map[string]*dns.NSEC3
	param  *dns.NSEC3
	pool   []probeName // probe's made-up names, by hash
	optOut bool        // an NSEC3 read has the opt-out flag
}

// ask asks addr each of names for the NULL type, up to askWorkers at a
// time, and keeps every NSEC3 of the zone's chain the answers carry.
func (w *nsec3Walk) ask(ctx context.Context, a asker, addr string, names []string) error {
	errs := make([]error, len(names))
	fanout.Each(len(names), askWorkers, func(_, i int) {
		r, err := a.ask(ctx, addr, names[i], dns.TypeNULL)
		if err != nil {
			errs[i] = fmt.Errorf("%s at %s: %w", names[i], addr, err)
			return
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, rr := range r.Ns {
			n, ok := rr.(*dns.NSEC3)
			if !ok {
				continue
			}
			if w.param == nil {
				w.param = n
			}
			if n.Hash != w.param.Hash || n.Iterations != w.param.Iterations || !strings.EqualFold(n.Salt, w.param.Salt) {
				continue
			}
			w.owners[strings.ToUpper(strings.SplitN(n.Hdr.Name, ".", 2)[0])] = n
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// unwalkable says why the chain read cannot be walked (nil: it can): an
// NSEC3 an online signer made up for the hash asked names no name of the
// zone next (whiteLie). An opt-out NSEC3 (RFC 5155 section 6) still links
// every name but unsigned delegations: noted (w.optOut), walked.
func (w *nsec3Walk) unwalkable() error {
	for h, n := range w.owners {
		if n.Flags&1 == 1 {
			w.optOut = true
		}
		switch {
		case whiteLie(h, n.NextDomain):
			return fmt.Errorf("%w (its NSEC3 of hash %s names %s next, made up for the name asked by a signer that signs as it answers: no name the copy holds follows from it)", ErrNoNSECChain, h, n.NextDomain)
		}
	}
	return nil
}

// hash is name's NSEC3 hash under the chain's parameters (upper case).
func (w *nsec3Walk) hash(name string) string {
	return strings.ToUpper(dns.HashName(name, w.param.Hash, w.param.Iterations, w.param.Salt))
}

// missing are the hashes the chain names next whose NSEC3 is not read,
// sorted.
func (w *nsec3Walk) missing() []string {
	var out []string
	for _, n := range w.owners {
		if next := strings.ToUpper(n.NextDomain); w.owners[next] == nil && !slices.Contains(out, next) {
			out = append(out, next)
		}
	}
	slices.Sort(out)
	return out
}

// probe is a made-up name under zone whose hash falls after h and before
// the next hash read after it, the first such of the names hashed so far
// (w.pool, grown as needed): the NSEC3 covering it is owned by h, or by
// a hash between them not read yet (none read lies there), so each
// probe reads a new NSEC3. With no hash read after h, a name hashing
// before the first hash read does too (the last NSEC3 covers it,
// wrapping round). "" when none of maxProbes names falls there; the
// error is ctx's, once it ends (hashing maxProbes names takes a while).
func (w *nsec3Walk) probe(ctx context.Context, zone, h string) (string, error) {
	upper, lowest := "", ""
	for o := range w.owners {
		if o > h && (upper == "" || o < upper) {
			upper = o
		}
		if lowest == "" || o < lowest {
			lowest = o
		}
	}
	for {
		i, _ := slices.BinarySearchFunc(w.pool, h, func(p probeName, h string) int { return strings.Compare(p.hash, h) })
		for i < len(w.pool) && w.pool[i].hash == h {
			i++
		}
		switch {
		case i < len(w.pool) && (upper == "" || w.pool[i].hash < upper):
			return w.pool[i].name, nil
		case upper == "" && len(w.pool) > 0 && w.pool[0].hash < lowest:
			return w.pool[0].name, nil
		case len(w.pool) >= maxProbes:
			return "", nil
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		w.grow(zone, max(len(w.pool), 1024))
	}
}

// probeName is a made-up name and its hash.
type probeName struct{ hash, name string }

// grow hashes n more made-up names under zone into w.pool, kept sorted by
// hash.
func (w *nsec3Walk) grow(zone string, n int) {
	for i := len(w.pool); n > 0; i, n = i+1, n-1 {
		name := fmt.Sprintf("nsec3-walk-%d.%s", i, zone)
		w.pool = append(w.pool, probeName{w.hash(name), name})
	}
	slices.SortFunc(w.pool, func(a, b probeName) int { return strings.Compare(a.hash, b.hash) })
}

// maxProbes bounds the made-up names hashed: a gap of the chain narrower
// than about one in that many of the hash space is not asked into, and
// the walk fails there (ErrNoNSECChain).
const maxProbes = 1 << 20

// countKnown is how many of owners a known name hashes to.
func countKnown(owners map[string]*dns.NSEC3, byHash map[string]string) int {
	n := 0
	for h := range owners {
		if byHash[h] != "" {
			n++
		}
	}
	return n
}

// parentName is name without its first label ("." for a top-level one).
func parentName(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 && i+1 < len(name) {
		return name[i+1:]
	}
	return "."
}

// whiteLie reports whether an NSEC3 owned by hash h names next the hash
// right after h (h + 1, or h + 2): the minimally covering NSEC3 an online
// signer makes up for the hash asked (RFC 7129 appendix B), which holds
// no name of the zone next.
func whiteLie(h, next string) bool {
	x, errX := base32.HexEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(h))
	y, errY := base32.HexEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(next))
	if errX != nil || errY != nil {
		return false
	}
	d := new(big.Int).Sub(new(big.Int).SetBytes(y), new(big.Int).SetBytes(x))
	return d.Sign() > 0 && d.Cmp(big.NewInt(2)) <= 0
}
