package dnssec

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// A validator needs more of a signed answer than valid signatures: the
// proof that a name or a type does not exist, whole. One NSEC covering a
// name is not an NXDOMAIN proof: a wildcard at its closest encloser would
// have answered instead, so the proof must deny it too (RFC 4035 section
// 5.4). With NSEC3 the closest encloser is hashed away and must be shown
// by an NSEC3 matching it, beside the one covering the next closer name
// and the one covering the wildcard (RFC 5155 sections 8.3 and 8.4). An
// answer lacking a part is bogus to every validating resolver: SERVFAIL
// for every name it denies.
//
// proofProblems checks an answer whose every RRset verified
// (verifyResponse): the NXDOMAIN proof (RFC 4035 section 5.4, RFC 5155
// section 8.4), the NODATA proof at the name, at an empty non-terminal
// and at the wildcard that would have answered (RFC 4035 sections
// 3.1.3.1 and 3.1.3.4, RFC 5155 sections 8.5 to 8.7), the proof that a
// wildcard answer was the right one (no closer name: RFC 4035 section
// 5.3.4, RFC 5155 section 8.8), and the proof that a referral's child
// has no DS (RFC 4035 section 5.2, RFC 5155 section 8.9). NSEC3 with
// opt-out (RFC 5155 section 6) may leave insecure delegations out of the
// chain, and with them a name or an empty non-terminal above them only:
// a next closer name covered by an opt-out NSEC3 stands in for its
// match where RFC 5155 allows it (sections 8.6 and 8.9; validators treat
// such an answer as insecure, section 9.2), never for the closest
// encloser or the wildcard.

// denial holds the NSEC and NSEC3 records of an answer's authority
// section that belong to the zone origin.
type denial struct {
	origin string
	nsec   []*dns.NSEC
	nsec3  []*dns.NSEC3
}

func denialRecords(rrs []dns.RR, origin string) denial {
	d := denial{origin: dns.CanonicalName(origin)}
	for _, rr := range rrs {
		switch x := rr.(type) {
		case *dns.NSEC:
			if inZone(x.Hdr.Name, origin) {
				d.nsec = append(d.nsec, x)
			}
		case *dns.NSEC3:
			// RFC 5155 sections 8.1 and 8.2: an unknown hash algorithm or
			// flags other than 0 and 1 are ignored; the owner is one
			// hashed label above the apex.
			if x.Hash == dns.SHA1 && x.Flags <= 1 && equalName(zone.Parent(dns.CanonicalName(x.Hdr.Name)), origin) {
				d.nsec3 = append(d.nsec3, x)
			}
		}
	}
	return d
}

// proofProblems returns what r, the answer of the zone origin's server to
// qname/qtype, lacks of the proofs above (empty: complete). r's RRsets
// must have verified (verifyResponse). It is the method below on r's own
// denial records, for a caller that has not read them.
func proofProblems(r *dns.Msg, origin, qname string, qtype uint16) []string {
	return denialRecords(r.Ns, origin).proofProblems(r, qname, qtype)
}

// proofProblems is proofProblems with d the denial records of r's
// authority section (denialRecords(r.Ns, origin)), read once for every
// use of the answer (the gate's judge also notes their NSEC3 parameters).
func (d denial) proofProblems(r *dns.Msg, qname string, qtype uint16) []string {
	origin, qname := d.origin, dns.CanonicalName(qname)
	var problems []string
	// Every wildcard expansion of the answer (a CNAME chain may hold
	// several) needs its proof of no closer name.
	ans := groupSection(r.Answer)
	for _, k := range ans.order {
		if !inZone(k.name, origin) {
			continue
		}
		if ce, ok := expandedFrom(k.name, ans.sigs[k]); ok {
			if err := d.wildcardAnswer(k.name, ce); err != nil {
				problems = append(problems, fmt.Sprintf("%s: wildcard answer from *.%s: %v", k, ce, err))
			}
		}
	}
	target, answered := chase(r, qname, qtype)
	if answered || !inZone(target, origin) {
		return problems
	}
	var err error
	switch {
	case delegates(r, origin):
		err = d.referral(r, origin)
	case r.Rcode == dns.RcodeNameError:
		err = d.nxdomain(target)
	case r.Rcode == dns.RcodeSuccess:
		err = d.nodata(target, qtype)
	default:
		return problems
	}
	if err != nil {
		problems = append(problems, err.Error())
	}
	return problems
}

// chase follows the answer's CNAME chain from qname (a DNAME's
// synthesized CNAME included) and returns the name it ends at and
// whether the answer holds qtype there.
func chase(r *dns.Msg, qname string, qtype uint16) (string, bool) {
	name := qname
	for range len(r.Answer) + 1 {
		next := ""
		for _, rr := range r.Answer {
			h := rr.Header()
			if !equalName(h.Name, name) {
				continue
			}
			if h.Rrtype == qtype || qtype == dns.TypeANY {
				return name, true
			}
			if c, ok := rr.(*dns.CNAME); ok && next == "" {
				next = dns.CanonicalName(c.Target)
			}
		}
		if next == "" {
			return name, false
		}
		name = next
	}
	return name, false // a CNAME loop: nothing to prove
}

// expandedFrom reports whether an RRset owned by name was expanded from a
// wildcard, and the wildcard's closest encloser: its RRSIG counts fewer
// labels than the owner (RFC 4034 section 3.1.3; RFC 4035 section 5.3.4).
// The wildcard owner itself ("*.w") signs with one label fewer and is no
// expansion.
func expandedFrom(name string, sigs []*dns.RRSIG) (string, bool) {
	n := dns.CountLabel(name)
	if strings.HasPrefix(name, "*.") {
		n--
	}
	for _, s := range sigs {
		if int(s.Labels) < n {
			return ancestor(name, int(s.Labels)), true
		}
	}
	return "", false
}

// useNSEC3 reports whether the proofs take the answer's NSEC3 records:
// when it holds no NSEC.
func (d denial) useNSEC3() bool { return len(d.nsec) == 0 && len(d.nsec3) > 0 }

func (d denial) none() error {
	return fmt.Errorf("no NSEC or NSEC3 record of %s to prove it", d.origin)
}

// nxdomain is the NXDOMAIN proof of qname.
func (d denial) nxdomain(qname string) error {
	if d.useNSEC3() {
		ce, nc, err := d.closestEncloser(qname)
		if err != nil {
			return fmt.Errorf("incomplete NXDOMAIN proof: %w (RFC 5155 sections 8.3 and 8.4)", err)
		}
		wc := "*." + ce
		if d.nsec3At(wc) != nil {
			return fmt.Errorf("NXDOMAIN proof contradicts itself: an NSEC3 matches the wildcard %s at the closest encloser %s, which should have answered", wc, ce)
		}
		if d.nsec3Covering(wc) == nil {
			return fmt.Errorf("incomplete NXDOMAIN proof: no NSEC3 covers the wildcard %s at the closest encloser %s (RFC 5155 section 8.4; the NSEC3 matching %s and the one covering the next closer name %s are there)", wc, ce, ce, nc)
		}
		return nil
	}
	if len(d.nsec) == 0 {
		return d.none()
	}
	if n := d.nsecAt(qname); n != nil {
		return fmt.Errorf("NXDOMAIN proof contradicts itself: the NSEC owned by %s shows the name exists", qname)
	}
	cover := d.nsecCovering(qname)
	if cover == nil {
		if n, kind := d.nsecAbove(qname); n != nil {
			return fmt.Errorf("bogus NXDOMAIN proof: the only NSEC covering the name is owned by %s (a %s), which proves nothing below it: the name is not this zone's to deny%s", n.Hdr.Name, kind, map[bool]string{true: " (the server should have answered with the DNAME)", false: ""}[kind == "DNAME"])
		}
		return fmt.Errorf("incomplete NXDOMAIN proof: no NSEC covers the name (RFC 4035 section 5.4)")
	}
	if dns.IsSubDomain(qname, cover.NextDomain) {
		return fmt.Errorf("NXDOMAIN for an empty non-terminal: the NSEC %s -> %s shows names below it (RFC 8020: resolvers take NXDOMAIN as denying them all)", cover.Hdr.Name, cover.NextDomain)
	}
	ce := nsecEncloser(qname, cover)
	wc := "*." + ce
	if d.nsecAt(wc) != nil {
		return fmt.Errorf("NXDOMAIN proof contradicts itself: the NSEC owned by %s shows a wildcard that should have answered", wc)
	}
	if d.nsecCovering(wc) == nil {
		return fmt.Errorf("incomplete NXDOMAIN proof: no NSEC proves there is no wildcard %s at the closest encloser %s (RFC 4035 section 5.4: the NSEC covering the name, %s -> %s, is there; the one denying the wildcard is not)", wc, ce, cover.Hdr.Name, cover.NextDomain)
	}
	return nil
}

// nodata is the NODATA proof of qname/qtype: the name exists (or is an
// empty non-terminal) without the type, or a wildcard that exists
// without it would have answered.
func (d denial) nodata(qname string, qtype uint16) error {
	t := dns.TypeToString[qtype]
	if d.useNSEC3() {
		if m := d.nsec3At(qname); m != nil {
			// RFC 5155 section 8.5 (8.6 for DS): an empty non-terminal's
			// NSEC3 has an empty type bit map.
			if bad := typesPresent(m.TypeBitMap, qtype); bad != "" {
				return fmt.Errorf("NODATA proof contradicts itself: the NSEC3 matching the name lists %s (RFC 5155 section 8.5)", bad)
			}
			return nil
		}
		if equalName(qname, d.origin) {
			return fmt.Errorf("incomplete NODATA proof: no NSEC3 matches the name, the apex (RFC 5155 section 8.5)")
		}
		ce, nc, err := d.closestEncloser(qname)
		if err != nil {
			return fmt.Errorf("incomplete NODATA proof: no NSEC3 matches the name (RFC 5155 section 8.5), and no closest encloser proof either: %w", err)
		}
		if w := d.nsec3At("*." + ce); w != nil {
			// RFC 5155 section 8.7: a wildcard's NODATA.
			if bad := typesPresent(w.TypeBitMap, qtype); bad != "" {
				return fmt.Errorf("wildcard NODATA proof contradicts itself: the NSEC3 matching *.%s lists %s (RFC 5155 section 8.7)", ce, bad)
			}
			return nil
		}
		if n := d.nsec3Covering(nc); n != nil && n.Flags&1 == 1 {
			// Opt-out: the name may be an insecure delegation or an
			// empty non-terminal above them only, left out of the chain
			// (RFC 5155 sections 6, 8.6 and 9.2): insecure, not bogus.
			return nil
		}
		return fmt.Errorf("incomplete NODATA proof: no NSEC3 matches the name (RFC 5155 section 8.5), none matches the wildcard *.%s at its closest encloser (section 8.7), and the NSEC3 covering the next closer name %s is not opt-out (sections 6 and 8.6)", ce, nc)
	}
	if len(d.nsec) == 0 {
		return d.none()
	}
	if m := d.nsecAt(qname); m != nil {
		if bad := typesPresent(m.TypeBitMap, qtype); bad != "" {
			return fmt.Errorf("NODATA proof contradicts itself: the NSEC owned by the name lists %s (RFC 4035 section 5.4)", bad)
		}
		return nil
	}
	cover := d.nsecCovering(qname)
	if cover == nil {
		return fmt.Errorf("incomplete NODATA proof for %s: no NSEC is owned by the name or covers it (RFC 4035 sections 3.1.3.1 and 5.4)", t)
	}
	if dns.IsSubDomain(qname, cover.NextDomain) && !equalName(qname, cover.NextDomain) {
		// An empty non-terminal owns no NSEC: the one before it, whose
		// next name is below it, shows it exists (RFC 4592 section
		// 2.2.2) and owns nothing.
		return nil
	}
	ce := nsecEncloser(qname, cover)
	w := d.nsecAt("*." + ce)
	if w == nil {
		return fmt.Errorf("incomplete NODATA proof for %s: no NSEC is owned by the name, the NSEC covering it (%s -> %s) shows it does not exist and no name below it, and no NSEC owned by the wildcard *.%s shows the wildcard that would answer without %s (RFC 4035 section 3.1.3.4)", t, cover.Hdr.Name, cover.NextDomain, ce, t)
	}
	if bad := typesPresent(w.TypeBitMap, qtype); bad != "" {
		return fmt.Errorf("wildcard NODATA proof contradicts itself: the NSEC owned by *.%s lists %s (RFC 4035 section 3.1.3.4)", ce, bad)
	}
	return nil
}

// wildcardAnswer is the proof that name, answered from the wildcard at
// its encloser ce, does not exist itself and no name closer to it does.
func (d denial) wildcardAnswer(name, ce string) error {
	if d.useNSEC3() {
		// RFC 5155 section 8.8: the next closer name is covered (an
		// opt-out cover too: insecure, section 9.2).
		nc := nextCloser(name, ce)
		if d.nsec3Covering(nc) == nil {
			return fmt.Errorf("no NSEC3 covers the next closer name %s (RFC 5155 section 8.8): nothing shows the name does not exist", nc)
		}
		return nil
	}
	if len(d.nsec) == 0 {
		return d.none()
	}
	cover := d.nsecCovering(name)
	if cover == nil {
		return fmt.Errorf("no NSEC covers %s (RFC 4035 section 5.3.4): nothing shows the name does not exist", name)
	}
	if got := nsecEncloser(name, cover); !equalName(got, ce) {
		return fmt.Errorf("the NSEC covering it (%s -> %s) shows %s exists, closer than the wildcard's encloser (RFC 4035 section 5.3.4)", cover.Hdr.Name, cover.NextDomain, got)
	}
	return nil
}

// referral is the proof that the delegation r refers to has no DS, when
// r carries no DS RRset (a DS RRset verified with the answer).
func (d denial) referral(r *dns.Msg, origin string) error {
	cut := ""
	for _, rr := range r.Ns {
		h := rr.Header()
		switch {
		case h.Rrtype == dns.TypeDS && inZone(h.Name, origin):
			return nil
		case h.Rrtype == dns.TypeNS && inZone(h.Name, origin) && !equalName(h.Name, origin):
			cut = dns.CanonicalName(h.Name)
		}
	}
	if d.useNSEC3() {
		if m := d.nsec3At(cut); m != nil {
			if !hasType(m.TypeBitMap, dns.TypeNS) || hasType(m.TypeBitMap, dns.TypeDS) || hasType(m.TypeBitMap, dns.TypeSOA) {
				return fmt.Errorf("referral to %s without DS: the NSEC3 matching it does not show a delegation without DS (NS set, DS and SOA clear; RFC 5155 section 8.9)", cut)
			}
			return nil
		}
		_, nc, err := d.closestEncloser(cut)
		if err != nil {
			return fmt.Errorf("referral to %s without DS: no NSEC3 matches it and no closest encloser proof either (RFC 5155 section 8.9): %w", cut, err)
		}
		if n := d.nsec3Covering(nc); n == nil || n.Flags&1 == 0 {
			return fmt.Errorf("referral to %s without DS: no NSEC3 matches it, and the NSEC3 covering the next closer name %s is not opt-out (RFC 5155 section 8.9)", cut, nc)
		}
		return nil
	}
	m := d.nsecAt(cut)
	if m == nil {
		return fmt.Errorf("referral to %s without DS and without the NSEC owned by %s that proves there is none (RFC 4035 section 5.2)", cut, cut)
	}
	if !hasType(m.TypeBitMap, dns.TypeNS) || hasType(m.TypeBitMap, dns.TypeDS) || hasType(m.TypeBitMap, dns.TypeSOA) {
		return fmt.Errorf("referral to %s without DS: its NSEC does not show a delegation without DS (NS set, DS and SOA clear; RFC 4035 section 5.2)", cut)
	}
	return nil
}

// closestEncloser is the closest encloser proof of qname (RFC 5155
// section 8.3): the longest ancestor of qname an NSEC3 matches, and the
// name one label longer (the next closer name), which an NSEC3 must
// cover. The encloser's NSEC3 must not be a DNAME's, nor a delegation's
// (NS without SOA): the name would belong to another zone. qname itself
// matched means it exists.
func (d denial) closestEncloser(qname string) (ce, nc string, err error) {
	if len(d.nsec3) == 0 {
		return "", "", d.none()
	}
	if d.nsec3At(qname) != nil {
		return "", "", fmt.Errorf("an NSEC3 matches %s itself: the name exists", qname)
	}
	var m *dns.NSEC3
	for n := zone.Parent(qname); inZone(n, d.origin); n = zone.Parent(n) {
		if m = d.nsec3At(n); m != nil {
			ce = n
			break
		}
		if equalName(n, d.origin) {
			break
		}
	}
	if m == nil {
		return "", "", fmt.Errorf("no NSEC3 matches the closest encloser: none matches an ancestor of %s up to the apex %s", qname, d.origin)
	}
	if kind := cutKind(m.TypeBitMap); kind != "" {
		return "", "", fmt.Errorf("the NSEC3 matching the closest encloser %s (a %s) proves nothing below it: the name is not this zone's to deny", ce, kind)
	}
	nc = nextCloser(qname, ce)
	if d.nsec3Covering(nc) == nil {
		return ce, nc, fmt.Errorf("an NSEC3 matches the closest encloser %s, but none covers the next closer name %s", ce, nc)
	}
	return ce, nc, nil
}

// nextCloser is the ancestor of name (or name) one label longer than its
// ancestor ce.
func nextCloser(name, ce string) string {
	return ancestor(name, dns.CountLabel(ce)+1)
}

// nsec3At is the NSEC3 matching name.
func (d denial) nsec3At(name string) *dns.NSEC3 {
	for _, n := range d.nsec3 {
		if n.Match(name) {
			return n
		}
	}
	return nil
}

// nsec3Covering is an NSEC3 covering name: its hash falls strictly
// between the owner's and the next hashed owner name. miekg/dns's Cover
// also says yes when the hash equals the owner's (a match, which proves
// the name exists): that is left out.
func (d denial) nsec3Covering(name string) *dns.NSEC3 {
	for _, n := range d.nsec3 {
		if n.Cover(name) && !n.Match(name) {
			return n
		}
	}
	return nil
}

// nsecAt is the NSEC owned by name.
func (d denial) nsecAt(name string) *dns.NSEC {
	for _, n := range d.nsec {
		if equalName(n.Hdr.Name, name) {
			return n
		}
	}
	return nil
}

// nsecCovering is an NSEC covering name: name falls strictly between its
// owner and next name in canonical order (the last NSEC of the chain,
// whose next name is the apex, covers every name after its owner). An
// NSEC owned by an ancestor of name that is a delegation (NS without SOA)
// or a DNAME denies nothing below it: those names are not this zone's
// (RFC 5155 section 8.3 says it for NSEC3; validators apply it to NSEC).
func (d denial) nsecCovering(name string) *dns.NSEC {
	less := func(a, b string) bool { return zone.CompareNames(a, b) < 0 }
	for _, n := range d.nsec {
		owner, next := n.Hdr.Name, n.NextDomain
		if equalName(owner, name) || equalName(next, name) {
			continue
		}
		var covers bool
		if less(owner, next) {
			covers = less(owner, name) && less(name, next)
		} else { // the last NSEC: next is the apex (or the only name)
			covers = less(owner, name) || less(name, next)
		}
		if !covers {
			continue
		}
		if inZone(name, owner) && cutKind(n.TypeBitMap) != "" {
			continue
		}
		return n
	}
	return nil
}

// nsecAbove is an NSEC that would cover name but for being owned by an
// ancestor of it that is a DNAME or a delegation (nsecCovering), and
// which of the two.
func (d denial) nsecAbove(name string) (*dns.NSEC, string) {
	for _, n := range d.nsec {
		if kind := cutKind(n.TypeBitMap); kind != "" && inZone(name, n.Hdr.Name) && !equalName(name, n.Hdr.Name) {
			return n, kind
		}
	}
	return nil, ""
}

// cutKind says whether an NSEC or NSEC3 type bit map is a DNAME owner's
// ("DNAME") or a delegation's (NS without SOA: "delegation"), below
// which its zone has nothing; "" otherwise.
func cutKind(bitmap []uint16) string {
	switch {
	case hasType(bitmap, dns.TypeDNAME):
		return "DNAME"
	case hasType(bitmap, dns.TypeNS) && !hasType(bitmap, dns.TypeSOA):
		return "delegation"
	}
	return ""
}

// nsecEncloser is the closest encloser of name an NSEC covering it
// shows: the longest ancestor of name that is an ancestor of (or is) the
// NSEC's owner or its next name, both of which exist.
func nsecEncloser(name string, n *dns.NSEC) string {
	k := max(dns.CompareDomainName(name, n.Hdr.Name), dns.CompareDomainName(name, n.NextDomain))
	return ancestor(dns.CanonicalName(name), k)
}

func hasType(bitmap []uint16, t uint16) bool {
	for _, b := range bitmap {
		if b == t {
			return true
		}
	}
	return false
}

// typesPresent names what of qtype and CNAME a NODATA proof's type bit
// map lists (it must list neither); "" when none.
func typesPresent(bitmap []uint16, qtype uint16) string {
	var out []string
	for _, t := range []uint16{qtype, dns.TypeCNAME} {
		if hasType(bitmap, t) && (len(out) == 0 || t != qtype) {
			out = append(out, dns.TypeToString[t])
		}
	}
	return strings.Join(out, " and ")
}
