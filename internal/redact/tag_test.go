package redact

import "testing"

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
		{"<!-- -->x", 8},
		{"<33>", 0}, {"<__>", 0}, {"<a h*#ref=\"hi\">", 0}, {"<a href=\"hi'> <a href=hi'>", 0},
		{"< a><", 0}, {"<bar/ >", 0}, {"<foo bar=baz\nbim!bop />", 0}, {"<a href='bar'title=title>", 0},
		{"</a href=\"foo\">", 0}, {"<ss__>", 0}, {"<co | de>", 0}, {"<co](#) [de>", 0}, {"<a", 0},
	} {
		if n := htmlTag([]byte(c.text)); n != c.n {
			t.Errorf("htmlTag(%q) = %d, want %d", c.text, n, c.n)
		}
	}
}
