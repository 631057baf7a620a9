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
	"time"

	"github.com/miekg/dns"
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
	m := new(dns.Msg)
	m.SetQuestion(name, t)
	m.RecursionDesired = false
	m.SetEdns0(1232, false)
	m.Id = 0
	b, err := m.Pack()
	if err != nil {
		return nil, fmt.Errorf("pack query %s %s: %w", name, dns.Type(t), err)
	}
	return b, nil
}

// exchanger asks one server many questions over a pool of UDP sockets, one
// per worker, falling back to TCP on truncation.
type exchanger struct {
	srv     *server
	timeout time.Duration
	retries int
	limiter *rate.Limiter
	queries *atomic.Int64
}

// errNoAnswer marks a question that got no response after all tries.
var errNoAnswer = errors.New("no response")

// window is how many queries a worker has in flight on its socket at
// once: written together, the responses read in any order. More than one
// saves the reads that would find nothing yet (a park and a wake-up per
// query).
const window = 4

// askAll answers qs[i] into out[i] with conc queries in flight: conc/window
// workers, each with up to window queries on its socket.
func (e *exchanger) askAll(ctx context.Context, qs [][]byte, out []*Answer, conc int) {
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
func (w *worker) askWindow(ctx context.Context, qs [][]byte, idx []int, out []*Answer) {
	if len(idx) == 1 || w.dial() != nil {
		for _, i := range idx {
			out[i] = w.ask(ctx, qs[i], w.ex.retries+1)
		}
		return
	}
	if cap(w.ids) < len(idx) {
		w.ids = make([]uint16, len(idx))
	}
	ids := w.ids[:len(idx)]
	sent := make([]bool, len(idx))
	pending := 0
	for j, i := range idx {
		if w.ex.limiter != nil {
			if err := w.ex.limiter.Wait(ctx); err != nil {
				break
			}
		}
		w.wbuf = append(w.wbuf[:0], qs[i]...)
		ids[j] = uint16(w.rnd.Uint32())
		binary.BigEndian.PutUint16(w.wbuf, ids[j])
		w.ex.queries.Add(1)
		if _, err := w.conn.Write(w.wbuf); err != nil {
			break
		}
		sent[j] = true
		pending++
	}
	if pending > 0 && w.conn.SetReadDeadline(time.Now().Add(w.ex.timeout)) == nil {
		for pending > 0 {
			n, err := w.conn.Read(w.rbuf)
			if err != nil {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					w.conn.Close() // ICMP port unreachable and the like
					w.conn = nil
				}
				break
			}
			if n < 12 {
				continue
			}
			id := binary.BigEndian.Uint16(w.rbuf)
			for j, i := range idx {
				if !sent[j] || out[i] != nil || ids[j] != id || !sameQuestion(w.rbuf[:n], qs[i]) {
					continue
				}
				m := &w.msg
				*m = dns.Msg{}
				if err := m.Unpack(w.rbuf[:n]); err != nil {
					break // a bad response: this question is asked again
				}
				if m.Truncated {
					tm, err := w.tcp(ctx, qs[i])
					if err != nil {
						break
					}
					m = tm
				}
				out[i], w.cbuf = fromMsg(m, w.cbuf)
				pending--
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
			out[i] = w.ask(ctx, qs[i], max(1, tries))
		}
	}
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
	msg  dns.Msg
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
		w.conn = nil
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
			w.conn = nil
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
