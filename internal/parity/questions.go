package parity

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// Probe kinds of a question.
const (
	probeRRset  = iota // an (owner, type) of the zone
	probeNoData        // a type the owner lacks
	probeRandom        // a random label (NXDOMAIN or wildcard synthesis)
	probeAXFR          // an (owner, type) found by AXFR of a side, not in git
	probeReplay        // a question from a query log
)

// Question is one question asked of every server.
type Question struct {
	Name  string
	Type  uint16
	Probe uint8
}

// view is what parity knows about the zone from git: owners, empty
// non-terminals, zone cuts.
type view struct {
	z      *zone.Zone
	exists map[string]bool // owners and empty non-terminals
	cuts   map[string]bool // delegation points (NS below the apex)
	dnames map[string]bool // DNAME owners
	ents   []string
}

func newView(z *zone.Zone) *view {
	v := &view{z: z, exists: map[string]bool{}, cuts: map[string]bool{}, dnames: map[string]bool{}}
	for _, s := range z.Sets {
		v.exists[s.Name] = true
		if s.Type == dns.TypeNS && s.Name != z.Origin {
			v.cuts[s.Name] = true
		}
		if s.Type == dns.TypeDNAME {
			v.dnames[s.Name] = true
		}
	}
	for _, s := range z.Sets {
		for n := parent(s.Name); n != "" && n != z.Origin && z.InZone(n); n = parent(n) {
			if !v.exists[n] {
				v.exists[n] = true
				v.ents = append(v.ents, n)
			}
		}
	}
	return v
}

// parent is zone.Parent with "" past the top-level label (parity's walks
// up the tree stop at "").
func parent(name string) string {
	if p := zone.Parent(name); p != "." {
		return p
	}
	return ""
}

// cut returns the zone cut at or above name closest to the apex, "" when
// none: the one a server's walk down the tree stops at (RFC 1034 §4.3.2);
// a cut below it is occluded.
func (v *view) cut(name string) string {
	c := ""
	for n := name; n != "" && n != v.z.Origin; n = parent(n) {
		if v.cuts[n] {
			c = n
		}
	}
	return c
}

// boundary is where a server's walk down the tree to name leaves git's own
// data: the zone cut at or above name, or the DNAME above it, whichever
// is closer to the apex (the other is occluded); at one node the cut wins
// (BIND's database: NS has precedence over DNAME). At most one is set.
func (v *view) boundary(name string) (cut string, d *zone.RRSet) {
	cut, d = v.cut(name), v.dname(name)
	if cut != "" && d != nil {
		if dns.IsSubDomain(cut, d.Name) {
			d = nil
		} else {
			cut = ""
		}
	}
	return cut, d
}

func randomLabel() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return "dnsparity-" + hex.EncodeToString(b[:])
}

// noDataType picks a type the owner does not have.
func noDataType(sets []*zone.RRSet) uint16 {
	has := func(t uint16) bool {
		for _, s := range sets {
			if s.Type == t {
				return true
			}
		}
		return false
	}
	if has(dns.TypeCNAME) {
		return dns.TypeA // follows the chain
	}
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeTXT, dns.TypeMX, dns.TypeSRV, dns.TypeHINFO} {
		if !has(t) {
			return t
		}
	}
	return dns.TypeNULL
}

// owners calls f with every owner name of the zone and its RRsets (a
// sub-slice of z.Sets, in canonical order), without copying them.
func owners(z *zone.Zone, f func(name string, sets []*zone.RRSet)) {
	sets := z.Sets
	for i := 0; i < len(sets); {
		j := i + 1
		for j < len(sets) && sets[j].Name == sets[i].Name {
			j++
		}
		f(sets[i].Name, sets[i:j:j])
		i = j
	}
}

// questions builds the question list from the zone: the apex SOA and NS,
// every RRset, a DS at every delegation, a type each owner lacks, every
// empty non-terminal, and random labels. Each (name, type) is asked once.
// Only the few random-label questions go through a set of those already
// asked; the others are unique by construction or checked against the
// zone's index, so that a million-RRset zone needs no map of a million
// keys while its questions are built.
func (v *view) questions(label string) []Question {
	z := v.z
	// The list holds about one question per RRset and one per owner.
	qs := make([]Question, 0, len(z.Sets)+len(z.Sets)/2+len(v.ents)+16)
	apex := func(t uint16) bool { return t == dns.TypeSOA || t == dns.TypeNS }
	qs = append(qs, Question{Name: z.Origin, Type: dns.TypeSOA, Probe: probeRRset}, Question{Name: z.Origin, Type: dns.TypeNS, Probe: probeRRset})
	for _, s := range z.Sets {
		if query.SkipType(s.Type) || (s.Name == z.Origin && apex(s.Type)) {
			continue
		}
		qs = append(qs, Question{Name: s.Name, Type: s.Type, Probe: probeRRset})
	}
	// asked reports whether (name, t) is one of the questions above, or
	// of the DS, no-data and empty non-terminal questions below.
	asked := func(name string, t uint16) bool {
		if name == z.Origin && apex(t) {
			return true
		}
		if !query.SkipType(t) && z.Get(name, t) != nil {
			return true
		}
		if sets := z.Lookup(name); len(sets) > 0 {
			return t == noDataType(sets) || (t == dns.TypeDS && v.cuts[name])
		}
		return t == dns.TypeA && v.exists[name] && v.cut(name) == ""
	}
	// The DS at every delegation is the parent's authoritative data (a
	// missing or different DS breaks DNSSEC for the child): ask it also
	// where git has none, so that a DS on one side only is seen.
	owners(z, func(name string, _ []*zone.RRSet) {
		if v.cuts[name] && !(z.Get(name, dns.TypeDS) != nil && !query.SkipType(dns.TypeDS)) {
			qs = append(qs, Question{Name: name, Type: dns.TypeDS, Probe: probeNoData})
		}
	})
	owners(z, func(name string, sets []*zone.RRSet) {
		// noDataType is a type the owner lacks, never DS, SOA or NS.
		qs = append(qs, Question{Name: name, Type: noDataType(sets), Probe: probeNoData})
	})
	// Random labels: under the apex, every wildcard's parent, every DNAME
	// owner, every empty non-terminal (not below a zone cut).
	parents := []string{z.Origin}
	if len(v.dnames) > 0 {
		owners(z, func(name string, _ []*zone.RRSet) {
			if v.dnames[name] && v.cut(name) == "" {
				parents = append(parents, name)
			}
		})
	}
	owners(z, func(name string, _ []*zone.RRSet) {
		if strings.HasPrefix(name, "*.") && v.cut(name) == "" {
			parents = append(parents, name[2:])
		}
	})
	for _, e := range v.ents {
		if v.cut(e) == "" {
			parents = append(parents, e)
			qs = append(qs, Question{Name: e, Type: dns.TypeA, Probe: probeNoData}) // the ENT itself: NODATA
		}
	}
	seen := map[zone.Key]bool{}
	add := func(name string, t uint16) {
		k := zone.Key{Name: name, Type: t}
		if seen[k] || asked(name, t) {
			return
		}
		seen[k] = true
		qs = append(qs, Question{Name: name, Type: t, Probe: probeRandom})
	}
	for _, p := range parents {
		name := label + "." + p
		add(name, dns.TypeA)
		for _, s := range z.Lookup("*." + p) {
			if !query.SkipType(s.Type) {
				add(name, s.Type)
			}
		}
	}
	return qs
}

// lookup is what an authoritative server loaded with the git zone answers
// (RFC 1034 §4.3.2), and the RRset (for its file:line) the answer rests on.
func (v *view) lookup(qname string, qtype uint16) (*query.Answer, *zone.RRSet) {
	z := v.z
	a := &query.Answer{AA: true}
	var src *zone.RRSet
	soa := z.Get(z.Origin, dns.TypeSOA)
	negative := func(rcode int) { a.Rcode = rcode }
	name := qname
	for hop := 0; hop < 8; hop++ {
		if !z.InZone(name) {
			return a, src
		}
		c, d := v.boundary(name)
		if c != "" && !(c == name && qtype == dns.TypeDS) {
			if hop > 0 {
				return a, src // chain leaves for a delegated zone
			}
			ns := z.Get(c, dns.TypeNS)
			a.AA = false
			a.NS = setRRs(ns, c)
			a.Glue = v.glue(ns, c)
			return a, ns
		}
		if d != nil {
			// RFC 6672 §3.2: a DNAME above the name substitutes its
			// suffix; the answer holds the DNAME and a CNAME synthesized
			// from it (the DNAME's TTL), and the lookup goes on at the
			// new name.
			a.Answer = append(a.Answer, setRRs(d, d.Name)...)
			if src == nil {
				src = d
			}
			t, err := zone.FromRdata(d.Header(), d.Records[0].Rdata)
			if err != nil {
				return a, src
			}
			next := name[:len(name)-len(d.Name)] + zone.Fold(t.(*dns.DNAME).Target)
			if len(next) > 254 { // more than 255 octets on the wire
				a.Rcode = dns.RcodeYXDomain
				return a, src
			}
			var buf [256]byte
			off, err := dns.PackDomainName(next, buf[:], 0, nil, false)
			if err != nil {
				return a, src
			}
			a.Answer = append(a.Answer, query.RR{Name: name, Type: dns.TypeCNAME, TTL: d.TTL, Rdata: string(buf[:off])})
			if qtype == dns.TypeCNAME {
				return a, src
			}
			name = next
			continue
		}
		owner := name
		sets := z.Lookup(name)
		if len(sets) == 0 && !v.exists[name] {
			// wildcard: the source of synthesis under the closest encloser
			ce := parent(name)
			for ce != "" && !v.exists[ce] && ce != z.Origin {
				ce = parent(ce)
			}
			if ce != "" {
				owner = "*." + ce
				sets = z.Lookup(owner)
			}
			// A wildcard that is an empty non-terminal still exists: it
			// is the source of synthesis and answers NODATA (RFC 4592
			// §3.3.1, §4.2).
			if len(sets) == 0 && !v.exists[owner] {
				negative(dns.RcodeNameError)
				if src == nil {
					src = soa
				}
				return a, src
			}
		}
		if s := z.Get(owner, qtype); s != nil {
			a.Answer = append(a.Answer, setRRs(s, name)...)
			if src == nil {
				src = s
			}
			return a, src
		}
		if c := z.Get(owner, dns.TypeCNAME); c != nil && qtype != dns.TypeCNAME {
			a.Answer = append(a.Answer, setRRs(c, name)...)
			if src == nil {
				src = c
			}
			t, err := zone.FromRdata(c.Header(), c.Records[0].Rdata)
			if err != nil {
				return a, src
			}
			name = t.(*dns.CNAME).Target
			continue
		}
		negative(dns.RcodeSuccess)
		if src == nil {
			if len(sets) > 0 {
				src = sets[0]
			} else {
				src = v.below(owner)
			}
		}
		return a, src
	}
	return a, src
}

// dname is the DNAME RRset that applies to name: the one at the ancestor
// of name closest to the apex (RFC 6672 §2.3: the DNAME owner's
// descendants are substituted, not the owner itself); nil when none.
func (v *view) dname(name string) *zone.RRSet {
	if len(v.dnames) == 0 {
		return nil
	}
	var found string
	for n := parent(name); n != "" && v.z.InZone(n); n = parent(n) {
		if v.dnames[n] {
			found = n
		}
	}
	if found == "" {
		return nil
	}
	return v.z.Get(found, dns.TypeDNAME)
}

// glue is the address records of the NS targets of the delegation at cut
// that lie at or below it: what a referral must carry in ADDITIONAL.
func (v *view) glue(ns *zone.RRSet, cut string) []query.RR {
	if ns == nil {
		return nil
	}
	var out []query.RR
	for _, rr := range ns.RRs() {
		n, ok := rr.(*dns.NS)
		if !ok {
			continue
		}
		t := zone.CanonicalName(n.Ns)
		if !dns.IsSubDomain(cut, t) {
			continue
		}
		for _, typ := range []uint16{dns.TypeA, dns.TypeAAAA} {
			out = append(out, setRRs(v.z.Get(t, typ), t)...)
		}
	}
	return out
}

// below is the first RRset below an empty non-terminal.
func (v *view) below(name string) *zone.RRSet {
	sets := v.z.Sets
	i := sort.Search(len(sets), func(i int) bool { return zone.CompareNames(sets[i].Name, name) > 0 })
	if i < len(sets) && dns.IsSubDomain(name, sets[i].Name) {
		return sets[i]
	}
	return v.z.Get(v.z.Origin, dns.TypeSOA)
}

func setRRs(s *zone.RRSet, owner string) []query.RR {
	if s == nil {
		return nil
	}
	out := make([]query.RR, 0, len(s.Records))
	for _, r := range s.Records {
		out = append(out, query.RR{Name: owner, Type: s.Type, TTL: s.TTL, Rdata: r.Rdata})
	}
	return out
}
