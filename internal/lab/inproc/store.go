// Package inproc is an embedded DNS lab that runs inside the process, with
// nothing installed: authoritative servers (built on miekg/dns) that answer
// queries, AXFR and RFC 2136 UPDATE with TSIG, and caching resolvers that
// follow a delegation from a parent zone and honour TTLs. `dnsparity demo`
// runs on it; the real lab (internal/lab) starts BIND, Knot, PowerDNS and
// Unbound instead.
package inproc

import (
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// store is one zone's data: RRsets by owner (lower case) and type.
type store struct {
	origin string
	mu     sync.RWMutex
	nodes  map[string]map[uint16][]dns.RR
}

func newStore(origin string, rrs []dns.RR) *store {
	s := &store{origin: lower(origin), nodes: map[string]map[uint16][]dns.RR{}}
	for _, rr := range rrs {
		s.add(rr)
	}
	return s
}

func lower(name string) string { return strings.ToLower(dns.Fqdn(name)) }

// add puts rr into its RRset (the set takes rr's TTL); a duplicate is
// dropped. Callers hold mu for writing (or own s alone).
func (s *store) add(rr dns.RR) {
	rr = dns.Copy(rr)
	h := rr.Header()
	h.Name = lower(h.Name)
	h.Class = dns.ClassINET
	n := s.nodes[h.Name]
	if n == nil {
		n = map[uint16][]dns.RR{}
		s.nodes[h.Name] = n
	}
	set := n[h.Rrtype]
	if h.Rrtype == dns.TypeSOA || h.Rrtype == dns.TypeCNAME {
		set = nil // singletons: the new one replaces
	}
	if holds(set, rr) {
		return
	}
	for _, o := range set {
		o.Header().Ttl = h.Ttl
	}
	n[h.Rrtype] = append(set, rr)
}

// removeSet deletes an RRset (t == TypeANY: every set of the name).
func (s *store) removeSet(name string, t uint16) {
	n := s.nodes[name]
	if n == nil {
		return
	}
	if t == dns.TypeANY {
		delete(s.nodes, name)
		return
	}
	delete(n, t)
	if len(n) == 0 {
		delete(s.nodes, name)
	}
}

// removeRR deletes one record (matched by RDATA).
func (s *store) removeRR(rr dns.RR) {
	h := rr.Header()
	name := lower(h.Name)
	n := s.nodes[name]
	if n == nil {
		return
	}
	set := n[h.Rrtype]
	probe := dns.Copy(rr)
	probe.Header().Name, probe.Header().Class = name, dns.ClassINET
	for i, o := range set {
		if dns.IsDuplicate(o, probe) {
			n[h.Rrtype] = append(set[:i:i], set[i+1:]...)
			break
		}
	}
	if len(n[h.Rrtype]) == 0 {
		s.removeSet(name, h.Rrtype)
	}
}

// soa is the zone's SOA record (nil when missing). Callers hold mu.
func (s *store) soa() *dns.SOA {
	if set := s.nodes[s.origin][dns.TypeSOA]; len(set) > 0 {
		return set[0].(*dns.SOA)
	}
	return nil
}

// all lists the zone for AXFR: SOA first, then every other record in
// canonical order. Callers hold mu.
func (s *store) all() []dns.RR {
	names := make([]string, 0, len(s.nodes))
	for n := range s.nodes {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return canonicalLess(names[i], names[j]) })
	var out []dns.RR
	if soa := s.soa(); soa != nil {
		out = append(out, soa)
	}
	for _, n := range names {
		types := make([]int, 0, len(s.nodes[n]))
		for t := range s.nodes[n] {
			types = append(types, int(t))
		}
		sort.Ints(types)
		for _, t := range types {
			if n == s.origin && uint16(t) == dns.TypeSOA {
				continue
			}
			out = append(out, s.nodes[n][uint16(t)]...)
		}
	}
	return out
}

// canonicalLess orders names by their labels from the right (RFC 4034 §6.1
// for lower-case ASCII names).
func canonicalLess(a, b string) bool {
	la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
	for i, j := len(la)-1, len(lb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if la[i] != lb[j] {
			return la[i] < lb[j]
		}
	}
	return len(la) < len(lb)
}

// hasBelow reports whether a name strictly below name exists (name is then
// an empty non-terminal when it has no records itself). Callers hold mu.
func (s *store) hasBelow(name string) bool {
	suffix := "." + name
	for n := range s.nodes {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// inZone reports whether name is at or below the origin.
func (s *store) inZone(name string) bool {
	return dns.IsSubDomain(s.origin, name)
}
