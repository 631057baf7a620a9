package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/demo"
)

// The story's steps in order: the demo must run every one, and each must
// behave as the story says.
var demoStory = []string{"lab", "check", "push", "hand-edit", "parity-finds", "fix", "parity-clean",
	"flip-refused", "ttl-cap", "wait", "flip", "status", "rollback", "emergency"}

// TestDemo builds the dnsparity binary and runs `dnsparity demo` from a
// directory outside the repository (the zone is built in) with no DNS
// server on PATH, and checks the outcome of every step, not only the exit
// code.
func TestDemo(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dnsparity")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	empty := t.TempDir()
	t.Setenv("PATH", empty)
	for _, bin := range []string{"named", "pdns_server", "knotd", "unbound", "dig"} {
		if p, err := exec.LookPath(bin); err == nil {
			t.Fatalf("%s still found at %s", bin, p)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "demo", "--format", "json", "--dir", t.TempDir())
	cmd.Dir = t.TempDir() // no zones/ here or above
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := exitOK
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run %s: %v", bin, err)
		}
		code = ee.ExitCode()
	}
	var res demo.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("demo JSON: %v\n%s\nstory:\n%s", err, stdout.String(), stderr.String())
	}
	steps := map[string]demo.Step{}
	for _, s := range res.Steps {
		steps[s.Name] = s
	}
	for _, name := range demoStory {
		s, ran := steps[name]
		switch {
		case !ran:
			t.Errorf("step %s did not happen", name)
		case !s.OK:
			t.Errorf("step %s did not behave: %s", name, s.Detail)
		}
	}
	// The first half, fact by fact.
	if f := steps["parity-finds"].Facts; f["dkim_info"] != true || f["mx_error"] != true || f["spf_error"] != true {
		t.Errorf("first parity found %v", f)
	}
	if s := steps["parity-finds"]; s.Exit == nil || *s.Exit != exitProblem {
		t.Errorf("first parity exit %v, want 1", s.Exit)
	}
	if s := steps["parity-clean"]; s.Exit == nil || *s.Exit != exitOK || s.Facts["errors"] != float64(0) {
		t.Errorf("clean parity: exit %v, facts %v", s.Exit, s.Facts)
	}
	// The second half: what moved, and what clients saw while it did.
	if u, _ := steps["flip-refused"].Facts["unmet"].([]any); !containsAny(u, "ttl-prestaged") {
		t.Errorf("flip-refused: unmet gates %v, want ttl-prestaged among them", u)
	}
	for _, name := range []string{"flip", "rollback", "emergency"} {
		c, _ := steps[name].Facts["clients"].(map[string]any)
		if c == nil {
			t.Errorf("%s: no client loop counts", name)
			continue
		}
		if c["wrong"] != float64(0) || c["mixed"] != float64(0) || c["answers"].(float64) < 100 {
			t.Errorf("%s: client loop %v", name, c)
		}
		want := "new"
		if name == "rollback" {
			want = "old"
		}
		sides, _ := c["sides"].(map[string]any)
		if len(sides) != 3 {
			t.Errorf("%s: resolvers %v", name, sides)
		}
		for r, s := range sides {
			if s != want {
				t.Errorf("%s: %s on %v, want %s", name, r, s, want)
			}
		}
	}
	if res.OK != (code == exitOK) || (res.Failed == "") != res.OK {
		t.Errorf("exit %d, ok %v, failed %q", code, res.OK, res.Failed)
	}
	t.Logf("the demo took %.1f s (goal: under 30 s; a measurement, not an assertion)", res.Seconds)
	if t.Failed() {
		t.Logf("story:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "copied from the built-in zones/example.test.zone") {
		t.Errorf("the story does not say the zone is the built-in one")
	}
	if strings.Contains(stderr.String()+stdout.String(), demoSecretValue(t, res.Dir)) {
		t.Error("the TSIG secret was printed")
	}
}

func demoSecretValue(t *testing.T, dir string) string {
	b, err := os.ReadFile(dir + "/tsig.secret")
	if err != nil {
		return "\x00never"
	}
	return strings.TrimSpace(string(b))
}

func containsAny(xs []any, want string) bool {
	for _, x := range xs {
		if x == want {
			return true
		}
	}
	return false
}

// TestDemoFails: a step that does not behave stops the demo with exit 1,
// naming the step; bad flags exit 2.
func TestDemoFails(t *testing.T) {
	zones := t.TempDir()
	src, err := os.ReadFile("../../zones/example.test.zone")
	if err != nil {
		t.Fatal(err)
	}
	// A CNAME beside other data: check refuses the zone.
	bad := string(src) + "www IN A 192.0.2.99\n"
	if err := os.WriteFile(zones+"/example.test.zone", []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		failed string
	}{
		{"invalid zone", []string{"--zones", zones}, exitProblem, "check"},
		{"no such zones folder", []string{"--zones", t.TempDir()}, exitError, ""},
		{"markdown", []string{"--format", "markdown"}, exitError, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: os.Getenv}
			code := a.main(context.Background(), append([]string{"demo", "--format", "json", "--dir", t.TempDir()}, tc.args...))
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr.String())
			}
			if tc.failed == "" {
				return
			}
			var res demo.Result
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Failed != tc.failed || len(res.Steps) == 0 || res.Steps[len(res.Steps)-1].Name != tc.failed {
				t.Errorf("ok %v, failed %q, steps %d; want failed %q as the last step", res.OK, res.Failed, len(res.Steps), tc.failed)
			}
			if !strings.Contains(stderr.String(), "stopped at step \"check\"") {
				t.Errorf("the story does not name the step:\n%s", stderr.String())
			}
		})
	}
}
