package redact

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// swapCase is s with every ASCII letter's case turned over.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return unicode.ToLower(r)
		case unicode.IsLower(r):
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}

// caseAndHexForms are the ways a server may echo secret in another
// letter case or as hex: upper, lower and swapped case, the hex of its
// bytes in lower and upper case, and for a base64 secret (a TSIG
// secret) the hex of the bytes it encodes in upper case.
// With mixes, also those no list of forms holds, which only ServerText
// (it decodes) finds: upper case with every other character \u-escaped.
func caseAndHexForms(secret string, mixes bool) map[string]string {
	out := map[string]string{
		"upper case":                  strings.ToUpper(secret),
		"lower case":                  strings.ToLower(secret),
		"swapped case":                swapCase(secret),
		"hex":                         hex.EncodeToString([]byte(secret)),
		"HEX":                         strings.ToUpper(hex.EncodeToString([]byte(secret))),
		"upper case, percent-encoded": strings.ToUpper(url.QueryEscape(secret)),
		"upper case, JSON":            strings.ToUpper(strings.Trim(jsonString(secret), `"`)),
	}
	if mixes {
		out["upper case, every other character \\u-escaped"] = mixedEscape(strings.ToUpper(secret), func(i int) bool { return i%2 == 0 }, func(int) bool { return false })
		out["swapped case, percent-encoded in mixed case"] = mixedPercent(swapCase(secret), func(i int) bool { return true }, func(i int) bool { return i%2 == 0 })
	}
	return out
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// caseSecrets are the secrets of the case and hex tests: an API token,
// a TSIG secret (base64), a key with a letter beyond ASCII.
var caseSecrets = []string{"dme-Secret/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka", "c2VjcmV0L+tzaWc/a2V5LWZvci10c2ln", "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Jsä0Ka"}

// TestSecretsCaseAndHex: the run's set replaces a secret written in
// another letter case (an API that upper-cases a token in its error) and
// as the hex of its bytes, lower or upper case, inside longer text, and
// tells OnAdd (the runner's masks, which match as given) of the case and
// hex forms.
func TestSecretsCaseAndHex(t *testing.T) {
	var told []string
	s := Secrets{OnAdd: func(forms []string) { told = append(told, forms...) }}
	for _, v := range caseSecrets {
		s.Add(v)
	}
	for _, v := range caseSecrets {
		for name, f := range caseAndHexForms(v, false) {
			got := s.Replace("before " + f + " after")
			if got != "before "+Mask+" after" {
				t.Errorf("%q, %s %q: Replace = %q", v, name, f, got)
			}
		}
		for _, f := range []string{strings.ToUpper(v), strings.ToLower(v), hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v)))} {
			if !slices.Contains(told, f) {
				t.Errorf("OnAdd not told of %q", f)
			}
		}
	}
	if got, want := s.Replace("Example.COM A 192.0.2.1 ; DME-secret"), "Example.COM A 192.0.2.1 ; DME-secret"; got != want {
		t.Errorf("ordinary text changed: %q", got)
	}
	if got := string(s.ReplaceBytes([]byte(`{"error":"key ` + strings.ToUpper(caseSecrets[0]) + ` refused","ttl":3600}`))); got != `{"error":"key *** refused","ttl":3600}` {
		t.Errorf("JSON: %s", got)
	}
}

// TestServerTextCaseAndHex: a server's text echoing a secret in another
// letter case or as hex, alone or inside another encoding, comes in
// without it, whether the secret is the caller's own or the run's set's.
func TestServerTextCaseAndHex(t *testing.T) {
	var set Secrets
	set.Add(caseSecrets[1])
	ctx := WithSecrets(context.Background(), &set)
	for _, v := range caseSecrets {
		for name, f := range caseAndHexForms(v, true) {
			text := `{"message":"key ` + f + ` refused"}`
			if got, want := ServerText(ctx, text, caseSecrets[0], caseSecrets[2]), `{"message":"key `+Mask+` refused"}`; got != want {
				t.Errorf("%q, %s: ServerText = %q, want %q", v, name, got, want)
			}
		}
	}
	// A TSIG secret's decoded bytes as hex (a server that prints the key
	// it holds), in either case.
	tsig := "dGhpcyBpcyBhIHRzaWcga2V5IQ==" // "this is a tsig key!"
	if got := ServerText(context.Background(), "key "+strings.ToUpper(hex.EncodeToString([]byte("this is a tsig key!")))+" bad", tsig); got != "key "+Mask+" bad" {
		t.Errorf("hex of a base64 secret's bytes: %q", got)
	}
}
