package zone

import (
	"reflect"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// RedactPlain is a copy of s with its plain values, the owner name and
// each record's text fields (a TXT record's character-strings, a
// target's name, an SOA's names), given to replace in that order, one
// after another, and each record packed again from what replace gave:
// redact.Plain's way to reach what the wire RDATA holds, so that a
// report redacts a record before its presentation form escapes it (a
// line break in a TXT string written \010). The records are read in
// every order a report prints them in too (PrintOrders: a secret split
// across records written in another order stands whole once they are
// sorted), each reading given what the one before left. A record that
// no longer packs is kept as it was (the output's redaction still reads
// it).
func (s *RRSet) RedactPlain(replace func([]string) []string) any {
	if s == nil {
		return s
	}
	c := *s
	c.Records = slices.Clone(s.Records)
	rrs := s.RRs()
	if len(rrs) != len(s.Records) {
		return &c
	}
	var orders [][]int
	if len(rrs) > 1 && len(rrFields(rrs[0])) > 0 {
		// Records without text (A, AAAA) join nothing in any order.
		orders = PrintOrders(s.Records, rrs)
	}
	names, changed := RedactOrders([]string{s.Name}, rrs, orders, replace)
	c.Name = names[0]
	for i, rr := range rrs {
		if !changed[i] {
			continue
		}
		if _, rec, err := canonicalRecord(rr, s.Records[i].Pos, nil); err == nil {
			rec.TTL = s.Records[i].TTL
			c.Records[i] = rec
		}
	}
	return &c
}

// RedactRRs gives replace, in one call, the strings of head (names a
// caller shows with the records: an RRset's owner) and then the plain
// values of rrs' RDATA in order (a TXT record's character-strings, a
// target's name, an SOA's names; not the header), so that a secret split
// across the strings of a record or the records of an RRset is read
// whole, and sets each RDATA field to what replace gave. It returns head
// as replaced and which records changed (to be packed again: rrs are the
// caller's own copies, changed in place). Redact before you render: a
// report's presentation form escapes a TXT string's tab or non-ASCII
// bytes (\009, \194\160), which no reader of the escaped text takes for
// a separator.
func RedactRRs(head []string, rrs []dns.RR, replace func([]string) []string) ([]string, []bool) {
	vs := slices.Clone(head)
	at := make([][]reflect.Value, len(rrs))
	for i, rr := range rrs {
		at[i] = rrFields(rr)
		for _, f := range at[i] {
			vs = append(vs, f.String())
		}
	}
	rs := replace(vs)
	changed := make([]bool, len(rrs))
	k := len(head)
	for i := range rrs {
		for _, f := range at[i] {
			if rs[k] != f.String() {
				f.SetString(rs[k])
				changed[i] = true
			}
			k++
		}
	}
	return rs[:len(head)], changed
}

// rrFields are plainFields of rr's RDATA (none when rr is no pointer to
// a struct).
func rrFields(rr dns.RR) []reflect.Value {
	if v := reflect.ValueOf(rr); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		return plainFields(v.Elem())
	}
	return nil
}

// plainFields are the settable strings of an RR's RDATA fields (not its
// header): string fields and the items of []string fields, in order.
func plainFields(v reflect.Value) []reflect.Value {
	var out []reflect.Value
	t := v.Type()
	for i := range t.NumField() {
		f := v.Field(i)
		if !t.Field(i).IsExported() || f.Type() == reflect.TypeFor[dns.RR_Header]() {
			continue
		}
		switch {
		case f.Kind() == reflect.String:
			out = append(out, f)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			for j := range f.Len() {
				out = append(out, f.Index(j))
			}
		}
	}
	return out
}

// RedactOrders is RedactRRs of head and rrs as they stand, then of rrs
// in each of orders (indexes into rrs: PrintOrders), each reading given
// what the one before left (head as replaced, rrs changed in place): a
// secret split across records that one order reads whole is masked
// wherever the records stand. It returns head as replaced and which
// records changed in any reading.
func RedactOrders(head []string, rrs []dns.RR, orders [][]int, replace func([]string) []string) ([]string, []bool) {
	names, changed := RedactRRs(head, rrs, replace)
	for _, order := range orders {
		in := make([]dns.RR, len(order))
		for k, i := range order {
			in[k] = rrs[i]
		}
		var more []bool
		names, more = RedactRRs(names, in, replace)
		for k, i := range order {
			changed[i] = changed[i] || more[k]
		}
	}
	return names, changed
}

// PrintOrders are the orders, other than as they stand, in which the
// tool prints the records of one RRset (recs, and rrs, the same records
// parsed), as indexes into them: by presentation text (a plan's
// columns, report.rdataStrings), by canonical wire form (RFC 4034 §6.3:
// RRSet.Digest, a provider's listing compared), and for TXT and SPF by
// their strings joined (parity's comparison of what servers answer).
// Each order once; none for a set of fewer than two records.
func PrintOrders(recs []Record, rrs []dns.RR) [][]int {
	if len(recs) < 2 || len(rrs) != len(recs) {
		return nil
	}
	byText := make([]string, len(rrs))
	byJoined := make([]string, len(rrs))
	for i, rr := range rrs {
		byText[i] = RdataString(rr)
		if t := rr.Header().Rrtype; t == dns.TypeTXT || t == dns.TypeSPF {
			byJoined[i] = strings.Join(TXTStrings(recs[i].Rdata), "")
		}
	}
	byWire := make([]string, len(recs))
	for i, r := range recs {
		byWire[i] = r.Rdata
	}
	as := make([]int, len(recs))
	for i := range as {
		as[i] = i
	}
	out := [][]int{}
	for _, key := range [][]string{byText, byWire, byJoined} {
		o := slices.Clone(as)
		slices.SortStableFunc(o, func(a, b int) int { return strings.Compare(key[a], key[b]) })
		if !slices.Equal(o, as) && !slices.ContainsFunc(out, func(p []int) bool { return slices.Equal(p, o) }) {
			out = append(out, o)
		}
	}
	return out
}
