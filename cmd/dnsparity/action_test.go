package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
)

// The Action is driven in-process as the runner drives the container: the
// INPUT_* and GITHUB_* variables, an event payload file, output and summary
// files, and GitHub's API faked by githubtest (documented shapes, state).

const (
	botToken  = "ghs_actions_token_0123456789"     // GITHUB_TOKEN: github-actions[bot]
	forkToken = "ghs_fork_readonly_token_0123456"  // a fork PR's read-only token
	patToken  = "ghp_deploy_personal_token_012345" // a PAT: GET /user works
	headSHA   = "4f3c2b1a09876543210fedcba9876543210fedcb"
	baseSHA   = "0000000000000000000000000000000000000001" // the event's base commit
)

// actionEnv is a workspace, an event and a fake GitHub for action runs.
type actionEnv struct {
	ws      string
	env     map[string]string
	gh      *githubtest.Server
	summary string
	outputs string
	// baseConfig, when set, is the base branch's dnsparity.yaml as the
	// contents API serves it; else the workspace's own at each run (a
	// pull request that leaves the config as it is).
	baseConfig *string
}

func newActionEnv(t *testing.T) *actionEnv {
	t.Helper()
	ws := t.TempDir()
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{
		botToken:  {Login: github.ActionsBot, Installation: true},
		forkToken: {Login: github.ActionsBot, Installation: true, ReadOnly: true},
		patToken:  {Login: "deploy-bot"},
	})
	t.Cleanup(gh.Close)
	e := &actionEnv{ws: ws, gh: gh, summary: filepath.Join(ws, "..", filepath.Base(ws)+"-summary.md"), outputs: filepath.Join(ws, "..", filepath.Base(ws)+"-outputs")}
	e.env = map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    ws,
		"GITHUB_REPOSITORY":   "acme/dns",
		"GITHUB_API_URL":      gh.URL,
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_SHA":          strings.Repeat("a", 40),
		"GITHUB_RUN_ID":       "4242",
		"GITHUB_WORKFLOW":     "dns",
		"GITHUB_JOB":          "pr",
		"GITHUB_STEP_SUMMARY": e.summary,
		"GITHUB_OUTPUT":       e.outputs,
		"INPUT_GITHUB-TOKEN":  botToken,
		"INPUT_COMMENT":       "true",
		"INPUT_FAIL-ON":       "error",
		"INPUT_CONFIG":        "dnsparity.yaml",
	}
	e.pullRequest(t, false)
	return e
}

// pullRequest writes a pull_request event payload in GitHub's shape.
func (e *actionEnv) pullRequest(t *testing.T, fork bool) {
	t.Helper()
	e.pullRequestFrom(t, fork, "zone-change")
}

// pullRequestFrom writes a pull_request event payload whose head is the
// branch headRef.
func (e *actionEnv) pullRequestFrom(t *testing.T, fork bool, headRef string) {
	t.Helper()
	headRepo := "acme/dns"
	if fork {
		headRepo = "mallory/dns"
	}
	payload := fmt.Sprintf(`{"action":"synchronize","number":42,
"pull_request":{"number":42,"state":"open","title":"zones: add records",
 "head":{"ref":%q,"sha":%q,"repo":{"full_name":%q,"fork":%v}},
 "base":{"ref":"main","sha":%q,"repo":{"full_name":"acme/dns","fork":false}}},
"repository":{"full_name":"acme/dns","name":"dns","owner":{"login":"acme"}},
"sender":{"login":"alice"}}`, headRef, headSHA, headRepo, fork, baseSHA)
	path := filepath.Join(e.ws, "..", filepath.Base(e.ws)+"-event.json")
	if err := os.WriteFile(path, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["GITHUB_EVENT_NAME"] = "pull_request"
	e.env["GITHUB_EVENT_PATH"] = path
}

// unmasked is out without its ::add-mask:: lines (the masking itself,
// which names every form of each secret on purpose).
func unmasked(out string) string {
	var kept []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// shown is everything run o of the Action showed: its log, summary and
// outputs (unmasked), every comment on pull request 42, every check run
// (title, summary, annotations), and the JSON report it saved under
// .dnsparity (report: its file name; none when it saved none).
func (e *actionEnv) shown(o actionOut, report string) string {
	all := unmasked(o.stdout + o.stderr + o.summary + o.rawOut)
	for _, c := range e.gh.Comments(42) {
		all += c.Body
	}
	for _, cr := range e.gh.CheckRuns() {
		all += cr.Title + "\n" + cr.Summary + "\n" + fmt.Sprint(cr.Annotations)
	}
	if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", report)); err == nil {
		all += string(b)
	}
	return all
}

// actionOut is one run's results.
type actionOut struct {
	code    int
	stdout  string
	stderr  string
	summary string
	outputs map[string]string
	rawOut  string
}

// serveBaseConfig makes the fake contents API serve the base branch's
// dnsparity.yaml (baseConfig, else the workspace's), which the pr command
// reads where git cannot (the container has no git).
func (e *actionEnv) serveBaseConfig() {
	if e.baseConfig != nil {
		e.gh.SetFile(baseSHA, "dnsparity.yaml", *e.baseConfig)
	} else if b, err := os.ReadFile(filepath.Join(e.ws, "dnsparity.yaml")); err == nil {
		e.gh.SetFile(baseSHA, "dnsparity.yaml", string(b))
	}
}

// run runs `dnsparity action` once, with fresh output and summary files
// (the runner gives each step its own).
func (e *actionEnv) run(t *testing.T) actionOut {
	t.Helper()
	os.WriteFile(e.summary, nil, 0o644)
	os.WriteFile(e.outputs, nil, 0o644)
	e.serveBaseConfig()
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return e.env[k] }, environ: func() []string {
		var kv []string
		for k, v := range e.env {
			kv = append(kv, k+"="+v)
		}
		return kv
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	wd, _ := os.Getwd()
	if err := os.Chdir(e.ws); err != nil { // the container's working directory
		t.Fatal(err)
	}
	code := a.main(ctx, []string{"action"})
	os.Chdir(wd)
	sum, _ := os.ReadFile(e.summary)
	raw, _ := os.ReadFile(e.outputs)
	outs := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Errorf("GITHUB_OUTPUT line %q is not name=value", sc.Text())
			continue
		}
		outs[k] = v
	}
	return actionOut{code, stdout.String(), stderr.String(), string(sum), outs, string(raw)}
}

// ownComments are the comments on the PR by the bot.
func (e *actionEnv) ownComments(login string) []githubtest.Comment {
	var out []githubtest.Comment
	for _, c := range e.gh.Comments(42) {
		if c.Author == login {
			out = append(out, c)
		}
	}
	return out
}

func (e *actionEnv) noRejected(t *testing.T) {
	t.Helper()
	if rej := e.gh.Rejected(); len(rej) > 0 {
		t.Errorf("the fake GitHub API rejected requests: %v", rej)
	}
}

func TestActionCheckOnPullRequest(t *testing.T) {
	e := newActionEnv(t)
	zdir := filepath.Join(e.ws, "zones")
	os.MkdirAll(zdir, 0o755)
	zoneText := "$ORIGIN acme.test.\n$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\nwww CNAME web\nwww A 192.0.2.2\n"
	os.WriteFile(filepath.Join(zdir, "acme.test.zone"), []byte(zoneText), 0o644)
	e.env["INPUT_COMMAND"] = "check"
	e.env["INPUT_ARGS"] = zdir
	e.gh.FailCheckRuns(403) // annotations as workflow commands
	o := e.run(t)
	if o.code != exitProblem {
		t.Fatalf("exit %d, want 1 (the zone has CNAME and other data)\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	if !strings.Contains(o.stdout, "::error file=zones/acme.test.zone,line=6,title=dnsparity check::") &&
		!strings.Contains(o.stdout, "::error file=zones/acme.test.zone,line=7,title=dnsparity check::") {
		t.Errorf("no annotation on the CNAME line:\n%s", o.stdout)
	}
	// The token appears only in the runner's add-mask command.
	if rest := strings.ReplaceAll(o.stdout, "::add-mask::"+botToken, ""); strings.Contains(rest+o.stderr+o.summary, botToken) {
		t.Errorf("the token reached the log")
	}
	if !strings.Contains(o.stdout, "::add-mask::"+botToken) {
		t.Errorf("the token was not masked for the runner")
	}
	if !strings.Contains(o.summary, "acme.test.zone") || !strings.Contains(o.summary, "check runs") {
		t.Errorf("step summary lacks the report or the check-run note:\n%s", o.summary)
	}
	if o.outputs["result"] != "problems" || o.outputs["exit-code"] != "1" || o.outputs["report"] != ".dnsparity/check.json" || o.outputs["errors"] == "0" {
		t.Errorf("outputs = %v", o.outputs)
	}
	if b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "check.json")); err != nil || !strings.Contains(string(b), `"problems"`) {
		t.Errorf("JSON report in the workspace: %v %s", err, b)
	}
	cs := e.ownComments(github.ActionsBot)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "dnsparity check: ❌") {
		t.Fatalf("sticky comment = %+v", cs)
	}
	// Fixed in a new commit: the same comment is updated, not a second one.
	os.WriteFile(filepath.Join(zdir, "acme.test.zone"), []byte(strings.Replace(zoneText, "www A 192.0.2.2\n", "", 1)), 0o644)
	o = e.run(t)
	if o.code != exitOK {
		t.Fatalf("exit %d after the fix\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	if cs := e.ownComments(github.ActionsBot); len(cs) != 1 || !strings.Contains(cs[0].Body, "dnsparity check: ✅") {
		t.Errorf("sticky comment after the fix = %+v", cs)
	}
	e.noRejected(t)
}

func TestActionBadInputs(t *testing.T) {
	tests := []struct {
		name  string
		input map[string]string
		want  string
	}{
		{"command", map[string]string{"INPUT_COMMAND": "rm -rf"}, "want pr, sync, drift"},
		{"fail-on", map[string]string{"INPUT_COMMAND": "check", "INPUT_FAIL-ON": "info"}, "want error or warning"},
		{"zone for status", map[string]string{"INPUT_COMMAND": "status"}, "input zone is required"},
		{"pr without config", map[string]string{"INPUT_COMMAND": "pr", "INPUT_CONFIG": "missing.yaml"}, "missing.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newActionEnv(t)
			for k, v := range tt.input {
				e.env[k] = v
			}
			o := e.run(t)
			if o.code != exitError || o.outputs["result"] != "error" || o.outputs["exit-code"] != "2" {
				t.Errorf("exit %d, outputs %v; want 2 and result error", o.code, o.outputs)
			}
			if !strings.Contains(o.stderr+o.summary, tt.want) {
				t.Errorf("no %q in\n%s\n%s", tt.want, o.stderr, o.summary)
			}
			// A run that cannot run still reports on the pull request.
			if cs := e.ownComments(github.ActionsBot); len(cs) != 1 || !strings.Contains(cs[0].Body, "could not run") {
				t.Errorf("comment = %+v", cs)
			}
		})
	}
}
