package report

import (
	"regexp"
	"strings"
	"testing"
)

// gfmAutolink finds what GitHub's Markdown turns into a link in plain
// text (cmark-gfm's autolink extension: a scheme's :// URL, www. at a word
// start, an e-mail address; GitHub's filters: @mentions, #123 and GH-123
// references): a rendering of the text must hold none of them.
var gfmAutolink = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(https?|ftp)://[^\s<]`),
	regexp.MustCompile(`(?i)(^|[\s*_~(])www\.[a-z0-9]`),
	regexp.MustCompile(`[A-Za-z0-9.+_-]+@[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]*[A-Za-z0-9]`),
	regexp.MustCompile(`(?i)\b(mailto|xmpp):[^\s]`),
	regexp.MustCompile(`(^|\W)@[A-Za-z0-9]`),
	regexp.MustCompile(`(^|[^&])#[0-9]`),
	regexp.MustCompile(`(?i)\bGH-[0-9]`),
}

// TestMarkdownTextDefusesAutolinks: zone content in a comment becomes no
// link: a TXT "https://evil.example/login" stays text.
func TestMarkdownTextDefusesAutolinks(t *testing.T) {
	for _, in := range []string{
		"https://evil.example/login",
		`"v=spf1 redirect=x" see HTTP://EVIL.example/login`,
		"ftp://evil.example/x",
		"visit www.evil.example today",
		"WWW.EVIL.EXAMPLE",
		"(www.evil.example)",
		"mail admin@evil.example",
		"mailto:admin@evil.example",
		"xmpp:admin@evil.example",
		"ping @octocat and @org/team",
		"fixes #123 and acme/dns#7",
		"see GH-42",
		"İstanbul www.evil.example https://evil.example", // a letter whose lower case is longer
	} {
		got := MarkdownText(in)
		for _, re := range gfmAutolink {
			if m := re.FindString(got); m != "" {
				t.Errorf("MarkdownText(%q) = %q: %q would be a link", in, got, m)
			}
		}
		// What renders (entities decoded, joiners invisible) is the text.
		shown := strings.NewReplacer("\u200d", "", "&#95;", "_", "&#40;", "(", "&#41;", ")", "&#91;", "[", "&#93;", "]").Replace(got)
		if shown != in {
			t.Errorf("MarkdownText(%q) renders as %q", in, shown)
		}
	}
	if got := MarkdownText("192.0.2.1 ns1.example.com."); got != "192.0.2.1 ns1.example.com." {
		t.Errorf("ordinary text changed: %q", got)
	}
}

// TestMarkdownCodeStaysInItsSpan: text in a `code span` (a zone's or a
// file's name from the pull request) cannot end the span, the line, or a
// table cell it stands in: what follows would be Markdown again
// (@mentions, links, another row).
func TestMarkdownCodeStaysInItsSpan(t *testing.T) {
	in := "x.\r\n@octocat [a](https://evil.example) | `b` \r| c\n"
	got := MarkdownCode(in)
	if strings.ContainsAny(got, "\r\n`") {
		t.Errorf("MarkdownCode(%q) = %q: holds a line break or a backtick", in, got)
	}
	if strings.Count(got, "|") != strings.Count(got, `\|`) {
		t.Errorf("MarkdownCode(%q) = %q: a | would split a table cell", in, got)
	}
}

// TestMarkdownTextShowsBidiControls: a bidirectional control in content
// (a file name, a server's text) would reorder the rest of the comment's
// cell or line as GitHub renders it; it is shown by name instead.
func TestMarkdownTextShowsBidiControls(t *testing.T) {
	for _, r := range []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069} {
		in := "zones/a" + string(r) + "enoz.moc.b"
		got := MarkdownText(in)
		if strings.ContainsRune(got, r) {
			t.Errorf("MarkdownText(%q) = %q keeps U+%04X", in, got, r)
		}
		if !strings.Contains(got, "U+") {
			t.Errorf("MarkdownText(%q) = %q does not name the control", in, got)
		}
	}
}

// TestMarkdownSpans: backticked pieces become code spans, the rest plain
// text; backticks that do not pair leave the whole as plain text, so that
// a server's text cannot open a span of its own.
func TestMarkdownSpans(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"run `dnsparity status --zone example.com.` again", "run `dnsparity status --zone example.com.` again"},
		{"a <b> then `x|y` and `*z*`", "a &lt;b&gt; then `x\\|y` and `*z*`"},
		{"one ` alone", "one &#96; alone"},
		{"`a` b `c", "&#96;a&#96; b &#96;c"},
		{"empty `` pair", "empty &#96;&#96; pair"},
		{"see `https://evil.example/x` or https://evil.example/y", "see `https://evil.example/x` or https:\u200d//evil.example/y"},
		{"no backticks, _emph_", "no backticks, &#95;emph&#95;"},
	} {
		if got := MarkdownSpans(tc.in); got != tc.want {
			t.Errorf("MarkdownSpans(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
