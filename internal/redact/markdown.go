package redact

// This file holds the rendered view: the text as GitHub's Markdown shows
// it, code spans, fences, tables, autolinks and HTML tags read as the
// renderer reads them, and the view with blanks taken out.

import (
	"bytes"
	"slices"
	"strings"
)

// renderMarks are the bytes a rendering of Markdown or HTML may take out
// of a text (tags, emphasis, code spans).
const renderMarks = "<*_`~"

// rendered is the layer as a reader of rendered HTML or Markdown reads
// it: its HTML tags taken out (a secret split across <code> tags; in an
// HTML block, as a browser reads them: htmlBlocks), an autolink's
// brackets (autolink), and the Markdown emphasis and code-span marks
// (* _ ~ `) that marks holds: those no secret holds (needles.marks), so
// that a mark a secret holds (an underscore in a key) stays, and one
// around a piece of it (*) goes;
// or every mark (allMarks). A secret split by a mark it also holds
// cannot be told from one that holds the mark there: it is found by its
// pieces (MinCut) between the marks. A tag tagfilter escapes stays: it
// shows (filtered). With hide, an element GitHub may take out with its
// content goes whole (hiddenContent, hiddenEnd). nil when there is
// nothing to take out.
func (l *layer) rendered(marks *[256]bool, hide bool) *layer {
	// The HTML blocks, whose tags a browser reads (rawTag) and whose
	// backticks open no span; bk is the first not wholly before i.
	blocks, bk := htmlBlocks(l.b), 0
	var ms markupScan // where l.b's comments and their kin end
	if blocks == nil && !anyMarkup(l.b, marks, &ms) {
		return nil
	}
	out := &layer{b: make([]byte, 0, len(l.b)), from: make([]span, 0, len(l.b))}
	changed := false
	// drop takes out l.b[i:i+n]: the byte kept before it stands for it
	// too, so that a secret masked up to its last piece takes the tag
	// that closes that piece with it ("key ***</code> refused" kept a
	// tag of the split form).
	drop := func(i, n int) {
		changed = true
		if k := len(out.from) - 1; k >= 0 {
			out.from[k].end = max(out.from[k].end, l.at(i+n-1).end)
		}
	}
	// runs are l.b's runs of backticks, read once when the first is
	// met; run is the one at i or the next.
	var runs []fenceRun
	run := 0
	// hidden are where the elements GitHub may take out end, read once
	// when hide first asks.
	var hidden []hiddenOpen
	for i := 0; i < len(l.b); i++ {
		c := l.b[i]
		block := inBlock(blocks, &bk, i)
		if c == '<' {
			if n := tagAt(l.b[i:], block, &ms); n > 0 {
				if hide {
					if hidden == nil {
						hidden = hiddenEnds(l.b, blocks)
					}
					if e := hiddenEnd(hidden, i); e > 0 {
						n = e - i
					}
				}
				drop(i, n)
				i += n - 1
				continue
			}
		}
		if c == '<' && !block {
			if n := autolink(l.b[i:]); n > 0 {
				// Its text shows without its brackets, and
				// a backtick in it opens no span; the marks
				// taken out elsewhere go here too.
				drop(i, 1)
				for k := i + 1; k < i+n-1; k++ {
					if marks[l.b[k]] {
						drop(k, 1)
						continue
					}
					out.b = append(out.b, l.b[k])
					out.from = append(out.from, l.at(k))
				}
				drop(i+n-1, 1)
				i += n - 1
				continue
			}
		}
		if c == '`' && !marks[c] && !block {
			// A secret holds a backtick, so the marks view keeps
			// them: it reads code spans as a renderer does (the
			// view with every mark taken out is matched against
			// each secret without its marks: serverSecrets).
			if runs == nil {
				runs = fenceRuns(l.b, blocks)
			}
			for runs[run].at+runs[run].n <= i {
				run++
			}
			open, from, to, end := codeSpan(l.b, runs, run, i)
			if end == 0 {
				// A run of backticks no run closes is text.
				from, to, end = i, i+open, i+open
			} else {
				// A code span: its fence and the one blank
				// inside each end of a fence widened around a
				// backtick go; its text stays as it is, the
				// backticks and marks it holds too.
				drop(i, from-i)
			}
			l.spanText(out, from, to)
			if to < end {
				drop(to, end-to)
			}
			i = end - 1
			continue
		}
		if marks[c] {
			drop(i, 1)
			continue
		}
		out.b = append(out.b, c)
		out.from = append(out.from, l.at(i))
	}
	if !changed {
		return nil
	}
	return out
}

// spanText appends a code span's text l.b[from:to] to out as it is, but
// for its line endings: a line ending in a span shows as a space, CRLF
// as one (§6.1); kept a line ending here, which the joined reading
// passes over: a secret wrapped in a span is shown whole with one space
// in it.
func (l *layer) spanText(out *layer, from, to int) {
	for k := from; k < to; k++ {
		c, at := l.b[k], l.at(k)
		if c == '\r' || c == '\n' {
			c = '\n'
			if l.b[k] == '\r' && k+1 < to && l.b[k+1] == '\n' {
				k++
				at.end = l.at(k).end
			}
		}
		out.b = append(out.b, c)
		out.from = append(out.from, at)
	}
}

// anyMarkup says whether b, with no HTML block, holds anything rendered
// takes out: a mark of marks, a backtick (unless a mark), a tag or an
// autolink.
func anyMarkup(b []byte, marks *[256]bool, ms *markupScan) bool {
	for i, c := range b {
		if marks[c] || c == '`' && !marks[c] || c == '<' && (htmlTag(b[i:], ms) > 0 || autolink(b[i:]) > 0) {
			return true
		}
	}
	return false
}

// codeSpan reads the code span b[i:] may start with, i inside runs[k]
// (fenceRuns; CommonMark 0.31 §6.1,
// https://spec.commonmark.org/0.31.2/#code-spans): a run of open
// backticks, closed by the next run of exactly as many in the same
// paragraph (a renderer widens the fence around the backticks a text
// holds: two around " a`b "). A run after an unescaped backslash opens
// with its second backtick: "\`" is a literal backtick (§2.4), though
// such a run still closes a span (a backslash in a span is text). Its
// text is b[from:to], one space taken off each end when both ends have
// one and the text is not all spaces, a line ending (CRLF as one) read
// as a space; a tab is no space. The span ends at end, 0 when no run
// closes it (the run is then text).
func codeSpan(b []byte, runs []fenceRun, k, i int) (open, from, to, end int) {
	r := runs[k]
	if r.esc && i == r.at {
		return 1, 0, 0, 0 // the escaped backtick
	}
	if r.at+r.esc2() < i || r.close < 0 {
		return r.at + r.n - i, 0, 0, 0 // inside a longer run, or unclosed
	}
	from, to, end = r.at+r.n, runs[r.close].at, runs[r.close].at+runs[r.close].n
	if n, m := edgeSpace(b[from:to], false), edgeSpace(b[from:to], true); n > 0 && m > 0 && len(bytes.Trim(b[from:to], " \r\n")) > 0 {
		from, to = from+n, to-m
	}
	return r.n - r.esc2(), from, to, end
}

// edgeSpace is the length of the space or line ending (CRLF as one) b
// starts with (end: ends with), or 0.
func edgeSpace(b []byte, end bool) int {
	if len(b) == 0 {
		return 0
	}
	c, crlf := b[0], bytes.HasPrefix(b, []byte("\r\n"))
	if end {
		c, crlf = b[len(b)-1], bytes.HasSuffix(b, []byte("\r\n"))
	}
	switch {
	case crlf:
		return 2
	case c == ' ' || c == '\r' || c == '\n':
		return 1
	}
	return 0
}

// fenceRun is a run of backticks, b[at:at+n], whether an unescaped
// backslash stands before it (esc: it opens with at+1, n-1 long), and
// the index of the next run in its paragraph of exactly as many as it
// opens with, the run that closes a code span it opens (-1: none does).
type fenceRun struct {
	at, n, close int
	esc          bool
}

// esc2 is how many of the run's backticks open no span: 1 when escaped.
func (r fenceRun) esc2() int {
	if r.esc {
		return 1
	}
	return 0
}

// fenceRuns are b's runs of backticks in order, each with its closing
// run, read in one pass back from the end that remembers, per length,
// the run of that length met last, forgotten at a blank line (a
// paragraph's end: no span crosses it): each byte is read once, so a
// text of many runs no run closes (of lengths 1, 2, 3 ...) costs what
// any text of its length does. (Scanning on from each run for its
// closing one read such a text's rest once a run: bench/codespan/run.sh.)
func fenceRuns(b []byte, blocks []htmlBlock) []fenceRun {
	var runs []fenceRun
	// par[k] is the paragraph or table cell runs[k] is in, counted by
	// blank lines and tableBreaks.
	var par []int
	p, last := 0, 0
	var breaks []int
	if bytes.IndexByte(b, '|') >= 0 {
		breaks = tableBreaks(b)
	}
	if blocks != nil {
		// An HTML block ends the paragraph before it (kinds 1 and 6
		// interrupt one) and is no Markdown: no span crosses its edges.
		for _, k := range blocks {
			breaks = append(breaks, k.from, k.to)
		}
		slices.Sort(breaks)
	}
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '`')
		if j < 0 {
			break
		}
		at := i + j
		crossed := blankLineIn(b[last:at])
		for len(breaks) > 0 && breaks[0] < at {
			crossed = crossed || breaks[0] >= last
			breaks = breaks[1:]
		}
		if crossed {
			p++
		}
		slashes := 0
		for slashes < at && b[at-1-slashes] == '\\' {
			slashes++
		}
		i = at
		for i < len(b) && b[i] == '`' {
			i++
		}
		last = i
		runs = append(runs, fenceRun{at: at, n: i - at, esc: slashes%2 == 1})
		par = append(par, p)
	}
	// The next run of each length, taken only within the same paragraph
	// or cell (par): no map is cleared at each break, whose cost is its
	// capacity (golang/go#70617), which would make many cells after
	// one paragraph of many run lengths superlinear.
	next := map[int]int{}
	for k := len(runs) - 1; k >= 0; k-- {
		c, ok := next[runs[k].n-runs[k].esc2()]
		if !ok || par[c] != par[k] {
			c = -1
		}
		runs[k].close = c
		next[runs[k].n] = k
	}
	return runs
}

// tableBreaks are the positions in b, in order, that a code span does
// not cross inside a GFM table (https://github.github.com/gfm/#tables-extension-:
// a row is split into cells at each | not escaped as \| before its
// inlines are read, code spans too, and each row is read alone): each
// such | of a table's rows and each row's end. A table is a header row
// (a line with a |), a delimiter row of as many cells (each -, or :- -:
// :-:, between |), and the lines after them up to a blank line. One
// pass over b's lines.
func tableBreaks(b []byte) []int {
	var breaks []int
	inTable := false
	prevFrom, prevTo := -1, -1 // the line before, a header row if the next is a delimiter row
	for from := 0; from < len(b); {
		to, next := lineAt(b, from)
		line := b[from:to]
		blank := len(bytes.Trim(line, " \t")) == 0
		switch {
		case blank:
			inTable = false
		case !inTable && prevFrom >= 0:
			n := delimiterRow(line)
			inTable = n > 0 && n == len(cellBars(b[prevFrom:prevTo]))+1-edgeBars(b[prevFrom:prevTo])
			if !inTable {
				break
			}
			breaks = rowBreaks(breaks, b, prevFrom, prevTo)
		}
		if inTable {
			breaks = rowBreaks(breaks, b, from, to)
		}
		prevFrom, prevTo = from, to
		if blank || inTable || bytes.IndexByte(line, '|') < 0 {
			prevFrom = -1
		}
		from = next
	}
	return breaks
}

// lineAt is the end of the line of b that starts at from (its line
// ending's first byte, or len(b)) and the start of the next (past a CRLF,
// a CR or an LF).
func lineAt(b []byte, from int) (to, next int) {
	to = bytes.IndexAny(b[from:], "\r\n")
	if to < 0 {
		return len(b), len(b)
	}
	to += from
	next = to + 1
	if b[to] == '\r' && next < len(b) && b[next] == '\n' {
		next++
	}
	return to, next
}

// rowBreaks is breaks with a table row's, b[from:to]: its cell bars and
// its end.
func rowBreaks(breaks []int, b []byte, from, to int) []int {
	for _, i := range cellBars(b[from:to]) {
		breaks = append(breaks, from+i)
	}
	return append(breaks, to)
}

// cellBars are the positions of line's | that are not escaped (\|).
func cellBars(line []byte) []int {
	var bars []int
	for i, c := range line {
		if c == '|' && (i == 0 || line[i-1] != '\\') {
			bars = append(bars, i)
		}
	}
	return bars
}

// edgeBars is how many of line's cell bars stand at its ends (a row's
// optional leading and trailing |).
func edgeBars(line []byte) int {
	t := bytes.Trim(line, " \t")
	n := 0
	if bytes.HasPrefix(t, []byte("|")) {
		n++
	}
	if len(t) > 1 && bytes.HasSuffix(t, []byte("|")) && t[len(t)-2] != '\\' {
		n++
	}
	return n
}

// delimiterRow is how many cells line has as a table's delimiter row
// (each :?-+:? between |), or 0 when it is none.
func delimiterRow(line []byte) int {
	t := bytes.Trim(line, " \t")
	if bytes.IndexByte(t, '|') < 0 || bytes.IndexByte(t, '-') < 0 {
		return 0
	}
	t = bytes.TrimPrefix(t, []byte("|"))
	t = bytes.TrimSuffix(t, []byte("|"))
	cells := bytes.Split(t, []byte("|"))
	for _, c := range cells {
		c = bytes.Trim(c, " \t")
		c = bytes.TrimPrefix(c, []byte(":"))
		c = bytes.TrimSuffix(c, []byte(":"))
		if len(c) == 0 || len(bytes.Trim(c, "-")) > 0 {
			return 0
		}
	}
	return len(cells)
}

// blankLineIn reports whether b holds a blank line: a line ending, then
// only spaces and tabs, then another (CommonMark 0.31 §4.9: a blank line
// ends a paragraph).
func blankLineIn(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' && b[i] != '\r' {
			continue
		}
		j := i + 1
		if b[i] == '\r' && j < len(b) && b[j] == '\n' {
			j++
		}
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		if j < len(b) && (b[j] == '\n' || b[j] == '\r') {
			return true
		}
		i = j - 1
	}
	return false
}

// autolink is the length of the autolink b starts with, a URI's
// (uriAutolink) or an email address's (emailAutolink), or 0.
func autolink[T string | []byte](b T) int {
	if n := uriAutolink(b); n > 0 {
		return n
	}
	return emailAutolink(b)
}

// uriAutolink is the length of the URI autolink b starts with (CommonMark
// 0.31 §6.5, https://spec.commonmark.org/0.31.2/#autolinks: "<", a
// scheme of an ASCII letter and 1 to 31 letters, digits, + . -, ":",
// then no space, control, < or >, up to ">"), at most maxTag bytes, or 0.
// A renderer shows its text as it is: a backtick in it opens no span
// (example 346), and one that opens a span before it closes there
// (example 345: the span comes first).
func uriAutolink[T string | []byte](b T) int {
	n := min(len(b), maxTag)
	i := 1
	for i < n && (isLetter(b[i]) || i > 1 && (b[i] >= '0' && b[i] <= '9' || b[i] == '+' || b[i] == '.' || b[i] == '-')) {
		i++
	}
	if i < 3 || i > 33 || i >= n || b[i] != ':' || !isLetter(b[1]) {
		return 0
	}
	for i++; i < n; i++ {
		switch c := b[i]; {
		case c == '>':
			return i + 1
		case c <= ' ' || c == '<' || c == 0x7f:
			return 0
		}
	}
	return 0
}

// htmlTag is the length of the HTML tag b starts with, or 0: an open
// tag (<code>, <br/>, <span class="x">) or a closing tag (</em>) as
// CommonMark reads raw HTML (0.31 §6.6,
// https://spec.commonmark.org/0.31.2/#raw-html: a tag name of an ASCII
// letter and then letters, digits and hyphens; attributes each after a
// blank, a name of letters, digits, _ . : -, an optional value, unquoted
// or quoted), or the comment, processing instruction, declaration or
// CDATA section it starts with as that grammar reads one, cut to what a
// browser then hides (markup, whatever its length; ms remembers where
// its ends stand in the text b runs to the end of), a tag at most maxTag
// bytes. What that grammar
// does not read as a tag is text a reader sees ("<ss__>", "<co | de>" across a table's cells or links' texts, each
// parsed apart): a looser reading took it out of the views, and the
// pieces of a secret holding "<code>" split by cells around it were left.
func htmlTag(b []byte, ms *markupScan) int {
	if len(b) > 1 && (b[1] == '!' || b[1] == '?') {
		return markup(b, ms)
	}
	n := min(len(b), maxTag)
	i := 1
	closing := i < n && b[i] == '/'
	if closing {
		i++
	}
	if i >= n || !isLetter(b[i]) {
		return 0
	}
	for i < n && (isAlnum(b[i]) || b[i] == '-') {
		i++
	}
	for {
		j := i
		for j < n && isBlank[b[j]] {
			j++
		}
		switch {
		case j < n && b[j] == '>':
			return j + 1
		case !closing && j+1 < n && b[j] == '/' && b[j+1] == '>':
			return j + 2
		case closing || j == i || j >= n || !(isLetter(b[j]) || b[j] == '_' || b[j] == ':'):
			// A closing tag holds no attribute, and an attribute
			// stands after a blank and starts with a letter, _ or :.
			return 0
		}
		for j < n && (isAlnum(b[j]) || strings.IndexByte("_.:-", b[j]) >= 0) {
			j++
		}
		i = j
		for j < n && isBlank[b[j]] {
			j++
		}
		if j >= n || b[j] != '=' {
			continue
		}
		for j++; j < n && isBlank[b[j]]; j++ {
		}
		if j >= n {
			return 0
		}
		if q := b[j]; q == '"' || q == '\'' {
			e := bytes.IndexByte(b[j+1:n], q)
			if e < 0 {
				return 0
			}
			i = j + e + 2
			continue
		}
		k := j
		for k < n && !isBlank[b[k]] && strings.IndexByte("\"'=<>`", b[k]) < 0 {
			k++
		}
		if k == j {
			return 0
		}
		i = k
	}
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// maxTag bounds an HTML tag htmlTag reads (no comment nor its kin:
// markup).
const maxTag = 256

// spaced reports whether b holds MinLen characters or more each
// separated from the next by blanks ("a b c d", "a  b  c  d"): a secret
// written spaced out, which unspaced reads whole.
func spaced(b []byte) bool {
	run := 0
	for i := 0; i < len(b); {
		if b[i] == ' ' || b[i] == '\t' {
			i++
			continue
		}
		// A word: one character alone?
		j := i
		for j < len(b) && b[j] != ' ' && b[j] != '\t' {
			j++
		}
		if j-i != 1 {
			run = 0
		} else if run++; run >= MinLen {
			return true
		}
		i = j
	}
	return false
}

// unspaced is the layer with its blanks taken out.
func (l *layer) unspaced() *layer {
	out := &layer{b: make([]byte, 0, len(l.b)), from: make([]span, 0, len(l.b))}
	for i, c := range l.b {
		if c != ' ' && c != '\t' {
			out.b = append(out.b, c)
			out.from = append(out.from, l.at(i))
		}
	}
	return out
}
