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
// together. The windows of AskAll are asked by the pool's own goroutines,
// at most Size, in the order the clients handed them in, each client's
// together (a zone's questions are asked one after the other, so the
// zones asked at once finish one after the other and each one's later
// steps overlap the next ones' questions; no zone starts goroutines of
// its own, whose stacks would grow again for every zone); an Ask takes a
// socket and gives it back. A response that comes late, after its question was
// given up, is read and dropped by whichever window holds the socket next
// (answers are matched by ID and question). Close ends the goroutines.
type Pool struct {
	// Addr is the server (ip:port); every client of the pool asks it.
	Addr string

	sem  chan struct{}
	mu   sync.Mutex
	idle []*worker

	jobs    []windowJob // AskAll's windows for the pool's goroutines, first in first out
	more    *sync.Cond  // on mu: jobs were added, or the pool closed
	running int         // goroutines taking jobs (≤ Size)
	waiting int         // of them, those waiting for a job
	closed  bool
}

// windowJob is one window of an AskAll: questions [lo, hi) of client e.
type windowJob struct {
	ctx      context.Context
	e        *Client
	question func(int) (string, uint16)
	lo, hi   int
	out      []*Answer
	done     *sync.WaitGroup
}

// NewPool returns a pool of at most size sockets to addr (default 8: 32
// queries in flight, the engine's default per server).
func NewPool(addr string, size int) *Pool {
	if size <= 0 {
		size = 8
	}
	p := &Pool{Addr: addr, sem: make(chan struct{}, size)}
	p.more = sync.NewCond(&p.mu)
	return p
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

// ask hands the windows of one AskAll to the pool's goroutines (starting
// more while fewer than Size run and too few wait); false when the pool
// is closed.
func (p *Pool) ask(js []windowJob) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.jobs = append(p.jobs, js...)
	for n := len(js) - p.waiting; n > 0 && p.running < cap(p.sem); n-- {
		p.running++
		go p.serve()
	}
	p.more.Broadcast()
	return true
}

// serve asks the windows handed in, first in first out, each on a socket
// of the pool, until Close.
func (p *Pool) serve() {
	idx := make([]int, 0, window)
	for {
		p.mu.Lock()
		p.waiting++
		for len(p.jobs) == 0 && !p.closed {
			p.more.Wait()
		}
		p.waiting--
		if len(p.jobs) == 0 {
			p.running--
			p.mu.Unlock()
			return
		}
		j := p.jobs[0]
		p.jobs[0] = windowJob{}
		if p.jobs = p.jobs[1:]; len(p.jobs) == 0 {
			p.jobs = nil
		}
		p.mu.Unlock()
		if w := p.get(j.ctx, j.e); w != nil {
			idx = idx[:0]
			for i := j.lo; i < j.hi; i++ {
				idx = append(idx, i)
			}
			w.askWindow(j.ctx, j.question, idx, j.out)
			p.put(w)
		}
		j.done.Done()
	}
}

// Close ends the pool's goroutines and closes its idle sockets (call it
// when no client uses the pool).
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.more.Broadcast()
	for _, w := range p.idle {
		w.close()
	}
	p.idle = nil
}
