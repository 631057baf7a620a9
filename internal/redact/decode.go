package redact

// This file holds the decoding of a layer: the escapes of JSON, Go, C,
// CSS, percent-encoding, quoted-printable and HTML character references,
// one inside another, read in the modes a chain of layers takes.

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// mode is how decode reads what may be written more than one way.
type mode struct {
	// plus: + is a space (a form's encoding).
	plus bool
	// octal: a backslash and three digits are octal (C, Python, PHP:
	// \132), not decimal (a record's \DDD).
	octal bool
	// css: a backslash and one to six hex digits, and one blank after
	// them, are a character (CSS: \5a ).
	css bool
	// qp: "=" and two hex digits are a byte (quoted-printable: =5F),
	// not an "=" a secret holds and two characters.
	qp bool
	// dns: a backslash before any byte but a digit is that byte, a
	// letter or a blank too (a record's presentation form, RFC 1035
	// §5.1: "\X where X is any character other than a digit"; \p\k is
	// pk), not the JSON or Go escape (\n, \t, \u00..) it may also be.
	dns bool
	// keep: the escapes a secret holds (%Ab in "Kx9m%Ab:Qz") are text,
	// not escapes: a secret that holds one, escaped for Markdown and
	// then as HTML references ("Kx9m&#92;%Ab"), decodes to itself only
	// when the layer that reads the references keeps its %Ab (read as
	// a byte there, no later layer holds the secret).
	keep *heldEscapes
}

// heldEscapes are the escapes (unescape's, mode{}) the secrets hold as
// they are, each as the secret writes it: a secret's "%0A" or "&amp;".
type heldEscapes struct{ escs [][]byte }

// heldEscapesOf are the escapes vs hold, or nil when none holds one.
func heldEscapesOf(vs []string) *heldEscapes {
	var h heldEscapes
	for _, v := range vs {
		for i := 0; i < len(v); i++ {
			if !startsEscape[v[i]] {
				continue
			}
			if _, n := unescape([]byte(v[i:]), mode{}); n > 0 && !h.at([]byte(v[i:])) {
				h.escs = append(h.escs, []byte(v[i:i+n]))
			}
		}
	}
	if len(h.escs) == 0 {
		return nil
	}
	return &h
}

// at reports whether b starts with an escape a secret holds, in any
// letter case (a server that upper-cased the text: %AB).
func (h *heldEscapes) at(b []byte) bool {
	for _, e := range h.escs {
		if len(b) >= len(e) && bytes.EqualFold(b[:len(e)], e) {
			return true
		}
	}
	return false
}

// in reports whether b holds an escape a secret holds.
func (h *heldEscapes) in(b []byte) bool {
	for i, c := range b {
		if startsEscape[c] && h.at(b[i:]) {
			return true
		}
	}
	return false
}

// backslashOther reports whether b holds a backslash (not itself
// escaped) before a byte that is neither ASCII punctuation (whose
// escapes every reading decodes alike) nor the start of \DDD: a letter,
// a blank, a control, a byte beyond ASCII or a digit before no two more,
// which a record's presentation form reads as itself (mode.dns) and a
// JSON or Go string otherwise, or not at all.
func backslashOther(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		c := b[i+1]
		if c == '\\' {
			i++
			continue
		}
		if c >= '0' && c <= '9' {
			if _, ok := decimalByte(b[i+1:]); !ok {
				return true // \7 before no two more digits: 7
			}
			continue
		}
		if c >= utf8.RuneSelf || strings.IndexByte(asciiPunctuation, c) < 0 {
			return true
		}
	}
	return false
}

// backslashDigit reports whether b holds a backslash before a hex digit
// (\DDD, \ooo, \5a: escapes read more than one way).
func backslashDigit(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\\' {
			if _, ok := digitValue(b[i+1], 16); ok {
				return true
			}
		}
	}
	return false
}

// decode is the layer with one level of escapes decoded: \uXXXX (a
// surrogate pair as one character), \u{X..}, \UXXXXXXXX, \xHH, \/, \", \\ and the other JSON
// escapes, a record's \DDD (RFC 1035), a backslash before ASCII
// punctuation (CommonMark: \_, \*) and, with m.dns, before any byte but
// a digit (a record's \X: \p is p),
// %HH in either case (and + as a space when plus), and HTML character
// references (&#47; &#x2f; &amp; &sol; &#47 ...). changed says whether
// anything was decoded.
func (l *layer) decode(m mode) (*layer, bool) {
	// The first escape, before a copy is made: the last layer of every
	// chain decodes to itself, and its copy cost Plain's second net half
	// its bytes (bench/plain).
	first := -1
	for i := 0; i < len(l.b); i++ {
		if startsEscape[l.b[i]] {
			if _, n := unescape(l.b[i:], m); n > 0 {
				first = i
				break
			}
		}
	}
	if first < 0 {
		return l, false
	}
	out := &layer{b: make([]byte, first, len(l.b)), parent: l, segs: []seg{{}}}
	copy(out.b, l.b[:first])
	changed := false
	emit := func(p []byte, from, to int) {
		out.segs = append(out.segs, seg{out: int32(len(out.b)), src: int32(from), srcEnd: int32(to), esc: true})
		out.b = append(out.b, p...)
	}
	for i := first; i < len(l.b); {
		if p, n := unescape(l.b[i:], m); n > 0 {
			emit(p, i, i+n)
			i += n
			changed = true
			continue
		}
		// Up to the next byte that may start an escape, as it is.
		j := i + 1
		for j < len(l.b) && !startsEscape[l.b[j]] {
			j++
		}
		out.segs = append(out.segs, seg{out: int32(len(out.b)), src: int32(i)})
		out.b = append(out.b, l.b[i:j]...)
		i = j
	}
	return out, changed
}

// startsEscape are the bytes an escape unescape reads starts with.
var startsEscape = byteSet("\\%+&=")

// unescape decodes the escape at the start of b: the bytes it stands for
// and its length, or 0 when b starts with none.
func unescape(b []byte, m mode) ([]byte, int) {
	if m.keep != nil && m.keep.at(b) {
		return nil, 0
	}
	switch b[0] {
	case '\\':
		if len(b) < 2 {
			return nil, 0
		}
		if m.dns {
			// RFC 1035 §5.1: \DDD is a byte, \X is X.
			if v, ok := decimalByte(b[1:]); ok {
				return []byte{v}, 4
			}
			// And a digit that starts no \DDD, as a reader reads it
			// (a zone loader refuses it; a server's text need not
			// be a record).
			return b[1:2], 2
		}
		if m.css {
			if p, n := cssEscape(b); n > 0 {
				return p, n
			}
		}
		switch b[1] {
		case 'u', 'U':
			if b[1] == 'u' && len(b) > 3 && b[2] == '{' {
				// JavaScript's, Rust's, Swift's \u{7A}: one to six
				// hex digits.
				return bracedEscape(b)
			}
			if b[1] == 'U' {
				// Python's and C's \U0000007A: eight hex digits.
				// Above plane 3 (tags, private use) it is more
				// likely an upper-cased \u000B followed by four hex
				// characters of the text: \U000B9F3A reads \u000B
				// and 9F3A, which may be a secret's head.
				if v, ok := hexValue(b[2:], 8); ok && v > 0 && v < 0x40000 && !utf16.IsSurrogate(rune(v)) {
					return utf8.AppendRune(nil, rune(v)), 10
				}
				// Else JSON's \u005F as a server that upper-cased
				// the text it quotes writes it (\U005F).
			}
			r1, ok := hexValue(b[2:], 4)
			if !ok {
				return nil, 0
			}
			if utf16.IsSurrogate(rune(r1)) {
				if len(b) >= 12 && b[6] == '\\' && b[7]|0x20 == 'u' {
					if r2, ok := hexValue(b[8:], 4); ok {
						if r := utf16.DecodeRune(rune(r1), rune(r2)); r != utf8.RuneError {
							return utf8.AppendRune(nil, r), 12
						}
					}
				}
				return nil, 0
			}
			return utf8.AppendRune(nil, rune(r1)), 6
		case 'x', 'X':
			// \x5f, and \X5F upper-cased.
			if v, ok := hexValue(b[2:], 2); ok {
				return []byte{byte(v)}, 4
			}
			return nil, 0
		}
		if c, ok := simpleEscapes[b[1]]; ok {
			return []byte{c}, 2
		}
		if m.octal {
			if len(b) >= 4 && isOctal(b[1]) && isOctal(b[2]) && isOctal(b[3]) {
				// C's, Python's, PHP's octal escape (\132).
				return []byte{(b[1]-'0')<<6 | (b[2]-'0')<<3 | (b[3] - '0')}, 4
			}
		} else if v, ok := decimalByte(b[1:]); ok {
			// A record's presentation escape (RFC 1035 §5.1: \195\164).
			return []byte{v}, 4
		}
		if strings.IndexByte(asciiPunctuation, b[1]) >= 0 {
			// CommonMark's backslash escape (a\_b renders as a_b).
			return []byte{b[1]}, 2
		}
	case '%':
		if v, ok := hexValue(b[1:], 2); ok {
			return []byte{byte(v)}, 3
		}
		if len(b) >= 6 && b[1] == 'u' || len(b) >= 6 && b[1] == 'U' {
			// JavaScript's escape() of a character beyond Latin-1,
			// and of any character by some encoders (%u005A).
			if v, ok := hexValue(b[2:], 4); ok && !utf16.IsSurrogate(rune(v)) {
				return utf8.AppendRune(nil, rune(v)), 6
			}
		}
	case '+':
		if m.plus {
			return []byte{' '}, 1
		}
	case '=':
		// Quoted-printable's escape of a byte (=3D).
		if v, ok := hexValue(b[1:], 2); ok && m.qp {
			return []byte{byte(v)}, 3
		}
	case '&':
		return characterReference(b)
	}
	return nil, 0
}

// partialEscape is the length of the start of an escape that b starts
// with and that is cut short (\, \u00, \x, %, %2), or 0.
func partialEscape(b []byte) int {
	if _, n := unescape(b, mode{}); n > 0 {
		return 0
	}
	hexRun := func(from, most int) int {
		n := from
		for n < len(b) && n-from < most {
			if _, ok := digitValue(b[n], 16); !ok {
				break
			}
			n++
		}
		return n
	}
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '%':
		return hexRun(1, 1)
	case b[0] == '=' && hexRun(1, 1) == len(b):
		// The text ends inside quoted-printable's =XX.
		return len(b)
	case b[0] != '\\':
		return 0
	case len(b) == 1:
		return 1
	case b[1] == 'u' || b[1] == 'U': // or half of a surrogate pair; \U upper-cased \u
		return hexRun(2, 4)
	case b[1] == 'x' || b[1] == 'X':
		return hexRun(2, 1)
	case simpleEscapes[b[1]] != 0:
		return 0
	}
	return 1
}

// bracedEscape decodes \u{...} at the start of b (one to six hex digits
// between braces): the character and its length, or 0.
func bracedEscape(b []byte) ([]byte, int) {
	v, n := 0, 3
	for n < len(b) && n < 9 && b[n] != '}' {
		d, ok := digitValue(b[n], 16)
		if !ok {
			return nil, 0
		}
		v = v<<4 | d
		n++
	}
	if n == 3 || n >= len(b) || b[n] != '}' || v == 0 || v > utf8.MaxRune || utf16.IsSurrogate(rune(v)) {
		return nil, 0
	}
	return utf8.AppendRune(nil, rune(v)), n + 1
}

// cssEscape decodes CSS's escape at the start of b (CSS Syntax §4.3.7):
// a backslash, one to six hex digits, and one blank after them, which
// it takes; the character and its length, or 0.
func cssEscape(b []byte) ([]byte, int) {
	v, n := 0, 1
	for n < len(b) && n <= 6 {
		d, ok := digitValue(b[n], 16)
		if !ok {
			break
		}
		v = v<<4 | d
		n++
	}
	if n == 1 || v == 0 || v > utf8.MaxRune || utf16.IsSurrogate(rune(v)) {
		return nil, 0
	}
	if n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\n') {
		n++
	}
	return utf8.AppendRune(nil, rune(v)), n
}

// decimalByte is the byte of \DDD (three decimal digits, at most 255) at
// the start of b.
func decimalByte(b []byte) (byte, bool) {
	if len(b) < 3 {
		return 0, false
	}
	v := 0
	for _, c := range b[:3] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return byte(v), v <= 255
}

// asciiPunctuation are the characters CommonMark's backslash escapes
// (spec, "Backslash escapes": ASCII punctuation).
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// simpleEscapes are the one-character escapes of JSON and Go strings.
var simpleEscapes = map[byte]byte{
	'"': '"', '\\': '\\', '/': '/', '\'': '\'',
	'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}

// characterReference decodes the HTML character reference at the start of
// b, or returns 0: numeric (&#47; &#x2F;) or named (&amp; &sol;
// &lowbar;: every name of HTML's table, html.UnescapeString's), with its
// ";" or without, as HTML reads it without (&#47 and the names HTML
// allows so: &amp &lt).
func characterReference(b []byte) ([]byte, int) {
	if len(b) < 3 {
		return nil, 0
	}
	if b[1] == '#' {
		i, base := 2, 10
		if bytes.HasPrefix(b[i:], []byte(joiner)) {
			// The zero-width joiner Markdown text takes after each #
			// (report.MarkdownText, so that GitHub links no #123): a
			// reference quoted in a report cell, &amp;#\u200d112;,
			// reads as the reference it shows (TestReferenceJoined).
			i += len(joiner)
		}
		if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
			i++
			base = 16
		}
		start, v := i, 0
		for i < len(b) && i-start < 8 {
			d, ok := digitValue(b[i], base)
			if !ok {
				break
			}
			v = v*base + d
			i++
		}
		if i == start || v == 0 || v > utf8.MaxRune {
			return nil, 0
		}
		if i < len(b) && b[i] == ';' {
			i++
		}
		return utf8.AppendRune(nil, rune(v)), i
	}
	n := 1
	for n < len(b) && n <= maxReferenceName && isAlnum(b[n]) {
		n++
	}
	if n == 1 {
		return nil, 0
	}
	if n < len(b) && b[n] == ';' {
		if ref := string(b[:n+1]); html.UnescapeString(ref) != ref {
			return []byte(html.UnescapeString(ref)), n + 1
		}
	}
	// Without its ";": the longest name HTML reads so.
	for j := n; j > 2; j-- {
		ref := string(b[:j])
		if u := html.UnescapeString(ref); u != ref && u == html.UnescapeString(ref+";") {
			return []byte(u), j
		}
	}
	return nil, 0
}

// joiner is the zero-width joiner (U+200D).
const joiner = "\u200d"

// maxReferenceName is the length of HTML's longest character reference
// name (CounterClockwiseContourIntegral).
const maxReferenceName = 32

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// hexValue is the value of the first n bytes of b as hex digits.
func hexValue(b []byte, n int) (int, bool) {
	if len(b) < n {
		return 0, false
	}
	v := 0
	for _, c := range b[:n] {
		d, ok := digitValue(c, 16)
		if !ok {
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

func digitValue(c byte, base int) (int, bool) {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0'), true
	case base == 16 && 'a' <= c && c <= 'f':
		return int(c-'a') + 10, true
	case base == 16 && 'A' <= c && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }
