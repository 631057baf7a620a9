package rfc2136

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/miekg/dns"
)

// maxDiscarded bounds the answers a connection throws away (no QR bit, or
// another message's ID) while it waits for the one it asked for.
const maxDiscarded = 100

// wire is one TCP connection to the server that sends TSIG-signed
// messages and reads the answers to them. Every read and write honours the
// context: its cancellation or deadline ends the wait at once.
type wire struct {
	conn    net.Conn
	key     string // TSIG key name ("" for none)
	alg     string
	secret  string
	fudge   uint16
	timeout time.Duration
	stop    func() bool

	// Discarded counts answers thrown away.
	discarded int
}

// dial connects to server; close the wire when done.
func (p *Provider) dial(ctx context.Context) (*wire, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", p.server)
	if err != nil {
		return nil, err
	}
	w := &wire{conn: conn, key: p.keyName, alg: p.algorithm, secret: p.secret, fudge: p.fudge, timeout: p.timeout}
	w.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	return w, nil
}

func (w *wire) close() {
	w.stop()
	w.conn.Close()
}

// deadline is the earlier of now+timeout and the context's deadline.
func (w *wire) deadline(ctx context.Context) time.Time {
	t := time.Now().Add(w.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(t) {
		return d
	}
	return t
}

// ctxErr prefers the context's error (cancelled, deadline) over the I/O
// error it caused.
func ctxErr(ctx context.Context, err error) error {
	if c := ctx.Err(); c != nil {
		return fmt.Errorf("%w (%v)", c, err)
	}
	// The connection's deadline may fire a moment before the context's.
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
	}
	return err
}

// send signs m (when a key is set) just before it is written, so that a
// slow push never sends a message signed long ago (BADTIME), and returns
// the request MAC the answer's signature covers.
func (w *wire) send(ctx context.Context, m *dns.Msg) (string, error) {
	var out []byte
	var mac string
	var err error
	m.Extra = withoutTSIG(m.Extra)
	if w.key != "" {
		m.SetTsig(w.key, w.alg, w.fudge, time.Now().Unix())
		out, mac, err = dns.TsigGenerate(m, w.secret, "", false)
	} else {
		out, err = m.Pack()
	}
	if err != nil {
		return "", err
	}
	if len(out) > dns.MaxMsgSize {
		return "", fmt.Errorf("message of %d octets is too large for TCP", len(out))
	}
	buf := make([]byte, 2+len(out))
	binary.BigEndian.PutUint16(buf, uint16(len(out)))
	copy(buf[2:], out)
	w.conn.SetWriteDeadline(w.deadline(ctx))
	if _, err := w.conn.Write(buf); err != nil {
		return "", ctxErr(ctx, err)
	}
	return mac, nil
}

func withoutTSIG(rrs []dns.RR) []dns.RR {
	out := rrs[:0]
	for _, rr := range rrs {
		if rr.Header().Rrtype != dns.TypeTSIG {
			out = append(out, rr)
		}
	}
	return out
}

// errUnsigned is an answer without TSIG to a signed request.
var errUnsigned = errors.New("answer is not TSIG-signed")

// recv reads the next answer to the message with this ID: answers without
// the QR bit or with another ID are discarded (counted in w.discarded). A
// signed answer is verified against mac (the request's MAC for the first
// answer, the previous answer's for later messages of a transfer, with
// timersOnly); it returns the answer and its own MAC. An unsigned answer
// to a signed request is returned with errUnsigned, so that its rcode
// can be told.
func (w *wire) recv(ctx context.Context, id uint16, mac string, timersOnly bool) (*dns.Msg, string, error) {
	for {
		w.conn.SetReadDeadline(w.deadline(ctx))
		var l [2]byte
		if _, err := io.ReadFull(w.conn, l[:]); err != nil {
			return nil, "", ctxErr(ctx, err)
		}
		raw := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(w.conn, raw); err != nil {
			return nil, "", ctxErr(ctx, err)
		}
		m := new(dns.Msg)
		if err := m.Unpack(raw); err != nil {
			return nil, "", fmt.Errorf("malformed answer: %w", err)
		}
		if !m.Response || m.Id != id {
			w.discarded++
			if w.discarded > maxDiscarded {
				return nil, "", fmt.Errorf("more than %d messages that are not the answer (no QR bit or another ID)", maxDiscarded)
			}
			continue
		}
		if w.key == "" {
			return m, "", nil
		}
		t := m.IsTsig()
		if t == nil {
			return m, "", errUnsigned
		}
		if t.Error != dns.RcodeSuccess {
			return m, "", fmt.Errorf("TSIG error %s", rcodeName(int(t.Error)))
		}
		if err := dns.TsigVerify(raw, w.secret, mac, timersOnly); err != nil {
			return m, "", fmt.Errorf("answer's TSIG does not verify: %w", err)
		}
		return m, t.MAC, nil
	}
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}
