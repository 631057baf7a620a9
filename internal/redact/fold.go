package redact

import (
	"encoding/ascii85"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// fold is s with its letters in lower case wherever that keeps a
// character's length in bytes (every ASCII letter, and most beyond:
// Ä and ä are both two bytes), so that a byte of fold(s) stands where
// the byte of s it came from stood. Secrets are found in the folded text
// among their folded forms: a server that writes a key in another letter
// case (an API that upper-cases a token it quotes in an error, a hex
// form in upper case) still has it masked. A character whose other case
// has another length (the Kelvin sign K, 3 bytes, and k) is kept as it
// is, as are bytes that are not UTF-8.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			return string(foldBytes(s))
		}
	}
	return s
}

// foldBytes is fold for a byte slice or a string (read where it
// stands: no copy of a text is made to fold it); b itself is left
// unchanged.
func foldBytes[T string | []byte](b T) []byte {
	out := make([]byte, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out[i] = c
			i++
			continue
		}
		end := min(i+utf8.UTFMax, len(b))
		r, n := utf8.DecodeRuneInString(string(b[i:end]))
		if l := unicode.ToLower(r); r != utf8.RuneError && l != r && utf8.RuneLen(l) == n {
			utf8.EncodeRune(out[i:], l)
		} else {
			copy(out[i:i+n], b[i:i+n])
		}
		i += n
	}
	return out
}

// hexForms are secret as the hex of its bytes, and, when secret is
// base64 (a TSIG secret), of the bytes it encodes: a server that prints
// a key it holds as hex, the bytes run together or separated by ':', ' '
// or '-' (as key dumps and fingerprints are written), or as a list of
// 0x bytes (0x5a, 0x71) or of decimal ones (90, 113). Lower case:
// matching folds case, and Forms adds the upper-case forms for the
// runner's masks.
func hexForms(secret string) []string {
	raws := [][]byte{[]byte(secret)}
	if raw, err := base64.StdEncoding.DecodeString(secret); err == nil && len(raw) >= MinLen {
		raws = append(raws, raw)
	}
	var out []string
	for _, raw := range raws {
		h := hex.EncodeToString(raw)
		out = append(out, h)
		for _, sep := range []string{":", " ", "-"} {
			var b strings.Builder
			for i := 0; i < len(h); i += 2 {
				if i > 0 {
					b.WriteString(sep)
				}
				b.WriteString(h[i : i+2])
			}
			out = append(out, b.String())
		}
		// A list of bytes as C, Python or JavaScript write one
		// (0x5a, 0x71), and in decimal (90, 113: Node's Buffer as
		// JSON, Python's list of bytes).
		for _, sep := range []string{", ", ",", " "} {
			var b, d strings.Builder
			for i := 0; i < len(h); i += 2 {
				if i > 0 {
					b.WriteString(sep)
					d.WriteString(sep)
				}
				b.WriteString("0x" + h[i:i+2])
				fmt.Fprint(&d, raw[i/2])
			}
			out = append(out, b.String(), d.String())
		}
	}
	return out
}

// codePointForms are secret as a list of its code points (U+0070
// U+006B, as Unicode writes a character, 4 hex digits or more) and as
// the hex of its UTF-16 code units in groups of 4 (0070 006B, a
// UTF-16BE dump: a surrogate pair beyond U+FFFF), each run together or
// separated by a blank, a comma, or a comma and a blank. Lower case:
// matching folds case.
func codePointForms(secret string) []string {
	var points, units []string
	for _, r := range secret {
		points = append(points, fmt.Sprintf("u+%04x", r))
		for _, u := range utf16.Encode([]rune{r}) {
			units = append(units, fmt.Sprintf("%04x", u))
		}
	}
	var out []string
	for _, sep := range []string{"", " ", ",", ", "} {
		out = append(out, strings.Join(points, sep), strings.Join(units, sep))
	}
	return out
}

// listForms are secret as a list of its characters, as languages print
// one: Java's Arrays.toString of a char[] ("p, k, /"), Python's list of a
// str ("'p', 'k', '/'"), JSON's array ("\"p\",\"k\""), run together by
// a comma and a blank or a comma alone.
func listForms(secret string) []string {
	var out []string
	for _, q := range []string{"", "'", `"`} {
		for _, sep := range []string{", ", ","} {
			out = append(out, q+grouped(secret, 1, q+sep+q)+q)
		}
	}
	return out
}

// utf16LE is s in UTF-16, little-endian (.NET's Encoding.Unicode,
// Windows' wide strings), as a string of bytes.
func utf16LE(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

// cipherForms are secret in the other encodings a text may hide it in:
// ROT13 (its letters moved 13 places) and base58 (Bitcoin's alphabet:
// the secret's bytes as one number, so on its own only); Ascii85 is
// ascii85Forms.
func cipherForms(secret string) []string {
	rot := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return 'a' + (r-'a'+13)%26
		case 'A' <= r && r <= 'Z':
			return 'A' + (r-'A'+13)%26
		}
		return r
	}, secret)
	return []string{rot, base58(secret)}
}

// ascii85Forms are secret in Ascii85 (Adobe's, btoa): on its own, whole,
// and inside a longer text at each byte offset, the characters of
// complete 4-byte groups only the secret decides (as base64Shifted).
// Its alphabet is nearly every ASCII character: newNeedles's wide.
func ascii85Forms(secret string) []string {
	whole := make([]byte, ascii85.MaxEncodedLen(len(secret)))
	out := []string{string(whole[:ascii85.Encode(whole, []byte(secret))])}
	for shift := 1; shift < 4; shift++ {
		src := append(make([]byte, shift), secret...)
		enc := make([]byte, ascii85.MaxEncodedLen(len(src)))
		enc = enc[:ascii85.Encode(enc, src)]
		// 5 characters cover 4 bytes: the first ceil(shift*5/4) mix
		// the prefix in, those after the last complete group the
		// suffix. (A group of four zero bytes is written "z": none
		// is, after a prefix shorter than 4 bytes, unless the secret
		// holds one.)
		start, end := (shift*5+3)/4, min(len(enc), ((shift+len(secret))/4)*5)
		if end-start >= 2*MinLen {
			out = append(out, string(enc[start:end]))
		}
	}
	return out
}

// base58 is b's bytes as a number written in Bitcoin's base58 alphabet
// (no 0, O, I or l), each leading zero byte as a 1.
func base58(b string) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int).SetBytes([]byte(b))
	var out []byte
	for mod, base := new(big.Int), big.NewInt(58); n.Sign() > 0; {
		n.DivMod(n, base, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for i := 0; i < len(b) && b[i] == 0; i++ {
		out = append(out, '1')
	}
	slices.Reverse(out)
	return string(out)
}
