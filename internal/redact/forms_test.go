package redact

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// secretForms are the forms a secret takes in what a run prints, each
// as a text holding it and the part of that text the secret makes
// (derived, run together: what no output may hold MinCut bytes of).
func secretForms(secret string) []struct{ name, text, derived string } {
	type form = struct{ name, text, derived string }
	var out []form
	add := func(name, text, derived string) { out = append(out, form{name, text, derived}) }
	add("as given", secret, secret)
	for _, enc := range []struct {
		name string
		*base64.Encoding
	}{{"std", base64.StdEncoding}, {"url", base64.URLEncoding}, {"std raw", base64.RawStdEncoding}, {"url raw", base64.RawURLEncoding}} {
		for off := 0; off < 3; off++ {
			// Inside a longer base64 text (Basic "u:secret") at each
			// byte offset: the characters only the secret decides.
			b := enc.EncodeToString(append([]byte("ab:"[:off]), secret...))
			add(fmt.Sprintf("base64 %s at offset %d", enc.name, off), b, b[(off*4+2)/3:((off+len(secret))/3)*4])
		}
	}
	h := hex.EncodeToString([]byte(secret))
	add("hex", h, h)
	add("HEX", strings.ToUpper(h), strings.ToUpper(h))
	add("hex split by ', '", h[:10]+", "+h[10:20]+", "+h[20:], h)
	add("url query", url.QueryEscape(secret), url.QueryEscape(secret))
	add("url path", url.PathEscape(secret), url.PathEscape(secret))
	js, _ := json.Marshal(secret)
	add("json", string(js), string(js[1:len(js)-1]))
	var qp strings.Builder
	for i := 0; i < len(secret); i++ {
		fmt.Fprintf(&qp, "=%02X", secret[i])
	}
	add("quoted-printable", qp.String(), qp.String())
	// A record's presentation form may quote any character but a
	// digit with a backslash (RFC 1035 §5.1: \X is X), a letter or a
	// blank too: every one so (the digits as they are).
	var dnsX strings.Builder
	for _, r := range secret {
		if '0' > r || r > '9' {
			dnsX.WriteByte('\\')
		}
		dnsX.WriteRune(r)
	}
	add(`a record's \X escape of every character but digits`, dnsX.String(), dnsX.String())
	// And every one, digits too (\7 before no \DDD: a server's text
	// need not be a valid record, and a reader reads 7).
	var allX strings.Builder
	for _, r := range secret {
		fmt.Fprintf(&allX, `\%c`, r)
	}
	add(`every character backslash-escaped`, allX.String(), allX.String())
	add("reversed", reverse(secret), reverse(secret))
	add("split across lines", secret[:9]+"\n"+secret[9:18]+"\n  "+secret[18:], secret)
	add("split across cells", "| "+secret[:9]+" | "+secret[9:18]+" |\n| "+secret[18:]+" |", secret)
	add("split across a TXT record's strings", `"`+secret[:9]+`" "`+secret[9:18]+`" "`+secret[18:]+`"`, secret)
	add("base64 across lines", base64.StdEncoding.EncodeToString([]byte(secret))[:20]+"\n"+base64.StdEncoding.EncodeToString([]byte(secret))[20:], base64.RawStdEncoding.EncodeToString([]byte(secret))[:4*(len(secret)/3)])
	u := (&url.URL{Scheme: "https", User: url.UserPassword("admin", secret), Host: "api.example.net", Path: "/v1"}).String()
	add("url userinfo", u, url.UserPassword("admin", secret).String()[len("admin:"):])
	// AWS Signature Version 4: the session token in its header, and
	// a key as a credential scope's first part (an access key id is
	// no secret, but a run may know one as its set's).
	add("SigV4 security token", "X-Amz-Security-Token: "+secret, secret)
	add("SigV4 credential", "Authorization: AWS4-HMAC-SHA256 Credential="+secret+"/20261207/us-east-1/route53/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024", secret)
	add("SigV4 credential url-encoded", "X-Amz-Credential="+url.QueryEscape(secret+"/20261207/us-east-1/route53/aws4_request"), url.QueryEscape(secret))
	return out
}

// TestEveryFormEveryOutput: every form a secret takes (secretForms: as
// given, base64 in both alphabets padded or not at each byte offset, hex
// in both cases, URL-encoded, JSON-escaped, quoted-printable, a record's
// \X escape of every character (but digits, or all), reversed,
// split across lines and cells, in a URL's userinfo, in an AWS SigV4
// header) is masked by every way the run redacts an output: Replace (a
// report, the step summary, the comment), a Writer (a log, stderr),
// ReplaceBytes (a JSON report), ServerText (a server's error), and Plain
// (a report's values before a renderer escapes them). Six secrets: an
// API token, a TSIG secret (base64), an AWS secret key, a password
// holding Markdown's marks, a passphrase of words, and a password
// holding a dot, a bar and brackets (the separators a reading across
// cells takes out: split right after them).
func TestEveryFormEveryOutput(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "c2VjcmV0LWtleS1mb3ItdHNpZw==", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "Zq9*Lm3~Vx7'Rt8`sW4yB6n", "correct horse battery staple 42", "Hq2mZ9wX.r4Lt8Vn3|Bc6Yd1Fg[7]"} {
		set := &Secrets{}
		set.Add(secret)
		ctx := WithSecrets(context.Background(), set)
		for _, f := range secretForms(secret) {
			text := "error: " + f.text + " (end)"
			js, _ := json.Marshal(map[string]string{"detail": text})
			var fromJSON map[string]string
			if err := json.Unmarshal(set.ReplaceBytes(js), &fromJSON); err != nil {
				t.Fatal(err)
			}
			var w strings.Builder
			sw := NewWriter(set, &w)
			fmt.Fprint(sw, text+"\n")
			_ = sw.Flush()
			for how, out := range map[string]string{
				"Replace": set.Replace(text), "Writer": w.String(), "ReplaceBytes": fromJSON["detail"],
				"ServerText": ServerText(ctx, text), "Plain": Plain(set, text),
			} {
				joined := strings.NewReplacer("\n", "", "  ", "", " | ", "", "|", "", ", ", "", `" "`, "").Replace(out)
				if p := leftPiece(joined, f.derived); len(p) >= MinCut || !strings.Contains(out, Mask) {
					t.Errorf("%q %s, %s: %q left: %q", secret, f.name, how, p, out)
				}
			}
		}
	}
}
