package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// formsKey is a PowerDNS API key (any string: the server compares it,
// https://doc.powerdns.com/authoritative/http-api/index.html) with
// characters HTML and Markdown escape.
const formsKey = "pk_7Hq2*mZ9wXr4.Lt8Vn3-Bc6/Yd1+Fg5=Js"

// eachChar is s with every character written by f.
func eachChar(s string, f func(r rune) string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(f(r))
	}
	return b.String()
}

// serverForms are ways a server writes a key back that a reader of the
// output reads as the key: HTML references as an HTML escaper or
// browser writes and reads them (named ones beyond &amp; &lt; &gt;
// &quot; &apos;, numeric ones without the ";" HTML allows to be left
// off), CommonMark's backslash escapes of punctuation (GitHub renders
// a\_b as a_b), and the key broken every few characters by a character
// that renders as nothing (a soft hyphen, a zero-width space or joiner,
// raw, as an HTML reference or as a JSON \u escape), no piece of it as
// long as redact.MinCut.
func serverForms(key string) map[string]string {
	named := map[rune]string{'_': "&lowbar;", '*': "&ast;", '.': "&period;", '/': "&sol;", '+': "&plus;", '=': "&equals;"}
	return map[string]string{
		"HTML named references": eachChar(key, func(r rune) string {
			if n, ok := named[r]; ok {
				return n
			}
			return string(r)
		}),
		"HTML decimal references without ;": eachChar(key, func(r rune) string { return fmt.Sprintf("&#%d", r) }),
		"HTML hex references without ;":     eachChar(key, func(r rune) string { return fmt.Sprintf("&#X%X", r) }),
		"Markdown backslash escapes": eachChar(key, func(r rune) string {
			if strings.ContainsRune(`_*.-/+=`, r) {
				return `\` + string(r)
			}
			return string(r)
		}),
		"a soft hyphen every 5 characters":                     redacttest.Every(key, "\u00ad", 5),
		"&shy; every 5 characters":                             redacttest.Every(key, "&shy;", 5),
		"a zero-width space every 5 characters":                redacttest.Every(key, "\u200b", 5),
		"a zero-width joiner every 5 characters, JSON-escaped": redacttest.Every(key, `\u200d`, 5),
	}
}

// readable is text as a reader takes it in: HTML references decoded (a
// browser's, GitHub's rendering), CommonMark's backslash escapes taken
// out, characters that render as nothing left out, and letters of other
// scripts that look like Latin ones read as those (redacttest.LookAlikes
// undone).
func readable(text string) string {
	latin := map[rune]rune{}
	for _, c := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" {
		if l := []rune(redacttest.LookAlikes(string(c)))[0]; l != c {
			latin[l] = c
		}
	}
	text = html.UnescapeString(html.UnescapeString(text))
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && rs[i+1] < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", rs[i+1]):
			continue
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u034f' || r == '\ufe0f':
			continue
		}
		if l, ok := latin[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestSecretFormsByServer: a provider API echoes its key in its error in
// a form a reader of the output reads as the key (serverForms). plan
// (text, JSON, Markdown; on a terminal and in a step log) and the
// Action's plan (log, summary, comment, check run, saved report,
// outputs) show no piece of it of redact.MinCut characters, read as a
// reader reads them (readable).
func TestSecretFormsByServer(t *testing.T) {
	for name, form := range serverForms(formsKey) {
		t.Run(name, func(t *testing.T) {
			msg, _ := json.Marshal("key " + form + " refused")
			if strings.Contains(name, "JSON-escaped") {
				msg = []byte(`"key ` + form + ` refused"`)
			}
			var sent string
			if err := json.Unmarshal(msg, &sent); err != nil || !strings.Contains(readable(sent), formsKey) {
				t.Fatalf("the test's message %s does not read as the key (%v)", msg, err)
			}
			planEverywhere(t, formsKey, func(w http.ResponseWriter, r *http.Request) {
				// PowerDNS answers an error with {"error": "..."}
				// (https://doc.powerdns.com/authoritative/http-api/index.html#errors).
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnprocessableEntity)
				fmt.Fprintf(w, `{"error":%s}`, msg)
			}, func(where, out string) {
				t.Helper()
				if !strings.Contains(out, "refused") {
					t.Fatalf("%s: the test plants nothing: the provider's error is not in the output:\n%s", where, out)
				}
				if l := redacttest.Leak(readable(out), formsKey); l != "" {
					t.Errorf("%s: the output holds the key: %s", where, l)
				}
			})
		})
	}
}

// planEverywhere runs plan against a PowerDNS API (api, both providers)
// whose key is key: on the command line (text, JSON, Markdown; on a
// terminal and in a step log) and as the Action's plan, and gives check
// each output (the Action's: log, summary, comment, check run, saved
// report and outputs together) and where it came from.
func planEverywhere(t *testing.T, key string, api http.HandlerFunc, check func(where, out string)) {
	t.Helper()
	s := httptest.NewServer(api)
	t.Cleanup(s.Close)
	cfg := func(file string) string {
		return fmt.Sprintf("zones:\n  - name: acme.test.\n    file: %[2]s\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", s.URL, file)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg("acme.test.zone")), 0o644)
	os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
	for _, stepLog := range []bool{false, true} {
		env := map[string]string{"PDNS_API_KEY": key}
		if stepLog {
			env["GITHUB_ACTIONS"] = "true"
		}
		for _, format := range []string{"text", "json", "markdown"} {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: stepLog}
			code := a.main(context.Background(), []string{"plan", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format})
			where := fmt.Sprintf("plan --format %s (step log: %v)", format, stepLog)
			if code != exitError {
				t.Errorf("%s: exit %d, want %d", where, code, exitError)
			}
			check(where, stdout.String()+stderr.String())
		}
	}
	ae := newActionEnv(t)
	ae.env["PDNS_API_KEY"] = key
	ae.env["INPUT_COMMAND"] = "plan"
	os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
	os.WriteFile(filepath.Join(ae.ws, "dnsparity.yaml"), []byte(cfg("zones/acme.test.zone")), 0o644)
	os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	all := ae.shown(ae.run(t), "plan.json")
	check("the Action's plan", all)
}

// TestSecretWithBlanksEchoed: a key whose variable holds blanks around
// it (a secret pasted with a trailing space or tab) is sent without them:
// net/http trims a header's value. A server that echoes the header it
// got quotes the key without its blanks; no output shows it.
func TestSecretWithBlanksEchoed(t *testing.T) {
	for i, key := range []string{"pk-Blank-7Hq2mZ9wXr4Lt8Vn3 ", "\tpk-Blank-7Hq2mZ9wXr4Lt8Vn3", " pk-Blank-7Hq2mZ9wXr4Lt8Vn3  "} {
		// Named by number: a subtest's name is in its temporary
		// directory's path, which a run refuses a secret in.
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			planEverywhere(t, key, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnprocessableEntity)
				msg, _ := json.Marshal("key '" + r.Header.Get("X-API-Key") + "' refused")
				fmt.Fprintf(w, `{"error":%s}`, msg)
			}, func(where, out string) {
				t.Helper()
				if !strings.Contains(out, "refused") {
					t.Fatalf("%s: the test plants nothing: the provider's error is not in the output:\n%s", where, out)
				}
				if l := redacttest.Leak(out, strings.TrimSpace(key)); l != "" {
					t.Errorf("%s: the output holds the key: %s", where, l)
				}
			})
		})
	}
}

// TestSecretMiddleEchoed: a server quotes a piece from the middle of the
// key (an excerpt of a fixed width, cut inside it at both ends: neither
// its head nor its end is there). No output shows that piece.
func TestSecretMiddleEchoed(t *testing.T) {
	const key = "pk-Middle-7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js"
	for _, cut := range []int{1, 4, 9} {
		piece := key[cut : len(key)-cut]
		t.Run(fmt.Sprint(cut), func(t *testing.T) { // not the piece: it would be in the temporary directory's path
			planEverywhere(t, key, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnprocessableEntity)
				fmt.Fprintf(w, `{"error":"key '…%s…' refused"}`, piece)
			}, func(where, out string) {
				t.Helper()
				if !strings.Contains(out, "refused") {
					t.Fatalf("%s: the test plants nothing: the provider's error is not in the output:\n%s", where, out)
				}
				if l := redacttest.Leak(out, key); l != "" {
					t.Errorf("%s: the output holds the key: %s", where, l)
				}
			})
		})
	}
}

// TestSecretSeparatedHexEchoed: a server prints the bytes of the key it
// holds as hex with a separator between bytes (aa:bb:cc, aa bb cc, as
// key dumps and fingerprints are written), in either case. No output
// shows it.
func TestSecretSeparatedHexEchoed(t *testing.T) {
	const key = "pk-Hex-7Hq2mZ9wXr4Lt8Vn3Bc6Yd1F"
	for _, sep := range []string{":", " ", "-"} {
		for _, upper := range []bool{false, true} {
			h := fmt.Sprintf("% x", key)
			if upper {
				h = strings.ToUpper(h)
			}
			form := strings.ReplaceAll(h, " ", sep)
			t.Run(fmt.Sprintf("%q,%v", sep, upper), func(t *testing.T) { // not the form: it would be in the temporary directory's path
				planEverywhere(t, key, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusUnprocessableEntity)
					fmt.Fprintf(w, `{"error":"key bytes %s refused"}`, form)
				}, func(where, out string) {
					t.Helper()
					if !strings.Contains(out, "refused") {
						t.Fatalf("%s: the test plants nothing: the provider's error is not in the output:\n%s", where, out)
					}
					if l := redacttest.Leak(strings.NewReplacer(sep, "").Replace(out), key); l != "" {
						t.Errorf("%s: the output holds the key's bytes: %s", where, l)
					}
				})
			})
		}
	}
}
