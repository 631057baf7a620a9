package redact

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestSecretsEveryForm: a secret is replaced in each form it may take on
// the way out, also inside longer text, and nothing else is touched.
func TestSecretsEveryForm(t *testing.T) {
	secrets := []string{
		"ghs_16C7e42F292c6912E7710c838347Ae178B4a", // a GitHub token
		"c2VjcmV0L+tzaWc/key==",                    // a TSIG secret (base64 with + / =)
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", // an AWS secret key
		`p&ss<w>"rd'_*#@!`,                         // HTML and Markdown specials
	}
	var s Secrets
	s.Escapes = []func(string) string{strings.ToUpper}
	for _, v := range secrets {
		if forms := s.Add(v); len(forms) == 0 || forms[0] != v {
			t.Fatalf("Add(%q) = %v", v, forms)
		}
	}
	for _, v := range secrets {
		js, _ := json.Marshal(v)
		q := fmt.Sprintf("%q", v)
		encoded := map[string]string{
			"plain":        v,
			"base64":       base64.StdEncoding.EncodeToString([]byte(v)),
			"base64url":    base64.RawURLEncoding.EncodeToString([]byte(v)),
			"basic auth":   base64.StdEncoding.EncodeToString([]byte("x-access-token:" + v)),
			"basic auth 2": base64.StdEncoding.EncodeToString([]byte("ab:" + v + ":tail")),
			"query":        url.QueryEscape(v),
			"path":         url.PathEscape(v),
			"json":         string(js[1 : len(js)-1]),
			"go quote":     q[1 : len(q)-1],
			"html":         html.EscapeString(v),
			"entities":     numericEntities(v, false),
			"escape func":  strings.ToUpper(v),
		}
		if raw, err := base64.StdEncoding.DecodeString(v); err == nil {
			encoded["hex of the key"] = hex.EncodeToString(raw)
		}
		for form, e := range encoded {
			text := "before " + e + " after"
			got := s.Replace(text)
			if strings.Contains(got, e) {
				t.Errorf("%q, %s form %q: not replaced in %q", v, form, e, got)
			}
			if !strings.HasPrefix(got, "before ") && form != "basic auth" && form != "basic auth 2" {
				t.Errorf("%s: text around it changed: %q", form, got)
			}
		}
	}
	if got := s.Replace("nothing secret here, example.com A 192.0.2.1"); got != "nothing secret here, example.com A 192.0.2.1" {
		t.Errorf("ordinary text changed: %q", got)
	}
	var short Secrets
	short.Add("abc")
	if got := short.Replace("abc abcd"); got != "abc abcd" {
		t.Errorf("a 3-character value replaced: %q", got)
	}
	var multi Secrets
	multi.Add("line-one-secret\nline-two-secret")
	if got := multi.Replace("x line-two-secret y"); strings.Contains(got, "line-two") {
		t.Errorf("a line of a multi-line secret not replaced: %q", got)
	}
}

func TestExcerpt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"192.0.2.300", `"192.0.2.300"`},
		{"a\x00b\x1b[31m", `"a\x00b\x1b[31m"`},
		{"\u202egnp.exe", `"\u202egnp.exe"`},
		{strings.Repeat("x", 33), `"xxxxxxxxxxxx"… (33 characters)`},
		{strings.Repeat("é", 40), `"éééééééééééé"… (40 characters)`},
	} {
		got := Quote(c.in)
		if got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) {
				t.Errorf("Quote(%q) holds %U", c.in, r)
			}
		}
	}
	if got := Word("AAAA"); got != "AAAA" {
		t.Errorf("Word = %s", got)
	}
	if got := Word("A\x00"); got != `"A\x00"` {
		t.Errorf("Word = %s", got)
	}
	if got := Name("zones/example.com.zone"); got != "zones/example.com.zone" {
		t.Errorf("Name = %s", got)
	}
	if got := Name("zones/a\nb"); got != `"zones/a\nb"` {
		t.Errorf("Name = %s", got)
	}
}

// TestSecretsCutShort: a text cut inside a secret (an excerpt's head, a
// message bounded in length) keeps the secret's first characters, which
// are no form of it: every head of MinCut characters or more, of every
// form, is replaced; a shorter one, and text that only resembles the
// secret, is left as it is.
func TestSecretsCutShort(t *testing.T) {
	const secret = "pdns_live_key_0123+secret/part_Z9"
	var s Secrets
	s.Add(secret)
	b64 := base64.StdEncoding.EncodeToString([]byte(secret))
	for _, tc := range []struct{ text, want string }{
		{"near " + Quote(secret), `near "***"… (33 characters)`},
		{"key " + secret[:20] + "...", "key ***..."},
		{"key " + secret, "key ***"},
		{"basic " + b64[:30] + "…", "basic ***…"},
		{"short " + secret[:MinCut-1] + "...", "short " + secret[:MinCut-1] + "..."},
		{"pdns_live_kX and pdns_live", "pdns_live_kX and pdns_live"},
	} {
		if got := s.Replace(tc.text); got != tc.want {
			t.Errorf("Replace(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	if forms := (&Secrets{}).Add(secret); len(forms) != len(Forms(secret)) {
		t.Errorf("Add returns %d forms to mask in the log, want the %d whole forms (not their heads)", len(forms), len(Forms(secret)))
	}
}

// TestReplaceBytesKeepsJSON: in a JSON text (a report, what a command
// printed with --format json) secrets are replaced inside its strings
// only, so a secret that is also a number there (a four-digit account id
// such as ClouDNS's auth-id, equal to a TTL, or to digits of a time) leaves
// the text valid JSON with its numbers and times, and a secret with a quote or a backslash cannot end
// a string early; text that is not JSON is replaced as before.
func TestReplaceBytesKeepsJSON(t *testing.T) {
	var s Secrets
	for _, secret := range []string{"3600", `k"e\y-0123456789`} {
		s.Add(secret)
	}
	in := `{"zone": "example.test.", "since": "2026-12-04T23:36:00.360012Z", "ns_ttl": 3600, "serial": 2026036001, "findings": [{"detail": "auth-id 3600 refused", "old": "k\"e\\y-0123456789 and k\"e\\y"}], "3600": true}`
	out := s.ReplaceBytes([]byte(in))
	var v struct {
		Zone     string    `json:"zone"`
		Since    time.Time `json:"since"`
		NSTTL    int       `json:"ns_ttl"`
		Serial   int       `json:"serial"`
		Findings []struct {
			Detail, Old string
		} `json:"findings"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("not JSON any more: %v\n%s", err, out)
	}
	if v.Zone != "example.test." || v.Since.Nanosecond() != 360012000 || v.NSTTL != 3600 || v.Serial != 2026036001 {
		t.Errorf("data changed: %+v\n%s", v, out)
	}
	if len(v.Findings) != 1 || v.Findings[0].Detail != "auth-id *** refused" || strings.Contains(v.Findings[0].Old, "0123456789") {
		t.Errorf("secrets left in strings: %+v\n%s", v.Findings, out)
	}
	if strings.Contains(string(out), `"3600"`) {
		t.Errorf("a key holding a secret is left: %s", out)
	}
	if got := string(s.ReplaceBytes([]byte("ttl 3600\n"))); got != "ttl ***\n" {
		t.Errorf("text: %q", got)
	}
}

// TestReplaceBytesAcrossStrings: in a JSON text each string was
// replaced alone, so a secret split across strings one after another
// (the character-strings of a TXT record, a JSON array's items, the
// values of an object), each piece under MinCut, was left whole in
// pieces. The values are read joined as well: every piece goes, in a
// text that stays JSON, and strings around them (and a short secret's
// letters that only a join makes) are kept.
func TestReplaceBytesAcrossStrings(t *testing.T) {
	const secret = "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Jsä0Ka"
	var s Secrets
	s.Add(secret)
	s.Add("3600")
	pieces := []string{"pk/7Hq2mZ9", "wXr4+Lt8Vn", "3Bc6Yd1Fg5", "Jsä0Ka"}
	for _, in := range []string{
		`{"txt": ["` + strings.Join(pieces, `", "`) + `"], "name": "k1.acme.test."}`,
		`{"a": "` + pieces[0] + `", "b": "` + pieces[1] + `", "c": "` + pieces[2] + `", "d": "` + pieces[3] + `", "e": "kept"}`,
		`[{"rdata": "` + pieces[0] + `"}, {"rdata": "` + pieces[1] + `"}, {"rdata": "` + pieces[2] + `"}, {"rdata": "` + pieces[3] + `"}]`,
	} {
		out := string(s.ReplaceBytes([]byte(in)))
		if !json.Valid([]byte(out)) {
			t.Fatalf("not JSON any more: %s", out)
		}
		for _, p := range pieces {
			if strings.Contains(out, p) {
				t.Errorf("a piece of the secret is left, %q: %s", p, out)
			}
		}
		if strings.Contains(in, "kept") && !strings.Contains(out, `"kept"`) || strings.Contains(in, "k1.acme") && !strings.Contains(out, "k1.acme.test.") {
			t.Errorf("text around the pieces changed: %s", out)
		}
	}
	// A short secret made only by joining two strings ("36" "00") is no
	// secret split: kept.
	if in := `{"a": ["ttl 36", "00 s"]}`; string(s.ReplaceBytes([]byte(in))) != in {
		t.Errorf("a short secret made by a join was masked: %s", s.ReplaceBytes([]byte(in)))
	}
}

// TestSecretsEscapedForms: an output escape (Escapes, the Markdown a
// command writes) applies to the text a command prints, which may already
// hold a secret in another form: a server's JSON error echoing the key with
// its solidus escaped (\/, as PHP's json_encode writes it), a Go-quoted
// one (\"), a base64url one (_). Every form, escaped, is replaced, and so
// is its head.
func TestSecretsEscapedForms(t *testing.T) {
	// A Markdown-like escape: backslash, underscore and quote become
	// entities, as report.MarkdownText writes them.
	md := strings.NewReplacer(`\`, "&#92;", "_", "&#95;", `"`, "&quot;").Replace
	for _, secret := range []string{
		"pk/7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka", // an API key with a solidus
		`pw"quote-and\backslash-0123`,        // a password with a quote and a backslash
		"tsig???key???secret-0123456789",     // its base64url holds _
	} {
		s := Secrets{Escapes: []func(string) string{md}}
		s.Add(secret)
		js, _ := json.Marshal(secret)
		q := fmt.Sprintf("%q", secret)
		for name, form := range map[string]string{
			"json, solidus escaped": strings.ReplaceAll(string(js[1:len(js)-1]), "/", `\/`),
			"json":                  string(js[1 : len(js)-1]),
			"go quote":              q[1 : len(q)-1],
			"base64url":             base64.RawURLEncoding.EncodeToString([]byte(secret)),
		} {
			esc := md(form)
			for _, text := range []string{"HTTP 400: " + esc + " refused", "HTTP 400: " + esc[:len(esc)-3] + "..."} {
				got := s.Replace(text)
				if !strings.HasPrefix(got, "HTTP 400: ***") {
					t.Errorf("%q, %s form escaped (%q): Replace(%q) = %q", secret, name, esc, text, got)
				}
			}
		}
	}
}

// TestSecretsServerEncodings: a secret as other programs than Go write it
// (a server echoing the key in an error, a proxy's log line), written here
// as they print it: JSON with every character outside ASCII escaped
// (Python's json.dumps, PHP's json_encode, which also escapes the solidus,
// Jackson's ESCAPE_NON_ASCII in upper-case hex), JSON in which every
// character but letters and digits is escaped (servers that write \u002f
// for any character) or one character JSON does not require escaped
// (.NET's System.Text.Json writes + as \u002B, Gson = as \u003d), and
// percent-encoding in lower-case hex. Each is replaced whole and cut
// short, in plain text and inside a JSON text.
func TestSecretsServerEncodings(t *testing.T) {
	for _, tt := range []struct {
		secret string
		forms  map[string]string
	}{
		{"pässwörd/Kéy+0123😀", map[string]string{
			"python json.dumps":        `p\u00e4ssw\u00f6rd/K\u00e9y+0123\ud83d\ude00`,
			"php json_encode":          `p\u00e4ssw\u00f6rd\/K\u00e9y+0123\ud83d\ude00`,
			"jackson ESCAPE_NON_ASCII": `p\u00E4ssw\u00F6rd/K\u00E9y+0123\uD83D\uDE00`,
			".net System.Text.Json":    `p\u00E4ssw\u00F6rd/K\u00E9y\u002B0123\uD83D\uDE00`,
			"every character escaped":  `p\u00e4ssw\u00f6rd\u002fK\u00e9y\u002b0123\ud83d\ude00`,
			"every character, HEX":     `p\u00E4ssw\u00F6rd\u002FK\u00E9y\u002B0123\uD83D\uDE00`,
			"query, lower-case hex":    `p%c3%a4ssw%c3%b6rd%2fK%c3%a9y%2b0123%f0%9f%98%80`,
			"path, lower-case hex":     `p%c3%a4ssw%c3%b6rd%2fK%c3%a9y+0123%f0%9f%98%80`,
		}},
		{"pk/7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka", map[string]string{
			"every character escaped": `pk\u002f7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka`,
			"every character, HEX":    `pk\u002F7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka`,
			"query, lower-case hex":   `pk%2f7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka`,
		}},
		{`c2VjcmV0L+tzaWc/key=="<>`, map[string]string{
			"every character escaped": `c2VjcmV0L\u002btzaWc\u002fkey\u003d\u003d\u0022\u003c\u003e`,
			"only = escaped":          `c2VjcmV0L+tzaWc/key\u003d\u003d\"<>`,
			"only + escaped":          `c2VjcmV0L\u002BtzaWc/key==\"<>`,
			"query, lower-case hex":   `c2VjcmV0L%2btzaWc%2fkey%3d%3d%22%3c%3e`,
			"path, lower-case hex":    `c2VjcmV0L+tzaWc%2fkey==%22%3c%3e`,
		}},
	} {
		var s Secrets
		s.Add(tt.secret)
		for name, form := range tt.forms {
			for text, want := range map[string]string{
				"HTTP 400: key " + form + " refused":          "HTTP 400: key *** refused",
				"HTTP 400: key " + form[:len(form)-4] + "...": "HTTP 400: key ***...",
			} {
				if got := s.Replace(text); got != want {
					t.Errorf("%q, %s (%s): Replace(%q) = %q", tt.secret, name, form, text, got)
				}
			}
			js := `{"message":"key ` + form + ` refused"}`
			if got := string(s.ReplaceBytes([]byte(js))); strings.Contains(got, form) || !strings.Contains(got, "***") {
				t.Errorf("%q, %s in JSON: ReplaceBytes(%s) = %s", tt.secret, name, js, got)
			}
		}
	}
}

// TestSecretsReplaceOnceWhole: a form no registered form holds whole (a
// workflow command's escapes of a secret with a ':' and a ',', the rest
// as it is; a base64 secret's padding as HTML references) is masked
// whole, as one ***: the registered forms' matches and the decoded
// layers' are marked in the same text, so that neither cuts the text the
// other looks in.
func TestSecretsReplaceOnceWhole(t *testing.T) {
	for _, tt := range []struct{ secret, form string }{
		{"a_b*c|d<e>&f-g.h/i+j=k:l,m%n", "a_b*c|d<e>&f-g.h/i+j=k%3Al%2Cm%25n"},
		{"dGhpcyBpcyBhIHRzaWcgc2VjcmV0IQ==", "dGhpcyBpcyBhIHRzaWcgc2VjcmV0IQ&equals;&equals;"},
	} {
		var s Secrets
		s.Add(tt.secret)
		if got, want := s.Replace("key "+tt.form+" refused"), "key *** refused"; got != want {
			t.Errorf("%q as %q: Replace = %q, want %q", tt.secret, tt.form, got, want)
		}
	}
}

// TestURL: a configured URL's userinfo (a password, or a token written
// as the user name) is masked whether or not the URL parses; a URL
// without one is kept as it is.
func TestURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://admin:s3cr3t-Pass@pdns.example:8081/api/v1", "https://***@pdns.example:8081/api/v1"},
		{"https://ghp_TokenAsUser0123@api.example/", "https://***@api.example/"},
		{"htp://admin:s3cr3t-Pass@pdns.example/", "htp://***@pdns.example/"},
		{"http://admin:pa ss@wo rd@host:1/x?y=a@b", "http://***@host:1/x?y=a@b"},
		{"admin:s3cr3t-Pass@pdns.example:8081", "***@pdns.example:8081"},
		{"https://pdns.example:8081/api/v1?u=a@b", "https://pdns.example:8081/api/v1?u=a@b"},
		{"https://pdns.example", "https://pdns.example"},
		{"", ""},
	} {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestURLCredentials: what net/http sends of a URL's userinfo and a
// server may echo: the password, as written and decoded, and the HTTP
// Basic credential, base64 of "user:password" decoded, padded and not;
// a user name alone when it reads as a token (userToken); nothing of a
// URL without one, or of text that is no URL (an e-mail address). The
// user name beside a password is none (TestURLUserNameShown).
func TestURLCredentials(t *testing.T) {
	basic := func(s string) []string {
		b := base64.StdEncoding.EncodeToString([]byte(s))
		if r := strings.TrimRight(b, "="); r != b {
			return []string{b, r}
		}
		return []string{b}
	}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"https://admin:s3cr3t-Pass@pdns.example:8081/api/v1", append([]string{"s3cr3t-Pass"}, basic("admin:s3cr3t-Pass")...)},
		{"https://admin:p%40ss%2Fword@pdns.example/", append([]string{"p%40ss%2Fword", "p@ss/word"}, basic("admin:p@ss/word")...)},
		{"https://ops%20team:k3y-0123@pdns.example/", append([]string{"k3y-0123"}, basic("ops team:k3y-0123")...)},
		// A token as the user name: net/http sends Basic base64("TOKEN:").
		{"https://ghp_TokenAsUser0123@api.example/", append([]string{"ghp_TokenAsUser0123"}, basic("ghp_TokenAsUser0123:")...)},
		{"https://tok%2BAsUser0123@api.example/", append([]string{"tok%2BAsUser0123", "tok+AsUser0123"}, basic("tok+AsUser0123:")...)},
		{"https://admin@api.example/", nil},
		{"https://deploy-user@api.example/", nil},
		{"https://admin:@api.example/", nil},
		{"https://pdns.example/?u=a@b", nil},
		{"hostmaster@example.com", nil},
	} {
		if got := URLCredentials(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("URLCredentials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestURLUserNameShown: the user name of a URL's userinfo is shown
// where a run shows it (a report naming the account, a record, a
// server's error naming who was refused): beside a password it is no
// secret, and alone it is one only when it reads as a token (12
// characters or more). URLCredentials gave "user:password" as plain text,
// whose every 12-byte piece both lines mask: a user name of 12
// characters or more (provisioning-bot) was masked wherever it stood;
// and a user name alone whatever its length (admin). The password and
// a token as the user name are masked.
func TestURLUserNameShown(t *testing.T) {
	for _, tt := range []struct {
		url, shown, secret string
	}{
		{"https://provisioning-bot:s3cr3t-Pass-0123@pdns.example/", "provisioning-bot", "s3cr3t-Pass-0123"},
		{"https://provisioning-bot:Qz7-kw@pdns.example/", "provisioning-bot", "Qz7-kw"},
		{"https://dns-automation-account:p%40ss%2Fword@pdns.example/", "dns-automation-account", "p@ss/word"},
		{"https://admin@pdns.example/", "admin", ""},
		{"https://deploy-user@pdns.example/", "deploy-user", ""},
		{"https://ghp_TokenAsUser0123@api.example/", "", "ghp_TokenAsUser0123"},
	} {
		creds := URLCredentials(tt.url)
		var set Secrets
		for _, c := range creds {
			set.Add(c)
		}
		ctx := WithSecrets(context.Background(), &set)
		for line, mask := range map[string]func(string) string{
			"Replace":    set.Replace,
			"ServerText": func(s string) string { return ServerText(ctx, s, creds...) },
		} {
			if tt.shown != "" {
				for _, text := range []string{
					"zone acme.test. pushed by " + tt.shown,
					"TXT \"owner=" + tt.shown + "\"",
					`{"error":"user '` + tt.shown + `' may not write acme.test."}`,
				} {
					if got := mask(text); got != text {
						t.Errorf("%s, %s: %q -> %q", tt.url, line, text, got)
					}
				}
			}
			if tt.secret != "" {
				text := "refused " + tt.secret + " (HTTP 401)"
				if got := mask(text); strings.Contains(got, tt.secret) || !strings.Contains(got, Mask) {
					t.Errorf("%s, %s: %q -> %q", tt.url, line, text, got)
				}
			}
		}
	}
}

// TestInPublic: a secret equal to, or in, text a run shows anyway (a
// zone's name, a path, a record), in any form Replace finds, is found,
// and which one; a secret in none is not.
func TestInPublic(t *testing.T) {
	texts := slices.Values([]string{"acme.test.", "zones/acme.test.zone", "www.acme.test. 300 IN TXT \"k=7a6b-Qz91-xx\""})
	for _, c := range []struct {
		secrets []string
		want    int
	}{
		{[]string{"Zq9-long-unrelated-key-000", "acme"}, 1},
		{[]string{"ACME.TEST"}, 0},
		{[]string{"test.zone"}, 0},
		{[]string{"7a6b-Qz91"}, 0},
		{[]string{hex.EncodeToString([]byte("acme"))}, -1}, // its hex is not in the texts
		{[]string{"Zq9-long-unrelated-key-000"}, -1},
		{nil, -1},
	} {
		if got := InPublic(c.secrets, texts); got != c.want {
			t.Errorf("InPublic(%q) = %d, want %d", c.secrets, got, c.want)
		}
	}
	// A form: the secret's hex in a record.
	if got := InPublic([]string{"s3cr3t-value"}, slices.Values([]string{"x TXT " + hex.EncodeToString([]byte("s3cr3t-value"))})); got != 0 {
		t.Errorf("the secret's hex in a record: InPublic = %d, want 0", got)
	}
}

// TestReplaceAcrossCellsInOneText: a secret split, in pieces under
// MinCut, across the character-strings of one TXT record or the labels of
// one name inside a single text (a DNS server's answer a report quotes:
// the zone in git holds no such record, so nothing refused it) is masked
// by ReplaceBytes (one JSON string holding the record) and by Replace (the
// record as a text or Markdown report prints it, its pieces escaped as
// the run's own output escapes them, Escapes). Text without a secret is
// kept byte for byte.
func TestReplaceAcrossCellsInOneText(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	md := strings.NewReplacer("_", "&#95;", "|", "&#124;").Replace
	s := Secrets{Escapes: []func(string) string{md}}
	s.Add(secret)
	s.Add("3600")
	ps := pieces(secret, 6)
	quoted := `"` + strings.Join(ps, `" "`) + `"`
	labels := strings.Join(ps, ".")
	mdQuoted := `"` + md(strings.Join(ps, `" "`)) + `"`
	leftIn := func(out string) string {
		for _, p := range ps {
			if strings.Contains(out, p) || strings.Contains(out, md(p)) {
				return p
			}
		}
		return ""
	}
	for _, in := range []string{
		`{"old": "acme.test. 300 IN TXT ` + strings.ReplaceAll(quoted, `"`, `\"`) + `", "new": "-"}`,
		`{"new": "www.acme.test. 300 IN CNAME ` + labels + `.example."}`,
		// Across the records of one RRset, each quoted as a TXT
		// record's presentation is, one a string.
		`{"old": ["\"` + strings.Join(ps, `\"", "\"`) + `\""]}`,
	} {
		out := string(s.ReplaceBytes([]byte(in)))
		if p := leftIn(out); p != "" || !json.Valid([]byte(out)) {
			t.Errorf("ReplaceBytes: piece %q left (or not JSON): %s", p, out)
		}
	}
	for _, in := range []string{
		"acme.test. 300 IN TXT " + quoted + "\n",
		"| ~ | acme.test. | TXT | 300 " + mdQuoted + " · \"v=spf1 mx -all\" | 300 \"v=spf1 mx -all\" |\n",
		"www.acme.test. 300 IN CNAME " + labels + ".example.\n",
	} {
		if out := s.Replace(in); leftIn(out) != "" {
			t.Errorf("Replace: piece %q left: %s", leftIn(out), out)
		}
	}
	for _, in := range []string{
		"acme.test. 300 IN TXT \"v=spf1 mx -all\" \"pk_7H\"\nwww.acme.test. CNAME a.b.c.example.\n",
		`{"old": "acme.test. 300 IN TXT \"v=spf1\" \"mx -all\""}`,
		// A short secret made only by a join is none (as across strings).
		"acme.test. 300 IN TXT \"ttl 36\" \"00 s\" \"a.36.00.b\"\n",
	} {
		if out := s.Replace(in); out != in {
			t.Errorf("text without the secret changed: %q -> %q", in, out)
		}
	}
}

// pieces is s cut every n bytes.
func pieces(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// TestReplaceAcrossCellsDecoded: a secret a server serves split across
// the character-strings of one TXT record, the labels of a name or the
// cells of a Markdown row, each piece under MinCut and escaped otherwise
// than the run's outputs escape (percent-encoding, \u, a decimal
// reference), is masked by Replace (a text or Markdown report, a log
// line): read across the cells, the pieces decoded make the secret. No
// piece of it is left as a reader, decoding, reads it.
func TestReplaceAcrossCellsDecoded(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	md := strings.NewReplacer("_", "&#95;", "|", "&#124;").Replace
	s := Secrets{Escapes: []func(string) string{md}}
	s.Add(secret)
	ps := pieces(secret, 6)
	pct := make([]string, len(ps))
	for i, p := range ps {
		// Its second character percent-encoded: no run of MinCut
		// characters of the secret as the text stands.
		pct[i] = p[:1] + fmt.Sprintf("%%%02X", p[1]) + p[2:]
	}
	uesc := slices.Clone(ps)
	uesc[0] = `pk\u005f7Hq`
	for _, in := range []string{
		`acme.test. 300 IN TXT "` + strings.Join(pct, `" "`) + `"` + "\n",
		`acme.test. 300 IN TXT "pk%5F7Hq" "2mZ9wX" "r4Lt8V" "n3Bc6Y" "d1Fg5J"` + "\n",
		`acme.test. 300 IN TXT "` + strings.Join(uesc, `" "`) + `"` + "\n",
		"www.acme.test. 300 IN CNAME " + strings.Join(pct, ".") + ".example.\n",
		"| ~ | acme.test. | TXT | 300 " + strings.Join(pct, " | ") + " |\n",
		`acme.test. 300 IN TXT "pk&#95;7H" "q2&#109;Z9" "wX&#114;4L" "t8&#86;n3" "Bc&#54;Yd" "1F&#103;5J"` + "\n",
		// Each piece broken by a zero-width space or a soft hyphen,
		// which render as nothing, or written in full-width letters.
		`acme.test. 300 IN TXT "pk_` + "\u200b" + `7Hq" "2mZ` + "\u200b" + `9wX" "r4L` + "\u00ad" + `t8V" "n3B` + "\u200b" + `c6Y" "d1F` + "\u200b" + `g5J"` + "\n",
		"| ~ | acme.test. | TXT | pk_7\uff28q | 2mZ9wX | r4\uff2ct8V | n3Bc6Y | d1Fg5J |\n",
		// Quotes escaped: a TXT string that holds quotes in a
		// record's presentation form, a JSON text quoted in a
		// message, HTML's references; and single quotes.
		`acme.test. 300 IN TXT "\"pk_7Hq\" \"2mZ9wX\" \"r4Lt8V\" \"n3Bc6Y\" \"d1Fg5J\""` + "\n",
		`error: [\"pk_7Hq\", \"2mZ9wX\", \"r4Lt8V\", \"n3Bc6Y\", \"d1Fg5J\"]` + "\n",
		`error: &quot;pk_7Hq&quot; &quot;2mZ9wX&quot; &#34;r4Lt8V&#34; &quot;n3Bc6Y&quot; &quot;d1Fg5J&quot;` + "\n",
		`error: ['pk_7Hq', '2mZ9wX', 'r4Lt8V', 'n3Bc6Y', 'd1Fg5J']` + "\n",
		// The record's presentation in Markdown text (its backslash
		// escaped as MarkdownText escapes it).
		`| TXT | 300 "&#92;"pk&#95;7Hq&#92;" &#92;"2mZ9wX&#92;" &#92;"r4Lt8V&#92;" &#92;"n3Bc6Y&#92;" &#92;"d1Fg5J&#92;"" |` + "\n",
	} {
		for name, out := range map[string]string{"Replace": s.Replace(in), "ReplaceAfter": s.ReplaceAfter("", in)} {
			read := strings.NewReplacer(`"`, "", " ", "", "|", "", ".", "", `\`, "", "'", "", ",", "").Replace(html.UnescapeString(out))
			if u, err := url.PathUnescape(read); err == nil {
				read = u
			}
			read = strings.NewReplacer(`\u005f`, "_", "\u200b", "", "\u00ad", "", "\uff28", "H", "\uff2c", "L").Replace(read)
			// No 4 characters of it, nor its first or last 3 (a mask
			// that stopped at an escape: pk%5F***).
			for i := 0; i+4 <= len(secret); i++ {
				if strings.Contains(read, secret[i:i+4]) || strings.Contains(read, secret[:3]) || strings.Contains(read, secret[len(secret)-3:]) {
					t.Errorf("%s(%q) = %q: %q of the secret left", name, in, out, secret[i:i+4])
					break
				}
			}
		}
	}
	// Text without the secret is kept byte for byte.
	for _, in := range []string{
		`acme.test. 300 IN TXT "v%3Dspf1" "mx%20-all" "a&#95;b"` + "\n",
		"| ~ | acme.test. | TXT | 300 v=DMARC1&#59; p=none | 12 |\n",
	} {
		if out := s.Replace(in); out != in {
			t.Errorf("text without the secret changed: %q -> %q", in, out)
		}
	}
}

// TestAcrossCellsSecretHoldsMarks: a secret that holds the marks reading
// across cells takes out (a ', a *, a ~, a backtick) is found split
// across a record's strings as it is, by Replace, ServerText and
// InPublic: a mark a secret holds is kept.
func TestAcrossCellsSecretHoldsMarks(t *testing.T) {
	const secret = "Zq9*Lm3~Vx7'Rt8`sW4yB6n"
	s := Secrets{}
	s.Add(secret)
	in := `acme.test. 300 IN TXT "` + strings.Join(pieces(secret, 6), `" "`) + `"` + "\n"
	for name, out := range map[string]string{"Replace": s.Replace(in), "ServerText": ServerText(context.Background(), in, secret)} {
		if strings.Contains(out, "Zq9*") || strings.Contains(out, "B6n") || !strings.Contains(out, Mask) {
			t.Errorf("%s(%q) = %q: the secret's pieces left", name, in, out)
		}
	}
	if got := InPublic([]string{secret}, slices.Values([]string{in})); got != 0 {
		t.Errorf("InPublic(%q) = %d, want 0", in, got)
	}
}
