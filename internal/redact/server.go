package redact

// This file holds ServerText and the chain it reads a server's text by:
// the text, chunk by chunk, layer by layer as decoded, and each layer's
// views (rendered, joined, across cells).

import (
	"bytes"
	"context"
	"strings"
	"unicode/utf8"
)

// ServerText is text a server sent (an API's error message or error body)
// with every secret of the run taken out, before anything quotes, escapes
// or renders it: the secrets of the set ctx carries (WithSecrets) and
// own, the caller's own credentials (a provider passes the key from its
// config, whether or not the run registered it).
//
// A server may echo a secret encoded in any way, and in any mix of ways:
// JSON with some characters \u-escaped and others not, the solidus as \/,
// percent-encoded in either case, HTML entities, one inside another. No
// list of forms covers every mix (Forms registers the usual ones), so the
// text is decoded instead, layer by layer (JSON and Go string escapes,
// percent-encoding, with + as a space and not, HTML character references,
// CommonMark's backslash escapes, quoted-printable's =XX),
// up to maxLayers times, each decoded character remembering which bytes of
// text it came from. Every secret (its base64 forms too, which no layer
// decodes), and every piece of one of MinCut characters or more (a
// message cut inside it: its head, its end, or a piece of its middle),
// found in the text or in a decoded layer, also with the layer's line
// breaks and invisible characters taken out (a long line the server
// wrapped, a quoted-printable soft line break, a zero-width space) and
// the characters that stand for ASCII text read as it (full-width ｋ,
// mathematical 𝐤, Cyrillic а: compat), has the bytes it came from replaced by
// Mask: the rest of the
// text is kept as the server wrote it.
func ServerText(ctx context.Context, text string, own ...string) string {
	if text == "" {
		return text
	}
	return maskDecoded(text, withCells(serverSecrets(append(FromContext(ctx).Values(), own...))))
}

// withCells is a copy of n that also reads a text across the | of
// Markdown table cells, the quotes between strings (a TXT record's
// character-strings, a JSON array's items) and the dots between a
// name's labels (markUncelled; none of them ends a chunk).
//
// The bytes of the wide forms (newNeedles) end no chunk either: the texts
// these needles read are short.
func withCells(n *needles) *needles {
	c := *n
	c.cells, c.layered = true, nil
	for _, b := range cellMarks {
		c.barrier[b] = false
	}
	for b, w := range n.wide {
		if w {
			c.barrier[b] = false
		}
	}
	return &c
}

// cellMarks are the bytes markUncelled reads across: a Markdown table's
// cell bar, the quote around a string, the dot between labels, the
// brackets and parentheses of a Markdown link; and the comma between a
// JSON array's strings; and the plain separators (plainSeps).
const cellMarks = `|".,[]()` + plainSeps

// plainSeps are the plain separators markUncelled reads across: a list's
// comma or semicolon, a path's solidus, a column's tab, the blank, "-"
// or ":" between the groups a token is printed in for reading (of any
// size: "pk_7Hq2 mZ9wXr4"), and the blanks that indent a wrapped line.
// A run found across them alone is MinCut bytes or more (markUncelled):
// a short secret's pieces stand in ordinary words ("ac, me").
const plainSeps = ",;/: \t-"

// maskDecoded is text with every secret of secrets (serverSecrets: case
// folded, with their base64 and hex forms) found in it or in a decoded
// layer of it replaced by Mask: ServerText's work.
func maskDecoded(text string, secrets *needles) string {
	if text == "" || secrets.empty() {
		return text
	}
	masked := make([]bool, len(text))
	markDecoded(text, foldBytes(text), secrets, masked)
	return applyMask(text, masked)
}

// markDecoded sets masked for the bytes of text that each secret of
// secrets (serverSecrets) found in it or in a decoded layer of it came
// from; Secrets.Replace marks its registered forms in the same text
// first. low is the text folded (foldBytes).
//
// The text is read as it is once, and decoded only in its chunks that
// hold something to decode or to join (chunks): no match, in any layer,
// spans a barrier byte, and no escape reads past one, so each chunk's
// layers are those of the whole text there.
func markDecoded(text string, low []byte, secrets *needles, masked []bool) {
	if secrets.empty() {
		return
	}
	markFolded(low, nil, secrets, masked)
	eachChunk(text, secrets, func(start, end int) {
		markChunk(text[start:end], secrets, masked[start:end])
	})
}

// eachChunk calls f with each chunk of text, [start, end), that
// markDecoded decodes on its own: up to and with the next byte of
// secrets' barrier (a backslash before it escapes it).
func eachChunk(text string, secrets *needles, f func(start, end int)) {
	for start := 0; start < len(text); {
		end := start
		for end < len(text) && (!secrets.barrier[text[end]] || qpAt(text, end)) {
			end++
		}
		if end < len(text) {
			end++ // the barrier ends its chunk: a backslash before it escapes it
		}
		f(start, end)
		start = end
	}
}

// markChunk is markDecoded's work on one chunk of a text (its layer as
// it is already marked): masked is the chunk's.
func markChunk(text string, secrets *needles, masked []bool) {
	if quiet(text) && !(secrets.cells && strings.ContainsAny(text, cellMarks)) || secrets.gate.clear(text) {
		return
	}
	if !strings.ContainsAny(text, "\\%&+") && !hasQP(text) {
		if secrets.layers {
			if hasUnseen([]byte(text), &secrets.used) {
				newLayer(text).markUnseen(secrets, masked)
			}
			return
		}
		// Nothing to decode: the text as a reader may read it (joined,
		// rendered, its blanks taken out), when a view may differ from
		// it (a layer, which knows where each byte came from, costs
		// sixteen times the text: most chunks need none).
		if b := []byte(text); needsViews(b, secrets) {
			newLayer(text).markViews(secrets, masked)
		}
		return
	}
	markChain(newLayer(text), mode{}, 0, 0, secrets, masked)
}

// markChain marks the layer l (the i-th: the 0th, the text as it is, is
// marked by markDecoded) and its views, then the layers decoded from it
// in mode m, up to maxLayers. What a backslash and digits stand for
// depends on who wrote them (a record's \DDD is decimal, C's \ooo octal,
// CSS's \5a hex), and whether "=5F" is quoted-printable's escape of a
// byte or text that holds an "=" (a secret "...H=Bc4k...": read as
// quoted-printable, its "=Bc" is one byte, and the secret, escaped
// otherwise elsewhere, is in no layer): from the first layer of the
// chain that holds a backslash before a hex digit, the chain is also
// decoded each other way, from the first that holds =XX, also with
// quoted-printable read, and from the first that holds a +, also with
// + read as a space (before it, every way decodes alike).
func markChain(l *layer, m mode, i, pluses int, secrets *needles, masked []bool) {
	digits, qp, plus, kept := m.octal || m.css || m.dns, m.qp, m.plus, m.keep != nil // a record's \DDD is decimal
	for ; ; i++ {
		// The +s of the layer this one was decoded from (pluses), and
		// of this one: a chain whose first layer holds no more than
		// the one it branched from reads them as a space in the chain
		// that layer's own + branch made.
		prev := pluses
		pluses = bytes.Count(l.b, []byte{'+'})
		if i > 0 {
			l.mark(secrets, masked)
		}
		switch {
		case !secrets.layers:
			l.markViews(secrets, masked)
		case i == 0:
			l.markUnseen(secrets, masked)
		}
		if i == 0 && wrappedEscape(l.b) {
			// An escape a wrapped line breaks (\u00 at a line's end,
			// 37 on the next, indented): the text's joined view is
			// decoded too (it holds no line break: once).
			if j := l.joined(false); j != nil {
				markChain(j, m, 0, 0, secrets, masked)
			}
		}
		if !qp && i < maxLayers && hasQP(l.b) {
			qp = true
			o := m
			o.qp = true
			if next, changed := l.decode(o); changed {
				markChain(next, o, i+1, pluses, secrets, masked)
			}
		}
		if !plus && i < maxLayers && pluses > prev {
			plus = true
			// + is a space in a form only, and a form's + may come
			// escaped (its value percent-encoded again, %2B; &#43;,
			// \u002b, =2B): from the first layer of the chain that
			// holds a + no layer before it held, the chain is also
			// decoded with + read as a space (TestPlusEscaped).
			o := m
			o.plus = true
			if next, changed := l.decode(o); changed {
				markChain(next, o, i+1, pluses, secrets, masked)
			}
		}
		if !kept && secrets.keep != nil && i < maxLayers && secrets.keep.in(l.b) {
			// An escape a secret holds: from the first layer that
			// holds one, the chain is also decoded keeping it as
			// text (mode.keep), once.
			kept = true
			o := m
			o.keep = secrets.keep
			if next, changed := l.decode(o); changed {
				markChain(next, o, i+1, pluses, secrets, masked)
			}
		}
		if !m.dns && backslashOther(l.b) && i < maxLayers {
			// A backslash before a letter, a blank or a byte beyond
			// ASCII: the chain is also decoded as a record's
			// presentation form reads it (\X), from this layer on.
			o := m
			o.dns = true
			if next, changed := l.decode(o); changed {
				markChain(next, o, i+1, pluses, secrets, masked)
			}
		}
		if !digits && backslashDigit(l.b) && i < maxLayers {
			digits = true
			for _, o := range []mode{{octal: true}, {css: true}} {
				o.plus, o.qp, o.keep = m.plus, m.qp, m.keep
				if next, changed := l.decode(o); changed {
					markChain(next, o, i+1, pluses, secrets, masked)
				}
			}
		}
		if i == maxLayers {
			return
		}
		next, changed := l.decode(m)
		if !changed {
			return
		}
		l = next
	}
}

// wrappedEscape reports whether b holds a line break right after what
// may start an escape (a backslash, %, & or = and up to five bytes of
// it): a wrapped line that cut an escape in two.
func wrappedEscape(b []byte) bool {
	for i, c := range b {
		if c != '\n' && c != '\r' {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-6; k-- {
			if strings.IndexByte("\\%&=", b[k]) >= 0 {
				return true
			}
		}
	}
	return false
}

// quiet reports whether text, read in one pass, has nothing to decode
// and no view of it differs from it (markViews): ASCII, no escape, no
// line break, no render mark after something other than a blank, no
// autolink, no blank after a character that stands alone. When it says no, the
// views look again, exactly.
func quiet(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= utf8.RuneSelf || isLoud[c] || c == '=' && qpAt(text, i):
			return false
		case c == '<' && autolink(text[i:]) > 0:
			// An autolink, shown without its brackets.
			return false
		case i == 0:
		case isRenderMark[c] && !isBlank[text[i-1]]:
			return false
		case (c == ' ' || c == '\t') && !isBlank[text[i-1]] && (i == 1 || isBlank[text[i-2]]):
			return false
		}
	}
	return true
}

// isLoud are the bytes that start an escape or a line break.
var isLoud = byteSet("\\%&+" + joinBytes)

// markViews marks the secrets of the layer as a reader may read it: a
// secret the server's text wraps (a long line broken where it was too
// wide, indented or not) or breaks with invisible characters (joined),
// split by HTML tags or Markdown's emphasis, which render as nothing
// (rendered), or written with a blank between every two characters
// (unspaced).
func (l *layer) markViews(secrets *needles, masked []bool) {
	join, render, spread, cells := scanViews(l.b, secrets)
	if join {
		if j := l.joined(false); j != nil {
			j.mark(secrets, masked)
			if spaced(j.b) {
				// Spaced out by blanks beyond ASCII (no-break,
				// em, ideographic spaces), which joined reads as
				// blanks (compat).
				j.unspaced().mark(secrets, masked)
			}
		}
		if softBreak(l.b) {
			l.joined(true).mark(secrets, masked)
		}
	}
	hides := 0
	if render {
		hides = hideReadings(l.b)
	}
	if render && (hides > 1 || renderJoins(l.b)) {
		// The marks no secret holds taken out, and, when a secret
		// holds one, every mark (a key with an underscore split by
		// __ emphasis: its pieces between the marks are found); each
		// again with the elements GitHub may take out whole
		// (hiddenContent) taken out so, when the text holds one.
		views := []*[256]bool{&secrets.marks}
		if secrets.marks != allMarks {
			views = append(views, &allMarks)
		}
		for _, marks := range views {
			for k := range hides {
				if r := l.rendered(marks, k == 1); r != nil {
					r.mark(secrets, masked)
					if j := r.joined(false); join && j != nil {
						j.mark(secrets, masked)
					}
				}
			}
		}
	}
	if spread && spaced(l.b) {
		l.unspaced().mark(secrets, masked)
	}
	if cells && secrets.cells {
		find := func(u []byte, _ []int32, found []bool) { markFolded(foldBytes(u), nil, secrets, found) }
		markUncelled(l.b, l.where(), 1, &secrets.held, masked, find)
		if h := unheld(&secrets.held, l.b); h != nil {
			markUncelled(l.b, l.where(), MinCut, h, masked, find)
		}
	}
}

// markUnseen marks the secrets of the layer read past its invisible
// characters and with the characters that stand for ASCII text read as
// it (joined), when it holds one where it may join pieces of a secret
// (hasUnseen): the one view of markViews a layers-only reading
// (needles.layers) makes, of the text as it stands only (a zero-width
// space a report quotes raw; every decoded layer's joined view took
// BenchmarkReplaceLargeReport an eighth longer again, measured here).
func (l *layer) markUnseen(secrets *needles, masked []bool) {
	if !hasUnseen(l.b, &secrets.used) {
		return
	}
	if j := l.joined(false); j != nil {
		j.mark(secrets, masked)
	}
}

// needsViews reports whether markViews may read b otherwise than as it
// is, what scanViews says, each view's own test made.
func needsViews(b []byte, secrets *needles) bool {
	join, render, spread, cells := scanViews(b, secrets)
	return join || render && (renderJoins(b) || hidesContent(b)) || spread && spaced(b) || cells && secrets.cells
}
