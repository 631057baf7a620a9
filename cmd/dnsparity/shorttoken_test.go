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

// TestShortGitHubTokenRefused: a github-token of fewer than
// redact.MinLen characters cannot be masked (redact.Secrets ignores it,
// as it would replace ordinary text), so the Action refuses it before
// it sends it anywhere, as the config refuses a short provider secret
// (config.ShortSecretError): a GitHub API that quotes the token it got
// in its error has nothing of it to quote, and nothing the step writes
// holds it.
func TestShortGitHubTokenRefused(t *testing.T) {
	const token = "Zq9"
	var calls int
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		// GitHub's error answer: {"message": ...}
		// (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"message":"Bad credentials: %s"}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer api.Close()
	e := newActionEnv(t)
	e.env["INPUT_GITHUB-TOKEN"] = token
	e.env["GITHUB_API_URL"] = api.URL
	e.env["INPUT_COMMAND"] = "check"
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\n"), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	o := e.run(t)
	all := o.stdout + o.stderr + o.summary + o.rawOut
	if calls > 0 && !strings.Contains(all, "Bad credentials") {
		t.Fatalf("the test plants nothing: the API's error is not in the output:\n%s", all)
	}
	if strings.Contains(all, token) {
		t.Errorf("the output holds the token %q:\n%s", token, all)
	}
	if calls > 0 {
		t.Errorf("the token was sent to GitHub's API %d times", calls)
	}
	if o.code != exitError {
		t.Errorf("exit %d, want %d (a token that cannot be masked is refused)", o.code, exitError)
	}
}
