package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
)

// guardEnv is a repository whose config names a PowerDNS provider's key
// (PDNS_API_KEY) and a zone, for commands that stop before they send
// anything.
func guardEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n" +
		// what every cutover step needs before it reads a secret
		// (config.CutoverErrors), so that the steps get to the secrets
		"registrar: {type: manual}\ncutover: {parent_servers: ['127.0.0.1:9']}\n"
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runGuard runs args in-process with env, returning the exit code and
// what was printed.
func runGuard(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	code := a.main(context.Background(), args)
	return code, out.String() + errb.String()
}

// TestShortSecretRefused: a secret of fewer than 4 characters, which no
// output could mask, stops plan and push before anything is sent (exit 2),
// naming the key and the variable, never the value, in every format.
func TestShortSecretRefused(t *testing.T) {
	dir := guardEnv(t)
	env := map[string]string{"PDNS_API_KEY": "Zq9"}
	for _, cmd := range []string{"plan", "push"} {
		for _, format := range []string{"text", "json", "markdown"} {
			code, out := runGuard(t, env, cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format)
			if code != exitError || !strings.Contains(out, "api_key_env") || !strings.Contains(out, "PDNS_API_KEY") || !strings.Contains(out, "fewer than 4 characters") {
				t.Errorf("%s --format %s: exit %d, want 2 naming the key:\n%s", cmd, format, code, out)
			}
			if strings.Contains(strings.ToLower(out), "zq9") {
				t.Errorf("%s --format %s: the output holds the value:\n%s", cmd, format, out)
			}
		}
	}
}

// TestHTTP2DebugRefused: with GODEBUG turning on net/http's HTTP/2 debug
// log (which prints every request's headers, the API key among them, to
// stderr, past every redaction), each command that reads secrets exits 2
// before it reads one, naming the setting; the commands that read none
// run; http2debug=0 is no refusal. The setting counts from the
// command's environment (the Action's runner) and from this process's.
func TestHTTP2DebugRefused(t *testing.T) {
	dir := guardEnv(t)
	cfg := filepath.Join(dir, "dnsparity.yaml")
	const key = "pdns-api-key-never-logged-0001"
	secretful := [][]string{
		{"plan", "--config", cfg}, {"push", "--config", cfg}, {"parity", "--config", cfg}, {"import", "--config", cfg, "--provider", "new", "--zone", "acme.test."},
		{"status", "--config", cfg, "--zone", "acme.test."}, {"flip", "--config", cfg, "--zone", "acme.test.", "--dry-run"},
		{"rollback", "--config", cfg, "--zone", "acme.test.", "--dry-run"}, {"finish", "--config", cfg, "--zone", "acme.test."},
		{"action"}, {"demo", "--dir", t.TempDir()},
	}
	for _, godebug := range []string{"http2debug=2", "http2debug=1", "madvdontneed=1,http2debug=1", "http2debug=10", "http2debug=0,http2debug=2"} {
		for _, args := range secretful {
			var asked []string
			env := map[string]string{"GODEBUG": godebug, "PDNS_API_KEY": key, "INPUT_COMMAND": "plan", "INPUT_CONFIG": cfg}
			var out, errb bytes.Buffer
			a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { asked = append(asked, k); return env[k] }}
			code := a.main(context.Background(), args)
			if code != exitError || !strings.Contains(errb.String(), "GODEBUG holds http2debug=") || !strings.Contains(errb.String(), "dnsparity "+args[0]+":") {
				t.Errorf("GODEBUG=%s %s: exit %d, want 2 naming the setting:\n%s%s", godebug, args[0], code, out.String(), errb.String())
			}
			for _, k := range asked {
				if k != "GODEBUG" {
					t.Errorf("GODEBUG=%s %s: read %s before refusing", godebug, args[0], k)
				}
			}
		}
	}
	// The commands that read no secret run, and so does every command
	// with http2debug=0.
	env := map[string]string{"GODEBUG": "http2debug=2", "PDNS_API_KEY": key}
	for _, args := range [][]string{{"check", filepath.Join(dir, "acme.test.zone")}, {"ttl", "--cap", "3600", "--dry-run", filepath.Join(dir, "acme.test.zone")}, {"matrix", "--config", cfg}, {"version"}} {
		if code, out := runGuard(t, env, args...); code != exitOK || strings.Contains(out, "GODEBUG") {
			t.Errorf("GODEBUG=http2debug=2 %s: exit %d, want 0:\n%s", args[0], code, out)
		}
	}
	env["GODEBUG"] = "http2debug=0,x509negativeserial=1"
	if _, out := runGuard(t, env, "plan", "--config", cfg); strings.Contains(out, "GODEBUG") {
		t.Errorf("GODEBUG=http2debug=0 refused:\n%s", out)
	}
	// This process's own GODEBUG counts too (read as the program
	// started: in-process runs share it).
	t.Setenv("GODEBUG", "http2debug=1")
	if code, out := runGuard(t, map[string]string{"PDNS_API_KEY": key}, "plan", "--config", cfg); code != exitError || !strings.Contains(out, "GODEBUG holds http2debug=1") {
		t.Errorf("the process's GODEBUG: exit %d:\n%s", code, out)
	}
}

// TestHTTP2DebugBinary: the built binary, run with GODEBUG=http2debug=2
// in its environment, refuses plan (exit 2) without printing the key, and
// still checks a zone.
func TestHTTP2DebugBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dnsparity")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := guardEnv(t)
	const key = "pdns-api-key-never-logged-0002"
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GODEBUG=http2debug=2", "PDNS_API_KEY="+key)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0, string(out)
		case errors.As(err, &ee):
			return ee.ExitCode(), string(out)
		}
		t.Fatalf("%v: %v", args, err)
		return 0, ""
	}
	for _, format := range []string{"text", "json", "markdown"} {
		code, out := run("plan", "--format", format)
		if code != exitError || !strings.Contains(out, "GODEBUG holds http2debug=2") {
			t.Errorf("plan --format %s: exit %d, want 2:\n%s", format, code, out)
		}
		if strings.Contains(out, key) || strings.Contains(out, "http2:") {
			t.Errorf("plan --format %s: the key or an HTTP/2 log line:\n%s", format, out)
		}
	}
	if code, out := run("check", "acme.test.zone"); code != exitOK {
		t.Errorf("check: exit %d:\n%s", code, out)
	}
}

// TestPublicSecretRefused: a secret that stands in text a run shows
// anyway (the zone's name acme.test., its file acme.test.zone, a record
// of it) would be shown by where its mask falls (zones/***.test.zone
// next to the zone acme.test.). plan, push and the Action refuse it
// before anything is sent or printed (exit 2), naming the variable and
// never the value; nothing reaches the provider's API.
func TestPublicSecretRefused(t *testing.T) {
	var calls atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, `{"error": "Not Found"}`, http.StatusNotFound)
	}))
	defer api.Close()
	for _, key := range []string{
		"acme",                  // the zone's name
		"ACME.TEST",             // the zone's name, in another case
		"test.zone",             // the zone file's path
		"192.0.2.10",            // a record's data
		"mx1.acme.test.zone!xy", // a piece of MinCut characters: acme.test.zo
	} {
		dir := guardEnv(t)
		cfg := strings.ReplaceAll("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'URL', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: powerdns, url: 'URL', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n", "URL", api.URL)
		if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"PDNS_API_KEY": key}
		for _, cmd := range []string{"plan", "push"} {
			for _, format := range []string{"text", "json", "markdown"} {
				code, out := runGuard(t, env, cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format)
				if code != exitError || !strings.Contains(out, "PDNS_API_KEY") || !strings.Contains(out, "stands in what a run shows") {
					t.Errorf("key %q: %s --format %s: exit %d, want 2 naming the variable:\n%s", key, cmd, format, code, out)
				}
				if strings.Contains(strings.ToLower(out), strings.ToLower(key)) || strings.Contains(out, "***") {
					t.Errorf("key %q: %s --format %s: the output shows the value or a mask of it:\n%s", key, cmd, format, out)
				}
			}
		}
		// The Action, whose masks would fall in every annotation of the
		// zone file, also for check, which sends nothing.
		for _, command := range []string{"check", "plan"} {
			e := newActionEnv(t)
			e.env["PDNS_API_KEY"] = key
			e.env["INPUT_COMMAND"] = command
			os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(e.ws, "acme.test.zone"), []byte(acmeZone), 0o644)
			o := e.run(t)
			all := e.shown(o, "")
			if o.code != exitError || !strings.Contains(html.UnescapeString(all), "PDNS_API_KEY") || !strings.Contains(all, "stands in what a run shows") {
				t.Errorf("key %q: action %s: exit %d, want 2 naming the variable:\n%s", key, command, o.code, all)
			}
			if strings.Contains(all, "***") {
				t.Errorf("key %q: action %s: a mask fell in public text:\n%s", key, command, all)
			}
		}
	}
	if n := calls.Load(); n > 0 {
		t.Errorf("the provider's API was asked %d times", n)
	}
}

// TestIncludedFilePathSecretRefused: a file an $INCLUDE reads is named
// by what a run shows of it (a problem's "file", an annotation's path,
// a record's file:line), as the config's zone files are; a secret that
// stands in its name is refused (exit 2, naming the variable), as one in
// a zone file's name is. plan printed the path whole on the command line
// ("inc-Zq7v….inc:2: bad A record"), and the Action put a mask in it
// ("inc-***.inc" in its comment, annotations and report), which says
// what the secret is to anyone who reads the repository.
func TestIncludedFilePathSecretRefused(t *testing.T) {
	const key = "Zq7vK2mP9xR4tL8wN3bH6jF1"
	inc := "inc-" + key + ".inc"
	for _, tc := range []struct{ what, included string }{
		{"a problem in it", "x 300 IN TXT \"hello\"\nbad 300 IN A 999.1.1.1\n"},
		{"its records", "x 300 IN TXT \"hello\"\n"},
	} {
		dir := guardEnv(t)
		os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"$INCLUDE "+inc+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, inc), []byte(tc.included), 0o644)
		refused := func(where string, code int, out string) {
			t.Helper()
			if code != exitError || !strings.Contains(html.UnescapeString(out), "PDNS_API_KEY") || !strings.Contains(out, "stands in what a run shows") {
				t.Errorf("%s, %s: exit %d, want 2 naming the variable:\n%s", tc.what, where, code, out)
			}
			if strings.Contains(out, key[:8]) || strings.Contains(out, "***") {
				t.Errorf("%s, %s: the output shows the value or a mask of it:\n%s", tc.what, where, out)
			}
		}
		for _, cmd := range []string{"plan", "push"} {
			for _, format := range []string{"text", "json"} {
				code, out := runGuard(t, map[string]string{"PDNS_API_KEY": key}, cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format)
				refused(cmd+" --format "+format, code, out)
			}
		}
		for _, command := range []string{"check", "plan"} {
			e := newActionEnv(t)
			e.env["PDNS_API_KEY"] = key
			e.env["INPUT_COMMAND"] = command
			cfg, _ := os.ReadFile(filepath.Join(dir, "dnsparity.yaml"))
			os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), cfg, 0o644)
			os.WriteFile(filepath.Join(e.ws, "acme.test.zone"), []byte(acmeZone+"$INCLUDE "+inc+"\n"), 0o644)
			os.WriteFile(filepath.Join(e.ws, inc), []byte(tc.included), 0o644)
			o := e.run(t)
			refused("the Action's "+command, o.code, e.shown(o, command+".json"))
		}
	}
}

// TestPublicSecretRefusedByParity: parity signs its transfers with each
// side's TSIG key (parity.axfr); a TXT record of the zone that holds that
// key would be shown with a mask where the key stands. parity refuses the
// zone before it asks any server (exit 2), naming the variable, never
// the value.
func TestPublicSecretRefusedByParity(t *testing.T) {
	const secret = "c2VjcmV0LWluLWEtdHh0LXJlY29yZA=="
	dir := t.TempDir()
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n" +
		"  old: {type: rfc2136, server: '127.0.0.1:9', nameservers: ['127.0.0.1:9'], tsig: {name: k., algorithm: hmac-sha256, secret_env: TSIG_SECRET}}\n" +
		"  new: {type: rfc2136, server: '127.0.0.1:9', nameservers: ['127.0.0.1:9'], tsig: {name: k., algorithm: hmac-sha256, secret_env: TSIG_SECRET}}\n" +
		"parity:\n  axfr: true\n  retries: 0\n  timeout: 200ms\n"
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"key TXT \""+secret+"\"\n"), 0o644)
	for _, format := range []string{"text", "json", "markdown"} {
		code, out := runGuard(t, map[string]string{"TSIG_SECRET": secret}, "parity", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format)
		if code != exitError || !strings.Contains(out, "TSIG_SECRET") || !strings.Contains(out, "stands in what a run shows") {
			t.Errorf("parity --format %s: exit %d, want 2 naming the variable:\n%s", format, code, out)
		}
		if strings.Contains(out, secret[:12]) || strings.Contains(out, "***") {
			t.Errorf("parity --format %s: the output shows the secret or a mask of it:\n%s", format, out)
		}
	}
}

// runMasked runs args in-process as the Action runs a command: the values
// it masks given (cli.IO.Masked), PDNS_API_KEY set; it returns the exit
// code and what was printed.
func runMasked(masked map[string]string, args ...string) (int, string) {
	var out, errb bytes.Buffer
	env := map[string]string{"PDNS_API_KEY": "k9Wd2Lp5Xs8Qv3Nt6Rb1"}
	code := inProcess{}.Run(context.Background(), args, cli.IO{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Masked: masked})
	return code, out.String() + errb.String()
}

// TestMaskedByCaller: the values a caller masks (cli.IO.Masked: the
// Action's, by variable) are each command's secrets, as those its config
// reads: one that stands in a record of a zone the command loads, or in
// the config's public text (a zone's name), is refused by the command
// itself (exit 2, naming the variable, never the value); the Action does
// no pass of its own. Without them the same run is not refused.
func TestMaskedByCaller(t *testing.T) {
	const token = "Zq7vK2mP9xR4tL8wN3bH6jF1"
	run := runMasked
	refused := func(what string, code int, out, value string) {
		t.Helper()
		if code != exitError || !strings.Contains(out, "BOT_TOKEN") || !strings.Contains(out, "stands in what a run shows") {
			t.Errorf("%s: exit %d, want 2 naming BOT_TOKEN:\n%s", what, code, out)
		}
		if strings.Contains(strings.ToLower(out), strings.ToLower(value)) || strings.Contains(out, "***") {
			t.Errorf("%s: the output shows the value or a mask of it:\n%s", what, out)
		}
	}
	// In a record.
	dir := guardEnv(t)
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"note TXT \""+token+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	masked := map[string]string{"BOT_TOKEN": token}
	for _, args := range [][]string{
		{"check", "--config", cfg, "--format", "json"},
		{"check", "--format", "json", filepath.Join(dir, "acme.test.zone")}, // files named: no config read
		{"plan", "--config", cfg, "--format", "json"},
		{"parity", "--config", cfg, "--format", "json", "--retries", "0", "--timeout", "200ms"},
		{"parity", "--file", filepath.Join(dir, "acme.test.zone"), "--old", "127.0.0.1:9", "--new", "127.0.0.1:9", "--format", "json", "--retries", "0", "--timeout", "200ms"}, // no config read
	} {
		code, out := run(masked, args...)
		refused("a record: "+strings.Join(args[:2], " "), code, out, token)
	}
	if code, out := run(nil, "check", "--config", cfg, "--format", "json"); code == exitError {
		t.Errorf("a record, nothing masked: check exit %d, want it run:\n%s", code, out)
	}
	// In the config's public text: the zone's name.
	masked = map[string]string{"BOT_TOKEN": "acme"}
	for _, args := range [][]string{
		{"check", "--config", cfg, "--format", "json"},
		{"check", "--format", "json", filepath.Join(dir, "acme.test.zone")}, // the file's path
		{"plan", "--config", cfg, "--format", "json"},
		{"matrix", "--config", cfg},
	} {
		code, out := run(masked, args...)
		refused("a zone's name: "+args[0], code, out, "acme")
	}
}

// TestPublicAWSSecretRefused: the AWS credentials the chain reads from
// the environment (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: an STS
// session's), which no config variable names, are masked by the Action
// by their names and checked against public text as the config's are:
// one that stands in the zone's name or file's path is refused (exit 2,
// naming the variable) before any command runs.
func TestPublicAWSSecretRefused(t *testing.T) {
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: route53, url: 'http://127.0.0.1:9', nameservers: ['127.0.0.1:9']}\n"
	for _, v := range []string{"AWS_SESSION_TOKEN", "AWS_SECRET_ACCESS_KEY"} {
		e := newActionEnv(t)
		e.env["PDNS_API_KEY"] = "pdns-key-0123456789abcdef"
		e.env["AWS_ACCESS_KEY_ID"] = "AKIAPUBLICTEST000001"
		e.env["AWS_SECRET_ACCESS_KEY"] = "aws-secret-0123456789abcdefghijklmnop"
		e.env["AWS_SESSION_TOKEN"] = "aws-session-0123456789abcdefghijklmnop"
		e.env[v] = "acme.test"
		e.env["INPUT_COMMAND"] = "check"
		os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
		os.WriteFile(filepath.Join(e.ws, "acme.test.zone"), []byte(acmeZone), 0o644)
		o := e.run(t)
		all := e.shown(o, "")
		if o.code != exitError || !strings.Contains(html.UnescapeString(all), v) || !strings.Contains(all, "stands in what a run shows") {
			t.Errorf("%s in public text: exit %d, want 2 naming the variable:\n%s", v, o.code, all)
		}
		if strings.Contains(all, "***") {
			t.Errorf("%s: a mask fell in public text:\n%s", v, all)
		}
	}
}

// TestMaskedByCallerSecondZone: a value the caller masks standing in a
// record of the second of two zones is refused by the commands
// TestMaskedByCaller does not run (push before any provider is asked;
// the cutover commands in that zone's step), naming the variable and
// never the value or its mask. (ttl shows no record's data: not here.)
func TestMaskedByCallerSecondZone(t *testing.T) {
	const token = "Zq7vK2mP9xR4tL8wN3bH6jF1"
	dir := guardEnv(t)
	cfg := filepath.Join(dir, "dnsparity.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	two := strings.Replace(string(b), "zones:\n", "zones:\n  - name: beta.test.\n    file: beta.test.zone\n", 1)
	two = strings.Replace(two, "zones:\n  - name: beta.test.\n    file: beta.test.zone\n  - name: acme.test.\n    file: acme.test.zone\n", "zones:\n  - name: acme.test.\n    file: acme.test.zone\n  - name: beta.test.\n    file: beta.test.zone\n", 1)
	if err := os.WriteFile(cfg, []byte(two), 0o644); err != nil {
		t.Fatal(err)
	}
	beta := strings.ReplaceAll(acmeZone, "acme.test.", "beta.test.") + "note TXT \"" + token + "\"\n"
	if err := os.WriteFile(filepath.Join(dir, "beta.test.zone"), []byte(beta), 0o644); err != nil {
		t.Fatal(err)
	}
	masked := map[string]string{"BOT_TOKEN": token}
	for _, args := range [][]string{
		{"push", "--config", cfg, "--format", "json"},
		{"status", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--format", "json"},
		{"flip", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--dry-run", "--format", "json"},
		{"rollback", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--dry-run", "--format", "json"},
		{"finish", "--config", cfg, "--zone", "acme.test.", "--zone", "beta.test.", "--format", "json"},
	} {
		code, got := runMasked(masked, args...)
		if code == exitOK || !strings.Contains(got, "BOT_TOKEN") {
			t.Errorf("%s: exit %d, want a refusal naming BOT_TOKEN:\n%s", args[0], code, got)
		}
		if strings.Contains(strings.ToLower(got), strings.ToLower(token)) || strings.Contains(got, "***") {
			t.Errorf("%s: the output shows the value or a mask of it:\n%s", args[0], got)
		}
	}
}

// TestOIDCRequestURLNotASecret: a job with `id-token: write` (OIDC, as
// aws-actions/configure-aws-credentials uses for Route 53) has the
// runner's ACTIONS_ID_TOKEN_REQUEST_URL, an address on
// *.actions.githubusercontent.com; its TOKEN is
// ACTIONS_ID_TOKEN_REQUEST_TOKEN. Taken for a secret by its name, any 12
// characters of it standing in a zone (a CNAME to a name under
// githubusercontent.com or googleusercontent.com) refused the run. The
// token itself is still refused there.
func TestOIDCRequestURLNotASecret(t *testing.T) {
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: route53, url: 'http://127.0.0.1:9', nameservers: ['127.0.0.1:9']}\n"
	const oidcURL = "https://pipelinesghubeus21.actions.githubusercontent.com/Ab3dE6gH9jK2mN5pQ8rS1tU4vW7xY0z/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/1/jobs/2/idtoken?api-version=2.0"
	const oidcToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.oidc-request-token-0123456789"
	for _, tc := range []struct {
		name, record string
		refused      bool
	}{
		{"a CNAME under githubusercontent.com", "docs CNAME acme.pipelinesghubeus21.actions.githubusercontent.com.\n", false},
		{"the request token", "t TXT \"" + oidcToken + "\"\n", true},
	} {
		e := newActionEnv(t)
		e.env["PDNS_API_KEY"] = "pdns-key-0123456789abcdef"
		e.env["ACTIONS_ID_TOKEN_REQUEST_URL"] = oidcURL
		e.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = oidcToken
		e.env["INPUT_COMMAND"] = "check"
		os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
		os.WriteFile(filepath.Join(e.ws, "acme.test.zone"), []byte(acmeZone+tc.record), 0o644)
		o := e.run(t)
		all := e.shown(o, "")
		if got := strings.Contains(all, "stands in what a run shows"); got != tc.refused {
			t.Errorf("%s: refused %v (exit %d), want %v:\n%s", tc.name, got, o.code, tc.refused, all)
		}
	}
}

// TestAWSChainSecretRefused: a route53 provider without keys in the
// config signs with the standard AWS credential chain, whose environment
// link reads AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) and
// AWS_SESSION_TOKEN, and whose profile link reads the shared credentials
// file's aws_secret_access_key and aws_session_token. On the command
// line, as the Action does, one of them that stands in a zone's record is
// refused before anything is sent or printed (exit 2, naming the variable
// or the profile's key, never the value): the run would mask it where it
// stands. Without it in the zone, the run is not
// refused for it.
func TestAWSChainSecretRefused(t *testing.T) {
	const (
		id     = "AKIAIOSFODNN7CHAIN01"
		secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCHAINKEY1"
		token  = "IQoJb3JpZ2luX2VjEChainSessionToken0123456789"
	)
	var calls atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		// Route 53's error answer (API Reference, "Common Errors"):
		// a client error, not retried.
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>unexpected</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`)
	}))
	defer api.Close()
	// env is the variable, or with profile the key of the shared
	// credentials file's default profile, that holds value.
	for _, tc := range []struct {
		name, env, value string
		profile          bool
	}{
		{"secret key", "AWS_SECRET_ACCESS_KEY", secret, false},
		{"secret key, old name", "AWS_SECRET_KEY", secret, false},
		{"session token", "AWS_SESSION_TOKEN", token, false},
		{"a profile's secret key", "aws_secret_access_key", secret, true},
		{"a profile's session token", "aws_session_token", token, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := strings.ReplaceAll("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: route53, url: 'URL', zone_id: Z1, nameservers: ['127.0.0.1:9']}\n  new: {type: route53, url: 'URL', zone_id: Z2, nameservers: ['127.0.0.1:9']}\n", "URL", api.URL)
			os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
			os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"note TXT \""+tc.value+"\"\n"), 0o644)
			env := map[string]string{"AWS_ACCESS_KEY_ID": id, tc.env: tc.value}
			if tc.env == "AWS_SESSION_TOKEN" {
				env["AWS_SECRET_ACCESS_KEY"] = secret
			}
			// The chain reads the process's environment: these keys
			// and nothing else of it.
			none := filepath.Join(dir, "none")
			creds := none
			if tc.profile {
				// The profile link (the shared credentials file's
				// default profile: aws_access_key_id,
				// aws_secret_access_key, aws_session_token), with no
				// key in the environment.
				creds = filepath.Join(dir, "credentials")
				os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\naws_session_token = "+token+"\n"), 0o600)
				env = map[string]string{}
			}
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
				"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
				t.Setenv(k, env[k])
			}
			t.Setenv("AWS_CONFIG_FILE", none)
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
			t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			for _, cmd := range []string{"plan", "push"} {
				code, out := runGuard(t, env, cmd, "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", "json")
				if code != exitError || !strings.Contains(out, tc.env) || !strings.Contains(out, "stands in what a run shows") {
					t.Errorf("%s: exit %d, want 2 naming %s:\n%s", cmd, code, tc.env, out)
				}
				if strings.Contains(out, tc.value[:12]) || strings.Contains(out, "***") {
					t.Errorf("%s: the output shows the value or a mask of it:\n%s", cmd, out)
				}
			}
		})
	}
	// The Route 53 Domains registrar signs with the chain too: the
	// profile's secret key in the zone stops flip (which reads the
	// registrar's secrets) before anything is sent.
	t.Run("the registrar's profile secret key", func(t *testing.T) {
		dir := t.TempDir()
		cfg := strings.ReplaceAll("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'URL', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: powerdns, url: 'URL', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\nregistrar:\n  type: route53domains\n  url: URL\ncutover: {parent_servers: ['127.0.0.1:9']}\n", "URL", api.URL)
		os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
		os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone+"note TXT \""+secret+"\"\n"), 0o644)
		creds := filepath.Join(dir, "credentials")
		os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n"), 0o600)
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
			"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
			t.Setenv(k, "")
		}
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
		code, out := runGuard(t, map[string]string{"PDNS_API_KEY": "pdns-key-0123456789abcdef"}, "flip", "--config", filepath.Join(dir, "dnsparity.yaml"), "--zone", "acme.test.", "--format", "json")
		if code != exitError || !strings.Contains(out, "aws_secret_access_key") || !strings.Contains(out, "stands in what a run shows") {
			t.Errorf("flip: exit %d, want 2 naming aws_secret_access_key:\n%s", code, out)
		}
		if strings.Contains(out, secret[:12]) || strings.Contains(out, "***") {
			t.Errorf("flip: the output shows the value or a mask of it:\n%s", out)
		}
	})
	if n := calls.Load(); n > 0 {
		t.Errorf("the Route 53 API was asked %d times", n)
	}
}
