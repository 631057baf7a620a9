package redact

// This file holds Forms: the forms a secret takes on the way out (base64,
// URL-, JSON-, HTML-escaped, hex, and as the run's own outputs escape it).

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Forms are the ways secret may appear in what a run writes: as it is;
// base64-encoded (standard and URL alphabets, padded or not, and inside a
// longer base64 text at each of the three byte offsets, as in an HTTP
// Basic credential "user:secret"); URL-encoded (query and path, hex in
// upper and lower case: %2F, %2f); escaped in a JSON string (with and
// without HTML escaping, the solidus as / and \/, and every character
// beyond ASCII as it is or \u00e4 or \u00E4, as Go, Python's json.dumps,
// PHP's json_encode and Jackson write them), and with every character but
// letters and digits \u-escaped (\u002f, servers that escape any
// character) or one punctuation character (.NET's \u002B, Gson's
// \u003d); quoted by Go's %q; with HTML entities (named, as
// html.EscapeString writes them, and numeric, as Markdown escaping writes
// punctuation: &#95; for _); in upper and lower case; and as the hex of
// its bytes (and, when secret is itself base64, a TSIG secret, of the
// bytes it encodes), in lower and upper case.
func Forms(secret string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	add(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		add(enc.EncodeToString([]byte(secret)))
	}
	for _, f := range base64Shifted(secret) {
		add(f)
	}
	for _, u := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		add(u)
		add(lowerPercent(u)) // encoders that write %2f, not %2F
	}
	var plain string // the JSON form without HTML escapes
	for _, escHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escHTML)
		if enc.Encode(secret) == nil {
			js := strings.TrimSuffix(b.String(), "\n")
			js = js[1 : len(js)-1]
			plain = js
			// As Go writes it, and ASCII-only as Python's json.dumps and
			// PHP's json_encode write it (\u00e4), or Jackson (\u00E4).
			for _, f := range []string{js, jsonUnicode(js, nonASCII, lowerU), jsonUnicode(js, nonASCII, upperU)} {
				add(f)
				add(strings.ReplaceAll(f, "/", `\/`)) // encoders that escape the solidus (PHP)
			}
		}
	}
	for _, format := range []string{lowerU, upperU} {
		// Every character but letters and digits escaped (servers that
		// write \u002f for any character).
		add(jsonUnicode(secret, notAlnum, format))
		// One punctuation character escaped that JSON does not require,
		// with or without everything beyond ASCII (.NET writes + as
		// \u002B, Gson = as \u003d), the quote, the backslash and
		// control characters escaped as Go does (\") or as \u too.
		required := func(r rune) bool { return r < ' ' || r == '"' || r == '\\' }
		for _, js := range []string{plain, jsonUnicode(secret, required, format)} {
			for _, c := range punctuation(secret) {
				add(jsonUnicode(js, func(r rune) bool { return r == c }, format))
				add(jsonUnicode(js, func(r rune) bool { return r == c || nonASCII(r) }, format))
			}
		}
	}
	q := strconv.Quote(secret)
	add(q[1 : len(q)-1])
	add(html.EscapeString(secret))
	add(numericEntities(secret, false))
	add(numericEntities(secret, true))
	// Another letter case (a server that upper-cases a token it quotes)
	// and hex (of the secret's bytes, and of the bytes a base64 secret
	// encodes), each in lower and upper case. Replace finds every form
	// in any letter case anyway; these are for OnAdd (the runner masks
	// what it is given, as given).
	add(strings.ToUpper(secret))
	add(strings.ToLower(secret))
	for _, h := range hexForms(secret) {
		add(h)
		add(strings.ToUpper(h))
	}
	return out
}

// base64Shifted are the parts of base64(prefix + secret + suffix) that do
// not depend on the prefix or the suffix, for prefixes of 0, 1 and 2
// bytes: how a secret looks inside a longer base64 text.
func base64Shifted(secret string) []string {
	var out []string
	for shift := 0; shift < 3; shift++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, shift), secret...))
		// The first characters mix the prefix in: 4 characters cover 3
		// bytes, so skip ceil(shift*4/3) of them.
		start := (shift*4 + 2) / 3
		// The last full group of the secret ends at byte shift+len; the
		// characters after the last complete 3-byte group may mix the
		// suffix in.
		end := ((shift + len(secret)) / 3) * 4
		if end-start >= 2*MinLen {
			out = append(out, enc[start:end])
		}
	}
	return out
}

// lowerPercent is a percent-encoded text with its hex digits in lower case.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonUnicode is s with every character that escape selects written as a
// JSON \u escape in format (its UTF-16 code units: a surrogate pair
// beyond U+FFFF); the rest is kept.
func jsonUnicode(s string, escape func(rune) bool, format string) string {
	var b strings.Builder
	for _, r := range s {
		if !escape(r) {
			b.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			fmt.Fprintf(&b, format+format, r1, r2)
		} else {
			fmt.Fprintf(&b, format, r)
		}
	}
	return b.String()
}

// The formats of a JSON \u escape: lower- and upper-case hex.
const (
	lowerU = "\\u%04x"
	upperU = "\\u%04X"
)

// punctuation are the ASCII punctuation and symbol characters s holds but
// '"' and '\\', each once.
func punctuation(s string) []rune {
	var out []rune
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r)) && r != '"' && r != '\\' && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// nonASCII selects what an ASCII-only JSON encoder escapes in an encoded
// string: DEL and everything beyond ASCII.
func nonASCII(r rune) bool { return r > '~' }

// notAlnum selects every character but ASCII letters and digits.
func notAlnum(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}

// isTime reports whether v is a time as encoding/json writes one.
func isTime(v string) bool {
	// The layout's year is four digits and a '-', and nothing shorter
	// than 2006-01-02T15:04:05Z parses: a report's other values fail
	// here, not in time.Parse (whose error cost Plain a tenth of its
	// bytes on a large plan, bench/plain).
	if len(v) < len("2006-01-02T15:04:05Z") || v[4] != '-' || !isDigits(v[:4]) {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, v)
	return err == nil
}

// isDigits reports whether s is ASCII digits only.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numericEntities is s with every ASCII punctuation character written as
// a decimal (or hex) HTML entity.
func numericEntities(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && unicode.IsPunct(r) || r < utf8.RuneSelf && unicode.IsSymbol(r) {
			if hex {
				fmt.Fprintf(&b, "&#x%x;", r)
			} else {
				fmt.Fprintf(&b, "&#%d;", r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
