package zone

import (
	"strings"
	"testing"
)

// TestBadDefaultTTLSaidOnce: a $TTL that cannot be read ("1hr", "5 min"
// written as one token) is one error at its line saying how a TTL is
// written, as a record's bad TTL and an SOA timer say it; the records it
// was for keep their place and are not each said to have no TTL (nor
// dropped, which left the apex without NS). A later good $TTL ends it.
// On the code before, "bad $TTL value" named no form, the SOA got
// "no TTL specified; using SOA MINTTL instead" and a record before it
// "no TTL specified" and was dropped.
func TestBadDefaultTTLSaidOnce(t *testing.T) {
	const form = ": seconds, or numbers each with a unit (1w2d3h4m5s; 1h30 is 1h30m)"
	for _, tc := range []struct {
		name, text string
		want       []string // every problem, in order, as FILE:LINE: message
		records    int
	}{
		{"SOA first", "$TTL 1hr\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 IN A 192.0.2.1\n",
			[]string{`t.zone:1: bad $TTL value "1hr"` + form}, 3},
		{"a record before the SOA", "$TTL 1hr\nwww IN A 192.0.2.2\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 IN A 192.0.2.1\n",
			[]string{`t.zone:1: bad $TTL value "1hr"` + form}, 4},
		{"a good $TTL after it", "$TTL 1hr\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\n$TTL 300\nns1 IN A 192.0.2.1\n",
			[]string{`t.zone:1: bad $TTL value "1hr"` + form}, 3},
		{"a record's bad TTL", "$TTL 300\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 5min IN A 192.0.2.1\n",
			[]string{`t.zone:4: bad TTL "5min"` + form}, 2},
		{"no $TTL at all", "www IN A 192.0.2.2\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ 300 IN NS ns1\nns1 IN A 192.0.2.1\n",
			[]string{"t.zone:1: no TTL specified", "t.zone:2: no TTL specified; using SOA MINTTL instead"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := Parse(strings.NewReader(tc.text), "t.zone", "t.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range Check(z) {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if z.Records() != tc.records {
				t.Errorf("%d records, want %d", z.Records(), tc.records)
			}
		})
	}
}

// TestTTLUnitApart: a TTL's unit written apart from its number ("1 h")
// is said as that, not as a type meant ("unknown RR type h (did you mean
// A?)" before); a unit word elsewhere keeps the type hint.
func TestTTLUnitApart(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"x 1 h IN A 192.0.2.3", `unknown RR type h: a TTL's unit follows its number without a blank (1h)`},
		{"x 30 m A 192.0.2.3", `unknown RR type m: a TTL's unit follows its number without a blank (30m)`},
		{"x IN h A 192.0.2.3", `unknown RR type h (did you mean A?)`},
		// A unit written as a word (walk19): the parser's "expecting
		// RR type or class, not this... near days" before.
		{"x 30 days IN A 192.0.2.3", `unknown RR type days: a TTL's unit is one letter after its number (30d)`},
		{"x 2 Hours A 192.0.2.3", `unknown RR type Hours: a TTL's unit is one letter after its number (2h)`},
		{"x 1 week IN A 192.0.2.3", `unknown RR type week: a TTL's unit is one letter after its number (1w)`},
		{"x 90 sec IN A 192.0.2.3", `unknown RR type sec: a TTL's unit is one letter after its number (90s)`},
	} {
		z, err := Parse(strings.NewReader("$TTL 300\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"+tc.line+"\n"), "t.zone", "t.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		ps := Check(z)
		if len(ps) != 1 || ps[0].Pos.Line != 5 || !strings.HasPrefix(ps[0].Message, tc.want) {
			t.Errorf("%s: problems %v, want one at line 5: %q", tc.line, ps, tc.want)
		}
	}
}

// TestGenerateBadTTL: a $GENERATE whose TTL cannot be read says so, as a
// record's bad TTL does; it was read as the type ("the RDATA after the
// type "1hr" is one token, here 2: quote it").
func TestGenerateBadTTL(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"$GENERATE 1-2 h$ 1hr A 192.0.2.$", `$GENERATE: bad TTL "1hr": seconds, or numbers each with a unit`},
		{"$GENERATE 1-2 h$ 1h30 IN A 192.0.2.$", `$GENERATE: bad TTL "1h30": seconds, or numbers each with a unit`},
		{"$GENERATE 1-2 h$ 1h IN A 192.0.2.$", ""},
	} {
		z, err := Parse(strings.NewReader("$TTL 300\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"+tc.line+"\n"), "t.zone", "t.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		ps := Check(z)
		switch {
		case tc.want == "" && len(ps) > 0:
			t.Errorf("%s: problems %v, want none", tc.line, ps)
		case tc.want != "" && (len(ps) != 1 || ps[0].Pos.Line != 5 || !strings.HasPrefix(ps[0].Message, tc.want)):
			t.Errorf("%s: problems %v, want one at line 5: %q", tc.line, ps, tc.want)
		}
	}
}

// TestTTLTwoWords: a TTL written as two words ("1h 30m") is one error at
// its file and line saying the TTL is one word (1h30m), in a record
// (owner or not, a class before or after), a $TTL and a $GENERATE; two
// TTLs that make no one TTL are said as two TTLs. miekg/dns's "expecting
// RR type or class, not this... near 30m" was printed, or "record without
// a type" (a class after them), "$TTL takes at most 1 argument" and, for
// $GENERATE, 'bad TTL "30m"' (a good TTL).
func TestTTLTwoWords(t *testing.T) {
	const oneWord = "TTL written as two words (1h 30m): a TTL is one word, its units without a blank (1h30m)"
	for _, tc := range []struct{ line, want string }{
		{"x 1h 30m A 192.0.2.3", oneWord},
		{"x 1h 30m IN A 192.0.2.3", oneWord},
		{"x IN 1h 30m A 192.0.2.3", oneWord},
		{"  1h 30m A 192.0.2.3", oneWord},
		{"x 1d 12h MX 10 mail", "TTL written as two words (1d 12h): a TTL is one word, its units without a blank (1d12h)"},
		{"x 300 30 A 192.0.2.3", `two TTLs ("300", then "30"): a record has one TTL, one word (1h30m, not 1h 30m)`},
		{"x 300 IN 300 A 192.0.2.3", `two TTLs ("300", then "300"): a record has one TTL, one word (1h30m, not 1h 30m)`},
		{"$TTL 1h 30m", "$TTL: " + oneWord},
		{"$GENERATE 1-2 h$ 1h 30m A 192.0.2.$", "$GENERATE: " + oneWord},
	} {
		z, err := Parse(strings.NewReader("$TTL 300\n@ IN SOA ns1 h 1 2h 1h 14d 1h\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"+tc.line+"\n"), "t.zone", "t.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range Check(z) {
			got = append(got, p.String())
		}
		if want := "t.zone:5: " + tc.want; len(got) != 1 || got[0] != want {
			t.Errorf("%s: problems\n%s\nwant\n%s", tc.line, strings.Join(got, "\n"), want)
		}
	}
}
