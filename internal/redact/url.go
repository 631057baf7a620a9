package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"unicode/utf8"
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

// URLCredentials are the secrets a URL with a scheme carries in its
// userinfo, as net/http sends them (it sends the userinfo, decoded, as
// an HTTP Basic credential: base64 of "user:password", RFC 7617 §2) and
// as a server may echo them: the password, as written and
// percent-decoded, then that base64, padded and unpadded (of a short
// password, the part of the base64 the password alone decides is too
// short to look for). The user name is no secret beside a password
// (provisioning-bot: masked, it would be masked wherever a report shows
// the name). A user name without a password is one only when it reads
// as a token written there (https://TOKEN@host/: userToken), as written
// and decoded. Nil when the URL carries none. A run masks them like the
// secrets its variables hold, and refuses them where it shows them
// anyway (config).
func URLCredentials(s string) []string {
	if !strings.Contains(s, "://") {
		return nil
	}
	start, at := userinfo(s)
	if at < 0 {
		return nil
	}
	user, pass, ok := strings.Cut(s[start:at], ":")
	if !ok {
		if !userToken(userUnescape(user)) {
			return nil
		}
		// net/http sends it as Basic base64("TOKEN:") too.
		return append(asWritten(user), basicForms(userUnescape(user)+":")...)
	}
	if pass == "" {
		return nil
	}
	return append(asWritten(pass), basicForms(userUnescape(user)+":"+userUnescape(pass))...)
}

// basicForms are the HTTP Basic credential net/http sends for cred
// ("user:password", decoded): its base64, padded and unpadded.
func basicForms(cred string) []string {
	basic := base64.StdEncoding.EncodeToString([]byte(cred))
	if raw := strings.TrimRight(basic, "="); raw != basic {
		return []string{basic, raw}
	}
	return []string{basic}
}

// userToken reports whether u, the user name of a URL without a
// password, reads as a token written there rather than a user's name
// (admin, deploy): TokenHead characters or more, as long as an excerpt
// quotes a token by (a name that reads as a generated key, config's
// keyLike, has 16 or more).
func userToken(u string) bool { return utf8.RuneCountInString(u) >= TokenHead }

// asWritten is c, and c percent-decoded when that differs.
func asWritten(c string) []string {
	if dec := userUnescape(c); dec != c {
		return []string{c, dec}
	}
	return []string{c}
}

// userUnescape is c percent-decoded as a URL's userinfo is (no + for a
// space), or c when it is no valid escape (url.Parse refuses such a
// URL: nothing is sent).
func userUnescape(c string) string {
	if dec, err := url.PathUnescape(c); err == nil {
		return dec
	}
	return c
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
