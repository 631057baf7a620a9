package query

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Server is one nameserver address.
type Server struct {
	Label string // what the server is to the caller ("old", "new", "resolver"), for messages
	Addr  string // ip:port
	Name  string // as given (for messages)
}

func (s *Server) String() string {
	label := s.Label
	if label != "" {
		label += " "
	}
	if s.Name != "" && s.Name != s.Addr {
		return fmt.Sprintf("%sserver %s (%s)", label, s.Name, s.Addr)
	}
	return fmt.Sprintf("%sserver %s", label, s.Addr)
}

// Client asks one server questions: many at once (AskAll, batched with
// sendmmsg/recvmmsg over a pool of UDP sockets) or one at a time (Ask,
// Exchange), falling back to TCP on truncation, retrying on timeouts. It
// never asks anything but Server: no system resolver. The zero values of
// the optional fields mean: no rate limit, no shared counter, no batching
// system calls, every answer kept, RD=0.
type Client struct {
	Server  *Server
	Timeout time.Duration // per try (default 2s)
	Retries int           // after the first try: exactly 1 + Retries tries
	// Limiter, when set, is waited on before every message (shared by
	// several clients it limits the rate over all of them).
	Limiter *rate.Limiter
	// Queries, when set, counts every message sent (tries, TCP retries).
	Queries *atomic.Int64
	// Batch writes and reads AskAll's windows with sendmmsg/recvmmsg.
	Batch bool
	// RD sets the recursion-desired bit (for a resolver).
	RD bool
	// DO sets the DNSSEC OK bit (RFC 3225) in the query's OPT record, as
	// every validating resolver (and BIND, validating or not) sends it: a
	// signer may answer otherwise without it (compact denial of
	// existence answers NODATA with DO where it answers NXDOMAIN
	// without).
	DO bool
	// NSID asks every query for the server's identifier (RFC 5001); the
	// answer's NSID holds it.
	NSID bool
	// Subnet, when valid, is sent with every query as an EDNS Client
	// Subnet option (RFC 7871): the server answers as it would a client
	// in that subnet; the answer's ECS and Scope say what it returned.
	Subnet netip.Prefix
	// Keep, when set, is what AskAll stores for question qi's answer a:
	// parity replaces an answer that is exactly what git expects by a
	// shared marker, so that a clean run keeps no answers.
	Keep func(qi int, a *Answer) *Answer
	// Pool, when set (for Server.Addr), lends the client its sockets:
	// clients of one server share them and its in-flight bound.
	Pool *Pool

	count atomic.Int64 // used when Queries is nil

	optOnce sync.Once
	opt     []byte // the packed EDNS options (NSID, Subnet)

	addrOnce sync.Once
	dialTo   string // Server.Addr as dialAddr took it
	addrErr  error  // why Server.Addr is not an address (ErrNotAddress)
}

// addr is the address the client's sockets are opened to: Server.Addr
// through dialAddr (checked once), or why it is refused (a name: nothing
// is sent, the system resolver is never asked).
func (e *Client) addr() (string, error) {
	e.addrOnce.Do(func() {
		if e.Server == nil {
			e.addrErr = fmt.Errorf("no server: %w", ErrNotAddress)
			return
		}
		e.dialTo, e.addrErr = dialAddr(e.Server.Addr)
	})
	return e.dialTo, e.addrErr
}

// options are the client's packed EDNS options, made once.
func (e *Client) options() []byte {
	e.optOnce.Do(func() { e.opt = appendOptions(nil, e.NSID, e.Subnet) })
	return e.opt
}

// pooled reports whether the client takes its sockets from Pool.
func (e *Client) pooled() bool {
	return e.Pool != nil && e.Server != nil && e.Pool.Addr == e.Server.Addr
}

func (e *Client) counter() *atomic.Int64 {
	if e.Queries != nil {
		return e.Queries
	}
	return &e.count
}

func (e *Client) timeout() time.Duration {
	if e.Timeout <= 0 {
		return 2 * time.Second
	}
	return e.Timeout
}

func (e *Client) retries() int { return max(e.Retries, 0) }

// Sent is the number of messages this client sent (when Queries is nil;
// else the shared counter's value).
func (e *Client) Sent() int64 { return e.counter().Load() }

// errNoAnswer marks a question that got no response after all tries.
var errNoAnswer = errors.New("no response")

// window is how many queries a worker has in flight on its socket at
// once: written together, the responses read in any order. More than one
// saves the reads that would find nothing yet (a park and a wake-up per
// query).
const window = 4

// Question is one question: a name and a type (class IN).
type Question struct {
	Name string
	Type uint16
}

// AskEach asks the questions with conc queries in flight (default 32) and
// returns the answers in the same order: for a handful of questions (a
// status check) as for many.
func (e *Client) AskEach(ctx context.Context, qs []Question, conc int) []*Answer {
	out := make([]*Answer, len(qs))
	e.AskAll(ctx, len(qs), func(i int) (string, uint16) { return qs[i].Name, qs[i].Type }, out, conc)
	return out
}

// AskAll answers question(i), for i in [0, n), into out[i] with conc
// queries in flight (default 32): conc/window workers, each with up to
// window queries on its socket. A pooled client hands its windows to the
// pool's goroutines instead (the pool's Size bounds what is in flight,
// over all its clients). Queries are packed as they are sent, into
// buffers each worker reuses. Questions left when ctx ends stay nil.
func (e *Client) AskAll(ctx context.Context, n int, question func(i int) (name string, qtype uint16), out []*Answer, conc int) {
	if conc <= 0 {
		conc = 32
	}
	var wg sync.WaitGroup
	if e.pooled() {
		// The pool's goroutines ask the windows, after the other
		// clients' handed in before.
		js := make([]windowJob, 0, (n+window-1)/window)
		for lo := 0; lo < n; lo += window {
			js = append(js, windowJob{ctx: ctx, e: e, question: question, lo: lo, hi: min(lo+window, n), out: out, done: &wg})
		}
		wg.Add(len(js))
		if !e.Pool.ask(js) {
			return
		}
		wg.Wait()
		return
	}
	var next atomic.Int64
	workers := min(max(1, conc/window), (n+window-1)/window)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{ex: e, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
			defer wk.close()
			idx := make([]int, 0, window)
			for ctx.Err() == nil {
				i := int(next.Add(window) - window)
				if i >= n {
					return
				}
				idx = idx[:0]
				for j := i; j < min(i+window, n); j++ {
					idx = append(idx, j)
				}
				wk.askWindow(ctx, question, idx, out)
			}
		}()
	}
	wg.Wait()
}

// kept is what is stored for question qi's answer a (see keep).
func (e *Client) kept(qi int, a *Answer) *Answer {
	if e.Keep != nil {
		return e.Keep(qi, a)
	}
	return a
}

// setFlags sets the RD bit in a packed query when the client asks for
// recursion, and the DO bit of its OPT record (AppendQueryOpt's, right
// after the question) when the client sets DO.
func (e *Client) setFlags(q []byte) {
	if e.RD && len(q) > 2 {
		q[2] |= 1
	}
	if !e.DO || len(q) < 12 {
		return
	}
	off := 12
	for off < len(q) && q[off] != 0 {
		off += int(q[off]) + 1
	}
	off += 5 // the root label, type and class
	// OPT: root owner, type 41, UDP size, extended rcode, version, then
	// the flags, DO their first bit.
	if off+11 <= len(q) && q[off] == 0 && q[off+1] == 0 && q[off+2] == 41 {
		q[off+7] |= 0x80
	}
}

// Exchange asks one question (1 + Retries tries, TCP on truncation); the
// answer's Err says why there is none.
func (e *Client) Exchange(ctx context.Context, name string, qtype uint16) *Answer {
	q, err := AppendQueryOpt(nil, name, qtype, e.options())
	if err != nil {
		return &Answer{Err: err.Error()}
	}
	return e.Ask(ctx, q)
}

// Ask asks one packed query (from PackQuery or AppendQueryOpt; its ID is
// replaced per try). The client's NSID and Subnet are not added: Exchange
// adds them.
func (e *Client) Ask(ctx context.Context, q []byte) *Answer {
	e.setFlags(q)
	if e.pooled() {
		wk := e.Pool.get(ctx, e)
		if wk == nil {
			return &Answer{Err: ErrCanceled}
		}
		defer e.Pool.put(wk)
		return wk.ask(ctx, q, e.retries()+1)
	}
	wk := &worker{ex: e, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	defer wk.close()
	return wk.ask(ctx, q, e.retries()+1)
}
