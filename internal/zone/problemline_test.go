package zone

import (
	"errors"
	"strings"
	"testing"
)

// TestProblemLineInParentheses: a problem found in the text of a record
// written over several lines (parentheses) names the line of the token at
// fault, as a miekg/dns syntax error does, not the record's first line. A
// DKIM key split over lines with one string over 255 octets is the common
// case: the annotation must sit on that string's line.
func TestProblemLineInParentheses(t *testing.T) {
	long := strings.Repeat("k", 300)
	tests := []struct {
		name, record string
		line         int    // line of the problem in the file
		want         string // part of its message
	}{
		{"TXT string over 255 on the third line",
			"dkim IN TXT ( \"v=DKIM1; k=rsa; \"\n  \"p=abc\"\n  \"" + long + "\" )\n", 5, "over 255"},
		{"bad escape on the second line",
			"e IN TXT ( \"one\"\n  \"two\\999\" )\n", 4, "bad escape"},
		{"SOA timer on the fourth line",
			"sub IN TXT \"x\"\n@ IN SOA ns hm (\n 2\n 3600\n 1h30\n 86400 300 )\n", 6, "bad SOA timer"},
		{"LOC hemisphere on the second line",
			"loc IN LOC ( 52 22 23.000 N\n 4 53 32.000 e -2.00m )\n", 4, "LOC hemisphere"},
		{"NUL byte on the second line",
			"n IN TXT ( \"a\"\n b\x00c )\n", 4, "NUL byte"},
		{"SVCB key with a leading zero on the second line",
			"s IN SVCB ( 1 .\n key065=x )\n", 4, "leading zero"},
		{"syntax error on the second line (miekg/dns)",
			"mx IN MX ( 10\n  mail..example.com. )\n", 4, ""},
		{"a one-line record", "t IN TXT \"" + long + "\"\n", 3, "over 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n" + tt.record
			if strings.HasPrefix(tt.record, "sub") {
				text = "$TTL 300\n" + tt.record
			}
			z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, p := range z.Problems {
				if p.Severity == Error && strings.Contains(p.Message, tt.want) {
					lines = append(lines, p.Pos.Line)
					if p.Pos.Line == tt.line {
						return
					}
				}
			}
			t.Errorf("problem %q on line %d, want line %d (problems: %v)", tt.want, lines, tt.line, z.Problems)
		})
	}
}

// TestParenthesesAloneAreBlank: a line of parentheses and blanks alone
// (or such a group over lines) is an empty line to BIND and Knot
// (named-checkzone and kzonecheck load the zone); it was refused as
// "record without a type".
func TestParenthesesAloneAreBlank(t *testing.T) {
	for _, lines := range []string{"( )\n", "()\n", "  (\n )\n", "( ; a comment\n ) ; another\n"} {
		text := "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\n" + lines + "ns IN A 192.0.2.1\n"
		z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(z.Problems) != 0 || z.Records() != 3 {
			t.Errorf("%q: %d records, problems %v; want 3 records, no problem", lines, z.Records(), z.Problems)
		}
	}
}

// TestBareCRAtReadBoundary: a CR without LF is found where the read
// buffer (64 KiB) ends right after it, as anywhere else; it was taken for
// the CR of a CRLF, and the two records it separates were read as one.
func TestBareCRAtReadBoundary(t *testing.T) {
	head := "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\n"
	line := []byte("a TXT")
	for len(line) < 64*1024-20 {
		line = append(line, ` "xxxxxxxxxx"`...)
	}
	for len(line) < 64*1024-1 {
		line = append(line, ' ')
	}
	for _, tail := range []string{"\rb TXT \"y\"\n", "\r\nb TXT \"y\"\n", "\r\r\nb TXT \"y\"\n"} {
		text := head + string(line) + tail
		z, err := Parse(strings.NewReader(text), "a.zone", "a.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		bare := tail[1] != '\n' && tail[1] != '\r'
		found := false
		for _, p := range z.Problems {
			found = found || strings.Contains(p.Message, "carriage return")
		}
		if found != bare {
			t.Errorf("tail %q: CR problem %v, want %v (problems %v)", tail, found, bare, z.Problems)
		}
	}
}

// TestProblemWholeFile: a problem of the whole file (line 0: no origin,
// a file that cannot be read) is said at the file, not at "FILE:0", and
// once where its message names the file already (ttl printed
// "plain.zone:0: plain.zone: no origin: ...").
func TestProblemWholeFile(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{Pos: Pos{File: "z.zone", Line: 3}, Message: "bad"}, "z.zone:3: bad"},
		{Problem{Pos: Pos{File: "z.zone"}, Message: "no SOA"}, "z.zone: no SOA"},
		{Problem{Pos: Pos{File: "z.zone"}, Message: "z.zone: no origin"}, "z.zone: no origin"},
		{Problem{Message: "alone"}, "alone"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
	if got := (Pos{File: "z.zone"}).String(); got != "z.zone" {
		t.Errorf("Pos of the whole file: %q", got)
	}
}

// TestNoOriginOneLabel: a file named for one label (plain.zone) with no
// $ORIGIN is refused saying why its name was not taken: "plain" is a
// domain name, and "the file name is not a domain" (walk19) was false.
func TestNoOriginOneLabel(t *testing.T) {
	_, err := Parse(strings.NewReader("@ 300 IN A 192.0.2.1\n"), "plain.zone", "", "")
	if !errors.Is(err, ErrNoOrigin) {
		t.Fatalf("plain.zone: %v, want ErrNoOrigin", err)
	}
	if msg := err.Error(); strings.Contains(msg, "is not a domain") || !strings.Contains(msg, "one label, as plain.zone") {
		t.Errorf("plain.zone: %q: want why a one-label file name is not taken", msg)
	}
}
