package redact

// This file holds the compat folding: a character that stands for an
// ASCII one (NFKC, a look-alike letter, a digit of another script), and
// the invisible characters a reader does not see.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// invisible reports whether r renders as nothing, so that it splits a
// secret unseen: a format character (Unicode Cf: a soft hyphen, a
// zero-width space or joiner, a bidirectional control, a byte order
// mark) or another default-ignorable one (the combining grapheme joiner
// U+034F, Hangul fillers) or a variation selector (U+FE0F); or a
// combining mark that sits on the character before it (Unicode Mn and
// Me: an accent, U+0301; an enclosing circle, U+20DD), which a reader
// reads past to the letter under it.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r)
}

// compat is the ASCII text the character b starts with (one beyond
// ASCII) stands for, or nil when it stands for none: under Unicode's
// compatibility decomposition (NFKD, as NFKC folds it: full-width ｋ and
// mathematical 𝐤 are k, ① is 1, ﬁ is fi, superscript ³ is 3), its
// combining marks left out (é is e and an accent: e; invisible), or as
// a letter of another script that looks like an ASCII one (lookAlike:
// Cyrillic а is a, and ё is e), which NFKC keeps; a decimal digit of
// another script (Unicode Nd: Arabic-Indic ٣, Devanagari ३), which NFKC
// keeps too, is the ASCII digit of its value; a negative circled or
// squared capital or a regional indicator (🅰, 🇦) is its letter; a blank NFKD does not
// make one (a space separator, Zs: the Ogham space mark; the braille
// blank U+2800, which renders as one) is a blank; a tag character
// (U+E0020-E007E) is the ASCII character of its code.
func compat(b []byte) []byte {
	d := norm.NFKD.Properties(b).Decomposition()
	if len(d) == 0 {
		r, _ := utf8.DecodeRune(b)
		if a := asciiOf(r); a != 0 {
			return []byte{a}
		}
		return nil
	}
	var out []byte
	for len(d) > 0 {
		r, n := utf8.DecodeRune(d)
		d = d[n:]
		switch {
		case ' ' <= r && r < utf8.RuneSelf:
			out = append(out, byte(r))
		case invisible(r):
		case asciiOf(r) != 0:
			out = append(out, asciiOf(r))
		default:
			return nil
		}
	}
	return out
}

// variationByte is the byte a variation selector stands for when a text
// hides bytes in them, one a byte (VS1-VS16, U+FE00-FE0F, are 0-15;
// VS17-VS256, U+E0100-E01EF, 16-255), and whether r is one.
func variationByte(r rune) (byte, bool) {
	switch {
	case 0xFE00 <= r && r <= 0xFE0F:
		return byte(r - 0xFE00), true
	case 0xE0100 <= r && r <= 0xE01EF:
		return byte(r - 0xE0100 + 16), true
	}
	return 0, false
}

// variationRun is how many variation selectors b starts with. A
// character takes one (an emoji's U+FE0F); MinLen or more in a row are
// bytes hidden in them (joined reads them as those bytes: data smuggled
// in an emoji).
func variationRun(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if _, ok := variationByte(r); !ok {
			return n
		}
		n++
		b = b[size:]
	}
	return n
}

// asciiOf is the ASCII character a character beyond ASCII that NFKD
// keeps as it is reads as (compat: a look-alike letter, a digit of
// another script, a blank), or 0.
func asciiOf(r rune) byte {
	switch {
	case r < utf8.RuneSelf:
		return 0
	case r <= maxLookAlike && lookAlike[r] != 0:
		return lookAlike[r]
	case r == '\u2800' || unicode.Is(unicode.Zs, r):
		return ' '
	case 0x1F150 <= r && r <= 0x1F169, 0x1F170 <= r && r <= 0x1F189, 0x1F1E6 <= r && r <= 0x1F1FF:
		// Negative circled and squared capitals (🅐, 🅰) and regional
		// indicators (🇦), which NFKD keeps and a reader reads as
		// letters.
		for _, a := range []rune{0x1F150, 0x1F170, 0x1F1E6} {
			if a <= r && r < a+26 {
				return byte('A' + r - a)
			}
		}
		return 0
	case 0xE0020 <= r && r <= 0xE007E:
		// A tag character (U+E0070 is a tag p), which renders as
		// nothing and is copied with the text ("ASCII smuggling").
		return byte(r - 0xE0000)
	}
	return digitOf(r)
}

// digitOf is the ASCII digit of r's value when r is a decimal digit
// (Unicode Nd), or 0. Unicode encodes each script's decimal digits as
// one run of ten code points from its zero (Unicode's stability policy:
// "Characters with the property value Numeric_Type=Decimal are ... in
// contiguous ranges of 10"), and unicode.Nd's ranges are such runs, or
// runs of them side by side (the mathematical digits): r's value is its
// offset from its range's start, modulo 10.
func digitOf(r rune) byte {
	if !unicode.Is(unicode.Nd, r) {
		return 0
	}
	for _, g := range unicode.Nd.R16 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) && g.Stride == 1 {
			return byte('0' + (r-rune(g.Lo))%10)
		}
	}
	for _, g := range unicode.Nd.R32 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) && g.Stride == 1 {
			return byte('0' + (r-rune(g.Lo))%10)
		}
	}
	return 0
}

// lookAlike are the letters of other scripts that look like an ASCII
// letter, and that letter: the prototypes Unicode's confusables give
// them (UTS #39, confusables.txt, whose skeleton maps U+0430 CYRILLIC
// SMALL LETTER A to a), limited to the Cyrillic, Greek and Latin letters
// that map to one ASCII letter. A secret written with them reads as the
// secret.
var lookAlike = map[rune]byte{
	// Cyrillic.
	'а': 'a', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'ӏ': 'l', 'о': 'o', 'р': 'p',
	'ԛ': 'q', 'ѕ': 's', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y',
	'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'О': 'O',
	'Р': 'P', 'Ԛ': 'Q', 'Ѕ': 'S', 'Т': 'T', 'Ԝ': 'W', 'Х': 'X', 'Ү': 'Y', 'Ӏ': 'l',
	// Greek.
	'α': 'a', 'ι': 'i', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u', 'γ': 'y',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	// Latin letters beyond ASCII that NFKC keeps.
	'ɑ': 'a', 'ɡ': 'g', 'ı': 'i', 'ȷ': 'j', 'ǀ': 'l', 'ɩ': 'i', 'ʏ': 'y',
	// Small capitals (Latin, phonetic), which "fancy text" writes
	// letters as and NFKC keeps: ᴘ reads as p.
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g', 'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm',
	'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p', 'ꞯ': 'q', 'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z',
}

// maxLookAlike is the greatest letter of lookAlike (the small capital
// ꞯ).
const maxLookAlike = 'ꞯ'

// skeleton is s as the joined view reads it: every character beyond
// ASCII that stands for ASCII text (compat: a lookAlike letter, a
// letter and its accent) written as that text, every invisible one (a
// combining mark) left out. A secret that holds such a character (ä) is
// found so where a view read the text so.
func skeleton(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch a := compat([]byte(s[i:])); {
		case r < utf8.RuneSelf || r == utf8.RuneError:
			b.WriteString(s[i : i+n])
		case a != nil:
			b.Write(a)
		case invisible(r):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
