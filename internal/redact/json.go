package redact

// This file holds the redaction of JSON texts and lists of strings
// (ReplaceBytes, ReplaceStrings): a secret read within one string and
// across strings side by side.

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
)

// ReplaceBytes is Replace for a byte slice (a JSON report, a file). In a
// JSON text (an object or an array) only its strings are replaced, each
// decoded and encoded again: a secret that is also a number there (a
// four-digit account id equal to a TTL) leaves the numbers and the text
// valid JSON, and no replacement can end a string early.
func (s *Secrets) ReplaceBytes(b []byte) []byte {
	if s == nil || s.Len() == 0 {
		return b
	}
	if isJSON(b) {
		return s.replaceJSONStrings(b)
	}
	return []byte(s.Replace(string(b)))
}

// isJSON reports whether b is a JSON object or array.
func isJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// replaceJSONStrings replaces the secrets in every string (keys too) of
// b, a valid JSON text, but a time (RFC 3339, as encoding/json writes a
// time.Time: what the run wrote, never a secret, and digits a numeric
// secret would break); everything else is kept byte for byte. The
// values (every string but keys and times) are also read one after
// another, joined (acrossStrings): a secret split across strings (a TXT
// record's character-strings, an array's items), each piece under
// MinCut, is masked in each.
func (s *Secrets) replaceJSONStrings(b []byte) []byte {
	m, decoded := s.finders()
	if m == nil {
		return b
	}
	var strs []jsonStr
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		for b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		var v string
		if json.Unmarshal(b[i:j+1], &v) == nil && !isTime(v) {
			k := j + 1
			for k < len(b) && isBlank[b[k]] {
				k++
			}
			strs = append(strs, jsonStr{at: i, end: j + 1, v: v, key: k < len(b) && b[k] == ':'})
		}
		i = j
	}
	rs := maskStrings(strs, m, decoded, s.cellNeedles(decoded))
	var out []byte
	last := 0
	for n, str := range strs {
		lit := b[str.at:str.end]
		// The decoded string (maskStrings), and the literal as written
		// (a form escaped otherwise than the encoder would).
		r := rs[n]
		if r == str.v && slices.Contains(mark(string(lit), m, decoded, false), true) {
			r = Mask
		}
		if r == str.v {
			continue
		}
		var enc bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetEscapeHTML(false)
		if e.Encode(r) == nil {
			out = append(append(out, b[last:str.at]...), bytes.TrimSuffix(enc.Bytes(), []byte("\n"))...)
			last = str.end
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// maskStrings is each of strs with the secrets in it replaced: each
// string read in every layer across cells (a TXT record's strings, a
// name's labels in one value: each is short), and the values (strs but
// keys) read one after another (acrossStrings).
func maskStrings(strs []jsonStr, m *matcher, decoded, cells *needles) []string {
	out := make([]string, len(strs))
	for n, masked := range maskGroups(strs, [][]int{nil}, m, decoded, cells) {
		out[n] = strs[n].v
		if masked != nil {
			out[n] = applyMask(strs[n].v, masked)
		}
	}
	return out
}

// maskGroups is which bytes of each of strs maskStrings masks, with the
// values read one after another in groups (the indexes of strs each
// holds; nil: all of strs), each on its own: a report's strings, and
// each RRset's. A value that stands in strs more than once (a type, a
// zone's name) is read in its layers once: the masks of values no group
// reads across are shared, not to be changed; a value the gate clears
// (matcher.gate) has none (nil).
func maskGroups(strs []jsonStr, groups [][]int, m *matcher, decoded, cells *needles) [][]bool {
	across := map[int][]bool{}
	var scratch acrossScratch
	for _, g := range groups {
		for k, x := range scratch.acrossStrings(strs, g, m, decoded) {
			if y := across[k]; y != nil {
				for j := range x {
					x[j] = x[j] || y[j]
				}
			}
			across[k] = x
		}
	}
	// mark is a function of the value alone: each distinct one once,
	// and none the gate clears (nil: nothing masked).
	alone := map[string][]bool{}
	out := make([][]bool, len(strs))
	for n, str := range strs {
		x := across[n]
		if str.omit || x == nil && m.gate.clear(str.v) {
			continue
		}
		if masked, ok := alone[str.v]; ok && x == nil {
			out[n] = masked
			continue
		}
		masked := mark(str.v, m, cells, false)
		if x == nil {
			out[n] = masked
			alone[str.v] = masked
			continue
		}
		for k, b := range x {
			masked[k] = masked[k] || b
		}
		out[n] = masked
	}
	return out
}

// ReplaceStrings is vs, values a run is about to escape or render (a
// report's fields, a record's character-strings), each with the secrets
// in it replaced as ReplaceBytes replaces a JSON report's strings: each
// in every decoded layer, and all read one after another (a secret split
// across a TXT record's strings or an RRset's records, each piece under
// MinCut). A time as encoding/json writes one is kept (isTime). vs is
// not changed.
func (s *Secrets) ReplaceStrings(vs []string) []string {
	return s.replaceGroups(vs, [][]int{nil})
}

// replaceGroups is ReplaceStrings with vs read one after another in
// groups, each on its own (the indexes of vs each holds; nil: all of
// vs): Plain's one call for a report's strings (one group) and the
// RRsets' in it (a group each), which read as that many calls of
// ReplaceStrings, each group's, read them.
func (s *Secrets) replaceGroups(vs []string, groups [][]int) []string {
	out := slices.Clone(vs)
	for i, masked := range s.maskedGroups(vs, groups) {
		if masked != nil {
			out[i] = applyMask(vs[i], masked)
		}
	}
	return out
}

// maskedGroups is which bytes of each of vs replaceGroups masks (nil for
// a value it does not read: empty, a time).
func (s *Secrets) maskedGroups(vs []string, groups [][]int) [][]bool {
	if s == nil || len(vs) == 0 {
		return make([][]bool, len(vs))
	}
	m, decoded := s.finders()
	if m == nil {
		return make([][]bool, len(vs))
	}
	// One jsonStr a value, in vs's order: the groups index them as
	// they are (a copy of the values read and of the groups reindexed
	// cost a large plan as much again, bench/plain).
	strs := make([]jsonStr, len(vs))
	for i, v := range vs {
		strs[i] = jsonStr{v: v, omit: v == "" || isTime(v)}
	}
	return maskGroups(strs, groups, m, decoded, s.cellNeedles(decoded))
}

// jsonStr is a string of a JSON text: where its literal starts and
// ends, its value, and whether it is an object's key; or a value of
// replaceGroups.
type jsonStr struct {
	at, end int
	v       string
	key     bool
	// omit: a value no reading reads, alone or across (replaceGroups:
	// an empty one, a time).
	omit bool
}

// acrossStrings are the bytes of each of strs (by index; nil: none) that
// a secret running across values one after another covers: the values
// of strs at g (nil: all of strs), but keys and omitted ones, are
// joined and marked as Replace marks a text (across the quotes of
// values "\"pk_7H\"", "\"q2mZ9\"" too: markCells), and a run of marked
// bytes is kept when it crosses from one value into the next and is
// MinCut bytes or more (a run within one value Replace finds there; a
// short secret made only by a join, "36" "00", is none). Only the
// stretches of the joined text the gate may find a needle around are
// read (gate.spans, widened to whole values): the rest of a large
// report's values holds none (bench/plain).
// s holds what one call leaves for the next to reuse (a plan's RRsets
// are a group each).
func (s *acrossScratch) acrossStrings(strs []jsonStr, g []int, m *matcher, decoded *needles) map[int][]bool {
	s.idx, s.starts, s.joined = s.idx[:0], s.starts[:0], s.joined[:0]
	add := func(n int) {
		if !strs[n].key && !strs[n].omit {
			s.idx = append(s.idx, n)
			s.starts = append(s.starts, len(s.joined))
			s.joined = append(s.joined, strs[n].v...)
		}
	}
	each := func(f func(n int)) {
		if g == nil {
			for n := range strs {
				f(n)
			}
			return
		}
		for _, n := range g {
			f(n)
		}
	}
	// Sized once: grown value by value, the buffers of the report's
	// own strings (one group of all of them) were copied as often as
	// they doubled (bench/plain).
	values, size := 0, 0
	each(func(n int) {
		if !strs[n].key && !strs[n].omit {
			values, size = values+1, size+len(strs[n].v)
		}
	})
	s.idx, s.starts, s.joined = slices.Grow(s.idx, values), slices.Grow(s.starts, values), slices.Grow(s.joined, size)
	each(add)
	if len(s.idx) < 2 {
		return nil
	}
	// The joined text is read as bytes: only the stretches the gate
	// does not clear are made strings (acrossIn).
	var out map[int][]bool
	for _, w := range valueSpans(gateSpans(m.gate, s.joined), s.starts, len(s.joined)) {
		if out == nil {
			out = map[int][]bool{}
		}
		acrossIn(s.joined, w, strs, s.idx, s.starts, m, decoded, out)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// acrossScratch are the buffers acrossStrings reuses from one group to
// the next: the values' indexes in strs, where each starts in the
// joined text, and that text.
type acrossScratch struct {
	idx, starts []int
	joined      []byte
}

// acrossStrings is acrossStrings of all of strs, with buffers of its own.
func acrossStrings(strs []jsonStr, m *matcher, decoded *needles) map[int][]bool {
	var s acrossScratch
	return s.acrossStrings(strs, nil, m, decoded)
}

// valueSpans are spans (in order, as gate.spans gives them) widened to
// the values they touch (starts: where each value starts in a text of
// n bytes) and merged where they meet: a span read is made of whole
// values, so that every value is read with its own context, as the
// whole text reads it.
func valueSpans(spans [][2]int, starts []int, n int) [][2]int {
	var out [][2]int
	for _, sp := range spans {
		lo := starts[sort.SearchInts(starts, sp[0]+1)-1]
		hi := n
		if k := sort.SearchInts(starts, sp[1]); k < len(starts) {
			hi = starts[k]
		}
		if len(out) > 0 && lo <= out[len(out)-1][1] {
			out[len(out)-1][1] = max(out[len(out)-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// acrossIn is acrossStrings' reading of text[w[0]:w[1]] (whole values:
// valueSpans), adding to out the bytes of each value a run crossing
// values covers.
func acrossIn[T string | []byte](text T, w [2]int, strs []jsonStr, idx, starts []int, m *matcher, decoded *needles, out map[int][]bool) {
	if gateClear(m.gate, text[w[0]:w[1]]) {
		return // no reading of the values joined holds a secret
	}
	part := string(text[w[0]:w[1]])
	// Across cells too, as they stand (markCells): the records of one
	// RRset, each quoted as a TXT record's presentation quotes it.
	masked := mark(part, m, decoded, true)
	// crosses: a value's start lies inside the run [a, b).
	crosses := func(a, b int) bool {
		k := sort.SearchInts(starts, a+1)
		return k < len(starts) && starts[k] < b
	}
	for a := 0; a < len(masked); {
		if !masked[a] {
			a++
			continue
		}
		b := a
		for b < len(masked) && masked[b] {
			b++
		}
		if ta, tb := w[0]+a, w[0]+b; b-a >= MinCut && crosses(ta, tb) {
			for k := sort.SearchInts(starts, ta+1) - 1; k < len(idx) && starts[k] < tb; k++ {
				v := strs[idx[k]].v
				if out[idx[k]] == nil {
					out[idx[k]] = make([]bool, len(v))
				}
				for x := max(ta, starts[k]); x < min(tb, starts[k]+len(v)); x++ {
					out[idx[k]][x-starts[k]] = true
				}
			}
		}
		a = b
	}
}
