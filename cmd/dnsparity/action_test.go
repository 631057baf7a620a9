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
	"sync"
	"testing"
)

// fakeIssueComments is the part of GitHub's REST API the Action uses for its
// sticky comment (documented shapes: GET/POST
// /repos/{owner}/{repo}/issues/{number}/comments, PATCH
// /repos/{owner}/{repo}/issues/comments/{id}).
type fakeIssueComments struct {
	mu     sync.Mutex
	bodies map[int64]string
	auth   []string
}

func (f *fakeIssueComments) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "GET" && r.URL.Path == "/repos/acme/dns/issues/42/comments":
		var out []map[string]any
		for id, b := range f.bodies {
			out = append(out, map[string]any{"id": id, "body": b})
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == "POST" && r.URL.Path == "/repos/acme/dns/issues/42/comments":
		var in struct{ Body string }
		json.NewDecoder(r.Body).Decode(&in)
		id := int64(len(f.bodies) + 1)
		f.bodies[id] = in.Body
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": id, "body": in.Body})
	case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/repos/acme/dns/issues/comments/"):
		var in struct{ Body string }
		json.NewDecoder(r.Body).Decode(&in)
		f.bodies[1] = in.Body
		json.NewEncoder(w).Encode(map[string]any{"id": 1, "body": in.Body})
	default:
		http.NotFound(w, r)
	}
}

func TestActionCheckOnPullRequest(t *testing.T) {
	ws := t.TempDir()
	zdir := filepath.Join(ws, "zones")
	os.MkdirAll(zdir, 0o755)
	zoneText := "$ORIGIN acme.test.\n$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\nwww CNAME web\nwww A 192.0.2.2\n"
	os.WriteFile(filepath.Join(zdir, "acme.test.zone"), []byte(zoneText), 0o644)
	event := filepath.Join(ws, "event.json")
	os.WriteFile(event, []byte(`{"number":42,"pull_request":{"number":42}}`), 0o644)
	summary := filepath.Join(ws, "summary.md")
	outputs := filepath.Join(ws, "outputs")
	os.WriteFile(summary, nil, 0o644)
	os.WriteFile(outputs, nil, 0o644)

	fake := &fakeIssueComments{bodies: map[int64]string{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    ws,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   event,
		"GITHUB_REPOSITORY":   "acme/dns",
		"GITHUB_API_URL":      srv.URL,
		"GITHUB_STEP_SUMMARY": summary,
		"GITHUB_OUTPUT":       outputs,
		"RUNNER_TEMP":         ws,
		"INPUT_COMMAND":       "check",
		"INPUT_ARGS":          zdir,
		"INPUT_GITHUB-TOKEN":  "ghs_secret_token_value",
	}
	run := func() (int, string, string) {
		var stdout, stderr bytes.Buffer
		a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
		return a.main(context.Background(), []string{"action"}), stdout.String(), stderr.String()
	}
	code, out, errs := run()
	if code != exitProblem {
		t.Fatalf("exit %d, want 1 (the zone has CNAME and other data)\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "::error file=zones/acme.test.zone,line=6,title=dnsparity check::") &&
		!strings.Contains(out, "::error file=zones/acme.test.zone,line=7,title=dnsparity check::") {
		t.Errorf("no annotation on the CNAME line:\n%s", out)
	}
	// The token appears only in the runner's add-mask command (which the
	// runner itself hides), never elsewhere.
	if rest := strings.ReplaceAll(out, "::add-mask::ghs_secret_token_value", ""); strings.Contains(rest+errs, "ghs_secret_token_value") {
		t.Errorf("the token reached the log")
	}
	if !strings.Contains(out, "::add-mask::ghs_secret_token_value") {
		t.Errorf("the token was not masked for the runner")
	}
	b, _ := os.ReadFile(summary)
	if !strings.Contains(string(b), "acme.test.zone") {
		t.Errorf("step summary lacks the report:\n%s", b)
	}
	o, _ := os.ReadFile(outputs)
	for _, want := range []string{"exit-code", "problems", "report", ".dnsparity/check.json"} {
		if !strings.Contains(string(o), want) {
			t.Errorf("outputs lack %q:\n%s", want, o)
		}
	}
	// The report is in the workspace (what a container action shares with
	// later steps), and it is check's JSON.
	if b, err := os.ReadFile(filepath.Join(ws, ".dnsparity", "check.json")); err != nil || !strings.Contains(string(b), `"problems"`) {
		t.Errorf("JSON report in the workspace: %v %s", err, b)
	}
	if len(fake.bodies) != 1 || !strings.Contains(fake.bodies[1], "dnsparity check: ❌") {
		t.Fatalf("sticky comment = %v", fake.bodies)
	}
	for _, a := range fake.auth {
		if a != "Bearer ghs_secret_token_value" {
			t.Errorf("request without the token: %q", a)
		}
	}

	// Fixed in a new commit: the same comment is updated, not a second one.
	os.WriteFile(filepath.Join(zdir, "acme.test.zone"), []byte(strings.Replace(zoneText, "www A 192.0.2.2\n", "", 1)), 0o644)
	code, out, errs = run()
	if code != exitOK {
		t.Fatalf("exit %d after the fix\n%s\n%s", code, out, errs)
	}
	if len(fake.bodies) != 1 || !strings.Contains(fake.bodies[1], "dnsparity check: ✅") {
		t.Errorf("sticky comment after the fix = %v", fake.bodies)
	}
}

func TestActionBadCommand(t *testing.T) {
	env := map[string]string{"INPUT_COMMAND": "rm -rf"}
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	if code := a.main(context.Background(), []string{"action"}); code != exitError {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "want check, plan, push or parity") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestAnnotationsFromReports(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want []string // "level file:line"
	}{
		{"check", `{"problems":[{"file":"z.zone","line":3,"severity":"error","message":"m"},{"file":"z.zone","line":4,"severity":"warning","message":"w"}]}`,
			[]string{"error z.zone:3", "warning z.zone:4"}},
		{"parity array, info is a notice, no file no annotation", `[{"zone":"a.","findings":[{"name":"a.","type":"TXT","severity":"info","kind":"txt-split","file":"a.zone","line":9},{"name":"b.","type":"A","severity":"error","kind":"lame"}]}]`,
			[]string{"notice a.zone:9"}},
		{"plan", `{"plans":[{"provider":"new","zone":"a.","changes":[{"action":"create","name":"w.a.","type":"A","file":"a.zone","line":5}],"unsupported":[{"name":"x.a.","type":"TYPE65000","file":"a.zone","line":6,"reason":"unknown type"}]}]}`,
			[]string{"error a.zone:6", "notice a.zone:5"}},
		{"not json", `garbage`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range annotations([]byte(tt.js)) {
				got = append(got, fmt.Sprintf("%s %s:%d", a.Level, a.File, a.Line))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("annotations = %v, want %v", got, tt.want)
			}
		})
	}
}
