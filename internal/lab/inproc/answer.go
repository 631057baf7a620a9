package inproc

import (
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// answer fills m (a reply to q) from the zone the way an authoritative
// server does (RFC 1034 §4.3.2): delegations (referral with glue), CNAME
// chains inside the zone, wildcards (RFC 4592), empty non-terminals
// (NODATA), NXDOMAIN, and the SOA in the authority section of a negative
// answer with TTL min(SOA TTL, MINIMUM) (RFC 2308).
func (s *store) answer(m *dns.Msg, q dns.Question) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m.Authoritative = true
	qname := lower(q.Name)
	for hop := 0; hop < 8; hop++ {
		if cut := s.cutAbove(qname, q.Qtype); cut != "" {
			if len(m.Answer) == 0 {
				m.Authoritative = false
			}
			s.referral(m, cut)
			return
		}
		node := s.nodes[qname]
		owner := qname
		if node == nil {
			if s.hasBelow(qname) {
				s.negative(m) // empty non-terminal: NODATA
				return
			}
			wc := s.nodes["*."+s.closestEncloser(qname)]
			if wc == nil {
				m.Rcode = dns.RcodeNameError
				s.negative(m)
				return
			}
			node = wc
		}
		if q.Qtype == dns.TypeANY {
			for _, set := range node {
				m.Answer = append(m.Answer, withOwner(set, owner)...)
			}
			return
		}
		if cn := node[dns.TypeCNAME]; len(cn) > 0 && q.Qtype != dns.TypeCNAME {
			m.Answer = append(m.Answer, withOwner(cn, owner)...)
			target := lower(cn[0].(*dns.CNAME).Target)
			if !s.inZone(target) {
				return
			}
			qname = target
			continue
		}
		if set := node[q.Qtype]; len(set) > 0 {
			m.Answer = append(m.Answer, withOwner(set, owner)...)
			return
		}
		s.negative(m)
		return
	}
}

// withOwner copies a set under the owner asked for (wildcard synthesis).
func withOwner(set []dns.RR, owner string) []dns.RR {
	out := make([]dns.RR, len(set))
	for i, rr := range set {
		c := dns.Copy(rr)
		c.Header().Name = owner
		out[i] = c
	}
	return out
}

// negative adds the SOA for NXDOMAIN and NODATA.
func (s *store) negative(m *dns.Msg) {
	soa := s.soa()
	if soa == nil {
		return
	}
	c := dns.Copy(soa)
	c.Header().Ttl = min(soa.Hdr.Ttl, soa.Minttl)
	m.Ns = append(m.Ns, c)
}

// cutAbove is the delegation point at or above name (below the apex), ""
// when there is none. A DS question at the cut itself is the parent's.
func (s *store) cutAbove(name string, qtype uint16) string {
	cut := ""
	for n := name; dns.IsSubDomain(s.origin, n) && n != s.origin; n = zone.Parent(n) {
		if len(s.nodes[n][dns.TypeNS]) > 0 && !(n == name && qtype == dns.TypeDS) {
			cut = n // keep going: the highest cut wins
		}
	}
	return cut
}

// referral answers with the delegation's NS in AUTHORITY and the addresses
// of its nameservers this zone holds (glue) in ADDITIONAL.
func (s *store) referral(m *dns.Msg, cut string) {
	ns := s.nodes[cut][dns.TypeNS]
	m.Ns = append(m.Ns, withOwner(ns, cut)...)
	for _, rr := range ns {
		target := lower(rr.(*dns.NS).Ns)
		if !s.inZone(target) {
			continue
		}
		for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
			m.Extra = append(m.Extra, s.nodes[target][t]...)
		}
	}
}

// closestEncloser is the longest existing ancestor of name (an empty
// non-terminal counts).
func (s *store) closestEncloser(name string) string {
	for n := zone.Parent(name); ; n = zone.Parent(n) {
		if n == s.origin || s.nodes[n] != nil || s.hasBelow(n) || !dns.IsSubDomain(s.origin, n) {
			return n
		}
	}
}

// Expect answers questions about a zone given as its records the way the
// lab's authoritative servers do (for clients that check what a resolver
// returns against the zone file).
type Expect struct{ s *store }

// NewExpect indexes a zone's records.
func NewExpect(origin string, rrs []dns.RR) *Expect { return &Expect{newStore(origin, rrs)} }

// Answer is the rcode and answer records an authoritative server gives.
func (e *Expect) Answer(name string, qtype uint16) (int, []dns.RR) {
	m := new(dns.Msg)
	e.s.answer(m, dns.Question{Name: name, Qtype: qtype, Qclass: dns.ClassINET})
	return m.Rcode, m.Answer
}
