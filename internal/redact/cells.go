package redact

// This file holds the views across cells: a secret's pieces read as one
// across the marks that part a table's cells, a TXT record's strings or
// a JSON array's items, and the marks a view takes out.

import (
	"bytes"
	"unicode/utf8"
)

// markUncelled marks what find finds in b read across cells (uncelledAt,
// which gives find where each byte of u stands in b:
// a secret split across the cells of a Markdown table row, | pk_7H |
// q2mZ9 |, or between visible bars, across the character-strings of a
// TXT record, "pk_7H" "q2mZ9", or the items of a JSON array, ["pk_7H",
// "q2mZ9"], across a name's labels, pk_7h.q2mz9.example., or across
// Markdown links, [pk_7H](#) [q2mZ9](#), which render as their texts):
// find sets found for the bytes of u, b so read, and each run of them of
// minRun bytes or more is marked in masked from where its first byte
// came to where its last did, what stands between its pieces too. The
// bytes of b came from from (nil: b is the text itself).
func markUncelled(b []byte, from func(int) span, minRun int, held *[256]bool, masked []bool, find func(u []byte, at []int32, found []bool)) {
	for k := range hideReadings(b) {
		markUncelledAt(b, from, minRun, held, masked, k == 1, find)
	}
}

// markUncelledAt is markUncelled's reading of b, with the elements GitHub
// may take out with their content taken out so (hide) or not.
func markUncelledAt(b []byte, from func(int) span, minRun int, held *[256]bool, masked []bool, hide bool, find func(u []byte, at []int32, found []bool)) {
	u, at := uncelledAt(b, held, hide)
	if len(u) == len(b) {
		return
	}
	found := make([]bool, len(u))
	find(u, at, found)
	for a := 0; a < len(found); {
		if !found[a] {
			a++
			continue
		}
		z := a
		for z < len(found) && found[z] {
			z++
		}
		if z-a >= minRun && (z-a >= MinCut || !plainJoin(b, at[a:z])) {
			start, end := int(at[a]), int(at[z-1])+1
			if from != nil {
				start, end = int(from(int(at[a])).start), int(from(int(at[z-1])).end)
			}
			for j := start; j < end; j++ {
				masked[j] = true
			}
		}
		a = z
	}
}

// plainJoin reports whether the bytes at (where each byte of a run of an
// uncelled text stands in b) join across plain separators only
// (plainSeps, line breaks) somewhere: no cell mark, quote, dot or tag
// stood between the pieces there.
func plainJoin(b []byte, at []int32) bool {
	for k := 1; k < len(at); k++ {
		gap := b[at[k-1]+1 : at[k]]
		if len(gap) > 0 && len(bytes.TrimLeft(gap, plainSeps+"\r\n")) == 0 {
			return true
		}
	}
	return false
}

// uncelledAt is b with every |, ", ', ., [ and ], every backtick, * and ~,
// every plain separator (plainSeps) (of these, but | " . [ ], those held,
// the bytes a secret holds, has not: heldMark)
// (a code span's or emphasis's marks around each piece, `pk_7H` |
// `q2mZ9`), every HTML tag (<code>, <br>; in an HTML block, as a browser
// reads one: htmlBlocks) and every Markdown link's
// target (](...)) taken out, and each of these marks as a Markdown
// report escapes it (escapedMarks: &#124;, \| in a code span, &#96;),
// with the blanks, line breaks and commas around each (the end of a
// table's row and the start of the next), and where each byte kept
// stands in b (markUncelled). With hide, an element GitHub may take out
// with its content goes whole (hiddenEnd).
func uncelledAt(b []byte, held *[256]bool, hide bool) ([]byte, []int32) {
	out, at := make([]byte, 0, len(b)), make([]int32, 0, len(b))
	around := func(c byte) bool { return c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r' }
	// The HTML blocks, whose tags a browser reads (rawTag); bk is the
	// first not wholly before i.
	blocks, bk := htmlBlocks(b), 0
	var hidden []hiddenOpen // hiddenEnds, read once when hide first asks
	var ms markupScan       // where b's comments and their kin end
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch n := 0; {
		case c == ']' && i+1 < len(b) && b[i+1] == '(':
			// A Markdown link's target, which renders as nothing.
			if j := bytes.IndexByte(b[i+2:min(len(b), i+2+maxTag)], ')'); j >= 0 {
				i += 2 + j
			}
		case c == '&' || c == '\\':
			if n = escapedMark(b[i:], held); n == 0 {
				out, at = append(out, c), append(at, int32(i))
				continue
			}
			i += n - 1
		case c == '<':
			block := inBlock(blocks, &bk, i)
			if n = tagAt(b[i:], false, &ms); n == 0 && block {
				n = tagAt(b[i:], true, &ms)
			}
			if hide && n > 0 {
				if hidden == nil {
					hidden = hiddenEnds(b, blocks)
				}
				if e := hiddenEnd(hidden, i); e > 0 {
					n = e - i
				}
			}
			if n == 0 {
				out, at = append(out, c), append(at, int32(i))
				continue
			}
			i += n - 1
		case !isUncelled[c] || heldMark(c, held) || c == ';' && endsReference(b[:i]):
			out, at = append(out, c), append(at, int32(i))
			continue
		}
		for len(out) > 0 && around(out[len(out)-1]) {
			out, at = out[:len(out)-1], at[:len(at)-1]
		}
		for i+1 < len(b) && around(b[i+1]) {
			i++
		}
	}
	return out, at
}

// endsReference reports whether b ends with what a ";" after it closes
// as a character reference (&#95, &#x5f, &lowbar): that ";" is no
// separator.
func endsReference(b []byte) bool {
	j := len(b) - 1
	for j >= 0 && (isAlnum(b[j]) || b[j] == '#') {
		j--
	}
	return j >= 0 && j < len(b)-1 && b[j] == '&'
}

// isUncelled are the bytes uncelledAt takes out as they stand.
var isUncelled = byteSet("|\"'.[]`*~" + plainSeps)

// heldMark reports whether c is a mark uncelledAt takes out only where
// no secret holds it (a ', a backtick, a * or a ~, a plain separator: a
// password may hold one) and held (needles.held) has it.
func heldMark(c byte, held *[256]bool) bool {
	return held != nil && held[c] && isHeldMark[c]
}

// unheld is held with the plain separators cleared, or nil when b holds
// none of those held (the reading would be the same): a text is then
// read a second time with every plain separator taken out, the secrets
// too as serverSecrets adds them without theirs (a secret holding "/"
// in pieces between "/").
func unheld(held *[256]bool, b []byte) *[256]bool {
	var u *[256]bool
	for i := 0; i < len(plainSeps); i++ {
		if c := plainSeps[i]; held[c] && bytes.IndexByte(b, c) >= 0 {
			if u == nil {
				h := *held
				u = &h
			}
			u[c] = false
		}
	}
	return u
}

// isHeldMark are the marks heldMark keeps where a secret holds them.
var isHeldMark = byteSet("'`*~" + plainSeps)

// escapedMarks are the marks uncelledAt takes out as a Markdown report
// escapes them (the report package's MarkdownText, and MarkdownCode's
// bar), which a reader of the rendered report reads as the marks, and
// the quotes and the tab and blank separators as a record's
// presentation form, a JSON or Go string and HTML escape them (a TXT string holding quotes, "\"pk_7H\" \"q2mZ9\"",
// and so in Markdown text, its backslash &#92;).
var escapedMarks = []struct {
	esc  string
	mark byte
}{
	{"&#124;", '|'}, {"\\|", '|'}, {"&#96;", '`'}, {"&#42;", '*'}, {"&#126;", '~'}, {"&#91;", '['}, {"&#93;", ']'},
	{"\\\"", '"'}, {"\\'", '\''}, {"&#92;\"", '"'}, {"&#92;'", '\''}, {"&quot;", '"'}, {"&#34;", '"'}, {"&#39;", '\''},
	// A plain separator as a record's presentation form (\009, \032),
	// a JSON or Go string (\t, and that string in another: \\t) and
	// HTML escape it, and so in Markdown text (its backslash &#92;).
	{`\009`, '\t'}, {`\t`, '\t'}, {`\\t`, '\t'}, {"&#9;", '\t'}, {`&#92;009`, '\t'}, {`&#92;t`, '\t'}, {`\032`, ' '}, {`&#92;032`, ' '},
}

// escapedMark is the length of the escaped mark (escapedMarks) b starts
// with, or 0; one of a mark held keeps (heldMark) is none.
func escapedMark(b []byte, held *[256]bool) int {
	for _, m := range escapedMarks {
		if bytes.HasPrefix(b, []byte(m.esc)) {
			if heldMark(m.mark, held) {
				return 0
			}
			return len(m.esc)
		}
	}
	return 0
}

// scanViews reads b once for what its views need: a line break or a
// invisible character (join: joined), a render mark after something other
// than a blank (render: renderJoins may say yes), a blank after a
// character that stands alone (spread: spaced may say yes), a byte
// uncelledAt takes out or that starts an escaped mark or a tag after the
// first byte (cells: markUncelled). A character joined takes out or
// reads otherwise counts only where it may join pieces of a secret of n
// (hasUnseen).
func scanViews(b []byte, n *needles) (join, render, spread, cells bool) {
	wide := false
	for i, c := range b {
		switch {
		case isJoinByte[c]:
			join = true
		case c >= utf8.RuneSelf:
			wide = true
		case i == 0:
		case c == ' ' || c == '\t':
			cells = true
			if !isBlank[b[i-1]] && (i == 1 || isBlank[b[i-2]]) {
				spread = true
			}
		case isUncelled[c] && !isRenderMark[c] || c == '&' || c == '\\':
			cells = true
		case isRenderMark[c] && !isBlank[b[i-1]]:
			render, cells = true, true
		case isRenderMark[c]:
			cells = true
			render = true
		case (c == ' ' || c == '\t') && !isBlank[b[i-1]] && (i == 1 || isBlank[b[i-2]]):
			spread = true
		}
	}
	return join || wide && hasUnseen(b, &n.used), render, spread, cells
}

// renderJoins reports whether taking the render marks (renderMarks, an
// HTML tag) out of b may join two pieces of text: a mark, or a run of
// them, with something other than a blank on either side, or a code
// span's opening fence after text with one blank inside it (CommonMark
// 0.31 §6.1 strips that blank when the span also ends in one: a fence of
// two backticks around " `b` " right after "a" renders as "a`b`"), an
// autolink with text right after it, or an HTML block (htmlBlocks: its tags, at a line's start after the line
// before, join that line's end to the text after them).
func renderJoins(b []byte) bool {
	if htmlBlocks(b) != nil {
		return true
	}
	var ms markupScan // where b's comments and their kin end
	for i := 1; i < len(b)-1; i++ {
		if b[i] == '<' {
			// An autolink shows its text without its brackets: the
			// text after it joins its own.
			if n := autolink(b[i:]); n > 0 && i+n < len(b) && !isBlank[b[i+n]] {
				return true
			}
		}
		if !isRenderMark[b[i]] || isBlank[b[i-1]] {
			continue
		}
		j := i
		for j < len(b) && (isRenderMark[b[j]] || b[j] == '>') {
			if b[j] == '<' {
				if n := htmlTag(b[j:], &ms); n > 0 {
					j += n
					continue
				}
			}
			j++
		}
		if j < len(b) && !isBlank[b[j]] {
			return true
		}
		if b[j-1] == '`' && j+1 < len(b) && b[j] == ' ' && !isBlank[b[j+1]] {
			return true
		}
		i = j
	}
	return false
}

// allMarks are the render marks but <, which starts a tag.
var allMarks = byteSet("*_`~")

// isRenderMark and isBlank are tables of the bytes of renderMarks and of
// the blanks and line breaks.
var isRenderMark, isBlank = byteSet(renderMarks), byteSet(" \t\r\n")

func byteSet(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}
