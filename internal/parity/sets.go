package parity

import (
	"fmt"
	"sort"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// set is the records of one owner and type from a response.
type set struct {
	name  string
	typ   uint16
	ttl   uint32
	ttls  bool // records disagree on TTL
	rdata []string
}

func (s *set) key() string { return s.name + " " + dns.Type(s.typ).String() }

func (s *set) sameData(o *set) bool {
	if len(s.rdata) != len(o.rdata) {
		return false
	}
	for i := range s.rdata {
		if s.rdata[i] != o.rdata[i] {
			return false
		}
	}
	return true
}

// groupSets groups records into sets (rdata sorted, duplicates dropped), in
// order of first appearance.
func groupSets(rrs []query.RR) []*set {
	var out []*set
	for _, r := range rrs {
		var s *set
		for _, x := range out {
			if x.name == r.Name && x.typ == r.Type {
				s = x
				break
			}
		}
		if s == nil {
			s = &set{name: r.Name, typ: r.Type, ttl: r.TTL}
			out = append(out, s)
		} else if r.TTL != s.ttl {
			s.ttls = true
			s.ttl = min(s.ttl, r.TTL)
		}
		s.rdata = append(s.rdata, r.Rdata)
	}
	for _, s := range out {
		sort.Strings(s.rdata)
		s.rdata = dedupe(s.rdata)
	}
	return out
}

// findSet is the set of ss with name and type typ, or nil.
func findSet(ss []*set, name string, typ uint16) *set {
	for _, x := range ss {
		if x.name == name && x.typ == typ {
			return x
		}
	}
	return nil
}

// ttlDiffs is the warning that x and y (on an and bn) differ in TTL, or
// none: the lowest TTL of each set, which is what caches keep.
func ttlDiffs(x, y *set, an, bn string) []diff {
	if x.ttl == y.ttl {
		return nil
	}
	return []diff{{kind: "ttl", sev: SevWarning, detail: fmt.Sprintf("TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)}}
}

func dedupe(xs []string) []string {
	if len(xs) < 2 {
		return xs
	}
	out := xs[:1]
	for _, x := range xs[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}
