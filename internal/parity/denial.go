package parity

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// maxDenied bounds the names noted per side as denied (the finding of
// the last one says there are more).
const maxDenied = 20

// denied notes the NSEC and NSEC3 records the servers served (every
// answer's authority section, query.Answer.Denial) that deny a name or a
// type git holds: a record covering a name of git's (NXDOMAIN), or one at
// a name of git's whose type bitmap lacks a type git has there (NODATA).
// Every answer carrying it may validate, and parity's questions all get
// the same answers on both sides, yet a validating resolver that holds
// the record answers from its cache without asking (RFC 8198, aggressive
// use of the DNSSEC-validated cache: Unbound's aggressive-nsec, BIND's
// synth-from-dnssec): a chain not made again after a name was added (a
// presigned zone edited, a signer that failed) hides the name from it
// for the record's TTL. NSEC3 records with the opt-out flag deny no
// name (RFC 8198 §4: no aggressive use of them) and are judged by their
// bitmap only.
type denied struct {
	once  sync.Once
	names []string            // git's authoritative owners, canonical order
	types map[string][]uint16 // the types a record at each of those must list

	mu     sync.Mutex
	hashed map[string][]hashedName // per NSEC3 iterations and salt
	notes  map[[2]string]*deniedNote
	order  [][2]string     // side, name; in the order first noted
	more   map[string]bool // a side with more names denied than noted
}

type hashedName struct{ hash, name string }

type deniedNote struct {
	si     int
	typ    uint16
	record string
	what   string
}

// prepare sets the owners and types git holds that a signed side's chain
// must hold: every owner not occluded (below a cut or a DNAME) but an
// NSEC3 record's (git holding the zone presigned), the cuts with their
// NS and DS only.
func (d *denied) prepare(v *view) {
	d.once.Do(func() {
		d.types = map[string][]uint16{}
		for _, s := range v.z.Sets {
			n := s.Name
			if cut, dname := v.t.Cut(n), v.t.DNAME(n); (cut != "" && cut != n) || dname != "" {
				continue
			}
			if s.Type == dns.TypeNSEC3 || s.Type == dns.TypeRRSIG {
				// A presigned zone's NSEC3 records (and their
				// signatures): their owners are the chain's, no name a
				// signer chains or hashes (RFC 5155 §7.1), so the chain
				// covers their hashes. A name with data has other sets.
				continue
			}
			if len(d.names) == 0 || d.names[len(d.names)-1] != n {
				d.names = append(d.names, n)
			}
			if zone.NotAsked(v.z.Origin, n, s.Type) || (v.t.IsCut(n) && s.Type != dns.TypeNS && s.Type != dns.TypeDS) {
				continue
			}
			d.types[n] = append(d.types[n], s.Type)
		}
	})
}

// judgeDenial notes what the denial records rrs, served by server si,
// deny of git's names and types. Each record is judged in time
// logarithmic in the zone's names (a search, then the names it covers,
// at most maxDenied+1 of them), so that the many answers carrying one
// record cost little.
func (r *runner) judgeDenial(si int, rrs []dns.RR) {
	d := &r.denied
	d.prepare(r.v)
	for _, rr := range rrs {
		var found [][2]string // name, what
		switch x := rr.(type) {
		case *dns.NSEC:
			found = d.nsec(r.v, x)
		case *dns.NSEC3:
			found = d.nsec3(r.v, x)
		}
		if len(found) == 0 {
			continue
		}
		d.mu.Lock()
		if d.notes == nil {
			d.notes, d.more = map[[2]string]*deniedNote{}, map[string]bool{}
		}
		side := r.side(si)
		for _, f := range found {
			k := [2]string{side, f[0]}
			if d.notes[k] != nil {
				continue
			}
			if d.count(side) >= maxDenied {
				d.more[side] = true
				continue
			}
			d.notes[k] = &deniedNote{si: si, typ: rr.Header().Rrtype, record: strings.ReplaceAll(rr.String(), "\t", " "), what: f[1]}
			d.order = append(d.order, k)
		}
		d.mu.Unlock()
	}
}

// count is the names noted on side; d.mu held.
func (d *denied) count(side string) int {
	n := 0
	for _, k := range d.order {
		if k[0] == side {
			n++
		}
	}
	return n
}

// nsec is what x, a record of the zone's own chain, denies of git: each
// name strictly between its owner
// and its next name in canonical order (RFC 4034 §6.1; after the last
// owner when next is the apex or before it), but a name the next name is
// below (it exists, proven by x: an empty non-terminal to a resolver);
// and at its owner, a type git has there that its bitmap lacks.
func (d *denied) nsec(v *view, x *dns.NSEC) [][2]string {
	o, n := zone.CanonicalName(x.Hdr.Name), zone.CanonicalName(x.NextDomain)
	if !dns.IsSubDomain(v.z.Origin, o) {
		return nil
	}
	// A record of a zone below (a side that serves the child too): its
	// owner below a cut or a DNAME, or at a cut as the child's apex
	// (its SOA). The parent's own at a cut lists NS and no SOA.
	if cut, dname := v.t.Boundary(o); dname != "" || (cut != "" && (cut != o || slices.Contains(x.TypeBitMap, dns.TypeSOA))) {
		return nil
	}
	var out [][2]string
	wrap := zone.CompareNames(n, o) <= 0
	i := sort.Search(len(d.names), func(i int) bool { return zone.CompareNames(d.names[i], o) > 0 })
	for ; i < len(d.names); i++ {
		name := d.names[i]
		if !wrap && zone.CompareNames(name, n) >= 0 {
			break
		}
		if dns.IsSubDomain(name, n) {
			continue
		}
		out = append(out, [2]string{name, "covers " + name + ": NXDOMAIN"})
		if len(out) > maxDenied {
			break
		}
	}
	return append(out, d.bitmap(o, o, x.TypeBitMap)...)
}

// nsec3 is what x denies of git (RFC 5155): each name of git, and each
// empty non-terminal, whose hash under x's parameters lies strictly
// between x's owner hash and its next hashed owner (after the last one:
// wrapping round), unless x has the opt-out flag; and at the name whose
// hash x's owner is, a type git has there that its bitmap lacks.
func (d *denied) nsec3(v *view, x *dns.NSEC3) [][2]string {
	label, parent, ok := strings.Cut(zone.CanonicalName(x.Hdr.Name), ".")
	if !ok || x.Hash != dns.SHA1 || x.Flags > 1 || parent != v.z.Origin {
		return nil
	}
	h1, h2 := strings.ToUpper(label), strings.ToUpper(x.NextDomain)
	hs := d.hashes(v, x.Iterations, x.Salt)
	var out [][2]string
	if x.Flags&1 == 0 {
		// The hashes after h1 up to h2, wrapping round past the last.
		i := sort.Search(len(hs), func(i int) bool { return hs[i].hash > h1 })
		wrap := h2 <= h1
		for n := 0; n < len(hs) && len(out) <= maxDenied; n++ {
			j := (i + n) % len(hs)
			if i+n >= len(hs) && !wrap {
				break
			}
			if h := hs[j].hash; h >= h2 && (!wrap || i+n >= len(hs)) {
				break
			}
			if hs[j].hash == h1 {
				break // round to the owner itself: covered no further
			}
			e := hs[j]
			out = append(out, [2]string{e.name, fmt.Sprintf("covers %s (hash %s): NXDOMAIN for it and every name below it", e.name, e.hash)})
		}
	}
	i := sort.Search(len(hs), func(i int) bool { return hs[i].hash >= h1 })
	if i < len(hs) && hs[i].hash == h1 {
		out = append(out, d.bitmap(hs[i].name, hs[i].name, x.TypeBitMap)...)
	}
	return out
}

// bitmap is a denial of each type git has at name that bitmap, the
// types a record at owner lists, lacks.
func (d *denied) bitmap(name, owner string, bitmap []uint16) [][2]string {
	var out [][2]string
	for _, t := range d.types[name] {
		if !slices.Contains(bitmap, t) {
			out = append(out, [2]string{name, fmt.Sprintf("lists no %s at %s: NODATA for %s %s", dns.Type(t), owner, name, dns.Type(t))})
		}
	}
	return out
}

// hashes are git's authoritative names and empty non-terminals hashed
// with iterations and salt (RFC 5155 §5), sorted by hash; made once per
// parameters.
func (d *denied) hashes(v *view, iterations uint16, salt string) []hashedName {
	key := fmt.Sprint(iterations, " ", salt)
	d.mu.Lock()
	defer d.mu.Unlock()
	if hs, ok := d.hashed[key]; ok {
		return hs
	}
	var hs []hashedName
	add := func(n string) {
		hs = append(hs, hashedName{hash: strings.ToUpper(dns.HashName(n, dns.SHA1, iterations, salt)), name: n})
	}
	for _, n := range d.names {
		add(n)
	}
	for _, n := range v.t.ENTs() {
		if cut, dname := v.t.Cut(n), v.t.DNAME(n); cut == "" && dname == "" {
			add(n)
		}
	}
	slices.SortFunc(hs, func(a, b hashedName) int { return strings.Compare(a.hash, b.hash) })
	if d.hashed == nil {
		d.hashed = map[string][]hashedName{}
	}
	d.hashed[key] = hs
	return hs
}

// denialFindings is one error per side and name a server's denial
// records deny (at most maxDenied a side; the last says how many more).
func (r *runner) denialFindings() []Finding {
	d := &r.denied
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Finding
	last := map[string]int{} // side -> index in out of its last finding
	for _, k := range d.order {
		n := d.notes[k]
		f := Finding{Name: k[1], Type: dns.TypeToString[n.typ], Severity: SevError, Kind: "denial",
			Detail: fmt.Sprintf("%s (%s side) served %s, which %s, where git holds %s: a validating resolver that holds it answers so from its cache, without asking, for the record's TTL (RFC 8198 aggressive use: Unbound's aggressive-nsec, BIND's synth-from-dnssec); every answer validates, so nothing else shows it. The side's denial chain was not made again after the zone changed (a presigned zone edited, a signer that failed): have that provider sign the zone again",
				r.servers[n.si].Addr, k[0], n.record, n.what, k[1]), group: r.servers[n.si].Addr}
		if k[0] == "old" {
			f.Old = n.record
		} else {
			f.New = n.record
		}
		if sets := r.z.Lookup(k[1]); len(sets) > 0 {
			p := sets[0].Pos()
			f.File, f.Line = p.File, p.Line
		}
		last[k[0]] = len(out)
		out = append(out, f)
	}
	for side, i := range last {
		if d.more[side] {
			out[i].Detail += fmt.Sprintf(" (and more names on the %s side, not listed)", side)
		}
	}
	return out
}
