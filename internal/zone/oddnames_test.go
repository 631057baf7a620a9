package zone

import (
	"fmt"
	"strings"
	"testing"
)

// TestCanonicalNameOddSpellings: every spelling of one name (raw, escaped
// with a backslash, as \DDD; as a zone file, an API listing or a server's
// answer writes it) has the one canonical form, the one miekg/dns prints
// from the wire; names that differ on the wire keep different forms. A
// second spelling of one name would be a second owner: two RRsets in git,
// a record the completeness gate does not find, a plan that creates
// what exists and deletes what it created.
func TestCanonicalNameOddSpellings(t *testing.T) {
	for _, c := range []struct {
		spellings []string
		want      string
	}{
		// RFC 1035 §5.1: "\X" is X, "\DDD" the octet DDD (decimal).
		{[]string{`a\.b.e.test.`, `a\046b.e.test.`, `A\.B.E.TEST`}, `a\.b.e.test.`},
		{[]string{`a\032b.e.test.`, `a\ b.e.test.`, "a b.e.test."}, `a\ b.e.test.`},
		// The characters a zone file gives a meaning ('@' the origin, '('
		// and ')' a group, ';' a comment, '"' a string, and '\'' which
		// miekg/dns escapes too) are one octet of the label wherever they
		// stand in a name: an API (PowerDNS, a JSON name) writes them raw.
		{[]string{"at@sign.e.test.", `at\@sign.e.test.`, `at\064sign.e.test.`}, `at\@sign.e.test.`},
		{[]string{"paren(.e.test.", `paren\(.e.test.`, `paren\040.e.test.`}, `paren\(.e.test.`},
		{[]string{"paren).e.test.", `paren\).e.test.`, `paren\041.e.test.`}, `paren\).e.test.`},
		{[]string{"semi;colon.e.test.", `semi\;colon.e.test.`, `semi\059colon.e.test.`}, `semi\;colon.e.test.`},
		{[]string{`quote".e.test.`, `quote\".e.test.`, `quote\034.e.test.`}, `quote\".e.test.`},
		{[]string{"it's.e.test.", `it\'s.e.test.`, `it\039s.e.test.`}, `it\'s.e.test.`},
		{[]string{"hi\x80\xff.e.test.", `hi\128\255.e.test.`, `HI\128\255.E.TEST.`}, `hi\128\255.e.test.`},
		{[]string{`MiXeD.e.test.`, `mixed.e.test`, `\077ixed.e.test.`}, "mixed.e.test."},
		// A '*' that is not the leftmost label is a literal label.
		{[]string{"a.*.e.test.", `a.\*.e.test.`, `a.\042.e.test.`}, "a.*.e.test."},
		{[]string{"_dmarc.e.test.", `\_dmarc.e.test.`}, "_dmarc.e.test."},
		{[]string{`back\\slash.e.test.`, `back\092slash.e.test.`}, `back\\slash.e.test.`},
	} {
		for _, s := range c.spellings {
			if got := CanonicalName(s); got != c.want {
				t.Errorf("CanonicalName(%q) = %q, want %q", s, got, c.want)
			}
		}
	}
	// Different names keep different forms.
	for _, d := range [][2]string{
		{`a\.b.e.test.`, "a.b.e.test."},
		{`back\\.e.test.`, `back\..e.test.`},
		{`at\@sign.e.test.`, "at.sign.e.test."},
		{"a.*.e.test.", "a.e.test."},
	} {
		if CanonicalName(d[0]) == CanonicalName(d[1]) {
			t.Errorf("%q and %q: one canonical form %q for two names", d[0], d[1], CanonicalName(d[0]))
		}
	}
}

// TestOddOwnersOneRRset: a zone file spelling one owner two ways (raw and
// escaped) holds one RRset of both records; git's zone then finds it under
// every spelling.
func TestOddOwnersOneRRset(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"at@sign", `at\@sign`, `at\@sign.e.test.`},
		{"it's", `it\039s`, `it\'s.e.test.`},
		{`a\.b`, `a\046b`, `a\.b.e.test.`},
		{"MiXeD", `mixed`, "mixed.e.test."},
		{`hi\128`, `HI\128`, `hi\128.e.test.`},
	} {
		text := "$ORIGIN e.test.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns.\n" + c.a + " TXT \"one\"\n" + c.b + " TXT \"two\"\n"
		z, err := Parse(strings.NewReader(text), "odd.zone", "e.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		var owners []string
		for _, s := range z.Sets {
			if s.Type == 16 {
				owners = append(owners, s.Name)
			}
		}
		if len(owners) != 1 || owners[0] != c.want {
			t.Errorf("%s and %s: TXT RRsets at %q, want one at %q", c.a, c.b, owners, c.want)
			continue
		}
		for _, s := range []string{c.a + ".e.test.", c.b + ".e.test.", c.want} {
			if set := z.Get(s, 16); set == nil || len(set.Records) != 2 {
				t.Errorf("Get(%q): %v, want the RRset of two records", s, set)
			}
		}
	}
}

// TestOddOwnerLengths: a label of exactly 63 octets and a name of exactly
// 255 octets on the wire (RFC 1035 §2.3.4) load; one octet more is an
// error on its line, escapes counted as the octet they stand for.
func TestOddOwnerLengths(t *testing.T) {
	l63 := strings.Repeat("l", 63)
	// Below e.test. (8 octets on the wire): three labels of 63 and one
	// of 55 make 3*64 + 56 + 8 = 256 octets; 54 make 255.
	near := func(last string) string { return l63 + "." + l63 + "." + l63 + "." + last }
	for _, c := range []struct {
		owner string
		ok    bool
	}{
		{l63, true},
		{l63 + "l", false},
		{strings.Repeat(`\128`, 63), true},
		{strings.Repeat(`\128`, 64), false},
		{strings.Repeat(`\.`, 63), true},
		{near(strings.Repeat("m", 54)), true},
		{near(strings.Repeat("m", 55)), false},
		{near(strings.Repeat(`\.`, 54)), true},
		{near(strings.Repeat(`\.`, 55)), false},
		{near(strings.Repeat(`\@`, 53) + "M"), true},
		// \DDD is decimal (RFC 1035 §5.1): \200 is octet 200, \377 is
		// no octet (Route 53's octal \377 is \255 in a zone file).
		{`hi\200\255`, true},
		{`hi\377`, false},
		{`hi\256`, false},
	} {
		text := "$ORIGIN e.test.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns.\n" + c.owner + " TXT \"x\"\n"
		z, err := Parse(strings.NewReader(text), "odd.zone", "e.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		var errs []string
		for _, p := range z.Problems {
			if p.Severity == Error {
				errs = append(errs, p.String())
			}
		}
		set := z.Get(c.owner+".e.test.", 16)
		switch {
		case c.ok && (len(errs) > 0 || set == nil):
			t.Errorf("%.30s... (%d characters): %v, RRset %v; want it loaded", c.owner, len(c.owner), errs, set)
		case !c.ok && (len(errs) == 0 || !strings.Contains(errs[0], "odd.zone:5")):
			t.Errorf("%.30s... (%d characters): errors %v, want one on odd.zone:5", c.owner, len(c.owner), errs)
		}
	}
}

// TestInnerStarWarns: a '*' label that is not the leftmost is a literal
// label, which check accepts with a warning on its line (named-checkzone:
// "contains an non-terminal wildcard"): it turns the names it covers from
// NXDOMAIN to NODATA. A wildcard, and a literal '*' written \042 inside a
// label, are not warned of.
func TestInnerStarWarns(t *testing.T) {
	for _, c := range []struct {
		owner string
		warns string
	}{
		// *.w has records of its own: it answers as before.
		{"a.*.w TXT \"x\"\n*.w", `a.*.w.e.test.: the '*' label is not the leftmost: it is a literal '*', not a wildcard`},
		{"a.*", `a.*.e.test.: the '*' label is not the leftmost: it is a literal '*', not a wildcard, and it makes *.e.test. a wildcard with no records of its own, which answers NODATA (not NXDOMAIN) for every name below e.test. that does not exist`},
		{`b.\042.c`, `b.*.c.e.test.: the '*' label is not the leftmost: it is a literal '*', not a wildcard, and it makes *.c.e.test. a wildcard with no records of its own, which answers NODATA`},
		{"*.w", ""},
		{"*", ""},
		{`a\042b`, ""},
		{"a.b*", ""},
	} {
		text := "$ORIGIN e.test.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns.\n" + c.owner + " TXT \"x\"\n"
		z, err := Parse(strings.NewReader(text), "odd.zone", "e.test.", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range Check(z) {
			if strings.Contains(p.Message, "'*'") {
				got = append(got, fmt.Sprintf("%s: %s", p.Severity, p))
			}
		}
		switch {
		case c.warns == "" && len(got) > 0:
			t.Errorf("%s: %v", c.owner, got)
		case c.warns != "" && (len(got) != 1 || !strings.HasPrefix(got[0], "warning: odd.zone:5: "+c.warns)):
			t.Errorf("%s: %v, want one warning on odd.zone:5 saying %q", c.owner, got, c.warns)
		case c.warns != "" && !strings.Contains(c.warns, "NODATA") && strings.Contains(got[0], "NODATA"):
			t.Errorf("%s: %v: the wildcard has records", c.owner, got)
		}
	}
}
