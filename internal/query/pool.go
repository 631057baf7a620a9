package query

import (
	"context"
	"math/rand/v2"
	"sync"
)

// Pool shares one server's UDP sockets, with their buffers, between the
// clients that ask it: parity over thousands of zones in one process
// opens Size sockets per server in all, not per zone, and keeps at most
// Size windows (Size × 4 queries) in flight to the server over all zones
// together. A client takes a socket for one window of AskAll (or one
// Ask) and gives it back, so the zones asked at once share the server
// fairly. A response that comes late, after its question was given up,
// is read and dropped by whichever client holds the socket next (answers
// are matched by ID and question).
type Pool struct {
	// Addr is the server (ip:port); every client of the pool asks it.
	Addr string

	sem  chan struct{}
	mu   sync.Mutex
	idle []*worker
}

// NewPool returns a pool of at most size sockets to addr (default 8: 32
// queries in flight, the engine's default per server).
func NewPool(addr string, size int) *Pool {
	if size <= 0 {
		size = 8
	}
	return &Pool{Addr: addr, sem: make(chan struct{}, size)}
}

// Size is the most sockets the pool opens.
func (p *Pool) Size() int { return cap(p.sem) }

// get takes a socket for client e, waiting while all are in use; nil when
// ctx ends first.
func (p *Pool) get(ctx context.Context, e *Client) *worker {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil
	}
	p.mu.Lock()
	var w *worker
	if n := len(p.idle); n > 0 {
		w, p.idle = p.idle[n-1], p.idle[:n-1]
	}
	p.mu.Unlock()
	if w == nil {
		w = &worker{rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	}
	w.ex = e
	return w
}

// put gives a socket back.
func (p *Pool) put(w *worker) {
	w.ex = nil
	p.mu.Lock()
	p.idle = append(p.idle, w)
	p.mu.Unlock()
	<-p.sem
}

// Close closes the idle sockets (call it when no client uses the pool).
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.idle {
		w.close()
	}
	p.idle = nil
}
