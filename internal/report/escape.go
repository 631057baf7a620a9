package report

import (
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// mdTextReplacer escapes everything GitHub-flavoured Markdown would act on
// in a piece of text that came from a zone file: HTML, table cell breaks,
// code spans, emphasis, links and images, @mentions and #123 references
// (a zero-width joiner after @ and # keeps GitHub from linking them).
var mdTextReplacer = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	"|", "&#124;",
	"`", "&#96;",
	"\\", "&#92;",
	"*", "&#42;",
	"_", "&#95;",
	"~", "&#126;",
	"[", "&#91;",
	"]", "&#93;",
	"(", "&#40;",
	")", "&#41;",
	"!", "&#33;",
	"@", "@\u200d",
	"#", "#\u200d",
	"\r", " ",
	"\n", " ",
	// Bidirectional controls (embeddings, overrides, isolates, marks)
	// shown by name: raw, they reorder what a reviewer reads in the rest
	// of the cell or line (a file name that reads as another).
	"\u061c", "&lt;U+061C&gt;",
	"\u200e", "&lt;U+200E&gt;",
	"\u200f", "&lt;U+200F&gt;",
	"\u202a", "&lt;U+202A&gt;",
	"\u202b", "&lt;U+202B&gt;",
	"\u202c", "&lt;U+202C&gt;",
	"\u202d", "&lt;U+202D&gt;",
	"\u202e", "&lt;U+202E&gt;",
	"\u2066", "&lt;U+2066&gt;",
	"\u2067", "&lt;U+2067&gt;",
	"\u2068", "&lt;U+2068&gt;",
	"\u2069", "&lt;U+2069&gt;",
)

// MarkdownText makes s, which may hold anything a zone file holds, render
// as plain text inside Markdown (a paragraph or a table cell): no markup,
// and no link of any kind, including the ones GitHub makes of plain text
// (URLs, www. names, e-mail addresses, @mentions, #123 and GH-123
// references).
func MarkdownText(s string) string { return defuseAutolinks(mdTextReplacer.Replace(s)) }

// MarkdownCode makes s safe inside a `code span`, also in a table cell:
// no backtick can end the span, no line break can end the line and no |
// can end the cell (GFM splits a row at a | inside a code span too; \|
// is its escape there). A code span shows its text as it is (entities are
// not decoded there) and is never linked, so nothing else is escaped.
func MarkdownCode(s string) string { return mdCodeReplacer.Replace(s) }

// MarkdownSpans is MarkdownText for text that marks commands the way this
// tool writes them, between backticks: each backticked piece becomes a code
// span (MarkdownCode), the rest plain text (MarkdownText). Text whose
// backticks do not pair (a server's text, say) is MarkdownText whole.
// Either way nothing in s is markup of its own.
func MarkdownSpans(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return MarkdownText(s)
	}
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 0:
			b.WriteString(MarkdownText(p))
		case strings.TrimSpace(p) == "":
			b.WriteString(MarkdownText("`" + p + "`"))
		default:
			b.WriteString("`" + MarkdownCode(p) + "`")
		}
	}
	return b.String()
}

var mdCodeReplacer = strings.NewReplacer("`", "'", "\r", " ", "\n", " ", "|", `\|`)

// zwj is the zero-width joiner put inside what GitHub would link: it
// renders as nothing, and no autolinker accepts it in a scheme, after
// "www" or after "@".
const zwj = "\u200d"

// defuseAutolinks breaks each piece of plain text that GitHub's autolinker
// (cmark-gfm's autolink extension and GitHub's reference filters) would
// turn into a link: "://" after any scheme (https://evil.example/login),
// "www." at any case, the schemes of mailto: and xmpp:, and GH-123. An @
// (mentions, e-mail addresses) and a # (references) already carry a
// joiner.
func defuseAutolinks(s string) string {
	lower := zone.Fold(s) // A-Z only: indexes match
	if !strings.Contains(lower, "://") && !strings.Contains(lower, "www.") && !strings.Contains(lower, "mailto:") &&
		!strings.Contains(lower, "xmpp:") && !strings.Contains(lower, "gh-") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		rest := lower[i:]
		switch {
		case strings.HasPrefix(rest, "://"):
			b.WriteString(":" + zwj + "//")
			i += 3
		case strings.HasPrefix(rest, "www."):
			b.WriteString(s[i:i+3] + zwj + ".")
			i += 4
		case strings.HasPrefix(rest, "mailto:"), strings.HasPrefix(rest, "xmpp:"):
			n := strings.IndexByte(rest, ':')
			b.WriteString(s[i:i+n] + zwj + ":")
			i += n + 1
		case strings.HasPrefix(rest, "gh-") && len(rest) > 3 && rest[3] >= '0' && rest[3] <= '9':
			b.WriteString(s[i:i+2] + zwj + "-")
			i += 3
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// Escapes are the escapes of the run's own output (MarkdownText,
// MarkdownCode, and a record's text in presentation form, as it is and in
// Markdown), for redact.Secrets.Escapes: the run redacts some text after a
// report escaped it (a server's error quoting the key, in a cell or a code
// span; a TXT value holding it, \195\164 for ä), so every form of a
// secret is registered escaped by each.
func Escapes() []func(string) string {
	return []func(string) string{MarkdownText, MarkdownCode, presentation, func(s string) string { return MarkdownText(presentation(s)) }}
}

// presentation is s as a record's character-string shows it (zone.Quote
// without its quotes: RFC 1035 §5.1).
func presentation(s string) string {
	q := zone.Quote(s)
	return q[1 : len(q)-1]
}
