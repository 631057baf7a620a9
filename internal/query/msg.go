package query

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// MsgOptions tune Msg.
type MsgOptions struct {
	Timeout time.Duration // per try (default 2 s)
	Tries   int           // UDP tries (default 2)
	RD      bool          // recursion desired (a resolver)
	DO      bool          // DNSSEC OK
	NSID    bool          // ask for the server's identifier (RFC 5001)
	// Subnet, when valid, is sent as an EDNS Client Subnet option (RFC
	// 7871).
	Subnet netip.Prefix
	// TCP asks over TCP only (the strict reader), never UDP.
	TCP bool
	// NoEDNS sends the query without an OPT record (a plain RFC 1035
	// query); UDPSize is the EDNS payload size otherwise (default 1232).
	NoEDNS  bool
	UDPSize uint16
}

// Msg asks server (IP or IP:port, port 53 by default; a name is refused
// with ErrNotAddress before anything is sent: no system resolver) one question
// and returns the whole response, for the few questions of status, the
// cutover gates, the propagation watch, the registrars and the DNSSEC gate:
// UDP with EDNS 1232, a response taken only when it is a response (QR) to
// this ID and question, TCP through the strict reader when truncated, retried
// on timeouts, bounded by ctx. The name is sent as given (its case kept, for
// the 0x20 check); the response's question is matched ASCII
// case-insensitively. Options ask over TCP only, or without EDNS.
func Msg(ctx context.Context, server, name string, qtype uint16, o MsgOptions) (*dns.Msg, error) {
	server, err := dialAddr(server)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", name, dns.TypeToString[qtype], err)
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Tries <= 0 {
		o.Tries = 2
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = o.RD
	size := o.UDPSize
	if size == 0 {
		size = 1232
	}
	if !o.NoEDNS {
		m.SetEdns0(size, o.DO)
		if opts := ednsOptions(o.NSID, o.Subnet); len(opts) > 0 {
			opt := m.IsEdns0()
			opt.Option = append(opt.Option, opts...)
		}
	}
	var lastErr error
	for try := 0; try < o.Tries; try++ {
		var r *dns.Msg
		var err error
		if o.TCP {
			r, err = msgTCP(ctx, server, m, o.Timeout)
		} else {
			r, err = msgUDP(ctx, server, m, o.Timeout, size)
			if err == nil && r.Truncated {
				r, err = msgTCP(ctx, server, m, o.Timeout)
			}
		}
		if err == nil && !o.NoEDNS && r.Rcode == dns.RcodeFormatError && r.IsEdns0() == nil {
			// A server that does not do EDNS (RFC 6891 §7): asked
			// again without it, as resolvers do.
			o.NoEDNS = true
			return Msg(ctx, server, name, qtype, o)
		}
		if err == nil {
			return r, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return nil, fmt.Errorf("%s %s at %s: %w", name, dns.TypeToString[qtype], server, lastErr)
}

// errNotOurs marks a datagram that is not the response to our query.
var errNotOurs = errors.New("a datagram that is not the response to the query")

func msgUDP(ctx context.Context, server string, m *dns.Msg, timeout time.Duration, size uint16) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m.Id = dns.Id()
	c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: max(size, dns.MinMsgSize)}
	raw, err := net.Dial("udp", server) // an address (dialAddr): no lookup
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	// The read ends when ctx does (Ctrl-C), not only at the timeout
	// (miekg/dns takes ctx's deadline, not its end).
	uc := &ctxUDP{UDPConn: raw.(*net.UDPConn), ctx: ctx}
	defer context.AfterFunc(ctx, uc.expire)()
	r, _, err := c.ExchangeWithConnContext(ctx, m, &dns.Conn{Conn: uc})
	if err != nil {
		// A response with the TC bit cut in the middle of a record (RFC
		// 1035 §4.2.1) does not unpack: its header (and question) did,
		// and say to ask again over TCP, as resolvers do.
		if r != nil && r.Truncated && answers(r, m) {
			return r, nil
		}
		return nil, err
	}
	if !answers(r, m) {
		return nil, errNotOurs
	}
	return r, nil
}

// ctxUDP is a UDP socket whose reads end when ctx ends: expire (called
// then) sets a read deadline in the past, and a deadline set after that
// is in the past too (the mutex orders the two).
type ctxUDP struct {
	*net.UDPConn
	ctx context.Context
	mu  sync.Mutex
}

func (c *ctxUDP) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx.Err() != nil {
		t = time.Unix(1, 0)
	}
	return c.UDPConn.SetReadDeadline(t)
}

func (c *ctxUDP) SetDeadline(t time.Time) error {
	if err := c.UDPConn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

func (c *ctxUDP) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.UDPConn.SetReadDeadline(time.Unix(1, 0))
}

func msgTCP(ctx context.Context, server string, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	conn, err := transfer.Dial(ctx, server, transfer.Options{Timeout: timeout, DialTimeout: timeout})
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	m.Id = dns.Id()
	r, err := conn.Exchange(ctx, m)
	if err != nil {
		return nil, err
	}
	if !answers(r, m) {
		return nil, errNotOurs
	}
	return r, nil
}

// answers reports whether r is a response to q: QR set, same ID, same
// question (names compared ASCII case-insensitively).
func answers(r, q *dns.Msg) bool {
	if !r.Response || r.Id != q.Id || len(r.Question) != 1 || len(q.Question) != 1 {
		return false
	}
	a, b := r.Question[0], q.Question[0]
	return a.Qtype == b.Qtype && a.Qclass == b.Qclass && zone.Fold(a.Name) == zone.Fold(b.Name)
}
