package zone

import (
	"slices"
	"strings"
	"testing"
)

// TestCheckLineInParentheses: a problem the RDATA checks find after
// parsing (checkRdata: a DS, SSHFP or ZONEMD digest's length, a CAA tag,
// an SVCB parameter) in a record written over several lines names the
// line of the field at fault, as the problems found in the text do
// (TestProblemLineInParentheses), and the file. On the code before, each
// named the record's first line.
func TestCheckLineInParentheses(t *testing.T) {
	tests := []struct {
		name, record string
		line         int    // line of the problem in the file
		want         string // part of its message
	}{
		{"DS digest on the second line",
			"sub IN NS ns.example.\nsub IN DS ( 12345 8 2\n  0123456789abcdef )\n", 5, "DS digest is 8 octets"},
		{"DS digest on the second line, blank owner",
			"sub IN NS ns.example.\n    IN DS ( 12345 8\n 2\n  0123456789abcdef )\n", 6, "DS digest is 8 octets"},
		{"ZONEMD digest on the third line",
			"@ IN ZONEMD ( 2018031900 1\n 1\n 00112233 )\n", 5, "ZONEMD digest is 4 octets"},
		{"SSHFP fingerprint on the second line",
			"h IN SSHFP ( 1 1\n 0011 )\n", 4, "SSHFP digest is 2 octets"},
		{"CAA tag on the second line",
			"@ IN CAA ( 0\n is-sue \"ca.example\" )\n", 4, "CAA tag"},
		{"SVCB mandatory on the third line",
			"s IN SVCB ( 1 svc.example.\n alpn=h2\n mandatory=ipv4hint )\n", 5, "mandatory key ipv4hint is missing"},
		{"SVCB no-default-alpn on the second line",
			"s IN SVCB ( 1 svc.example.\n no-default-alpn port=8443 )\n", 4, "no-default-alpn without alpn"},
		{"SVCB key given again on the third line",
			"s IN SVCB ( 1 .\n alpn=h2\n port=1 alpn=h3 )\n", 5, "key alpn given twice"},
		{"HTTPS dohpath on the second line",
			"s IN HTTPS ( 1 .\n alpn=h2 dohpath=/q )\n", 4, "dohpath"},
		{"a one-line DS", "sub IN NS ns.example.\nsub IN DS 12345 8 2 0123456789abcdef\n", 4, "DS digest is 8 octets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n" + tt.record
			errorAt(t, text, tt.want, tt.line)
		})
	}
}

// errorAt parses text as the zone a.test. from a.zone and fails t unless
// an error containing want is on line.
func errorAt(t *testing.T, text, want string, line int) {
	t.Helper()
	z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, p := range z.Problems {
		if p.Severity == Error && strings.Contains(p.Message, want) {
			lines = append(lines, p.Pos.Line)
			if p.Pos.Line == line && p.Pos.File == "a.zone" {
				return
			}
		}
	}
	t.Errorf("problem %q on line %v, want a.zone line %d (problems: %v)", want, lines, line, z.Problems)
}

// TestCheckTargetLineInParentheses: the zone checks on a record's names
// (check-names, a target without address records, an MX that is an
// address) name the line of the name at fault in a record over several
// lines, and the file. On the code before, the record's first line.
func TestCheckTargetLineInParentheses(t *testing.T) {
	tests := []struct {
		name, record string
		line         int
		want         string
	}{
		{"MX target check-names", "@ IN MX ( 10\n   bad_host.a.test. )\nbad_host A 192.0.2.9\n", 6, "bad name 'bad_host.a.test.' (target)"},
		{"MX target without address", "@ IN MX ( 10\n   mail.a.test. )\n", 6, "MX 'mail.a.test.' has no address records"},
		{"SRV target without address", "_s._tcp IN SRV ( 1 2\n 3\n sip.a.test. )\n", 7, "SRV 'sip.a.test.' has no address records"},
		{"MX an address", "@ IN MX ( 10\n 192.0.2.1. )\n", 6, "is an address"},
		{"NS target without address", "sub IN NS (\n  ns.sub.a.test. )\n", 6, "has no REQUIRED GLUE"},
		{"one line", "@ IN MX 10 mail.a.test.\n", 5, "MX 'mail.a.test.' has no address records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n" + tt.record
			z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			ps := append(z.Problems, Check(z)...)
			var lines []int
			for _, p := range ps {
				if strings.Contains(p.Message, tt.want) {
					lines = append(lines, p.Pos.Line)
					if p.Pos.Line == tt.line && p.Pos.File == "a.zone" {
						return
					}
				}
			}
			t.Errorf("problem %q on line %v, want a.zone line %d (problems: %v)", tt.want, lines, tt.line, ps)
		})
	}
}

// TestWordReadAsTTL: a line indented by mistake (" www IN A 192.0.2.1")
// is, to BIND, another record of the owner above whose type is "www":
// named-checkzone says "unknown RR type 'www'" and loads nothing.
// miekg/dns reads a word made only of TTL unit letters (s, m, h, d, w) as
// a TTL of 0, so the line became a second address of the owner above,
// silently. Such a word is an unknown type wherever it stands, indented
// or not, and the message says what the blank does; a type name of those
// letters (DS, MD) and a real TTL stay what they are.
func TestWordReadAsTTL(t *testing.T) {
	const head = "$ORIGIN example.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
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
		z := mustParse(t, head+c.line+"\n")
		got := errorsOn(Check(z), 6)
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
		{"@ IN SOA ns1 hostmaster 1 ds 600 86400 300", `bad SOA timer "ds"`}, // a type's name, no timer
		{"@ IN SOA ns1 hostmaster 1 3600 MD 86400 300", `bad SOA timer "MD"`},
		{"@ IN SOA ns1 hostmaster 1 1h 10m 1w 5m", ""},
		{"@ IN SOA ns1 hostmaster ( 1 1h 10m 1w 5m )", ""},
	} {
		got := errorsOn(Check(mustParse(t, "$ORIGIN example.test.\n$TTL 300\n"+c.soa+"\n@ IN NS ns1\nns1 IN A 192.0.2.53\n")), 3)
		if c.want == "" && len(got) > 0 || c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0].Message, c.want)) {
			t.Errorf("%q: %q, want %q", c.soa, got, c.want)
		}
	}
}

// errorsOn is the errors among ps on line.
func errorsOn(ps []Problem, line int) []Problem {
	return slices.DeleteFunc(ps, func(p Problem) bool { return p.Pos.Line != line || p.Severity != Error })
}
