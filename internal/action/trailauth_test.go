package action

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestTrailActionsAuth: check-trail and commit-trail reach origin with
// their token input the one way (.github/actions/git-auth.sh, which both
// source; before, each built the header itself, a copy): git sends it as
// actions/checkout does, "basic" and base64 of x-access-token:TOKEN, to a
// loopback origin that records what it gets; and neither the token nor
// that header reaches the step's log, also when the script runs under
// set -x (before, tracing printed the header built in an array), nor
// .git/config.
func TestTrailActionsAuth(t *testing.T) {
	const token = "ghs_trailAuthTokenNotForLogs"
	header := "basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	for _, tc := range []struct {
		script string
		env    []string
		// prepare makes the job's checkout have work for origin.
		prepare func(g *gitLab)
	}{
		{"check-trail", []string{"BRANCH=main", "ZONES=example.test."}, func(*gitLab) {}},
		{"commit-trail", []string{"BRANCH=main", "GITHUB_RUN_ID=7", "TRIES=1"}, func(g *gitLab) {
			writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "flip"))
		}},
	} {
		t.Run(tc.script, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Header.Get("Authorization"))
				mu.Unlock()
				http.Error(w, "no such repository", http.StatusNotFound)
			}))
			defer srv.Close()
			g := newGitLab(t)
			tc.prepare(g)
			g.git(g.job, "remote", "set-url", "origin", srv.URL+"/origin.git")
			script, _ := filepath.Abs(filepath.Join("..", "..", ".github", "actions", tc.script, tc.script+".sh"))
			cmd := exec.Command("bash", "-x", script)
			cmd.Dir = g.job
			cmd.Env = append(os.Environ(), append(tc.env, "GH_TOKEN="+token)...)
			out, _ := cmd.CombinedOutput()
			mu.Lock()
			defer mu.Unlock()
			if len(got) == 0 {
				t.Fatalf("%s sent origin no request:\n%s", tc.script, out)
			}
			for _, h := range got {
				if !strings.EqualFold(h, header) {
					t.Errorf("%s sent Authorization %q, want %q", tc.script, h, header)
				}
			}
			config, err := os.ReadFile(filepath.Join(g.job, ".git", "config"))
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{token, header[len("basic "):]} {
				if strings.Contains(string(out), secret) {
					t.Errorf("%s under set -x logged the token or its header:\n%s", tc.script, out)
				}
				if strings.Contains(string(config), secret) {
					t.Errorf("%s left the token or its header in .git/config", tc.script)
				}
			}
		})
	}
	// The header is built in one place.
	root := filepath.Join("..", "..", ".github", "actions")
	var holders []string
	_ = filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), "x-access-token:") {
				holders = append(holders, path)
			}
		}
		return nil
	})
	if len(holders) != 1 || filepath.Base(holders[0]) != "git-auth.sh" {
		t.Errorf("the authorization header is built in %v: want git-auth.sh only, which both actions source", holders)
	}
}
