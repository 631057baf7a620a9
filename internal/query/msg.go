package query

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
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
	// Expire asks a secondary how long its copy of the zone has left
	// (the EDNS EXPIRE option, RFC 7314; a primary answers its SOA
	// expire field): Expire reads the answer's.
	Expire bool
	// Subnet, when valid, is sent as an EDNS Client Subnet option (RFC
	// 7871).
	Subnet netip.Prefix
	// TCP asks over TCP only (the strict reader), never UDP.
	TCP bool
	// AnySource sends over UDP from an unconnected socket, so that a
	// response from another address than the one asked is read, not
	// dropped by the kernel as on the connected socket (and by
	// resolvers, RFC 2181 §4): it is returned as an *OtherSourceError
	// naming that address (Zonemaster NAMESERVER04).
	AnySource bool
	// Truncated returns a truncated UDP answer as it came (Zonemaster
	// NAMESERVER13 judges its OPT record, RFC 6891 §7), instead of
	// asking again over TCP.
	Truncated bool
	// NoEDNS sends the query without an OPT record (a plain RFC 1035
	// query); UDPSize is the EDNS payload size otherwise (default 1232).
	NoEDNS  bool
	UDPSize uint16
	// Version is the EDNS version sent (0 by default; Zonemaster
	// NAMESERVER10 sends 1, which a server must answer BADVERS, RFC 6891
	// §6.1.3). Unknown, when not 0, is sent as an empty EDNS option of
	// that code, one the server cannot know (NAMESERVER11: it must be
	// ignored, RFC 6891 §6.1.2). Z sets EDNS flag bits no RFC assigns
	// (NAMESERVER12: ignored, and clear in the answer, RFC 6891 §6.1.4;
	// the 14 bits below DO and CO). With any of them, a FORMERR is the
	// answer returned, not a cue to ask again without EDNS.
	Version uint8
	Unknown uint16
	Z       uint16
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
		opt := m.IsEdns0()
		opt.SetVersion(o.Version)
		opt.SetZ(o.Z)
		opt.Option = append(opt.Option, ednsOptions(o.NSID, o.Expire, o.Subnet)...)
		if o.Unknown != 0 {
			opt.Option = append(opt.Option, &dns.EDNS0_LOCAL{Code: o.Unknown})
		}
	}
	var lastErr error
	for try := 0; try < o.Tries; try++ {
		var r *dns.Msg
		var err error
		if o.TCP {
			r, err = msgTCP(ctx, server, m, o.Timeout)
		} else {
			r, err = msgUDP(ctx, server, m, o.Timeout, o.AnySource)
			if err == nil && r.Truncated && !o.Truncated {
				r, err = msgTCP(ctx, server, m, o.Timeout)
			}
		}
		if err == nil && !o.NoEDNS && o.Version == 0 && o.Unknown == 0 && o.Z == 0 && r.Rcode == dns.RcodeFormatError && r.IsEdns0() == nil {
			// A server that does not do EDNS (RFC 6891 §7): asked
			// again without it, as resolvers do.
			o.NoEDNS = true
			return Msg(ctx, server, name, qtype, o)
		}
		if err == nil {
			return r, nil
		}
		var malformed *dns.Error
		if o.Expire && errors.As(err, &malformed) {
			// An answer that does not parse with the EXPIRE option
			// asked (one cut short: RFC 7314 §2 gives it four octets):
			// asked again without it, as a server that does not know
			// the option (Expire: none), not taken for one that does
			// not answer (an authoritative gate, old-down).
			o.Expire = false
			return Msg(ctx, server, name, qtype, o)
		}
		lastErr = err
		var other *OtherSourceError
		if errors.As(err, &other) {
			break // it answers, from elsewhere: asking again says the same
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s at %s: %w", name, dns.TypeToString[qtype], server, ctx.Err())
		}
	}
	return nil, fmt.Errorf("%s %s at %s: %w", name, dns.TypeToString[qtype], server, lastErr)
}

// errNotOurs marks a datagram that is not the response to our query.
var errNotOurs = errors.New("a datagram that is not the response to the query")

// OtherSourceError is a response that came from another address than
// the server asked (MsgOptions.AnySource).
type OtherSourceError struct{ Asked, From string }

func (e *OtherSourceError) Error() string {
	return fmt.Sprintf("the response came from %s, not from %s, the address asked (resolvers drop it)", e.From, e.Asked)
}

func msgUDP(ctx context.Context, server string, m *dns.Msg, timeout time.Duration, anySource bool) (*dns.Msg, error) {
	m.Id = dns.Id()
	q, err := m.Pack()
	if err != nil {
		return nil, err
	}
	to, err := netip.ParseAddrPort(server) // an address (dialAddr): no lookup
	if err != nil {
		return nil, err
	}
	// Neither socket below is opened with ctx (DialUDP, ListenUDP take
	// none), and watch closes it only after the query went out: a context
	// that has ended sends nothing.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var c *net.UDPConn
	if anySource {
		network := "udp4"
		if to.Addr().Is6() {
			network = "udp6"
		}
		c, err = net.ListenUDP(network, nil)
	} else {
		c, err = net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(to))
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	defer watch(ctx, c)() // the read ends when ctx does (Ctrl-C), not at the timeout
	if anySource {
		_, err = c.WriteToUDPAddrPort(q, to)
	} else {
		_, err = c.Write(q)
	}
	if err != nil {
		return nil, err
	}
	// Every datagram is read whole, one larger than the size asked too
	// (as the batched engine and resolvers on a lenient path read it);
	// one with another ID (a late answer) is skipped, one with this ID
	// that is not the response (no QR bit, another question) is
	// errNotOurs.
	buf := make([]byte, 65535)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		resp := buf[:n]
		if n < 12 || binary.BigEndian.Uint16(resp) != m.Id {
			continue
		}
		if !isResponse(resp) || !sameQuestion(resp, q) {
			return nil, errNotOurs
		}
		if from.Addr().Unmap() != to.Addr().Unmap() || from.Port() != to.Port() {
			return nil, &OtherSourceError{Asked: server, From: from.String()}
		}
		r := new(dns.Msg)
		if err := r.Unpack(resp); err != nil {
			// A response with the TC bit cut in the middle of a record
			// (RFC 1035 §4.2.1) does not unpack: its header says to
			// ask again over TCP, as resolvers do.
			if truncated(resp) {
				return &dns.Msg{MsgHdr: dns.MsgHdr{Id: m.Id, Response: true, Truncated: true}}, nil
			}
			return nil, fmt.Errorf("bad response: %w", err)
		}
		return r, nil
	}
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
