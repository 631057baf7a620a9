package inproc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Resolver is a caching resolver for the names under one parent zone: it
// asks the parent's servers, follows the referral to the delegated servers
// (their addresses from glue, on the lab's port), and caches the delegation
// for the parent's NS TTL and each answer for its own TTL (negative answers
// for the SOA's). So after a delegation changes at the parent, it keeps
// asking the old servers until its cached NS set expires, as real resolvers
// do.
type Resolver struct {
	Name    string
	parent  string   // the parent zone ("test.")
	stubs   []string // its servers, IP:PORT
	port    string   // port of delegated servers (glue carries no port)
	now     func() time.Time
	client  *dns.Client
	servers []*dns.Server
	addr    string

	mu     sync.Mutex
	cache  map[cacheKey]Answer
	cuts   map[string]delegation // zone → servers, until
	misses atomic.Int64
}

type cacheKey struct {
	name  string
	qtype uint16
}

// Answer is a cached answer: the rcode and records (Resolve returns them
// with the TTLs counted down).
type Answer struct {
	rcode  int
	answer []dns.RR
	ns     []dns.RR
	until  time.Time
	stored time.Time
}

type delegation struct {
	servers []string
	until   time.Time
}

// NewResolver makes a resolver for names under parent, whose servers are
// stubs; delegated servers are asked on port.
func NewResolver(name, parent string, stubs []string, port int) *Resolver {
	return &Resolver{
		Name: name, parent: lower(parent), stubs: stubs, port: strconv.Itoa(port), now: time.Now,
		client: &dns.Client{Timeout: 400 * time.Millisecond},
		cache:  map[cacheKey]Answer{}, cuts: map[string]delegation{},
	}
}

// Listen serves on addr (IP:PORT), UDP and TCP.
func (r *Resolver) Listen(addr string) error {
	srvs, err := listen(addr, dns.HandlerFunc(r.serve), nil, true)
	if err != nil {
		return fmt.Errorf("resolver %s: %w", r.Name, err)
	}
	r.servers, r.addr = srvs, addr
	return nil
}

// Addr is where it listens.
func (r *Resolver) Addr() string { return r.addr }

// Close stops it.
func (r *Resolver) Close() {
	for _, s := range r.servers {
		_ = s.Shutdown()
	}
}

// Flush empties the cache, delegations included (unbound-control flush_zone).
func (r *Resolver) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache = map[cacheKey]Answer{}
	r.cuts = map[string]delegation{}
}

// Delegation is the NS servers it currently uses for zone and until when
// (zero when none is cached).
func (r *Resolver) Delegation(zone string) ([]string, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.cuts[lower(zone)]
	if !ok || !r.now().Before(d.until) {
		return nil, time.Time{}
	}
	return append([]string(nil), d.servers...), d.until
}

func (r *Resolver) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if len(req.Question) != 1 || req.Question[0].Qclass != dns.ClassINET {
		m.SetRcode(req, dns.RcodeRefused)
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	if !dns.IsSubDomain(r.parent, lower(q.Name)) {
		m.SetRcode(req, dns.RcodeRefused) // never the internet
		_ = w.WriteMsg(m)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := r.Resolve(ctx, q.Name, q.Qtype)
	if err != nil {
		m.SetRcode(req, dns.RcodeServerFailure)
	} else {
		m.Rcode = c.rcode
		m.Answer, m.Ns = c.answer, c.ns
	}
	writeSized(w, req, m)
}

// Rcode of the answer.
func (c Answer) Rcode() int { return c.rcode }

// Records of the answer section.
func (c Answer) Records() []dns.RR { return c.answer }

// Resolve answers a question from the cache or by iteration.
func (r *Resolver) Resolve(ctx context.Context, name string, qtype uint16) (Answer, error) {
	return r.resolve(ctx, lower(name), qtype, 0)
}

func (r *Resolver) resolve(ctx context.Context, name string, qtype uint16, depth int) (Answer, error) {
	if depth > 8 {
		return Answer{}, errors.New("resolution too deep")
	}
	key := cacheKey{name, qtype}
	now := r.now()
	r.mu.Lock()
	if c, ok := r.cache[key]; ok && now.Before(c.until) {
		r.mu.Unlock()
		return c.aged(now), nil
	}
	r.mu.Unlock()
	r.misses.Add(1)

	servers, zone := r.serversFor(name)
	for hop := 0; hop < 6; hop++ {
		resp, err := r.ask(ctx, servers, name, qtype)
		if err != nil {
			return Answer{}, fmt.Errorf("%s %s: %w", name, dns.TypeToString[qtype], err)
		}
		if cut, nsSet := referral(resp, zone); cut != "" {
			addrs, ttl := r.glue(ctx, resp, nsSet, depth)
			if len(addrs) == 0 {
				return Answer{}, fmt.Errorf("%s: no address for the nameservers of %s", name, cut)
			}
			r.mu.Lock()
			r.cuts[cut] = delegation{servers: addrs, until: r.now().Add(time.Duration(ttl) * time.Second)}
			r.mu.Unlock()
			servers, zone = addrs, cut
			continue
		}
		c := Answer{rcode: resp.Rcode, answer: resp.Answer, ns: resp.Ns, stored: r.now()}
		// A CNAME whose target the server did not answer: follow it.
		if n := len(c.answer); n > 0 && qtype != dns.TypeCNAME {
			if cn, ok := c.answer[n-1].(*dns.CNAME); ok && dns.IsSubDomain(r.parent, lower(cn.Target)) {
				more, err := r.resolve(ctx, lower(cn.Target), qtype, depth+1)
				if err != nil {
					return Answer{}, err
				}
				c.rcode = more.rcode
				c.answer = append(append([]dns.RR(nil), c.answer...), more.answer...)
				c.ns = more.ns
			}
		}
		c.until = c.stored.Add(time.Duration(ttlOf(c)) * time.Second)
		r.mu.Lock()
		r.cache[key] = c
		r.mu.Unlock()
		return c, nil
	}
	return Answer{}, fmt.Errorf("%s: too many referrals", name)
}

// aged returns a copy with the TTLs counted down to now.
func (c Answer) aged(now time.Time) Answer {
	gone := uint32(now.Sub(c.stored) / time.Second)
	cp := func(rrs []dns.RR) []dns.RR {
		out := make([]dns.RR, len(rrs))
		for i, rr := range rrs {
			out[i] = dns.Copy(rr)
			if h := out[i].Header(); h.Ttl > gone {
				h.Ttl -= gone
			} else {
				h.Ttl = 0
			}
		}
		return out
	}
	c.answer, c.ns = cp(c.answer), cp(c.ns)
	return c
}

// ttlOf is how long an answer may be cached: the least TTL of its records,
// or for a negative answer min(SOA TTL, MINIMUM).
func ttlOf(c Answer) uint32 {
	ttl := uint32(1<<31 - 1)
	for _, rr := range c.answer {
		ttl = min(ttl, rr.Header().Ttl)
	}
	if len(c.answer) == 0 {
		ttl = 0
		for _, rr := range c.ns {
			if soa, ok := rr.(*dns.SOA); ok {
				ttl = min(soa.Hdr.Ttl, soa.Minttl)
			}
		}
	}
	return ttl
}

// serversFor is the deepest cached delegation above name, else the parent.
func (r *Resolver) serversFor(name string) ([]string, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	for n := name; dns.IsSubDomain(r.parent, n) && n != r.parent; n = zone.Parent(n) {
		if d, ok := r.cuts[n]; ok && now.Before(d.until) {
			return d.servers, n
		}
	}
	return r.stubs, r.parent
}

// referral recognizes a referral below zone: no answer, not authoritative,
// NS records in AUTHORITY for a name below zone.
func referral(m *dns.Msg, zone string) (string, []*dns.NS) {
	if m.Rcode != dns.RcodeSuccess || len(m.Answer) > 0 || m.Authoritative {
		return "", nil
	}
	var cut string
	var out []*dns.NS
	for _, rr := range m.Ns {
		if ns, ok := rr.(*dns.NS); ok {
			owner := lower(ns.Hdr.Name)
			if owner != zone && dns.IsSubDomain(zone, owner) {
				cut = owner
				out = append(out, ns)
			}
		}
	}
	return cut, out
}

// glue finds the nameservers' addresses (ADDITIONAL, else resolved) and the
// delegation's TTL (the NS TTL).
func (r *Resolver) glue(ctx context.Context, m *dns.Msg, nsSet []*dns.NS, depth int) ([]string, uint32) {
	var addrs []string
	ttl := nsSet[0].Hdr.Ttl
	for _, ns := range nsSet {
		target := lower(ns.Ns)
		found := false
		for _, rr := range m.Extra {
			if a, ok := rr.(*dns.A); ok && lower(a.Hdr.Name) == target {
				addrs = append(addrs, net.JoinHostPort(a.A.String(), r.port))
				found = true
			}
		}
		if !found {
			if c, err := r.resolve(ctx, target, dns.TypeA, depth+1); err == nil {
				for _, rr := range c.answer {
					if a, ok := rr.(*dns.A); ok {
						addrs = append(addrs, net.JoinHostPort(a.A.String(), r.port))
					}
				}
			}
		}
		ttl = min(ttl, ns.Hdr.Ttl)
	}
	return addrs, ttl
}

// ask sends the question to each server in turn until one answers.
func (r *Resolver) ask(ctx context.Context, servers []string, name string, qtype uint16) (*dns.Msg, error) {
	q := new(dns.Msg)
	q.SetQuestion(name, qtype)
	q.RecursionDesired = false
	q.SetEdns0(1232, false)
	var last error = errors.New("no servers")
	for _, s := range servers {
		resp, _, err := r.client.ExchangeContext(ctx, q, s)
		if err == nil && resp.Truncated {
			tcp := &dns.Client{Net: "tcp", Timeout: r.client.Timeout}
			resp, _, err = tcp.ExchangeContext(ctx, q, s)
		}
		if err != nil {
			last = err
			continue
		}
		if resp.Rcode == dns.RcodeServerFailure || resp.Rcode == dns.RcodeRefused {
			last = fmt.Errorf("%s answered %s", s, dns.RcodeToString[resp.Rcode])
			continue
		}
		return resp, nil
	}
	return nil, last
}
