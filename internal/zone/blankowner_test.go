package zone

import (
	"strings"
	"testing"
)

// TestWordReadAsTTL: a line indented by mistake (" www IN A 192.0.2.1")
// is, to BIND, another record of the owner above whose type is "www":
// named-checkzone says "unknown RR type 'www'" and loads nothing.
// miekg/dns reads a word made only of TTL unit letters (s, m, h, d, w) as
// a TTL of 0, so the line became a second address of the owner above,
// silently. Such a word is an unknown type wherever it stands, indented
// or not, and the message says what the blank does; a type name of those
// letters (DS, MD) and a real TTL stay what they are.
func TestWordReadAsTTL(t *testing.T) {
	const head = "$ORIGIN ex.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
	const blank = "the line starts with a blank, so it is another record of the owner above"
	for _, c := range []struct {
		line string
		want string // the problem on line 6 ("": none)
	}{
		{" www IN A 192.0.2.1", "unknown RR type www"},
		{" www A 192.0.2.1", "unknown RR type www"},
		{"\tfoo IN A 192.0.2.1", "unknown RR type foo"},
		{" DS IN A 192.0.2.1", "incomplete DS record"}, // a type of those letters stays a type (its RDATA is then wrong)
		{" hd 300 IN A 192.0.2.1", "unknown RR type hd"},
		{" S IN TXT \"x\"", "unknown RR type S"},
		{"web dhs IN A 192.0.2.1", "unknown RR type dhs"},
		{"web IN www A 192.0.2.1", "unknown RR type www"},
		{" foo IN A 192.0.2.1", "unknown RR type foo"},
		{" IN A 192.0.2.1", ""},
		{" 1h IN A 192.0.2.1", ""},
		{"web 1h IN A 192.0.2.1", ""},
	} {
		z, err := Parse(strings.NewReader(head+c.line+"\n"), "ex.test.zone", "ex.test.", "")
		if err != nil {
			t.Fatalf("%q: %v", c.line, err)
		}
		var got []Problem
		for _, p := range Check(z) {
			if p.Pos.Line == 6 && p.Severity == Error {
				got = append(got, p)
			}
		}
		if c.want == "" {
			if len(got) > 0 {
				t.Errorf("%q: %v, want no error", c.line, got)
			}
			continue
		}
		if len(got) != 1 || !strings.HasPrefix(got[0].Message, c.want) {
			t.Errorf("%q: %v, want one error %q", c.line, got, c.want)
			continue
		}
		hint := (c.line[0] == ' ' || c.line[0] == '\t') && strings.HasPrefix(c.want, "unknown")
		if hint != strings.Contains(got[0].Message, blank) {
			t.Errorf("%q: %q: the blank's explanation (%q) on an indented line whose first word is taken for a type, and only there", c.line, got[0].Message, blank)
		}
		if n := z.Records(); n != 3 {
			t.Errorf("%q: %d records kept, want the 3 before the line (the refused line adds none)", c.line, n)
		}
	}
}

// TestSOATimerUnitWord: an SOA timer of unit letters only ("h" for "1h")
// is a syntax error to BIND (named-checkzone: near 'h': syntax error);
// miekg/dns read it as 0 (a refresh of 0 seconds), silently.
func TestSOATimerUnitWord(t *testing.T) {
	for _, c := range []struct {
		soa  string
		want string // "": no error
	}{
		{"@ IN SOA ns1 hostmaster 1 h 600 86400 300", `bad SOA timer "h"`},
		{"@ IN SOA ns1 hostmaster 1 3600 600 W 300", `bad SOA timer "W"`},
		{"@ IN SOA ns1 hostmaster 1 3600 600 86400 dhs", `bad SOA timer "dhs"`},
		{"@ IN SOA ns1 hostmaster 1 1h 10m 1w 5m", ""},
		{"@ IN SOA ns1 hostmaster ( 1 1h 10m 1w 5m )", ""},
	} {
		text := "$ORIGIN ex.test.\n$TTL 300\n" + c.soa + "\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
		z, err := Parse(strings.NewReader(text), "ex.test.zone", "ex.test.", "")
		if err != nil {
			t.Fatalf("%q: %v", c.soa, err)
		}
		var got []string
		for _, p := range Check(z) {
			if p.Severity == Error {
				got = append(got, p.Message)
			}
		}
		if c.want == "" && len(got) > 0 || c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], c.want)) {
			t.Errorf("%q: %q, want %q", c.soa, got, c.want)
		}
	}
}
