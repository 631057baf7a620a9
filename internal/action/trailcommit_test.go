package action

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/shell"
)

// The audit-trail commit (.github/actions/commit-trail/commit-trail.sh,
// used by cutover.yml and sync.yml) run against real git repositories: a
// bare "origin", the job's shallow checkout, and another writer.

type gitLab struct {
	t                   *testing.T
	origin, job, writer string
}

func (g *gitLab) git(dir string, args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.test", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.test")
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %v in %s: %v\n%s", args, dir, err, out)
	}
	return strings.TrimSpace(string(out))
}

func newGitLab(t *testing.T) *gitLab {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is required: %v", err)
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatalf("jq is required (GitHub's runners have it): %v", err)
	}
	root := t.TempDir()
	g := &gitLab{t: t, origin: filepath.Join(root, "origin.git"), job: filepath.Join(root, "job"), writer: filepath.Join(root, "writer")}
	g.git(root, "init", "-q", "--bare", "-b", "main", g.origin)
	seed := filepath.Join(root, "seed")
	g.git(root, "clone", "-q", g.origin, seed)
	writeFile(t, filepath.Join(seed, "zones", "example.test.zone"), "; zone\n")
	writeFile(t, filepath.Join(seed, ".dnsparity", "cutover", "example.test.json"), trailJSON("status"))
	g.git(seed, "add", ".")
	g.git(seed, "commit", "-q", "-m", "seed")
	g.git(seed, "push", "-q", "origin", "HEAD:main")
	g.git(root, "clone", "-q", "--depth", "1", "file://"+g.origin, g.job) // actions/checkout is shallow
	g.git(root, "clone", "-q", g.origin, g.writer)
	return g
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trailJSON is a trail whose entries are the commands given, in order.
func trailJSON(commands ...string) string {
	type entry struct {
		Time    string `json:"time"`
		Command string `json:"command"`
	}
	var es []entry
	for i, c := range commands {
		es = append(es, entry{Time: "2026-11-01T10:00:0" + string(rune('0'+i)) + "Z", Command: c})
	}
	b, _ := json.MarshalIndent(map[string]any{"zone": "example.test.", "entries": es}, "", "  ")
	return string(b) + "\n"
}

// commit runs the script in the job's checkout.
func (g *gitLab) commit(env ...string) (string, error) {
	cmd := exec.Command("bash", filepath.Join("..", "..", ".github", "actions", "commit-trail", "commit-trail.sh"))
	abs, _ := filepath.Abs(cmd.Args[1])
	cmd.Args[1] = abs
	cmd.Dir = g.job
	cmd.Env = append(os.Environ(), append([]string{"BRANCH=main", "MESSAGE=cutover: flip example.test. (run 7)", "GITHUB_RUN_ID=7", "TRIES=3", "GH_TOKEN="}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// commands are the trail's entries' commands on origin's branch.
func (g *gitLab) commands(ref string) string {
	g.t.Helper()
	var tr struct {
		Entries []struct{ Command string }
	}
	if err := json.Unmarshal([]byte(g.git(g.origin, "show", ref+":.dnsparity/cutover/example.test.json")), &tr); err != nil {
		g.t.Fatal(err)
	}
	var out []string
	for _, e := range tr.Entries {
		out = append(out, e.Command)
	}
	return strings.Join(out, " ")
}

// TestCommitTrailMovedBranch (issue 15, hole 5): the branch moved while the
// run worked (a commit to the zones, then a sync that recorded a push in
// the same trail): the commit is rebased, the trail entries merged, and it
// lands on the branch.
func TestCommitTrailMovedBranch(t *testing.T) {
	g := newGitLab(t)
	writeFile(t, filepath.Join(g.writer, "zones", "example.test.zone"), "; zone, changed\n")
	g.git(g.writer, "commit", "-q", "-am", "zones: a change")
	writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "push"))
	g.git(g.writer, "commit", "-q", "-am", "sync: pushes recorded")
	g.git(g.writer, "push", "-q", "origin", "HEAD:main")

	writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "flip"))
	out, err := g.commit()
	if err != nil {
		t.Fatalf("commit-trail: %v\n%s", err, out)
	}
	if got := g.commands("main"); got != "status push flip" {
		t.Errorf("trail on main: %q, want the branch's entries then the run's (status push flip)\n%s", got, out)
	}
	if log := g.git(g.origin, "log", "--format=%s", "main"); !strings.HasPrefix(log, "cutover: flip example.test. (run 7)\nsync: pushes recorded\nzones: a change") {
		t.Errorf("history on main:\n%s", log)
	}
	// Nothing new: nothing to commit.
	if out, err := g.commit(); err != nil || !strings.Contains(out, "no audit-trail change") {
		t.Errorf("second run: %v\n%s", err, out)
	}
}

// TestCommitTrailMergeInTimeOrder: the branch got an entry (a sync's
// push) dated after this run's step while the run worked: the merged
// trail holds both in time order, which dnsparity requires of a trail
// (it refuses one whose entries go back in time).
func TestCommitTrailMergeInTimeOrder(t *testing.T) {
	g := newGitLab(t)
	at := func(commands ...string) string { // command@second, in order
		var es []map[string]string
		for _, c := range commands {
			cmd, sec, _ := strings.Cut(c, "@")
			es = append(es, map[string]string{"time": "2026-11-01T10:00:" + sec + "Z", "command": cmd})
		}
		b, _ := json.MarshalIndent(map[string]any{"zone": "example.test.", "entries": es}, "", "  ")
		return string(b) + "\n"
	}
	writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), at("status@00", "push@09"))
	g.git(g.writer, "commit", "-q", "-am", "sync: pushes recorded")
	g.git(g.writer, "push", "-q", "origin", "HEAD:main")

	writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), at("status@00", "flip@05", "status@20"))
	out, err := g.commit()
	if err != nil {
		t.Fatalf("commit-trail: %v\n%s", err, out)
	}
	if got := g.commands("main"); got != "status flip push status" {
		t.Errorf("trail on main: %q, want the entries in time order (status flip push status)\n%s", got, out)
	}
}

// TestCommitTrailProtectedBranch: a branch that refuses the push (GitHub's
// protected branch) gets the trail on a side branch to merge by pull
// request, and the step fails saying so: the next step must not start from
// an older trail unnoticed.
func TestCommitTrailProtectedBranch(t *testing.T) {
	g := newGitLab(t)
	hook := filepath.Join(g.origin, "hooks", "pre-receive")
	writeFile(t, hook, "#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo 'GH006: Protected branch update failed for refs/heads/main.' >&2; exit 1; fi\ndone\n")
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "flip"))
	out, err := g.commit()
	if err == nil || !strings.Contains(out, "::error::") || !strings.Contains(out, "dnsparity-trail/main-7") || !strings.Contains(out, "pull request") {
		t.Fatalf("commit-trail to a protected branch: %v\n%s", err, out)
	}
	if got := g.commands("dnsparity-trail/main-7"); got != "status flip" {
		t.Errorf("trail on the side branch: %q", got)
	}
	if got := g.commands("main"); got != "status" {
		t.Errorf("main changed: %q", got)
	}
	if strings.Count(out, "GH006") != 1 {
		t.Errorf("a refusal that is not a race was retried:\n%s", out)
	}
}

// TestCommitTrailOnlyTheTrail: the token's push carries the trail's regular
// files and nothing else: a change an earlier step staged stays out of the
// commit, a trail file that is a symlink is left out (said so), and a trail
// directory that is a symlink out of the repository commits nothing.
func TestCommitTrailOnlyTheTrail(t *testing.T) {
	g := newGitLab(t)
	writeFile(t, filepath.Join(g.job, "zones", "example.test.zone"), "; zone, changed by an earlier step\n")
	g.git(g.job, "add", "zones/example.test.zone")
	writeFile(t, filepath.Join(g.job, "secret.txt"), "not for the branch\n")
	if err := os.Symlink(filepath.Join(g.job, "secret.txt"), filepath.Join(g.job, ".dnsparity", "cutover", "link.test.json")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "flip"))
	out, err := g.commit()
	if err != nil {
		t.Fatalf("commit-trail: %v\n%s", err, out)
	}
	if files := g.git(g.origin, "show", "--format=", "--name-only", "main"); files != ".dnsparity/cutover/example.test.json" {
		t.Errorf("the trail commit holds %q, want the trail file only\n%s", files, out)
	}
	if !strings.Contains(out, "link.test.json is not a regular file") {
		t.Errorf("the symlinked trail file was not reported:\n%s", out)
	}

	// The whole trail directory a symlink out of the repository.
	g = newGitLab(t)
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "example.test.json"), trailJSON("status", "flip"))
	if err := os.RemoveAll(filepath.Join(g.job, ".dnsparity", "cutover")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(g.job, ".dnsparity", "cutover")); err != nil {
		t.Fatal(err)
	}
	before := g.git(g.origin, "rev-parse", "main")
	out, err = g.commit()
	if err == nil || !strings.Contains(out, "symlink or outside the repository") || g.git(g.origin, "rev-parse", "main") != before {
		t.Errorf("a trail directory linked out of the repository: %v\n%s", err, out)
	}
}

// TestCommitTrailProtectedBranchSameRun: two commit-trail steps of one run
// (sync-many.yml's shards, each its own job and zones, or a re-run's
// second attempt: the same GITHUB_RUN_ID) to a protected branch: the
// second's entries join the side branch the first pushed, which is the
// one head the pull request rule takes for the run's (trailRun), instead
// of being refused there as not a fast-forward and lost (sync-many's
// artifact holds the shard's report, not its trail).
func TestCommitTrailProtectedBranchSameRun(t *testing.T) {
	g := newGitLab(t)
	hook := filepath.Join(g.origin, "hooks", "pre-receive")
	writeFile(t, hook, "#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo 'GH006: Protected branch update failed for refs/heads/main.' >&2; exit 1; fi\ndone\n")
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}
	first := g.job
	second := filepath.Join(filepath.Dir(g.job), "job2")
	g.git(filepath.Dir(g.job), "clone", "-q", "--depth", "1", "file://"+g.origin, second)

	writeFile(t, filepath.Join(first, ".dnsparity", "cutover", "example.test.json"), trailJSON("status", "push"))
	if out, err := g.commit(); err == nil || !strings.Contains(out, "dnsparity-trail/main-7") {
		t.Fatalf("first step: %v\n%s", err, out)
	}
	g.job = second
	writeFile(t, filepath.Join(second, ".dnsparity", "cutover", "other.test.json"), strings.Replace(trailJSON("status", "push"), "example.test.", "other.test.", 1))
	out, err := g.commit()
	if err == nil || !strings.Contains(out, "::error::") || !strings.Contains(out, "dnsparity-trail/main-7") || strings.Contains(out, "nor to a side branch") {
		t.Fatalf("second step of the run: %v\n%s", err, out)
	}
	if got := g.commands("dnsparity-trail/main-7"); got != "status push" {
		t.Errorf("first step's trail on the side branch: %q", got)
	}
	if got := g.git(g.origin, "show", "dnsparity-trail/main-7:.dnsparity/cutover/other.test.json"); !strings.Contains(got, `"push"`) {
		t.Errorf("second step's trail on the side branch: %q", got)
	}
	if got := g.commands("main"); got != "status" {
		t.Errorf("main changed: %q", got)
	}
}

// TestTrailActionsAuth: check-trail and commit-trail reach origin with
// their token input the one way (.github/actions/git-auth.sh, which both
// source; before, each built the header itself, a copy): git sends it as
// actions/checkout does, "basic" and base64 of x-access-token:TOKEN, to a
// loopback origin that records what it gets; and neither the token nor
// that header reaches the step's log, also when the script runs under
// set -x (before, tracing printed the header built in an array), nor
// .git/config.
//
// git itself is a wrapper first on PATH that logs every argument it is
// given (ps shows them to every process of the runner): neither the token
// nor the header is among them. Reporting itself as git 2.30 (which
// ignores GIT_CONFIG_COUNT and would send no token), each action fails
// closed, saying which git it needs, and sends origin nothing (before, it
// went on unauthenticated).
func TestTrailActionsAuth(t *testing.T) {
	const token = "ghs_trailAuthTokenNotForLogs"
	header := "basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	argv := filepath.Join(t.TempDir(), "argv")
	// The wrapper: each argument on a line of its own, then the real git
	// (or, with OLD_GIT set, git 2.30's version line).
	writeFile(t, filepath.Join(bin, "git"), "#!/bin/sh\nprintf '%s\\n' \"$@\" >>"+shell.Quote(argv)+"\n"+
		"if [ -n \"$OLD_GIT\" ] && [ \"$1\" = version ]; then echo 'git version 2.30.9'; exit 0; fi\n"+
		"exec "+shell.Quote(realGit)+" \"$@\"\n")
	if err := os.Chmod(filepath.Join(bin, "git"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	for _, old := range []bool{false, true} {
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
			t.Run(fmt.Sprintf("%s, git 2.30 %v", tc.script, old), func(t *testing.T) {
				// origin: a loopback server that answers every request
				// 404 and keeps each one's Authorization header.
				auths := make(chan string, 64)
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case auths <- r.Header.Get("Authorization"):
					default:
					}
					http.NotFound(w, r)
				}))
				g := newGitLab(t)
				tc.prepare(g)
				g.git(g.job, "remote", "set-url", "origin", srv.URL+"/origin.git")
				script, _ := filepath.Abs(filepath.Join("..", "..", ".github", "actions", tc.script, tc.script+".sh"))
				cmd := exec.Command("bash", "-x", script)
				cmd.Dir = g.job
				_ = os.Remove(argv) // this run's arguments only
				cmd.Env = append(os.Environ(), append(tc.env, "GH_TOKEN="+token, path, fmt.Sprintf("OLD_GIT=%s", map[bool]string{true: "1"}[old]))...)
				out, runErr := cmd.CombinedOutput()
				srv.Close()
				close(auths)
				var got []string
				for h := range auths {
					got = append(got, h)
				}
				args, err := os.ReadFile(argv)
				if err != nil {
					t.Fatalf("the git wrapper logged nothing (%v): it is not the git the action ran", err)
				}
				for _, secret := range []string{token, header[len("basic "):]} {
					if strings.Contains(string(args), secret) {
						t.Errorf("%s gave git the token or its header as an argument (ps shows it):\n%s", tc.script, args)
					}
				}
				if old {
					if runErr == nil || !strings.Contains(string(out), "git version 2.30.9 is older than 2.31") || len(got) != 0 {
						t.Errorf("%s with git 2.30: %v, %d requests to origin; want a failure naming the git it needs and no request:\n%s", tc.script, runErr, len(got), out)
					}
					return
				}
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
