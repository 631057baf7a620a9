package redact

import "reflect"

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
// records of one RRset is found); a Plainer redacts its own. Map keys,
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
	for i, r := range s.ReplaceStrings(vs) {
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
	// maps are set once their values' strings are replaced (a value in
	// a map is no settable place), innermost first.
	maps []func()
}

// afterMap sets m's entries, keys to vals, once the strings are replaced.
func (p *plainCopy) afterMap(m reflect.Value, keys, vals []reflect.Value) {
	p.maps = append(p.maps, func() {
		for i, k := range keys {
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
	switch src.Kind() {
	case reflect.String:
		dst.Set(src)
		p.strs = append(p.strs, dst)
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
		it := src.MapRange()
		var vals []reflect.Value
		var keys []reflect.Value
		for it.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			p.copy(v, it.Value())
			keys, vals = append(keys, it.Key()), append(vals, v)
		}
		p.afterMap(c, keys, vals)
		dst.Set(c)
	default:
		dst.Set(src)
	}
}
