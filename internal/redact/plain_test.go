package redact

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type plainFinding struct {
	Name, Old, New string
	Values         []string
	Extra          any
	Nested         *plainFinding
	ByKey          map[string]plainFinding
	Wire           string `redact:"-"`
	note           string
}

// plainSet is a Plainer that keeps what it holds as one text.
type plainSet struct{ Joined string }

func (p plainSet) RedactPlain(replace func([]string) []string) any {
	parts := replace(strings.Split(p.Joined, "|"))
	return plainSet{Joined: strings.Join(parts, "|")}
}

// presentation writes a TXT string's tab, line break, quote and
// backslash as a record's presentation form does (RFC 1035 §5.1).
var presentation = strings.NewReplacer("\t", `\009`, "\n", `\010`, `"`, `\"`, `\`, `\\`).Replace

// TestPlainRedactsBeforeRendering: Plain redacts a report's plain values
// before a renderer escapes them, and the escaped output then holds no
// piece of the secret, where redacting the escaped output alone (the
// second net) leaves it: a TXT value holding the secret's pieces between
// tabs or wrapped lines, which a record's presentation form writes \009
// and \010 (and Markdown text then writes its backslashes &#92;), no
// separator to a reader of the escaped text. Every string of the copy
// is reached (fields, slices, pointers, interfaces, map keys and values), a
// secret split across the strings of a slice is masked in each, a
// Plainer redacts its own, a field tagged redact:"-" and unexported ones
// are kept, and the value given is not changed.
func TestPlainRedactsBeforeRendering(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	md := strings.NewReplacer("\\", "&#92;", "_", "&#95;", "|", "&#124;").Replace
	set := &Secrets{Escapes: []func(string) string{md, presentation}}
	set.Add(secret)
	read := strings.NewReplacer("&#92;", "", "&#95;", "_", `\009`, "", `\010`, "", " ", "").Replace
	for _, sep := range []string{"\t", "\n  "} {
		value := "key " + grouped(secret, 7, sep) + " (end)"
		for name, esc := range map[string]func(string) string{"presentation": presentation, "markdown": func(s string) string { return md(presentation(s)) }} {
			if l := leftPiece(read(set.Replace(esc(value))), secret); len(l) < MinSplit {
				t.Logf("%s, %q: the second net alone masks it now: %q", name, sep, set.Replace(esc(value)))
			}
			out := esc(Plain(set, value))
			if l := leftPiece(read(out), secret); len(l) >= MinSplit {
				t.Errorf("%s, %q: rendered after Plain, %q left: %s", name, sep, l, out)
			}
		}
	}

	pieces := []string{"pk_7Hq", "2mZ9wX", "r4/Lt8", "Vn3+Bc", "6Yd1Fg"}
	in := &plainFinding{
		Name: "acme.test.", Old: "key " + secret, New: "none",
		Values: pieces,
		Extra:  &plainFinding{Old: secret, Values: []string{"v=spf1 mx -all"}},
		Nested: &plainFinding{New: "was " + secret},
		ByKey:  map[string]plainFinding{secret: {Old: secret}},
		Wire:   secret, note: secret,
	}
	in.Nested.Nested = in // a cycle is copied once
	got := Plain(set, in)
	if got == in || got.Nested == in.Nested {
		t.Fatal("Plain did not copy")
	}
	if in.Old != "key "+secret || in.Values[0] != "pk_7Hq" || in.Extra.(*plainFinding).Old != secret {
		t.Errorf("Plain changed the value given: %+v", in)
	}
	for what, v := range map[string]string{
		"field": got.Old, "interface": got.Extra.(*plainFinding).Old, "pointer": got.Nested.New,
		"map value": got.ByKey[Mask].Old, "slice": strings.Join(got.Values, ""),
	} {
		if p := leftPiece(v, secret); len(p) >= MinSplit {
			t.Errorf("%s: %q left: %q", what, p, v)
		}
	}
	if got.Name != "acme.test." || got.New != "none" || got.Extra.(*plainFinding).Values[0] != "v=spf1 mx -all" {
		t.Errorf("text without the secret changed: %+v", got)
	}
	if _, ok := got.ByKey[secret]; ok || len(got.ByKey) != 1 || !strings.Contains(got.ByKey[Mask].Old, Mask) {
		t.Errorf("a map's key was not redacted with its value: %v", got.ByKey)
	}
	if got.Wire != secret || got.note != secret {
		t.Errorf("a field tagged redact:\"-\" or unexported was changed: %q %q", got.Wire, got.note)
	}
	if got.Nested.Nested != got {
		t.Errorf("the cycle was not copied as one value")
	}
	if ps := Plain(set, plainSet{Joined: strings.Join(pieces, "|")}); strings.Contains(ps.Joined, "7Hq") {
		t.Errorf("a Plainer's own values: %q", ps.Joined)
	}
	if Plain(nil, in) != in || Plain(&Secrets{}, in) != in {
		t.Errorf("with no secret, Plain copied")
	}
}

// wirePlain is a Plainer by its pointer that holds its values as a
// record's wire form does: each a length octet and its bytes, which the
// generic copy reads as one string with control bytes inside.
type wirePlain struct{ Wire string }

func (w *wirePlain) RedactPlain(replace func([]string) []string) any {
	var parts []string
	for s := w.Wire; len(s) > 0 && int(s[0]) < len(s); s = s[1+int(s[0]):] {
		parts = append(parts, s[1:1+int(s[0])])
	}
	var b strings.Builder
	for _, p := range replace(parts) {
		b.WriteByte(byte(len(p)))
		b.WriteString(p)
	}
	return &wirePlain{Wire: b.String()}
}

// TestPlainValueOfPointerPlainer: a Plainer by its pointer held by value
// (alone, a struct's field, a slice's item, a map's value, an array's)
// redacts its own values as it does held by pointer.
func TestPlainValueOfPointerPlainer(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	var wire strings.Builder
	for i := 0; i < len(secret); i += 6 {
		p := secret[i:min(i+6, len(secret))]
		wire.WriteByte(byte(len(p)))
		wire.WriteString(p)
	}
	w := wirePlain{Wire: wire.String()}
	type held struct {
		W     wirePlain
		Ws    []wirePlain
		ByKey map[string]wirePlain
		Arr   [1]wirePlain
	}
	h := Plain(set, held{W: w, Ws: []wirePlain{w}, ByKey: map[string]wirePlain{"k": w}, Arr: [1]wirePlain{w}})
	for what, got := range map[string]wirePlain{"pointer": *Plain(set, &w), "value": Plain(set, w), "field": h.W, "slice": h.Ws[0], "map value": h.ByKey["k"], "array": h.Arr[0]} {
		if strings.Contains(got.Wire, "7Hq") || !strings.Contains(got.Wire, Mask) {
			t.Errorf("%s: %q", what, got.Wire)
		}
	}
	if w.Wire != wire.String() {
		t.Errorf("the value given changed: %q", w.Wire)
	}
}

// TestPlainMapKeys: a map's keys are redacted as the values that hold
// their text are, so a lookup by a value the copy shows finds its entry;
// keys that differ only in a secret become one, holding the zero value.
func TestPlainMapKeys(t *testing.T) {
	const one, two = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg", "sk_Zq9Lm3Vx7Rt8sW4yB6nK2"
	set := &Secrets{}
	set.Add(one)
	set.Add(two)
	type key struct {
		Name string
		Type int
	}
	type report struct {
		Rows []string
		Done map[key]bool
		By   map[string]int
	}
	in := report{
		Rows: []string{one + ".acme.test.", "www.acme.test."},
		Done: map[key]bool{{one + ".acme.test.", 16}: true, {"www.acme.test.", 16}: true},
		By:   map[string]int{"x-" + one: 1, "x-" + two: 2, "plain": 3},
	}
	got := Plain(set, in)
	for _, row := range got.Rows {
		if !got.Done[key{row, 16}] {
			t.Errorf("row %q: its Done entry not found: %v", row, got.Done)
		}
	}
	if got.Rows[0] == in.Rows[0] || strings.Contains(got.Rows[0], "7Hq2") {
		t.Errorf("the row's owner was not redacted: %q", got.Rows[0])
	}
	if len(got.By) != 2 || got.By["x-"+Mask] != 0 || got.By["plain"] != 3 {
		t.Errorf("keys that differ only in a secret: %v", got.By)
	}
	if len(in.By) != 3 || !in.Done[key{one + ".acme.test.", 16}] {
		t.Errorf("the value given changed: %v %v", in.By, in.Done)
	}
}

// TestPlainPointersOfOneAddress: two pointers of different types may
// hold one address (a struct and its first field; two zero-size values,
// which Go may place at one address), and each is copied as its own
// type, the secret masked behind each. Plain kept one copy per address:
// the second pointer was given the first's copy, of the other type, and
// Plain panicked (reflect.Set: value of type *redact.plainFirst is not
// assignable to type *string), taking the command down with its report.
func TestPlainPointersOfOneAddress(t *testing.T) {
	const secret = "plain-address-secret-0123456789"
	s := &Secrets{}
	s.Add(secret)
	type plainFirst struct{ Text, Other string }
	type empty struct{}
	type report struct {
		Whole *plainFirst
		Text  *string
		E     *empty
		Z     *[0]int
	}
	f := &plainFirst{Text: "token " + secret, Other: "kept"}
	in := report{Whole: f, Text: &f.Text, E: &empty{}, Z: &[0]int{}}
	var out report
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Plain panicked: %v", r)
			}
		}()
		out = Plain(s, in)
	}()
	if out.Whole == nil || out.Text == nil || strings.Contains(out.Whole.Text, secret) || strings.Contains(*out.Text, secret) || out.Whole.Other != "kept" {
		t.Errorf("Plain: %+v, text %v: want the secret masked in both, Other kept", out.Whole, out.Text)
	}
	if out.E == nil || out.Z == nil {
		t.Errorf("Plain: zero-size values %v %v, want copies", out.E, out.Z)
	}
	if f.Text != "token "+secret {
		t.Errorf("the value given was changed: %q", f.Text)
	}
}

// TestPlainCopiesOnlyWhatHoldsASecret: Plain reads a value's plain
// values with no copy made, and returns the value itself when none
// holds a secret (a large plan's: its copy cost more than reading it,
// bench/plain); when one does, it returns a copy, redacted, and the
// value given is not changed, whether the secret is in a string, a
// Plainer's values, across values, behind a shared pointer, or in an
// interface (which holds a copy: a string or a Plainer in one was left
// as it was, the copy made before its strings were replaced).
func TestPlainCopiesOnlyWhatHoldsASecret(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	shared := &plainFinding{Name: "shared"}
	for _, c := range []struct {
		name string
		in   []plainFinding
		held bool
	}{
		{"none", []plainFinding{{Name: "h1.example.", Values: []string{"v=spf1 -all"}, Extra: plainSet{"a|b"}, Nested: shared}, {Nested: shared}}, false},
		{"a string", []plainFinding{{Name: "h1.example.", Old: "x " + secret}}, true},
		{"a Plainer's", []plainFinding{{Extra: plainSet{"a|" + secret}}}, true},
		{"a string in an interface", []plainFinding{{Extra: "x " + secret}}, true},
		{"a struct in an interface", []plainFinding{{Extra: plainFinding{Name: secret}}}, true},
		{"a Plainer in a map in an interface", []plainFinding{{Extra: map[string]any{"k": plainSet{"a|" + secret}}}}, true},
		{"across values", []plainFinding{{Values: []string{secret[:15], secret[15:]}}}, true},
		{"behind a shared pointer", []plainFinding{{Nested: shared}, {Nested: &plainFinding{ByKey: map[string]plainFinding{"k": {New: secret}}}}}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			given, err := json.Marshal(c.in) // every value, behind pointers too
			if err != nil {
				t.Fatal(err)
			}
			out := Plain(set, c.in)
			if same := &out[0] == &c.in[0]; same == c.held {
				t.Errorf("holds a secret %v, the value itself returned %v", c.held, same)
			}
			after, _ := json.Marshal(c.in)
			if string(after) != string(given) {
				t.Errorf("the value given was changed: %s, was %s", after, given)
			}
			got, _ := json.Marshal(out)
			for _, part := range []string{secret, secret[:15], secret[15:]} {
				if c.held && strings.Contains(string(got), part) {
					t.Errorf("%q left in %s", part, got)
				}
			}
		})
	}
}

// TestPlainPlainerPiecesAlone: what a Plainer gives is left out of
// Plain's first reading only when its values read one after another
// hold nothing (gate.clearJoined): a secret given in pieces of three
// characters, none of which the gate holds alone, is masked, each piece.
func TestPlainPlainerPiecesAlone(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	var pieces []string
	for i := 0; i < len(secret); i += 3 {
		pieces = append(pieces, secret[i:min(i+3, len(secret))])
	}
	type report struct {
		Clear plainSet
		Set   plainSet
	}
	in := report{Clear: plainSet{Joined: "192.0.2.1|h1.example."}, Set: plainSet{Joined: strings.Join(pieces, "|")}}
	got := Plain(set, in)
	if strings.Contains(got.Set.Joined, "7Hq") || strings.Contains(got.Set.Joined, "Yd1") || got.Clear != in.Clear {
		t.Errorf("Plain(%q) = %q", in, got)
	}
}

// TestPlainClearedGroupsUnread: Plain's first reading leaves out each
// group of values a Plainer gives that the gate clears read one after
// another (gate.clearJoined), and reads each other group, a secret's
// pieces between its values too: counted, the groups and values the
// reading keeps (TestPlainPlainerPiecesAlone passes whether the gate is
// asked or not).
func TestPlainClearedGroupsUnread(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	pieces := strings.Join([]string{secret[:10], secret[10:20], secret[20:]}, "|")
	clear := plainSet{Joined: "192.0.2.1|h1.example.|v=spf1 -all"}
	for _, c := range []struct {
		name         string
		in           []plainSet
		groups, vals int
	}{
		{"cleared", []plainSet{clear, clear, clear}, 0, 0},
		{"a secret's pieces", []plainSet{clear, {Joined: pieces}, clear}, 1, 3},
		{"the secret", []plainSet{{Joined: "x|" + secret}, clear}, 1, 2},
	} {
		r := plainReading(set, reflect.ValueOf(c.in))
		if len(r.groups) != c.groups || len(r.vals) != c.vals {
			t.Errorf("%s: the first reading kept %d groups of %d values, want %d of %d", c.name, len(r.groups), len(r.vals), c.groups, c.vals)
		}
	}
}

// TestMaskedGroupsIndexedOnce: replaceGroups reads its values in the
// groups given as they index them: no copy of the values read, and no
// group made again (the empty values and times it does not read were
// left out and every group reindexed, an allocation a group on a plan
// of an RRset a group, bench/plain).
func TestMaskedGroupsIndexedOnce(t *testing.T) {
	set := &Secrets{}
	set.Add("pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg")
	var vs []string
	var groups [][]int
	for i := range 500 {
		groups = append(groups, []int{len(vs), len(vs) + 1, len(vs) + 2})
		vs = append(vs, "-. "+strings.Repeat("-", i%5), "", "2026-12-08T01:00:00Z")
	}
	if got := set.replaceGroups(vs, groups); !slices.Equal(got, vs) {
		t.Fatalf("replaceGroups changed %q", got)
	}
	if n := testing.AllocsPerRun(3, func() { set.maskedGroups(vs, groups) }); n > 12 {
		t.Errorf("maskedGroups of %d values in %d groups allocated %v times, want at most 12", len(vs), len(groups), n)
	}
}
