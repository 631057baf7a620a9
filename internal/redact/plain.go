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
// net). v itself is not changed; with no secret, or none in v's plain
// values, v is returned.
func Plain[T any](s *Secrets, v T) T {
	if s == nil || s.Len() == 0 {
		return v
	}
	in := reflect.ValueOf(&v).Elem()
	r := plainReading(s, in)
	masks := s.maskedGroups(r.vals, append([][]int{r.strAt}, r.groups...))
	if !slices.ContainsFunc(masks, func(m []bool) bool { return slices.Contains(m, true) }) {
		return v
	}
	p := &plainCopy{s: s, seen: map[pointerKey]reflect.Value{}}
	out := reflect.New(in.Type()).Elem()
	p.copy(out, in)
	// Every plain value, the Plainers' too, in one ReplaceStrings: read
	// one after another as the copy met them (a call for each RRset
	// cost a large plan five times its rendering, bench/plain).
	vs := p.vals
	rs := s.replaceGroups(vs, append([][]int{p.strAt}, p.groups...))
	if len(p.keyed) > 0 {
		// One redaction for a key's text wherever it stands.
		one := map[string]string{}
		for _, i := range p.strAt {
			v := vs[i]
			if !p.keyed[v] {
				continue
			}
			if r, ok := one[v]; !ok {
				one[v] = rs[i]
			} else if r != rs[i] {
				one[v] = Mask
			}
		}
		for _, i := range p.strAt {
			if r, ok := one[vs[i]]; ok {
				rs[i] = r
			}
		}
	}
	for k, i := range p.strAt {
		if rs[i] != vs[i] {
			p.strs[k].SetString(rs[i])
		}
	}
	for _, pl := range p.plainers {
		if !slices.Equal(rs[pl.from:pl.to], vs[pl.from:pl.to]) {
			pl.again(rs[pl.from:pl.to])
		}
	}
	for _, set := range p.after {
		set()
	}
	return out.Interface().(T)
}

// plainReading is in's values read first with no copy made (read): a
// copy costs a large plan, which holds no secret, more than reading it
// (bench/plain); made, reading them again, only when one changes.
func plainReading(s *Secrets, in reflect.Value) *plainCopy {
	r := &plainCopy{s: s, seen: map[pointerKey]reflect.Value{}, read: true}
	if m, _ := s.finders(); m != nil {
		r.gate = m.gate
	}
	r.copy(reflect.Value{}, in)
	return r
}

// plainCopy is Plain's deep copy: strs are the copy's strings, in order;
// seen the copies of the pointers met (shared or cyclic values are
// copied once). With read, nothing is copied (dst is no Value, seen's
// values neither): only the plain values are read, in the order the copy
// reads them.
type plainCopy struct {
	s    *Secrets
	read bool
	// gate, when reading (read), leaves out what a Plainer gives that
	// it clears read one after another (gate.clearJoined: a group no
	// reading of which holds a needle, as maskGroups would read it),
	// joined in buf: a large plan's values were kept, indexed and read
	// again only to find nothing (bench/plain).
	gate *gate
	buf  []byte
	strs []reflect.Value
	// vals are the plain values met, in order: strs' (at strAt) and
	// those each Plainer gave (plainers), read in one ReplaceStrings.
	vals     []string
	strAt    []int
	plainers []plainerAt
	// groups are the indexes in vals of what each Plainer gave in one
	// call of its replace: read one after another, as one call of
	// ReplaceStrings reads them (strAt are another).
	groups [][]int
	seen   map[pointerKey]reflect.Value
	// after set maps and interfaces once their keys' and values'
	// strings are replaced (a value in a map is no settable place, an
	// interface holds a copy), innermost first.
	after []func()
	// inKey counts the map keys being copied; keyed are the strings
	// met in them (their text is given one redaction wherever it stands).
	inKey int
	keyed map[string]bool
}

// afterMap sets m's entries, keys to vals, once the strings are
// replaced; keys that became one (they differed only in a secret) hold
// the zero value.
func (p *plainCopy) afterMap(m reflect.Value, keys, vals []reflect.Value) {
	p.after = append(p.after, func() {
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
	if p.plainer(dst, src) {
		return
	}
	switch src.Kind() {
	case reflect.String:
		if !p.read {
			dst.Set(src)
			p.strs = append(p.strs, dst)
		}
		p.strAt = append(p.strAt, len(p.vals))
		p.vals = append(p.vals, src.String())
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
			p.set(dst, c)
			return
		}
		if p.read {
			p.seen[key] = reflect.Value{}
			p.copy(reflect.Value{}, src.Elem())
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
		c := p.new(src.Elem().Type())
		p.copy(c, src.Elem())
		if !p.read {
			// Once its strings are replaced: an interface holds a
			// copy of c, which SetString and a Plainer's again would
			// no longer reach (a secret in a string or a Plainer
			// held in an interface was left).
			p.after = append(p.after, func() { dst.Set(c) })
		}
	case reflect.Struct:
		p.set(dst, src) // unexported fields as they are
		t := src.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && f.Tag.Get("redact") != "-" {
				p.copy(p.at(dst, i, reflect.Value.Field), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		var c reflect.Value
		if !p.read {
			c = reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		}
		for i := range src.Len() {
			p.copy(p.at(c, i, reflect.Value.Index), src.Index(i))
		}
		p.set(dst, c)
	case reflect.Array:
		for i := range src.Len() {
			p.copy(p.at(dst, i, reflect.Value.Index), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		in := sortedKeys(src)
		keys := make([]reflect.Value, len(in))
		vals := make([]reflect.Value, len(in))
		for i, k := range in {
			keys[i] = p.new(src.Type().Key())
			p.inKey++
			p.copy(keys[i], k)
			p.inKey--
			vals[i] = p.new(src.Type().Elem())
			p.copy(vals[i], src.MapIndex(k))
		}
		if !p.read {
			c := reflect.MakeMapWithSize(src.Type(), src.Len())
			p.afterMap(c, keys, vals)
			dst.Set(c)
		}
	default:
		p.set(dst, src)
	}
}

// set sets dst to v, but when only reading (plainCopy.read).
func (p *plainCopy) set(dst, v reflect.Value) {
	if !p.read {
		dst.Set(v)
	}
}

// new is a settable zero value of type t, no Value when only reading.
func (p *plainCopy) new(t reflect.Type) reflect.Value {
	if p.read {
		return reflect.Value{}
	}
	return reflect.New(t).Elem()
}

// at is v's i-th field or item (field: reflect.Value.Field or Index), no
// Value when only reading.
func (p *plainCopy) at(v reflect.Value, i int, field func(reflect.Value, int) reflect.Value) reflect.Value {
	if p.read {
		return reflect.Value{}
	}
	return field(v, i)
}

// plainerAt is a Plainer's place in the copy: the plain values it gave
// are vals[from:to]; again sets its copy from what ReplaceStrings made
// of them.
type plainerAt struct {
	from, to int
	again    func(rs []string)
}

// plainer sets dst to src's own copy when src is a Plainer (or a Plainer
// by its pointer, zone.RRSet, held by value: a field, a slice's item, a
// map's value: its RedactPlain reads its plain values, a record's wire
// RDATA, which the generic copy would mask as bytes, length octets and
// all), and reports whether it did. Its plain values are only recorded
// here (RedactPlain is given them back as they are): Plain replaces them
// with everything else's, and calls RedactPlain again, given what that
// made of them, only for a Plainer one of whose values changed.
func (p *plainCopy) plainer(dst, src reflect.Value) bool {
	var call func(replace func([]string) []string) (reflect.Value, bool)
	switch {
	case src.Type().Implements(plainerType) && src.CanInterface() && !(src.Kind() == reflect.Pointer && src.IsNil()):
		call = func(replace func([]string) []string) (reflect.Value, bool) {
			r := reflect.ValueOf(src.Interface().(Plainer).RedactPlain(replace))
			return r, r.IsValid() && r.Type() == src.Type()
		}
	case src.Kind() != reflect.Pointer && src.Kind() != reflect.Interface && reflect.PointerTo(src.Type()).Implements(plainerType) && src.CanInterface():
		call = func(replace func([]string) []string) (reflect.Value, bool) {
			at := reflect.New(src.Type())
			at.Elem().Set(src)
			r := reflect.ValueOf(at.Interface().(Plainer).RedactPlain(replace))
			if r.IsValid() && r.Type() == at.Type() && !r.IsNil() {
				return r.Elem(), true
			}
			return reflect.Value{}, false
		}
	default:
		return false
	}
	from := len(p.vals)
	groups := len(p.groups)
	r, ok := call(func(vs []string) []string {
		if p.read && p.gate.clearJoined(vs, &p.buf) {
			return vs
		}
		g := make([]int, len(vs))
		for k := range g {
			g[k] = len(p.vals) + k
		}
		p.groups = append(p.groups, g)
		p.vals = append(p.vals, vs...)
		return vs // as given: read, not kept (p.vals holds a copy)
	})
	if !ok {
		p.vals, p.groups = p.vals[:from], p.groups[:groups]
		return false
	}
	if p.read {
		return true
	}
	dst.Set(r)
	p.plainers = append(p.plainers, plainerAt{from: from, to: len(p.vals), again: func(rs []string) {
		k := 0
		r, ok := call(func(vs []string) []string {
			if k+len(vs) > len(rs) || !slices.Equal(vs, p.vals[from+k:from+k+len(vs)]) {
				// Not the values it gave first: read on their own.
				return p.s.ReplaceStrings(vs)
			}
			k += len(vs)
			return slices.Clone(rs[k-len(vs) : k])
		})
		if ok {
			dst.Set(r)
		}
	}})
	return true
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
