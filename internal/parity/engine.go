package parity

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/internal/query"
	"golang.org/x/time/rate"
)

// Engine is what runs over many zones in one process share (Options.Engine):
// one socket pool per server address, so that the per-server bound
// (Options.Concurrency queries in flight) holds over all the zones asked at
// once and no zone opens sockets of its own, one rate limit
// (Options.Rate) over every query of every zone, and which servers have
// answered: a zone does not probe a server another zone heard from (its
// SOA question asks it anyway), and which servers are asked from here: a
// zone does not look up the route to a server an earlier zone found one
// to (query.NotFromHere). Close it when the runs are done.
type Engine struct {
	limiter *rate.Limiter
	conc    int

	mu       sync.Mutex
	pools    map[string]*query.Pool
	answered map[string]bool // server addresses that answered a zone's questions
	routed   map[route]bool  // servers query.NotFromHere let be asked
	resolved map[lookup][]string
}

// lookup is a server's name as a resolver was asked for its addresses.
type lookup struct{ resolver, host string }

// route is a server address as query.NotFromHere took it.
type route struct {
	addr   string
	noIPv6 bool
}

// NewEngine returns an engine for runs with these options' Rate and
// Concurrency (the runs' own are then ignored).
func NewEngine(opts Options) *Engine {
	opts.defaults()
	e := &Engine{conc: opts.Concurrency, pools: map[string]*query.Pool{}, answered: map[string]bool{}, routed: map[route]bool{}, resolved: map[lookup][]string{}}
	if opts.Rate > 0 {
		e.limiter = newLimiter(opts.Rate)
	}
	return e
}

// pool is the socket pool of a server address.
func (e *Engine) pool(addr string) *query.Pool {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.pools[addr]
	if p == nil {
		p = query.NewPool(addr, max(1, e.conc/4))
		e.pools[addr] = p
	}
	return p
}

// heard reports whether the server at addr answered an earlier zone's
// questions.
func (e *Engine) heard(addr string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.answered[addr]
}

// hear records whether the server at addr answered a zone's questions (a
// server that answered none is probed again by the next zones).
func (e *Engine) hear(addr string, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answered[addr] = ok
}

// notFromHere is query.NotFromHere for the runs' servers: a server asked
// from here by one zone is not looked up again by the next (a route
// lookup opens a socket, per server and zone); one left out, or without
// a route, is looked up again by each zone, as without an engine.
func (e *Engine) notFromHere(ctx context.Context, addr string, noIPv6 bool) (why string, onPurpose bool) {
	k := route{addr, noIPv6}
	e.mu.Lock()
	ok := e.routed[k]
	e.mu.Unlock()
	if ok {
		return "", false
	}
	why, onPurpose = query.NotFromHere(ctx, addr, noIPv6)
	if why == "" {
		e.mu.Lock()
		e.routed[k] = true
		e.mu.Unlock()
	}
	return why, onPurpose
}

// lookupAddrs is lookupAddrs for the runs' servers given by name (a
// provider's assigned nameservers, the same for every zone): each name is
// looked up at a resolver once, by the first zone that names it, not
// again by each zone after it. A lookup that failed is not kept: the next
// zone asks again.
func (e *Engine) lookupAddrs(ctx context.Context, resolver, host string, timeout time.Duration) ([]string, error) {
	k := lookup{resolver, strings.ToLower(host)}
	e.mu.Lock()
	ips, ok := e.resolved[k]
	e.mu.Unlock()
	if ok {
		return ips, nil
	}
	ips, err := lookupAddrs(ctx, resolver, host, timeout)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.resolved[k] = ips
	e.mu.Unlock()
	return ips, nil
}

// Close closes the pooled sockets.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.pools {
		p.Close()
	}
	e.pools = map[string]*query.Pool{}
}

// newLimiter is the engine's rate limit: qps over all servers, bursts of a
// tenth of a second.
func newLimiter(qps float64) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(qps), max(1, int(qps/10)))
}
