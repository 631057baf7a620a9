package redact_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestCodeSpanCommonMark: the rendered view reads code spans as
// CommonMark 0.31 does (§6.1, https://spec.commonmark.org/0.31.2/#code-spans):
// its examples 328-349, each as the spec's HTML shows it with the tags
// taken out, and rows of the same rules the examples leave out, and of
// GFM's tables, whose cells no span crosses. A span's fences go and its
// text stays; a run no run closes is text.
func TestCodeSpanCommonMark(t *testing.T) {
	for _, c := range []struct{ name, in, view string }{
		{"328", "`foo`\n", "foo\n"},
		{"329", "`` foo ` bar ``\n", "foo ` bar\n"},
		{"330", "` `` `\n", "``\n"},
		{"331", "`  ``  `\n", " `` \n"},
		{"332", "` a`\n", " a\n"},
		{"333 no-break spaces are no spaces", "`\u00a0b\u00a0`\n", "\u00a0b\u00a0\n"},
		{"334", "` `\n`  `\n", " \n  \n"},
		{"335", "``\nfoo\nbar  \nbaz\n``\n", "foo bar   baz\n"},
		{"336", "``\nfoo \n``\n", "foo \n"},
		{"337", "`foo   bar \nbaz`\n", "foo   bar  baz\n"},
		{"338", "`foo\\`bar`\n", "foo\\bar`\n"},
		{"339", "``foo`bar``\n", "foo`bar\n"},
		{"340", "` foo `` bar `\n", "foo `` bar\n"},
		{"341", "*foo`*`\n", "*foo*\n"},
		{"342", "[not a `link](/foo`)\n", "[not a link](/foo)\n"},
		{"343", "`<a href=\"`\">`\n", "<a href=\"\">`\n"},
		{"344 a tag's attribute holds the backtick", "<a href=\"`\">`\n", "`\n"},
		{"345", "`<https://foo.bar.`baz>`\n", "<https://foo.bar.baz>`\n"},
		{"347", "```foo``\n", "```foo``\n"},
		{"348", "`foo\n", "`foo\n"},
		{"349", "`foo``bar``\n", "`foobar\n"},
		// The same rules beyond the examples.
		{"a tab is no space", "`\ta\t`", "\ta\t"},
		{"a tab is kept beside a stripped space", "` \ta\t `", "\ta\t"},
		{"a lone CR is a line ending", "`\ra\r`", "a"},
		{"CRLF is one line ending", "`\r\na\r\n`", "a"},
		{"CRLF inside is one space", "`a\r\nb`", "a b"},
		{"only line endings", "`\r\n`", " "},
		{"escaped backtick opens nothing", "\\`a`", "\\`a`"},
		{"escaped run opens with its second", "\\``a`", "\\`a"},
		{"escaped backslash escapes no backtick", "\\\\`a`", "\\\\a"},
		{"a blank line ends the paragraph", "`a\n\nb`", "`a\n\nb`"},
		{"a blank line of blanks ends it too", "`a\r\n \t\r\nb`", "`a\r\n \t\r\nb`"},
		{"spans on each side of a blank line", "`a`\n\n`b`", "a\n\nb"},
		{"a line ending alone does not", "`a\nb`", "a b"},
		// GFM tables (https://github.github.com/gfm/#tables-extension-):
		// a row's cells are split at each unescaped | before code
		// spans are read, and each row is read alone.
		{"a span inside a cell", "| `x` | y |\n| --- | --- |\n| `z` | w |\n", "| x | y |\n| --- | --- |\n| z | w |\n"},
		{"no span across a row's cells", "| a | b |\n|---|---|\n| `x | y` |\n", "| a | b |\n|---|---|\n| `x | y` |\n"},
		{"no span across the header's cells", "`x | y`\n--|--\n", "`x | y`\n--|--\n"},
		{"no span across rows", "| a | b |\n|:-|-:|\n| `x | y |\n| z` | w |\n", "| a | b |\n|:-|-:|\n| `x | y |\n| z` | w |\n"},
		{"an escaped bar splits no cell (the view keeps its backslash)", "| a |\n| - |\n| `x \\| y` |\n", "| a |\n| - |\n| x \\| y |\n"},
		{"a bar outside a table splits nothing", "`x | y`\n", "x | y\n"},
		{"cells unlike the header's: no table", "| a | b |\n| --- |\n`x | y`\n", "| a | b |\n| --- |\nx | y\n"},
		{"after the table's blank line, a paragraph", "| a |\n| - |\n\n`x | y`\n", "| a |\n| - |\n\nx | y\n"},
	} {
		if got := redact.CodeView(c.in); got != c.view {
			t.Errorf("%s: %q reads as %q, CommonMark shows %q", c.name, c.in, got, c.view)
		}
	}
}
