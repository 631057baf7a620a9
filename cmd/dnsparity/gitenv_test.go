package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitGetsNoSecret: the pr command reads the base branch's config
// with git where git is (readBase: git show BASE:dnsparity.yaml). git is
// another program: the environment it is given holds none of the run's
// secrets, neither the GitHub token nor a provider's key, whatever their
// variables are called. A git earlier in PATH writes down the
// environment it got, then fails (the contents API is read instead).
func TestGitGetsNoSecret(t *testing.T) {
	const key = "pdns-key-GitEnv-7Hq2mZ9wXr4Lt8"
	bin := t.TempDir()
	dump := filepath.Join(bin, "env.txt")
	script := fmt.Sprintf("#!/bin/sh\nenv > '%s'\necho 'fatal: bad object' >&2\nexit 128\n", dump)
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"Unauthorized"}`)
	}))
	defer api.Close()
	e := newActionEnv(t)
	e.env["INPUT_COMMAND"] = "pr"
	e.env["PDNS_API_KEY"] = key
	e.env["GITHUB_TOKEN"] = botToken
	e.env["PATH"] = bin + string(os.PathListSeparator) + os.Getenv("PATH")
	// The container's environment is the process's: what the Action
	// reads through Getenv, git inherits.
	for k, v := range e.env {
		t.Setenv(k, v)
	}
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API_KEY, nameservers: ['127.0.0.1']}\n", api.URL)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	e.run(t)
	got, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("the test plants nothing: git was not run (%v)", err)
	}
	for _, l := range strings.Split(string(got), "\n") {
		name, _, _ := strings.Cut(l, "=")
		for _, s := range []string{key, botToken} {
			if strings.Contains(l, s) {
				t.Errorf("git's environment holds the secret %q in %s", s, name) // the name only: the rest is this machine's
			}
		}
	}
}
