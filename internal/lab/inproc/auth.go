package inproc

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// TSIGKey is the shared key that AXFR and UPDATE must be signed with.
type TSIGKey struct {
	Name   string // "demo-key."
	Secret string // base64
}

// Auth is an authoritative server (one or more addresses, one set of zones):
// what a DNS provider runs. It answers queries, AXFR and RFC 2136 UPDATE;
// transfers and updates must be signed with the key.
type Auth struct {
	Name string // for messages ("old provider")
	key  TSIGKey

	mu      sync.RWMutex
	zones   map[string]*store
	servers []*dns.Server
	addrs   []string

	queries atomic.Int64
	updates atomic.Int64
}

// NewAuth makes a server holding zones (each given as its records).
func NewAuth(name string, key TSIGKey) *Auth {
	return &Auth{Name: name, key: TSIGKey{Name: lower(key.Name), Secret: key.Secret}, zones: map[string]*store{}}
}

// AddZone serves a zone (replacing one of the same origin).
func (a *Auth) AddZone(origin string, rrs []dns.RR) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.zones[lower(origin)] = newStore(origin, rrs)
}

// Records lists a zone as AXFR would (nil when not served).
func (a *Auth) Records(origin string) []dns.RR {
	z := a.zone(lower(origin))
	if z == nil {
		return nil
	}
	z.mu.RLock()
	defer z.mu.RUnlock()
	return z.all()
}

// Queries is the number of queries (not transfers or updates) answered.
func (a *Auth) Queries() int64 { return a.queries.Load() }

// Updates is the number of UPDATE messages applied.
func (a *Auth) Updates() int64 { return a.updates.Load() }

// Addrs are the addresses it listens on (IP:PORT).
func (a *Auth) Addrs() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return append([]string(nil), a.addrs...)
}

// Listening reports whether it serves (false after Stop).
func (a *Auth) Listening() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.servers) > 0
}

// Listen serves on addr (IP:PORT) over UDP and TCP.
func (a *Auth) Listen(addr string) error { return a.listen(addr, true) }

// ListenUDP serves on addr over UDP only: a server whose TCP port is
// closed (a firewall that drops DNS over TCP), for the delegation gate's
// tcp check.
func (a *Auth) ListenUDP(addr string) error { return a.listen(addr, false) }

func (a *Auth) listen(addr string, tcp bool) error {
	srvs, err := listen(addr, dns.HandlerFunc(a.serve), map[string]string{a.key.Name: a.key.Secret}, tcp)
	if err != nil {
		return fmt.Errorf("%s: %w", a.Name, err)
	}
	a.mu.Lock()
	a.servers = append(a.servers, srvs...)
	a.addrs = append(a.addrs, addr)
	a.mu.Unlock()
	return nil
}

// Stop closes every listener (the provider goes down); the zones stay, so
// Listen brings it back with the same data.
func (a *Auth) Stop() {
	a.mu.Lock()
	srvs := a.servers
	a.servers, a.addrs = nil, nil
	a.mu.Unlock()
	for _, s := range srvs {
		_ = s.Shutdown()
	}
}

// zone finds the zone holding name (longest origin).
func (a *Auth) zone(name string) *store {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var best *store
	for o, z := range a.zones {
		if dns.IsSubDomain(o, name) && (best == nil || len(o) > len(best.origin)) {
			best = z
		}
	}
	return best
}

func (a *Auth) serve(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = false
	if len(r.Question) != 1 {
		m.SetRcode(r, dns.RcodeFormatError)
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	switch {
	case r.Opcode == dns.OpcodeUpdate:
		a.update(w, r, m)
		return
	case r.Opcode != dns.OpcodeQuery:
		m.SetRcode(r, dns.RcodeNotImplemented)
	case r.IsEdns0() != nil && r.IsEdns0().Version() != 0:
		// An EDNS version it does not do: BADVERS, with an OPT of
		// its own version 0 (writeSized) and no answer (RFC 6891
		// §6.1.3), as BIND, Knot and PowerDNS answer.
		m.Rcode = dns.RcodeBadVers
	case q.Qclass != dns.ClassINET:
		m.SetRcode(r, dns.RcodeRefused)
	case q.Qtype == dns.TypeAXFR || q.Qtype == dns.TypeIXFR:
		a.transfer(w, r, m)
		return
	default:
		a.queries.Add(1)
		z := a.zone(lower(q.Name))
		if z == nil {
			m.SetRcode(r, dns.RcodeRefused)
			break
		}
		z.answer(m, q)
	}
	writeSized(w, r, m)
}

// writeSized writes an answer within the client's UDP size (512, or EDNS),
// truncated with TC set when it does not fit.
func writeSized(w dns.ResponseWriter, r, m *dns.Msg) {
	size := dns.MinMsgSize
	if o := r.IsEdns0(); o != nil {
		size = max(int(o.UDPSize()), dns.MinMsgSize)
		m.SetEdns0(1232, false)
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		m.Truncate(size)
	} else {
		m.Compress = true
	}
	_ = w.WriteMsg(m)
}

// signed checks the request's TSIG: present, by our key, verified.
func (a *Auth) signed(w dns.ResponseWriter, r *dns.Msg) bool {
	t := r.IsTsig()
	return t != nil && lower(t.Hdr.Name) == a.key.Name && w.TsigStatus() == nil
}

func (a *Auth) refuse(w dns.ResponseWriter, r, m *dns.Msg, rcode int) {
	m.SetRcode(r, rcode)
	if t := r.IsTsig(); t != nil && w.TsigStatus() == nil {
		m.SetTsig(t.Hdr.Name, t.Algorithm, 300, time.Now().Unix())
	}
	_ = w.WriteMsg(m)
}

// signedZone is the zone whose origin the question of a signed request
// (AXFR, UPDATE) names. Otherwise the request is refused, NOTAUTH when
// unsigned, rcode when no zone has that origin, and signedZone is nil.
func (a *Auth) signedZone(w dns.ResponseWriter, r, m *dns.Msg, rcode int) *store {
	if !a.signed(w, r) {
		a.refuse(w, r, m, dns.RcodeNotAuth)
		return nil
	}
	name := lower(r.Question[0].Name)
	if z := a.zone(name); z != nil && z.origin == name {
		return z
	}
	a.refuse(w, r, m, rcode)
	return nil
}

// transfer sends the zone over TCP to a signed request.
func (a *Auth) transfer(w dns.ResponseWriter, r, m *dns.Msg) {
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		a.refuse(w, r, m, dns.RcodeRefused)
		return
	}
	z := a.signedZone(w, r, m, dns.RcodeNotAuth)
	if z == nil {
		return
	}
	z.mu.RLock()
	rrs := z.all()
	z.mu.RUnlock()
	if len(rrs) == 0 {
		a.refuse(w, r, m, dns.RcodeServerFailure)
		return
	}
	rrs = append(rrs, rrs[0]) // closing SOA
	ch := make(chan *dns.Envelope)
	tr := new(dns.Transfer)
	done := make(chan error, 1)
	go func() { done <- tr.Out(w, r, ch) }()
	for len(rrs) > 0 {
		n := min(len(rrs), 200)
		ch <- &dns.Envelope{RR: rrs[:n]}
		rrs = rrs[n:]
	}
	close(ch)
	<-done
	_ = w.Close()
}

// update applies an RFC 2136 UPDATE (no prerequisites) to a signed request
// and bumps the SOA serial.
func (a *Auth) update(w dns.ResponseWriter, r, m *dns.Msg) {
	z := a.signedZone(w, r, m, dns.RcodeNotZone)
	if z == nil {
		return
	}
	if rcode := z.apply(r.Answer, r.Ns); rcode != dns.RcodeSuccess {
		a.refuse(w, r, m, rcode)
		return
	}
	a.updates.Add(1)
	a.refuse(w, r, m, dns.RcodeSuccess)
}

// apply checks the prerequisites (RFC 2136 §3.2) and, when they all hold,
// runs the update section (§3.4.2), all under one lock: a message applies
// whole or not at all. An SOA with a greater serial replaces the zone's;
// otherwise the serial is bumped. Class ANY deletes an RRset (or every set of a
// name), class NONE one record, the zone's class adds. The apex SOA and
// the last apex NS are never deleted. It returns the rcode to answer.
func (z *store) apply(prereqs, ups []dns.RR) int {
	for _, rr := range append(append([]dns.RR(nil), prereqs...), ups...) {
		if !z.inZone(lower(rr.Header().Name)) {
			return dns.RcodeNotZone
		}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if rcode := z.prerequisites(prereqs); rcode != dns.RcodeSuccess {
		return rcode
	}
	for _, rr := range ups {
		if c := rr.Header().Class; c != dns.ClassANY && c != dns.ClassNONE && c != dns.ClassINET {
			return dns.RcodeFormatError
		}
	}
	soaSet := false
	for _, rr := range ups {
		h := rr.Header()
		name := lower(h.Name)
		switch h.Class {
		case dns.ClassANY:
			if name == z.origin {
				if h.Rrtype == dns.TypeANY {
					for t := range z.nodes[name] {
						if t != dns.TypeSOA && t != dns.TypeNS {
							z.removeSet(name, t)
						}
					}
					continue
				}
				if h.Rrtype == dns.TypeSOA || h.Rrtype == dns.TypeNS {
					continue
				}
			}
			z.removeSet(name, h.Rrtype)
		case dns.ClassNONE:
			if name == z.origin && (h.Rrtype == dns.TypeSOA || h.Rrtype == dns.TypeNS && len(z.nodes[name][dns.TypeNS]) <= 1) {
				continue
			}
			z.removeRR(rr)
		case dns.ClassINET:
			if h.Rrtype == dns.TypeSOA {
				// §3.4.2.2: an SOA replaces the zone's only with a
				// greater serial (RFC 1982), as BIND and Knot do.
				if name != z.origin {
					continue
				}
				if cur, ok := rr.(*dns.SOA); ok && z.soa() != nil && int32(cur.Serial-z.soa().Serial) > 0 {
					z.add(dns.Copy(rr))
					soaSet = true
				}
				continue
			}
			z.add(rr)
		}
	}
	if soa := z.soa(); soa != nil && !soaSet {
		soa.Serial++
	}
	return dns.RcodeSuccess
}

// prerequisites checks the prerequisite section (RFC 2136 §3.2): class ANY
// with type ANY "name is in use", with a type "RRset exists"; class NONE
// "name is not in use" / "RRset does not exist"; the zone's class "RRset
// exists and holds exactly these records" (TTLs aside). Callers hold mu.
func (z *store) prerequisites(prereqs []dns.RR) int {
	type key struct {
		name string
		t    uint16
	}
	exact := map[key][]dns.RR{}
	var order []key
	for _, rr := range prereqs {
		h := rr.Header()
		name := lower(h.Name)
		if h.Ttl != 0 {
			return dns.RcodeFormatError
		}
		switch h.Class {
		case dns.ClassANY:
			if h.Rrtype == dns.TypeANY {
				if z.nodes[name] == nil {
					return dns.RcodeNameError
				}
			} else if len(z.nodes[name][h.Rrtype]) == 0 {
				return dns.RcodeNXRrset
			}
		case dns.ClassNONE:
			if h.Rrtype == dns.TypeANY {
				if z.nodes[name] != nil {
					return dns.RcodeYXDomain
				}
			} else if len(z.nodes[name][h.Rrtype]) > 0 {
				return dns.RcodeYXRrset
			}
		case dns.ClassINET:
			k := key{name, h.Rrtype}
			if _, seen := exact[k]; !seen {
				order = append(order, k)
			}
			exact[k] = append(exact[k], rr)
		default:
			return dns.RcodeFormatError
		}
	}
	for _, k := range order {
		if !sameRecords(z.nodes[k.name][k.t], exact[k]) {
			return dns.RcodeNXRrset
		}
	}
	return dns.RcodeSuccess
}

// sameRecords reports whether two record lists hold the same records
// (duplicates in want count once), TTLs aside.
func sameRecords(have, want []dns.RR) bool {
	var uniq []dns.RR
	for _, w := range want {
		if !holds(uniq, w) {
			uniq = append(uniq, w)
		}
	}
	if len(uniq) != len(have) {
		return false
	}
	for _, w := range uniq {
		if !holds(have, w) {
			return false
		}
	}
	return true
}

// holds reports whether rrs holds rr, TTL aside (dns.IsDuplicate).
func holds(rrs []dns.RR, rr dns.RR) bool {
	return slices.ContainsFunc(rrs, func(x dns.RR) bool { return dns.IsDuplicate(x, rr) })
}

// listen starts UDP (and with tcp, TCP) servers on addr and waits until
// they serve.
func listen(addr string, h dns.Handler, secrets map[string]string, tcp bool) ([]*dns.Server, error) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	servers := []*dns.Server{{PacketConn: pc, Handler: h}}
	if tcp {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			return nil, err
		}
		servers = append(servers, &dns.Server{Listener: l, Handler: h})
	}
	var out []*dns.Server
	for _, s := range servers {
		s.TsigSecret = secrets
		s.MsgAcceptFunc = acceptAll // UPDATE too (the default refuses it)
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go func() { _ = s.ActivateAndServe() }()
		<-started
		out = append(out, s)
	}
	return out, nil
}

// String names the server and its addresses.
func (a *Auth) String() string {
	return a.Name + " (" + strings.Join(a.Addrs(), ", ") + ")"
}

func acceptAll(dh dns.Header) dns.MsgAcceptAction {
	if dh.Bits&(1<<15) != 0 { // a response
		return dns.MsgIgnore
	}
	return dns.MsgAccept
}
