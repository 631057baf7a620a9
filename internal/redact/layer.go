package redact

// This file holds the layer (a reading of the text, each byte mapped
// back to the bytes of the text it stands for), marking the needles
// found in it, the joined view across line breaks, and the mask.

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// applyMask is text with each run of the bytes masked sets replaced by
// Mask (runs side by side are one). A secret cut inside an escape leaves
// its start (\u00, %2): it goes with the secret.
func applyMask(text string, masked []bool) string {
	some := false
	for i := 1; i < len(text); i++ {
		if masked[i-1] && !masked[i] {
			for j := i; j < i+partialEscape([]byte(text[i:])); j++ {
				masked[j] = true
			}
		}
	}
	for _, m := range masked {
		some = some || m
	}
	if !some {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && masked[j] == masked[i] {
			j++
		}
		if masked[i] {
			b.WriteString(Mask)
		} else {
			b.WriteString(text[i:j])
		}
		i = j
	}
	return b.String()
}

// layer is a text as decoded so far: each of its bytes came from the
// bytes from[i].start up to from[i].end of the server's text; a decoded
// layer (decode) keeps instead its parent and the runs of its bytes
// (segs), whose spans are looked up only where a secret is found (a
// span a byte cost every decoded layer eight times its text,
// bench/plain); neither: the layer is the server's text itself.
type layer struct {
	b      []byte
	from   []span
	parent *layer
	segs   []seg
}

// seg is a run of a decoded layer's bytes, from the byte out on: copied
// from its parent's bytes from src on, or, esc, each of them decoded
// from the parent's bytes src up to srcEnd (an escape).
type seg struct {
	out, src, srcEnd int32
	esc              bool
}

// at is where the layer's i-th byte came from.
func (l *layer) at(i int) span {
	switch {
	case l.from != nil:
		return l.from[i]
	case l.parent != nil:
		k := sort.Search(len(l.segs), func(k int) bool { return int(l.segs[k].out) > i }) - 1
		s := l.segs[k]
		if s.esc {
			return span{l.parent.at(int(s.src)).start, l.parent.at(int(s.srcEnd) - 1).end}
		}
		return l.parent.at(int(s.src) + i - int(s.out))
	}
	return span{int32(i), int32(i + 1)}
}

// where is at, or nil when the layer is the text itself.
func (l *layer) where() func(int) span {
	if l.from == nil && l.parent == nil {
		return nil
	}
	return l.at
}

// spans appends to dst where the layer's bytes i to j came from (a
// decoded layer's runs walked in order, not looked up for each byte).
func (l *layer) spans(dst []span, i, j int) []span {
	switch {
	case l.from != nil:
		return append(dst, l.from[i:j]...)
	case l.parent != nil && i < j:
		k := sort.Search(len(l.segs), func(k int) bool { return int(l.segs[k].out) > i }) - 1
		for i < j {
			s := l.segs[k]
			end := j
			if k+1 < len(l.segs) {
				end = min(j, int(l.segs[k+1].out))
			}
			if s.esc {
				sp := span{l.parent.at(int(s.src)).start, l.parent.at(int(s.srcEnd) - 1).end}
				for ; i < end; i++ {
					dst = append(dst, sp)
				}
			} else {
				from := int(s.src) + i - int(s.out)
				dst = l.parent.spans(dst, from, from+end-i)
				i = end
			}
			k++
		}
		return dst
	}
	for k := i; k < j; k++ {
		dst = append(dst, span{int32(k), int32(k + 1)})
	}
	return dst
}

// span is where a byte of a layer came from; int32, half the bytes of a
// layer (a text a run prints is far under 2 GiB).
type span struct{ start, end int32 }

func newLayer(text string) *layer {
	return &layer{b: []byte(text)}
}

// mark sets masked for the server's bytes each secret of the layer, or a
// piece of one of MinCut bytes or more (a text cut inside it, at its
// end, at its start or at both), came from (needles).
// Letter case does not count: the layer is folded as the secrets are
// (fold keeps every byte where it stood).
func (l *layer) mark(n *needles, masked []bool) { markFolded(foldBytes(l.b), l.where(), n, masked) }

// markFolded is mark for a layer already folded, b, whose bytes came
// from the text's bytes from (nil: b is the folded text itself).
func markFolded(b []byte, from func(int) span, n *needles, masked []bool) {
	set := func(i, k int) {
		start, end := i, i+k // a layer without from is the text itself
		if from != nil {
			start, end = int(from(i).start), int(from(i+k-1).end)
		}
		for j := start; j < end; j++ {
			masked[j] = true
		}
	}
	for _, s := range n.whole {
		eachIndex(b, s, func(i int) { set(i, len(s)) })
	}
	if len(n.pieces) == 0 {
		return
	}
	for i := 0; i+MinCut <= len(b); i++ {
		if !n.heads.may(b[i:]) {
			continue
		}
		for _, p := range n.pieces[string(b[i:i+MinCut])] {
			start, end := i, i+MinCut
			// The secret as far as the text holds it on either side.
			for k := p.at; k > 0 && start > 0 && b[start-1] == p.secret[k-1]; k-- {
				start--
			}
			for k := p.at + MinCut; k < len(p.secret) && end < len(b) && b[end] == p.secret[k]; k++ {
				end++
			}
			set(start, end-start)
		}
	}
}

// eachIndex calls f with each index at which p stands in b, overlapping
// ones included.
func eachIndex(b []byte, p string, f func(i int)) {
	for at := 0; at < len(b); {
		i := bytes.Index(b[at:], []byte(p))
		if i < 0 {
			return
		}
		f(at + i)
		at += i + 1
	}
}

// joined is the layer with its line breaks taken out, and the blanks
// around each (a wrapped line's indentation), every invisible character
// (a soft hyphen, a zero-width space or joiner, a byte order mark, a
// variation selector: invisible), which renders as nothing and so splits
// a secret unseen, and each character that stands for ASCII text written
// as that text (compat: ｋｅｙ and 𝐤𝐞𝐲 read as key, Cyrillic а as a, a
// tag character as its ASCII one), and MinLen variation selectors or
// more in a row as the bytes they hide (variationRun): nil when it has
// none of them. Each byte
// keeps where it came from, so a secret found across a break masks the
// break too. With soft, an "=" before a line break is taken out with it
// (quoted-printable's soft line break, RFC 2045 §6.7); without, it is
// kept (a secret that holds "=" there).
func (l *layer) joined(soft bool) *layer {
	if !bytes.ContainsAny(l.b, joinBytes) && !hasUnseen(l.b, nil) {
		return nil
	}
	out := &layer{b: make([]byte, 0, len(l.b)), from: make([]span, 0, len(l.b))}
	for i := 0; i < len(l.b); {
		c := l.b[i]
		if c == '\r' || c == '\n' {
			if soft && len(out.b) > 0 && out.b[len(out.b)-1] == '=' {
				out.b, out.from = out.b[:len(out.b)-1], out.from[:len(out.from)-1]
			}
			for len(out.b) > 0 && (out.b[len(out.b)-1] == ' ' || out.b[len(out.b)-1] == '\t') {
				out.b, out.from = out.b[:len(out.b)-1], out.from[:len(out.from)-1]
			}
			for i+1 < len(l.b) && strings.IndexByte(" \t\r\n", l.b[i+1]) >= 0 {
				i++
			}
			i++
			continue
		}
		switch c {
		case 0x1b:
			// A terminal's escape sequence (colours, a hyperlink),
			// which a terminal shows as nothing.
			i += terminalEscape(l.b[i:])
			continue
		case '\b':
			// A backspace: a terminal writes what follows over the
			// character before it.
			if len(out.b) > 0 {
				_, k := utf8.DecodeLastRune(out.b)
				out.b, out.from = out.b[:len(out.b)-k], out.from[:len(out.from)-k]
			}
			i++
			continue
		}
		if unrendered(c) {
			i++
			continue
		}
		n := 1
		if c < utf8.RuneSelf {
			// A run of ASCII but line breaks and terminal controls,
			// copied at once.
			for i+n < len(l.b) && l.b[i+n] < utf8.RuneSelf && !isJoinByte[l.b[i+n]] {
				n++
			}
		} else {
			var r rune
			r, n = utf8.DecodeRune(l.b[i:])
			if run := variationRun(l.b[i:]); run >= MinLen {
				// Bytes hidden as variation selectors, one a byte.
				for k := 0; k < run; k++ {
					r, n = utf8.DecodeRune(l.b[i:])
					c, _ := variationByte(r)
					out.b = append(out.b, c)
					out.from = append(out.from, span{l.at(i).start, l.at(i + n - 1).end})
					i += n
				}
				continue
			}
			if a := compat(l.b[i:]); a != nil {
				sp := span{l.at(i).start, l.at(i + n - 1).end}
				for _, c := range a {
					out.b = append(out.b, c)
					out.from = append(out.from, sp)
				}
				i += n
				continue
			}
			if r != utf8.RuneError && invisible(r) || r == utf8.RuneError && n == 1 {
				// Invisible, or a byte that is no UTF-8 (shown as
				// nothing, or as the replacement character).
				i += n
				continue
			}
		}
		out.b = append(out.b, l.b[i:i+n]...)
		out.from = l.spans(out.from, i, i+n)
		i += n
	}
	return out
}

// joinBytes are the ASCII bytes joined reads otherwise than as they are:
// line breaks, the escape that starts a terminal's control sequence and
// the backspace (terminalEscape), and the other C0 controls (but the
// tab, a plain separator) and DEL, which render as nothing (unrendered).
const joinBytes = "\r\n\x1b\b\x00\x01\x02\x03\x04\x05\x06\x07\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1c\x1d\x1e\x1f\x7f"

// unrendered reports whether the byte c, a C0 control but a tab, a line
// break, ESC or a backspace (which joined reads otherwise), or DEL,
// renders as nothing: a secret's pieces a text holds with one after each
// (a TXT record's character-strings, \000 or \127 in its presentation
// form) read as one.
func unrendered(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1b && c != '\b' || c == 0x7f
}

var isJoinByte = byteSet(joinBytes)

// terminalEscape is the length of the terminal escape sequence b starts
// with (ESC, 0x1b), which a terminal shows as nothing (ECMA-48): a
// control sequence (ESC [, parameter and intermediate bytes, a final
// byte: colours, ESC[0m), an operating system command (ESC ], up to BEL
// or ESC \: a hyperlink's target, OSC 8), or ESC and one byte; at most
// maxTag bytes, else the ESC alone.
func terminalEscape(b []byte) int {
	if len(b) < 2 {
		return len(b)
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b) && i < maxTag; i++ {
			if 0x40 <= b[i] && b[i] <= 0x7e {
				return i + 1
			}
			if b[i] < 0x20 || b[i] > 0x7e {
				return 1 // not a control sequence's byte
			}
		}
		return 1
	case ']':
		for i := 2; i < len(b) && i < maxTag; i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
				return i + 2
			}
		}
		return 1
	}
	return 2
}

// qpAt reports whether text[i] is an "=" that quoted-printable reads
// (RFC 2045 §6.7): before a line break or an escape (which may stand for
// one: \n, %0A, &#10;), a soft line break, as the text or a layer of it
// has it; or before two hex digits, the escape of a byte (=3D, and =3d,
// which decoders read too).
func qpAt[T string | []byte](text T, i int) bool {
	if text[i] != '=' || i+1 >= len(text) {
		return false
	}
	if isLoud[text[i+1]] {
		return true
	}
	_, ok := hexValue([]byte(text[i+1:min(len(text), i+3)]), 2)
	return ok
}

// hasQP reports whether text holds a quoted-printable escape of a byte
// (=XX).
func hasQP[T string | []byte](text T) bool {
	for i := 0; i+2 < len(text); i++ {
		if text[i] == '=' && isHex(text[i+1]) && isHex(text[i+2]) {
			return true
		}
	}
	return false
}

// isHex reports whether c is a hex digit, in either case.
func isHex(c byte) bool {
	_, ok := digitValue(c, 16)
	return ok
}

// softBreak reports whether b holds an "=" before a line break (a
// quoted-printable soft line break: joined(true) reads it).
func softBreak(b []byte) bool {
	for i := 1; i < len(b); i++ {
		if (b[i] == '\n' || b[i] == '\r') && b[i-1] == '=' {
			return true
		}
	}
	return false
}

// hasUnseen reports whether b holds a character joined takes out or
// reads otherwise: an invisible one, or one that stands for ASCII text
// (compat). With used (the bytes of the secrets looked for, needles),
// only where that may join pieces of a secret: an invisible character
// after a byte a secret holds, a character that stands for text all of
// whose bytes a secret holds (… is "...", which joins nothing where no
// secret holds a "."; ✏️ is a pencil and a variation selector after it).
func hasUnseen(b []byte, used *[256]bool) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if (used == nil || i > 0 && used[b[i-1]]) && (r != utf8.RuneError && invisible(r) || r == utf8.RuneError && n == 1) || variationRun(b[i:]) >= MinLen {
			return true
		}
		if a := compat(b[i:]); a != nil && (used == nil || allUsed(a, used)) {
			return true
		}
		i += n
	}
	return false
}

// allUsed reports whether used holds every byte of a.
func allUsed(a []byte, used *[256]bool) bool {
	for _, c := range a {
		if !used[c] {
			return false
		}
	}
	return true
}
