package query

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// Class of a response.
type Class uint8

const (
	ClassAnswer Class = iota
	ClassNoData
	ClassNXDomain
	ClassReferral
	ClassFailure
)

func (c Class) String() string {
	switch c {
	case ClassAnswer:
		return "answer"
	case ClassNoData:
		return "NODATA"
	case ClassNXDomain:
		return "NXDOMAIN"
	case ClassReferral:
		return "referral"
	}
	return "failure"
}

// RR is one record of a response in canonical form: lower-case owner,
// canonical wire RDATA.
type RR struct {
	Name  string
	Type  uint16
	TTL   uint32
	Rdata string
}

// ErrCanceled is the Err of an answer to a question that was not asked
// (or not finished) because the context ended, or because the rate limit
// would have waited past the context's deadline.
const ErrCanceled = "canceled"

// Answer is a response reduced to what parity compares.
type Answer struct {
	Rcode int
	AA    bool
	// ECS: the response carried an EDNS Client Subnet option (RFC 7871),
	// with Scope its SCOPE PREFIX-LENGTH: how far the answer depends on
	// the client's subnet (0: not at all, or the server ignores ECS).
	ECS   bool
	Scope uint8
	Err   string // no response (timeout, network error)
	// NSID is the responding node's identifier (RFC 5001) when the query
	// asked for it and the server sent one: text, or hex when it is not
	// printable.
	NSID string
	// Answer section (DNSSEC types dropped); authority NS of a referral.
	Answer []RR
	NS     []RR
	// Glue of a referral: the ADDITIONAL A/AAAA records of its NS targets
	// at or below the zone cut (in-bailiwick glue, which a resolver needs
	// to follow the delegation; RFC 9471). Other additional data is
	// ignored.
	Glue []RR
	// Compact: a NODATA answer (NOERROR, empty answer section) whose
	// AUTHORITY holds an NSEC at the question name with the next name
	// "\000.<name>": compact denial of existence ("black lies";
	// Cloudflare, Route 53, NS1, Knot's onlinesign), which answers a name
	// that does not exist so to a query with the DO bit.
	Compact bool
	// Oversize is the octets of the UDP datagram the response came in
	// when it is larger than the 1232 the query's EDNS payload size
	// allowed (RFC 6891 §6.2.3: the largest the requestor can
	// reassemble; 0 when within): a server that ignores the size asked
	// sends answers that a path dropping fragments or a strict
	// middlebox never delivers. Not part of Same.
	Oversize int
	// Keys are the canonical RDATA of the DNSKEY records of the answer
	// section (left out of Answer with the other DNSSEC records); only
	// the DNSSEC check asks for them.
	Keys []string
	// Denial are the NSEC and NSEC3 records of the authority section,
	// as the server sent them: what a validating resolver may keep and
	// deny other names and types from (RFC 8198). Not part of Same; a
	// caller that stores many answers drops them once judged (parity's
	// Keep does).
	Denial []dns.RR
}

// Class classifies the answer.
func (a *Answer) Class() Class {
	switch {
	case a == nil || a.Err != "":
		return ClassFailure
	case a.Rcode == dns.RcodeNameError:
		return ClassNXDomain
	case a.Rcode != dns.RcodeSuccess:
		return ClassFailure
	case len(a.Answer) > 0:
		return ClassAnswer
	case len(a.NS) > 0 && !a.AA:
		return ClassReferral
	}
	return ClassNoData
}

// Status is a short description of the response's class and rcode.
func (a *Answer) Status() string {
	switch {
	case a == nil:
		return "no answer"
	case a.Err != "":
		return a.Err
	case a.Rcode != dns.RcodeSuccess && a.Rcode != dns.RcodeNameError:
		return dns.RcodeToString[a.Rcode]
	}
	return a.Class().String()
}

// Canon is zone's canonical form (zone.Normalize, zone.PackRdata) in the
// compact shape answers keep: the one definition of "the same record".
// rr is a record unpacked from a server's answer (zone.Unpacked puts its
// octet fields, the CAA value and the URI target, in the form the zone
// file parser gives them); it is changed in place; buf is scratch.
func Canon(rr dns.RR, buf []byte) (RR, []byte, error) {
	rr, err := zone.Normalize(zone.Unpacked(rr))
	if err != nil {
		return RR{}, buf, err
	}
	rdata, buf, err := zone.PackRdata(rr, buf)
	if err != nil {
		return RR{}, buf, err
	}
	h := rr.Header()
	return RR{Name: h.Name, Type: h.Rrtype, TTL: h.Ttl, Rdata: string(rdata)}, buf, nil
}

// FromMsg reduces a parsed response.
func FromMsg(m *dns.Msg, buf []byte) (*Answer, []byte) {
	a := &Answer{Rcode: m.Rcode, AA: m.Authoritative}
	readEDNS(a, m)
	qname := ""
	if len(m.Question) == 1 {
		qname = zone.Fold(m.Question[0].Name)
	}
	if n := len(m.Answer); n > 0 {
		a.Answer = make([]RR, 0, n)
	}
	var err error
	var r RR
	for _, rr := range m.Answer {
		if zone.NotData(rr.Header().Rrtype) {
			if rr.Header().Rrtype == dns.TypeDNSKEY {
				if r, buf, err = Canon(rr, buf); err == nil {
					a.Keys = append(a.Keys, r.Rdata)
				}
			}
			continue
		}
		if r, buf, err = Canon(rr, buf); err == nil {
			if r.Name == qname {
				r.Name = qname // one string for every record at the question name
			}
			a.Answer = append(a.Answer, r)
		}
	}
	for _, rr := range m.Ns {
		if t := rr.Header().Rrtype; t == dns.TypeNSEC || t == dns.TypeNSEC3 {
			a.Denial = append(a.Denial, rr)
		}
	}
	if m.Rcode == dns.RcodeSuccess && len(a.Answer) == 0 {
		for _, rr := range m.Ns {
			if n, ok := rr.(*dns.NSEC); ok && zone.Fold(n.Hdr.Name) == qname && zone.Fold(n.NextDomain) == "\\000."+qname {
				a.Compact = true
			}
		}
	}
	// Authority NS matter for referrals only; the negative answers' SOA is
	// compared once, at the apex SOA question.
	if !a.AA && len(a.Answer) == 0 {
		var targets map[string]bool
		cut := ""
		for _, rr := range m.Ns {
			if ns, ok := rr.(*dns.NS); ok {
				if r, buf, err = Canon(rr, buf); err == nil {
					a.NS = append(a.NS, r)
					if targets == nil {
						targets = map[string]bool{}
					}
					targets[zone.Fold(ns.Ns)] = true
					cut = r.Name
				}
			}
		}
		for _, rr := range m.Extra {
			h := rr.Header()
			if h.Rrtype != dns.TypeA && h.Rrtype != dns.TypeAAAA {
				continue
			}
			owner := zone.Fold(h.Name)
			if !targets[owner] || !dns.IsSubDomain(cut, owner) {
				continue
			}
			if r, buf, err = Canon(rr, buf); err == nil {
				a.Glue = append(a.Glue, r)
			}
		}
	}
	return a, buf
}

// RRText is the presentation form of a canonical record.
func RRText(r RR) string {
	rr, err := zone.FromRdata(dns.RR_Header{Name: r.Name, Rrtype: r.Type, Class: dns.ClassINET, Ttl: r.TTL}, r.Rdata)
	if err != nil {
		return fmt.Sprintf("%s %d IN %s \\# %d %x", r.Name, r.TTL, dns.Type(r.Type), len(r.Rdata), r.Rdata)
	}
	return strings.ReplaceAll(rr.String(), "\t", " ")
}

func RdataText(r RR) string {
	rr, err := zone.FromRdata(dns.RR_Header{Name: r.Name, Rrtype: r.Type, Class: dns.ClassINET, Ttl: r.TTL}, r.Rdata)
	if err != nil {
		return fmt.Sprintf("\\# %d %x", len(r.Rdata), r.Rdata)
	}
	return zone.RdataString(rr)
}

// Text is the presentation of the response: a status line when it is not
// an answer, then the answer records sorted (referral: the NS records).
func (a *Answer) Text() string {
	if a == nil {
		return "no answer"
	}
	var lines []string
	c := a.Class()
	if c != ClassAnswer {
		lines = append(lines, a.Status())
	}
	rrs := a.Answer
	if c == ClassReferral {
		rrs = a.NS
	}
	var recs []string
	for _, r := range rrs {
		recs = append(recs, RRText(r))
	}
	sort.Strings(recs)
	lines = append(lines, recs...)
	if c == ClassReferral && len(a.Glue) > 0 {
		var glue []string
		for _, r := range a.Glue {
			glue = append(glue, RRText(r)+" (glue)")
		}
		sort.Strings(glue)
		lines = append(lines, glue...)
	}
	if !a.AA && c != ClassReferral && c != ClassFailure {
		lines = append(lines, "(no AA bit)")
	}
	return strings.Join(lines, "\n")
}

// Same reports whether a and b are the same response for every
// comparison and report: rcode, AA, error, and in each section the same
// records (owner, type, TTL, RDATA) with the same multiplicity, the RRsets
// in the same order of first appearance (records within an RRset in any
// order).
func Same(a, b *Answer) bool {
	if a.Rcode != b.Rcode || a.AA != b.AA || a.Err != b.Err {
		return false
	}
	return sameRRs(a.Answer, b.Answer) && sameRRs(a.NS, b.NS) && sameRRs(a.Glue, b.Glue)
}

func sameRRs(a, b []RR) bool {
	if len(a) != len(b) {
		return false
	}
	same := true
	for i := range a {
		if a[i] != b[i] {
			same = false
			break
		}
	}
	if same {
		return true
	}
	// The same RRsets in the same order, records in another order.
	var oa, ob [][2]any
	for _, r := range a {
		if k := [2]any{r.Name, r.Type}; len(oa) == 0 || oa[len(oa)-1] != k {
			oa = append(oa, k)
		}
	}
	for _, r := range b {
		if k := [2]any{r.Name, r.Type}; len(ob) == 0 || ob[len(ob)-1] != k {
			ob = append(ob, k)
		}
	}
	if len(oa) != len(ob) {
		return false
	}
	for i := range oa {
		if oa[i] != ob[i] {
			return false
		}
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	for _, s := range [][]RR{sa, sb} {
		slices.SortFunc(s, func(x, y RR) int {
			return cmp.Or(strings.Compare(x.Name, y.Name), cmp.Compare(x.Type, y.Type),
				strings.Compare(x.Rdata, y.Rdata), cmp.Compare(x.TTL, y.TTL))
		})
	}
	return slices.Equal(sa, sb)
}

// Redacted is a copy of a whose records (the answer, authority NS and
// glue sections) have their plain values given to replace before
// anything renders them (Text, RRText, RdataText): each section's owner
// names, then its records' RDATA text fields (a TXT record's
// character-strings, a target's name), in one call (zone.RedactRRs: a
// secret split across the strings of a record or the records of an
// RRset is read whole), and so again for each order the records are
// shown in: as the server sent them (a reader of its answer, a finding
// quoting them as received), as Text sorts them, and as a report prints
// an RRset's records (zone.PrintOrders), each reading given what the one
// before left (zone.RedactOrders): a server may send an RRset's records
// in any order (a rotation, BIND's rrset-order), and a secret split
// across them is masked in whichever order joins it. A record's
// presentation form escapes a TXT string's tab or non-ASCII bytes (\009,
// \194\160), which no reader of the escaped text takes for a separator:
// redact before you render. A record replace changed is packed again;
// one that no longer packs is kept as it was. With replace nil, or a nil
// a, a itself.
func (a *Answer) Redacted(replace func([]string) []string) *Answer {
	if a == nil || replace == nil {
		return a
	}
	c := *a
	c.Answer, c.NS, c.Glue = redactRRs(a.Answer, replace), redactRRs(a.NS, replace), redactRRs(a.Glue, replace)
	return &c
}

// redactRRs is Answer.Redacted's copy of one section.
func redactRRs(rrs []RR, replace func([]string) []string) []RR {
	if len(rrs) == 0 {
		return rrs
	}
	out := slices.Clone(rrs)
	var parsed []dns.RR
	var recs []zone.Record
	var idx []int
	var names []string
	for i, r := range rrs {
		rr, err := zone.FromRdata(dns.RR_Header{Name: r.Name, Rrtype: r.Type, Class: dns.ClassINET, Ttl: r.TTL}, r.Rdata)
		if err != nil {
			continue // shown as \# and hex: the output's redaction reads it
		}
		if !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
		parsed, idx = append(parsed, rr), append(idx, i)
		recs = append(recs, zone.Record{Rdata: r.Rdata, TTL: r.TTL})
	}
	// Text's order (by the record's whole text), then a report's.
	byText := make([]int, len(parsed))
	texts := make([]string, len(parsed))
	for k := range byText {
		byText[k], texts[k] = k, RRText(rrs[idx[k]])
	}
	slices.SortStableFunc(byText, func(x, y int) int { return cmp.Compare(texts[x], texts[y]) })
	var orders [][]int
	for _, o := range append([][]int{byText}, zone.PrintOrders(recs, parsed)...) {
		if !slices.IsSorted(o) && !slices.ContainsFunc(orders, func(p []int) bool { return slices.Equal(p, o) }) {
			orders = append(orders, o)
		}
	}
	masked, changed := zone.RedactOrders(names, parsed, orders, replace)
	owner := map[string]string{}
	for i, n := range names {
		owner[n] = masked[i]
	}
	for i, at := range idx {
		if m, ok := owner[out[at].Name]; ok {
			out[at].Name = m
		}
		if !changed[i] {
			continue
		}
		if rdata, _, err := zone.PackRdata(parsed[i], nil); err == nil {
			out[at].Rdata = string(rdata)
		}
	}
	return out
}
