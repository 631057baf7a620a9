package parity

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/time/rate"
)

// server is one nameserver address of a side.
type server struct {
	side string // "old" or "new"
	addr string // ip:port
	name string // as given (for messages)
}

func (s *server) String() string {
	if s.name != "" && s.name != s.addr {
		return fmt.Sprintf("%s server %s (%s)", s.side, s.name, s.addr)
	}
	return fmt.Sprintf("%s server %s", s.side, s.addr)
}

// resolveTargets turns targets into server addresses: host:port with port
// 53 by default; a host name gives every address it resolves to.
func resolveTargets(ctx context.Context, side string, ts []Target) ([]*server, error) {
	var out []*server
	for _, t := range ts {
		host, port, err := net.SplitHostPort(t.Addr)
		if err != nil {
			host, port = t.Addr, "53"
		}
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return nil, fmt.Errorf("%s server %q: bad port", side, t.Addr)
		}
		if ip := net.ParseIP(host); ip != nil {
			out = append(out, &server{side: side, addr: net.JoinHostPort(ip.String(), port), name: t.Addr})
			continue
		}
		ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("%s server %q: %w", side, t.Addr, err)
		}
		for _, ip := range ips {
			out = append(out, &server{side: side, addr: net.JoinHostPort(ip.IP.String(), port), name: t.Addr})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s server given", side)
	}
	return out, nil
}

// packQuery packs a query with RD=0 and EDNS0 (1232 octets), ID 0.
func packQuery(name string, t uint16) ([]byte, error) {
	return appendQuery(nil, name, t)
}

// ednsSize is the EDNS0 UDP payload size of every query (DNS flag day 2020).
const ednsSize = 1232

// appendQuery packs a query for (name, t) into buf[:0] (grown when too
// small): ID 0, opcode QUERY, RD=0, one question of class IN and an OPT
// record with a 1232-octet UDP size, DO=0, no options; the bytes
// (*dns.Msg).Pack gives for SetQuestion, RecursionDesired = false and
// SetEdns0(1232, false), without building a message.
func appendQuery(buf []byte, name string, t uint16) ([]byte, error) {
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

// exchanger asks one server many questions over a pool of UDP sockets, one
// per worker, falling back to TCP on truncation.
type exchanger struct {
	srv     *server
	timeout time.Duration
	retries int
	limiter *rate.Limiter
	queries *atomic.Int64
	// batch: windows are written and read with sendmmsg/recvmmsg.
	batch bool
	// keep, when set, is what askAll stores for question qi's answer a:
	// the runner replaces an answer that is exactly what git expects by
	// a shared marker, so that a clean run keeps no answers.
	keep func(qi int, a *Answer) *Answer
}

// errNoAnswer marks a question that got no response after all tries.
var errNoAnswer = errors.New("no response")

// window is how many queries a worker has in flight on its socket at
// once: written together, the responses read in any order. More than one
// saves the reads that would find nothing yet (a park and a wake-up per
// query).
const window = 4

// askAll answers qs[i] into out[i] with conc queries in flight: conc/window
// workers, each with up to window queries on its socket. Queries are packed
// as they are sent, into buffers each worker reuses.
func (e *exchanger) askAll(ctx context.Context, qs []Question, out []*Answer, conc int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(max(1, conc/window), (len(qs)+window-1)/window)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{ex: e, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
			defer wk.close()
			idx := make([]int, 0, window)
			for ctx.Err() == nil {
				i := int(next.Add(window) - window)
				if i >= len(qs) {
					return
				}
				idx = idx[:0]
				for j := i; j < min(i+window, len(qs)); j++ {
					idx = append(idx, j)
				}
				wk.askWindow(ctx, qs, idx, out)
			}
		}()
	}
	wg.Wait()
}

// askWindow writes the questions qs[i] for i in idx, then reads responses
// in any order until all are answered or the timeout; a question without
// a response then gets its remaining tries one at a time.
func (w *worker) askWindow(ctx context.Context, qs []Question, idx []int, out []*Answer) {
	for len(w.qbuf) < len(idx) {
		w.qbuf = append(w.qbuf, nil)
	}
	packed := w.qbuf[:len(idx)]
	for j, i := range idx {
		b, err := appendQuery(packed[j], qs[i].Name, qs[i].Type)
		if err != nil {
			out[i] = &Answer{Err: err.Error()}
			continue
		}
		packed[j] = b
	}
	if len(idx) == 1 || w.dial() != nil {
		for j, i := range idx {
			if out[i] == nil {
				out[i] = w.ex.kept(i, w.ask(ctx, packed[j], w.ex.retries+1))
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
		if w.ex.limiter != nil {
			if err := w.ex.limiter.Wait(ctx); err != nil {
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
		w.ex.queries.Add(1)
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
			w.ex.queries.Add(1)
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
			a, w.cbuf = fromMsg(m, w.cbuf)
			out[i] = w.ex.kept(i, a)
			pending--
			return
		}
	}
	if pending > 0 && w.conn.SetReadDeadline(time.Now().Add(w.ex.timeout)) == nil {
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
			tries := w.ex.retries + 1
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
func (e *exchanger) kept(qi int, a *Answer) *Answer {
	if e.keep != nil {
		return e.keep(qi, a)
	}
	return a
}

// ask asks one question (for probes and SPF lookups).
func (e *exchanger) ask(ctx context.Context, q []byte) *Answer {
	wk := &worker{ex: e, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	defer wk.close()
	return wk.ask(ctx, q, e.retries+1)
}

type worker struct {
	ex   *exchanger
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
	c, err := net.Dial("udp", w.ex.srv.addr)
	if err != nil {
		return err
	}
	w.conn = c
	if w.rbuf == nil {
		w.rbuf = make([]byte, 65535)
	}
	if w.ex.batch {
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
		if w.ex.limiter != nil {
			if err := w.ex.limiter.Wait(ctx); err != nil {
				return &Answer{Err: "canceled"}
			}
		}
		if ctx.Err() != nil {
			return &Answer{Err: "canceled"}
		}
		w.ex.queries.Add(1)
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
		a, w.cbuf = fromMsg(resp, w.cbuf)
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
	deadline := time.Now().Add(w.ex.timeout)
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
			time.Sleep(min(w.ex.timeout, 200*time.Millisecond))
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
		if a != b && lower(a) != lower(b) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func (w *worker) tcp(ctx context.Context, q []byte) (*dns.Msg, error) {
	w.ex.queries.Add(1) // a message of its own (README: queries)
	m := new(dns.Msg)
	if err := m.Unpack(q); err != nil {
		return nil, err
	}
	m.Id = dns.Id()
	c := &dns.Client{Net: "tcp", Timeout: w.ex.timeout}
	r, _, err := c.ExchangeContext(ctx, m, w.ex.srv.addr)
	if err != nil {
		return nil, fmt.Errorf("tcp: %w", err)
	}
	return r, nil
}
