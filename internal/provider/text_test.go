package provider

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

func TestSplitText(t *testing.T) {
	long := strings.Repeat("a", 255) + strings.Repeat("b", 10)
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{`say "hi" \o/`, `"say \"hi\" \\o/"`},
		{long, `"` + strings.Repeat("a", 255) + `" "` + strings.Repeat("b", 10) + `"`},
	} {
		if got := SplitText(tc.in); got != tc.want {
			t.Errorf("SplitText(%.20q) = %.40q, want %.40q", tc.in, got, tc.want)
		}
	}
	for i, tc := range []struct {
		strs []string
		want bool
	}{
		{[]string{"a"}, false},
		{[]string{strings.Repeat("a", 255), "b"}, false},
		{[]string{"a", "b"}, true},
		// Octets, not presentation characters: \" \\ and \DDD are one
		// octet each.
		{[]string{strings.Repeat("a", 253) + `\"`, "bcd"}, true},        // 255 characters, 254 octets
		{[]string{strings.Repeat("a", 254) + `\"`, "bcd"}, false},       // 255 octets
		{[]string{strings.Repeat("a", 254) + `\\`, "bcd"}, false},       // 255 octets
		{[]string{strings.Repeat("a", 253) + `\195\169`, "bcd"}, false}, // é: 255 octets
		{[]string{strings.Repeat("a", 251) + `\195\169`, "bcd"}, true},  // 255 characters, 253 octets
		{[]string{strings.Repeat("a", 255), strings.Repeat("b", 254) + `\;`, "c"}, false},
	} {
		if got := SplitElsewhere(tc.strs); got != tc.want {
			t.Errorf("SplitElsewhere, case %d = %v, want %v", i, got, tc.want)
		}
	}
}

// TestTXTValue: quoted strings are kept as the API stores them, an
// unquoted text is split at 255 octets as the API serves it.
func TestTXTValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{` "a" "b" `, `"a" "b"`},
		{" v=spf1 -all ", `"v=spf1 -all"`},
		{strings.Repeat("a", 256), `"` + strings.Repeat("a", 255) + `" "a"`},
	} {
		if got := TXTValue(tc.in); got != tc.want {
			t.Errorf("TXTValue(%.20q) = %.40q, want %.40q", tc.in, got, tc.want)
		}
	}
}

func TestChangeNames(t *testing.T) {
	var cs []Change
	if got := ChangeNames(cs); got != "none" {
		t.Errorf("empty: %q", got)
	}
	for i := range 7 {
		cs = append(cs, Change{Name: strings.Repeat("x", i+1) + ".example.", Type: dns.TypeA})
	}
	if got := ChangeNames(cs); !strings.HasPrefix(got, "x.example. A, xx.example. A") || !strings.HasSuffix(got, "and 2 more") {
		t.Errorf("seven: %q", got)
	}
}

// TestTextRoundTrip: a record's strings sent as Text and read back with
// SplitText are the record again, escapes and non-ASCII octets included.
func TestTextRoundTrip(t *testing.T) {
	for _, in := range []string{
		`"plain"`, `""`, `"say \"hi\"; back\\slash; a;b"`, `"caf\195\169"`, `"tab\009end"`,
		`"` + strings.Repeat("x", 255) + `" "y\\z"`,
	} {
		rr, err := dns.NewRR("x. 300 IN TXT " + in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := dns.NewRR("x. 300 IN TXT " + SplitText(Text(rr.(*dns.TXT).Txt)))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		a, _ := zone.CanonicalRdata(rr)
		b, _ := zone.CanonicalRdata(back)
		if a != b || a == "" {
			t.Errorf("%s read back as %s", in, back)
		}
	}
	if got := Unescape(`a\"b\\c\195\169\.`); got != "a\"b\\c\xc3\xa9." {
		t.Errorf("Unescape: %q", got)
	}
}
