package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// guardEnv is a repository whose config names a PowerDNS provider's key
// (PDNS_API_KEY) and a zone, for commands that stop before they send
// anything.
func guardEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n  new: {type: powerdns, url: 'http://127.0.0.1:9', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1:9']}\n"
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
