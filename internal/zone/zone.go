// Package zone turns BIND zone files into a canonical model: RRsets keyed by
// (owner, type), each record held as canonical wire RDATA (Normalize: domain
// names in RDATA lower-cased, RFC 4034 §6.2 and later types; the CAA tag and
// NAPTR flags too) together with the file and line it came from.
//
// Two RRsets are equal exactly when their records are equal on the wire, so
// every later stage (plan, parity, drift, import) compares canonical bytes,
// never presentation text; zonetest.Pairs is the table they are all tested
// against.
package zone

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"iter"
	"net/netip"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// Pos is where a record was written: a file (as given to Load, or as resolved
// for $INCLUDE) and a 1-based line.
type Pos struct {
	File string
	Line int
}

// String is "FILE:LINE", "FILE" for the whole file (line 0: "FILE:0"
// names no line), "" when nothing is known.
func (p Pos) String() string {
	switch {
	case p.File == "" && p.Line == 0:
		return ""
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Severity of a Problem.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	// Info says what was done for the user (not a problem; never changes
	// the exit code).
	Info Severity = "info"
)

// Problem is something wrong with a zone file, at a position.
type Problem struct {
	Pos      Pos
	Severity Severity
	Message  string
}

func (p Problem) String() string {
	at := p.Pos.String()
	if p.Pos.File == "" || p.Pos.Line == 0 && strings.HasPrefix(p.Message, at+":") {
		return p.Message // a whole file's error that names it already
	}
	return at + ": " + p.Message
}

// Key identifies an RRset: owner name in lower case (absolute) and type.
type Key struct {
	Name string
	Type uint16
}

func (k Key) String() string { return k.Name + " " + dns.TypeToString[k.Type] }

// Record is one resource record of an RRset.
type Record struct {
	// Rdata is the canonical wire form of the RDATA (Normalize): uncompressed,
	// domain names and the fields their RFC makes case-insensitive in lower
	// case.
	Rdata string `redact:"-"` // wire form: RRSet.RedactPlain reads it
	// TTL as written for this record (the RRset's TTL is the first one's,
	// or in a zone file the one BIND's loader gives it: RRSet.TTLPos).
	TTL uint32
	Pos Pos
}

// RRSet is all records of one owner and type, with one TTL.
type RRSet struct {
	Name    string // absolute, lower case
	Type    uint16
	Class   uint16
	TTL     uint32
	Records []Record
}

// TTLPos is where the record stands whose TTL the set s of z has: its first
// record's, or in a zone file, the first of its records in the last run
// of lines of its owner that holds it (BIND's loader: a later run of the
// name gives the whole RRset its TTL).
func (z *Zone) TTLPos(s *RRSet) Pos {
	if p, ok := z.ttlAt[s]; ok {
		return p
	}
	return s.Pos()
}

// Key returns the set's key.
func (s *RRSet) Key() Key { return Key{s.Name, s.Type} }

// Pos is the position of the set's first record.
func (s *RRSet) Pos() Pos {
	if len(s.Records) == 0 {
		return Pos{}
	}
	return s.Records[0].Pos
}

// Header is the RR header shared by the set's records.
func (s *RRSet) Header() dns.RR_Header {
	c := s.Class
	if c == 0 {
		c = dns.ClassINET
	}
	return dns.RR_Header{Name: s.Name, Rrtype: s.Type, Class: c, Ttl: s.TTL}
}

// RRs returns the records as miekg/dns values (names in RDATA lower case).
func (s *RRSet) RRs() []dns.RR {
	out := make([]dns.RR, 0, len(s.Records))
	for _, r := range s.Records {
		rr, err := FromRdata(s.Header(), r.Rdata)
		if err != nil {
			continue // cannot happen for rdata we packed ourselves
		}
		out = append(out, rr)
	}
	return out
}

// Strings returns the presentation form of each record's RDATA, sorted.
func (s *RRSet) Strings() []string {
	out := make([]string, 0, len(s.Records))
	for _, rr := range s.RRs() {
		out = append(out, RdataString(rr))
	}
	sort.Strings(out)
	return out
}

// Has reports whether the set holds a record with this canonical RDATA.
func (s *RRSet) Has(rdata string) bool {
	for _, r := range s.Records {
		if r.Rdata == rdata {
			return true
		}
	}
	return false
}

// SameData reports whether two sets hold the same RDATA, ignoring order, TTL
// and positions.
func (s *RRSet) SameData(o *RRSet) bool {
	if s == nil || o == nil {
		return s == o
	}
	if s.Name != o.Name || s.Type != o.Type || len(s.Records) != len(o.Records) {
		return false
	}
	a, b := s.sortedRdata(), o.sortedRdata()
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Digest is a SHA-256 of the set's records as SameData compares them
// (RDATA text, sorted), each with its own TTL: two sets of one name and
// type with equal digests hold the same records at the same TTLs, which
// a plan leaves alone, but for a collision. For keeping what a listing
// held without keeping the listing (a provider's per-name record counts).
func (s *RRSet) Digest() [sha256.Size]byte {
	recs := slices.Clone(s.Records)
	slices.SortFunc(recs, func(a, b Record) int { return strings.Compare(a.Rdata, b.Rdata) })
	h := sha256.New()
	for _, r := range recs {
		fmt.Fprintf(h, "%d %d %s\n", r.TTL, len(r.Rdata), r.Rdata)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

func (s *RRSet) sortedRdata() []string {
	out := make([]string, len(s.Records))
	for i, r := range s.Records {
		out[i] = r.Rdata
	}
	sort.Strings(out)
	return out
}

// MixedTTL reports whether the set's records do not all have the same
// TTL: a provider that keeps a TTL per record can list such a set (one
// record edited by hand), which serves each record with its own TTL; the
// set's TTL is its first record's.
func (s *RRSet) MixedTTL() bool {
	for _, r := range s.Records[min(1, len(s.Records)):] {
		if r.TTL != s.Records[0].TTL {
			return true
		}
	}
	return false
}

// Add appends a record unless an equal one is there; it reports whether it
// was added.
func (s *RRSet) Add(r Record) bool {
	if s.Has(r.Rdata) {
		return false
	}
	if len(s.Records) == 0 {
		s.TTL = r.TTL
	}
	s.Records = append(s.Records, r)
	return true
}

// RdataString is the presentation form of an RR without its header; the
// types of a type bitmap (NSEC, NSEC3, CSYNC) are named by TypeName.
func RdataString(rr dns.RR) string {
	return RdataStringTypes(rr, TypeName)
}

// TypeName is type t as a zone file writes it: its mnemonic, else TYPEnnn
// (RFC 3597 §5). miekg/dns names type 0 "None" and 65535 "Reserved",
// which no zone file reader takes (BIND 9.18: "unknown class/type";
// PowerDNS 4.7: "Unknown DNS type 'None'"; miekg/dns itself): they are
// TYPE0 and TYPE65535.
func TypeName(t uint16) string {
	if t == dns.TypeNone || t == dns.TypeReserved {
		return fmt.Sprintf("TYPE%d", t)
	}
	return dns.Type(t).String()
}

// RdataStringTypes is RdataString with the types of a type bitmap (NSEC,
// NSEC3, CSYNC) named by name: a provider that knows other types by name
// than miekg/dns does (PowerDNS) writes them its way.
func RdataStringTypes(rr dns.RR, name func(uint16) string) string {
	var bitmap []uint16
	switch r := rr.(type) {
	case *dns.NSEC:
		c := *r
		bitmap, c.TypeBitMap = r.TypeBitMap, nil
		rr = &c
	case *dns.NSEC3:
		c := *r
		bitmap, c.TypeBitMap = r.TypeBitMap, nil
		rr = &c
	case *dns.CSYNC:
		c := *r
		bitmap, c.TypeBitMap = r.TypeBitMap, nil
		rr = &c
	default:
		return rdataText(rr)
	}
	var b strings.Builder
	b.WriteString(rdataText(rr))
	for _, t := range bitmap {
		b.WriteByte(' ')
		b.WriteString(name(t))
	}
	return b.String()
}

// rdataText is miekg/dns's presentation form of an RR without its header.
func rdataText(rr dns.RR) string {
	if n, ok := rr.(*dns.NULL); ok {
		// NULL has no presentation form but RFC 3597's (miekg/dns
		// prints it as a comment).
		return fmt.Sprintf("\\# %d %x", len(n.Data), n.Data)
	}
	full := rr.String()
	// miekg/dns writes the header as four tab-separated fields (name, TTL,
	// class, type); the header of an RFC 3597 record prints its class as
	// CLASS1 in String() but IN in Header().String(), so cut by fields.
	rest := full
	for n := 0; n < 4; n++ {
		i := strings.IndexByte(rest, '\t')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if n == 3 {
			return rest
		}
	}
	hdr := rr.Header().String()
	if strings.HasPrefix(full, hdr) {
		return full[len(hdr):]
	}
	return full
}

// Zone is a parsed, canonical zone.
type Zone struct {
	Origin string // absolute, lower case
	File   string // the top-level file it was loaded from
	// Sets in canonical DNS order (RFC 4034 §6.1 name order, then type).
	Sets []*RRSet
	// Problems found while loading (parse errors, TTL, duplicates, ...).
	Problems []Problem
	// Includes are the files its $INCLUDEs (at any depth) read, or would
	// read: each one's IncludeCandidates, also when it cannot be opened
	// or is dropped as no zone file. A change to one is a change of the
	// zone (a pull request's scope).
	Includes []string

	idx       setIndex
	truncated bool // loading stopped (a read error)
	// inRun are the RRsets the loader has added to in the current run of
	// lines of one owner (job.newRun, runStart), runOwner that owner as
	// written, runNS the names its NS records name; inGlue the RRsets of
	// the run of a glue name's lines (glue: one is on); runWritten is
	// scratch. ttlAt, where the record stands whose TTL a set took from a
	// later run (TTLPos).
	inRun, inGlue        []*RRSet
	runOwner, runWritten []byte
	runNS                []string
	glue                 bool
	ttlAt                map[*RRSet]Pos
	// ph bounds the problems kept (Options.MaxProblems); nil: all kept.
	ph *problemHeap
	// unread holds the owners of records that could not be read.
	unread map[string]bool
	// outSOA is the owner of the first SOA record outside the zone,
	// outNS the owners of NS records outside it: NS records at outSOA
	// mean the apex's NS are missing because of the origin
	// (OriginBound).
	outSOA string
	outNS  map[string]bool
	// relSpans are where records were read under an $ORIGIN written
	// without its final dot, each said once (relativeOriginHint): the
	// owners read there are not said again (doubledNames).
	relSpans []originSpan
	// saidElse are the records whose owner is not written on their line
	// without its final dot: written with it and the zone's name twice
	// ("test.test." in test.'s file: meant so), or a blank owner taking
	// one read under an $ORIGIN without its final dot (said there); not
	// said (doubledNames, feeder.noteOwner).
	saidElse map[Pos]bool
	// fieldLines holds, for each record written over several lines
	// (parentheses), by its Pos, the line of each RDATA field (FieldPos).
	fieldLines map[Pos][]int32
	// loadedPlain is len(Sets) when the loader has seen only plain
	// names (see isPlainName), else -1.
	loadedPlain int
	// view is the zone's tree (View), built on first use.
	viewOnce sync.Once
	view     *View
}

// New returns an empty zone for origin.
func New(origin string) *Zone {
	return &Zone{Origin: CanonicalName(origin)}
}

// FieldPos is the place of the field-th RDATA field (1-based, as
// written) of the record at p: for a record written over several lines
// (parentheses), the line holding that field; otherwise, or for a field
// it does not have, p itself.
func (z *Zone) FieldPos(p Pos, field int) Pos {
	return fieldLine(z.fieldLines[p], field, p)
}

// fieldLine is p on the line of the field-th of lines (meta.fieldLines),
// or p as it is for a field lines does not have.
func fieldLine(lines []int32, field int, p Pos) Pos {
	if field >= 1 && field <= len(lines) {
		p.Line = int(lines[field-1])
	}
	return p
}

// Get returns the RRset of name and type, or nil.
func (z *Zone) Get(name string, t uint16) *RRSet {
	return z.idx.get(CanonicalName(name), t)
}

// Addrs are the addresses z holds at name (its A, then its AAAA
// records), in their presentation form: a nameserver's glue as a zone
// file or a parent zone gives it.
func (z *Zone) Addrs(name string) []string {
	var out []string
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		s := z.Get(name, t)
		if s == nil {
			continue
		}
		for _, rr := range s.RRs() {
			if a, ok := AddrOf(rr); ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// AddrOf is the address an A or AAAA record holds, in presentation form
// (ok false for any other type). An AAAA's is IPv6 text, an IPv4-mapped
// one too (::ffff:192.0.2.1, which net.IP prints as 192.0.2.1).
func AddrOf(rr dns.RR) (addr string, ok bool) {
	switch v := rr.(type) {
	case *dns.A:
		return v.A.String(), true
	case *dns.AAAA:
		if a, ok := netip.AddrFromSlice(v.AAAA); ok && a.Is6() {
			return a.String(), true
		}
		return v.AAAA.String(), true
	}
	return "", false
}

// Lookup returns all RRsets at name, in type order.
func (z *Zone) Lookup(name string) []*RRSet {
	name = CanonicalName(name)
	i := sort.Search(len(z.Sets), func(i int) bool { return CompareNames(z.Sets[i].Name, name) >= 0 })
	var out []*RRSet
	for ; i < len(z.Sets) && z.Sets[i].Name == name; i++ {
		out = append(out, z.Sets[i])
	}
	return out
}

// Names returns every owner name in canonical order, once.
func (z *Zone) Names() []string {
	var out []string
	for _, s := range z.Sets {
		if len(out) == 0 || out[len(out)-1] != s.Name {
			out = append(out, s.Name)
		}
	}
	return out
}

// outOfZoneHead begins the warning of a record outside the zone, by
// which OriginBound knows it.
const outOfZoneHead = "ignoring out-of-zone data "

// OriginBound reports whether p, one of z's problems, is one that loading
// the file at z.Origin causes when that is not the file's origin (a
// config names the zone, the file's SOA owner another name:
// config.Config.OriginChecked): no SOA or no NS at the apex, a record
// outside the zone. What remains of them once the origin is corrected is
// said then.
//
// The apex's NS records are missing because of the origin only when the
// file has NS records at its SOA's owner (outside the zone loaded): a
// file with none there (its other records relative, so inside) has no
// NS whatever its origin, and that error is said with the mismatch.
func (z *Zone) OriginBound(p Problem) bool {
	if strings.HasPrefix(p.Message, noNSHead(z.Origin)) {
		return z.outSOA != "" && z.outNS[z.outSOA]
	}
	return strings.HasPrefix(p.Message, noSOAHead(z.Origin)) || strings.HasPrefix(p.Message, outOfZoneHead)
}

// outOfZone notes a record of type t at name, outside the zone, for
// OriginBound.
func (z *Zone) outOfZone(name string, t uint16) {
	switch t {
	case dns.TypeSOA:
		if z.outSOA == "" {
			z.outSOA = CanonicalName(name)
		}
	case dns.TypeNS:
		if z.outNS == nil {
			z.outNS = map[string]bool{}
		}
		z.outNS[CanonicalName(name)] = true
	}
}

// Unread reports whether a record owned by name could not be read (a
// broken line): what depends on name's data is not known.
func (z *Zone) Unread(name string) bool { return z.unread[CanonicalName(name)] }

// Truncated reports whether loading stopped early (a read error): the
// rest of the file is not known.
func (z *Zone) Truncated() bool { return z.truncated }

// Len is the number of RRsets.
func (z *Zone) Len() int { return len(z.Sets) }

// Records is the number of records.
func (z *Zone) Records() int {
	n := 0
	for _, s := range z.Sets {
		n += len(s.Records)
	}
	return n
}

// AddRR adds a parsed RR at pos, canonicalizing it. It reports false when an
// equal record was already there (a duplicate).
func (z *Zone) AddRR(rr dns.RR, pos Pos) (bool, error) {
	return z.addRR(rr, pos, nil)
}

func (z *Zone) addRR(rr dns.RR, pos Pos, buf []byte) (bool, error) {
	h, rec, err := canonicalRecord(rr, pos, buf)
	if err != nil {
		return false, err
	}
	s := z.idx.get(h.Name, h.Rrtype)
	if s == nil {
		s = emptySet(h)
		z.idx.put(s)
		z.Sets = append(z.Sets, s)
	}
	return s.Add(rec), nil
}

// set1 is an RRset allocated together with its first record: most RRsets
// hold one record.
type set1 struct {
	RRSet
	rec [1]Record
}

// newSet1 is a new RRset of one record, given as canonical RDATA.
func newSet1(name string, t, class uint16, rdata string) *set1 {
	n := &set1{RRSet: RRSet{Name: name, Type: t, Class: class}}
	n.rec[0] = Record{Rdata: rdata}
	n.Records = n.rec[:1:1]
	return n
}

// addPacked adds a record given as canonical RDATA; false for a duplicate.
func (z *Zone) addPacked(name string, t, class uint16, ttl uint32, rdata string, pos Pos, run *[]*RRSet) bool {
	z.idx.ready()
	return z.addSet1(z.idx.hash(name, t), nil, name, t, class, ttl, rdata, pos, run)
}

// addSet1 is addPacked with the hash of (name, t) given and, when n is
// not nil, the RRset already made for the record (newSet1): the loader's
// workers prepare both beside the parse, off the collector's goroutine.
// run is the RRsets of the run of lines the record is in (Zone.inRun,
// inGlue), nil for a $GENERATE's record, which BIND loads on its own at
// once: it gives its set its TTL unless a run still open holds the set
// (that run is loaded later, with its own).
func (z *Zone) addSet1(h uint64, n *set1, name string, t, class uint16, ttl uint32, rdata string, pos Pos, run *[]*RRSet) bool {
	s, slot, tag := z.idx.find(h, name, t)
	if s != nil {
		added := s.Add(Record{Rdata: rdata, TTL: ttl, Pos: pos})
		switch {
		case run == nil:
			if !slices.Contains(z.inRun, s) && !slices.Contains(z.inGlue, s) {
				z.runTTL(s, ttl, pos)
			}
		case !slices.Contains(*run, s):
			// The set's first record in a later run of its owner's
			// lines, a duplicate too: BIND merges that run's RRset into
			// the one loaded, with its TTL.
			*run = append(*run, s)
			z.runTTL(s, ttl, pos)
		}
		return added
	}
	if n == nil {
		n = newSet1(name, t, class, rdata)
	}
	n.TTL, n.rec[0].TTL, n.rec[0].Pos = ttl, ttl, pos
	if run != nil {
		*run = append(*run, &n.RRSet)
	}
	z.idx.fill(slot, tag, &n.RRSet)
	z.Sets = append(z.Sets, &n.RRSet)
	if z.loadedPlain == len(z.Sets)-1 && isPlainName(name) {
		z.loadedPlain++
	} else {
		z.loadedPlain = -1
	}
	return true
}

// runTTL gives set s the TTL ttl of the record at pos, loaded after it.
func (z *Zone) runTTL(s *RRSet, ttl uint32, pos Pos) {
	if s.TTL == ttl {
		return
	}
	s.TTL = ttl
	if z.ttlAt == nil {
		z.ttlAt = map[*RRSet]Pos{}
	}
	z.ttlAt[s] = pos
}

// AddSet adds (or replaces) a whole RRset.
func (z *Zone) AddSet(s *RRSet) {
	if old := z.idx.get(s.Name, s.Type); old != nil {
		*old = *s
		return
	}
	z.idx.put(s)
	z.Sets = append(z.Sets, s)
}

// Sort puts Sets in canonical order; call it after adding.
func (z *Zone) Sort() {
	n := len(z.Sets)
	if !z.plainNames(n) {
		slices.SortFunc(z.Sets, compareSets)
		return
	}
	// Plain names (the usual case): sort by a 16-octet prefix of the
	// name's canonical key, held beside the pointer, and compare the
	// names themselves only on equal prefixes (names that share their
	// first 8 octets, such as host1234 and host12345, are common: the
	// prefix is long enough to tell most of them apart without reading
	// the names). This keeps the sort in cache; on two cores the halves
	// are sorted in parallel and merged.
	es := make([]sortEntry, n)
	for i, s := range z.Sets {
		hi, lo := sortPrefix(s.Name, z.Origin)
		es[i] = sortEntry{hi, lo, s}
	}
	if n < 20000 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(es, compareEntries)
	} else {
		lo, hi := es[:n/2], es[n/2:]
		done := make(chan struct{})
		go func() {
			slices.SortFunc(lo, compareEntries)
			close(done)
		}()
		slices.SortFunc(hi, compareEntries)
		<-done
		out := z.Sets[:0]
		i, j := 0, 0
		for i < len(lo) && j < len(hi) {
			if compareEntries(hi[j], lo[i]) < 0 {
				out = append(out, hi[j].s)
				j++
			} else {
				out = append(out, lo[i].s)
				i++
			}
		}
		for ; i < len(lo); i++ {
			out = append(out, lo[i].s)
		}
		for ; j < len(hi); j++ {
			out = append(out, hi[j].s)
		}
		return
	}
	for i := range es {
		z.Sets[i] = es[i].s
	}
}

// sortEntry is an RRset with the first 16 octets of its name's sort key
// (sortPrefix), as two big-endian halves.
type sortEntry struct {
	hi, lo uint64
	s      *RRSet
}

func compareEntries(a, b sortEntry) int {
	if a.hi != b.hi {
		return cmp.Compare(a.hi, b.hi)
	}
	if a.lo != b.lo {
		return cmp.Compare(a.lo, b.lo)
	}
	return compareLowerSets(a.s, b.s)
}

// sortPrefix is the first 16 octets of the canonical sort key of a plain
// name below origin (the labels below the origin from right to left, each
// followed by a 0 octet; zeros after a shorter key), as two big-endian
// halves. Keys compare like the names (RFC 4034 §6.1).
func sortPrefix(name, origin string) (hi, lo uint64) {
	var key [16]byte
	n := 0
	put := func(c byte) bool {
		key[n] = c
		n++
		return n == len(key)
	}
	rel := ""
	switch {
	case name == origin: // the apex: first
	case origin == ".":
		rel = name // below the root there is no origin to cut
	case len(name) > len(origin) && strings.HasSuffix(name, origin):
		rel = name[:len(name)-len(origin)] // ends in "."
	default:
		rel = name // not below origin: order among themselves only
	}
	end := len(rel) - 1 // the dot ending the last label
fill:
	for end > 0 {
		start := strings.LastIndexByte(rel[:end], '.') + 1
		for i := start; i < end; i++ {
			if put(rel[i]) {
				break fill
			}
		}
		if put(0) {
			break
		}
		end = start - 1
	}
	return binary.BigEndian.Uint64(key[:8]), binary.BigEndian.Uint64(key[8:])
}

// plainNames reports whether all owner names are lower case and without
// escapes, so that the fast comparison applies.
func (z *Zone) plainNames(n int) bool {
	if z.loadedPlain == n {
		return true
	}
	for _, s := range z.Sets {
		if !isPlainName(s.Name) {
			return false
		}
	}
	return true
}

func isPlainName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '\\' || c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

func compareSets(a, b *RRSet) int {
	if c := CompareNames(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Type, b.Type)
}

// compareLowerSets is compareSets for names without escapes (no check for
// them on each comparison).
func compareLowerSets(a, b *RRSet) int {
	if c := comparePlain(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Type, b.Type)
}

// InZone reports whether name is at or below the origin.
func (z *Zone) InZone(name string) bool {
	return inZone(z.Origin, CanonicalName(name))
}

// CanonicalName is the absolute, lower-case form of a name, with escapes
// written the one way miekg/dns prints them (a\098c is abc).
func CanonicalName(name string) string {
	return canonicalEscapes(Fold(dns.Fqdn(name)))
}

// CanonicalNames is a set of names (a delegation's NS set) in one form
// to compare: each name rewritten in place as CanonicalName writes it
// (absolute, folded, one spelling of each escape; "" is the root), then
// sorted in byte order (not RFC 4034 order: the order only has to be
// one). It returns names. The one normal form of an NS set for the
// registrar's delegations (registrar.Delegation.Normalize) and a
// provider's zones (provider.Zones.Choose).
func CanonicalNames(names []string) []string {
	for i, n := range names {
		names[i] = CanonicalName(n)
	}
	slices.Sort(names)
	return names
}

// canonicalEscapes rewrites the escapes of a lower-case absolute name the
// way miekg/dns prints the name from the wire, so that one name has one
// spelling ("a\098c." is "abc.", "a\032b." is "a\ b.", a raw ESC octet
// is "\027", as named prints it: never a control octet in a message; a
// raw '@' is "\@", as a zone file and miekg/dns write it, where PowerDNS's
// API and JSON names write it raw). Names with neither a backslash, nor a
// character miekg/dns escapes, nor an octet outside printable ASCII are
// returned as they are.
func canonicalEscapes(name string) string {
	if !needsEscapes(name) {
		return name
	}
	var buf [256]byte
	off, err := dns.PackDomainName(name, buf[:], 0, nil, false)
	if err != nil {
		return name
	}
	out, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return name
	}
	return Fold(out)
}

// needsEscapes reports whether name holds a backslash or an octet that
// miekg/dns writes as an escape: outside printable ASCII, or one of the
// characters a zone file gives a meaning ('@', '(', ')', ';', '"', '\”,
// which miekg/dns writes "\@" and so on wherever they stand in a label).
func needsEscapes(name string) bool {
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '\\' || c <= ' ' || c > '~':
			return true
		case c == '@' || c == '(' || c == ')' || c == ';' || c == '"' || c == '\'':
			return true
		}
	}
	return false
}

// CompareNames orders names canonically (RFC 4034 §6.1): by labels from the
// right, each compared as lower-case octets.
func CompareNames(a, b string) int {
	if a == b {
		return 0
	}
	if strings.IndexByte(a, '\\') < 0 && strings.IndexByte(b, '\\') < 0 {
		return comparePlain(a, b)
	}
	la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
	i, j := len(la)-1, len(lb)-1
	for i >= 0 && j >= 0 {
		x, y := labelBytes(la[i]), labelBytes(lb[j])
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
		i--
		j--
	}
	switch {
	case i < 0 && j < 0:
		return 0
	case i < 0:
		return -1
	default:
		return 1
	}
}

// labelBytes decodes presentation escapes of one label and lower-cases it.
func labelBytes(l string) string {
	if strings.IndexByte(l, '\\') < 0 {
		return Fold(l)
	}
	var b strings.Builder
	for i := 0; i < len(l); {
		v, w := OctetAt(l, i)
		b.WriteByte(lower(byte(v)))
		i += w
	}
	return b.String()
}

// comparePlain is CompareNames for names without escapes, without
// allocating: it skips the common suffix, then compares the labels where the
// names differ (RFC 4034 §6.1), case-insensitively.
func comparePlain(a, b string) int {
	a = strings.TrimSuffix(a, ".")
	b = strings.TrimSuffix(b, ".")
	i, j := len(a), len(b)
	for i > 0 && j > 0 && lower(a[i-1]) == lower(b[j-1]) {
		i--
		j--
	}
	// a[i:] and b[j:] are equal. Where a name is used up at a label
	// boundary, it has fewer labels and sorts first.
	aEnd := i == 0
	bEnd := j == 0
	switch {
	case aEnd && bEnd:
		return 0
	case aEnd && b[j-1] == '.':
		return -1
	case bEnd && a[i-1] == '.':
		return 1
	}
	// The differing labels: from the previous dot to the first dot of
	// the common part (or the end).
	k := strings.IndexByte(a[i:], '.')
	ae, be := len(a), len(b)
	if k >= 0 {
		ae, be = i+k, j+k
	}
	as := strings.LastIndexByte(a[:i], '.') + 1
	bs := strings.LastIndexByte(b[:j], '.') + 1
	return compareFold(a[as:ae], b[bs:be])
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// compareFold compares two labels as lower-case octets.
func compareFold(x, y string) int {
	n := min(len(x), len(y))
	for k := 0; k < n; k++ {
		c, d := x[k], y[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return cmp.Compare(c, d)
		}
	}
	return cmp.Compare(len(x), len(y))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// DecimalEscape is the number a \DDD escape at s[i] writes (RFC 1035
// §5.1: a backslash and three decimal digits) and whether s[i] starts
// one. The number is up to 999: whether it is an octet (at most 255) is
// the caller's to judge.
func DecimalEscape[T ~string | ~[]byte](s T, i int) (int, bool) {
	if i < 0 || i+3 >= len(s) || s[i] != '\\' || !isDigit(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return 0, false
	}
	return int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0'), true
}

// OctetAt is the octet that s, text in presentation form, spells at s[i]
// and how many of s's bytes spell it (RFC 1035 §5.1): a \DDD escape (4)
// the octet numbered DDD (DecimalEscape: up to 999, byte() keeps it
// modulo 256), a \X escape (2) the character X, any other byte (1), a
// backslash last in s too, itself.
func OctetAt[T ~string | ~[]byte](s T, i int) (v, width int) {
	if s[i] != '\\' || i+1 == len(s) {
		return int(s[i]), 1
	}
	if v, ok := DecimalEscape(s, i); ok {
		return v, 4
	}
	return int(s[i+1]), 2
}

// Parent is name without its first label ("." for a top-level name and
// for the root), escapes read as miekg/dns reads them: "a\.b.c." is
// "c.", "a\\.b." is "b.". The one parent step of the zone tree for
// check, parity and the in-process lab.
func Parent(name string) string {
	i, end := dns.NextLabel(name, 0)
	if end || name == "." {
		return "."
	}
	return name[i:]
}

// Texts are the zone's text as a run shows it: each RRset's owner name
// and each record's RDATA in presentation form (RdataString), each
// problem's message, and then each file its $INCLUDEs read or would
// read, as the loader listed them (Includes: the paths a report, an
// annotation or a problem's "file" names beside z.File, kept once, not
// gathered again from every record; the config's zone files are
// config.Config.Public). A secret must not stand in it
// (config.ShownSecret).
func (z *Zone) Texts() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, s := range z.Sets {
			if !yield(s.Name) {
				return
			}
			h := s.Header()
			for _, r := range s.Records {
				rr, err := FromRdata(h, r.Rdata)
				if err == nil && !yield(RdataString(rr)) {
					return
				}
			}
		}
		for _, p := range z.Problems {
			if !yield(p.Message) {
				return
			}
		}
		for _, f := range z.Includes {
			if !yield(f) {
				return
			}
		}
	}
}
