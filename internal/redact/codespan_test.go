package redact_test

import (
	"bytes"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// scanCodeSpan is codeSpan as it read a span before fenceRuns: from the
// run at b[i], on to the next run of as many backticks, stopping at a
// blank line (CommonMark 0.31 §6.1: a span lies in one paragraph); a run
// after an odd number of backslashes opens with its second backtick. The
// reference TestCodeSpanOnePass compares the one-pass reading with.
func scanCodeSpan(b []byte, i int) (open, from, to, end int) {
	s, e := i, i
	for s > 0 && b[s-1] == '`' {
		s--
	}
	for e < len(b) && b[e] == '`' {
		e++
	}
	slashes := 0
	for s-slashes > 0 && b[s-slashes-1] == '\\' {
		slashes++
	}
	if slashes%2 == 1 {
		if i == s {
			return 1, 0, 0, 0
		}
		s++
	}
	if i != s {
		return e - i, 0, 0, 0
	}
	open = e - s
	for j := e; j < len(b); {
		if b[j] != '`' {
			if blankLine.Match(b[j:]) {
				break
			}
			j++
			continue
		}
		k := j
		for k < len(b) && b[k] == '`' {
			k++
		}
		if k-j == open {
			from, to = e, j
			text := strings.ReplaceAll(strings.ReplaceAll(string(b[from:to]), "\r\n", " "), "\r", " ")
			text = strings.ReplaceAll(text, "\n", " ")
			if strings.HasPrefix(text, " ") && strings.HasSuffix(text, " ") && strings.Trim(text, " ") != "" {
				n, m := 1, 1 // a space, CR or LF; CRLF is two bytes
				if bytes.HasPrefix(b[from:to], []byte("\r\n")) {
					n = 2
				}
				if bytes.HasSuffix(b[from:to], []byte("\r\n")) {
					m = 2
				}
				from, to = from+n, to-m
			}
			return open, from, to, k
		}
		j = k
	}
	return open, 0, 0, 0
}

// blankLine matches a text that starts with a blank line: a line ending
// (CRLF, CR or LF), spaces and tabs, another (CommonMark 0.31 §4.9); a
// CR right before an LF is no line ending of its own.
var blankLine = regexp.MustCompile(`^(?:\r\n[ \t]*[\r\n]|\n[ \t]*[\r\n]|\r(?:[ \t]+[\r\n]|\r))`)

// TestCodeSpanOnePass: the code spans read in one pass (fenceRuns, each
// run's closing run remembered per length) are the ones scanning on from
// each run finds, at every backtick of: every form of redacttest.Echoes
// (and its JSON message) of the secrets TestEachOutputEachForm plants,
// all of a secret's forms one after another (runs of one form closed by
// another's), runs no run closes of lengths 1 to 40 (bench/codespan's
// text), and random texts of backticks, blanks, line endings,
// backslashes and letters.
func TestCodeSpanOnePass(t *testing.T) {
	var texts []string
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "a``b```c`d````e"} {
		var all strings.Builder
		for _, e := range redacttest.Echoes(secret) {
			texts = append(texts, e.Form, e.JSON, e.Record)
			all.WriteString(e.Form + " " + e.JSON + "\n")
		}
		texts = append(texts, all.String())
	}
	var unclosed strings.Builder
	for n := 1; n <= 40; n++ {
		unclosed.WriteString("Lm3V" + strings.Repeat("`", n))
	}
	texts = append(texts, unclosed.String(), unclosed.String()+"`")
	rnd := rand.New(rand.NewSource(19))
	for range 2000 {
		b := make([]byte, rnd.Intn(40))
		for i := range b {
			b[i] = "```` a\n\r\t\\"[rnd.Intn(10)]
		}
		texts = append(texts, string(b))
	}
	compared := 0
	for _, text := range texts {
		b := []byte(text)
		for i := range b {
			if b[i] != '`' {
				continue
			}
			compared++
			o, f, to, e := redact.CodeSpanAt(b, i)
			wo, wf, wto, we := scanCodeSpan(b, i)
			if o != wo || e != we || e != 0 && (f != wf || to != wto) {
				t.Fatalf("%q at %d: one pass (open %d, text %d:%d, end %d), scanning (open %d, text %d:%d, end %d)", text, i, o, f, to, e, wo, wf, wto, we)
			}
		}
	}
	if compared < 10000 {
		t.Fatalf("only %d backticks compared: the corpus lost its code spans", compared)
	}
}

// codeSpanRow is a text (in), what it is called, and its view.
type codeSpanRow struct{ name, in, view string }

// spanRow is the row of a text in named name that shows view.
func spanRow(name, in, view string) codeSpanRow { return codeSpanRow{name, in, view} }

// TestCodeSpanCommonMark: the rendered view reads code spans as
// CommonMark 0.31 does (§6.1, https://spec.commonmark.org/0.31.2/#code-spans):
// its examples 328-349, each as the spec's HTML shows it with the tags
// taken out, and rows of the same rules the examples leave out, and of
// GFM's tables, whose cells no span crosses. A span's fences go and its
// text stays; a run no run closes is text.
func TestCodeSpanCommonMark(t *testing.T) {
	for _, c := range []codeSpanRow{
		spanRow("328", "`foo`\n", "foo\n"),
		spanRow("329", "`` foo ` bar ``\n", "foo ` bar\n"),
		spanRow("330", "` `` `\n", "``\n"),
		spanRow("331", "`  ``  `\n", " `` \n"),
		spanRow("332", "` a`\n", " a\n"),
		spanRow("333 no-break spaces are no spaces", "`\u00a0b\u00a0`\n", "\u00a0b\u00a0\n"),
		spanRow("334", "` `\n`  `\n", " \n  \n"),
		spanRow("335", "``\nfoo\nbar  \nbaz\n``\n", "foo bar   baz\n"),
		spanRow("336", "``\nfoo \n``\n", "foo \n"),
		spanRow("337", "`foo   bar \nbaz`\n", "foo   bar  baz\n"),
		spanRow("338", "`foo\\`bar`\n", "foo\\bar`\n"),
		spanRow("339", "``foo`bar``\n", "foo`bar\n"),
		spanRow("340", "` foo `` bar `\n", "foo `` bar\n"),
		spanRow("341", "*foo`*`\n", "*foo*\n"),
		spanRow("342", "[not a `link](/foo`)\n", "[not a link](/foo)\n"),
		spanRow("343", "`<a href=\"`\">`\n", "<a href=\"\">`\n"),
		spanRow("344 a tag's attribute holds the backtick", "<a href=\"`\">`\n", "`\n"),
		spanRow("345", "`<https://foo.bar.`baz>`\n", "<https://foo.bar.baz>`\n"),
		spanRow("346 an autolink shows its text", "<https://foo.bar.`baz>`\n", "https://foo.bar.`baz`\n"),
		spanRow("347", "```foo``\n", "```foo``\n"),
		spanRow("348", "`foo\n", "`foo\n"),
		spanRow("349", "`foo``bar``\n", "`foobar\n"),
		// The same rules beyond the examples.
		spanRow("a tab is no space", "`\ta\t`", "\ta\t"),
		spanRow("a tab is kept beside a stripped space", "` \ta\t `", "\ta\t"),
		spanRow("a lone CR is a line ending", "`\ra\r`", "a"),
		spanRow("CRLF is one line ending", "`\r\na\r\n`", "a"),
		spanRow("CRLF inside is one space", "`a\r\nb`", "a b"),
		spanRow("only line endings", "`\r\n`", " "),
		spanRow("an autolink's backticks open no span", "<a+b:`x>`", "a+b:`x`"),
		spanRow("a one-letter scheme is no autolink", "<a:`x>`", "<a:x>"),
		// Email autolinks (§6.5, https://spec.commonmark.org/0.31.2/#email-autolink):
		// the spec's examples, then a backtick in the address,
		// which opens no span there.
		spanRow("an email autolink", "<foo@bar.example.com>\n", "foo@bar.example.com\n"),
		spanRow("an email autolink, + and - in it", "<foo+special@Bar.baz-bar0.com>\n", "foo+special@Bar.baz-bar0.com\n"),
		spanRow("no backslash escape in an email autolink", "<foo\\+@bar.example.com>\n", "<foo\\+@bar.example.com>\n"),
		spanRow("an email autolink's backticks open no span", "<a`b@c.d>`", "a`b@c.d`"),
		spanRow("a label ending in - is no email autolink", "<a`b@c-.d>`", "<ab@c-.d>"),
		// HTML blocks (§4.6, https://spec.commonmark.org/0.31.2/#html-blocks):
		// raw HTML, no Markdown; its tags as a browser reads them.
		spanRow("a block's tag with a backtick in a value", "<div class=a`b>\nx `y`\n", "\nx `y`\n"),
		spanRow("a block's tag, attributes with no blank between", "<DIV class=\"a\"id=`b`>x `y`\n", "x `y`\n"),
		spanRow("the same tag inline is text", "a <div class=a`b>`", "a <div class=ab>"),
		spanRow("a block interrupts a paragraph: no span crosses", "`a\n<div>\nb`\n", "`a\n\nb`\n"),
		spanRow("a block ends at a blank line", "<div>\n`x`\n\n`y`\n", "\n`x`\n\ny\n"),
		spanRow("a tag alone after a blank line starts a block (kind 7)", "a\n\n<x-y>\n`c`\n", "a\n\n\n`c`\n"),
		spanRow("kind 7 interrupts no paragraph", "a\n<x-y>\n`c`\n", "a\n\nc\n"),
		spanRow("a pre block ends at its end tag, not a blank line (kind 1)", "<pre class=a`b>\n`x`\n\n`y`</pre>\n`z`", "\n`x`\n\n`y`\nz"),
		spanRow("a fenced code block starts no HTML block", "```\n<div>\n```\n", "<div>\n"),
		// Blocks in containers (§5): a block quote's or a list item's
		// markers taken out first; a block ends where its container
		// does (no lazy line continues it).
		spanRow("a block in a block quote", "> <div class=a`b>\n> x `y`\n", "> \n> x `y`\n"),
		spanRow("a block in a block quote, no blank after >", "><div class=a`b>\n>x `y`\n", ">\n>x `y`\n"),
		spanRow("a block in a bullet item", "- <div class=a`b>\n  x `y`\n", "- \n  x `y`\n"),
		spanRow("a block in an ordered item", "1. <div class=a`b>\n   x `y`\n", "1. \n   x `y`\n"),
		spanRow("a block in an item in a quote", "> - <div class=a`b>\n>   x `y`\n", "> - \n>   x `y`\n"),
		spanRow("a block in a nested item's continuation", "- a\n  - b\n\n    <div class=a`b>\n    x `y`\n", "- a\n  - b\n\n    \n    x `y`\n"),
		spanRow("a block ends at a line of blanks", "<div>\n`x`\n     \n`y`\n", "\n`x`\n     \ny\n"),
		spanRow("a pre block ends at an indented end tag", "<pre>\n`x`\n     </pre>\n`y`\n", "\n`x`\n     \ny\n"),
		spanRow("a block ends where its quote does", "> <div>\n`x`\n", "> \nx\n"),
		spanRow("a block ends where its item does", "- <div>\n`x`\n", "- \nx\n"),
		// Kind 7 where no paragraph is open, not only after a blank line.
		spanRow("kind 7 after an ATX heading", "# a\n<x-y>\n`c`\n", "# a\n\n`c`\n"),
		spanRow("kind 7 after a thematic break", "***\n<x-y>\n`c`\n", "***\n\n`c`\n"),
		spanRow("kind 7 after a setext heading", "a\n===\n<x-y>\n`c`\n", "a\n===\n\n`c`\n"),
		spanRow("kind 7 after a kind 1 block", "<pre>\n</pre>\n<x-y>\n`c`\n", "\n\n\n`c`\n"),
		spanRow("kind 7 first in a new quote", "a\n> <x-y>\n> `c`\n", "a\n> \n> `c`\n"),
		spanRow("kind 7 first in an item interrupting a paragraph", "a\n- <x-y>\n  `c`\n", "a\n- \n  `c`\n"),
		spanRow("kind 7 interrupts no paragraph in a quote", "> a\n> <x-y>\n> `c`\n", "> a\n> \n> c\n"),
		spanRow("kind 7 where a quote's paragraph is not continued", "> a\n<x-y>\n`c`\n", "> a\n\n`c`\n"),
		spanRow("kind 7 where an item's paragraph is not continued", "- a\n<x-y>\n`c`\n", "- a\n\n`c`\n"),
		spanRow("kind 7 interrupts no paragraph in an item", "- a\n  b\n  <x-y>\n  `c`\n", "- a\n  b\n  \n  c\n"),
		spanRow("a closing pre tag alone is kind 7 (cmark-gfm)", "</pre>\n<x-y>\n`c`\n", "\n\n`c`\n"),
		spanRow("kind 7 after a quote's lazy line", "> a\nb\n<x-y>\n`c`\n", "> a\nb\n\n`c`\n"),
		spanRow("a block's line opens no list item", "<div>\n-\n<x-y>\n`c`\n", "\n-\n\n`c`\n"),
		spanRow("a lazy === is text, no setext underline", "- a\n===\n    <x-y>\n   `c`\n", "- a\n===\n    \n   c\n"),
		spanRow("a block ends where a new item starts", "- <div>\n- `x`\n", "- \n- x\n"),
		spanRow("a block ends where a quote in an item is not continued", "- <div>\n> `x`\n", "- \n> x\n"),
		spanRow("kind 7 after a comment block (kind 2)", "<!-- a\n-->\n<x-y>\n`c`\n", "\n\n`c`\n"),
		spanRow("kind 7 after a kind 3 block interrupting a paragraph", "a\n<?x\n?>\n<x-y>\n`c`\n", "a\n\n\n`c`\n"),
		spanRow("kind 7 after a kind 4 block interrupting a paragraph", "a\n<!X\n>\n<x-y>\n`c`\n", "a\n\n\n`c`\n"),
		spanRow("an empty item ends at a blank line after it", "-\n\n    <x-y>\n   `c`\n", "-\n\n    \n   c\n"),
		spanRow("kind 7 after a table", "| a | b |\n|---|---|\n<x-y>\n`c`\n", "| a | b |\n|---|---|\n\n`c`\n"),
		spanRow("a line after a table is a row", "| a | b |\n|---|---|\nd\n`c`\n", "| a | b |\n|---|---|\nd\nc\n"),
		spanRow("an item from 2 interrupts no paragraph", "a\n2. <x-y>\n   `c`\n", "a\n2. \n   c\n"),
		spanRow("kind 7 interrupts no paragraph's indented line", "a\n    b\n<x-y>\n`c`\n", "a\n    b\n\nc\n"),
		spanRow("escaped backtick opens nothing", "\\`a`", "\\`a`"),
		spanRow("escaped run opens with its second", "\\``a`", "\\`a"),
		spanRow("escaped backslash escapes no backtick", "\\\\`a`", "\\\\a"),
		spanRow("a blank line ends the paragraph", "`a\n\nb`", "`a\n\nb`"),
		spanRow("a blank line of blanks ends it too", "`a\r\n \t\r\nb`", "`a\r\n \t\r\nb`"),
		spanRow("spans on each side of a blank line", "`a`\n\n`b`", "a\n\nb"),
		spanRow("a line ending alone does not", "`a\nb`", "a b"),
		// GFM tables (https://github.github.com/gfm/#tables-extension-):
		// a row's cells are split at each unescaped | before code
		// spans are read, and each row is read alone.
		spanRow("a span inside a cell", "| `x` | y |\n| --- | --- |\n| `z` | w |\n", "| x | y |\n| --- | --- |\n| z | w |\n"),
		spanRow("no span across a row's cells", "| a | b |\n|---|---|\n| `x | y` |\n", "| a | b |\n|---|---|\n| `x | y` |\n"),
		spanRow("no span across the header's cells", "`x | y`\n--|--\n", "`x | y`\n--|--\n"),
		spanRow("no span across rows", "| a | b |\n|:-|-:|\n| `x | y |\n| z` | w |\n", "| a | b |\n|:-|-:|\n| `x | y |\n| z` | w |\n"),
		spanRow("an escaped bar splits no cell (the view keeps its backslash)", "| a |\n| - |\n| `x \\| y` |\n", "| a |\n| - |\n| x \\| y |\n"),
		spanRow("a bar outside a table splits nothing", "`x | y`\n", "x | y\n"),
		spanRow("cells unlike the header's: no table", "| a | b |\n| --- |\n`x | y`\n", "| a | b |\n| --- |\nx | y\n"),
		spanRow("after the table's blank line, a paragraph", "| a |\n| - |\n\n`x | y`\n", "| a |\n| - |\n\nx | y\n"),
	} {
		// The view keeps a line ending where the renderer shows a
		// space (the joined reading passes over it: a secret wrapped
		// in a span is matched whole, TestSecretWrappedInSpan).
		if got, sp := redact.CodeView(c.in), strings.NewReplacer("\r\n", " ", "\n", " "); sp.Replace(got) != sp.Replace(c.view) {
			t.Errorf("%s: %q reads as %q, CommonMark shows %q", c.name, c.in, got, c.view)
		}
	}
}

// TestSecretWrappedInSpan: a secret holding a backtick, in a code span
// (its fence widened) wrapped across two lines after a tag, which
// GitHub shows whole with one space in it, shows no piece of it.
func TestSecretWrappedInSpan(t *testing.T) {
	const secret = "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2"
	var s redact.Secrets
	s.Add(secret)
	for _, text := range []string{
		"<b>Zq9*Lm3~Vx7'Rt8</b>`` `sW4y\nB6n`Hq2 ``",
		"<b>Zq9*Lm3~Vx7'Rt8</b>`` `sW4yB6n\r\n`Hq2 ``",
		"<b>Zq9*Lm3~Vx7'Rt8</b>``` `sW4y\nB6n`Hq2 ```",
		"**Zq9*Lm3~Vx7'Rt8**`` `sW4y\nB6n`Hq2 ``",
		"Zq9\\*Lm3~Vx7'Rt8`` `sW4y\nB6n`Hq2 ``",
	} {
		got := s.Replace(text)
		for _, piece := range []string{"B6n`Hq2", "Hq2", "sW4y"} {
			if strings.Contains(got, piece) {
				t.Errorf("%q shows %q: %q", text, piece, got)
			}
		}
	}
}

// TestReplaceAfterTextsApart: a text read after another one (ReplaceAfter:
// the next annotation, the report after its headline) that both quote a
// secret in the same form of redacttest.Echoes shows none of it. Each is
// shown apart, so a run of backticks in the one pairs with none in the
// other: joined by one line break, the code spans of a form split
// across spans widened around the backticks it holds paired across the
// two, and the second text's view kept pieces of it.
func TestReplaceAfterTextsApart(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "a``b```c`d````e_7Hq2mZ9wXr4"} {
		var s redact.Secrets
		s.Add(secret)
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			if l := redacttest.Leak(s.ReplaceAfter("drift: "+text, "the provider said: "+text), secret, e.Form); l != "" {
				t.Errorf("%q %s: %s", secret, e.Name, l)
			}
		}
	}
}
