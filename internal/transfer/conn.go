// Package transfer is the project's one strict DNS-over-TCP reader: a
// connection that signs each message just before it is sent (TSIG, RFC
// 8945), discards answers without the QR bit or with another ID, verifies
// the signature of every answer, and honours the context in every wait;
// and, on it, a zone transfer (AXFR, RFC 5936) that is complete only with
// its closing SOA and bounded (records, octets, time: Options.MaxRecords,
// MaxBytes, MaxTime, defaults sized for a few million records; past one it
// stops with a *LimitError naming it). The rfc2136 provider (AXFR and
// UPDATE), parity's `--axfr` and the lab's test helper all read zones
// through it.
package transfer

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

// MaxDiscarded bounds the answers a connection throws away (no QR bit, or
// another message's ID) while it waits for the one it asked for.
const MaxDiscarded = 100

// DefaultFudge is the TSIG fudge (seconds of clock difference the server
// accepts) when Options.Fudge is 0.
const DefaultFudge = 300

// ErrUnsigned is an answer without TSIG to a signed request.
var ErrUnsigned = errors.New("answer is not TSIG-signed")

// Key is a TSIG key: Name and Algorithm as fully qualified names
// (dns.HmacSHA256, …), Secret in base64.
type Key struct {
	Name, Algorithm, Secret string
}

// Options are a connection's settings.
type Options struct {
	// Key signs every message and is required on every answer; nil:
	// unsigned.
	Key *Key
	// Timeout bounds each read and write (default 30 s); the context's
	// deadline, when earlier, wins.
	Timeout time.Duration
	// DialTimeout bounds the connect (default 5 s).
	DialTimeout time.Duration
	// Fudge is the TSIG fudge in seconds (default DefaultFudge).
	Fudge uint16
	// MaxRecords, MaxBytes and MaxTime bound a zone transfer (AXFR): the
	// records taken in, the octets read, the time from the request to the
	// closing SOA. 0: DefaultMaxRecords, DefaultMaxBytes, DefaultMaxTime.
	MaxRecords int
	MaxBytes   int64
	MaxTime    time.Duration
	// BusyRetries is how many times AXFR asks again, on a new
	// connection, after a SERVFAIL answer: the answer of a server whose
	// outgoing-transfer quota is full (BIND's transfers-out, 10 by
	// default) as much as of a broken zone. 0: never.
	BusyRetries int
}

// BusyRetries is the BusyRetries of the transfers that read a zone's data
// (the rfc2136 provider's, parity's): five repeats wait about 3 s in all,
// long enough for a busy server's transfers of small zones to end.
const BusyRetries = 5

// Conn is one TCP connection to a DNS server. Every read and write honours
// the context: its cancellation or deadline ends the wait at once.
type Conn struct {
	conn    net.Conn
	key     *Key
	fudge   uint16
	timeout time.Duration
	stop    func() bool
	limits  Limits

	discarded int
	read      int64 // octets read, length prefixes included
}

// Dial connects to addr (host:port); Close the connection when done.
func Dial(ctx context.Context, addr string, o Options) (*Conn, error) {
	dt := o.DialTimeout
	if dt <= 0 {
		dt = 5 * time.Second
	}
	d := net.Dialer{Timeout: dt}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, ContextError(ctx, err)
	}
	c := &Conn{conn: conn, key: o.Key, fudge: o.Fudge, timeout: o.Timeout, limits: o.Limits()}
	if c.fudge == 0 {
		c.fudge = DefaultFudge
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.key != nil && c.key.Name == "" {
		c.key = nil
	}
	c.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	return c, nil
}

// Close ends the connection.
func (c *Conn) Close() error {
	c.stop()
	return c.conn.Close()
}

// Discarded is the number of answers thrown away so far (no QR bit, or
// another ID).
func (c *Conn) Discarded() int { return c.discarded }

// Read is the number of octets read so far.
func (c *Conn) Read() int64 { return c.read }

// deadline is the earlier of now+timeout and the context's deadline.
func (c *Conn) deadline(ctx context.Context) time.Time {
	t := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(t) {
		return d
	}
	return t
}

// ContextError prefers the context's error (cancelled, deadline) over the
// I/O error it caused, so that callers can tell them with errors.Is; an
// error that is the context's already is err (IsContextErr).
func ContextError(ctx context.Context, err error) error {
	if IsContextErr(err) {
		return err
	}
	if c := ctx.Err(); c != nil {
		return fmt.Errorf("%w (%v)", c, err)
	}
	// The connection's deadline may fire a moment before the context's.
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
	}
	return err
}

// IsContextErr reports whether err is a context's end (cancelled, past
// its deadline).
func IsContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Send signs m (when a key is set) just before it is written, so that a
// slow sequence of messages never sends one signed long ago (BADTIME), and
// returns the request MAC the answer's signature covers.
func (c *Conn) Send(ctx context.Context, m *dns.Msg) (string, error) {
	var out []byte
	var mac string
	var err error
	m.Extra = withoutTSIG(m.Extra)
	if c.key != nil {
		m.SetTsig(c.key.Name, c.key.Algorithm, c.fudge, time.Now().Unix())
		out, mac, err = dns.TsigGenerate(m, c.key.Secret, "", false)
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
	c.conn.SetWriteDeadline(c.deadline(ctx))
	if _, err := c.conn.Write(buf); err != nil {
		return "", ContextError(ctx, err)
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

// Recv reads the next answer to the message with this ID: answers without
// the QR bit or with another ID are discarded (see Discarded). A signed
// answer is verified against mac (the request's MAC for the first answer,
// the previous answer's for later messages of a transfer, with
// timersOnly); it returns the answer and its own MAC. An unsigned answer
// to a signed request is returned with ErrUnsigned, so that its rcode can
// be told.
func (c *Conn) Recv(ctx context.Context, id uint16, mac string, timersOnly bool) (*dns.Msg, string, error) {
	for {
		c.conn.SetReadDeadline(c.deadline(ctx))
		var l [2]byte
		if _, err := io.ReadFull(c.conn, l[:]); err != nil {
			return nil, "", ContextError(ctx, err)
		}
		raw := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c.conn, raw); err != nil {
			return nil, "", ContextError(ctx, err)
		}
		c.read += int64(2 + len(raw))
		m := new(dns.Msg)
		if err := m.Unpack(raw); err != nil {
			return nil, "", fmt.Errorf("malformed answer: %w", err)
		}
		if !m.Response || m.Id != id {
			c.discarded++
			if c.discarded > MaxDiscarded {
				return nil, "", fmt.Errorf("more than %d messages that are not the answer (no QR bit or another ID)", MaxDiscarded)
			}
			continue
		}
		if c.key == nil {
			return m, "", nil
		}
		t := m.IsTsig()
		if t == nil {
			return m, "", ErrUnsigned
		}
		if t.Error != dns.RcodeSuccess {
			return m, "", fmt.Errorf("TSIG error %s", RcodeName(int(t.Error)))
		}
		if err := dns.TsigVerify(raw, c.key.Secret, mac, timersOnly); err != nil {
			return m, "", fmt.Errorf("answer's TSIG does not verify: %w", err)
		}
		return m, t.MAC, nil
	}
}

// ErrNoAnswer is in the chain of Exchange's error when the message was
// sent whole and no answer to it was read (the connection closed or
// failed, a wait ended, what came could not be read): the server may have
// acted on it. The error's text is its cause's.
var ErrNoAnswer = errors.New("message sent, no answer read")

// noAnswer is err, sent whole and unanswered (ErrNoAnswer).
type noAnswer struct{ err error }

func (e noAnswer) Error() string   { return e.err.Error() }
func (e noAnswer) Unwrap() []error { return []error{e.err, ErrNoAnswer} }

// ErrUnverified is in the chain of Exchange's error when the message was
// sent whole and its answer said NOERROR but did not verify (unsigned, a
// TSIG error, a MAC or time that does not check): the server most likely
// acted on it, but the answer cannot be trusted to say so. The error's
// text is its cause's.
var ErrUnverified = errors.New("message sent, its NOERROR answer did not verify")

// unverified is err, a NOERROR answer's that did not verify (ErrUnverified).
type unverified struct{ err error }

func (e unverified) Error() string   { return e.err.Error() }
func (e unverified) Unwrap() []error { return []error{e.err, ErrUnverified} }

// Exchange sends m (signed now) and reads its answer. An answer that does
// not verify but carries an error rcode (e.g. an unsigned NOTAUTH to a
// wrong key: RFC 8945 §5.3.2 has a server that refuses the key answer
// unsigned) is an error that names the rcode. A message that was sent
// and got no answer that could be read is an error wrapping ErrNoAnswer;
// one answered NOERROR whose answer did not verify, ErrUnverified: the
// server may have acted on either. One that could not be sent whole did
// not reach the server.
func (c *Conn) Exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	mac, err := c.Send(ctx, m)
	if err != nil {
		return nil, err
	}
	r, _, err := c.Recv(ctx, m.Id, mac, false)
	switch {
	case err == nil:
		return r, nil
	case r == nil:
		return nil, noAnswer{err}
	case r.Rcode != dns.RcodeSuccess:
		return nil, &RcodeError{Rcode: r.Rcode, Err: err}
	}
	return nil, unverified{err}
}

// RcodeError is an answer with an error rcode (REFUSED, NOTAUTH, ...),
// with what else was wrong with it (e.g. an unsigned NOTAUTH to a wrong
// key), if anything.
type RcodeError struct {
	Rcode int
	Err   error
}

func (e *RcodeError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("server answered %s: %v", RcodeName(e.Rcode), e.Err)
	}
	return "server answered " + RcodeName(e.Rcode)
}

func (e *RcodeError) Unwrap() error { return e.Err }

// RcodeName is rc's mnemonic (RCODE23 for one without).
func RcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}
