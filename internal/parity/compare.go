package parity

import (
	"fmt"
	"github.com/dnsparity/dnsparity/internal/query"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// diff is one difference between two responses to a question.
type diff struct {
	kind, sev, detail string
	// set is the RRset ("owner TYPE") the difference is in, when it is one
	// set of the answer (a CNAME chain's target, say); "" otherwise.
	set string
}

func worst(ds []diff) string {
	w := SevInfo
	for _, d := range ds {
		if sevRank[d.sev] < sevRank[w] {
			w = d.sev
		}
	}
	return w
}

// comparer compares responses; the view tells it about the zone (apex,
// DNS-SD owners).
type comparer struct {
	v *view
}

// compare lists the differences between responses a and b to q. "a" and
// "b" name the two sides in details.
func (c *comparer) compare(q Question, a, b *query.Answer, an, bn string) []diff {
	ca, cb := a.Class(), b.Class()
	if ca != cb {
		kind := "rcode"
		data := func(x query.Class) bool { return x == query.ClassAnswer }
		neg := func(x query.Class) bool { return x == query.ClassNoData || x == query.ClassNXDomain }
		if (data(ca) || neg(ca)) && (data(cb) || neg(cb)) {
			kind = "missing"
		}
		if q.Probe == probeRandom && kind != "rcode" {
			kind = "wildcard"
		}
		detail := fmt.Sprintf("%s answers %s, %s answers %s", an, phrase(a), bn, phrase(b))
		if kind == "wildcard" {
			detail += " (a wildcard exists on one side only)"
		}
		return []diff{{kind: kind, sev: SevError, detail: detail}}
	}
	switch ca {
	case query.ClassFailure:
		if a.Status() != b.Status() {
			return []diff{{kind: "rcode", sev: SevError, detail: fmt.Sprintf("%s answers %s, %s answers %s", an, a.Status(), bn, b.Status())}}
		}
		return nil
	case query.ClassReferral:
		ds := c.compareSets(q, a.NS, b.NS, an, bn)
		for i := range ds {
			if ds[i].kind == "rdata" || ds[i].kind == "missing" {
				ds[i].kind = "referral"
				ds[i].detail = "delegation differs: " + ds[i].detail
			}
		}
		for _, d := range c.compareSets(q, a.Glue, b.Glue, an, bn) {
			if d.kind == "rdata" || d.kind == "missing" {
				d.kind = "glue"
			}
			d.detail = "glue of the delegation differs: " + d.detail
			ds = append(ds, d)
		}
		return ds
	}
	// answers, and negative answers that carry a CNAME chain
	if len(a.Answer)+len(b.Answer) == 0 {
		return nil
	}
	if q.Type != dns.TypeCNAME {
		ha, hb := chain(q.Name, a.Answer), chain(q.Name, b.Answer)
		for i := 0; i < max(len(ha), len(hb)); i++ {
			var ta, tb string
			owner := ""
			if i < len(ha) {
				ta, owner = ha[i][1], ha[i][0]
			}
			if i < len(hb) {
				tb, owner = hb[i][1], hb[i][0]
			}
			if ta != tb {
				return []diff{{kind: "cname-hop", sev: SevError, detail: fmt.Sprintf("CNAME hop %d at %s: %s has %s, %s has %s",
					i+1, owner, an, orNone(ta), bn, orNone(tb))}}
			}
		}
	}
	return c.compareSets(q, a.Answer, b.Answer, an, bn)
}

// phrase is a response's class for "X answers ...".
func phrase(a *query.Answer) string {
	if a.Class() == query.ClassAnswer {
		return "with records"
	}
	return a.Status()
}

func orNone(s string) string {
	if s == "" {
		return "no CNAME"
	}
	return "→ " + s
}

// chain follows CNAME records from name: [owner, target] per hop.
func chain(name string, rrs []query.RR) [][2]string {
	var hops [][2]string
	for n := 0; n < 16; n++ {
		next := ""
		for _, r := range rrs {
			if r.Type == dns.TypeCNAME && r.Name == name {
				next = query.RdataText(r)
				break
			}
		}
		if next == "" {
			return hops
		}
		hops = append(hops, [2]string{name, next})
		name = next
	}
	return hops
}

func (c *comparer) compareSets(q Question, ra, rb []query.RR, an, bn string) []diff {
	sa, sb := groupSets(ra), groupSets(rb)
	var ds []diff
	find := func(ss []*set, s *set) *set {
		for _, x := range ss {
			if x.name == s.name && x.typ == s.typ {
				return x
			}
		}
		return nil
	}
	for _, x := range sa {
		y := find(sb, x)
		if y == nil {
			ds = append(ds, diff{kind: "missing", sev: SevError, detail: fmt.Sprintf("%s only on %s", x.key(), an), set: x.key()})
			continue
		}
		for _, d := range c.compareSet(x, y, an, bn) {
			d.set = x.key()
			ds = append(ds, d)
		}
	}
	for _, y := range sb {
		if find(sa, y) == nil {
			ds = append(ds, diff{kind: "missing", sev: SevError, detail: fmt.Sprintf("%s only on %s", y.key(), bn), set: y.key()})
		}
	}
	return ds
}

func (c *comparer) apex(s *set, t uint16) bool {
	return s.typ == t && s.name == c.v.z.Origin
}

func (c *comparer) compareSet(x, y *set, an, bn string) []diff {
	var ds []diff
	if c.apex(x, dns.TypeSOA) {
		nx, ny := negTTL(x), negTTL(y)
		if nx != ny {
			ds = append(ds, diff{kind: "soa", sev: SevWarning, detail: fmt.Sprintf("negative caching TTL differs: %s %d, %s %d (min of SOA TTL and MINIMUM)", an, nx, bn, ny)})
		}
		if !x.sameData(y) {
			ds = append(ds, diff{kind: "soa", sev: SevInfo, detail: "apex SOA differs: " + soaFields(x, y, an, bn)})
		} else if x.ttl != y.ttl {
			ds = append(ds, diff{kind: "soa", sev: SevInfo, detail: fmt.Sprintf("apex SOA TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)})
		}
		return ds
	}
	if c.apex(x, dns.TypeNS) {
		if !x.sameData(y) {
			ds = append(ds, diff{kind: "ns", sev: SevInfo, detail: "apex NS differ (each provider names its own servers): " + onlyIn(x, y, an, bn)})
		} else if x.ttl != y.ttl {
			ds = append(ds, diff{kind: "ns", sev: SevInfo, detail: fmt.Sprintf("apex NS TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)})
		}
		return ds
	}
	if !x.sameData(y) {
		if (x.typ == dns.TypeTXT || x.typ == dns.TypeSPF) && sameJoined(x, y) {
			if c.dnssd(x.name) {
				return []diff{{kind: "txt-split", sev: SevError, detail: "TXT strings split differently at a DNS-SD owner (RFC 6763 §6: each string is a key=value pair): " + onlyIn(x, y, an, bn)}}
			}
			return []diff{{kind: "txt-split", sev: SevInfo, detail: "same text split into strings at other points"}}
		}
		return []diff{{kind: "rdata", sev: SevError, detail: fmt.Sprintf("%s differs: %s", x.key(), onlyIn(x, y, an, bn))}}
	}
	if x.ttl != y.ttl {
		return []diff{{kind: "ttl", sev: SevWarning, detail: fmt.Sprintf("TTL %s %d, %s %d", an, x.ttl, bn, y.ttl)}}
	}
	return nil
}

// dnssd reports whether name is a DNS-SD service (instance) name: an SRV
// at the owner and a _tcp/_udp label.
func (c *comparer) dnssd(name string) bool {
	if c.v.z.Get(name, dns.TypeSRV) == nil {
		return false
	}
	return strings.Contains(name, "._tcp.") || strings.Contains(name, "._udp.")
}

func negTTL(s *set) uint32 {
	if len(s.rdata) == 0 {
		return s.ttl
	}
	rd := s.rdata[0]
	if len(rd) < 4 {
		return s.ttl
	}
	m := uint32(rd[len(rd)-4])<<24 | uint32(rd[len(rd)-3])<<16 | uint32(rd[len(rd)-2])<<8 | uint32(rd[len(rd)-1])
	return min(s.ttl, m)
}

func soaFields(x, y *set, an, bn string) string {
	rx, ry := soaOf(x), soaOf(y)
	if rx == nil || ry == nil {
		return onlyIn(x, y, an, bn)
	}
	var parts []string
	f := func(name string, a, b any) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s %v vs %v", name, a, b))
		}
	}
	f("mname", rx.Ns, ry.Ns)
	f("rname", rx.Mbox, ry.Mbox)
	f("serial", rx.Serial, ry.Serial)
	f("refresh", rx.Refresh, ry.Refresh)
	f("retry", rx.Retry, ry.Retry)
	f("expire", rx.Expire, ry.Expire)
	f("minimum", rx.Minttl, ry.Minttl)
	return strings.Join(parts, ", ")
}

func soaOf(s *set) *dns.SOA {
	if len(s.rdata) == 0 {
		return nil
	}
	rr, err := zone.FromRdata(dns.RR_Header{Name: s.name, Rrtype: dns.TypeSOA, Class: dns.ClassINET}, s.rdata[0])
	if err != nil {
		return nil
	}
	soa, _ := rr.(*dns.SOA)
	return soa
}

// sameJoined: the TXT records carry the same text once their strings are
// concatenated.
func sameJoined(x, y *set) bool {
	jx, jy := joined(x), joined(y)
	if len(jx) != len(jy) {
		return false
	}
	for i := range jx {
		if jx[i] != jy[i] {
			return false
		}
	}
	return true
}

func joined(s *set) []string {
	out := make([]string, len(s.rdata))
	for i, rd := range s.rdata {
		out[i] = strings.Join(zone.TXTStrings(rd), "")
	}
	sort.Strings(out)
	return out
}

// onlyIn describes the records only one side has.
func onlyIn(x, y *set, an, bn string) string {
	var ox, oy []string
	inY := map[string]bool{}
	for _, r := range y.rdata {
		inY[r] = true
	}
	inX := map[string]bool{}
	for _, r := range x.rdata {
		inX[r] = true
		if !inY[r] {
			ox = append(ox, query.RdataText(query.RR{Name: x.name, Type: x.typ, Rdata: r}))
		}
	}
	for _, r := range y.rdata {
		if !inX[r] {
			oy = append(oy, query.RdataText(query.RR{Name: y.name, Type: y.typ, Rdata: r}))
		}
	}
	var parts []string
	if len(ox) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", an, strings.Join(ox, " | ")))
	}
	if len(oy) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", bn, strings.Join(oy, " | ")))
	}
	return strings.Join(parts, "; ")
}
