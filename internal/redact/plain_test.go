package redact

import (
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
// is reached (fields, slices, pointers, interfaces, map values), a
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
		"map value": got.ByKey[secret].Old, "slice": strings.Join(got.Values, ""),
	} {
		if p := leftPiece(v, secret); len(p) >= MinSplit {
			t.Errorf("%s: %q left: %q", what, p, v)
		}
	}
	if got.Name != "acme.test." || got.New != "none" || got.Extra.(*plainFinding).Values[0] != "v=spf1 mx -all" {
		t.Errorf("text without the secret changed: %+v", got)
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
