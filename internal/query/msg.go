package query

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
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
}

// Msg asks server (ip:port, never a name: no system resolver) one question
// and returns the whole response, for the few questions of status, the
// cutover gates, the propagation watch, the registrars and the DNSSEC gate:
// UDP with EDNS 1232, a response taken only when it is a response (QR) to
// this ID and question, TCP through the strict reader when truncated, retried
// on timeouts, bounded by ctx.
func Msg(ctx context.Context, server, name string, qtype uint16, o MsgOptions) (*dns.Msg, error) {
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Tries <= 0 {
		o.Tries = 2
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = o.RD
	m.SetEdns0(1232, o.DO)
	if opts := ednsOptions(o.NSID, o.Subnet); len(opts) > 0 {
		opt := m.IsEdns0()
		opt.Option = append(opt.Option, opts...)
	}
	var lastErr error
	for try := 0; try < o.Tries; try++ {
		r, err := msgUDP(ctx, server, m, o.Timeout)
		if err == nil && r.Truncated {
			r, err = msgTCP(ctx, server, m, o.Timeout)
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

func msgUDP(ctx context.Context, server string, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m.Id = dns.Id()
	c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: 1232}
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err != nil {
		return nil, err
	}
	if !answers(r, m) {
		return nil, errNotOurs
	}
	return r, nil
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
