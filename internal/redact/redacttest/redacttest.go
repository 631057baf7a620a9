// Package redacttest is for tests of what a run shows of a secret a
// server echoes: the ways a server may write it back (Echoes), in mixes no
// list of forms holds, and the check that a text holds no piece of it
// (Leak).
package redacttest

import (
	"encoding/ascii85"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// Echo is one way a server writes a secret back in an error.
type Echo struct {
	Name string
	// Form is the secret as the server wrote it.
	Form string
	// JSON is a JSON string literal (quotes included) of an error
	// message quoting it: "key FORM refused" with FORM either the text
	// of the message (JSON-encoded as Go does) or, for the \u mixes,
	// how the literal itself escapes the secret.
	JSON string
	// Record is a zone file's line (relative to the zone's origin) that
	// holds Form otherwise than as one TXT string (its pieces as the
	// character-strings of one TXT record, or as the labels of an owner
	// name), or "": a TXT record of Form (zone.Quote).
	Record string
}

// Echoes are the ways of writing secret back the tests plant: JSON with
// every other character \u-escaped (lower- and upper-case hex), a seeded
// random mix, percent-encoding of every byte or every other one with the
// hex case mixed, base64 (either alphabet, and inside an HTTP Basic
// credential), in upper and lower case, as hex, wrapped across lines,
// only its end, as HTML references (named, and numeric without ";"), with
// Markdown's backslash escapes, broken every 5 characters by a soft
// hyphen or a zero-width space, as 0x byte lists, CSS, octal and %u
// escapes, base64 of base64, spaced out, every character \u-escaped or a
// decimal reference without ";", split across <code> tags or Markdown
// emphasis, in full-width forms (all or every other character) or
// mathematical bold, base32, reversed, split across Markdown table
// cells, a link's percent-encoded URL, quoted-printable =XX escapes,
// Cyrillic and Greek look-alike letters, split by HTML comments or code
// spans, broken by a combining grapheme joiner, a variation selector or
// a bidirectional override, HTML hex references, percent-encoded twice,
// a record's \DDD, inside a URL's userinfo, a JSON key or an autolink,
// in groups of 4 or 5 between blanks, dashes or no-break spaces, spaced
// out by two blanks or ideographic spaces, as \u{..} or \U........
// escapes, with a combining accent on every character (composed or
// not), in groups between braille blanks, as U+XXXX code points or
// UTF-16 hex groups, its digits as superscripts, Arabic-Indic,
// Devanagari or mathematical digits, every byte \x-escaped, every
// character but digits a record's \X escape, as Unicode
// tag characters or as variation selectors one a byte, split by ANSI
// escapes or overstruck backspaces, as a list of decimal bytes or of its
// characters (Java, Python), base64 and hex of its UTF-16LE bytes,
// base32hex, ROT13, Ascii85, base58, base64 in groups, split across code
// spans whose fences are widened around the backticks it holds,
// Markdown-escaped twice (backslashes, decimal references, or both), its letters as small capitals or
// negative squared or circled letters, split across Markdown links, across the TXT records of one name, across
// the character-strings of one TXT record or the labels of an owner
// name (Record), every character but letters and digits \u-escaped
// (and that upper-cased: \U005F), a slash as \/, a URL's query as
// url.QueryEscape writes it (hex in either case), a URL with its slashes
// \/ and the key in it percent-encoded in either case, split by HTML
// comments or across links 11 characters a piece,
// each as text inside a JSON message, and
// the \u mixes also as the JSON message's own escapes.
func Echoes(secret string) []Echo {
	even := func(i int) bool { return i%2 == 0 }
	odd := func(i int) bool { return i%2 == 1 }
	never := func(int) bool { return false }
	always := func(int) bool { return true }
	rnd := rand.New(rand.NewSource(int64(len(secret))))
	coin := func(int) bool { return rnd.Intn(2) == 0 }
	runes := []rune(secret)
	punct := func(i int) bool {
		r := runes[i]
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}
	mixes := []Echo{
		{Name: `every other character \u-escaped`, Form: UEscape(secret, even, never)},
		{Name: `every other character \u-escaped, hex case mixed`, Form: UEscape(secret, odd, even)},
		{Name: `a random mix of \u escapes`, Form: UEscape(secret, coin, coin)},
	}
	var out []Echo
	for _, e := range mixes {
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + e.Form + " refused")})
		out = append(out, Echo{Name: e.Name + ", as the JSON's own escapes", Form: e.Form, JSON: `"key ` + e.Form + ` refused"`})
	}
	for _, e := range []Echo{
		{Name: "percent-encoded, hex case mixed", Form: PercentEscape(secret, always, odd)},
		{Name: "every other byte percent-encoded, hex case mixed", Form: PercentEscape(secret, even, even)},
		{Name: `percent-encoded, then every other character \u-escaped`, Form: UEscape(PercentEscape(secret, always, odd), even, odd)},
		// A server's JSON writer that escapes every character but
		// letters and digits (PHP's json_encode with JSON_HEX_*, Go's
		// \u003c for <), then upper-cases the message (\U005F); a
		// slash as PHP's json_encode writes it (\/); a URL's query as
		// Go writes it, its hex in either case.
		{Name: `every character but letters and digits \u-escaped`, Form: UEscape(secret, punct, never)},
		{Name: `every character but letters and digits \u-escaped, upper-cased (\U005F)`, Form: strings.ToUpper(UEscape(secret, punct, never))},
		{Name: `a slash as JSON's \/ (PHP's json_encode)`, Form: strings.ReplaceAll(secret, "/", `\/`)},
		{Name: "a URL's query as url.QueryEscape writes it", Form: url.QueryEscape(secret)},
		{Name: "a URL's query as url.QueryEscape writes it, hex in lower case", Form: lowerHex(url.QueryEscape(secret))},
	} {
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + e.Form + " refused")})
	}
	// Base64: the key itself, in either alphabet, and inside a longer
	// text (an HTTP Basic credential "user:key" echoed as the request
	// sent it): Form is the part of it that only the key decides.
	basic := base64.StdEncoding.EncodeToString([]byte("user:" + secret))
	for _, e := range []Echo{
		{Name: "base64", Form: base64.StdEncoding.EncodeToString([]byte(secret))},
		{Name: "base64url without padding", Form: base64.RawURLEncoding.EncodeToString([]byte(secret))},
		{Name: `base64 of "user:KEY" (HTTP Basic)`, Form: basic[7 : (5+len(secret))/3*4]},
	} {
		text := e.Form
		if strings.HasPrefix(e.Name, "base64 of") {
			text = "Basic " + basic
		}
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + text + " refused")})
	}
	// In another letter case (an API that upper-cases the token it
	// quotes), alone and \u-escaped in part, and as the hex of its bytes
	// in lower and upper case.
	upper := strings.ToUpper(secret)
	for _, e := range []Echo{
		{Name: "upper case", Form: upper},
		{Name: "lower case", Form: strings.ToLower(secret)},
		{Name: "upper case, every other character \\u-escaped", Form: UEscape(upper, even, never)},
		{Name: "hex", Form: hex.EncodeToString([]byte(secret))},
		{Name: "hex in upper case", Form: strings.ToUpper(hex.EncodeToString([]byte(secret)))},
	} {
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + e.Form + " refused")})
	}
	// Wrapped across lines (a long line broken where it was too wide, the
	// next one indented), and only its end (a text cut at its start).
	half := len(secret) / 2
	out = append(out,
		Echo{Name: "wrapped across lines", Form: secret[:half] + "\n  " + secret[half:], JSON: literal("key " + secret[:half] + "\n  " + secret[half:] + " refused")},
		Echo{Name: "only its end", Form: secret[4:], JSON: literal("key …" + secret[4:] + " refused")})
	// As a reader of HTML or Markdown reads it as the key: HTML
	// references (named where HTML names the character, else numeric
	// with their ";" left off), CommonMark's backslash escapes, and
	// broken every 5 characters by characters that render as nothing.
	for _, e := range []Echo{
		{Name: "HTML references, named and without ;", Form: HTMLReferences(secret)},
		{Name: "Markdown backslash escapes", Form: MarkdownEscapes(secret)},
		{Name: "a soft hyphen every 5 characters", Form: Every(secret, "\u00ad", 5)},
		{Name: "a zero-width space every 5 characters", Form: Every(secret, "\u200b", 5)},
	} {
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + e.Form + " refused")})
	}
	// Byte and character escapes of other languages and formats, and
	// what a reader reads as the key once Markdown or HTML is rendered.
	for _, e := range otherForms(secret) {
		out = append(out, Echo{Name: e.Name + ", in the message's text", Form: e.Form, JSON: literal("key " + e.Form + " refused"), Record: e.Record})
	}
	link := PercentEscape(secret, func(int) bool { return true }, func(int) bool { return false })
	out = append(out, Echo{Name: "a Markdown link's URL, percent-encoded", Form: link, JSON: literal("key [docs](https://api.example/k/" + link + ") refused")})
	// Inside a URL (its password, its query), a Markdown autolink or a
	// JSON object's key: Form is the key as the server wrote it there.
	query := PercentEscape(secret, func(int) bool { return false }, func(int) bool { return true })
	lowerPct, upperPct := PercentEscape(secret, always, never), PercentEscape(secret, always, always)
	for _, e := range []struct{ name, form, text string }{
		{"a URL's password, percent-encoded", query, "https://user:" + query + "@api.example/"},
		{"a URL's query, percent-encoded", query, "https://api.example/?key=" + query + "&x=1"},
		{"a Markdown autolink", query, "<https://api.example/k/" + query + ">"},
		{"a JSON object's key", secret, `{"` + secret + `": 1}`},
		// A URL a JSON body quotes with its slashes \/ (PHP's
		// json_encode), the key in its path percent-encoded in lower-
		// and upper-case hex.
		{`a URL with its slashes \/, percent-encoded in lower-case hex`, lowerPct, `https:\/\/api.example\/k\/` + lowerPct + `?x=1`},
		{`a URL with its slashes \/, percent-encoded in upper-case hex`, upperPct, `https:\/\/api.example\/k\/` + upperPct + `?x=1`},
	} {
		out = append(out, Echo{Name: e.name + ", in the message's text", Form: e.form, JSON: literal("key " + e.text + " refused")})
	}
	return out
}

// otherForms are the byte and character escapes of other languages and
// formats, and what a reader reads as the key once Markdown or HTML is
// rendered (Echoes: each in the message's text).
func otherForms(secret string) []Echo {
	return []Echo{
		{Name: "a list of 0x bytes", Form: ByteList(secret, "0x%02x", ", ")},
		{Name: "a list of 0X bytes, no blank", Form: ByteList(secret, "0X%02X", ",")},
		{Name: `CSS escapes (\5a and a blank)`, Form: EachRune(secret, `\%x `)},
		{Name: "octal escapes", Form: EachByte(secret, `\%03o`)},
		{Name: "%u escapes", Form: EachRune(secret, "%%u%04X")},
		{Name: "base64 of its base64", Form: base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte(secret))))},
		{Name: "a blank between every two characters", Form: Every(secret, " ", 1)},
		{Name: `every character \u-escaped`, Form: UEscape(secret, func(int) bool { return true }, func(i int) bool { return i%3 == 0 })},
		{Name: "every character a decimal HTML reference without ;", Form: EachRune(secret, "&#%d")},
		{Name: "split across <code> tags", Form: Split(secret, "<code>", "</code>")},
		{Name: "split by Markdown emphasis", Form: Split(secret, "*", "*")},
		{Name: "split by Markdown strong emphasis with _", Form: Split(secret, "__", "__")},
		{Name: "full-width forms (NFKC reads them as ASCII)", Form: FullWidth(secret)},
		{Name: "full-width forms every other character", Form: FullWidthEvery(secret, 2)},
		{Name: "mathematical bold letters and digits (NFKC reads them as ASCII)", Form: MathBold(secret)},
		{Name: "base32", Form: base32.StdEncoding.EncodeToString([]byte(secret))},
		{Name: "reversed", Form: Reverse(secret)},
		{Name: "split across Markdown table cells", Form: "| " + Every(secret, " | ", 5) + " |"},
		{Name: "quoted-printable =XX escapes of every third byte", Form: QuotedPrintable(secret, 3)},
		{Name: "quoted-printable =XX escapes of every byte, lower-case hex", Form: strings.ToLower(QuotedPrintable(secret, 1))},
		{Name: "Cyrillic and Greek look-alike letters", Form: LookAlikes(secret)},
		{Name: "split by HTML comments", Form: Every(secret, "<!-- -->", 5)},
		{Name: "split by HTML comments, 11 characters a piece (under MinCut)", Form: Every(secret, "<!-- -->", redact.MinCut-1)},
		{Name: "a combining grapheme joiner every 5 characters", Form: Every(secret, "\u034f", 5)},
		{Name: "a variation selector every 5 characters", Form: Every(secret, "\ufe0f", 5)},
		{Name: "a right-to-left override every 5 characters", Form: Every(secret, "\u202e", 5)},
		{Name: "HTML hex references with ;", Form: EachRune(secret, "&#x%x;")},
		{Name: "percent-encoded twice", Form: strings.ReplaceAll(PercentEscape(secret, func(int) bool { return true }, func(int) bool { return true }), "%", "%25")},
		{Name: "a record's \\DDD escapes", Form: EachByte(secret, `\%03d`)},
		{Name: "a record's \\X escape of every character but digits (RFC 1035 §5.1)", Form: RecordEscapes(secret)},
		{Name: "split across Markdown code spans", Form: Split(secret, "`", "`")},
		{Name: "in groups of 4, a blank between", Form: Every(secret, " ", 4)},
		{Name: "in groups of 5, a - between", Form: Every(secret, "-", 5)},
		{Name: "in groups of 4, a no-break space between", Form: Every(secret, "\u00a0", 4)},
		{Name: "two blanks between every two characters", Form: Every(secret, "  ", 1)},
		{Name: "an ideographic space between every two characters", Form: Every(secret, "\u3000", 1)},
		{Name: `JavaScript's and Rust's \u{..} escapes`, Form: EachRune(secret, `\u{%x}`)},
		{Name: `Python's and C's \U escapes of 8 digits`, Form: EachRune(secret, `\U%08X`)},
		{Name: "a combining acute accent on every character", Form: EachRune(secret, "%c\u0301")},
		{Name: "an accent on every character, composed where Unicode can (NFC)", Form: norm.NFC.String(EachRune(secret, "%c\u0301"))},
		{Name: "in groups of 4, a braille blank (U+2800) between", Form: Every(secret, "\u2800", 4)},
		{Name: "code points U+XXXX, a blank between", Form: strings.TrimSpace(EachRune(secret, "U+%04X "))},
		{Name: "code points U+XXXX, a comma between", Form: strings.TrimSuffix(EachRune(secret, "U+%04x,"), ",")},
		{Name: "code points U+XXXX run together", Form: EachRune(secret, "U+%04X")},
		{Name: "UTF-16 hex groups, a blank between", Form: strings.TrimSpace(EachRune(secret, "%04X "))},
		{Name: "UTF-16 hex groups run together", Form: EachRune(secret, "%04x")},
		{Name: "digits as superscripts", Form: Digits(secret, []rune("⁰¹²³⁴⁵⁶⁷⁸⁹"))},
		{Name: "digits as Arabic-Indic digits", Form: Digits(secret, []rune("٠١٢٣٤٥٦٧٨٩"))},
		{Name: "digits as Devanagari digits", Form: Digits(secret, []rune("०१२३४५६७८९"))},
		{Name: "digits as mathematical double-struck digits", Form: Digits(secret, []rune("𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡"))},
		{Name: `every byte \x-escaped (Go's %q of bytes)`, Form: EachByte(secret, `\x%02x`)},
		{Name: "as Unicode tag characters (invisible, U+E0000 and the ASCII code)", Form: Tags(secret)},
		{Name: "as variation selectors after an emoji, one a byte", Form: "\U0001F600" + VariationBytes(secret)},
		{Name: "split by ANSI SGR escapes every 5 characters (a terminal shows none)", Form: Every(secret, "\x1b[0m", 5)},
		{Name: "an x and a backspace every 5 characters (a terminal overstrikes it)", Form: Every(secret, "x\b", 5)},
		{Name: "a list of decimal bytes (the data of Node's Buffer as JSON)", Form: "[" + ByteList(secret, "%d", ",") + "]"},
		{Name: "a list of its characters (Java's Arrays.toString of a char[])", Form: "[" + Every(secret, ", ", 1) + "]"},
		{Name: "a list of its characters (Python's list of a str)", Form: "['" + Every(secret, "', '", 1) + "']"},
		{Name: "base64 of its UTF-16LE bytes (.NET's Encoding.Unicode, PowerShell)", Form: base64.StdEncoding.EncodeToString(utf16LE(secret))},
		{Name: "hex of its UTF-16LE bytes", Form: hex.EncodeToString(utf16LE(secret))},
		{Name: "base32hex (RFC 4648 §7, NSEC3's alphabet)", Form: base32.HexEncoding.EncodeToString([]byte(secret))},
		{Name: "ROT13", Form: ROT13(secret)},
		{Name: "Ascii85 (Adobe's <~ ~>, btoa)", Form: "<~" + ascii85Of(secret) + "~>"},
		{Name: "base58 (Bitcoin's alphabet)", Form: Base58(secret)},
		{Name: "split across Markdown links, 5 characters a link", Form: "[" + Every(secret, "](#) [", 5)},
		{Name: "split across Markdown links run together", Form: "[" + Every(secret, "](https://a.example/k)[", 5)},
		{Name: "split across Markdown links, 11 characters a link (under MinCut)", Form: "[" + Every(secret, "](#) [", redact.MinCut-1)},
		{Name: "its letters as small capitals (fancy text)", Form: SmallCaps(secret)},
		{Name: "its letters as negative squared letters (fancy text)", Form: LetterBlock(secret, 0x1F170)},
		{Name: "its letters as negative circled letters (fancy text)", Form: LetterBlock(secret, 0x1F150)},
		{Name: "base64 in groups of 4, a blank between", Form: Every(base64.StdEncoding.EncodeToString([]byte(secret)), " ", 4)},
		{Name: "split across Markdown code spans, each fence widened around the backticks it holds", Form: CodeSpans(secret)},
		{Name: "Markdown backslash escapes, twice", Form: MarkdownEscapes(MarkdownEscapes(secret))},
		{Name: "Markdown backslash escapes, then its Markdown marks as decimal references (a Markdown report's escape of text)", Form: PunctuationReferences(MarkdownEscapes(secret))},
		{Name: "its Markdown marks as decimal references, twice (a report's text escaped again)", Form: PunctuationReferences(PunctuationReferences(secret))},
		{Name: "its Markdown marks as decimal references, then Markdown backslash escapes", Form: MarkdownEscapes(PunctuationReferences(secret))},
		{Name: "split across the character-strings of one TXT record", Form: `"` + Every(secret, `" "`, 10) + `"`, Record: "k1 300 IN TXT " + quoteEach(pieces(secret, 10), " ")},
		{Name: "split across the TXT records of one name", Form: `"` + Every(secret, `" "`, 10) + `"`, Record: "k1 300 IN TXT " + quoteEach(pieces(secret, 10), "\nk1 300 IN TXT ")},
		{Name: "split across the labels of an owner name", Form: Every(secret, ".", 10), Record: quoteEach(pieces(secret, 10), ".") + ".acme.test. 300 IN TXT \"x\""},
	}
}

// SmallCaps is s with every ASCII letter that has a small capital
// (Unicode's phonetic and Latin Extended small capitals: ᴘ is P) written
// as it, the rest as it is.
func SmallCaps(s string) string {
	caps := map[rune]rune{'a': 'ᴀ', 'b': 'ʙ', 'c': 'ᴄ', 'd': 'ᴅ', 'e': 'ᴇ', 'f': 'ꜰ', 'g': 'ɢ', 'h': 'ʜ', 'i': 'ɪ', 'j': 'ᴊ', 'k': 'ᴋ', 'l': 'ʟ', 'm': 'ᴍ',
		'n': 'ɴ', 'o': 'ᴏ', 'p': 'ᴘ', 'q': 'ꞯ', 'r': 'ʀ', 's': 'ꜱ', 't': 'ᴛ', 'u': 'ᴜ', 'v': 'ᴠ', 'w': 'ᴡ', 'y': 'ʏ', 'z': 'ᴢ'}
	return strings.Map(func(r rune) rune {
		if c, ok := caps[unicode.ToLower(r)]; ok {
			return c
		}
		return r
	}, s)
}

// LetterBlock is s with every ASCII letter written as the letter of a
// block of 26 capitals from A at a (U+1F170: negative squared 🅰), the
// rest as it is.
func LetterBlock(s string, a rune) string {
	return strings.Map(func(r rune) rune {
		if u := unicode.ToUpper(r); 'A' <= u && u <= 'Z' {
			return a + u - 'A'
		}
		return r
	}, s)
}

// ROT13 is s with every ASCII letter moved 13 places in the alphabet:
// read off the two alphabets side by side, not counted as the
// redaction's cipherForms counts it (a kit that shared its code would
// share its mistakes).
func ROT13(s string) string {
	const (
		plain = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		moved = "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm"
	)
	return strings.Map(func(r rune) rune {
		if i := strings.IndexRune(plain, r); i >= 0 {
			return rune(moved[i])
		}
		return r
	}, s)
}

func ascii85Of(s string) string {
	b := make([]byte, ascii85.MaxEncodedLen(len(s)))
	return string(b[:ascii85.Encode(b, []byte(s))])
}

// Base58 is s's bytes as a number written in Bitcoin's base58 alphabet
// (no 0, O, I, l), a leading zero byte as 1. It is Bitcoin Core's
// EncodeBase58 (src/base58.cpp): the number kept as base-58 digits,
// most significant first, each byte of s multiplying them by 256 and
// adding itself ("b58 = b58 * 256 + ch"). The redaction's own encoder
// (redact's base58) divides a big.Int instead: written apart, so that
// neither passes by agreeing with the other's mistake; both are pinned
// to Bitcoin's vectors (TestKitBase58Vectors, TestBase58Vectors).
func Base58(s string) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	zeroes := len(s) - len(strings.TrimLeft(s, "\x00"))
	digits := make([]byte, (len(s)-zeroes)*138/100+1) // log(256)/log(58), rounded up
	for _, ch := range []byte(s[zeroes:]) {
		carry := int(ch)
		for i := len(digits) - 1; i >= 0; i-- {
			carry += 256 * int(digits[i])
			digits[i], carry = byte(carry%58), carry/58
		}
	}
	first := 0 // the number's leading zero digits are not written
	for first < len(digits) && digits[first] == 0 {
		first++
	}
	out := []byte(strings.Repeat("1", zeroes))
	for _, d := range digits[first:] {
		out = append(out, alphabet[d])
	}
	return string(out)
}

// utf16LE are the bytes of s in UTF-16, little-endian (.NET's
// Encoding.Unicode, Windows' wide strings).
func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// Tags is s with every ASCII character written as its Unicode tag
// character (U+E0000 plus its code: U+E0070 is a tag p), which renders as
// nothing and is copied with the text: "ASCII smuggling". The others are
// kept.
func Tags(s string) string {
	return strings.Map(func(r rune) rune {
		if ' ' <= r && r <= '~' {
			return 0xE0000 + r
		}
		return r
	}, s)
}

// VariationBytes is each byte of s written as a variation selector
// (VS1-VS16, U+FE00-FE0F, for 0-15; VS17-VS256, U+E0100-E01EF, for
// 16-255), which renders as nothing after the character it follows: the
// bytes of a text hidden in an emoji.
func VariationBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := rune(s[i]); c < 16 {
			b.WriteRune(0xFE00 + c)
		} else {
			b.WriteRune(0xE0100 + c - 16)
		}
	}
	return b.String()
}

// Digits is s with each ASCII digit written as the digit of the same
// value in digits (the ten digits of another form: superscripts,
// Arabic-Indic, mathematical), the rest as it is.
func Digits(s string, digits []rune) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return digits[r-'0']
		}
		return r
	}, s)
}

// pieces are s cut every n characters.
func pieces(s string, n int) []string {
	return strings.Split(Every(s, "\x00", n), "\x00")
}

// quoteEach writes each of ps as a zone file does when sep is a blank
// (a quoted character-string, every byte but printable ASCII, the quote
// and the backslash as \DDD: RFC 1035 §5.1) or, when sep is ".", as a
// label (every byte but a letter, a digit, - and _ as \DDD), joined by
// sep.
func quoteEach(ps []string, sep string) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		var b strings.Builder
		for j := 0; j < len(p); j++ {
			c := p[j]
			plain := c > ' ' && c <= '~' && c != '"' && c != '\\'
			if sep == "." {
				plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
			}
			if plain {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "\\%03d", c)
			}
		}
		out[i] = b.String()
		if sep != "." {
			out[i] = `"` + out[i] + `"`
		}
	}
	return strings.Join(out, sep)
}

// QuotedPrintable is s with every n-th byte (from the first), every byte
// beyond ASCII and every "=" written as quoted-printable's =XX escape
// (RFC 2045 §6.7: upper-case hex), the others as they are.
func QuotedPrintable(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; i%n == 0 || c >= utf8.RuneSelf || c == '=' {
			fmt.Fprintf(&b, "=%02X", c)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lookAlikes are Cyrillic and Greek letters that look like Latin ones
// (Unicode's confusables, UTS #39 confusables.txt: U+0430 CYRILLIC SMALL
// LETTER A is a, U+039A GREEK CAPITAL LETTER KAPPA is K).
var lookAlikes = map[rune]rune{
	'a': 'а', 'c': 'с', 'e': 'е', 'o': 'ο', 'p': 'р', 'x': 'х', 'y': 'у', 's': 'ѕ', 'i': 'і', 'j': 'ј', 'h': 'һ', 'd': 'ԁ', 'q': 'ԛ', 'w': 'ԝ', 'v': 'ν',
	'A': 'Α', 'B': 'В', 'C': 'С', 'E': 'Ε', 'H': 'Н', 'I': 'Ι', 'J': 'Ј', 'K': 'Κ', 'M': 'М', 'N': 'Ν', 'O': 'О', 'P': 'Р', 'S': 'Ѕ', 'T': 'Т', 'X': 'Χ', 'Y': 'Υ', 'Z': 'Ζ',
}

// LookAlikes is s with every letter that has a Cyrillic or Greek
// look-alike written as it (lookAlikes): a reader reads the key.
func LookAlikes(s string) string {
	return strings.Map(func(r rune) rune {
		if l, ok := lookAlikes[r]; ok {
			return l
		}
		return r
	}, s)
}

// FullWidth is s with each printable ASCII character but the blank
// written as its full-width form (U+FF01 to U+FF5E, the Halfwidth and
// Fullwidth Forms block: ｋｅｙ), which Unicode's compatibility
// normalization (NFKC) and a reader read as the ASCII character.
func FullWidth(s string) string { return FullWidthEvery(s, 1) }

// FullWidthEvery is s with every n-th character (from the first) that
// FullWidth writes full-width so written, the others as they are.
func FullWidthEvery(s string, n int) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		if i%n == 0 && '!' <= r && r <= '~' {
			r += 0xFF01 - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Reverse is s with its characters in reverse order.
func Reverse(s string) string {
	rs := []rune(s)
	slices.Reverse(rs)
	return string(rs)
}

// MathBold is s with its ASCII letters and digits written as Unicode's
// mathematical bold ones (U+1D400: 𝐤), which compatibility normalization
// (NFKC) reads as the ASCII ones.
func MathBold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			r += 0x1D400 - 'A'
		case 'a' <= r && r <= 'z':
			r += 0x1D41A - 'a'
		case '0' <= r && r <= '9':
			r += 0x1D7CE - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ByteList writes the bytes of s each in format, joined by sep (a C or
// Python list of bytes: 0x5a, 0x71).
func ByteList(s, format, sep string) string {
	parts := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		parts[i] = fmt.Sprintf(format, s[i])
	}
	return strings.Join(parts, sep)
}

// EachByte writes every byte of s in format (\%03o: octal escapes).
func EachByte(s, format string) string { return ByteList(s, format, "") }

// Split is s with every other run of 5 bytes between open and close (a
// key split across <code> tags, or emphasised in part: what a reader of
// the rendered text reads as the key).
func Split(s, open, close string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 5 {
		run := s[i:min(i+5, len(s))]
		if i/5%2 == 1 {
			run = open + run + close
		}
		b.WriteString(run)
	}
	return b.String()
}

// CodeSpans is s with every other run of 5 bytes written as a Markdown
// code span the way a renderer writes one around text that holds
// backticks (CommonMark 0.31 §6.1, https://spec.commonmark.org/0.31.2/#code-spans):
// a fence one backtick longer than the longest run of them the text
// holds, and a blank inside each end when the text starts or ends with
// a backtick (a fence of two backticks around " a`b ").
func CodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 5 {
		run := s[i:min(i+5, len(s))]
		if i/5%2 == 1 {
			longest := 0
			for _, r := range strings.FieldsFunc(run, func(r rune) bool { return r != '`' }) {
				longest = max(longest, len(r))
			}
			fence := strings.Repeat("`", longest+1)
			if strings.HasPrefix(run, "`") || strings.HasSuffix(run, "`") {
				run = " " + run + " "
			}
			run = fence + run + fence
		}
		b.WriteString(run)
	}
	return b.String()
}

// PunctuationReferences is s with the characters a Markdown report
// escapes in text (report.MarkdownText: & < > | ` \ * _ ~ [ ] ( ) !)
// written as decimal HTML references with their ";" (&#92; for \,
// &#38; for &), the rest (% : , among them) as it is.
func PunctuationReferences(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && strings.ContainsRune("&<>|`\\*_~[]()!", r) {
			fmt.Fprintf(&b, "&#%d;", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// htmlNames are the HTML names of ASCII punctuation (the WHATWG list of
// named character references).
var htmlNames = map[rune]string{
	'!': "excl", '#': "num", '$': "dollar", '%': "percnt", '(': "lpar", ')': "rpar", '*': "ast",
	'+': "plus", ',': "comma", '.': "period", '/': "sol", ':': "colon", ';': "semi", '=': "equals",
	'?': "quest", '@': "commat", '[': "lsqb", ']': "rsqb", '^': "Hat", '_': "lowbar", '`': "grave",
	'{': "lcub", '|': "vert", '}': "rcub", '<': "lt", '>': "gt", '&': "amp", '"': "quot", '\'': "apos",
}

// HTMLReferences writes s as HTML references: punctuation by its name,
// every other character as a decimal reference without its ";" (as HTML
// allows, when no digit follows) or with it, the rest as it is.
func HTMLReferences(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch name, ok := htmlNames[r]; {
		case ok:
			b.WriteString("&" + name + ";")
		case i%2 == 0 && (i+1 == len(rs) || rs[i+1] < '0' || rs[i+1] > '9'):
			fmt.Fprintf(&b, "&#%d", r)
		case i%2 == 0:
			fmt.Fprintf(&b, "&#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// asciiPunctuation are CommonMark's ASCII punctuation characters, those
// a backslash escapes.
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// MarkdownEscapes is s with a backslash before every ASCII punctuation
// character (CommonMark's escapes: GitHub renders a\_b as a_b).
func MarkdownEscapes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && strings.ContainsRune(asciiPunctuation, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// RecordEscapes is s with every character but a digit quoted by a
// backslash, as a record's presentation form may write it (RFC 1035
// §5.1: "\X where X is any character other than a digit"): \p\k\_7.
func RecordEscapes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < '0' || r > '9' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Every is s with sep after every n characters but the last: s cut into
// pieces of n characters joined by sep (written apart from the
// redaction's grouped).
func Every(s, sep string, n int) string {
	rs := []rune(s)
	var pieces []string
	for n > 0 && len(rs) > n {
		pieces, rs = append(pieces, string(rs[:n])), rs[n:]
	}
	return strings.Join(append(pieces, string(rs)), sep)
}

func literal(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// UEscape writes s as the content of a JSON string with the characters
// pick selects (and those JSON requires) \u-escaped, in upper-case hex
// where upper says, a character beyond U+FFFF as a surrogate pair.
func UEscape(s string, pick, upper func(i int) bool) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		if pick(i) || r == '"' || r == '\\' || r < ' ' {
			format := `\u%04x`
			if upper(i) {
				format = `\u%04X`
			}
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				fmt.Fprintf(&b, format+format, r1, r2)
			} else {
				fmt.Fprintf(&b, format, r)
			}
		} else {
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

// PercentEscape percent-encodes the bytes of s that pick selects (and
// those a URL needs encoded), in upper-case hex where upper says.
func PercentEscape(s string, pick, upper func(i int) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if pick(i) || c >= utf8.RuneSelf || c <= ' ' || strings.IndexByte(`%"\+&?#`, c) >= 0 {
			format := "%%%02x"
			if upper(i) {
				format = "%%%02X"
			}
			fmt.Fprintf(&b, format, c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Leak is the first piece of redact.MinCut bytes of a secret, or of a
// form of one, or of the hex of either's bytes, that text holds in any
// ASCII letter case (with some text around it), or "".
func Leak(text string, secrets ...string) string {
	low := lowerASCII(text)
	var all []string
	for _, s := range secrets {
		all = append(all, s, hex.EncodeToString([]byte(s)))
	}
	for _, s := range all {
		s = lowerASCII(s)
		if len(s) < redact.MinCut && s != "" && strings.Contains(low, s) {
			return s
		}
		for i := 0; i+redact.MinCut <= len(s); i++ {
			if j := strings.Index(low, s[i:i+redact.MinCut]); j >= 0 {
				return fmt.Sprintf("%q in …%s…", text[j:j+redact.MinCut], text[max(0, j-40):min(len(text), j+redact.MinCut+40)])
			}
		}
	}
	return ""
}

// lowerHex is s with the hex digits of its percent escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerASCII(string(b[i+1]))[0], lowerASCII(string(b[i+2]))[0]
		}
	}
	return string(b)
}

// lowerASCII is s with its ASCII letters in lower case (every byte
// where it stood): zone.Fold, which this kit cannot import (zone imports
// redact, and redact's folder stands below it).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// EachRune writes every character of s in format (%u%04X, a CSS escape:
// a character's code point).
func EachRune(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}
