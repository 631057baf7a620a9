package redact

// This file holds what the rendered view reads as GitHub renders it beyond
// the inline grammar of markdown.go: the HTML blocks of a text (raw HTML,
// its tags read as a browser reads them) and the email autolinks.

import (
	"bytes"
	"slices"
	"strings"
)

// htmlBlock is a run of lines, b[from:to], that CommonMark reads as an
// HTML block (0.31 §4.6, https://spec.commonmark.org/0.31.2/#html-blocks):
// raw HTML, passed to GitHub's sanitizer and read by a browser as HTML,
// not as Markdown: no code span, emphasis or autolink in it, and its tags
// read as a browser's tokenizer reads them (rawTag), not by the inline
// grammar of raw HTML (htmlTag): "<div class=a`b>" at a line's start is a
// tag (the value a`b), in a paragraph text and a code span's opening.
type htmlBlock struct{ from, to int }

// blockNames are the tag names that start an HTML block of kind 6, which
// ends at a blank line and may interrupt a paragraph (0.31 §4.6, start
// condition 6: 0.31 added search and took source out, as GitHub's
// cmark-gfm did, github/cmark-gfm#265).
var blockNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`address article aside base basefont blockquote body caption center col
		colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset
		h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol
		optgroup option p param search section summary table tbody td tfoot th thead title tr track ul`) {
		blockNames[n] = true
	}
}

// rawNames are the tag names of an HTML block of kind 1, which ends at
// the line that holds the element's end tag (start condition 1).
var rawNames = []string{"pre", "script", "style", "textarea"}

// htmlBlocks are b's HTML blocks in order, of kinds 1 to 7 (rawStart,
// blockStart, and kind 7: a line
// that is a complete tag alone where no paragraph is open: kind 7
// interrupts no paragraph, 0.31 §4.6, and may follow a heading, a
// thematic break, a code block or another HTML block as well as a blank
// line), each line read inside its containers as CommonMark's first
// phase reads them (0.31 §5, https://spec.commonmark.org/0.31.2/#container-blocks-and-leaf-blocks:
// leaf), after at most three spaces of indentation: a block in a block
// quote or a list item ("> <div class=a`b>", "- <div …>", "1. <div …>")
// is raw HTML as one at a line's start is, and ends where its container
// does (no lazy line continues an HTML block, §5.1). The lines of a
// fenced code block (``` or ~~~) start none. A block of kinds 2 to 5 (a
// comment, <?, <!X, <![CDATA[) is raw HTML to its end line too: what
// follows its end there is read as a browser reads it, and no paragraph
// is open after it. nil when b holds no "<".
func htmlBlocks(b []byte) []htmlBlock {
	if bytes.IndexByte(b, '<') < 0 {
		return nil
	}
	var blocks []htmlBlock
	in, rawEnd := -1, "" // the block's start, and a kind 1 block's end tag
	inDepth := 0         // how many containers hold the block
	var fence []byte     // the fence of the code block the line is in
	fenceDepth := 0      // how many containers hold it
	var c containers
	// A paragraph is open (in the innermost container): no kind 7 block
	// interrupts it, on a line that reaches it (one whose containers do
	// not all go on does not: 0.31 §5.1, a kind 7 start is no paragraph
	// continuation text).
	para, depth := false, 0
	// rowEnd reports whether i ends a GFM table's row (tableBreaks, read
	// when a kind 7 start first asks): a row leaves no paragraph open,
	// cmark-gfm starts a kind 7 block after one.
	var rows []int
	read := false
	rowEnd := func(i int) bool {
		if !read && bytes.IndexByte(b, '|') >= 0 {
			rows = tableBreaks(b)
		}
		read = true
		_, found := slices.BinarySearch(rows, i)
		return found
	}
	prevTo := -1 // the end of the line before
	for from := 0; from < len(b); {
		to, next := lineAt(b, from)
		line := b[from:to]
		matched, opened, s := c.leaf(line, para, in >= 0 || fence != nil)
		blank := len(bytes.Trim(s, " \t")) == 0
		if in >= 0 && matched < inDepth {
			// Its container ended: so does the block.
			blocks = append(blocks, htmlBlock{in, from})
			in, rawEnd = -1, ""
		}
		if fence != nil && matched < fenceDepth {
			fence = nil // and a fenced code block's (0.31 §5.1: no lazy line goes on in one)
		}
		cont := para && !opened && matched == depth // a line that reaches an open paragraph
		lazy := para && !opened                     // one that may continue it, lazy
		depth = len(c.open)
		para = false
		indent := 0
		for indent < len(s) && s[indent] == ' ' {
			indent++
		}
		if indent > 3 && in < 0 && fence == nil && !blank {
			// Indented code, or a paragraph's continuation.
			para = lazy
			from, prevTo = next, to
			continue
		}
		s = s[min(indent, 3):]
		fenceLen := fenceOpens(s)
		switch {
		case in >= 0 && rawEnd != "":
			if bytes.Contains(bytes.ToLower(s), []byte(rawEnd)) { // the line's text, not its container markers
				blocks = append(blocks, htmlBlock{in, to})
				in, rawEnd = -1, ""
			}
		case in >= 0:
			if blank {
				blocks = append(blocks, htmlBlock{in, from})
				in = -1
			}
		case fence != nil:
			if t := bytes.TrimRight(s, " \t"); len(t) >= len(fence) && len(bytes.Trim(t, string(fence[:1]))) == 0 {
				fence = nil
			}
		case fenceLen > 0:
			fence, fenceDepth = s[:fenceLen], depth
		case len(s) > 1 && s[0] == '<' && (rawStart(s) != "" || blockStart(s) || aloneTag(s) && (!cont || rowEnd(prevTo))):
			in, inDepth = from, depth
			if end := rawStart(s); end != "" {
				if bytes.Contains(bytes.ToLower(s), []byte(end)) { // from the line's start: "<?>" ends at once
					blocks = append(blocks, htmlBlock{in, to})
					in = -1
				} else {
					rawEnd = end
				}
			}
		default:
			para = !blank && !closesParagraph(s, cont)
		}
		from, prevTo = next, to
	}
	if in >= 0 {
		blocks = append(blocks, htmlBlock{in, len(b)})
	}
	return blocks
}

// closesParagraph reports whether a line s (its indentation taken out),
// no HTML block's or code block's, holds a leaf block that leaves no
// paragraph open after it: an ATX heading (0.31 §4.2), a thematic break
// (§4.1), or, after a paragraph (para), a setext heading's underline
// (§4.3), which ends that paragraph.
func closesParagraph(s []byte, para bool) bool {
	t := bytes.TrimRight(s, " \t")
	h := 0
	for h < len(t) && t[h] == '#' {
		h++
	}
	if h >= 1 && h <= 6 && (h == len(t) || t[h] == ' ' || t[h] == '\t') {
		return true
	}
	if thematicBreak(t) {
		return true
	}
	return para && len(t) > 0 && (t[0] == '=' || t[0] == '-') && len(bytes.Trim(t, string(t[:1]))) == 0
}

// thematicBreak reports whether t (a line's text, its container markers
// and indentation taken out) is a thematic break (0.31 §4.1): three or
// more *, - or _ of one kind, blanks between. It wins over a list item
// where a line could be either ("* * *", "- - -": §5.2).
func thematicBreak(s []byte) bool {
	t := bytes.TrimRight(s, " \t")
	if len(t) == 0 || (t[0] != '*' && t[0] != '-' && t[0] != '_') {
		return false
	}
	n := bytes.Count(t, t[:1])
	return n >= 3 && n+bytes.Count(t, []byte(" "))+bytes.Count(t, []byte("\t")) == len(t)
}

// containers are the block quotes and list items open at a line (0.31
// §5), outermost first.
type containers struct{ open []container }

// maxContainers bounds how many containers leaf reads a line in: a blank
// line goes on in every list item, so reading them all would make n
// blank lines after n nested items cost n² (TestHTMLBlocksNesting); the
// markers past it are read as text, as the inline grammar reads them.
const maxContainers = 32

// container is a block quote, or a list item (item) whose content starts
// width columns past where its marker's line content starts (0.31 §5.2:
// a line indented as far goes on in it).
type container struct {
	item  bool
	width int
	empty bool // an item whose first line held only its marker: a blank line after it ends it
}

// leaf is line's content as CommonMark's first phase leaves it for the
// leaf blocks (0.31 §5, https://spec.commonmark.org/0.31.2/#phase-1-block-structure):
// each open container it goes on in, outermost first (a block quote's
// ">" and one blank after it, §5.1; a list item's indentation, or a
// blank line), taken out, then the block quotes and list items it opens
// (a bullet - + *, or 1 to 9 digits and . or ), then a blank or the
// line's end, §5.2; after a paragraph (para) only a non-empty item, and
// an ordered one only from 1, interrupts it). matched is how many of the
// open containers it goes on in; the others end, unless the line is a
// paragraph's lazy continuation (para, no container opened, text that
// starts no block), which leaves them open. Columns count bytes, a
// tab one. A line that goes on in all of them and in an open HTML or
// code block (leafOpen) opens none: it is that block's (cmark's
// open_new_blocks tries no start inside one).
func (c *containers) leaf(line []byte, para, leafOpen bool) (matched int, opened bool, s []byte) {
	i := 0
	quote := func() bool {
		j := i
		for j < len(line) && j-i < 3 && line[j] == ' ' {
			j++
		}
		if j >= len(line) || line[j] != '>' {
			return false
		}
		j++
		if j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		i = j
		return true
	}
	blank := len(bytes.Trim(line, " \t")) == 0
	for x, k := range c.open {
		if !k.item {
			if !quote() {
				break
			}
		} else {
			w := 0
			for i+w < len(line) && line[i+w] == ' ' {
				w++
			}
			switch {
			case blank && k.empty:
				w = -1 // a list item begins with at most one blank line (§5.2)
			case w >= k.width:
				i += k.width
			case blank:
				i = len(line)
			default:
				w = -1
			}
			c.open[x].empty = k.empty && blank
			if w < 0 {
				break
			}
		}
		matched++
	}
	all := matched == len(c.open)
	n := matched
	for !(all && leafOpen) && n < maxContainers {
		start := i
		if quote() {
			c.open = append(c.open[:n], container{})
			n++
			continue
		}
		j := i
		for j < len(line) && j-i < 3 && line[j] == ' ' {
			j++
		}
		if thematicBreak(line[j:]) {
			break // no list item: the line is a thematic break
		}
		m := listMarker(line[j:], para && all && n == matched)
		if m == 0 {
			break
		}
		k := j + m
		sp := 0
		for k+sp < len(line) && line[k+sp] == ' ' {
			sp++
		}
		col := k + sp
		if sp > 4 || k+sp == len(line) {
			col = k + 1 // indented code, or an empty item: one blank is the marker's
		}
		c.open = append(c.open[:n], container{item: true, width: col - start, empty: k+sp == len(line)})
		n++
		i = min(col, len(line))
	}
	if n == maxContainers {
		// Past the bound, block quote markers are still taken off (not
		// tracked): what follows them is read as the line's text, as a
		// renderer nesting that deep reads it, not as text of the
		// outermost paragraph.
		for quote() {
		}
	}
	s = line[i:]
	if n > matched {
		return matched, true, s
	}
	if !all && para && lazyText(s) {
		return matched, false, s // its containers stay open
	}
	c.open = c.open[:matched]
	return matched, false, s
}

// lazyText reports whether s, a line's content with no container
// marker, is paragraph continuation text (0.31 §4.8): not blank, and
// starting no block: an HTML block (kind 7 too: a line that does not
// reach the paragraph's container is read for it, cmark's open_new_blocks),
// a fence, an ATX heading, a thematic break.
func lazyText(s []byte) bool {
	t := bytes.TrimLeft(s, " ")
	if len(t) == 0 || fenceOpens(t) > 0 || closesParagraph(t, false) {
		return false
	}
	return len(s)-len(t) > 3 || t[0] != '<' || rawStart(t) == "" && !blockStart(t) && !aloneTag(t)
}

// fenceOpens is the length of the code fence s opens (0.31 §4.5: three
// or more backticks or tildes; a backtick fence's info string holds no
// backtick, else the line is a paragraph's text, "```a`b"), or 0.
func fenceOpens(s []byte) int {
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return 0
	}
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	if n < 3 || s[0] == '`' && bytes.IndexByte(s[n:], '`') >= 0 {
		return 0
	}
	return n
}

// listMarker is the length of the list item marker b starts with (0.31
// §5.2: - + or *, or 1 to 9 digits then . or ), before a blank or b's
// end), or 0. After a paragraph (para) an empty item, or an ordered one
// not starting at 1, is none: it cannot interrupt a paragraph.
func listMarker(b []byte, para bool) int {
	n := 0
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '-' || b[0] == '+' || b[0] == '*':
		n = 1
	default:
		for n < len(b) && n < 10 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n == 0 || n > 9 || n >= len(b) || b[n] != '.' && b[n] != ')' {
			return 0
		}
		if para && string(b[:n]) != "1" {
			return 0
		}
		n++
	}
	if n < len(b) && b[n] != ' ' && b[n] != '\t' {
		return 0
	}
	if para && len(bytes.Trim(b[n:], " \t")) == 0 {
		return 0
	}
	return n
}

// tagName is the tag name s starts with after "<" or "</" (ASCII letters
// and digits, in lower case), and what follows it.
func tagName(s []byte) (string, []byte) {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	j := i
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	return strings.ToLower(string(s[i:j])), s[j:]
}

// markupKinds are the constructs of HTML that are no tag, each by what
// opens it and what ends it: a comment, a processing instruction, a CDATA
// section, a declaration ("<!" then an ASCII letter). One table for both
// of CommonMark's readings of them (0.31 §4.6, HTML blocks of kinds 2 to
// 5, rawStart; §6.6, raw inline HTML, markup).
var markupKinds = []struct{ open, end string }{
	{"<!--", "-->"},
	{"<?", "?>"},
	{"<![CDATA[", "]]>"},
	{"<!", ">"}, // then an ASCII letter
}

// markupEnd is what ends the construct of markupKinds s starts with, or
// "".
func markupEnd(s []byte) string {
	for _, k := range markupKinds {
		if bytes.HasPrefix(s, []byte(k.open)) && (k.end != ">" || len(s) > 2 && isLetter(s[2])) {
			return k.end
		}
	}
	return ""
}

// rawStart is what ends the block of kinds 1 to 5 a line s starts (the
// line that holds it, in any case), or "": kind 1, "<" and one of
// rawNames, then a blank, ">" or the line's end, ends at its end tag
// ("</pre>"); kinds 2 to 5, markupKinds, at their end (0.31 §4.6). Each
// may interrupt a paragraph and leaves none open.
func rawStart(s []byte) string {
	if len(s) < 2 {
		return ""
	}
	if end := markupEnd(s); end != "" || s[1] == '/' {
		return end
	}
	name, rest := tagName(s)
	for _, n := range rawNames {
		if name == n && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '>') {
			return "</" + n + ">"
		}
	}
	return ""
}

// blockStart reports whether a line s starts a block of kind 6: "<" or
// "</" and one of blockNames in any case, then a blank, the line's end,
// ">" or "/>".
func blockStart(s []byte) bool {
	name, rest := tagName(s)
	return blockNames[name] && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '>' || bytes.HasPrefix(rest, []byte("/>")))
}

// aloneTag reports whether a line s is a complete open or closing tag
// (htmlTag), then only blanks: kind 7. Any name: CommonMark 0.31 §4.6
// leaves out pre, script, style and textarea, whose open tag starts
// kind 1 first (rawStart), but cmark-gfm, which GitHub runs, starts kind
// 7 at "</pre>" or "<pre/>" alone too (its html_block_start_7 names no
// tag; checked with cmark-gfm 0.29.0.gfm.6: "</pre>\n<x-y>\n`c`" keeps
// the backticks): a block read where a renderer reads one.
func aloneTag(s []byte) bool {
	if len(s) > 1 && (s[1] == '!' || s[1] == '?') {
		return false // markup, no tag
	}
	n := htmlTag(s, nil)
	if n == 0 {
		return false
	}
	return len(bytes.Trim(s[n:], " \t")) == 0
}

// inBlock reports whether i is inside one of blocks (in order), k the
// index of the first block not wholly before an earlier i, kept by the
// caller as it reads on.
func inBlock(blocks []htmlBlock, k *int, i int) bool {
	if blocks == nil {
		return false
	}
	for *k < len(blocks) && blocks[*k].to <= i {
		*k++
	}
	return *k < len(blocks) && blocks[*k].from <= i
}

// rawTag is the length of the tag b starts with as a browser's HTML
// tokenizer reads one in an HTML block (https://html.spec.whatwg.org/multipage/parsing.html#tag-open-state):
// "<" or "</" and an ASCII letter, then anything up to the first ">"
// outside a quoted attribute value (an unquoted value may hold a
// backtick, a quote or "="; attributes need no blank between them), or
// a comment (htmlTag); a tag at most maxTag bytes, else 0. ms as
// markup's.
func rawTag(b []byte, ms *markupScan) int {
	if n := htmlTag(b, ms); n > 0 {
		return n
	}
	if n := bogus(b, ms); n > 0 {
		return n
	}
	n := min(len(b), maxTag)
	i := 1
	if i < n && b[i] == '/' {
		i++
	}
	if i >= n || !isLetter(b[i]) {
		return 0
	}
	// The tokenizer's states (§13.2.5.8 on): the tag's name, before an
	// attribute's name, in it, after it, before its value, in an unquoted
	// value, after a quoted one. An "=" starts a value only after an
	// attribute's name: in the tag's name, or where a name starts, it is
	// part of the name ("<div ="a>" ends at its first ">").
	const (
		tagName = iota
		beforeName
		attrName
		afterName
		beforeValue
		unquoted
		afterQuoted
	)
	state := tagName
	for ; i < n; i++ {
		c := b[i]
		if c == '>' {
			return i + 1 // in every state: a quoted value is read whole below
		}
		switch state {
		case tagName, attrName, unquoted, afterQuoted:
			switch {
			case isBlank[c] && state == attrName:
				state = afterName
			case isBlank[c]:
				state = beforeName
			case c == '/' && state != unquoted:
				state = beforeName // self-closing: a "/" not before ">" is read again as before a name
			case c == '=' && state == attrName:
				state = beforeValue
			case state == afterQuoted:
				state = attrName // a name right after a quoted value
			}
		case beforeName:
			if !isBlank[c] && c != '/' {
				state = attrName // "=" here is the name's first character
			}
		case afterName:
			switch {
			case c == '=':
				state = beforeValue
			case c == '/':
				state = beforeName
			case !isBlank[c]:
				state = attrName
			}
		case beforeValue:
			switch {
			case c == '"' || c == '\'':
				e := bytes.IndexByte(b[i+1:n], c)
				if e < 0 {
					return 0
				}
				i, state = i+1+e, afterQuoted
			case !isBlank[c]:
				state = unquoted
			}
		}
	}
	return 0
}

// markup is the length of the comment, processing instruction,
// declaration or CDATA section b starts with as CommonMark's inline
// grammar of raw HTML reads one (0.31 §6.6,
// https://spec.commonmark.org/0.31.2/#raw-html: "<!-->", "<!--->", or
// "<!--" up to "-->"; "<?" up to "?>"; "<!" and an ASCII letter up to
// ">"; "<![CDATA[" up to "]]>"), cut to what a browser then hides, or 0.
// The renderer passes the construct through whole, whatever its length
// (cmark-gfm's scanners bound none); the browser's tokenizer
// (https://html.spec.whatwg.org/multipage/parsing.html#markup-declaration-open-state)
// ends a comment at the first "-->" or "--!>" (§13.2.5.50, comment end
// bang state) and reads "<?", a declaration and a CDATA section outside
// foreign content as a bogus comment that ends at the first ">"
// (§13.2.5.41, bogus comment state): "<?x>a?>" shows "a?>",
// "<!-- x --!>a -->" shows "a -->". ms remembers, for the text b runs to
// the end of, where no end stands (markupScan), or is nil.
func markup(b []byte, ms *markupScan) int {
	end := markupEnd(b) // the end CommonMark's grammar needs
	// From b[2:]: "<!-->" and "<!--->" hold the comment's.
	if end == "" || markupIndex(ms, b, 2, end) < 0 {
		return 0
	}
	return bogus(b, ms)
}

// bogus is the length of what a browser's HTML tokenizer hides that b
// starts with and that is no tag (https://html.spec.whatwg.org/multipage/parsing.html#tag-open-state):
// a comment, "<!--" up to the first "-->" or "--!>" ("<!-->" and
// "<!--->" whole: §13.2.5.43-13.2.5.52); "</>", which the end tag open
// state drops (§13.2.5.7, missing-end-tag-name); and a bogus comment up
// to the first ">" (§13.2.5.41): "<?" (§13.2.5.6,
// unexpected-question-mark-instead-of-tag-name), "</" and a character
// other than an ASCII letter (§13.2.5.7,
// invalid-first-character-of-tag-name: "</ x>", "</3>"), and "<!" not
// before "--" (§13.2.5.42: a DOCTYPE, which a body drops, and "<!>",
// "<!-x>", "<![CDATA[" outside foreign content, incorrectly-opened-comment).
// Whatever its length; 0 when none ends in b (the text is then kept: a
// bogus comment to the text's end hides the rest, no piece a reader
// joins). ms as markup's.
func bogus[T string | []byte](b T, ms *markupScan) int {
	switch {
	case len(b) < 3 || b[0] != '<':
		return 0
	case hasPrefix(b, "<!-->"):
		return 5
	case hasPrefix(b, "<!--->"):
		return 6
	case hasPrefix(b, "<!--"):
		i := markupIndex(ms, b, 4, commentEnd)
		switch {
		case i < 0:
			return 0
		case b[i+2] == '>':
			return i + 3
		}
		return i + 4
	case hasPrefix(b, "</>"):
		return 3
	case b[1] == '?' || b[1] == '!' || b[1] == '/' && !isLetter(b[2]):
		if e := markupIndex(ms, b, 2, ">"); e >= 0 {
			return e + 1
		}
	}
	return 0
}

// markupScan remembers, for one text, where the ends of the constructs
// markup and bogus read stand, as they search for them in the pieces of
// the text that run to its end (b[i:] at each "<"): for each end, where
// its last search began and what it found, both counted from the text's
// end. A later piece's search inside that one's is answered from it
// (nothing, or the end found, when that stands in the piece), so that n
// openers read one after another, with no end after them or the same
// one, cost the text's length once, not n times (cmark's scanners keep
// FLAG_SKIP_HTML_COMMENT and its kin, for the same reason). A nil
// *markupScan remembers nothing: for a piece read once.
type markupScan struct {
	began [len(markupEnds)]int // 0: no search made
	found [len(markupEnds)]int // -1: none
	read  int                  // the bytes its searches read (TestMarkupScanLinear)
}

// markupEnds are the ends markupScan remembers: markupKinds', and
// commentEnd, the browser's comment end ("--" then ">" or "!>").
var markupEnds = [...]string{"-->", "?>", "]]>", ">", commentEnd}

// commentEnd stands in markupEnds for a browser's comment end.
const commentEnd = "--!>"

// markupIndex is the index in b of the first end (one of markupEnds) at
// or after from, or -1, asking ms first (nil: no memory).
func markupIndex[T string | []byte](ms *markupScan, b T, from int, end string) int {
	s := len(b) - from // the search's start, from the text's end
	if s <= 0 {
		return -1
	}
	k := 0
	for markupEnds[k] != end {
		k++
	}
	if ms != nil && s <= ms.began[k] {
		switch f := ms.found[k]; {
		case f < 0:
			return -1
		case f <= s:
			return len(b) - f
		}
	}
	i, j := -1, from
	for ; j+len(end) <= len(b) || end == commentEnd && j+3 <= len(b); j++ {
		if end == commentEnd {
			if b[j] == '-' && b[j+1] == '-' && (b[j+2] == '>' || j+3 < len(b) && b[j+2] == '!' && b[j+3] == '>') {
				i = j
				break
			}
			continue
		}
		if hasPrefix(b[j:], end) {
			i = j
			break
		}
	}
	if ms != nil {
		ms.read += j - from
		ms.began[k], ms.found[k] = s, -1
		if i >= 0 {
			ms.found[k] = len(b) - i
		}
	}
	return i
}

// hasPrefix reports whether b starts with p.
func hasPrefix[T string | []byte](b T, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i] != p[i] {
			return false
		}
	}
	return true
}

// emailAutolink is the length of the email autolink b starts with
// (CommonMark 0.31 §6.5, https://spec.commonmark.org/0.31.2/#email-autolink:
// "<", an address as HTML5's valid e-mail address, ">"), or 0: a local
// part of letters, digits and .!#$%&'*+/=?^_`{|}~- (a backtick among
// them, which opens no span there), "@", then labels of letters and
// digits, a hyphen inside, at most 63 each, joined by "."; no backslash
// escape. A renderer shows the address, its brackets taken out.
func emailAutolink[T string | []byte](b T) int {
	n := min(len(b), maxTag)
	i := 1
	for i < n && (isAlnum(b[i]) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", b[i]) >= 0) {
		i++
	}
	if i == 1 || i >= n || b[i] != '@' {
		return 0
	}
	for {
		i++
		j := i
		for j < n && (isAlnum(b[j]) || b[j] == '-') {
			j++
		}
		if j == i || j-i > 63 || b[i] == '-' || b[j-1] == '-' || j >= n {
			return 0
		}
		switch b[j] {
		case '>':
			return j + 1
		case '.':
			i = j
		default:
			return 0
		}
	}
}
