package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
)

// TestConfigURLCredentialsNeverShown: a user writes credentials into a
// provider's url: (https://user:password@host/ for a proxy, or a token as
// the user name), a field that is not a secret's. Every message that
// quotes the endpoint (PowerDNS's errors name it; a URL that is no
// http(s) URL is quoted back; net/http's own error hides a password but
// not a user name) shows it without them, in plan's text, JSON and
// Markdown, on the command line (in a step log or not), and in the
// Action's log, summary, comment, outputs and saved report. The old code
// printed "powerdns http://admin:PASSWORD@…/api/v1/servers/localhost:
// GET zone …" and `url "htp://admin:PASSWORD@…" is not an http(s) URL`.
// The server echoes the Authorization header net/http sends for the
// userinfo: base64 of "admin:PASSWORD" whole, which of a short password
// was shown ("Basic YWRtaW46UXo3LWt3", neither line knowing the
// credential whole). ClouDNS reports a failure in an HTTP 200
// (status "Failed"), which no transport redacts: its reader took the
// auth-password out of it, not the URL's credentials, and the command
// line's redaction (a step log, a terminal) knew none of them either,
// as the Action's did: its echo of the header was shown.
func TestConfigURLCredentialsNeverShown(t *testing.T) {
	const (
		pass  = "Url-Pass_w0rd-7Hq2mZ9"
		short = "Qz7-kw"
		token = "ghp_UrlTokenAsUser0123456789"
		key   = "pdns-api-key-0123456789"
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/dns/") { // ClouDNS: status "Failed" in an HTTP 200
			fmt.Fprintf(w, `{"status":"Failed","statusDescription":"Unauthorized (Authorization: %s)"}`, r.Header.Get("Authorization"))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"Unauthorized (Authorization: %s)"}`, r.Header.Get("Authorization"))
	}))
	defer api.Close()
	host := strings.TrimPrefix(api.URL, "http://")
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := strings.TrimPrefix(closed.URL, "http://")
	closed.Close()
	secrets := []string{pass, token, short, "admin:" + short}
	check := func(where, out, want string) {
		t.Helper()
		if !strings.Contains(out, want) {
			t.Fatalf("%s: the test plants nothing: %q is not in the output:\n%s", where, want, out)
		}
		findLeaks(t, where, unmasked(out), secrets...)
	}
	for _, tc := range []struct {
		name, url, want string
		formats         []string
		typ             string // powerdns when ""
	}{
		// PowerDNS names its endpoint in its errors (a 401 here).
		{"password", "http://admin:" + pass + "@" + host + "/", "Unauthorized", []string{"text", "json", "markdown"}, ""},
		{"short password", "http://admin:" + short + "@" + host + "/", "Unauthorized", []string{"text", "json", "markdown"}, ""},
		{"password, ClouDNS's HTTP 200 failure", "http://admin:" + pass + "@" + host + "/", "Unauthorized", []string{"text", "json", "markdown"}, "cloudns, auth_id: '1'"},
		// net/http's url.Error: the password hidden, a user name not.
		{"token as user name", "http://" + token + "@" + gone + "/", "unreachable", []string{"text"}, ""},
		// A URL that is not http(s): quoted back in the error.
		{"bad scheme", "htp://admin:" + pass + "@" + host + "/", "not an http(s) URL", []string{"text", "json", "markdown"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: %[2]s, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n  new: {type: %[2]s, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n", tc.url, cmp.Or(tc.typ, "powerdns"))
			os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
			for _, stepLog := range []bool{false, true} {
				env := map[string]string{"PDNS_API": key}
				if stepLog {
					env["GITHUB_ACTIONS"] = "true"
				}
				for _, format := range tc.formats {
					where := fmt.Sprintf("plan --format %s (step log: %v)", format, stepLog)
					var stdout, stderr bytes.Buffer
					a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: stepLog}
					if code := a.main(context.Background(), []string{"plan", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format}); code != exitError {
						t.Errorf("%s: exit %d, want %d", where, code, exitError)
					}
					check(where, stdout.String()+stderr.String(), tc.want)
				}
			}
			if len(tc.formats) == 1 {
				return // one slow run (retries) is enough
			}
			ae := newActionEnv(t)
			ae.env["PDNS_API_KEY"] = key
			ae.env["INPUT_COMMAND"] = "plan"
			os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
			cfg = strings.ReplaceAll(strings.ReplaceAll(cfg, "PDNS_API,", "PDNS_API_KEY,"), "file: acme", "file: zones/acme")
			os.WriteFile(filepath.Join(ae.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
			o := ae.run(t)
			all := o.stdout + o.stderr + o.summary + o.rawOut
			for _, c := range ae.gh.Comments(42) {
				all += c.Body
			}
			if b, err := os.ReadFile(filepath.Join(ae.ws, ".dnsparity", "plan.json")); err == nil {
				all += string(b)
			}
			check("the Action's plan", all, tc.want)
		})
	}
}

// TestURLCredentialsServedInRecord: the command line redacts what it
// writes in a step log (and on a terminal) with the secrets the run
// knows, and a url:'s credentials are among them, as the Action masks
// them: a record the provider serves that holds the password (which
// plan lists to delete) is shown masked. The command line knew only
// the config's variables, and printed it whole, where the Action's run
// of the same plan masked it.
func TestURLCredentialsServedInRecord(t *testing.T) {
	const pass = "Url-Served_Pw-4kQ9zX2mLp"
	s := cloudnstest.New("9876", "", "cloudns-cmd-password")
	defer s.Close()
	s.AddZone("acme.test")
	s.Seed("acme.test", cloudnstest.Record{Type: "TXT", Host: "old", Record: "sync-pw=" + pass, TTL: "300"})
	u := strings.Replace(s.URL, "://", "://admin:"+pass+"@", 1)
	dir := t.TempDir()
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  new: {type: cloudns, url: '" + u + "', auth_id: '9876', api_key_env: CLOUDNS_PASSWORD, nameservers: ['127.0.0.1']}\n"
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
	env := map[string]string{"CLOUDNS_PASSWORD": "cloudns-cmd-password", "GITHUB_ACTIONS": "true"}
	for _, format := range []string{"text", "json", "markdown"} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: true}
		code := a.main(context.Background(), []string{"plan", "--config", filepath.Join(dir, "dnsparity.yaml"), "--provider", "new", "--format", format})
		out := stdout.String() + stderr.String()
		if !strings.Contains(out, "sync-pw=") {
			t.Fatalf("plan --format %s (exit %d): the test plants nothing: the served record is not listed:\n%s", format, code, out)
		}
		findLeaks(t, "plan --format "+format+" in a step log", out, pass)
	}
}

// TestActionPastedKeyLikeName: a key pasted into api_key_env that is
// written as variable names are (capitals and digits: a base32 key) is
// neither repeated by the error for its unset variable nor left
// unmasked: the Action's comment, summary, log, outputs and report
// quoted it ("environment variable JBSWY3DP… is not set").
func TestActionPastedKeyLikeName(t *testing.T) {
	const pasted = "JBSWY3DPEHPK3PXPQ7RZ"
	ae := newActionEnv(t)
	ae.env["INPUT_COMMAND"] = "plan"
	os.MkdirAll(filepath.Join(ae.ws, "zones"), 0o755)
	cfg := "zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:1', api_key_env: " + pasted + ", nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: 'http://127.0.0.1:1', api_key_env: " + pasted + ", nameservers: ['127.0.0.1']}\n"
	os.WriteFile(filepath.Join(ae.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(ae.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	o := ae.run(t)
	all := o.stdout + o.stderr + o.summary + o.rawOut
	for _, c := range ae.gh.Comments(42) {
		all += c.Body
	}
	if b, err := os.ReadFile(filepath.Join(ae.ws, ".dnsparity", "plan.json")); err == nil {
		all += string(b)
	}
	if !strings.Contains(all, "is not set") {
		t.Fatalf("the test plants nothing: no error for the unset variable:\n%s", all)
	}
	findLeaks(t, "the Action's plan", unmasked(all), pasted)
}

// TestURLSecretShownRefused: a url:'s password is a secret the run
// masks (in a step log, on a terminal, in the Action); one that stands
// in a zone's name, or in the path of a file the zone's $INCLUDE reads,
// would be shown as ***.test. or inc-***.inc, which says what it is.
// Every command refuses it as it refuses a variable's (exit 2), naming
// what holds it, the url: of provider old, and printing neither the
// value nor a mask of it. It was masked and never checked.
func TestURLSecretShownRefused(t *testing.T) {
	const pass = "Zq7vK2mP"
	for _, tc := range []struct {
		name, zone, zoneText string
		inc                  string // an $INCLUDEd file's name ("": none)
	}{
		{"in a zone's name", "zq7vk2mp.test.", strings.ReplaceAll(acmeZone, "acme.test.", "zq7vk2mp.test."), ""},
		{"in an $INCLUDE's path", "acme.test.", acmeZone, "inc-" + pass + ".inc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := "zones:\n  - name: " + tc.zone + "\n    file: " + tc.zone + "zone\nproviders:\n" +
				"  old: {type: powerdns, url: 'http://admin:" + pass + "@127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n" +
				"  new: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n"
			write := func(dir string) {
				zt := tc.zoneText
				if tc.inc != "" {
					zt += "$INCLUDE " + tc.inc + "\n"
					os.WriteFile(filepath.Join(dir, tc.inc), []byte("x 300 IN TXT \"hello\"\n"), 0o644)
				}
				os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
				os.WriteFile(filepath.Join(dir, tc.zone+"zone"), []byte(zt), 0o644)
			}
			refused := func(where string, code int, out string) {
				t.Helper()
				if code != exitError || !strings.Contains(out, "the url: of provider old holds a secret that stands in what a run shows") {
					t.Errorf("%s: exit %d, want 2 naming the url: of provider old:\n%s", where, code, out)
				}
				if strings.Contains(strings.ToLower(out), "zq7v") || strings.Contains(out, "***") {
					t.Errorf("%s: the output shows the password or a mask of it:\n%s", where, out)
				}
			}
			dir := t.TempDir()
			write(dir)
			env := map[string]string{"PDNS_API_KEY": "pdns-api-key-0123456789"}
			for _, stepLog := range []bool{false, true} {
				for _, args := range [][]string{{"check"}, {"check", "--format", "json"}, {"plan"}, {"plan", "--format", "json"}} {
					var stdout, stderr bytes.Buffer
					a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: stepLog}
					code := a.main(context.Background(), append(args, "--config", filepath.Join(dir, "dnsparity.yaml")))
					refused(fmt.Sprintf("%s (step log: %v)", strings.Join(args, " "), stepLog), code, stdout.String()+stderr.String())
				}
			}
			e := newActionEnv(t)
			e.env["PDNS_API_KEY"] = env["PDNS_API_KEY"]
			e.env["INPUT_COMMAND"] = "check"
			write(e.ws)
			o := e.run(t)
			refused("the Action's check", o.code, e.shown(o, "check.json"))
		})
	}
}
