package zone

import (
	"reflect"
	"slices"

	"github.com/miekg/dns"
)

// RedactPlain is a copy of s with its plain values, the owner name and
// each record's text fields (a TXT record's character-strings, a
// target's name, an SOA's names), given to replace in that order, one
// after another, and each record packed again from what replace gave:
// redact.Plain's way to reach what the wire RDATA holds, so that a
// report redacts a record before its presentation form escapes it (a
// line break in a TXT string written \010). A record that no longer
// packs is kept as it was (the output's redaction still reads it).
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
	vs := []string{s.Name}
	var at [][]reflect.Value
	for _, rr := range rrs {
		var fields []reflect.Value
		if v := reflect.ValueOf(rr); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			fields = plainFields(v.Elem())
		}
		for _, f := range fields {
			vs = append(vs, f.String())
		}
		at = append(at, fields)
	}
	rs := replace(vs)
	c.Name = rs[0]
	k := 1
	for i, rr := range rrs {
		changed := false
		for _, f := range at[i] {
			if rs[k] != f.String() {
				f.SetString(rs[k])
				changed = true
			}
			k++
		}
		if !changed {
			continue
		}
		if _, rec, err := canonicalRecord(rr, s.Records[i].Pos, nil); err == nil {
			rec.TTL = s.Records[i].TTL
			c.Records[i] = rec
		}
	}
	return &c
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
