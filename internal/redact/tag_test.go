package redact

import (
	"context"
	"strings"
	"testing"
)

// TestHTMLTagCommonMark: htmlTag reads a tag where CommonMark's raw HTML
// grammar does (0.31 §6.6, https://spec.commonmark.org/0.31.2/#raw-html,
// its examples 613 to 627), and nothing else: a view that takes out as a
// tag what a renderer shows as text ("<co | de>" across a table's cells,
// "<ss__>") hides the pieces of a secret a reader reads.
func TestHTMLTagCommonMark(t *testing.T) {
	for _, c := range []struct {
		text string
		n    int // the tag's length, 0: none
	}{
		{"<a>", 3}, {"<bab>", 5}, {"<c2c>", 5}, {"<a/>", 4}, {"<b2/>", 5},
		{"<a  />", 6}, {"<b2\ndata=\"foo\" >", 16},
		{"<a foo=\"bar\" bam = 'baz <em>\"</em>'\n_boolean zoop:33=zoop:33 />", 63},
		{"<responsive-image src=\"foo.jpg\" />", 34},
		{"</a>", 4}, {"</foo >", 7}, {"<span class=\"x\">pk", 16}, {"<code>pk", 6},
		{"<!-- -->x", 8}, {"<!-->x-->", 5}, {"<!--->", 6}, {"<!-- a -->", 10},
		{"<33>", 0}, {"<__>", 0}, {"<a h*#ref=\"hi\">", 0}, {"<a href=\"hi'> <a href=hi'>", 0},
		{"< a><", 0}, {"<bar/ >", 0}, {"<foo bar=baz\nbim!bop />", 0}, {"<a href='bar'title=title>", 0},
		{"</a href=\"foo\">", 0}, {"<ss__>", 0}, {"<co | de>", 0}, {"<co](#) [de>", 0}, {"<a", 0},
		// Processing instructions, declarations and CDATA where the
		// grammar reads them, cut to what a browser hides (to the first
		// ">"); a comment ends at "--!>" too.
		{"<?x>a?>", 4}, {"<?x?>", 5}, {"<?x>", 0}, {"<!x>a", 4}, {"<!DOCTYPE html>", 15}, {"<!>", 0}, {"<!-x>", 0},
		{"<![CDATA[a>b]]>", 11}, {"<![CDATA[a>", 0}, {"<!-- a --!>b -->", 11}, {"<!-- a --!>", 0},
	} {
		if n := htmlTag([]byte(c.text), nil); n != c.n {
			t.Errorf("htmlTag(%q) = %d, want %d", c.text, n, c.n)
		}
	}
}

// TestUpperEscape: \U with eight hex digits is Python's and C's escape
// where it names a character of planes 0 to 3; above, it is read as an
// upper-cased JSON \u000B and four characters of the text (a secret's
// head), which the eight-digit reading swallowed.
func TestUpperEscape(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		n    int
	}{
		{`\U0000007A`, "z", 10},
		{`\U0001F600`, "\U0001F600", 10},
		{`\U005F`, "_", 6},
		{`\U000B9F3A`, "\v", 6},
		{`\U0010FFFF`, "\x10", 6},
	} {
		got, n := unescape([]byte(c.in), mode{})
		if string(got) != c.want || n != c.n {
			t.Errorf("unescape(%q) = %q, %d; want %q, %d", c.in, got, n, c.want, c.n)
		}
	}
}

// TestWithoutFormsTagFirst: a secret holding a tag with a blank in it
// and a separator outside it is also looked for as the views read it,
// tags out first and then the separators: taking the blank out first
// breaks the tag ("<a b=1>" reads "<ab=1>", no tag).
func TestWithoutFormsTagFirst(t *testing.T) {
	const secret, want = "q7<a b=1>Hq2/mZ9wXr4Lt8", "q7Hq2mZ9wXr4Lt8"
	for _, f := range withoutForms(secret) {
		if f == want {
			return
		}
	}
	t.Errorf("withoutForms(%q) = %q, lacks %q", secret, withoutForms(secret), want)
}

// TestRawTagBrowser: rawTag reads a tag in an HTML block as a browser's
// tokenizer does (https://html.spec.whatwg.org/multipage/parsing.html#tag-open-state):
// up to the first ">" outside a quoted value, an unquoted value holding
// a backtick, a quote or "=", no blank needed between attributes; what
// is no tag there ("<3", "< a>", an unclosed quote) is text.
func TestRawTagBrowser(t *testing.T) {
	for _, c := range []struct {
		text string
		n    int // the tag's length, 0: none
	}{
		{"<div class=a`b>x", 15}, {"<DIV class=\"a\"id=b>x", 19}, {"<div a=\"x>y\">z", 13},
		{"<div a = 'x>y'>z", 15}, {"<div a=b='>'>", 11}, {"</div\n>x", 7}, {"<x@y.z>", 7},
		{"<a>", 3}, {"<!-- -->x", 8}, {"<3>", 0}, {"< a>", 0}, {"<div a=\"x>", 0}, {"<div", 0},
		// "=" starts a value only after an attribute's name: in the tag's
		// name or where a name starts it is part of the name.
		{"<div =\"a>b\">", 9}, {"<x=\"a>b\">", 6}, {"<x/=\"a>b\">", 7}, {"<div a =\"x>y\">", 14},
		{"<div a\"b=\"x>y\">", 15}, {"<div a='x'b='>'>", 16},
		// What the tokenizer hides that is no tag: bogus comments to the
		// first ">" ("<?", "</" and no letter, "<!" not before "--"),
		// "</>", and a comment to "-->" or "--!>".
		{"<?x>-c", 4}, {"</ x>y", 5}, {"</>y", 3}, {"<!>y", 3}, {"<!-x>y", 5}, {"<!x>y", 4}, {"</3>y", 4},
		{"<![CDATA[a>b]]>", 11}, {"<!-- a --!>b -->", 11}, {"<!-- a --!>", 11}, {"<?x", 0}, {"</ x", 0},
	} {
		if n := rawTag([]byte(c.text), nil); n != c.n {
			t.Errorf("rawTag(%q) = %d, want %d", c.text, n, c.n)
		}
	}
}

// TestHTMLBlocksNesting: leaf reads a line in at most maxContainers
// containers: a blank line goes on in every open list item, so n blank
// lines after a line of n nested items read all of them cost n² (8,000
// of each took 112 ms, 4,000 27 ms); the markers past the bound are
// text.
func TestHTMLBlocksNesting(t *testing.T) {
	var c containers
	c.leaf([]byte(strings.Repeat("- ", 100)+"a"), false, false)
	if len(c.open) > maxContainers {
		t.Fatalf("a line of 100 nested items opened %d containers, want at most %d", len(c.open), maxContainers)
	}
	if matched, _, _ := c.leaf(nil, true, false); matched != len(c.open) {
		t.Errorf("a blank line goes on in %d of %d items", matched, len(c.open))
	}
}

// TestMarkupKinds: each construct of HTML that is no tag opens the same
// way, and ends the same way, in an HTML block (rawStart: kinds 2 to 5,
// CommonMark 0.31 §4.6) and inline (htmlTag, §6.6): one table,
// markupKinds, for both.
func TestMarkupKinds(t *testing.T) {
	for _, c := range []struct {
		text, end string
		n         int // htmlTag's length of text
	}{
		{"<!-- a -->b", "-->", 10},
		{"<?php a ?>b", "?>", 10},
		{"<![CDATA[a]]>b", "]]>", 13},
		{"<!DOCTYPE html>b", ">", 15},
		{"<!x>b", ">", 4},
		{"<!1>b", "", 0},
		{"<!>b", "", 0},
		{"<x>b", "", 3},
	} {
		if got := rawStart([]byte(c.text)); got != c.end {
			t.Errorf("rawStart(%q) = %q, want %q", c.text, got, c.end)
		}
		if n := htmlTag([]byte(c.text), nil); n != c.n {
			t.Errorf("htmlTag(%q) = %d, want %d", c.text, n, c.n)
		}
	}
}

// TestLongMarkup: a comment, a processing instruction, a CDATA section or
// a declaration is taken out whole whatever its length, as cmark-gfm
// passes one through (its scanners, extensions-free src/scanners.re,
// bound none) and a browser hides one (a comment to its first "-->" or
// "--!>", a bogus comment to its first ">"): a key split by one of a
// thousand bytes is masked (it was read only within maxTag bytes, and
// left). In a value, across values, and in an HTML block.
func TestLongMarkup(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	long := strings.Repeat("x", 1000)
	for _, c := range [][]string{
		{"sk-a1b<!--", long, "-->2-c3d4e5"},
		{"key sk-a1b2<!--" + long + "-->-c3d4e5 refused"},
		{"key sk-a1b2<!-- " + long + " --> -c3d4e5 refused"},
		{"key sk-a1b2<?" + long + "?>-c3d4e5 refused"},
		{"key sk-a1b2<![CDATA[" + long + "]]>-c3d4e5 refused"},
		{"key sk-a1b2<![CDATA[x]]>-c3d4e5 refused"},
		{"key sk-a1b2<?x?>-c3d4e5 refused"},
		{"key sk-a1b2<!DOCTYPE " + long + ">-c3d4e5 refused"},
		{"<div>\nkey sk-a1b2<!--" + long + "--!>-c3d4e5 refused\n"},
		{"<div>\nkey sk-a1b2<?" + long + ">-c3d4e5 refused\n"},
		{"<div>\nkey sk-a1b2</ " + long + ">-c3d4e5 refused\n"},
		{"key sk-a1b2", "<!--" + long, long + "-->", "-c3d4e5 refused"},
		{"key sk-a1b2<!--", long[:600], long[:600], "-->-c3d4e5 refused"},
		{"key sk-a1b2<?", long[:600], long[:600], "?>-c3d4e5 refused"},
		{"key sk-a1b2<!--", long[:600], long[:600], long[:600], "-->-c3d4e5 refused"},
	} {
		s := &Secrets{}
		s.Add(key)
		got := map[string]string{"ReplaceStrings": strings.Join(s.ReplaceStrings(c), "")}
		if len(c) == 1 {
			got["Replace"] = s.Replace(c[0])
			got["ServerText"] = ServerText(context.Background(), c[0], key)
		}
		for name, out := range got {
			if strings.Contains(out, "a1b") || strings.Contains(out, "c3d4e5") {
				t.Errorf("%s(%.40q...) = %.60q..., want the key masked", name, c, out)
			}
		}
	}
}

// TestMarkupScanLinear: the ends of comments and their kin are searched
// for as the readings meet each "<" (htmlTag, rawTag) with one
// markupScan a text: the bytes searched grow as the text does, for n
// openers no end follows, or that one end far on closes the first of
// (each searched to the text's end when the length bound went, n²).
func TestMarkupScanLinear(t *testing.T) {
	for _, unit := range []string{"<!--", "<?", "<![CDATA[", "<!x", "<!--a--!>", "<?a>", "</ a", "<!-- x -->"} {
		for _, tail := range []string{"", "-->?>]]>>"} {
			read := func(n int) int {
				b := []byte(strings.Repeat(unit, n) + tail)
				var ms markupScan
				for _, block := range []bool{false, true} {
					for i := 0; i < len(b); i++ {
						if b[i] == '<' {
							tagAt(b[i:], block, &ms)
						}
					}
				}
				return ms.read
			}
			if a, b := read(1000), read(2000); b > 3*a || b > 20*len(unit)*2000 {
				t.Errorf("%q×n+%q: %d bytes searched for n = 1000, %d for 2000: want them to grow as n does", unit, tail, a, b)
			}
		}
	}
}
