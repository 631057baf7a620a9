package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestSecretMixedEscapesByServer: a provider API echoes its key in its
// error in a form no list of forms holds (redacttest.Echoes: JSON with
// every other character, or a random mix, \u-escaped, in lower- and
// upper-case hex; percent-encoding with the hex case mixed), quoted in a
// JSON message or as the body's own escapes. The provider redacts what
// the server sent where it comes in (redact.ServerText), before plan and
// push quote it and render it: no piece of the key nor of the form the
// server wrote is in plan's or push's text, JSON or Markdown, on the
// command line (in a step log or not) or in the Action's summary,
// comment, check run (annotations), log and saved report, each of which
// is checked to hold the provider's error; import's output too. The
// echoes include the key in another letter case and as hex, and every
// form redacttest.Echoes plants (0x lists, octal and CSS escapes, %u,
// base64 of base64, spaced out, split by HTML tags or Markdown emphasis).
// Each form is also written in a zone file's TXT record (or as its Record
// says: across a TXT record's strings, across an owner name's labels),
// which the Action's check and plan refuse (a secret in what a run shows
// anyway).
func TestSecretMixedEscapesByServer(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Jsä0Ka"
	const soa = `{"name":"acme.test.","kind":"Native","rrsets":[{"name":"acme.test.","type":"SOA","ttl":300,"records":[{"content":"ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300"}]}]}`
	for _, e := range redacttest.Echoes(key) {
		t.Run(e.Name, func(t *testing.T) {
			// reads refuses every request (plan fails reading);
			// writes refuses only writes (push fails writing).
			fake := func(readsToo bool) string {
				s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					// PowerDNS's X-API-Key, NS1's X-NSONE-Key.
					if r.Header.Get("X-API-Key") != key && r.Header.Get("X-NSONE-Key") != key {
						t.Errorf("the provider sent another key: %q %q", r.Header.Get("X-API-Key"), r.Header.Get("X-NSONE-Key"))
					}
					if r.Method == http.MethodGet && !readsToo {
						fmt.Fprint(w, soa)
						return
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					fmt.Fprintf(w, `{"message":%s}`, e.JSON) // not PowerDNS's "error": quoted as it is
				}))
				t.Cleanup(s.Close)
				return s.URL
			}
			forms := []string{key, e.Form, report.MarkdownText(e.Form), report.MarkdownCode(e.Form), report.MarkdownText(key)}
			check := func(where, out string) {
				t.Helper()
				if !strings.Contains(out, "refused") {
					t.Fatalf("%s: the test plants nothing: the provider's error is not in the output:\n%s", where, out)
				}
				if l := redacttest.Leak(out, forms...); l != "" {
					t.Errorf("%s: the output holds the key: %s", where, l)
				}
			}
			// The fake's {"message": ...} is NS1's error shape (ns1-go
			// rest.Error); PowerDNS's is {"error": ...}, and PowerDNS's
			// client quotes a body it does not read as it is.
			for _, tc := range []struct {
				cmd  string
				args []string
				url  string
				typ  string
			}{
				{"plan", nil, fake(true), "powerdns"},
				{"push", []string{"--force"}, fake(false), "powerdns"},
				{"plan", nil, fake(true), "ns1"},
			} {
				dir := t.TempDir()
				cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: %[2]s, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n  new: {type: %[2]s, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n", tc.url, tc.typ)
				os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
				os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
				for _, stepLog := range []bool{false, true} {
					env := map[string]string{"PDNS_API": key}
					if stepLog {
						env["GITHUB_ACTIONS"] = "true"
					}
					for _, format := range []string{"text", "json", "markdown"} {
						where := fmt.Sprintf("%s %s --format %s (step log: %v)", tc.typ, tc.cmd, format, stepLog)
						var stdout, stderr bytes.Buffer
						a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: stepLog}
						code := a.main(context.Background(), append([]string{tc.cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format}, tc.args...))
						if code != exitError {
							t.Errorf("%s: exit %d, want %d", where, code, exitError)
						}
						check(where, stdout.String()+stderr.String())
						if format == "json" && !json.Valid(stdout.Bytes()) {
							t.Errorf("%s: not JSON:\n%s", where, stdout.String())
						}
					}
				}
				if tc.cmd != "plan" {
					continue
				}
				// import, which reads the zone from the provider and
				// prints it (no --format), with the fake that refuses
				// reads.
				env := map[string]string{"PDNS_API": key}
				var stdout, stderr bytes.Buffer
				a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
				if code := a.main(context.Background(), []string{"import", "--config", filepath.Join(dir, "dnsparity.yaml"), "--provider", "old", "--zone", "acme.test."}); code != exitError {
					t.Errorf("import: exit %d, want %d", code, exitError)
				}
				check("import", stdout.String()+stderr.String())
			}
			// The Action: summary, comment, log and saved report.
			ae := newActionEnv(t)
			ae.env["PDNS_API_KEY"] = key
			ae.env["INPUT_COMMAND"] = "plan"
			os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
			cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", fake(true))
			os.WriteFile(filepath.Join(ae.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
			o := ae.run(t)
			all := ae.shown(o, "plan.json")
			check("the Action's plan", all)
			// Each output holds the provider's error (the test plants
			// something in each), and none holds the key: the step
			// summary, the log, the pull request's comment, the saved
			// JSON report; GITHUB_OUTPUT and the check runs are in all.
			saved, _ := os.ReadFile(filepath.Join(ae.ws, ".dnsparity", "plan.json"))
			var comments string
			for _, c := range ae.gh.Comments(42) {
				comments += c.Body
			}
			var runs string
			for _, cr := range ae.gh.CheckRuns() {
				runs += cr.Title + "\n" + cr.Summary + "\n" + fmt.Sprint(cr.Annotations)
			}
			for _, out := range []struct{ where, text string }{
				{"the step summary", o.summary}, {"the log", unmasked(o.stdout + o.stderr)},
				{"the comment", comments}, {"the saved report", string(saved)}, {"the check run", runs},
			} {
				check("the Action's plan, "+out.where, out.text)
			}
			// The same form in a zone file's TXT record (in presentation
			// form, zone.Quote), which the second line reads (redact.
			// Secrets, InPublic): the Action's check and plan refuse it
			// before they show anything (a mask there would say what it
			// is), and show no piece of it.
			// An echo whose Record writes it otherwise (across the
			// strings of one TXT record, across an owner name's labels)
			// is planted so.
			record := "k1 300 IN TXT " + zone.Quote(e.Form)
			if e.Record != "" {
				record = e.Record
			}
			for _, cmd := range []string{"check", "plan"} {
				ze := newActionEnv(t)
				ze.env["PDNS_API_KEY"] = key
				ze.env["INPUT_COMMAND"] = cmd
				os.MkdirAll(filepath.Join(ze.ws, "zones"), 0o755)
				os.WriteFile(filepath.Join(ze.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
				os.WriteFile(filepath.Join(ze.ws, "zones", "acme.test.zone"), []byte(acmeZone+record+"\n"), 0o644)
				zo := ze.run(t)
				shown := ze.shown(zo, cmd+".json")
				where := "the Action's " + cmd + " of a zone holding the form"
				if zo.code != exitError || !strings.Contains(shown, "stands in what a run shows anyway") {
					t.Errorf("%s: exit %d, want 2 refusing the secret", where, zo.code)
				}
				if l := redacttest.Leak(shown, forms...); l != "" {
					t.Errorf("%s: the output holds the key: %s", where, l)
				}
			}
		})
	}
}
