package redact

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
)

// Plainer is a value that knows how its plain values are written inside
// it (a record's character-strings and names packed in its wire form):
// Plain gives it replace, which redacts the plain values given (read one
// after another, as ReplaceStrings), and takes the copy it returns, of
// the same type, in its place.
type Plainer interface {
	RedactPlain(replace func([]string) []string) any
}

// Plain is a copy of v, what a command is about to render (a report's
// entries, findings, problems), with the secrets in its plain values
// replaced before anything escapes or renders them (Markdown, a record's
// presentation form, JSON, text): redact before you escape or render.
// The strings of v's exported fields, slices, arrays, map values,
// pointers and interfaces are read one after another in that order
// (ReplaceStrings: a secret split across a TXT record's strings or the
// records of one RRset is found); a Plainer redacts its own, held by
// value too when its pointer is the Plainer (a zone.RRSet in a slice). Map keys,
// unexported fields and strings a field tagged `redact:"-"` holds are
// kept as they are (what Replace then reads in the output: the second
// net). v itself is not changed; with no secret, v is returned.
func Plain[T any](s *Secrets, v T) T {
	if s == nil || s.Len() == 0 {
		return v
	}
	p := &plainCopy{s: s, seen: map[pointerKey]reflect.Value{}}
	in := reflect.ValueOf(&v).Elem()
	out := reflect.New(in.Type()).Elem()
	p.copy(out, in)
	vs := make([]string, len(p.strs))
	for i, sv := range p.strs {
		vs[i] = sv.String()
	}
	rs := s.ReplaceStrings(vs)
	if len(p.keyed) > 0 {
		// One redaction for a key's text wherever it stands.
		one := map[string]string{}
		for i, v := range vs {
			if !p.keyed[v] {
				continue
			}
			if r, ok := one[v]; !ok {
				one[v] = rs[i]
			} else if r != rs[i] {
				one[v] = Mask
			}
		}
		for i, v := range vs {
			if r, ok := one[v]; ok {
				rs[i] = r
			}
		}
	}
	for i, r := range rs {
		if r != vs[i] {
			p.strs[i].SetString(r)
		}
	}
	for _, set := range p.maps {
		set()
	}
	return out.Interface().(T)
}

// plainCopy is Plain's deep copy: strs are the copy's strings, in order;
// seen the copies of the pointers met (shared or cyclic values are
// copied once).
type plainCopy struct {
	s    *Secrets
	strs []reflect.Value
	seen map[pointerKey]reflect.Value
	// maps are set once their keys' and values' strings are replaced (a
	// value in a map is no settable place), innermost first.
	maps []func()
	// inKey counts the map keys being copied; keyed are the strings
	// met in them (their text is given one redaction wherever it stands).
	inKey int
	keyed map[string]bool
}

// afterMap sets m's entries, keys to vals, once the strings are
// replaced; keys that became one (they differed only in a secret) hold
// the zero value.
func (p *plainCopy) afterMap(m reflect.Value, keys, vals []reflect.Value) {
	p.maps = append(p.maps, func() {
		for i, k := range keys {
			if m.MapIndex(k).IsValid() {
				m.SetMapIndex(k, reflect.Zero(m.Type().Elem()))
				continue
			}
			m.SetMapIndex(k, vals[i])
		}
	})
}

// pointerKey is a pointer met, by its type and address: pointers of two
// types may hold one address (a struct and its first field, two
// zero-size values), each copied as its own type.
type pointerKey struct {
	t    reflect.Type
	addr uintptr
}

var plainerType = reflect.TypeFor[Plainer]()

// copy sets dst (settable, of src's type) to a copy of src.
func (p *plainCopy) copy(dst, src reflect.Value) {
	if src.Type().Implements(plainerType) && src.CanInterface() && !(src.Kind() == reflect.Pointer && src.IsNil()) {
		if r := reflect.ValueOf(src.Interface().(Plainer).RedactPlain(p.s.ReplaceStrings)); r.IsValid() && r.Type() == src.Type() {
			dst.Set(r)
			return
		}
	}
	if src.Kind() != reflect.Pointer && src.Kind() != reflect.Interface && reflect.PointerTo(src.Type()).Implements(plainerType) && src.CanInterface() {
		// A Plainer by its pointer (zone.RRSet) held by value: a field,
		// a slice's item, a map's value. Its own RedactPlain is what
		// reads its plain values (a record's wire RDATA, which the
		// generic copy would mask as bytes, length octets and all).
		at := reflect.New(src.Type())
		at.Elem().Set(src)
		if r := reflect.ValueOf(at.Interface().(Plainer).RedactPlain(p.s.ReplaceStrings)); r.IsValid() && r.Type() == at.Type() && !r.IsNil() {
			dst.Set(r.Elem())
			return
		}
	}
	switch src.Kind() {
	case reflect.String:
		dst.Set(src)
		p.strs = append(p.strs, dst)
		if p.inKey > 0 {
			if p.keyed == nil {
				p.keyed = map[string]bool{}
			}
			p.keyed[src.String()] = true
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		key := pointerKey{src.Type(), src.Pointer()}
		if c, ok := p.seen[key]; ok {
			dst.Set(c)
			return
		}
		c := reflect.New(src.Type().Elem())
		p.seen[key] = c
		p.copy(c.Elem(), src.Elem())
		dst.Set(c)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		c := reflect.New(src.Elem().Type()).Elem()
		p.copy(c, src.Elem())
		dst.Set(c)
	case reflect.Struct:
		dst.Set(src) // unexported fields as they are
		t := src.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && f.Tag.Get("redact") != "-" {
				p.copy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		c := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			p.copy(c.Index(i), src.Index(i))
		}
		dst.Set(c)
	case reflect.Array:
		for i := range src.Len() {
			p.copy(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(src.Type(), src.Len())
		in := sortedKeys(src)
		keys := make([]reflect.Value, len(in))
		vals := make([]reflect.Value, len(in))
		for i, k := range in {
			keys[i] = reflect.New(src.Type().Key()).Elem()
			p.inKey++
			p.copy(keys[i], k)
			p.inKey--
			vals[i] = reflect.New(src.Type().Elem()).Elem()
			p.copy(vals[i], src.MapIndex(k))
		}
		p.afterMap(c, keys, vals)
		dst.Set(c)
	default:
		dst.Set(src)
	}
}

// sortedKeys are m's keys in the order of their text (fmt's %v), so that
// Plain reads a map's strings in one order from run to run.
func sortedKeys(m reflect.Value) []reflect.Value {
	type key struct {
		k    reflect.Value
		text string
	}
	ks := make([]key, 0, m.Len())
	for _, k := range m.MapKeys() {
		t := ""
		if k.Kind() == reflect.String {
			t = k.String()
		} else if k.CanInterface() {
			t = fmt.Sprint(k.Interface())
		}
		ks = append(ks, key{k, t})
	}
	slices.SortStableFunc(ks, func(a, b key) int { return cmp.Compare(a.text, b.text) })
	out := make([]reflect.Value, len(ks))
	for i, k := range ks {
		out[i] = k.k
	}
	return out
}
