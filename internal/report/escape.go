package report

import "strings"

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
)

// MarkdownText makes s, which may hold anything a zone file holds, render
// as plain text inside Markdown (a paragraph or a table cell).
func MarkdownText(s string) string { return mdTextReplacer.Replace(s) }
