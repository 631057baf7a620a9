package query

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"syscall"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/dnsparity/dnsparity/internal/transfer"
)

// askWindow writes the questions qs[i] for i in idx, then reads responses
// in any order until all are answered or the timeout; a question without
// a response then gets its remaining tries one at a time.
func (w *worker) askWindow(ctx context.Context, question func(int) (string, uint16), idx []int, out []*Answer) {
	win := flight{idx: idx, out: out, packed: w.pack(question, idx, out)}
	if len(idx) == 1 || w.dial() != nil {
		for j, i := range idx {
			if out[i] == nil {
				out[i] = w.ex.kept(i, w.ask(ctx, win.packed[j], w.ex.retries()+1))
			}
		}
		return
	}
	w.send(ctx, &win)
	w.receive(ctx, &win)
	w.askRest(ctx, &win)
}

// flight is the state of one askWindow: the questions' indexes and the
// answers, each question packed, the ID it was sent with, whether it was
// sent, and how many sent questions wait for their response.
type flight struct {
	idx     []int
	out     []*Answer
	packed  [][]byte
	ids     []uint16
	sent    []bool
	pending int
}

// pack packs the window's questions into the worker's buffers; a question
// that does not pack gets its error as its answer.
func (w *worker) pack(question func(int) (string, uint16), idx []int, out []*Answer) [][]byte {
	for len(w.qbuf) < len(idx) {
		w.qbuf = append(w.qbuf, nil)
	}
	packed := w.qbuf[:len(idx)]
	for j, i := range idx {
		name, qt := question(i)
		b, err := AppendQueryOpt(packed[j], name, qt, w.ex.options())
		if err != nil {
			out[i] = &Answer{Err: err.Error()}
			continue
		}
		w.ex.setFlags(b)
		packed[j] = b
	}
	return packed
}

// send writes the window's packed questions, each with a fresh ID: all
// in one sendmmsg when the connection batches, else one write each. It
// stops at the first write that fails or when the rate limiter gives up.
func (w *worker) send(ctx context.Context, win *flight) {
	idx, packed := win.idx, win.packed
	if cap(w.ids) < len(idx) {
		w.ids = make([]uint16, len(idx))
	}
	ids := w.ids[:len(idx)]
	sent := w.sent[:0]
	for range idx {
		sent = append(sent, false)
	}
	w.sent = sent
	win.ids, win.sent = ids, sent
	wmsgs, wj := w.wmsgs[:0], w.wj[:0]
	for j, i := range idx {
		if win.out[i] != nil {
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
		win.pending++
	}
	// One sendmmsg for the window.
	for k := 0; k < len(wmsgs); {
		n, err := w.batch.WriteBatch(wmsgs[k:], 0)
		n = max(n, 0)
		for _, j := range wj[k : k+n] {
			w.ex.counter().Add(1)
			sent[j] = true
			win.pending++
		}
		k += n
		if err != nil || n == 0 {
			break
		}
	}
	w.wmsgs, w.wj = wmsgs, wj
}

// receive reads responses (recvmmsg when the connection batches) until
// every sent question is answered or the timeout; a read error other than
// the timeout (ICMP port unreachable and the like) closes the connection.
func (w *worker) receive(ctx context.Context, win *flight) {
	if win.pending == 0 || w.conn.SetReadDeadline(time.Now().Add(w.ex.timeout())) != nil {
		return
	}
	defer watch(ctx, w.conn)()
	for win.pending > 0 {
		var err error
		if w.batch != nil {
			// recvmmsg: every response that is there, in one call.
			var n int
			n, err = w.batch.ReadBatch(w.rmsgs, 0)
			for _, rm := range w.rmsgs[:max(n, 0)] {
				if rm.Flags&syscall.MSG_TRUNC == 0 {
					w.handle(ctx, win, rm.Buffers[0][:rm.N])
				}
			}
		} else {
			var n int
			if n, err = w.conn.Read(w.rbuf); err == nil {
				w.handle(ctx, win, w.rbuf[:n])
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

// handle matches a response to a question of the window.
func (w *worker) handle(ctx context.Context, win *flight, resp []byte) {
	if len(resp) < 12 {
		return
	}
	id := binary.BigEndian.Uint16(resp)
	for j, i := range win.idx {
		if !win.sent[j] || win.out[i] != nil || win.ids[j] != id || !isResponse(resp) || !sameQuestion(resp, win.packed[j]) {
			continue
		}
		m := &w.msg
		*m = dns.Msg{}
		if err := m.Unpack(resp); err != nil && !truncated(resp) {
			return // a bad response: this question is asked again
		}
		if truncated(resp) {
			tm, err := w.tcp(ctx, win.packed[j])
			if err != nil {
				return
			}
			m = tm
		}
		if noEDNS(m) {
			pm, err := w.plain(ctx, win.packed[j])
			if err != nil {
				return
			}
			m = pm
		}
		var a *Answer
		a, w.cbuf = FromMsg(m, w.cbuf)
		a.Oversize = oversize(len(resp))
		win.out[i] = w.ex.kept(i, a)
		win.pending--
		return
	}
}

// askRest gives each question of the window still without an answer its
// remaining tries, one at a time.
func (w *worker) askRest(ctx context.Context, win *flight) {
	for j, i := range win.idx {
		if win.out[i] == nil {
			tries := w.ex.retries() + 1
			if win.sent[j] {
				tries-- // the window was the first try
			}
			if tries == 0 {
				err := "timeout" // --retries 0: the one try is spent
				if ctx.Err() != nil {
					err = ErrCanceled // the read was ended by ctx, not by the timeout
				}
				win.out[i] = w.ex.kept(i, &Answer{Err: err})
				continue
			}
			win.out[i] = w.ex.kept(i, w.ask(ctx, win.packed[j], tries))
		}
	}
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
	size int // the octets of the last datagram udp took as the response
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
	addr, err := w.ex.addr()
	if err != nil {
		return err
	}
	c, err := net.Dial("udp", addr)
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
			// Every datagram fits whole, also one over the 1232
			// octets the query allows (Answer.Oversize: what a
			// resolver behind a strict path never gets, read here as
			// resolvers on a lenient one read it).
			w.rmsgs = make([]ipv4.Message, window)
			for k := range w.rmsgs {
				w.rmsgs[k].Buffers = [][]byte{make([]byte, 65535)}
			}
			w.wbufs = make([][]byte, window)
		}
	}
	return nil
}

// ask asks q with up to tries tries.
func (w *worker) ask(ctx context.Context, q []byte, tries int) *Answer {
	if _, err := w.ex.addr(); err != nil {
		return &Answer{Err: err.Error()} // nothing sent, no try counted
	}
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
		resp, err := w.udp(ctx, q)
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
		if noEDNS(resp) {
			resp, err = w.plain(ctx, q)
			if err != nil {
				lastErr = err
				continue
			}
		}
		var a *Answer
		a, w.cbuf = FromMsg(resp, w.cbuf)
		a.Oversize = oversize(w.size)
		return a
	}
	if ctx.Err() != nil {
		return &Answer{Err: ErrCanceled} // the last try's wait was ended by ctx
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
// responses to earlier, timed-out tries are skipped), the timeout, or the
// end of ctx.
func (w *worker) udp(ctx context.Context, q []byte) (*dns.Msg, error) {
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
	defer watch(ctx, w.conn)()
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
			pause(ctx, min(w.ex.timeout(), 200*time.Millisecond))
			return nil, err
		}
		if n < 12 || binary.BigEndian.Uint16(w.rbuf) != id || !isResponse(w.rbuf[:n]) || !sameQuestion(w.rbuf[:n], q) {
			continue
		}
		w.size = n
		m := &w.msg
		*m = dns.Msg{}
		if err := m.Unpack(w.rbuf[:n]); err != nil {
			if truncated(w.rbuf[:n]) {
				// Cut in the middle of a record (RFC 1035 §4.2.1):
				// truncated all the same, asked again over TCP.
				*m = dns.Msg{MsgHdr: dns.MsgHdr{Truncated: true}}
				return m, nil
			}
			return nil, fmt.Errorf("bad response: %w", err)
		}
		return m, nil
	}
}

// watch ends the reads on c soon after ctx ends, by a read deadline
// drainFor from then (a read waits for the socket, not for ctx: Ctrl-C
// would wait out the timeout of every window in flight, tries and
// retries). Not a deadline in the past: Go fails such a read before it
// looks at the socket, and the answers already queued there, which an
// interrupted run reports as compared, would be lost. The stop it
// returns undoes the watch; when the watch fired it waits for it to be
// done, so that it never moves the deadline of a later read (a pooled
// socket goes on to another client's window, with another ctx).
func watch(ctx context.Context, c net.Conn) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	done := make(chan struct{})
	after := context.AfterFunc(ctx, func() {
		defer close(done)
		c.SetReadDeadline(time.Now().Add(drainFor))
	})
	return func() {
		if !after() {
			<-done
		}
	}
}

// drainFor is how long the reads of an ended ctx go on: the answers
// already in the socket's buffer are read at once, none is waited for.
const drainFor = 5 * time.Millisecond

// pause sleeps d, or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// tcp asks q again over TCP (after a truncated answer) through the
// project's strict reader (internal/transfer): answers without the QR bit
// or with another ID are discarded, every wait ends with ctx.
func (w *worker) tcp(ctx context.Context, q []byte) (*dns.Msg, error) {
	w.ex.counter().Add(1) // a message of its own (README: queries)
	m := new(dns.Msg)
	if err := m.Unpack(q); err != nil {
		return nil, err
	}
	m.Id = dns.Id()
	addr, err := w.ex.addr()
	if err != nil {
		return nil, err
	}
	c, err := transfer.Dial(ctx, addr, transfer.Options{Timeout: w.ex.timeout(), DialTimeout: w.ex.timeout()})
	if err != nil {
		return nil, fmt.Errorf("tcp: %w", err)
	}
	defer c.Close()
	r, err := c.Exchange(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("tcp: %w", err)
	}
	return r, nil
}

// oversize is n when a UDP response of n octets is larger than the EDNS
// payload size every query advertises (1232), else 0.
func oversize(n int) int {
	if n > ednsSize {
		return n
	}
	return 0
}

// noEDNS reports whether a response to a query with an OPT record is
// FORMERR without one: a server that does not do EDNS (RFC 6891 §7),
// which resolvers (BIND, Unbound) ask again without EDNS.
func noEDNS(m *dns.Msg) bool {
	return m.Rcode == dns.RcodeFormatError && m.IsEdns0() == nil
}

// plain asks q again without its OPT record (no EDNS, so no DO bit, no
// NSID) over TCP through the strict reader: the answer a resolver gets
// from a server that does not do EDNS, whole (no 512-octet limit), and
// read apart from the UDP socket's window of answers.
func (w *worker) plain(ctx context.Context, q []byte) (*dns.Msg, error) {
	m := new(dns.Msg)
	if err := m.Unpack(q); err != nil {
		return nil, err
	}
	m.Extra = nil
	p, err := m.Pack()
	if err != nil {
		return nil, err
	}
	return w.tcp(ctx, p)
}
