package mailauth

import (
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Which RRsets of a zone are SPF, DKIM and DMARC records: the one
// selection parity (what the providers serve) and check (the zone file)
// both make.

// IsDKIMName reports whether name is the owner of a DKIM key record: a
// selector under _domainkey (selector._domainkey.domain, RFC 6376
// §3.6.2.1), not the ADSP record at _adsp._domainkey (RFC 5617 §4.1,
// historic: its "dkim=" tag list is no key). name is lower case, as the
// zone and the query engine keep it.
func IsDKIMName(name string) bool {
	return strings.Contains(name, "._domainkey.") && !strings.HasPrefix(name, "_adsp._domainkey.")
}

// IsDMARCName reports whether name is the owner of a DMARC record
// (_dmarc.domain, RFC 7489 §6.1), lower case.
func IsDMARCName(name string) bool { return strings.HasPrefix(name, "_dmarc.") }

// DMARCName is the owner of domain's DMARC record.
func DMARCName(domain string) string { return "_dmarc." + domain }

// TXTText is a TXT record's text: its character-strings (canonical wire
// RDATA, zone.Record.Rdata) concatenated, as SPF (RFC 7208 §3.3), DKIM
// (RFC 6376 §3.6.2.2) and DMARC receivers read it.
func TXTText(rdata string) string {
	if len(rdata) > 0 && int(rdata[0]) == len(rdata)-1 {
		return rdata[1:] // one string: no copy
	}
	return strings.Join(zone.TXTStrings(rdata), "")
}

// maybeSPF is false when the TXT RDATA cannot be an SPF record: its first
// string is 6 octets or longer and does not start with v=spf1 (read
// without joining the strings, so a zone's other TXT records cost next to
// nothing).
func maybeSPF(rdata string) bool {
	if len(rdata) < 7 || rdata[0] < 6 {
		return true
	}
	return zone.Fold(rdata[1:7]) == "v=spf1"
}

// SPFOwner is a TXT RRset of a zone that holds an SPF record.
type SPFOwner struct {
	Set *zone.RRSet
	// Count is how many SPF records the set holds (more than one is a
	// permerror).
	Count int
	// Included: an SPF record of the zone (this one too) includes or
	// redirects to this name, without a macro: an evaluation from the
	// other owners reaches it.
	Included bool
	// Err is ParseSPF's error for the record (nil: it parses).
	Err error
	// asksZone: see AsksZone; warns: the record has warnings.
	asksZone, warns bool
}

// Record is the SPF record (the set's first, as SelectSPF picks it).
func (o *SPFOwner) Record() string {
	rec, _ := spfRecord(o.Set)
	return rec
}

// AsksZone reports whether evaluating the record can find more than the
// record itself says with a resolver that knows only the zone: it parses
// and either looks up a name of the zone (its own name for a and mx
// without a domain) or needs more than LookupLimit lookups on its own.
// Otherwise Evaluate with such a resolver finds no problem: its count is
// within the limit, no lookup is void, each include is not counted.
func (o *SPFOwner) AsksZone() bool { return o.asksZone }

// Problems are the permerrors of the owner's own SPF records, worded as
// Evaluate words them: more than one record, or the record does not
// parse.
func (o *SPFOwner) Problems() []string {
	if o.Count < 2 && o.Err == nil {
		return nil
	}
	name := zone.Fold(dns.Fqdn(o.Set.Name))
	var ps []string
	if o.Count > 1 {
		ps = append(ps, manyRecords(o.Count, name))
	}
	if o.Err != nil {
		ps = append(ps, notParsed(name, o.Err))
	}
	return ps
}

// Warnings are the record's warnings (SPFWarnings): none when the set
// holds more than one SPF record or the record does not parse (a
// permerror, Problems). Worded only for the records that have some.
func (o *SPFOwner) Warnings() []string {
	if !o.warns || o.Count > 1 || o.Err != nil {
		return nil
	}
	return SPFWarnings(o.Record())
}

// RecordPos is where the SPF record is written (the set's first SPF
// record, as SelectSPF picks it).
func (o *SPFOwner) RecordPos() zone.Pos {
	if ps := o.RecordsPos(); len(ps) > 0 {
		return ps[0]
	}
	return o.Set.Pos()
}

// RecordsPos is where each SPF record of the set is written, in the
// set's order (two or more are the permerror of Problems).
func (o *SPFOwner) RecordsPos() []zone.Pos {
	var out []zone.Pos
	for _, r := range o.Set.Records {
		if maybeSPF(r.Rdata) && IsSPF(TXTText(r.Rdata)) {
			out = append(out, r.Pos)
		}
	}
	return out
}

// spfRecord is the SPF record of a TXT RRset (its first) and how many it
// holds.
func spfRecord(s *zone.RRSet) (rec string, count int) {
	for _, r := range s.Records {
		if !maybeSPF(r.Rdata) {
			continue
		}
		if t := TXTText(r.Rdata); IsSPF(t) {
			if count == 0 {
				rec = t
			}
			count++
		}
	}
	return rec, count
}

// Sets are the TXT RRsets of a zone that hold mail authentication
// records, found in one pass (Find) for every use: SPF records, DKIM key
// records, DMARC records. A zone of a million names may hold an SPF
// record at each: the SPF owners are kept as 12 octets each, and a
// record's text is read without building its terms.
type Sets struct {
	// DKIM are the TXT RRsets under _domainkey (IsDKIMName), DMARC those
	// at _dmarc names (IsDMARCName), MTASTS those at _mta-sts names
	// (IsMTASTSName), TLSRPT those at _smtp._tls names (IsTLSRPTName),
	// in the zone's order.
	DKIM, DMARC, MTASTS, TLSRPT []*zone.RRSet
	// DKIMAliases are the CNAME RRsets under _domainkey: selectors
	// delegated to an ESP, whose key records verifiers read at the
	// CNAME's target.
	DKIMAliases []*zone.RRSet
	// Ignored are the TXT records meant as a mail record that receivers
	// ignore, with Ignorer.Judge's verdict on each (why, what to write,
	// error or warning), in the zone's order: one of those records
	// (v=DMARC1, v=DKIM1, v=STSv1, v=TLSRPTv1) elsewhere, an SPF record
	// split where its blank after v=spf1 was. None at a name one of the
	// zone's CNAMEs leads to.
	Ignored []IgnoredRecord
	// TLSA are the TLSA RRsets of SMTP servers (IsSMTPTLSAName).
	TLSA []*zone.RRSet

	z       *zone.Zone
	ignorer *Ignorer // the one that judged Ignored (Ignorer)
	spf     []spfAt
	errs    map[int]error // by index in spf: the records that do not parse
}

// IgnoredRecord is one TXT record of Sets.Ignored: its RRset, its
// RDATA and line, and the verdict on it (Ignorer.Judge).
type IgnoredRecord struct {
	Set   *zone.RRSet
	Rdata string `redact:"-"` // wire form, as zone.Record's
	Pos   zone.Pos
	Ignore
}

// spfAt is one SPF owner: its index in z.Sets, how many SPF records the
// set holds, and what its text gives (spfFlags).
type spfAt struct {
	set, count int32
	flags      spfFlags
}

// spfFlags: what an SPF text gives, whatever name holds it.
type spfFlags uint8

const (
	spfAsksZone spfFlags = 1 << iota // SPFOwner.AsksZone
	spfIncluded                      // SPFOwner.Included
	spfWarns                         // SPFOwner.Warnings: the record has some
)

// verdict is what one SPF text gives (remembered for the texts met
// last: a zone often holds one SPF record at many names).
type verdict struct {
	flags spfFlags
	err   error
	// byDomain: include and redirect targets named by %{d} macros, the
	// holder's own domain (expandDomainMacros at each owner).
	byDomain []string
}

// maxVerdicts bounds the texts remembered (then forgotten all at once).
const maxVerdicts = 1024

// Find finds the TXT RRsets of z holding SPF, DKIM, DMARC, MTA-STS and
// TLSRPT records, and the TLSA RRsets of SMTP servers.
func Find(z *zone.Zone) *Sets {
	judge := NewIgnorer(z)
	w := &Sets{z: z, ignorer: judge}
	seen := map[string]verdict{}
	targets := map[string]bool{} // include and redirect targets
	for i, s := range z.Sets {
		if s.Type != dns.TypeTXT {
			switch {
			case s.Type == dns.TypeTLSA && IsSMTPTLSAName(s.Name):
				w.TLSA = append(w.TLSA, s)
			case s.Type == dns.TypeCNAME && IsDKIMName(s.Name):
				w.DKIMAliases = append(w.DKIMAliases, s)
			}
			continue
		}
		switch {
		case IsDKIMName(s.Name):
			w.DKIM = append(w.DKIM, s)
		case IsDMARCName(s.Name):
			w.DMARC = append(w.DMARC, s)
		case IsMTASTSName(s.Name):
			w.MTASTS = append(w.MTASTS, s)
		case IsTLSRPTName(s.Name):
			w.TLSRPT = append(w.TLSRPT, s)
		}
		for _, r := range s.Records {
			if ig, ok := judge.Judge(s.Name, r.Rdata); ok {
				w.Ignored = append(w.Ignored, IgnoredRecord{Set: s, Rdata: r.Rdata, Pos: r.Pos, Ignore: ig})
			}
		}
		rec, count := spfRecord(s)
		if count == 0 {
			continue
		}
		v, ok := seen[rec]
		if !ok {
			v = w.judge(rec, targets)
			if len(seen) == maxVerdicts {
				clear(seen)
			}
			seen[rec] = v
		}
		for _, spec := range v.byDomain {
			if t, ok := expandDomainMacros(spec, s.Name); ok {
				targets[t] = true
			}
		}
		if v.err != nil {
			if w.errs == nil {
				w.errs = map[int]error{}
			}
			w.errs[len(w.spf)] = v.err
		}
		if len(w.spf) == cap(w.spf) {
			// Double (append grows a large slice by a quarter, copying
			// 5 times its final size).
			w.spf = append(make([]spfAt, 0, 2*cap(w.spf)+64), w.spf...)
		}
		w.spf = append(w.spf, spfAt{set: int32(i), count: int32(count), flags: v.flags})
	}
	// Few names are included: find their owners (w.spf is in z.Sets'
	// order) rather than look every owner up.
	for t := range targets {
		s := z.Get(t, dns.TypeTXT)
		if s == nil {
			continue
		}
		j := sort.Search(len(w.spf), func(j int) bool { return zone.CompareNames(z.Sets[w.spf[j].set].Name, s.Name) >= 0 })
		if j < len(w.spf) && z.Sets[w.spf[j].set] == s {
			w.spf[j].flags |= spfIncluded
		}
	}
	return w
}

// judge reads an SPF record's text (ParseSPF's grammar, without building
// its terms) and, when it parses, adds its include and redirect targets
// to targets.
func (w *Sets) judge(rec string, targets map[string]bool) verdict {
	var v verdict
	var buf [4]string
	included := buf[:0]
	var c lookupCount
	var lint spfLint // found only: the words are built when asked (SPFOwner.Warnings)
	asks := func(name string) {
		// A %{d} target (the text's verdict is shared by every owner of
		// it): the owner's own domain, in the zone.
		if name == "" || strings.Contains(name, "%") || w.inZone(name) {
			v.flags |= spfAsksZone
		}
	}
	v.err = eachTerm(rec, func(t Term) {
		switch {
		case t.follows() && !t.Macro():
			included = append(included, t.Arg)
		case t.follows() && fixedTarget(t):
			v.byDomain = append(v.byDomain, t.Arg)
		}
		c.add(t, asks)
		lint.add(t)
	})
	if v.err != nil {
		return verdict{err: v.err}
	}
	if lint.done(); lint.found {
		v.flags |= spfWarns
	}
	if c.done(asks) > LookupLimit {
		v.flags |= spfAsksZone
	}
	for _, t := range included {
		targets[t] = true
	}
	return v
}

// inZone is z.InZone(name) without building the absolute lower-case name
// when name holds no escape (as every SPF target does).
func (w *Sets) inZone(name string) bool {
	origin := w.z.Origin
	if origin == "." || strings.IndexByte(name, '\\') >= 0 {
		return w.z.InZone(name)
	}
	name, origin = strings.TrimSuffix(name, "."), origin[:len(origin)-1]
	if len(name) < len(origin) || !strings.EqualFold(name[len(name)-len(origin):], origin) {
		return false
	}
	return len(name) == len(origin) || name[len(name)-len(origin)-1] == '.'
}

// Ignorer is the judge that found Ignored, for records served at the
// zone's names: the same rule, the zone's CNAME targets read once.
func (w *Sets) Ignorer() *Ignorer { return w.ignorer }

// SPFLen is the number of SPF owners.
func (w *Sets) SPFLen() int { return len(w.spf) }

// SPF is the i-th SPF owner, in the zone's order.
func (w *Sets) SPF(i int) SPFOwner {
	a := w.spf[i]
	return SPFOwner{Set: w.z.Sets[a.set], Count: int(a.count), Included: a.flags&spfIncluded != 0,
		Err: w.errs[i], asksZone: a.flags&spfAsksZone != 0, warns: a.flags&spfWarns != 0}
}

// EachEvaluated calls eval for each SPF owner an evaluation starts from:
// the roots (those no SPF record of the zone includes) first, then each
// included owner no evaluation reached (an include or redirect loop, a
// record that includes itself). eval returns the names its evaluations read
// (Node.Reached).
func (w *Sets) EachEvaluated(eval func(o SPFOwner) (reached []string)) {
	// reached holds the included owners an evaluation reached (only
	// those: a zone's every SPF owner would be a million names).
	reached := map[string]bool{}
	var included []SPFOwner
	for i, a := range w.spf {
		if a.flags&spfIncluded != 0 {
			o := w.SPF(i)
			reached[o.Set.Name] = false
			included = append(included, o)
		}
	}
	mark := func(names []string) {
		for _, x := range names {
			if _, ok := reached[x]; ok {
				reached[x] = true
			}
		}
	}
	for i, a := range w.spf {
		if a.flags&spfIncluded == 0 {
			mark(eval(w.SPF(i)))
		}
	}
	for i := range included {
		if !reached[included[i].Set.Name] {
			mark(eval(included[i]))
		}
	}
}
