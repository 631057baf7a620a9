package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
)

// findCut reports a piece of secret of 12 characters or more
// found in out: what a cut (an excerpt, a message shortened to a bound)
// leaves of a secret that a broken server or a file put in a text.
func findCut(t *testing.T, where, out, secret string) {
	t.Helper()
	for i := 0; i+redact.MinCut <= len(secret); i++ {
		if p := secret[i : i+redact.MinCut]; strings.Contains(out, p) {
			j := strings.Index(out, p)
			t.Errorf("%s holds %d characters of the secret (%q): …%s…", where, redact.MinCut, p, out[max(0, j-60):min(len(out), j+40)])
			return
		}
	}
}

// TestActionSecretCutShort: a secret that a server echoes (here the API
// key, in a plain-text error long enough that the provider's message keeps
// only its first 300 characters) or that a zone file holds in a token an
// excerpt quotes by its head is cut where the text is cut: what is left
// of it is no form of the secret, and was shown as it was. Every piece of
// a secret that long is masked, in every output.
func TestActionSecretCutShort(t *testing.T) {
	const key = "pdns_live_key_0123+secret/part_Z9-and-more"
	e := newActionEnv(t)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "%s key %s rejected", strings.Repeat("x", 275), r.Header.Get("X-API-Key"))
	}))
	t.Cleanup(echo.Close)
	e.env["PDNS_API_KEY"] = key
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", echo.URL)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)

	for _, tc := range []struct{ name, command, zone, planted string }{
		{"a server's error, cut at 300 characters", "plan", "", "xxx key "},
		{"a zone file's token, quoted by its head", "check", "bad1 A " + key + "\n", "invalid value near"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone+tc.zone), 0o644)
			e.env["INPUT_COMMAND"] = tc.command
			o := e.run(t)
			all := o.stdout + o.stderr + o.summary + o.rawOut
			for _, c := range e.gh.Comments(42) {
				all += c.Body
			}
			for _, cr := range e.gh.CheckRuns() {
				all += cr.Title + cr.Summary
				for _, a := range cr.Annotations {
					all += a.Path + a.Title + a.Message
				}
			}
			if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", tc.command+".json")); err == nil {
				all += string(b)
			}
			if tc.command == "check" {
				// A secret in a zone file is in what a run shows
				// anyway: refused before anything is shown
				// (config.PublicSecretError).
				tc.planted = "stands in what a run shows anyway"
			}
			if !strings.Contains(all, tc.planted) {
				t.Fatalf("the test plants nothing: %q is not in the outputs:\n%s", tc.planted, o.summary)
			}
			findCut(t, tc.command, unmasked(all), key)
		})
	}
}

// TestActionSecretEscapedByServer: a provider API echoes the key in a JSON
// error with its solidus escaped (\/, as PHP's json_encode writes it), a
// form of the key; push prints the error in its Markdown report, which
// escapes the backslash (&#92;/). The Action takes that report as the step
// summary, the comment and the log: no piece of the key may be left in any
// of them, nor in the JSON report.
func TestActionSecretEscapedByServer(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	e := newActionEnv(t)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet { // the zone, empty: push sends every RRset
			fmt.Fprint(w, `{"name":"acme.test.","kind":"Native","rrsets":[{"name":"acme.test.","type":"SOA","ttl":300,"records":[{"content":"ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300"}]}]}`)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"key %s refused"}`, strings.ReplaceAll(r.Header.Get("X-API-Key"), "/", `\/`))
	}))
	t.Cleanup(echo.Close)
	e.env["PDNS_API_KEY"] = key
	e.env["INPUT_COMMAND"] = "push"
	e.env["INPUT_ARGS"] = "--force"
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", echo.URL)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	o := e.run(t)
	if !strings.Contains(o.summary, "HTTP 400: {\"message\":\"key ") {
		t.Fatalf("the test plants nothing: the provider's error is not in the report:\n%s", o.summary)
	}
	all := o.stdout + o.stderr + o.summary + o.rawOut
	for _, c := range e.gh.Comments(42) {
		all += c.Body
	}
	if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "push.json")); err == nil {
		all += string(b)
	}
	findCut(t, "push", unmasked(all), key)
}

// TestActionSecretOfArgsConfig: a config given through the args input
// (--config, which overrides the config input) names the variable holding
// the key, under a name that does not say it is a secret (PDNS_API). The
// Action masked the *_env values of the config input only, and of the rest
// only variables named like secrets; a provider echoing the key put it in
// the summary, the comment, the log and the JSON report. Every variable a
// command reads is a secret's, an id's or a key name's (masked as read),
// but the actor's and GOGC.
func TestActionSecretOfArgsConfig(t *testing.T) {
	const key = "pk-7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	e := newActionEnv(t)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad key %s", r.Header.Get("X-API-Key"))
	}))
	t.Cleanup(echo.Close)
	e.env["PDNS_API"] = key
	e.env["GITHUB_ACTOR"] = "octocat"
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n", echo.URL)
	os.WriteFile(filepath.Join(e.ws, "other.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\n"), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	for _, command := range []string{"plan", "push"} {
		e.env["INPUT_COMMAND"] = command
		e.env["INPUT_ARGS"] = "--config other.yaml"
		o := e.run(t)
		if !strings.Contains(o.summary, "bad key "+report.MarkdownText("***")) {
			t.Errorf("%s: the test plants nothing: the provider's error is not in the report:\n%s", command, o.summary)
		}
		all := o.stdout + o.stderr + o.summary + o.rawOut
		for _, c := range e.gh.Comments(42) {
			all += c.Body
		}
		if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", command+".json")); err == nil {
			all += string(b)
		}
		findLeaks(t, command, all, key)
	}
}

// TestActionSecretFromSTS: Route 53 credentials that no variable holds,
// the web identity chain's (GitHub's OIDC token exchanged at STS for a
// session: key, secret and session token) are secrets of the run too. A
// Route 53 endpoint that quotes the session token the request carried in
// its error put it, and a secret it got the same way, into every output:
// the Action masked only variables. What the chain retrieves is registered
// with the run's redaction (the set redact.WithSecrets puts on the
// command's context).
func TestActionSecretFromSTS(t *testing.T) {
	const (
		role    = "arn:aws:iam::123456789012:role/dnsparity"
		oidc    = "eyJhbGciOiJSUzI1NiJ9.github-oidc-token.sig"
		keyID   = "ASIATEMPORARYKEY01"
		secret  = "sts/secret+key/0123456789abcdefGHIJ"
		session = "IQoJb3JpZ2luX2VjE/sts+session/token0123456789=="
	)
	sts := awstest.NewSTS(role, oidc, keyID, secret, session)
	t.Cleanup(sts.Close)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>session %s refused (secret %s)</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
			r.Header.Get("X-Amz-Security-Token"), secret)
	}))
	t.Cleanup(echo.Close)
	awstest.WebIdentityEnv(t, role, oidc, sts.URL, echo.URL)
	e := newActionEnv(t)
	e.env["INPUT_COMMAND"] = "plan"
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  new: {type: route53, nameservers: ['127.0.0.1']}\n"), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	o := e.run(t)
	if sts.Calls() == 0 || !strings.Contains(o.summary, "InvalidInput") {
		t.Fatalf("the test plants nothing: STS asked %d times, the endpoint's error is not in the report:\n%s", sts.Calls(), o.summary)
	}
	all := o.stdout + o.stderr + o.summary + o.rawOut
	for _, c := range e.gh.Comments(42) {
		all += c.Body
	}
	if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "plan.json")); err == nil {
		all += string(b)
	}
	findLeaks(t, "plan", all, session, secret)
	// And the runner masks them in the log from then on: they reached
	// the run's set, whose new forms the Action masks.
	for _, v := range []string{session, secret} {
		if !strings.Contains(o.stdout, "::add-mask::"+v+"\n") {
			t.Errorf("the log does not mask %q (::add-mask::)", v)
		}
	}
}

// TestActionSecretEncodedByServer: a provider API echoes the key in its
// error as another program than Go writes it: JSON with every character
// outside ASCII escaped (\u00e4, Python's json.dumps, PHP's json_encode),
// JSON with characters that need no escape escaped all the same (\u002f),
// percent-encoding in lower-case hex (%2f). plan prints the error in its
// report, which the Action takes as the step summary, the comment and the
// log: no piece of the key, nor of the form the server wrote, is left.
func TestActionSecretEncodedByServer(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Jsä0Ka"
	lowerHex := regexp.MustCompile(`%[0-9A-F]{2}`)
	for _, tc := range []struct {
		name   string
		encode func(string) string
	}{
		{"json, ASCII only", func(k string) string {
			var b strings.Builder
			for _, r := range k {
				if r > '~' {
					fmt.Fprintf(&b, `\u%04x`, r)
				} else {
					b.WriteRune(r)
				}
			}
			return b.String()
		}},
		{"json, every character escaped", func(k string) string {
			var b strings.Builder
			for _, r := range k {
				if r < '0' || r > '9' && r < 'A' || r > 'Z' && r < 'a' || r > 'z' {
					fmt.Fprintf(&b, `\u%04x`, r)
				} else {
					b.WriteRune(r)
				}
			}
			return b.String()
		}},
		{"url, lower-case hex", func(k string) string {
			return lowerHex.ReplaceAllStringFunc(url.QueryEscape(k), strings.ToLower)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newActionEnv(t)
			form := tc.encode(key)
			echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"message":"key %s refused"}`, tc.encode(r.Header.Get("X-API-Key")))
			}))
			t.Cleanup(echo.Close)
			e.env["PDNS_API_KEY"] = key
			e.env["INPUT_COMMAND"] = "plan"
			os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
			cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", echo.URL)
			os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
			o := e.run(t)
			if !strings.Contains(o.summary, "key ") {
				t.Fatalf("the test plants nothing: the provider's error is not in the report:\n%s", o.summary)
			}
			all := o.stdout + o.stderr + o.summary + o.rawOut
			for _, c := range e.gh.Comments(42) {
				all += c.Body
			}
			if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "plan.json")); err == nil {
				all += string(b)
			}
			for _, f := range []string{key, form, report.MarkdownText(form)} {
				findCut(t, "plan", unmasked(all), f)
			}
		})
	}
}
