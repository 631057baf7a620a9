package redact

import (
	"net/url"
	"strings"
)

// URL is s, a URL a user configured (a provider's url:), without the
// credentials it may carry (https://user:password@host/, or a token as
// the user name, https://TOKEN@host/): its userinfo, everything between
// the scheme's "//" (or the start, when s has no scheme) and the last
// "@" before the path, is replaced by Mask. net/http's errors hide the
// password only, and a message quoting the configured URL (a bad one too,
// which url.Parse refuses) would show it all. The rest is kept: the
// scheme, host and path say which endpoint was meant.
func URL(s string) string {
	start, at := userinfo(s)
	if at < 0 {
		return s
	}
	return s[:start] + Mask + s[at:]
}

// URLCredentials are the credentials a URL with a scheme carries in its
// userinfo, as written and percent-decoded: the password, then the
// whole "user:password" (net/http sends it as an HTTP Basic credential,
// base64 of it whole: of a short password, the part of that base64 the
// password alone decides is too short to look for), or the user name
// when there is no password (a token written as the user name); nil
// when it carries none. A run masks them like the secrets its
// variables hold.
func URLCredentials(s string) []string {
	if !strings.Contains(s, "://") {
		return nil
	}
	start, at := userinfo(s)
	if at < 0 {
		return nil
	}
	creds := []string{s[start:at]}
	if _, pass, ok := strings.Cut(creds[0], ":"); ok {
		if pass == "" {
			return nil
		}
		creds = []string{pass, creds[0]}
	}
	if creds[0] == "" {
		return nil
	}
	var out []string
	for _, c := range creds {
		out = append(out, c)
		if dec, err := url.PathUnescape(c); err == nil && dec != c {
			out = append(out, dec)
		}
	}
	return out
}

// userinfo is where the userinfo of s starts and where its last "@" is
// (-1 without one).
func userinfo(s string) (start, at int) {
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	end := len(s)
	if i := strings.IndexAny(s[start:], "/?#"); i >= 0 {
		end = start + i
	}
	at = strings.LastIndexByte(s[start:end], '@')
	if at < 0 {
		return start, -1
	}
	return start, start + at
}
