package query

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
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

// PackQuery packs a query with RD=0 and EDNS0 (1232 octets), ID 0.
func PackQuery(name string, t uint16) ([]byte, error) {
	return AppendQuery(nil, name, t)
}

// ednsSize is the EDNS0 UDP payload size of every query (DNS flag day 2020).
const ednsSize = 1232

// AppendQuery packs a query for (name, t) into buf[:0] (grown when too
// small): ID 0, opcode QUERY, RD=0, one question of class IN and an OPT
// record with a 1232-octet UDP size, DO=0, no options; the bytes
// (*dns.Msg).Pack gives for SetQuestion, RecursionDesired = false and
// SetEdns0(1232, false), without building a message.
func AppendQuery(buf []byte, name string, t uint16) ([]byte, error) {
	const max = 12 + 255 + 4 + 11
	if cap(buf) < max {
		buf = make([]byte, max)
	}
	buf = buf[:max]
	clear(buf[:12])
	binary.BigEndian.PutUint16(buf[4:], 1)  // QDCOUNT
	binary.BigEndian.PutUint16(buf[10:], 1) // ARCOUNT: the OPT record
	off, err := dns.PackDomainName(dns.Fqdn(name), buf, 12, nil, false)
	if err != nil {
		return nil, fmt.Errorf("pack query %s %s: %w", name, dns.Type(t), err)
	}
	buf = buf[:off+4+11]
	binary.BigEndian.PutUint16(buf[off:], t)
	binary.BigEndian.PutUint16(buf[off+2:], dns.ClassINET)
	opt := buf[off+4:]
	opt[0] = 0 // root owner
	binary.BigEndian.PutUint16(opt[1:], dns.TypeOPT)
	binary.BigEndian.PutUint16(opt[3:], ednsSize)
	clear(opt[5:]) // extended rcode, version, DO and Z; RDLENGTH 0
	return buf, nil
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
	// Keep, when set, is what AskAll stores for question qi's answer a:
	// parity replaces an answer that is exactly what git expects by a
	// shared marker, so that a clean run keeps no answers.
	Keep func(qi int, a *Answer) *Answer

	count atomic.Int64 // used when Queries is nil
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
// window queries on its socket. Queries are packed as they are sent, into
// buffers each worker reuses. Questions left when ctx ends stay nil.
func (e *Client) AskAll(ctx context.Context, n int, question func(i int) (name string, qtype uint16), out []*Answer, conc int) {
	if conc <= 0 {
		conc = 32
	}
	var next atomic.Int64
	var wg sync.WaitGroup
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

// askWindow writes the questions qs[i] for i in idx, then reads responses
// in any order until all are answered or the timeout; a question without
// a response then gets its remaining tries one at a time.
func (w *worker) askWindow(ctx context.Context, question func(int) (string, uint16), idx []int, out []*Answer) {
	for len(w.qbuf) < len(idx) {
		w.qbuf = append(w.qbuf, nil)
	}
	packed := w.qbuf[:len(idx)]
	for j, i := range idx {
		name, qt := question(i)
		b, err := AppendQuery(packed[j], name, qt)
		if err != nil {
			out[i] = &Answer{Err: err.Error()}
			continue
		}
		w.ex.setRD(b)
		packed[j] = b
	}
	if len(idx) == 1 || w.dial() != nil {
		for j, i := range idx {
			if out[i] == nil {
				out[i] = w.ex.kept(i, w.ask(ctx, packed[j], w.ex.retries()+1))
			}
		}
		return
	}
	if cap(w.ids) < len(idx) {
		w.ids = make([]uint16, len(idx))
	}
	ids := w.ids[:len(idx)]
	sent := w.sent[:0]
	for range idx {
		sent = append(sent, false)
	}
	w.sent = sent
	pending := 0
	wmsgs, wj := w.wmsgs[:0], w.wj[:0]
	for j, i := range idx {
		if out[i] != nil {
			continue // could not be packed
		}
		if w.ex.Limiter != nil {
			if err := w.ex.Limiter.Wait(ctx); err != nil {
				break
			}
		}
		ids[j] = uint16(w.rnd.Uint32())
		binary.BigEndian.PutUint16(packed[j], ids[j])
		if w.batch != nil {
			wmsgs = append(wmsgs, ipv4.Message{Buffers: w.wbufs[len(wmsgs) : len(wmsgs)+1]})
			wmsgs[len(wmsgs)-1].Buffers[0] = packed[j]
			wj = append(wj, j)
			continue
		}
		w.ex.counter().Add(1)
		if _, err := w.conn.Write(packed[j]); err != nil {
			break
		}
		sent[j] = true
		pending++
	}
	// One sendmmsg for the window.
	for k := 0; k < len(wmsgs); {
		n, err := w.batch.WriteBatch(wmsgs[k:], 0)
		n = max(n, 0)
		for _, j := range wj[k : k+n] {
			w.ex.counter().Add(1)
			sent[j] = true
			pending++
		}
		k += n
		if err != nil || n == 0 {
			break
		}
	}
	w.wmsgs, w.wj = wmsgs, wj
	// handle matches a response to a question of the window.
	handle := func(resp []byte) {
		if len(resp) < 12 {
			return
		}
		id := binary.BigEndian.Uint16(resp)
		for j, i := range idx {
			if !sent[j] || out[i] != nil || ids[j] != id || !sameQuestion(resp, packed[j]) {
				continue
			}
			m := &w.msg
			*m = dns.Msg{}
			if err := m.Unpack(resp); err != nil {
				return // a bad response: this question is asked again
			}
			if m.Truncated {
				tm, err := w.tcp(ctx, packed[j])
				if err != nil {
					return
				}
				m = tm
			}
			var a *Answer
			a, w.cbuf = FromMsg(m, w.cbuf)
			out[i] = w.ex.kept(i, a)
			pending--
			return
		}
	}
	if pending > 0 && w.conn.SetReadDeadline(time.Now().Add(w.ex.timeout())) == nil {
		for pending > 0 {
			var err error
			if w.batch != nil {
				// recvmmsg: every response that is there, in one call.
				var n int
				n, err = w.batch.ReadBatch(w.rmsgs, 0)
				for _, rm := range w.rmsgs[:max(n, 0)] {
					if rm.Flags&syscall.MSG_TRUNC == 0 {
						handle(rm.Buffers[0][:rm.N])
					}
				}
			} else {
				var n int
				if n, err = w.conn.Read(w.rbuf); err == nil {
					handle(w.rbuf[:n])
				}
			}
			if err != nil {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					w.conn.Close() // ICMP port unreachable and the like
					w.conn, w.batch = nil, nil
				}
				break
			}
		}
	}
	for j, i := range idx {
		if out[i] == nil {
			tries := w.ex.retries() + 1
			if sent[j] {
				tries-- // the window was the first try
			}
			if tries == 0 {
				out[i] = w.ex.kept(i, &Answer{Err: "timeout"}) // --retries 0: the one try is spent
				continue
			}
			out[i] = w.ex.kept(i, w.ask(ctx, packed[j], tries))
		}
	}
}

// kept is what is stored for question qi's answer a (see keep).
func (e *Client) kept(qi int, a *Answer) *Answer {
	if e.Keep != nil {
		return e.Keep(qi, a)
	}
	return a
}

// setRD sets the RD bit in a packed query when the client asks for
// recursion.
func (e *Client) setRD(q []byte) {
	if e.RD && len(q) > 2 {
		q[2] |= 1
	}
}

// Exchange asks one question (1 + Retries tries, TCP on truncation); the
// answer's Err says why there is none.
func (e *Client) Exchange(ctx context.Context, name string, qtype uint16) *Answer {
	q, err := PackQuery(name, qtype)
	if err != nil {
		return &Answer{Err: err.Error()}
	}
	return e.Ask(ctx, q)
}

// Ask asks one packed query (from PackQuery; its ID is replaced per try).
func (e *Client) Ask(ctx context.Context, q []byte) *Answer {
	e.setRD(q)
	wk := &worker{ex: e, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	defer wk.close()
	return wk.ask(ctx, q, e.retries()+1)
}

type worker struct {
	ex   *Client
	conn net.Conn
	rnd  *rand.Rand
	wbuf []byte
	rbuf []byte
	cbuf []byte
	ids  []uint16
	sent []bool
	qbuf [][]byte // the packed queries of the window
	msg  dns.Msg
	// batch reads and writes a window in one system call each
	// (recvmmsg, sendmmsg); nil: one call per message.
	batch interface {
		ReadBatch(ms []ipv4.Message, flags int) (int, error)
		WriteBatch(ms []ipv4.Message, flags int) (int, error)
	}
	wmsgs, rmsgs []ipv4.Message
	wbufs        [][]byte
	wj           []int
}

func (w *worker) close() {
	if w.conn != nil {
		w.conn.Close()
	}
}

func (w *worker) dial() error {
	if w.conn != nil {
		return nil
	}
	c, err := net.Dial("udp", w.ex.Server.Addr)
	if err != nil {
		return err
	}
	w.conn = c
	if w.rbuf == nil {
		w.rbuf = make([]byte, 65535)
	}
	if w.ex.Batch {
		pc, ok := c.(net.PacketConn)
		if ok && c.RemoteAddr().(*net.UDPAddr).IP.To4() != nil {
			w.batch = ipv4.NewPacketConn(pc)
		} else if ok {
			w.batch = ipv6.NewPacketConn(pc)
		}
		if w.rmsgs == nil {
			// Answers to EDNS queries of 1232 octets fit; a longer
			// datagram is cut (MSG_TRUNC) and asked again.
			w.rmsgs = make([]ipv4.Message, window)
			for k := range w.rmsgs {
				w.rmsgs[k].Buffers = [][]byte{make([]byte, 4096)}
			}
			w.wbufs = make([][]byte, window)
		}
	}
	return nil
}

// ask asks q with up to tries tries.
func (w *worker) ask(ctx context.Context, q []byte, tries int) *Answer {
	var lastErr error
	for try := 0; try < tries; try++ {
		if w.ex.Limiter != nil {
			if err := w.ex.Limiter.Wait(ctx); err != nil {
				return &Answer{Err: ErrCanceled}
			}
		}
		if ctx.Err() != nil {
			return &Answer{Err: ErrCanceled}
		}
		w.ex.counter().Add(1)
		resp, err := w.udp(q)
		if err != nil {
			lastErr = err
			continue
		}
		if resp.Truncated {
			resp, err = w.tcp(ctx, q)
			if err != nil {
				lastErr = err
				continue
			}
		}
		var a *Answer
		a, w.cbuf = FromMsg(resp, w.cbuf)
		return a
	}
	msg := "timeout"
	if lastErr != nil && !isTimeout(lastErr) {
		msg = lastErr.Error()
	}
	return &Answer{Err: msg}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errNoAnswer)
}

// udp sends q with a fresh ID and reads until the matching response (stale
// responses to earlier, timed-out tries are skipped) or the timeout.
func (w *worker) udp(q []byte) (*dns.Msg, error) {
	if err := w.dial(); err != nil {
		return nil, err
	}
	w.wbuf = append(w.wbuf[:0], q...)
	id := uint16(w.rnd.Uint32())
	binary.BigEndian.PutUint16(w.wbuf, id)
	if _, err := w.conn.Write(w.wbuf); err != nil {
		w.conn.Close()
		w.conn, w.batch = nil, nil
		return nil, err
	}
	deadline := time.Now().Add(w.ex.timeout())
	if err := w.conn.SetReadDeadline(deadline); err != nil {
		return nil, err
	}
	for {
		n, err := w.conn.Read(w.rbuf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, errNoAnswer
			}
			// ICMP port unreachable and the like: nothing listens.
			w.conn.Close()
			w.conn, w.batch = nil, nil
			time.Sleep(min(w.ex.timeout(), 200*time.Millisecond))
			return nil, err
		}
		if n < 12 || binary.BigEndian.Uint16(w.rbuf) != id || !sameQuestion(w.rbuf[:n], q) {
			continue
		}
		m := &w.msg
		*m = dns.Msg{}
		if err := m.Unpack(w.rbuf[:n]); err != nil {
			return nil, fmt.Errorf("bad response: %w", err)
		}
		return m, nil
	}
}

// sameQuestion compares the question section of a response with the query
// (names case-insensitively).
func sameQuestion(resp, q []byte) bool {
	// Both start the question at offset 12; the query's name is not
	// compressed, a response's question name is not either in practice.
	end := 12
	for end < len(q) && q[end] != 0 {
		end += int(q[end]) + 1
	}
	end += 5 // root label, type, class
	if end > len(q) || end > len(resp) {
		return false
	}
	for i := 12; i < end; i++ {
		a, b := resp[i], q[i]
		if a != b && fold(a) != fold(b) {
			return false
		}
	}
	return true
}

func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func (w *worker) tcp(ctx context.Context, q []byte) (*dns.Msg, error) {
	w.ex.counter().Add(1) // a message of its own (README: queries)
	m := new(dns.Msg)
	if err := m.Unpack(q); err != nil {
		return nil, err
	}
	m.Id = dns.Id()
	c := &dns.Client{Net: "tcp", Timeout: w.ex.timeout()}
	r, _, err := c.ExchangeContext(ctx, m, w.ex.Server.Addr)
	if err != nil {
		return nil, fmt.Errorf("tcp: %w", err)
	}
	return r, nil
}
