package zone

// Fold lower-cases the ASCII letters of a domain name and leaves every other
// octet alone: DNS names compare case-insensitively for ASCII only (RFC 4343
// §3); strings.ToLower would also fold non-ASCII bytes and UTF-8 text. Every
// byte stays where it stood, so an index into Fold(s) is one into s: it is
// also the fold of a text searched for ASCII words in any case (report's
// autolinks).
func Fold(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
