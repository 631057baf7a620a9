package redact

// This file holds the needles: the forms of the secrets a server's text
// is searched for (whole, in pieces of MinCut bytes, encoded, grouped),
// with the filter of their heads.

import (
	"encoding/base32"
	"encoding/base64"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxLayers bounds the decoding of one text (a secret JSON-escaped inside
// a percent-encoded JSON text is three).
const maxLayers = 4

// serverSecrets are the distinct secrets of vs worth looking for (each
// line of a multi-line one too), and each one's base64, base32 and hex
// forms (hexForms) and the secret reversed, all case folded (fold): mark finds them in a folded layer,
// so in any letter case.
func serverSecrets(vs []string) *needles {
	seen := map[string]bool{}
	var out, wide []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, v := range vs {
		for _, c := range candidates(v) {
			if len(c) >= MinLen && strings.TrimSpace(c) != "" {
				add(fold(c))
				// As the joined view reads it: a secret that holds a
				// look-alike letter (Cyrillic а) has it as the ASCII
				// one there.
				add(fold(skeleton(c)))
				// Base64, and base64 of its base64 (a credential
				// encoded twice: a Basic header's value encoded again).
				for _, f := range base64Forms(c) {
					add(fold(f))
				}
				// Base64 of its UTF-16LE bytes (.NET's
				// Encoding.Unicode, PowerShell's -EncodedCommand).
				for _, f := range base64Forms(utf16LE(c)) {
					add(fold(f))
				}
				for _, b := range []string{base64.StdEncoding.EncodeToString([]byte(c)), base64.RawStdEncoding.EncodeToString([]byte(c))} {
					for _, f := range base64Forms(b) {
						add(fold(f))
					}
				}
				for _, f := range hexForms(c) {
					add(f)
				}
				for _, f := range codePointForms(c) {
					add(f)
				}
				// Base32 (RFC 4648), the secret reversed, in groups,
				// as a list of its characters, and in the encodings of
				// cipherForms and ascii85Forms, of a secret longer
				// than MinCut only: no piece of it is ordinary text (a
				// short key reversed may be a word).
				if len(c) > MinCut {
					for _, f := range base32Forms(c) {
						add(fold(f))
					}
					add(fold(reverse(c)))
					for _, f := range withoutForms(c) {
						add(fold(f))
					}
					for _, f := range groupedForms(c) {
						add(fold(f))
					}
					// Its base64 in groups of 4, a blank between
					// (groups split by line breaks joined reads
					// whole), unpadded: an "=" a needle holds ends no
					// chunk, and reports hold many (with it,
					// BenchmarkReplaceLargeReport took 1.86 times as
					// long, measured here).
					add(fold(grouped(base64.RawStdEncoding.EncodeToString([]byte(c)), 4, " ")))
					for _, f := range listForms(c) {
						if f = fold(f); !seen[f] {
							seen[f] = true
							wide = append(wide, f)
						}
					}
					for _, f := range cipherForms(c) {
						add(fold(f))
					}
					for _, f := range ascii85Forms(c) {
						if f = fold(f); !seen[f] {
							seen[f] = true
							wide = append(wide, f)
						}
					}
				}
			}
		}
	}
	n := newNeedles(out, wide)
	n.forms = out
	for _, v := range vs {
		for i := 0; i < len(v); i++ {
			if c := v[i]; strings.IndexByte(plainSeps, c) >= 0 {
				n.held[c] = true
			}
		}
	}
	n.keep = heldEscapesOf(vs)
	n.layered = layeredOf(n)
	return n
}

// withoutForms are c as the views that take bytes out of a text read
// it: without the plain separators, the marks and the HTML tags it
// holds (each of MinCut bytes or more, and other than c).
func withoutForms(c string) []string {
	var out []string
	u, tagged := untagged(c)
	for _, drop := range []func(byte) bool{
		// Without the plain separators it holds, as the reading with
		// them all taken out reads it (unheld: "wJalrXU/tnFEMI//K7MDENG"
		// by "/").
		func(b byte) bool { return strings.IndexByte(plainSeps, b) >= 0 },
		// Without the marks it holds that uncelledAt takes out wherever
		// they stand (| " . [ ]: no heldMark), as the reading across
		// cells reads it: a password holding a dot or a bar split across
		// a TXT record's strings right after it ("pa55.w" "rd").
		func(b byte) bool { return isUncelled[b] && !isHeldMark[b] },
		// Without the render marks it holds, as the rendered view that
		// takes every mark out reads it: a password holding a * split by
		// * emphasis (Zq9*L*m3~Vx*7): its pieces between the marks are
		// each under MinCut.
		func(b byte) bool { return allMarks[b] },
	} {
		if t, ok := without(c, drop); ok {
			out = append(out, t)
			if u, ok := untagged(t); ok {
				out = append(out, u)
			}
		}
		// The tags taken out first, as the views read it (uncelledAt,
		// rendered): taking a tag's own blank, - or : out first breaks
		// it ("<a b=1>" reads "<ab=1>"), so untagged no longer finds it.
		if tagged {
			if t, ok := without(u, drop); ok {
				out = append(out, t)
			}
		}
	}
	// Without the HTML tags and comments it holds, as the views that
	// take tags out read it (rendered, uncelledAt) and as GitHub shows
	// it: a tag HTML's allowlist lacks is taken out, its text kept, so
	// "p<ss>w&rd_..." split by comments or across links reads
	// "pw&rd_..." joined (untagged); and, above, without its marks or
	// separators too (a password holding a * and a tag, split by *
	// emphasis: the view that takes every mark out takes its tag out
	// too).
	if tagged {
		out = append(out, u)
	}
	return out
}

// without is c with the ASCII bytes drop picks taken out, and whether
// that is another text of at least MinCut bytes.
func without(c string, drop func(byte) bool) (string, bool) {
	t := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && drop(byte(r)) {
			return -1
		}
		return r
	}, c)
	return t, t != c && len(t) >= MinCut
}

// untagged is c with every HTML tag and comment it holds (htmlTag)
// taken out, and whether that is another text of at least MinCut bytes.
// GitHub's Markdown keeps an inline tag (GFM 0.29 §6.10,
// https://github.github.com/gfm/#raw-html: "<ss>" is an open tag) and
// its sanitization then removes every element its allowlist lacks and
// keeps the text inside (https://github.com/github/markup#html-sanitization:
// "HTML elements not in the whitelist are removed"; seen on GitHub.com,
// https://github.com/github/cmark-gfm/issues/287: <i><small>test</small></i>
// renders as <i>test</i>), so a secret that holds one is shown without it.
func untagged(c string) (string, bool) {
	var b strings.Builder
	cb := []byte(c) // once: a copy of the rest at each '<' is quadratic
	var ms markupScan
	for i := 0; i < len(c); i++ {
		if c[i] == '<' {
			if n := tagAt(cb[i:], false, &ms); n > 0 {
				i += n - 1
				continue
			}
		}
		b.WriteByte(c[i])
	}
	t := b.String()
	return t, t != c && len(t) >= MinCut
}

// needles are what mark looks for: each secret (a folded form) of
// MinCut bytes or fewer whole, and every piece of MinCut bytes of each
// longer one, wherever it stands in it (a text cut inside the secret,
// at its end, at its start or at both: a fixed-width excerpt of its
// middle), each match then extended over as much of the secret as the
// text holds on either side.
type needles struct {
	// forms are the secrets' forms (folded) the needles were made of.
	forms  []string
	whole  []string
	pieces map[string][]piece
	// heads are the pieces' first bytes: a position whose bytes it
	// has not starts no piece.
	heads headSet
	// marks are the render marks (renderMarks but <) no secret holds,
	// in either letter case: rendered takes them out.
	marks [256]bool
	// barrier is set for each byte that no layer's match can span and
	// no escape reads past (markDecoded's chunks): ASCII neither a
	// needle's (in either letter case), nor a letter or digit, nor a
	// blank or a line break (joined takes them out), nor what starts
	// or ends an escape or a character reference (\ % & + # ; { }), nor ! or - (an HTML comment),
	// nor ] or ? (a CDATA section's "]]>", a processing instruction's
	// "?>": the construct rendered takes out whole, TestLongMarkup),
	// nor ESC, [ or a backspace (a terminal's control: joined; ESC
	// may stand escaped before its [, \u001b[). An "="
	// before a line break or an escape is none either (markDecoded,
	// softBreakAt): a quoted-printable soft line break, which
	// joined(true) takes out. Nor one of cellMarks when cells.
	barrier [256]bool
	// used is set for each byte a secret holds (an ASCII letter in
	// either case): hasUnseen.
	used [256]bool
	// held is set for each mark a secret holds that uncelledAt then
	// keeps (heldMark): a ', a backtick, a * or a ~ any form holds
	// (used), a plain separator (plainSeps) a secret as given holds.
	// Not a separator only a form holds (a hex form's ":", the URL
	// alphabet's "-"): the secret in pieces is read across it, and such
	// a form, in pieces, is read as the form run together (a needle too).
	held [256]bool
	// wide is set for each byte a wide form holds (newNeedles), which
	// withCells ends no chunk at.
	wide [256]bool
	// cells: a text is also read across the | of Markdown table cells,
	// the quotes between strings and the dots between labels
	// (markUncelled). ServerText's and InPublic's needles only: their texts are short,
	// and read at the source; Replace reads whole reports, each row of
	// whose tables it would read twice (BenchmarkReplaceMarkdownLargeReport
	// took 2.3 to 2.9 times as long).
	cells bool
	// layers: a chunk is read in its decoded layers, and of the views
	// (markViews) only the text as it stands past its invisible
	// characters (markUnseen):
	// markCells' reading of the chunks a join made, which in a whole
	// report are long (every view of them took
	// BenchmarkReplaceLargeReport twice as long, measured here).
	layers bool
	// layered is these needles read in layers only (layeredOf), made
	// once by serverSecrets; nil: make it when needed.
	layered *needles
	// gate, when set, clears a chunk no reading of which can hold a
	// needle (markChunk): the run's set's (Secrets.finders).
	gate *gate
	// keep are the escapes the secrets hold (nil: none), which a
	// chain also reads as text (mode.keep).
	keep *heldEscapes
}

// headSet is a filter of texts by their first 4 bytes (a bit for each
// hash of them): a position of a text whose bytes it has not starts
// none of the texts put in it, and one whose bytes it has may. It lets
// mark look the texts up only where one may start.
type headSet []uint64

// headBits is the size of a headSet in bits.
const headBits = 1 << 18

func newHeadSet() headSet { return make(headSet, headBits/64) }

// headHash is the bit of a headSet for the 4 bytes b starts with.
func headHash(b []byte) uint32 {
	v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	return (v * 2654435761) >> (32 - 18)
}

// put adds b's first 4 bytes.
func (h headSet) put(b []byte) {
	k := headHash(b)
	h[k/64] |= 1 << (k % 64)
}

// may reports whether b's first 4 bytes were put: b may start a text.
func (h headSet) may(b []byte) bool {
	k := headHash(b)
	return h[k/64]&(1<<(k%64)) != 0
}

// piece is where a piece of MinCut bytes stands in a secret.
type piece struct {
	secret string
	at     int
}

// newNeedles are the needles of secrets and of wide, forms written in
// an alphabet of nearly every ASCII character (Ascii85) or with
// punctuation between every two characters (listForms: quotes and
// commas), whose bytes do not count as a secret's (used, barrier,
// marks): they would leave no
// byte to end a chunk at, and every chunk of a large text would be
// decoded (BenchmarkReplaceLargeReport took 4 times as long with
// Ascii85's, 1.4 times with listForms'). Replace
// finds a wide form in the text as it is and in a decoded layer within
// a chunk; ServerText and InPublic, whose texts are short, in every
// layer (withCells).
func newNeedles(secrets, wide []string) *needles {
	n := &needles{pieces: map[string][]piece{}, heads: newHeadSet()}
	var used [256]bool
	for k, s := range append(slices.Clip(secrets), wide...) {
		for i := 0; i < len(s); i++ {
			if k < len(secrets) {
				used[s[i]] = true
			} else {
				n.wide[s[i]] = true
			}
		}
		if len(s) <= MinCut {
			n.whole = append(n.whole, s)
			continue
		}
		for i := 0; i+MinCut <= len(s); i++ {
			n.pieces[s[i:i+MinCut]] = append(n.pieces[s[i:i+MinCut]], piece{s, i})
			n.heads.put([]byte(s[i : i+4]))
		}
	}
	for c := 0; c < utf8.RuneSelf; c++ {
		lower := c
		if 'A' <= c && c <= 'Z' {
			lower += 'a' - 'A'
		}
		n.barrier[c] = !used[c] && !used[lower] && !isAlnum(byte(c)) && strings.IndexByte(" \t\\%&+#;!-{}[]?"+joinBytes+renderMarks+">/", byte(c)) < 0
		n.marks[c] = c != '<' && isRenderMark[c] && !used[c]
		n.used[c] = used[c] || used[lower]
		n.held[c] = n.used[c] && strings.IndexByte("'`*~", byte(c)) >= 0
	}
	for c := utf8.RuneSelf; c < len(used); c++ {
		n.used[c] = used[c]
	}
	return n
}

// empty: there is nothing to look for.
func (n *needles) empty() bool { return n == nil || len(n.whole) == 0 && len(n.pieces) == 0 }

// base64Forms are how secret looks base64-encoded, which no layer
// decodes (a server echoing a header as the request sent it, an HTTP
// Basic credential "user:secret"): in the standard and the URL alphabet,
// padding left off (the match extends over what follows), on its own
// (whatever its length: a short secret is looked for whole, and so is
// its base64, an HTTP Basic credential "user:pw" of 6 bytes too) and
// inside a longer text at each byte offset (base64Shifted, MinCut
// characters or more: a shorter part the secret decides may be any
// base64 text's).
func base64Forms(secret string) []string {
	url := strings.NewReplacer("+", "-", "/", "_")
	whole := base64.RawStdEncoding.EncodeToString([]byte(secret))
	out := []string{whole, url.Replace(whole)}
	for _, f := range base64Shifted(secret) {
		if len(f) >= MinCut {
			out = append(out, f, url.Replace(f))
		}
	}
	return out
}

// base32Forms are how secret looks base32-encoded (RFC 4648's
// alphabet, and its extended hex one, base32hex, which NSEC3 writes
// hashed names in; letter case folds), padding left off, on its own and inside
// a longer text at each byte offset: the characters of complete 5-byte
// groups that only the secret decides, as base64Shifted for base64.
func base32Forms(secret string) []string {
	var out []string
	for _, e := range []*base32.Encoding{base32.StdEncoding, base32.HexEncoding} {
		out = append(out, e.WithPadding(base32.NoPadding).EncodeToString([]byte(secret)))
		for shift := 1; shift < 5; shift++ {
			enc := e.EncodeToString(append(make([]byte, shift), secret...))
			// 8 characters cover 5 bytes: the first ceil(shift*8/5)
			// mix the prefix in, those after the last complete group
			// the suffix.
			start, end := (shift*8+4)/5, ((shift+len(secret))/5)*8
			if end-start >= 2*MinLen {
				out = append(out, enc[start:end])
			}
		}
	}
	return out
}

// groupedForms are secret written in groups of every size from 3 to
// MinCut-1 characters from its start (7 and 9 too), a blank or a "-"
// between them ("pk_7 Hq2m Z9wX", as keys are shown to be read or
// typed): no piece of it between the separators is MinCut long. Reading
// across plain separators (plainSeps) finds such groups too, but not
// of a secret that holds the separator itself (heldMark keeps it:
// "pk-Split7Hq2" in groups of 7 by "-"). (Groups split by a line break,
// or by blanks beyond ASCII, joined reads as these.)
func groupedForms(secret string) []string {
	var out []string
	for n := 3; n < MinCut; n++ {
		for _, sep := range []string{" ", "-"} {
			out = append(out, grouped(secret, n, sep))
		}
	}
	return out
}

// grouped is s in groups of n characters from its start, sep between
// them.
func grouped(s string, n int, sep string) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		if i > 0 && i%n == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reverse is s with its characters in reverse order.
func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}
