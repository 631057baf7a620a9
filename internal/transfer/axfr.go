package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// ErrIncomplete is a transfer that ended before its closing SOA.
var ErrIncomplete = errors.New("incomplete transfer")

// AXFR reads origin's zone from addr over a new connection; see
// Conn.AXFR. A SERVFAIL answer is asked again on a new connection up to
// Options.BusyRetries times (busyWait), all within the one MaxTime: the
// tries and the waits between them take no longer than one transfer may.
func AXFR(ctx context.Context, addr, origin string, o Options) ([]dns.RR, error) {
	end := time.Now().Add(o.Limits().MaxTime)
	var busy error // the last SERVFAIL, which the repeats are for
	for try := 0; ; try++ {
		if try > 0 {
			o.MaxTime = time.Until(end) // what is left of it
		}
		rrs, err := axfrOnce(ctx, addr, origin, o)
		var re *RcodeError
		if busy != nil && err != nil {
			// ctx ended during a repeat (its read deadline, set from
			// ctx's, may fire a moment before ctx is marked done; the
			// repeat may have its own answer, a SERVFAIL, as ctx ends):
			// the context's error, and why it was repeated, as when it
			// ends during the wait before one.
			if cerr := ContextError(ctx, err); IsContextErr(cerr) {
				return nil, fmt.Errorf("%w (asking again after: %w)", cerr, busy)
			}
		}
		if err == nil || try >= o.BusyRetries || !errors.As(err, &re) || re.Rcode != dns.RcodeServerFailure {
			return rrs, err
		}
		busy = err
		wait := busyWait(try)
		if wait >= time.Until(end) { // no time left after it (MaxTime 0 is the default, not none)
			return nil, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (waiting to ask again after: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// busyWait is the wait before the try+1'th repeat of a transfer the server
// answered SERVFAIL: 100 ms, doubling, at most 1.6 s, less up to a quarter
// at random, so that transfers turned away together do not come back
// together.
func busyWait(try int) time.Duration {
	d := 100 * time.Millisecond << min(try, 4)
	return d - rand.N(d/4)
}

func axfrOnce(ctx context.Context, addr, origin string, o Options) ([]dns.RR, error) {
	c, err := Dial(ctx, addr, o)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.AXFR(ctx, origin)
}

// AXFR reads the zone by AXFR (RFC 5936) and returns its records as the
// server sent them (spelling kept), the opening SOA first and the closing
// SOA left out. It is complete only when the closing SOA arrives: a
// connection that ends before it (after the opening SOA alone, or
// half-way) is an error wrapping ErrIncomplete, not a smaller zone.
// Answers without the QR bit or with another ID are discarded; with a key,
// every message must be signed and verify in sequence (RFC 8945 §5.3.1).
// The transfer is bounded (Options.MaxRecords, MaxBytes, MaxTime): past a
// bound it stops with a *LimitError naming it.
func (c *Conn) AXFR(ctx context.Context, origin string) ([]dns.RR, error) {
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, c.limits.MaxTime, errTimeLimit)
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		if parent.Err() == nil { // the time limit: end the wait now
			c.conn.SetDeadline(time.Now())
		}
	})
	defer stop()
	q := new(dns.Msg)
	q.SetAxfr(dns.Fqdn(origin))
	mac, err := c.Send(ctx, q)
	if err != nil {
		return nil, c.limitErr(parent, ctx, 0, err)
	}
	start := c.read
	var rrs []dns.RR
	var first *dns.SOA // the opening SOA, which the closing one repeats
	for msgs := 0; ; msgs++ {
		m, next, err := c.Recv(ctx, q.Id, mac, msgs > 0)
		if err == nil && c.read-start > c.limits.MaxBytes {
			return nil, &LimitError{Limit: LimitBytes, Max: c.limits.MaxBytes, Records: len(rrs)}
		}
		if err != nil {
			if lerr := c.limitErr(parent, ctx, len(rrs), nil); lerr != nil {
				return nil, lerr
			}
			if m != nil && m.Rcode != dns.RcodeSuccess {
				return nil, &RcodeError{Rcode: m.Rcode, Err: err}
			}
			if IsContextErr(err) {
				return nil, err
			}
			// The caller's context ended: the connection's deadline may
			// fire before ctx, derived from it, is marked done.
			if parent.Err() != nil {
				return nil, ContextError(parent, err)
			}
			var ne net.Error
			if len(rrs) > 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne)) {
				return nil, fmt.Errorf("%w: %d records and no closing SOA: %w", ErrIncomplete, len(rrs), err)
			}
			if msgs > 0 {
				return nil, fmt.Errorf("message %d of the transfer: %w", msgs+1, err)
			}
			return nil, err
		}
		mac = next
		if m.Rcode != dns.RcodeSuccess {
			return nil, &RcodeError{Rcode: m.Rcode}
		}
		for i, rr := range m.Answer {
			soa, isSOA := rr.(*dns.SOA)
			if len(rrs) == 0 {
				if !isSOA || !strings.EqualFold(dns.Fqdn(soa.Hdr.Name), dns.Fqdn(origin)) {
					return nil, fmt.Errorf("transfer does not start with the zone's SOA (first record: %s)", rr.Header().String())
				}
				first = soa
			} else if isSOA {
				if err := closes(first, soa); err != nil {
					return nil, err
				}
				if i != len(m.Answer)-1 {
					return nil, fmt.Errorf("records after the closing SOA")
				}
				return rrs, nil
			}
			rrs = append(rrs, rr)
		}
		if len(rrs) > c.limits.MaxRecords {
			return nil, &LimitError{Limit: LimitRecords, Max: int64(c.limits.MaxRecords), Records: len(rrs)}
		}
		if len(m.Answer) == 0 && len(rrs) == 0 {
			return nil, fmt.Errorf("empty answer to AXFR")
		}
	}
}

// closes says why soa, met after the opening SOA first, is not the
// transfer's closing SOA (nil when it is): that is the zone's own SOA
// again, with the serial the transfer opened with (RFC 5936 §2.2).
// Another SOA (a newer serial: the zone changed while it was sent; the SOA
// of another zone) is not the end of the zone, and what came before it is
// not the whole zone.
func closes(first, soa *dns.SOA) error {
	switch {
	case !strings.EqualFold(soa.Hdr.Name, first.Hdr.Name):
		return fmt.Errorf("an SOA of %s in the middle of the transfer of %s: not this zone's closing SOA", soa.Hdr.Name, first.Hdr.Name)
	case soa.Serial != first.Serial:
		return fmt.Errorf("an SOA serial %d in the middle of the transfer (it opened with serial %d): the zone changed while it was sent, or the server is broken; transfer again", soa.Serial, first.Serial)
	}
	return nil
}

// limitErr is the time limit's error when it ended ctx (and not the
// caller's parent context), else err.
func (c *Conn) limitErr(parent, ctx context.Context, records int, err error) error {
	if parent.Err() != nil {
		return err
	}
	// The read's deadline may pass a moment before ctx is marked done.
	mine, _ := ctx.Deadline()
	theirs, bounded := parent.Deadline()
	if errors.Is(context.Cause(ctx), errTimeLimit) || !time.Now().Before(mine) && (!bounded || mine.Before(theirs)) {
		return &LimitError{Limit: LimitTime, Max: int64(c.limits.MaxTime), Records: records}
	}
	return err
}
