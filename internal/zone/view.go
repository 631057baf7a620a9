package zone

import (
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// View is the zone's tree as its authoritative servers walk it (RFC 1034
// §4.3.2): the delegation points (zone cuts), the DNAME owners, which
// names exist (owners and empty non-terminals, RFC 4592 §2.2.2, RFC 8020)
// and the wildcard that answers a name that does not (RFC 4592 §3.3.1).
// It is the one definition of these for check's zone checks and mail
// resolver and for parity's questions and expected answers. Zone.View
// builds it once per zone.
type View struct {
	z      *Zone
	cuts   map[string]bool // NS owners below the apex
	dnames map[string]bool // DNAME owners
	wild   bool            // some owner is a wildcard

	entOnce sync.Once
	ents    []string

	glueOnce sync.Once
	glue     map[string]bool // names an NS RRset at a (served) cut names
}

// View returns the zone's View, built on the first call from the sorted
// Sets (Sort), which must not change afterwards. It is safe for
// concurrent use.
func (z *Zone) View() *View {
	z.viewOnce.Do(func() { z.view = newView(z) })
	return z.view
}

// newView reads the cuts, DNAME owners and wildcards in one pass; the
// empty non-terminals wait until they are asked for.
func newView(z *Zone) *View {
	v := &View{z: z, cuts: map[string]bool{}, dnames: map[string]bool{}}
	for _, s := range z.Sets {
		switch {
		case s.Type == dns.TypeNS && s.Name != z.Origin:
			v.cuts[s.Name] = true
		case s.Type == dns.TypeDNAME:
			v.dnames[s.Name] = true
		}
		if !v.wild && strings.HasPrefix(s.Name, "*.") {
			v.wild = true
		}
	}
	return v
}

// IsCut reports whether name is a delegation point: it owns NS records
// and is not the apex.
func (v *View) IsCut(name string) bool { return v.cuts[name] }

// IsDNAME reports whether name owns a DNAME.
func (v *View) IsDNAME(name string) bool { return v.dnames[name] }

// HasWildcard reports whether some owner of the zone is a wildcard (a
// wildcard that is only an empty non-terminal, as in x.*.w, is not
// counted).
func (v *View) HasWildcard() bool { return v.wild }

// Occludes reports whether the zone has a cut or a DNAME at all, that is
// whether any of its names can be occluded.
func (v *View) Occludes() bool { return len(v.cuts) > 0 || len(v.dnames) > 0 }

// Cut returns the delegation point at or above name closest to the apex,
// "" when there is none: where a server's walk down from the apex leaves
// the zone's data (RFC 1034 §4.3.2, step 3b); a cut below it is occluded.
func (v *View) Cut(name string) string {
	if len(v.cuts) == 0 {
		return ""
	}
	cut, _ := v.above(name)
	return cut
}

// OccludedByCut reports whether a server holding the zone never serves an
// RRset of type t at name, wherever it is held (another copy of the
// zone, a provider's listing), because a delegation of the zone occludes
// it (RFC 1034 §4.3.2 step 3b: the walk down from the apex stops at the
// cut with a referral): name at or below the topmost cut on its way up,
// but for what the referral carries, the NS and DS at that cut and glue,
// an A or AAAA at a name an NS RRset of such a cut names (RFC 1034
// §4.2.1; servers add it whatever cut it lies below). A name below no cut
// is not occluded.
func (v *View) OccludedByCut(name string, t uint16) bool {
	cut := v.Cut(name)
	switch {
	case cut == "":
		return false
	case name == cut && (t == dns.TypeNS || t == dns.TypeDS):
		return false
	case t == dns.TypeA || t == dns.TypeAAAA:
		v.glueOnce.Do(func() {
			v.glue = map[string]bool{}
			for c := range v.cuts {
				if v.Cut(c) != c {
					continue // occluded itself: never a referral
				}
				if s := v.z.Get(c, dns.TypeNS); s != nil {
					for _, rr := range s.RRs() {
						if ns, ok := rr.(*dns.NS); ok {
							v.glue[CanonicalName(ns.Ns)] = true
						}
					}
				}
			}
		})
		return !v.glue[name]
	}
	return true
}

// DNAME returns the DNAME owner at a strict ancestor of name (the apex
// included) closest to the apex, "" when there is none: the DNAME that
// substitutes name (RFC 6672 §2.3; the owner itself is not substituted,
// and a DNAME below another is occluded).
func (v *View) DNAME(name string) string {
	if len(v.dnames) == 0 {
		return ""
	}
	_, dname := v.above(name)
	return dname
}

// above walks up once from name to the apex and returns both Cut(name)
// and DNAME(name), each regardless of the other: the topmost delegation
// point at or above name (never the apex) and the topmost DNAME owner
// strictly above it (the apex included). Boundary and Occluder keep the
// one of the two a server's walk meets first.
func (v *View) above(name string) (cut, dname string) {
	if !v.Occludes() {
		return "", ""
	}
	origin := v.z.Origin
	for n := name; n != "."; n = Parent(n) {
		if len(n) < len(origin) {
			break
		}
		if v.cuts[n] {
			cut = n
		}
		if n != name && v.dnames[n] {
			dname = n
		}
		if n == origin {
			break
		}
	}
	return cut, dname
}

// Boundary is where a server's walk down from the apex to name leaves the
// zone's own data: the cut at or above name, or the DNAME above it,
// whichever is closer to the apex (the other is occluded). At one node
// the cut wins (BIND's database: "NS has precedence over DNAME"). At most
// one of the two is set.
func (v *View) Boundary(name string) (cut, dname string) {
	return first(v.above(name))
}

// Occluder returns the strict ancestor of name where a server's walk
// stops, a delegation point or a DNAME owner (the apex counts only for a
// DNAME), and which of the two ("delegation" or "DNAME"): name's data is
// then never served. "", "" when none.
func (v *View) Occluder(name string) (owner, kind string) {
	if name == v.z.Origin {
		return "", ""
	}
	cut, dname := v.above(name)
	if cut == name {
		cut = "" // name itself is not its own occluder
	}
	switch cut, dname = first(cut, dname); {
	case cut != "":
		return cut, "delegation"
	case dname != "":
		return dname, "DNAME"
	}
	return "", ""
}

// first keeps, of a cut and a DNAME owner both on one name's way up, the
// one closer to the apex (the shorter: each is a suffix of the other), the
// cut at one node.
func first(cut, dname string) (string, string) {
	if cut != "" && (dname == "" || len(cut) <= len(dname)) {
		return cut, ""
	}
	return "", dname
}

// Exists reports whether name owns data or is an empty non-terminal (a
// name with descendants and no data of its own; RFC 4592 §2.2.2, RFC 8020:
// it answers NODATA). In canonical order a name's descendants follow it
// directly, so one binary search over the sorted sets answers.
func (v *View) Exists(name string) bool {
	sets := v.z.Sets
	i := sort.Search(len(sets), func(i int) bool { return CompareNames(sets[i].Name, name) >= 0 })
	return i < len(sets) && (sets[i].Name == name || dns.IsSubDomain(name, sets[i].Name))
}

// Below returns the first RRset strictly below name in canonical order,
// nil when name has no descendants.
func (v *View) Below(name string) *RRSet {
	var first *RRSet
	v.EachBelow(name, func(s *RRSet) bool { first = s; return false })
	return first
}

// EachBelow calls fn with each RRset strictly below name, in canonical
// order, until fn returns false.
func (v *View) EachBelow(name string, fn func(*RRSet) bool) {
	sets := v.z.Sets
	i := sort.Search(len(sets), func(i int) bool { return CompareNames(sets[i].Name, name) > 0 })
	for ; i < len(sets) && dns.IsSubDomain(name, sets[i].Name); i++ {
		if !fn(sets[i]) {
			return
		}
	}
}

// ENTs returns the zone's empty non-terminals below the apex: each in the
// order of its first descendant's owner, bottom-up along that owner's
// ancestors. Found in one pass over the sorted sets: an ancestor of an
// owner that is also an ancestor of (or is) the owner before it was met
// already, as were all names above it.
func (v *View) ENTs() []string {
	v.entOnce.Do(func() {
		origin, prev := v.z.Origin, ""
		for _, s := range v.z.Sets {
			if s.Name == prev {
				continue
			}
			for n := Parent(s.Name); n != origin && n != "." && dns.IsSubDomain(origin, n); n = Parent(n) {
				if prev != "" && dns.IsSubDomain(n, prev) {
					break
				}
				v.ents = append(v.ents, n)
			}
			prev = s.Name
		}
	})
	return v.ents
}

// Encloser returns the closest encloser of a name the zone does not have
// (RFC 4592 §3.3.1): its nearest strict ancestor that exists, else the
// apex.
func (v *View) Encloser(name string) string {
	origin := v.z.Origin
	for n := Parent(name); n != "." && len(n) > len(origin); n = Parent(n) {
		if v.Exists(n) {
			return n
		}
	}
	return origin
}

// Wildcard returns the source of synthesis for a name the zone does not
// have: the wildcard at its closest encloser when that wildcard exists,
// as an owner or an empty non-terminal (RFC 4592 §3.3.1, §4.2: then it
// answers NODATA); "" when there is none (the name is NXDOMAIN).
func (v *View) Wildcard(name string) string {
	if w := "*." + v.Encloser(name); v.Exists(w) {
		return w
	}
	return ""
}
