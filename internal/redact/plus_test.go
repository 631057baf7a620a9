package redact

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestPlusEscaped: a form's + for a space may itself come escaped (a
// form's value percent-encoded again, %2B; an HTML reference, a JSON or
// quoted-printable escape of it), so + is read as a space in whichever
// layer it first stands, not only in the text as the server wrote it: a
// passphrase (ClouDNS's auth-password is a form field) echoed so was
// shown whole by both lines.
func TestPlusEscaped(t *testing.T) {
	const key = "correct horse battery staple"
	form := url.QueryEscape(key) // correct+horse+battery+staple
	for name, echo := range map[string]string{
		"form, percent-encoded again": url.QueryEscape(form),
		"form field in a URL quoted":  "auth-password=" + url.QueryEscape(form) + "&auth-id=1",
		"+ as &#43;":                  strings.ReplaceAll(form, "+", "&#43;"),
		"+ as &plus;":                 strings.ReplaceAll(form, "+", "&plus;"),
		"+ as \\u002b":                strings.ReplaceAll(form, "+", `\u002b`),
		"+ as =2B":                    strings.ReplaceAll(form, "+", "=2B"),
		"one + escaped, others not":   strings.Replace(form, "+", "%2B", 1),
	} {
		text := "refused: " + echo + " (HTTP 403)"
		var set Secrets
		set.Add(key)
		for line, got := range map[string]string{
			"ServerText": ServerText(context.Background(), text, key),
			"Replace":    set.Replace(text),
		} {
			if strings.Contains(got, "horse") || strings.Contains(got, "staple") || !strings.Contains(got, Mask) || !strings.HasSuffix(got, " (HTTP 403)") {
				t.Errorf("%s, %s: %q -> %q", name, line, text, got)
			}
		}
	}
}
