package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
)

// The audit trail is repository content whose entries drive the cutover's
// gates and what a rollback restores: pr judges a pull request's change to
// a trail file against the base branch's (read as its config is: git in
// the checkout, else the contents API). Entries appended in time order
// pass (what the cutover and sync workflows commit, or put on a side
// branch to merge by pull request); a rewritten, removed or backdated
// entry, or a deleted trail, is an error on the file.

const trailRel = ".dnsparity/cutover/acme.test.json"

// trailDoc is a trail of acme.test. with entries command@time.
func trailDoc(t *testing.T, entries ...map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"zone": "acme.test.", "entries": entries}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// trailWorkspace writes a config, a zone and the base branch's trail of
// acme.test.; it returns the base trail's entries.
func trailWorkspace(t *testing.T, e *actionEnv) []map[string]any {
	t.Helper()
	os.MkdirAll(filepath.Join(e.ws, "zones"), 0o755)
	os.MkdirAll(filepath.Join(e.ws, ".dnsparity", "cutover"), 0o755)
	cfg := "zones:\n  - name: acme.test.\n    file: zones/acme.test.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:53\n  new:\n    type: rfc2136\n    server: 127.0.0.2:53\n"
	os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644)
	os.WriteFile(filepath.Join(e.ws, "zones", "acme.test.zone"), []byte("$ORIGIN acme.test.\n@ 3600 SOA ns1 host 1 3600 600 86400 300\n@ 3600 NS ns1\nns1 A 192.0.2.1\n"), 0o644)
	now := time.Now().UTC().Truncate(time.Second)
	return []map[string]any{
		{"time": now.Add(-48 * time.Hour).Format(time.RFC3339), "command": "push", "result": "done", "pushed": map[string]any{"old": map[string]any{"max_ttl": 86400}}},
		{"time": now.Add(-2 * time.Hour).Format(time.RFC3339), "command": "flip", "result": "done",
			"before": map[string]any{"ns": []string{"ns1.old.test."}}, "after": map[string]any{"ns": []string{"ns1.new.test."}}},
	}
}

type trailPRJSON struct {
	Parts []struct{ Name, Status, Detail string } `json:"parts"`
	Exit  int                                     `json:"exit"`
}

func (e *actionEnv) prJSON(t *testing.T) trailPRJSON {
	t.Helper()
	var js trailPRJSON
	b, _ := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "pr.json"))
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatalf("pr.json: %v\n%s", err, b)
	}
	return js
}

func (js trailPRJSON) part(name string) string {
	for _, p := range js.Parts {
		if p.Name == name {
			return p.Status + ": " + p.Detail
		}
	}
	return ""
}

// TestActionPRTrail: pr on a pull request that changes only the audit
// trail of a zone (base through the contents API), from the side branch
// the commit-trail step leaves for run 4242 on a protected main.
func TestActionPRTrail(t *testing.T) {
	e := newActionEnv(t)
	e.pullRequestFrom(t, false, "dnsparity-trail/main-4242")
	base := trailWorkspace(t, e)
	e.env["INPUT_COMMAND"] = "pr"
	e.gh.SetFile(baseSHA, trailRel, trailDoc(t, base...))
	e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "modified"}})
	now := time.Now().UTC().Truncate(time.Second)
	// The run the branch names: the cutover workflow's, on main.
	e.gh.SetWorkflowRun(githubtest.WorkflowRun{ID: 4242, Event: "workflow_dispatch", HeadBranch: "main", Path: ".github/workflows/cutover.yml",
		Status: "in_progress", StartedAt: now.Add(-10 * time.Minute), Updated: now})
	status := map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "status", "result": "observed"}

	evil := map[string]any{}
	for k, v := range base[1] {
		evil[k] = v
	}
	evil["before"] = map[string]any{"ns": []string{"ns1.attacker.test."}}
	backdated := map[string]any{}
	for k, v := range base[1] {
		backdated[k] = v
	}
	backdated["time"] = now.Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	early := map[string]any{"time": now.Add(-3 * time.Hour).Format(time.RFC3339), "command": "status", "result": "observed"}
	future := map[string]any{"time": now.Add(24 * time.Hour).Format(time.RFC3339), "command": "status", "result": "observed"}
	flipAt := base[1]["time"].(string)

	for _, tt := range []struct {
		name string
		head *string // the pull request's trail (nil: deleted)
		want []string
	}{
		{"entries appended", ptr(trailDoc(t, base[0], base[1], status)), nil},
		{"the flip's restore set rewritten", ptr(trailDoc(t, base[0], evil, status)),
			[]string{"this pull request rewrites the audit trail of zone acme.test.: entry 2 (flip at " + flipAt + ") is changed: before"}},
		{"the flip backdated", ptr(trailDoc(t, base[0], backdated)), []string{"entry 2 (flip at " + flipAt + ") is changed: time"}},
		{"the flip removed", ptr(trailDoc(t, base[0])), []string{"entry 2 (flip at " + flipAt + ") is removed"}},
		{"an entry appended back in time", ptr(trailDoc(t, base[0], base[1], early)), []string{"entry 3 (status at", "is dated before entry 2 (flip at " + flipAt + ")"}},
		{"an entry appended in the future", ptr(trailDoc(t, base[0], base[1], future)), []string{"entry 3 (status at", "is dated in the future"}},
		{"the trail deleted", nil, []string{"this pull request rewrites the audit trail of zone acme.test.: the file is deleted, and with it its 2 entries"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(e.ws, filepath.FromSlash(trailRel))
			if tt.head == nil {
				os.Remove(p)
				e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "removed"}})
			} else {
				os.WriteFile(p, []byte(*tt.head), 0o644)
			}
			before := len(e.gh.CheckRuns())
			o := e.run(t)
			js := e.prJSON(t)
			if tt.want == nil {
				if o.code != exitOK || !strings.HasPrefix(js.part("trail"), "ok: 1 audit-trail file: entries appended only") || o.outputs["result"] != "ok" {
					t.Fatalf("exit %d, trail part %q, outputs %v\n%s\n%s", o.code, js.part("trail"), o.outputs, o.summary, o.stderr)
				}
				// The reviewer is told what the merge adds to the record.
				if !strings.Contains(o.summary, "this pull request appends to the audit trail of zone acme.test. what run 4242 recorded: entry 3 &#40;status at") {
					t.Errorf("the appended entries are not listed:\n%s", o.summary)
				}
				return
			}
			if o.code != exitProblem || o.outputs["result"] != "problems" || !strings.HasPrefix(js.part("trail"), "problems:") || js.Exit != exitProblem {
				t.Fatalf("exit %d (want 1), trail part %q, outputs %v\n%s\n%s", o.code, js.part("trail"), o.outputs, o.summary, o.stderr)
			}
			// Errors first, worded for the reviewer (the summary escapes
			// parentheses: the whole messages are the annotations').
			if i, j := strings.Index(o.summary, "### ❌ Errors"), strings.Index(o.summary, "this pull request rewrites the audit trail of zone acme.test.: "); i < 0 || j < i {
				t.Errorf("the rewrite is not among the errors of the report:\n%s", o.summary)
			}
			runs := e.gh.CheckRuns()
			if len(runs) <= before {
				t.Fatalf("no check run")
			}
			var msgs []string
			for _, a := range runs[len(runs)-1].Annotations {
				if a.Path == trailRel && a.Level == "failure" && a.StartLine > 0 {
					msgs = append(msgs, a.Message)
				}
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("no failure annotation on %s with %q: %+v", trailRel, w, runs[len(runs)-1].Annotations)
				}
			}
		})
	}
	e.noRejected(t)
}

// TestActionPRTrailGit: the base commit is in the checkout (git), not in
// the contents API: a rewritten entry is found there as well.
func TestActionPRTrailGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is required: %v", err)
	}
	e := newActionEnv(t)
	base := trailWorkspace(t, e)
	e.env["INPUT_COMMAND"] = "pr"
	p := filepath.Join(e.ws, filepath.FromSlash(trailRel))
	os.WriteFile(p, []byte(trailDoc(t, base...)), 0o644)
	git := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", e.ws, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "dnsparity.yaml", "zones", ".dnsparity/cutover")
	git("commit", "-q", "-m", "base")
	e.env["GITHUB_EVENT_PATH"] = writeEvent(t, e.ws, git("rev-parse", "HEAD"))
	// The pull request lowers the TTL the push recorded: ttl-expired
	// would pass a day early.
	base[0]["pushed"] = map[string]any{"old": map[string]any{"max_ttl": 60}}
	os.WriteFile(p, []byte(trailDoc(t, base...)), 0o644)
	e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "modified"}})
	o := e.run(t)
	if o.code != exitProblem || !strings.Contains(o.summary, "this pull request rewrites the audit trail of zone acme.test.: entry 1 &#40;push at") || !strings.Contains(o.summary, "is changed: pushed") {
		t.Fatalf("exit %d (want 1)\n%s\n%s", o.code, o.summary, o.stderr)
	}
}

func ptr(s string) *string { return &s }

// TestActionPRTrailAppendedByHand: an entry appended by a pull request
// that is not the commit-trail step's side branch for a run on the base
// branch was written by hand, and drives the gates like a real one: a
// flip entry whose before names someone else's servers is what the next
// rollback restores (Trail.Restore), a status observation dated just
// after the last entry ends a TTL, DNSKEY or DS wait. Such an append is
// an error; on the code before, every case passed (exit 0, "entries
// appended only").
func TestActionPRTrailAppendedByHand(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	for _, tt := range []struct {
		name, head string
		fork       bool
		add        map[string]any
	}{
		{"a flip restoring someone else's servers, from a branch", "zone-change", false,
			map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "flip", "result": "done",
				"changed_at": now.Add(-2 * time.Minute).Format(time.RFC3339),
				"before":     map[string]any{"ns": []string{"ns1.attacker.test."}}, "after": map[string]any{"ns": []string{"ns1.new.test."}}}},
		{"a status observation ending the waits, from a branch", "zone-change", false,
			map[string]any{"time": now.Add(-time.Hour).Format(time.RFC3339), "command": "status", "result": "observed",
				"ttl": map[string]any{"old_max": 300, "new_max": 300}}},
		{"the side branch's name, from a fork", "dnsparity-trail/main-4242", true,
			map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "status", "result": "observed"}},
		{"a side branch of another base branch", "dnsparity-trail/staging-4242", false,
			map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "status", "result": "observed"}},
		{"a side branch of a run outside Actions", "dnsparity-trail/main-local", false,
			map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "status", "result": "observed"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newActionEnv(t)
			e.pullRequestFrom(t, tt.fork, tt.head)
			base := trailWorkspace(t, e)
			e.env["INPUT_COMMAND"] = "pr"
			e.gh.SetFile(baseSHA, trailRel, trailDoc(t, base...))
			e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "modified"}})
			os.WriteFile(filepath.Join(e.ws, filepath.FromSlash(trailRel)), []byte(trailDoc(t, base[0], base[1], tt.add)), 0o644)
			o := e.run(t)
			js := e.prJSON(t)
			if o.code != exitProblem || !strings.HasPrefix(js.part("trail"), "problems:") {
				t.Fatalf("exit %d (want 1), trail part %q\n%s\n%s", o.code, js.part("trail"), o.summary, o.stderr)
			}
			if !strings.Contains(o.summary, "this pull request appends entry 3 &#40;"+tt.add["command"].(string)+" at") || !strings.Contains(o.summary, "by hand") {
				t.Errorf("the appended entry is not named as written by hand:\n%s", o.summary)
			}
		})
	}
}

// TestActionPRTrailReorder: a base trail out of time order (which every
// cutover command refuses) may be put back in order, each entry unchanged:
// pr passes it with a note; reordered and changed, it fails.
func TestActionPRTrailReorder(t *testing.T) {
	e := newActionEnv(t)
	base := trailWorkspace(t, e)
	e.env["INPUT_COMMAND"] = "pr"
	e.gh.SetFile(baseSHA, trailRel, trailDoc(t, base[1], base[0]))
	e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "modified"}})
	p := filepath.Join(e.ws, filepath.FromSlash(trailRel))
	os.WriteFile(p, []byte(trailDoc(t, base[0], base[1])), 0o644)
	o := e.run(t)
	if o.code != exitOK || !strings.Contains(o.summary, "back in time order, each unchanged") {
		t.Fatalf("exit %d\n%s\n%s", o.code, o.summary, o.stderr)
	}
	base[0]["pushed"] = map[string]any{"old": map[string]any{"max_ttl": 60}}
	os.WriteFile(p, []byte(trailDoc(t, base[0], base[1])), 0o644)
	if o := e.run(t); o.code != exitProblem || !strings.Contains(o.summary, "rewrites the audit trail of zone acme.test.") {
		t.Fatalf("reordered and changed: exit %d\n%s", o.code, o.summary)
	}
}

// TestActionPRTrailRunNotVerified: anyone who can push a branch can name
// it dnsparity-trail/main-RUN, so the name alone proves nothing. pr asks
// the API for run RUN (GET /repos/{owner}/{repo}/actions/runs/{run_id},
// https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run):
// it must be a run of this repository on the base branch, started by
// workflow_dispatch, schedule or a push to it (the cutover and sync
// workflows; never pull_request, whose runs any branch's author starts),
// and every appended entry must be dated within it (from its start to
// its last update). Otherwise each appended entry is an error; a run pr
// cannot read (no actions: read) is one too: a false refusal rather than
// a false pass. On the code before, every case passed (exit 0).
func TestActionPRTrailRunNotVerified(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	status := map[string]any{"time": now.Add(-time.Minute).Format(time.RFC3339), "command": "status", "result": "observed"}
	run := func(event, branch string, started time.Duration) *githubtest.WorkflowRun {
		return &githubtest.WorkflowRun{ID: 4242, Event: event, HeadBranch: branch, Path: ".github/workflows/cutover.yml",
			Status: "completed", Conclusion: "success", StartedAt: now.Add(-started), Updated: now}
	}
	for _, tt := range []struct {
		name      string
		run       *githubtest.WorkflowRun
		noActions bool
		want      string // "" passes
	}{
		{"no such run", nil, false, "run 4242"},
		{"a pull_request run", run("pull_request", "main", 10*time.Minute), false, "started by a pull"},
		{"a run on another branch", run("workflow_dispatch", "dnsparity-trail/main-4242", 10*time.Minute), false, "ran on branch dnsparity-trail/main-4242, not on main"},
		{"an entry dated before the run", run("workflow_dispatch", "main", 30*time.Second), false, "before run 4242 started"},
		{"no actions: read", run("workflow_dispatch", "main", 10*time.Minute), true, "actions: read"},
		{"the cutover workflow's run", run("workflow_dispatch", "main", 10*time.Minute), false, ""},
		{"a scheduled sync", run("schedule", "main", 10*time.Minute), false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newActionEnv(t)
			e.pullRequestFrom(t, false, "dnsparity-trail/main-4242")
			base := trailWorkspace(t, e)
			e.env["INPUT_COMMAND"] = "pr"
			if tt.noActions {
				e.gh.SetToken(botToken, githubtest.Token{Login: github.ActionsBot, Installation: true, NoActions: true})
			}
			if tt.run != nil {
				e.gh.SetWorkflowRun(*tt.run)
			}
			e.gh.SetFile(baseSHA, trailRel, trailDoc(t, base...))
			e.gh.SetPullRequestFiles(42, []githubtest.PRFile{{Filename: trailRel, Status: "modified"}})
			os.WriteFile(filepath.Join(e.ws, filepath.FromSlash(trailRel)), []byte(trailDoc(t, base[0], base[1], status)), 0o644)
			o := e.run(t)
			js := e.prJSON(t)
			if tt.want == "" {
				if o.code != exitOK || !strings.HasPrefix(js.part("trail"), "ok:") {
					t.Fatalf("exit %d (want 0), trail part %q\n%s\n%s", o.code, js.part("trail"), o.summary, o.stderr)
				}
				return
			}
			if o.code != exitProblem || !strings.HasPrefix(js.part("trail"), "problems:") || !strings.Contains(o.summary, tt.want) {
				t.Fatalf("exit %d (want 1), trail part %q, want %q in the report\n%s\n%s", o.code, js.part("trail"), tt.want, o.summary, o.stderr)
			}
		})
	}
}

// TestActionPRTrailBaseMovedOn: the checkout of a pull_request run is
// GitHub's merge of the pull request onto the base branch as it is then,
// which may hold trail entries the base branch gained after the event's
// base commit (a sync run's, every ten minutes). Judged against the
// event's base, those counted as appended by hand whenever every trail
// file was judged (the changed files not listed: here no token). pr now
// compares with the merge commit's first parent, when its second is the
// pull request's head. On the code before: exit 1, "appends entry 3 …
// by hand".
func TestActionPRTrailBaseMovedOn(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed")
	}
	e := newActionEnv(t)
	base := trailWorkspace(t, e)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", e.ws, "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(rel, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(e.ws, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write(trailRel, trailDoc(t, base...))
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	eventBase := git("rev-parse", "HEAD")
	git("checkout", "-q", "-b", "zone-change")
	write("zones/acme.test.zone", "$ORIGIN acme.test.\n@ 3600 SOA ns1 host 1 3600 600 86400 300\n@ 3600 NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.80\n")
	git("commit", "-q", "-am", "zones: add www")
	head := git("rev-parse", "HEAD")
	git("checkout", "-q", "main")
	status := map[string]any{"time": time.Now().UTC().Add(-5 * time.Minute).Truncate(time.Second).Format(time.RFC3339), "command": "status", "result": "observed"}
	write(trailRel, trailDoc(t, base[0], base[1], status))
	git("commit", "-q", "-am", "dnsparity: audit trail (sync)")
	git("checkout", "-q", "--detach")
	git("merge", "-q", "--no-ff", "-m", "Merge "+head+" into main", head)

	payload := fmt.Sprintf(`{"action":"synchronize","number":42,
"pull_request":{"number":42,"state":"open","title":"zones: add www",
 "head":{"ref":"zone-change","sha":%q,"repo":{"full_name":"acme/dns","fork":false}},
 "base":{"ref":"main","sha":%q,"repo":{"full_name":"acme/dns","fork":false}}},
"repository":{"full_name":"acme/dns","name":"dns","owner":{"login":"acme"}},
"sender":{"login":"alice"}}`, head, eventBase)
	path := filepath.Join(e.ws, "..", filepath.Base(e.ws)+"-event.json")
	if err := os.WriteFile(path, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["GITHUB_EVENT_NAME"] = "pull_request"
	e.env["GITHUB_EVENT_PATH"] = path
	e.env["INPUT_COMMAND"] = "pr"
	e.env["INPUT_GITHUB-TOKEN"] = "" // the changed files cannot be listed: every trail file is judged
	o := e.run(t)
	if js := e.prJSON(t); strings.HasPrefix(js.part("trail"), "problems:") || strings.Contains(o.summary, "by hand") {
		t.Fatalf("the base branch's own newer entry was taken for one the pull request appends: exit %d, trail part %q\n%s\n%s", o.code, js.part("trail"), o.summary, o.stderr)
	}
}
