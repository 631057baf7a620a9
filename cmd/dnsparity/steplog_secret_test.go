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
)

// TestStepLogRedacted: the command line run from a workflow's script
// (GITHUB_ACTIONS=true) prints to the step's log, which the runner masks
// only for the secrets it was given, as they are (and a few encodings of
// them). A provider API that echoes its key in a JSON error with the
// solidus escaped (\/), a form the runner does not know, put the key into
// the log in every format. What the binary prints there is redacted with
// every variable the command read (cli.HoldsSecret), in every form, before
// it is guarded; JSON stays JSON.
func TestStepLogRedacted(t *testing.T) {
	const key = "pk/7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	dir := t.TempDir()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprint(w, `{"name":"acme.test.","kind":"Native","rrsets":[{"name":"acme.test.","type":"SOA","ttl":300,"records":[{"content":"ns1.acme.test. hostmaster.acme.test. 1 3600 600 86400 300"}]}]}`)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"key %s refused"}`, strings.ReplaceAll(r.Header.Get("X-API-Key"), "/", `\/`))
	}))
	t.Cleanup(echo.Close)
	cfg := fmt.Sprintf("zones:\n  - name: acme.test.\n    file: acme.test.zone\nproviders:\n  old: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n  new: {type: powerdns, url: '%[1]s', api_key_env: PDNS_API, nameservers: ['127.0.0.1']}\n", echo.URL)
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(dir, "acme.test.zone"), []byte(acmeZone), 0o644)
	env := map[string]string{"PDNS_API": key, "GITHUB_ACTIONS": "true"}
	for _, format := range []string{"text", "json", "markdown"} {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }, stepLog: true}
		code := a.main(context.Background(), []string{"push", "--force", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", format})
		if code != exitError || !strings.Contains(stdout.String()+stderr.String(), "HTTP 400") {
			t.Fatalf("%s: exit %d, want %d and the provider's error:\n%s\n%s", format, code, exitError, stdout.String(), stderr.String())
		}
		findCut(t, format, stdout.String()+stderr.String(), key)
		if format == "json" && !json.Valid(stdout.Bytes()) {
			t.Errorf("json: not JSON any more:\n%s", stdout.String())
		}
	}
}
