package action

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
)

// TestInputHyphenUnderscore: a docker:// step gives its inputs as INPUT_*
// variables, where a hyphen stays a hyphen (INPUT_FAIL-ON); one written
// with an underscore (INPUT_FAIL_ON, as shells spell variables) is no
// input the runner would set, and the Action ignored it: fail-on stayed
// error, so a warning that was to fail the step passed it (exit 0). It
// is refused (exit 2), naming the variable to set, never its value.
func TestInputHyphenUnderscore(t *testing.T) {
	ws := t.TempDir()
	outputs := filepath.Join(ws, "outputs")
	env := map[string]string{
		"INPUT_COMMAND": "check", "INPUT_FAIL_ON": "warning", "INPUT_COMMENT": "false",
		"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "push",
	}
	rep := `{"problems":[{"file":"zones/a.zone","line":1,"severity":"warning","message":"SPF: +all"}]}`
	cmds := jsonRunner{rep}
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), Env{Commands: cmds, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	if code != 2 || !strings.Contains(stdout.String()+stderr.String(), "FAIL-ON") {
		t.Errorf("exit %d, want 2 naming INPUT_FAIL-ON (the variable to set)\n%s%s", code, stdout.String(), stderr.String())
	}
	if b, _ := os.ReadFile(outputs); !strings.Contains(string(b), "exit-code=2") {
		t.Errorf("outputs:\n%s", b)
	}
	// The hyphen's spelling works as before: the warning fails the step.
	delete(env, "INPUT_FAIL_ON")
	env["INPUT_FAIL-ON"] = "warning"
	stdout.Reset()
	stderr.Reset()
	if code := Run(context.Background(), Env{Commands: cmds, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }}); code != 1 {
		t.Errorf("INPUT_FAIL-ON=warning with a warning: exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
}

// jsonRunner is a build of dnsparity whose every command writes the JSON
// report js (to the JSON writer the Action reads, and stdout) and exits 0.
type jsonRunner struct{ js string }

func (j jsonRunner) Has(string) bool { return true }
func (j jsonRunner) Run(_ context.Context, _ []string, io cli.IO) int {
	if io.JSON != nil {
		fmt.Fprint(io.JSON, j.js)
	}
	fmt.Fprint(io.Stdout, j.js)
	return 0
}

// TestCouldNotRunLogsWhy: a run that could not run says why in the log
// line that says so: the log said "check: ⚠️ could not run" and nothing
// more (the reason was only in the step summary, Markdown-escaped).
func TestCouldNotRunLogsWhy(t *testing.T) {
	ws := t.TempDir()
	env := map[string]string{
		"INPUT_COMMAND": "check", "INPUT_FAIL-ON": "bogus", "GITHUB_WORKSPACE": ws,
		"GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_EVENT_NAME": "push",
	}
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), Env{Commands: jsonRunner{`{"problems":[]}`}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	if code != 2 || !strings.Contains(stderr.String(), `check: ⚠️ could not run: input fail-on "bogus": want error or warning`) {
		t.Errorf("exit %d, want 2 and the reason on the log line:\n%s", code, stderr.String())
	}
}

// TestCommentInputBoolean: the comment input is a boolean as the Actions
// toolkit reads one (core.getBooleanInput: true, True, TRUE, false, False,
// FALSE; anything else is an error). comment: False (or FALSE) posted the
// comment anyway (only "false" turned it off), and comment: "no" was taken
// for true without a word; it is refused now (exit 2, naming the input).
func TestCommentInputBoolean(t *testing.T) {
	for _, tt := range []struct {
		value    string
		exit     int
		comments int
	}{
		{"False", 0, 0},
		{"FALSE", 0, 0},
		{"false", 0, 0},
		{"True", 0, 1},
		{"", 0, 1},
		{"no", 2, 0},
	} {
		t.Run(tt.value, func(t *testing.T) {
			gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
			defer gh.Close()
			ws := t.TempDir()
			event := filepath.Join(ws, "..", filepath.Base(ws)+"-event.json")
			if err := os.WriteFile(event, []byte(`{"number": 7, "pull_request": {"number": 7}}`), 0o644); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{
				"INPUT_COMMAND": "check", "INPUT_COMMENT": tt.value, "INPUT_GITHUB-TOKEN": mergeToken,
				"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_EVENT_NAME": "pull_request",
				"GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
			}
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), Env{Commands: jsonRunner{`{"problems":[]}`}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }})
			if code != tt.exit {
				t.Errorf("comment %q: exit %d, want %d\n%s%s", tt.value, code, tt.exit, stdout.String(), stderr.String())
			}
			if tt.exit == 2 && !strings.Contains(stderr.String(), "input comment") {
				t.Errorf("comment %q: the log does not name the input:\n%s", tt.value, stderr.String())
			}
			if n := len(gh.Comments(7)); n != tt.comments {
				t.Errorf("comment %q: %d comments, want %d", tt.value, n, tt.comments)
			}
		})
	}
}

// TestMisspeltInputSuggests: an input that takes one of a few words (command,
// fail-on), given one a typo away ("chek", "warnings", "Check"), says the
// word it was likely meant as: the log said only which words it takes.
func TestMisspeltInputSuggests(t *testing.T) {
	for _, c := range []struct{ command, failOn, want string }{
		{"chek", "", `input command "chek": want pr, sync, drift, matrix, merge, check, plan, push, parity, status, flip, rollback or finish (did you mean check?)`},
		{"Check", "", `input command "Check": want pr, sync, drift, matrix, merge, check, plan, push, parity, status, flip, rollback or finish (did you mean check?)`},
		{"rm -rf", "", `input command "rm -rf": want pr, sync, drift, matrix, merge, check, plan, push, parity, status, flip, rollback or finish` + "\n"},
		{"check", "warnings", `input fail-on "warnings": want error or warning (did you mean warning?)`},
		{"check", "bogus", `input fail-on "bogus": want error or warning` + "\n"},
	} {
		ws := t.TempDir()
		env := map[string]string{
			"INPUT_COMMAND": c.command, "INPUT_FAIL-ON": c.failOn, "GITHUB_WORKSPACE": ws,
			"GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_EVENT_NAME": "push",
		}
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), Env{Commands: jsonRunner{`{"problems":[]}`}, Stdout: &stdout, Stderr: &stderr,
			Getenv: func(k string) string { return env[k] }})
		if code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s %s: exit %d, want 2 and %q:\n%s", c.command, c.failOn, code, c.want, stderr.String())
		}
	}
}
