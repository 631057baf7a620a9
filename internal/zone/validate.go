package zone

import (
	"encoding/base32"
	"fmt"
	"runtime"
	"strings"

	"github.com/miekg/dns"
)

// Validate runs the semantic checks of named-checkzone (BIND 9.18,
// "-i local") on a loaded zone and returns what it finds, in file and line
// order. It does not repeat the problems found while loading
// (Zone.Problems); Check returns both.
//
// Errors are what makes BIND refuse the zone (and a missing REQUIRED glue
// record, which BIND only logs but which breaks the delegation); warnings are
// what BIND logs while still loading it. The rules, each with BIND's own
// message in brackets:
//
//   - exactly one SOA, at the apex; NS records at the apex [has 0 SOA records,
//     has no NS records, multiple RRs of singleton type, not at top of zone]
//   - CNAME and other data at one name (RRSIG, NSEC, KEY, SIG, NXT allowed),
//     one CNAME and one DNAME per name [CNAME and other data]
//   - NS owner not a wildcard; DS not at the apex (a warning elsewhere when
//     the name is not a delegation)
//   - apex NS targets in the zone: not a CNAME, not below a DNAME, with an
//     address (error); delegation NS targets: REQUIRED glue (error), sibling
//     glue, CNAME, address (warnings); MX and SRV targets: CNAME or no
//     address (warnings)
//   - RRsets whose records have different TTLs (warning: BIND serves the
//     first TTL), data occluded by a delegation or a DNAME (warning)
//   - CDS/CDNSKEY matching a DNSKEY, SVCB/HTTPS mandatory keys present,
//     NSEC3 owner names in base32hex
//   - check-names (checknames.go): A/AAAA owners, MX/SRV targets and the
//     SOA MNAME are host names (warning, as named-checkzone; named as a
//     primary refuses the zone) [bad owner name (check-names)]
func Validate(z *Zone) []Problem {
	return validated(z).ps
}

// validated is Validate's problems, bounded like z's problems, with what
// it dropped.
func validated(z *Zone) *problemHeap {
	v := &validator{z: z, t: z.View()}
	v.out.limit, v.out.bound = z.limit(), z.OriginBound
	v.run()
	sortProblems(v.out.ps)
	return &v.out
}

type validator struct {
	z   *Zone
	t   *View // cuts, DNAMEs, wildcards, which names exist
	out problemHeap
	// doubled is the zone's name twice in wire form (doubledNames; "-":
	// none), computed once.
	doubled string
}

func (v *validator) add(pos Pos, sev Severity, format string, args ...any) {
	pos = v.filed(pos)
	if v.out.drops(pos, sev) {
		return
	}
	v.out.push(Problem{Pos: pos, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// filed is pos in the zone's file when it names none.
func (v *validator) filed(pos Pos) Pos {
	if pos.File == "" {
		pos.File = v.z.File
	}
	return pos
}

// atCNAME lists the types allowed beside a CNAME (BIND 9.18's ATCNAME
// attribute: RFC 2181 §10.1, RFC 4035 §2.5).
func atCNAME(t uint16) bool {
	switch t {
	case dns.TypeCNAME, dns.TypeRRSIG, dns.TypeNSEC, dns.TypeKEY, dns.TypeSIG, dns.TypeNXT:
		return true
	}
	return false
}

func (v *validator) run() {
	z := v.z
	origin := z.Origin

	// The apex: an SOA and NS records missing are named at the line where
	// they belong (named-checkzone names no line: "has 0 SOA records").
	soa, ns := z.idx.get(origin, dns.TypeSOA), z.idx.get(origin, dns.TypeNS)
	if (soa == nil || ns == nil) && !z.unread[origin] {
		first := v.firstRecord()
		// Pushed whole, not through add's drops: a wrong origin may
		// cause them (OriginBound), and what is dropped is told so.
		if soa == nil {
			v.out.push(Problem{v.filed(onLine(first)), Error, noSOA(origin, ns, first)})
		}
		if ns == nil {
			at := first
			if soa != nil {
				at = soa.Pos()
			}
			v.out.push(Problem{v.filed(onLine(at)), Error, noNS(origin, soa != nil, at)})
		}
	}

	// The names, in two halves on two cores for a large zone (the
	// validator only reads the zone; each half has its own output).
	sets := z.Sets
	if n := len(sets); n > 50000 && runtime.GOMAXPROCS(0) > 1 {
		mid := n / 2
		for mid < n && sets[mid].Name == sets[mid-1].Name {
			mid++
		}
		other := &validator{z: z, t: v.t}
		other.out.limit, other.out.bound = v.out.limit, v.out.bound
		done := make(chan struct{})
		go func() {
			other.names(sets[mid:])
			close(done)
		}()
		v.names(sets[:mid])
		<-done
		for _, p := range other.out.ps {
			v.out.push(p)
		}
		v.out.add(&other.out)
	} else {
		v.names(sets)
	}
	v.cnameLoops()
}

// firstRecord is where the zone's first record was written: the first
// line of the zone file that holds one (else of a file it includes); line
// 0 when the zone has no record (a problem's position is never line 0:
// that stands for a count of problems left out).
func (v *validator) firstRecord() Pos {
	first := Pos{File: v.z.File}
	for _, s := range v.z.Sets {
		for _, r := range s.Records {
			p := r.Pos
			switch {
			case p.Line == 0:
			case first.Line == 0,
				p.File == v.z.File && (first.File != v.z.File || p.Line < first.Line),
				p.File == first.File && p.Line < first.Line:
				first = p
			}
		}
	}
	return first
}

// onLine is p, or the first line of its file when p has no line (a zone
// with no record: the message says so).
func onLine(p Pos) Pos {
	if p.Line == 0 {
		p.Line = 1
	}
	return p
}

// noSOA says that the zone has no SOA at its apex, and how to add one (the
// MNAME its first NS names, else ns1 of the zone), where at is: its first
// record, or none (line 0): the file holds no record.
func noSOA(origin string, ns *RRSet, at Pos) string {
	mname := "ns1." + origin
	if ns != nil && len(ns.Records) > 0 {
		if n := rdataName(ns.Records[0].Rdata, 0); n != "" {
			mname = n
		}
	}
	if origin == "." {
		mname = "ns1."
	}
	add := fmt.Sprintf("add one before this first record: @ IN SOA %s hostmaster.%s 1 7200 3600 1209600 3600", mname, strings.TrimPrefix(origin, "."))
	if at.Line == 0 {
		add = fmt.Sprintf("the file holds no records; a zone starts with its SOA, e.g. @ IN SOA %s hostmaster.%s 1 7200 3600 1209600 3600", mname, strings.TrimPrefix(origin, "."))
	}
	return noSOAHead(origin) + add
}

// noSOAHead and noNSHead begin noSOA's and noNS's messages, by which
// Zone.OriginBound knows them.
func noSOAHead(origin string) string {
	return "zone " + origin + " has no SOA record at the apex: "
}

func noNSHead(origin string) string {
	return "zone " + origin + " has no NS records at the apex: "
}

// noNS says that the zone has no NS records at its apex, and where to add
// them: after its SOA (at), else with the SOA before the first record.
func noNS(origin string, haveSOA bool, at Pos) string {
	switch {
	case haveSOA:
		return fmt.Sprintf("%sadd its nameservers after this SOA, e.g. @ IN NS ns1.%s", noNSHead(origin), strings.TrimPrefix(origin, "."))
	case at.Line == 0:
		return noNSHead(origin) + "the file holds no records"
	}
	return noNSHead(origin) + "add them with the SOA, before this first record"
}

// maxChain is how many in-zone CNAME hops are fine; resolvers give up on
// longer chains (BIND follows at most 16 in all, Unbound 11 by default).
const maxChain = 8

// cnameLoops finds in-zone CNAME chains that loop (an error: every
// resolver answers SERVFAIL) or that are longer than maxChain (a warning).
// Not a named-checkzone check.
func (v *validator) cnameLoops() {
	z := v.z
	// A CNAME's canonical RDATA is its target, uncompressed.
	target := func(s *RRSet) string {
		if len(s.Records) == 0 {
			return ""
		}
		return rdataName(s.Records[0].Rdata, 0)
	}
	reported := map[string]bool{} // loops, by their smallest member
	for _, s := range z.Sets {
		if s.Type != dns.TypeCNAME {
			continue
		}
		chain := []string{s.Name}
		seen := map[string]int{s.Name: 0}
		for cur := s; len(chain) <= 2*maxChain; {
			t := target(cur)
			if t == "" || !z.InZone(t) {
				break
			}
			if i, loop := seen[t]; loop {
				members := chain[i:]
				first := 0
				for j, n := range members {
					if CompareNames(n, members[first]) < 0 {
						first = j
					}
				}
				if !reported[members[first]] {
					reported[members[first]] = true
					ordered := append(append([]string(nil), members[first:]...), members[:first]...)
					ordered = append(ordered, ordered[0])
					v.add(z.idx.get(ordered[0], dns.TypeCNAME).Pos(), Error, "CNAME loop: %s (resolvers answer SERVFAIL)", strings.Join(ordered, " → "))
				}
				chain = nil
				break
			}
			next := z.idx.get(t, dns.TypeCNAME)
			if next == nil {
				break
			}
			seen[t] = len(chain)
			chain = append(chain, t)
			cur = next
		}
		// Each name in chain is one CNAME a resolver follows.
		if hops := len(chain); hops > maxChain {
			v.add(s.Pos(), Warning, "CNAME chain of %d or more in-zone hops from %s (resolvers may give up after %d)", hops, s.Name, maxChain)
		}
	}
}

// names checks sets, whole names at a time.
func (v *validator) names(sets []*RRSet) {
	for i := 0; i < len(sets); {
		j := i + 1
		for j < len(sets) && sets[j].Name == sets[i].Name {
			j++
		}
		v.name(sets[i:j])
		i = j
	}
}

// name checks the RRsets of one owner name.
func (v *validator) name(sets []*RRSet) {
	z := v.z
	name := sets[0].Name
	apex := name == z.Origin
	occluder, kind := v.t.Occluder(name)

	v.spfType(sets)
	v.innerStar(sets[0])
	v.doubledNames(sets)
	v.idnNames(sets)
	var cname *RRSet
	for _, s := range sets {
		if s.Type == dns.TypeCNAME {
			cname = s
		}
	}
	if cname != nil {
		var others []string
		at := cname.Pos()
		for _, s := range sets {
			if atCNAME(s.Type) {
				continue
			}
			others = append(others, fmt.Sprintf("%s at line %d", TypeName(s.Type), s.Pos().Line))
			at = later(at, s.Pos())
		}
		if len(others) > 0 {
			v.add(at, Error, "%s: CNAME and other data (CNAME at line %d; %s)", name, cname.Pos().Line, strings.Join(others, ", "))
		}
	}

	for _, s := range sets {
		t := s.Type
		tn := TypeName(t)
		if occluder != "" && !(kind == "delegation" && (t == dns.TypeA || t == dns.TypeAAAA)) {
			v.add(s.Pos(), Warning, "%s %s is below the %s at %s: it is occluded and never served", name, tn, kind, occluder)
		}
		switch t {
		case dns.TypeSOA, dns.TypeCNAME, dns.TypeDNAME:
			if len(s.Records) > 1 {
				v.add(s.Records[1].Pos, Error, "%s: multiple %s records (only one allowed; first at line %d)", name, tn, s.Pos().Line)
			}
		}
		if t == dns.TypeRRSIG || t == dns.TypeSIG {
			v.sigTTLs(s)
		} else {
			for _, r := range s.Records {
				if r.TTL != s.TTL && !v.out.drops(r.Pos, Warning) {
					v.add(r.Pos, Warning, "%s %s: TTL %d differs from the RRset's TTL %d (line %d); BIND serves %d for all records, and dnsparity pushes it",
						name, tn, r.TTL, s.TTL, v.z.TTLPos(s).Line, s.TTL)
				}
			}
		}
		v.checkNames(s)
		switch t {
		case dns.TypeSOA:
			if !apex {
				v.add(s.Pos(), Error, "SOA record not at top of zone (%s)", name)
			}
		case dns.TypeNS:
			if strings.HasPrefix(name, "*.") {
				v.add(s.Pos(), Error, "%s: invalid NS owner name (wildcard)", name)
			}
			v.addressTargets(s)
			if occluder == "" {
				v.nsTargets(s, apex)
			}
		case dns.TypeDS:
			if apex {
				v.add(s.Pos(), Error, "DS record at top of zone (%s): a DS belongs in the parent zone", name)
			} else if !v.t.IsCut(name) && occluder == "" {
				v.add(s.Pos(), Warning, "%s DS: not at a delegation (no NS records at this name)", name)
			}
		case dns.TypeMX, dns.TypeSRV:
			if t == dns.TypeMX {
				v.addressTargets(s)
			}
			if occluder == "" {
				v.hostTargets(s)
			}
		case dns.TypeNSEC3:
			v.nsec3Owner(s)
		case dns.TypeCDS, dns.TypeCDNSKEY:
			if apex {
				v.cdsConsistency(s)
			}
		}
	}
}

func later(a, b Pos) Pos {
	if a.File == b.File && b.Line > a.Line {
		return b
	}
	if a.File == b.File {
		return a
	}
	return b
}

// innerStar warns of an owner name with a '*' label that is not the
// leftmost, as named-checkzone does ("contains an non-terminal
// wildcard"): that label is a literal '*', not a wildcard (RFC 4592
// §2.1.1), but it makes the name from it rightwards a wildcard that is an
// empty non-terminal, which answers NODATA for every name it covers that
// does not exist, where they were NXDOMAIN (§2.2.2, §4.2).
func (v *validator) innerStar(s *RRSet) {
	if !strings.Contains(s.Name, ".*.") {
		// A '*' label after the first stands between two dots: most
		// names are done here, without splitting them.
		return
	}
	labels := dns.SplitDomainName(s.Name)
	for i := 1; i < len(labels); i++ {
		if labels[i] != "*" {
			continue
		}
		w := strings.Join(labels[i:], ".") + "."
		if len(v.z.Lookup(w)) > 0 {
			// The wildcard has records: it answers as before.
			v.add(s.Pos(), Warning, "%s: the '*' label is not the leftmost: it is a literal '*', not a wildcard", s.Name)
			return
		}
		v.add(s.Pos(), Warning, "%s: the '*' label is not the leftmost: it is a literal '*', not a wildcard, and it makes %s a wildcard with no records of its own, which answers NODATA (not NXDOMAIN) for every name below %s that does not exist (RFC 4592 §4.2)",
			s.Name, w, Parent(w))
		return
	}
}

var b32hex = base32.HexEncoding.WithPadding(base32.NoPadding)

// isB32Hash reports whether label is a hash in base32hex without padding
// (RFC 5155 §3.3, RFC 4648 §7) as BIND reads it: a length an encoding has
// (not 1, 3 or 6 characters modulo 8) and the bits past the last octet
// zero ("ab" is not one).
func isB32Hash(label string) bool {
	u := strings.ToUpper(label)
	b, err := b32hex.DecodeString(u)
	if err != nil || label == "" || len(u)%8 == 1 || len(u)%8 == 3 || len(u)%8 == 6 {
		return false
	}
	extra := len(u)*5 - len(b)*8 // bits of the last character past the hash
	last := strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUV", u[len(u)-1])
	return last >= 0 && last&(1<<extra-1) == 0
}

func (v *validator) nsec3Owner(s *RRSet) {
	label, _, _ := strings.Cut(s.Name, ".")
	if !isB32Hash(label) {
		v.add(s.Pos(), Error, "%s: bad NSEC3 owner name: the first label must be a base32hex hash without padding", s.Name)
	}
	for i, rr := range s.RRs() {
		if n, ok := rr.(*dns.NSEC3); ok && n.Hash == dns.SHA1 && n.HashLength != 20 {
			v.add(s.Records[i].Pos, Error, "%s NSEC3: next hashed owner name %s is %d octets, SHA-1 gives 20 (out of range)", s.Name, n.NextDomain, n.HashLength)
		}
	}
}

// DeleteCDS: d, a CDS's fields, is the delete record of RFC 8078
// section 4 (digest as errata 5049 writes it), exactly CDS 0 0 0 00:
// BIND's check. Any other CDS, algorithm 0 or not, is no delete record
// and must match a key. The one definition: the zone's checks and the
// DNSSEC gates' reading of what a parent does with a CDS set use it.
func DeleteCDS(d *dns.DS) bool {
	return d.KeyTag == 0 && d.Algorithm == 0 && d.DigestType == 0 && d.Digest == "00"
}

// DeleteCDNSKEY: k, a CDNSKEY's fields, is the delete record of RFC
// 8078 section 4 (public key as errata 5049 writes it), exactly CDNSKEY
// 0 3 0 AA== (see DeleteCDS).
func DeleteCDNSKEY(k *dns.DNSKEY) bool {
	return k.Flags == 0 && k.Protocol == 3 && k.Algorithm == 0 && k.PublicKey == "AA=="
}

// deleteRecord: rr is a delete record (DeleteCDS, DeleteCDNSKEY).
func deleteRecord(rr dns.RR) bool {
	switch r := rr.(type) {
	case *dns.CDS:
		return DeleteCDS(&r.DS)
	case *dns.CDNSKEY:
		return DeleteCDNSKEY(&r.DNSKEY)
	}
	return false
}

// cdsConsistency: every CDS and CDNSKEY (but the delete records of RFC 8078)
// must match a DNSKEY at the apex.
func (v *validator) cdsConsistency(s *RRSet) {
	var keys []*dns.DNSKEY
	if ks := v.z.idx.get(s.Name, dns.TypeDNSKEY); ks != nil {
		for _, rr := range ks.RRs() {
			keys = append(keys, rr.(*dns.DNSKEY))
		}
	}
	for i, rr := range s.RRs() {
		pos := s.Records[i].Pos
		switch r := rr.(type) {
		case *dns.CDS:
			if deleteRecord(r) {
				continue
			}
			ok := false
			for _, k := range keys {
				if k.KeyTag() != r.KeyTag || k.Algorithm != r.Algorithm {
					continue
				}
				if ds := k.ToDS(r.DigestType); ds != nil && strings.EqualFold(ds.Digest, r.Digest) {
					ok = true
				}
			}
			if !ok {
				v.add(pos, Error, "%s CDS %d %d %d: matches no DNSKEY at the apex (CDS/CDNSKEY consistency)", s.Name, r.KeyTag, r.Algorithm, r.DigestType)
			}
		case *dns.CDNSKEY:
			if deleteRecord(r) {
				continue
			}
			ok := false
			for _, k := range keys {
				if k.Flags == r.Flags && k.Protocol == r.Protocol && k.Algorithm == r.Algorithm && k.PublicKey == r.PublicKey {
					ok = true
				}
			}
			if !ok {
				v.add(pos, Error, "%s CDNSKEY %d %d %d: matches no DNSKEY at the apex (CDS/CDNSKEY consistency)", s.Name, r.Flags, r.Protocol, r.Algorithm)
			}
		}
	}
}

// sigTTLs checks the TTLs of the RRSIGs (or SIGs) at one name per type they
// cover: BIND keeps one RRSIG set per covered type, and each signature's
// TTL belongs with the RRset it covers (RFC 4034 §3).
func (v *validator) sigTTLs(s *RRSet) {
	tn := TypeName(s.Type)
	first := map[uint16]Record{}
	for _, r := range s.Records {
		if len(r.Rdata) < 2 {
			continue
		}
		covered := uint16(r.Rdata[0])<<8 | uint16(r.Rdata[1])
		f, seen := first[covered]
		if !seen {
			first[covered] = r
			if c := v.z.idx.get(s.Name, covered); c != nil && c.TTL != r.TTL {
				v.add(r.Pos, Warning, "%s %s covering %s: TTL %d differs from the TTL %d of the %s RRset it covers (line %d); RFC 4034 §3 says they must match, and validating resolvers keep the RRset for the smaller of the two",
					s.Name, tn, TypeName(covered), r.TTL, c.TTL, TypeName(covered), c.Pos().Line)
			}
			continue
		}
		if r.TTL != f.TTL {
			v.add(r.Pos, Warning, "%s %s covering %s: TTL %d differs from the TTL %d of the first %s covering %s (line %d); BIND serves %d for all of them",
				s.Name, tn, TypeName(covered), r.TTL, f.TTL, tn, TypeName(covered), f.Pos.Line, f.TTL)
		}
	}
}
