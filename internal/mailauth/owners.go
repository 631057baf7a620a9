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
// §3.6.2.1). name is lower case, as the zone and the query engine keep it.
func IsDKIMName(name string) bool { return strings.Contains(name, "._domainkey.") }

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
	// Record is the SPF record (the first, SelectSPF); Count is how many
	// the set holds (more than one is a permerror).
	Record string
	Count  int
	// Included: an SPF record of the zone (this one too) includes or
	// redirects to this name, without a macro: an evaluation from the
	// other owners reaches it.
	Included bool
	text     *spfText
}

// spfText is what one SPF record's text gives, whatever name holds it:
// parsed once per distinct text (a zone often holds one SPF record at
// many names).
type spfText struct {
	rec string
	err error
	// own: Lookups' count; asksZone: one of Lookups' names (other than
	// the owner) is in the zone; asksOwner: a or mx without a domain.
	own                 int
	asksZone, asksOwner bool
}

// Err is ParseSPF's error for Record (nil: it parses).
func (o *SPFOwner) Err() error { return o.text.err }

// AsksZone reports whether evaluating the record can find more than the
// record itself says with a resolver that knows only the zone: it parses
// and either looks up a name of the zone (its own name for a and mx
// without a domain) or needs more than LookupLimit lookups on its own.
// Otherwise Evaluate with such a resolver finds no problem: its count is
// within the limit, no lookup is void, each include is not counted.
func (o *SPFOwner) AsksZone() bool {
	t := o.text
	return t.err == nil && (t.asksOwner || t.asksZone || t.own > LookupLimit)
}

// Problems are the permerrors of the owner's own SPF records, worded as
// Evaluate words them: more than one record, or the record does not
// parse.
func (o *SPFOwner) Problems() []string {
	if o.Count < 2 && o.text.err == nil {
		return nil
	}
	name := zone.Fold(dns.Fqdn(o.Set.Name))
	var ps []string
	if o.Count > 1 {
		ps = append(ps, manyRecords(o.Count, name))
	}
	if o.text.err != nil {
		ps = append(ps, notParsed(name, o.text.err))
	}
	return ps
}

// Sets are the TXT RRsets of a zone that hold mail authentication
// records, found in one pass (Find) for every use: SPF records (each
// distinct text parsed once; held as indexes, for a zone of a million
// names may have one at each name), DKIM key records, DMARC records.
type Sets struct {
	// DKIM are the TXT RRsets under _domainkey (IsDKIMName), DMARC those
	// at _dmarc names (IsDMARCName), in the zone's order.
	DKIM, DMARC []*zone.RRSet

	z     *zone.Zone
	spf   []spfAt
	texts []*spfText
}

// spfAt is one SPF owner: its index in z.Sets, its text's in texts, how
// many SPF records the set holds, and whether an SPF record of the zone
// includes or redirects to it.
type spfAt struct {
	set, text, count int32
	included         bool
}

// Find finds the TXT RRsets of z holding SPF, DKIM and DMARC records.
func Find(z *zone.Zone) *Sets {
	w := &Sets{z: z}
	index := map[string]int32{}
	targets := map[string]bool{} // include and redirect targets
	for i, s := range z.Sets {
		if s.Type != dns.TypeTXT {
			continue
		}
		switch {
		case IsDKIMName(s.Name):
			w.DKIM = append(w.DKIM, s)
		case IsDMARCName(s.Name):
			w.DMARC = append(w.DMARC, s)
		}
		var rec string
		count := int32(0)
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
		if count == 0 {
			continue
		}
		ti, ok := index[rec]
		if !ok {
			ti = int32(len(w.texts))
			index[rec] = ti
			w.texts = append(w.texts, w.parse(rec, targets))
		}
		if len(w.spf) == cap(w.spf) {
			// Double (append grows a large slice by a quarter, copying
			// 5 times its final size).
			w.spf = append(make([]spfAt, 0, 2*cap(w.spf)+64), w.spf...)
		}
		w.spf = append(w.spf, spfAt{set: int32(i), text: ti, count: count})
	}
	// Few names are included: find their owners (w.spf is in z.Sets'
	// order) rather than look every owner up.
	for t := range targets {
		s := z.Get(t, dns.TypeTXT)
		if s == nil {
			continue
		}
		j := sort.Search(len(w.spf), func(j int) bool { return zone.CompareNames(z.Sets[w.spf[j].set].Name, s.Name) >= 0 })
		for ; j < len(w.spf) && z.Sets[w.spf[j].set].Name == s.Name; j++ {
			w.spf[j].included = true
		}
	}
	return w
}

// parse parses an SPF record's text and adds its include and redirect
// targets to targets.
func (w *Sets) parse(rec string, targets map[string]bool) *spfText {
	spf, err := ParseSPF(rec)
	if err != nil {
		return &spfText{rec: rec, err: err}
	}
	for _, t := range spf.includes() {
		targets[t] = true
	}
	t := &spfText{rec: rec}
	var names []string
	t.own, names = spf.Lookups("")
	for _, n := range names {
		switch {
		case n == "":
			t.asksOwner = true
		case w.z.InZone(n):
			t.asksZone = true
		}
	}
	return t
}

// SPFLen is the number of SPF owners.
func (w *Sets) SPFLen() int { return len(w.spf) }

// SPF is the i-th SPF owner, in the zone's order.
func (w *Sets) SPF(i int) SPFOwner {
	a := w.spf[i]
	t := w.texts[a.text]
	return SPFOwner{Set: w.z.Sets[a.set], Record: t.rec, Count: int(a.count), Included: a.included, text: t}
}

// EachEvaluated calls eval for each SPF owner an evaluation starts from:
// the roots (those no SPF record of the zone includes) first, then each
// included owner no evaluation reached (an include loop, a record that
// includes itself). eval returns the names its evaluations read
// (Node.Reached).
func (w *Sets) EachEvaluated(eval func(o SPFOwner) (reached []string)) {
	// reached holds the included owners an evaluation reached (only
	// those: a zone's every SPF owner would be a million names).
	reached := map[string]bool{}
	var included []SPFOwner
	for i, a := range w.spf {
		if a.included {
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
		if !a.included {
			o := w.SPF(i)
			mark(eval(o))
		}
	}
	for i := range included {
		if !reached[included[i].Set.Name] {
			mark(eval(included[i]))
		}
	}
}
