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

// TestShortAWSSessionTokenRefused: AWS keys the SDK's chain reads from
// the environment (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), not through
// the config, are refused when shorter than redact.MinLen, as the
// config's are: the session token is sent (X-Amz-Security-Token), and a
// Route 53 error that quotes it
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZones.html#API_ListHostedZones_Errors)
// would show a token that cannot be masked, in plan's output and the
// Action's.
func TestShortAWSSessionTokenRefused(t *testing.T) {
	const token = "Zq9"
	var calls int
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>session token %s refused</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
			r.Header.Get("X-Amz-Security-Token"))
	}))
	defer echo.Close()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIASHORTTOKEN0001", "AWS_SECRET_ACCESS_KEY": "short/token+test/0123456789abcdefGHIJ", "AWS_SESSION_TOKEN": token,
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_ROUTE_53": echo.URL,
	} {
		t.Setenv(k, v)
	}
	e := newActionEnv(t)
	e.env["INPUT_COMMAND"] = "plan"
	e.env["AWS_SESSION_TOKEN"] = token
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte("zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  new: {type: route53, nameservers: ['127.0.0.1']}\n"), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte(acmeZone), 0o644)
	o := e.run(t)
	all := o.stdout + o.stderr + o.summary + o.rawOut
	for _, c := range e.gh.Comments(42) {
		all += c.Body
	}
	if calls > 0 && !strings.Contains(all, "InvalidClientTokenId") {
		t.Fatalf("the test plants nothing: Route 53's error is not in the output:\n%s", all)
	}
	if strings.Contains(all, "token "+token) {
		t.Errorf("the output holds the session token %q:\n%s", token, all)
	}
	if calls > 0 {
		t.Errorf("the session token was sent to Route 53 %d times", calls)
	}
}
