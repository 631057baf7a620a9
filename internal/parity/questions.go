package parity

import (
	"crypto/rand"
	"encoding/hex"
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

// view is what parity knows about the zone from git: its tree (cuts,
// DNAMEs, which names exist, empty non-terminals, wildcards), as
// zone.View defines it for check and parity alike.
type view struct {
	z *zone.Zone
	t *zone.View
}

func newView(z *zone.Zone) *view {
	return &view{z: z, t: z.View()}
}

// boundary is where a server's walk down the tree to name leaves git's own
// data (zone.View.Boundary): the zone cut at or above name, or the DNAME
// RRset above it. At most one is set.
func (v *view) boundary(name string) (cut string, d *zone.RRSet) {
	cut, owner := v.t.Boundary(name)
	if owner != "" {
		d = v.z.Get(owner, dns.TypeDNAME)
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
	ents := v.t.ENTs()
	qs := make([]Question, 0, len(z.Sets)+len(z.Sets)/2+len(ents)+16)
	apex := func(t uint16) bool { return t == dns.TypeSOA || t == dns.TypeNS }
	qs = append(qs, Question{Name: z.Origin, Type: dns.TypeSOA, Probe: probeRRset}, Question{Name: z.Origin, Type: dns.TypeNS, Probe: probeRRset})
	for _, s := range z.Sets {
		if zone.NotAsked(z.Origin, s.Name, s.Type) || (s.Name == z.Origin && apex(s.Type)) {
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
		if !zone.NotAsked(z.Origin, name, t) && z.Get(name, t) != nil {
			return true
		}
		if sets := z.Lookup(name); len(sets) > 0 {
			return t == noDataType(sets) || (t == dns.TypeDS && v.t.IsCut(name))
		}
		return t == dns.TypeA && v.t.Exists(name) && v.t.Cut(name) == ""
	}
	qs = v.ownerQuestions(qs)
	// Random labels: under the apex, every wildcard's parent, every DNAME
	// owner, every owner with names below it, every empty non-terminal
	// (not below a zone cut).
	parents := []string{z.Origin}
	if v.t.Occludes() {
		owners(z, func(name string, _ []*zone.RRSet) {
			if v.t.IsDNAME(name) && v.t.Cut(name) == "" {
				parents = append(parents, name)
			}
		})
	}
	var wilds []string // the wildcards' parents
	owners(z, func(name string, _ []*zone.RRSet) {
		if strings.HasPrefix(name, "*.") && v.t.Cut(name) == "" {
			parents = append(parents, name[2:])
			wilds = append(wilds, name[2:])
		}
	})
	// Every owner with names below it: a wildcard there on one side only
	// (left from a setup made by hand, or a provider's own) answers the
	// names git does not have, and only the random label finds it
	// without --axfr. Owners are in canonical order, so a parent's
	// children follow it: one set of the parents seen.
	withChildren := map[string]bool{}
	owners(z, func(name string, _ []*zone.RRSet) {
		if name == z.Origin || strings.HasPrefix(name, "*.") {
			return
		}
		p := zone.Parent(name)
		if p != z.Origin && !withChildren[p] && z.Lookup(p) != nil && v.t.Cut(p) == "" && !v.t.IsDNAME(p) {
			withChildren[p] = true
			parents = append(parents, p)
		}
	})
	for _, e := range ents {
		if v.t.Cut(e) == "" {
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
	probe := func(name, p string) {
		if zone.WireLen(name) > 255 {
			// No name below p fits a random label: p (an empty
			// non-terminal, a wildcard's parent) is within a few
			// octets of the 255 a name may take.
			return
		}
		add(name, dns.TypeA)
		for _, s := range z.Lookup("*." + p) {
			if !zone.NotAsked(z.Origin, s.Name, s.Type) {
				add(name, s.Type)
			}
		}
	}
	for _, p := range parents {
		probe(label+"."+p, p)
	}
	// Wildcard semantics servers get wrong, each asked where git has a
	// wildcard: a name two labels below its parent, which it covers too
	// (RFC 1034 §4.3.3: any number of labels; hickory-dns matches one
	// and answers NXDOMAIN), and a name below a few of the owners below
	// its parent that have no names below them (those that have are
	// asked above), which it does not cover (RFC 4592 §2.2.1: the owner
	// is the closest encloser, without a wildcard; a server that walks
	// up to the next wildcard synthesizes there). How a server
	// synthesizes is its code, not its data: a few names tell.
	for _, p := range wilds {
		probe(label+"."+label+"."+p, p)
	}
	for _, o := range v.wildcardOwners(wilds, withChildren) {
		if n := label + "." + o; zone.WireLen(n) <= 255 {
			add(n, dns.TypeA)
		}
	}
	return qs
}

// ownerQuestions appends to qs the DS at every delegation, which is the
// parent's authoritative data (a missing or different DS breaks DNSSEC
// for the child), asked also where git has none, so that a DS on one
// side only is seen; and for every owner a type it lacks (noDataType:
// never DS, SOA or NS).
func (v *view) ownerQuestions(qs []Question) []Question {
	z := v.z
	owners(z, func(name string, _ []*zone.RRSet) {
		if v.t.IsCut(name) && !(z.Get(name, dns.TypeDS) != nil && !zone.NotData(dns.TypeDS)) {
			qs = append(qs, Question{Name: name, Type: dns.TypeDS, Probe: probeNoData})
		}
	})
	owners(z, func(name string, sets []*zone.RRSet) {
		qs = append(qs, Question{Name: name, Type: noDataType(sets), Probe: probeNoData})
	})
	return qs
}

// wildcardOwners are, in canonical order, up to wildcardOwnerProbes
// owners below each wildcard's parent of wilds (its closest one) that
// have no names below them (withChildren: those that have, asked as
// parents), are no zone cut, DNAME or name below one: a name below each
// is not covered by the wildcard (see questions).
func (v *view) wildcardOwners(wilds []string, withChildren map[string]bool) []string {
	if len(wilds) == 0 {
		return nil
	}
	z := v.z
	below := map[string]int{} // the owners taken under each wildcard's parent
	isWild := map[string]bool{}
	for _, p := range wilds {
		isWild[p] = true
	}
	var out []string
	owners(z, func(name string, _ []*zone.RRSet) {
		if strings.HasPrefix(name, "*.") || withChildren[name] || v.t.Cut(name) != "" || v.t.IsDNAME(name) || v.t.DNAME(name) != "" || v.t.Below(name) != nil {
			return
		}
		for p := zone.Parent(name); p != "." && dns.IsSubDomain(z.Origin, p); p = zone.Parent(p) {
			if isWild[p] {
				if below[p] < wildcardOwnerProbes {
					below[p]++
					out = append(out, name)
				}
				return
			}
		}
	})
	return out
}

// wildcardOwnerProbes is how many owners below a wildcard's parent get a
// random label below them (see questions).
const wildcardOwnerProbes = 3

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
			// More than 255 octets on the wire (the presentation form's
			// length says nothing: "\128" is one octet) is YXDOMAIN.
			if zone.WireLen(next) > 255 {
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
		if len(sets) == 0 && !v.t.Exists(name) {
			// The source of synthesis at the closest encloser (RFC 4592
			// §3.3.1); a wildcard that is an empty non-terminal answers
			// NODATA (§4.2).
			if owner = v.t.Wildcard(name); owner == "" {
				negative(dns.RcodeNameError)
				if src == nil {
					src = soa
				}
				return a, src
			}
			sets = z.Lookup(owner)
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

// below is the first RRset below an empty non-terminal, else the apex
// SOA.
func (v *view) below(name string) *zone.RRSet {
	if s := v.t.Below(name); s != nil {
		return s
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
