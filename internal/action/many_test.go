package action

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

const mergeToken = "ghs_actions_token_merge_0123456789"

// mergeEnv is a workspace for the merge command with GitHub's API faked:
// the drift merge of drift-many.yml's last job, on a schedule.
type mergeEnv struct {
	ws  string
	gh  *githubtest.Server
	env map[string]string
}

func newMergeEnv(t *testing.T) *mergeEnv {
	t.Helper()
	ws := t.TempDir()
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
	t.Cleanup(gh.Close)
	out := t.TempDir()
	return &mergeEnv{ws: ws, gh: gh, env: map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
		"GITHUB_SERVER_URL": "https://github.com", "GITHUB_SHA": strings.Repeat("a", 40), "GITHUB_RUN_ID": "4242",
		"GITHUB_WORKFLOW": "dns-drift-many", "GITHUB_JOB": "merge", "GITHUB_EVENT_NAME": "schedule",
		"GITHUB_STEP_SUMMARY": filepath.Join(out, "summary.md"), "GITHUB_OUTPUT": filepath.Join(out, "outputs"),
		"INPUT_GITHUB-TOKEN": mergeToken, "INPUT_COMMENT": "true", "INPUT_FAIL-ON": "error",
		"INPUT_COMMAND": "merge", "INPUT_REPORTS": "shards/*/drift.json",
	}}
}

// shardReport is a drift shard job's report, as the Action saves it.
func shardReport(name string, zones ...string) []byte {
	b, _ := json.Marshal(map[string]any{
		"command": "drift", "shard": shard.Info{Name: name, Zones: zones},
		"parts": []part{{"check", "ok", "no problems"}, {"plan", "ok", "in sync"}}, "plans": []any{}, "exit": 0,
	})
	return b
}

// put writes report into the artifact's directory, as
// actions/download-artifact does (shards/NAME/drift.json).
func (e *mergeEnv) put(t *testing.T, artifact string, report []byte) {
	t.Helper()
	dir := filepath.Join(e.ws, "shards", artifact)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drift.json"), report, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs the Action once; it returns the exit code and the step summary.
func (e *mergeEnv) run(t *testing.T) (int, string, string) {
	t.Helper()
	os.WriteFile(e.env["GITHUB_STEP_SUMMARY"], nil, 0o644)
	os.WriteFile(e.env["GITHUB_OUTPUT"], nil, 0o644)
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), Env{Commands: fakeRunner{"", cli.ExitError}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return e.env[k] }})
	sum, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	return code, string(sum), stdout.String() + stderr.String()
}

// TestActionMergeMisplacedArtifact: drift-many.yml names each shard job's
// artifact dnsparity-shard-J (J its strategy.job-index: shard J+1) and
// the merge job downloads them into shards/NAME/. A report found in the
// artifact of another shard's job (swapped uploads, one report in two
// artifacts, an artifact of another run's larger matrix) is not counted
// as that shard: the merge names it ("artifact X holds shard Y's report"),
// fails like a missing shard (exit 2), and leaves the drift issue alone.
func TestActionMergeMisplacedArtifact(t *testing.T) {
	r := [][]byte{shardReport("1/3", "a.example."), shardReport("2/3", "b.example."), shardReport("3/3", "c.example.")}
	for _, tt := range []struct {
		name      string
		artifacts map[string][]byte
		want      []string // in the summary
	}{
		{"swapped", map[string][]byte{"dnsparity-shard-0": r[0], "dnsparity-shard-1": r[2], "dnsparity-shard-2": r[1]},
			[]string{"1 of 3 shards reported", "2/3, 3/3", "artifact dnsparity-shard-1 holds shard 3/3's report", "artifact dnsparity-shard-2 holds shard 2/3's report"}},
		{"one report in two artifacts", map[string][]byte{"dnsparity-shard-0": r[0], "dnsparity-shard-1": r[0], "dnsparity-shard-2": r[2]},
			[]string{"2 of 3 shards reported", "missing", "2/3", "artifact dnsparity-shard-1 holds shard 1/3's report"}},
		{"stale artifact of a larger matrix", map[string][]byte{"dnsparity-shard-0": r[0], "dnsparity-shard-1": r[1], "dnsparity-shard-2": r[2], "dnsparity-shard-7": shardReport("5/8", "e.example.")},
			[]string{"3 of 3 shards reported", "artifact dnsparity-shard-7 holds shard 5/8's report"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newMergeEnv(t)
			issue := e.gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "zone b.example. drifted", State: "open", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
			for a, b := range tt.artifacts {
				e.put(t, a, b)
			}
			code, sum, log := e.run(t)
			if code != cli.ExitError {
				t.Errorf("merge: exit %d, want 2\n%s", code, log)
			}
			for _, w := range tt.want {
				if !strings.Contains(sum, w) {
					t.Errorf("the summary lacks %q:\n%s", w, sum)
				}
			}
			is := e.gh.Issues()
			if len(is) != 1 || is[0].Number != issue || is[0].State != "open" || is[0].Body != "zone b.example. drifted" {
				t.Errorf("the drift issue was changed by a merge that is not whole: %+v", is)
			}
			b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
			var rep struct {
				Shards shard.Shards `json:"shards"`
				Exit   int          `json:"exit"`
			}
			if err != nil || json.Unmarshal(b, &rep) != nil || rep.Exit != cli.ExitError || len(rep.Shards.Misplaced) == 0 {
				t.Errorf("report (%v): %s", err, b)
			}
		})
	}

	// In place: every shard counts, the sweep is whole and the issue closes.
	e := newMergeEnv(t)
	e.gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "zone b.example. drifted", State: "open", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
	for i, b := range r {
		e.put(t, shard.ArtifactPrefix+string(rune('0'+i)), b)
	}
	if code, sum, log := e.run(t); code != cli.ExitOK || !strings.Contains(sum, "all 3 shards reported") {
		t.Errorf("in place: exit %d\n%s\n%s", code, sum, log)
	}
	if is := e.gh.Issues(); len(is) != 1 || is[0].State != "closed" {
		t.Errorf("in place: the drift issue %+v, want closed", is)
	}
}

// TestActionMergeExpect: --expect N in the args input is a number of
// shards or the merge could not run (exit 2), naming the input and the
// value; it was read with Sscanf, which took "3x" for 3 and "abc" for
// nothing.
func TestActionMergeExpect(t *testing.T) {
	for _, tt := range []struct {
		args string
		code int
		want string
	}{
		{"--expect abc", cli.ExitError, `args: --expect "abc": not a whole number of shards &#40;want 1 to 256&#41;`},
		{"--expect 3x", cli.ExitError, `args: --expect "3x": not a whole number`},
		{"--expect=2.0", cli.ExitError, `args: --expect "2.0": not a whole number`},
		{"--expect -1", cli.ExitError, "args: --expect -1: want 1 to 256"},
		{"--expect 300", cli.ExitError, "args: --expect 300: want 1 to 256"},
		{"--expect 2 --expect x", cli.ExitError, `args: --expect "x"`},
		// A good value: 2 shards expected, both reported.
		{"--expect 2", cli.ExitOK, "all 2 shards reported"},
		{"--expect=2", cli.ExitOK, "all 2 shards reported"},
		// 3 expected, the reports are of a matrix of 2.
		{"--expect 3", cli.ExitError, "shard 1/2, but the split has 3 shards"},
	} {
		t.Run(tt.args, func(t *testing.T) {
			e := newMergeEnv(t)
			e.env["INPUT_ARGS"] = tt.args
			e.put(t, "dnsparity-shard-0", shardReport("1/2", "a.example."))
			e.put(t, "dnsparity-shard-1", shardReport("2/2", "b.example."))
			code, sum, log := e.run(t)
			if code != tt.code || !strings.Contains(sum, tt.want) {
				t.Errorf("args %q: exit %d (want %d), summary lacks %q:\n%s\n%s", tt.args, code, tt.code, tt.want, sum, log)
			}
		})
	}
}

// TestActionMergeForeign: results a shard report has for zones it does
// not claim are left out of the Action's merge, named in its message and
// listed in the report's "shards": {"foreign"}, the same list the command
// line's merge (shard.Merge) gives for the same reports.
func TestActionMergeForeign(t *testing.T) {
	withPlans := func(name string, zones []string, planned ...string) []byte {
		var doc map[string]any
		json.Unmarshal(shardReport(name, zones...), &doc)
		var plans []any
		for _, z := range planned {
			plans = append(plans, map[string]any{"provider": "new", "zone": z})
		}
		doc["plans"] = plans
		b, _ := json.Marshal(doc)
		return b
	}
	for _, tt := range []struct {
		name    string
		reports [2][]byte
		foreign []string
		message string // in the summary
	}{
		{"none", [2][]byte{withPlans("1/2", []string{"a.example."}, "a.example."), withPlans("2/2", []string{"b.example."}, "b.example.")}, nil, "all 2 shards reported"},
		{"one", [2][]byte{withPlans("1/2", []string{"a.example."}, "a.example."), withPlans("2/2", []string{"b.example."}, "b.example.", "evil.example.")},
			[]string{"evil.example. (shard 2/2)"}, "shard 2/2's report has findings for 1 zone that are not its own &#40;left out&#41;: evil.example."},
		{"another shard's zone and two plans of one", [2][]byte{withPlans("1/2", []string{"a.example."}, "z.example.", "b.example.", "z.example."), withPlans("2/2", []string{"b.example."}, "b.example.")},
			[]string{"b.example. (shard 1/2)", "z.example. (shard 1/2)"}, "shard 1/2's report has findings for 2 zones that are not its own &#40;left out&#41;: b.example., z.example."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newMergeEnv(t)
			var paths []string
			for i, r := range tt.reports {
				a := shard.ArtifactPrefix + string(rune('0'+i))
				e.put(t, a, r)
				paths = append(paths, filepath.Join(e.ws, "shards", a, "drift.json"))
			}
			code, sum, log := e.run(t)
			if want := map[bool]int{true: cli.ExitOK, false: cli.ExitError}[tt.foreign == nil]; code != want || !strings.Contains(sum, tt.message) {
				t.Errorf("exit %d (want %d), the summary lacks %q:\n%s\n%s", code, want, tt.message, sum, log)
			}
			if strings.Contains(sum, "evil") != strings.Contains(tt.message, "evil") {
				t.Errorf("a foreign zone's plan reached the summary:\n%s", sum)
			}
			b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
			var rep struct {
				Shards shard.Shards `json:"shards"`
			}
			if err != nil || json.Unmarshal(b, &rep) != nil {
				t.Fatalf("report (%v): %s", err, b)
			}
			if !slices.Equal(rep.Shards.Foreign, tt.foreign) {
				t.Errorf("the Action's shards.foreign = %q, want %q", rep.Shards.Foreign, tt.foreign)
			}
			sh, _, err := shard.Merge(io.Discard, paths, 0, nil)
			if err != nil || !slices.Equal(sh.Foreign, rep.Shards.Foreign) {
				t.Errorf("dnsparity merge's shards.foreign = %q (%v), the Action's %q", sh.Foreign, err, rep.Shards.Foreign)
			}
		})
	}
}

// TestActionMergeCommandFromReport: a shard report is input, not
// trusted, and its "command" is text from it like any other: one that
// dnsparity does not write (pr, sync, drift) makes the report not a shard
// report (its shard counts as missing) instead of reaching the comment's
// heading, the check run's name and the report's file name unescaped.
func TestActionMergeCommandFromReport(t *testing.T) {
	for _, command := range []string{
		"drift\n\n@octocat please approve: [release](https://evil.example) <img src=x onerror=alert(1)>",
		"../../dnsparity",
		"drift (shard",
	} {
		// One shard's report, or every one (then no shard disagrees).
		for _, all := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/all=%v", command, all), func(t *testing.T) {
				e := newMergeEnv(t)
				for i, name := range []string{"1/2", "2/2"} {
					var doc map[string]any
					json.Unmarshal(shardReport(name, string(rune('a'+i))+".example."), &doc)
					if all || i == 1 {
						doc["command"] = command
					}
					b, _ := json.Marshal(doc)
					e.put(t, shard.ArtifactPrefix+string(rune('0'+i)), b)
				}
				e.env["INPUT_ARGS"] = "--expect 2"
				code, sum, log := e.run(t)
				if want := map[bool]string{false: "1 of 2 shards reported", true: "0 of 2 shards reported"}[all]; code != cli.ExitError || !strings.Contains(sum, want) {
					t.Errorf("exit %d, want 2 and %q:\n%s\n%s", code, want, sum, log)
				}
				for _, bad := range []string{"@octocat", "<img", "](https"} {
					if strings.Contains(sum, bad) {
						t.Errorf("the summary holds %q:\n%s", bad, sum)
					}
				}
				if head, _, _ := strings.Cut(sum, "\n"); strings.Contains(head, "..") || strings.Contains(head, "drift (shard") {
					t.Errorf("the heading names the report's command: %s", head)
				}
				outs, _ := os.ReadFile(e.env["GITHUB_OUTPUT"])
				if strings.Contains(string(outs), "..") {
					t.Errorf("outputs:\n%s", outs)
				}
				for _, r := range e.gh.CheckRuns() {
					if strings.ContainsAny(r.Name, "\n@<[") {
						t.Errorf("check run named %q", r.Name)
					}
				}
			})
		}
	}
}

// TestActionMergeShardsResult: the merge reads the shard jobs' result
// (shards-result: ${{ needs.JOB.result }}), not only their reports. Every
// shard's report is whole and fine, but a job failed after writing it
// (sync-many's audit-trail commit), was cancelled, or did not run (the
// matrix failed): the merge fails (exit 2), names the result, and leaves
// the drift issue as it is. success, or no input (a workflow of before),
// merges as before.
func TestActionMergeShardsResult(t *testing.T) {
	for _, tt := range []struct {
		result string
		fails  bool
	}{{"success", false}, {"", false}, {"failure", true}, {"cancelled", true}, {"skipped", true}} {
		t.Run("result="+tt.result, func(t *testing.T) {
			e := newMergeEnv(t)
			issue := e.gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "zone b.example. drifted", State: "open", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
			e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), shardReport("1/2", "a.example."))
			e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), shardReport("2/2", "b.example."))
			e.env["INPUT_SHARDS-RESULT"] = tt.result
			code, sum, log := e.run(t)
			is := e.gh.Issues()
			if !tt.fails {
				if code != cli.ExitOK || !strings.Contains(sum, "all 2 shards reported") {
					t.Errorf("merge of two whole shards, jobs %q: exit %d\n%s\n%s", tt.result, code, sum, log)
				}
				if len(is) != 1 || is[0].State != "closed" {
					t.Errorf("the drift is gone: the issue should be closed: %+v", is)
				}
				return
			}
			if code != cli.ExitError {
				t.Errorf("merge with the shard jobs' result %q: exit %d, want 2\n%s", tt.result, code, log)
			}
			if want := `the shard jobs' result is "` + tt.result + `", not success`; !strings.Contains(sum, want) {
				t.Errorf("the summary lacks %q:\n%s", want, sum)
			}
			if len(is) != 1 || is[0].Number != issue || is[0].State != "open" || is[0].Body != "zone b.example. drifted" {
				t.Errorf("the drift issue was changed by a merge whose shard jobs failed: %+v", is)
			}
		})
	}
}

// TestActionMergeExitUnknown: a shard report that gives no exit code, or
// "exit" twice, is a failed shard in the Action's merge as in the command
// line's (shard.WalkReport): read as 0, a report with its parts "ok" and
// no "exit" made the merge pass and closed the drift issue.
func TestActionMergeExitUnknown(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"no exit":    func(s string) string { return strings.Replace(s, `,"exit":0`, ``, 1) },
		"exit twice": func(s string) string { return strings.Replace(s, `"exit":0`, `"exit":2,"exit":0`, 1) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newMergeEnv(t)
			e.gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "zone b.example. drifted", State: "open", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
			e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), shardReport("1/2", "a.example."))
			r2 := edit(string(shardReport("2/2", "b.example.")))
			if r2 == string(shardReport("2/2", "b.example.")) {
				t.Fatalf("the edit changed nothing: %s", r2)
			}
			e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), []byte(r2))
			code, sum, log := e.run(t)
			if code != cli.ExitError || !strings.Contains(sum, "2 of 2 shards reported; failed &#40;could not run&#41;: 2/2") {
				t.Errorf("merge with shard 2/2's report %s: exit %d, want 2 and shard 2/2 failed\n%s\n%s", name, code, sum, log)
			}
			if is := e.gh.Issues(); len(is) != 1 || is[0].State != "open" {
				t.Errorf("the drift issue was closed on a shard with no exit code: %+v", is)
			}
		})
	}
}

// TestActionMergeConfigUnreadable: the Action's merge checks each report's
// zones against the config's split; a config in the workspace that cannot
// be read (a later commit broke it) is said and fails the merge, where it
// was passed over silently and the reports merged unchecked (exit 0).
func TestActionMergeConfigUnreadable(t *testing.T) {
	e := newMergeEnv(t)
	if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte("zones: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), shardReport("1/2", "a.example."))
	e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), shardReport("2/2", "b.example."))
	code, sum, log := e.run(t)
	if code != cli.ExitError || !strings.Contains(sum, "dnsparity.yaml") {
		t.Errorf("merge with an unreadable config: exit %d, want 2 naming it\n%s\n%s", code, sum, log)
	}
}

// TestActionMergeAfterPush: a push during a drift-many run changes the
// zone files the merge job checks out (the branch, as now): its split is
// then not the one the shards ran. Every zone checked by some shard
// merges (before: each shard whose zones moved was "lacks"/"claims" and
// failed the merge, a false refusal); a zone no shard checked fails it,
// named.
func TestActionMergeAfterPush(t *testing.T) {
	zoneOf := func(n int) string {
		s := "$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
		for i := 0; i < n; i++ {
			s += fmt.Sprintf("h%d IN A 192.0.2.%d\n", i, i+2)
		}
		return s
	}
	for _, tt := range []struct {
		name    string
		reports [2][]byte
		exit    int
		message string
	}{
		// The config now: a. 10 names, b. 4, c. 5 (split 1: a.; 2: b. c.).
		// The shards ran the commit before, where b. was the larger.
		{"zones moved, every one checked", [2][]byte{shardReport("1/2", "a.example.", "b.example."), shardReport("2/2", "c.example.")}, cli.ExitOK, "all 2 shards reported"},
		{"b. checked by no shard", [2][]byte{shardReport("1/2", "a.example."), shardReport("2/2", "c.example.")}, cli.ExitError, "shard 2/2's report lacks 1 zone the config gives it: b.example."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newMergeEnv(t)
			cfg := "zones:\n"
			for z, n := range map[string]int{"a": 10, "b": 4, "c": 5} {
				if err := os.WriteFile(filepath.Join(e.ws, z+".zone"), []byte(zoneOf(n)), 0o644); err != nil {
					t.Fatal(err)
				}
				cfg += fmt.Sprintf("  - name: %s.example.\n    file: %s.zone\n", z, z)
			}
			if err := os.WriteFile(filepath.Join(e.ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), tt.reports[0])
			e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), tt.reports[1])
			code, sum, log := e.run(t)
			if code != tt.exit || !strings.Contains(sum, tt.message) {
				t.Errorf("exit %d (want %d), the summary lacks %q:\n%s\n%s", code, tt.exit, tt.message, sum, log)
			}
		})
	}
}

// TestActionMergeJudgesContents: a shard report whose "exit" and parts
// say ok while its parity holds an error finding does not merge as a
// pass, nor as mere problems: it contradicts itself, and the merge
// refuses it (exit 2, named in shards.contradicted), as dnsparity merge
// does (shard.Judge). Before, the merge composed the findings into
// problems (exit 1) and took the shard as passed.
func TestActionMergeJudgesContents(t *testing.T) {
	e := newMergeEnv(t)
	var doc map[string]any
	json.Unmarshal(shardReport("2/2", "b.example."), &doc)
	doc["parity"] = []any{map[string]any{"zone": "b.example.", "findings": []any{
		map[string]any{"name": "www.b.example.", "type": "A", "severity": "error", "kind": "differ"}}}}
	bad, _ := json.Marshal(doc)
	e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), shardReport("1/2", "a.example."))
	e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), bad)
	code, sum, log := e.run(t)
	if code != cli.ExitError || !strings.Contains(sum, "shard 2/2's report gives exit 0, better than its results") {
		t.Errorf("a shard report saying ok over an error finding: exit %d, want 2 naming it:\n%s\n%s", code, sum, log)
	}
	b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
	var rep struct {
		Shards shard.Shards `json:"shards"`
	}
	if err != nil || json.Unmarshal(b, &rep) != nil || !slices.Equal(rep.Shards.Contradicted, []string{"2/2"}) {
		t.Errorf("shards.contradicted = %q (%v), want [2/2]", rep.Shards.Contradicted, err)
	}
}

// TestActionMergeUnreportedZone: a shard report whose drift or parity
// part ran (ok) and claims a zone it has no plan or parity report for
// did not check that zone: the merge refuses it (exit 2, named in
// shards.contradicted), as dnsparity merge does (shard.Unreported).
// Before, the merge passed it: drift over the zone never planned was
// "in sync".
func TestActionMergeUnreportedZone(t *testing.T) {
	plan := func(zone string) map[string]any {
		return map[string]any{"provider": "new", "zone": zone, "summary": map[string]int{}, "percent": 0, "changes": []any{}}
	}
	for _, tc := range []struct {
		name   string
		parts  []part
		plans  []any
		parity []any
		want   int
	}{
		{"drift: c. not planned", []part{{"check", "ok", ""}, {"drift", "ok", "in sync"}}, []any{plan("b.example.")}, nil, cli.ExitError},
		{"parity: c. not compared", []part{{"check", "ok", ""}, {"parity", "ok", ""}}, nil, []any{map[string]any{"zone": "b.example.", "findings": []any{}}}, cli.ExitError},
		{"drift: every zone planned", []part{{"check", "ok", ""}, {"drift", "ok", "in sync"}}, []any{plan("b.example."), plan("c.example.")}, nil, cli.ExitOK},
		// A part that did not run has nothing to give.
		{"parity skipped", []part{{"check", "ok", ""}, {"parity", "skipped", "not run"}}, nil, nil, cli.ExitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMergeEnv(t)
			one := map[string]any{"command": "drift", "shard": shard.Info{Name: "1/2", Zones: []string{"a.example."}},
				"parts": tc.parts, "plans": []any{plan("a.example.")}, "parity": []any{map[string]any{"zone": "a.example.", "findings": []any{}}}, "exit": 0}
			two := map[string]any{"command": "drift", "shard": shard.Info{Name: "2/2", Zones: []string{"b.example.", "c.example."}},
				"parts": tc.parts, "plans": tc.plans, "parity": tc.parity, "exit": 0}
			b1, _ := json.Marshal(one)
			b2, _ := json.Marshal(two)
			e.put(t, shard.ArtifactName(shard.Spec{I: 1, N: 2}), b1)
			e.put(t, shard.ArtifactName(shard.Spec{I: 2, N: 2}), b2)
			code, sum, log := e.run(t)
			if code != tc.want {
				t.Errorf("exit %d, want %d:\n%s\n%s", code, tc.want, sum, log)
			}
			b, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "drift.json"))
			var rep struct {
				Shards shard.Shards `json:"shards"`
			}
			if err != nil || json.Unmarshal(b, &rep) != nil {
				t.Fatalf("report: %v", err)
			}
			if want := tc.want == cli.ExitError; slices.Equal(rep.Shards.Contradicted, []string{"2/2"}) != want {
				t.Errorf("shards.contradicted = %q, want 2/2: %v", rep.Shards.Contradicted, want)
			}
		})
	}
}

// TestActionMergePRManyZones: pr-many.yml's merge on a pull request of
// thousands of zones (three shards of 2,000, every zone with a warning,
// one error in the last shard's last zone; a fourth shard's job died)
// posts ONE sticky comment, updated by a re-run, and a summary, each
// within GitHub's limits, errors first (the shard that did not report,
// then the error, then the warnings), and the summary says how many
// findings it left out, pointing at the JSON report. The summary was
// built whole (every row of every shard, megabytes) and cut at 1 MiB
// without saying what it left out.
func TestActionMergePRManyZones(t *testing.T) {
	e := newMergeEnv(t)
	event := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"number": 12}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["GITHUB_EVENT_NAME"], e.env["GITHUB_EVENT_PATH"] = "pull_request", event
	e.env["GITHUB_WORKFLOW"], e.env["INPUT_REPORTS"], e.env["INPUT_ARGS"] = "dns-pr-many", "shards/*/pr.json", "--expect 4"
	const perShard = 2000
	pad := strings.Repeat("w", 200)
	for s := 1; s <= 3; s++ {
		var zones []string
		var problems []report.ProblemJSON
		for i := range perShard {
			z := fmt.Sprintf("s%dz%04d.example.", s, i)
			zones = append(zones, z)
			problems = append(problems, report.ProblemJSON{File: "zones/" + z + "zone", Line: 3, Severity: "warning", Message: "TTL below 60 " + pad})
		}
		exit := 0
		if s == 3 {
			problems[perShard-1].Severity, problems[perShard-1].Message = "error", "the last zone's error"
			exit = 1
		}
		name := fmt.Sprintf("%d/4", s)
		b, _ := json.Marshal(map[string]any{"command": "pr", "shard": shard.Info{Name: name, Zones: zones},
			"parts": []part{{"check", map[bool]string{true: "problems", false: "ok"}[s == 3], "checked"}}, "check": report.CheckJSON{Problems: problems}, "exit": exit})
		dir := filepath.Join(e.ws, "shards", shard.ArtifactName(shard.Spec{I: s, N: 4}))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "pr.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for run := range 2 {
		code, sum, log := e.run(t)
		if code != cli.ExitError {
			t.Fatalf("run %d: exit %d, want 2 (shard 4/4 did not report)\n%.2000s", run, code, log)
		}
		cs := e.gh.Comments(12)
		if len(cs) != 1 {
			t.Fatalf("run %d: %d comments on the pull request, want one sticky comment", run, len(cs))
		}
		// The comment is the digest: counts by class, the worst zones
		// (the one with the error first), the first errors.
		for _, c := range []struct {
			what, md, warning string
			limit             int
		}{{"summary", sum, "| TTL below 60", github.MaxSummary}, {"comment", cs[0].Body, "| zones/s1z0000.example.zone | 0 | 1 |", github.MaxBody},
			{"check run", checkRunSummary(t, e), "| zones/s1z0000.example.zone | 0 | 1 |", github.MaxBody - 1}} {
			if n := utf8.RuneCountInString(c.md); n > c.limit || len(c.md) > 1<<20 {
				t.Errorf("%s: %d characters, %d bytes: over GitHub's limit", c.what, n, len(c.md))
			}
			last := -1
			for _, w := range []string{"3 of 4 shards reported", "the last zone's error", c.warning} {
				i := strings.Index(c.md, w)
				if i < 0 || i < last {
					t.Errorf("%s: %q missing or out of order (at %d, after %d)", c.what, w, i, last)
				}
				last = i
			}
		}
		m := regexp.MustCompile(`_Not shown, to keep within GitHub's size limit \(errors first\): ([0-9]+) findings\. The JSON report`).FindStringSubmatch(sum)
		if m == nil {
			t.Fatalf("the summary does not say what it left out:\n%s", tail(sum))
		}
		n, _ := strconv.Atoi(m[1])
		if shown := strings.Count(sum, "| TTL below 60 "); shown+n != 3*perShard-1 || shown == 0 {
			t.Errorf("summary: %d warnings shown and %d findings said left out, want %d in all", shown, n, 3*perShard-1)
		}
	}
	js, err := os.ReadFile(filepath.Join(e.ws, ".dnsparity", "pr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var merged struct {
		Check report.CheckJSON `json:"check"`
	}
	if err := json.Unmarshal(js, &merged); err != nil || len(merged.Check.Problems) != 3*perShard {
		t.Errorf("pr.json: %v, %d problems, want %d", err, len(merged.Check.Problems), 3*perShard)
	}
}

// checkRunSummary is the summary of the one check run the merge posted,
// which the check run's page shows: collapsed as the comment is when the
// report is over its 65,535 characters (it was cut in the middle of the
// warnings' table, the digest never shown).
func checkRunSummary(t *testing.T, e *mergeEnv) string {
	t.Helper()
	crs := e.gh.CheckRuns()
	if len(crs) == 0 {
		t.Fatal("no check run")
	}
	sum := crs[len(crs)-1].Summary
	if !strings.Contains(sum, "The report is collapsed") {
		t.Errorf("the check run's summary is not the collapsed report:\n%s", tail(sum))
	}
	return sum
}

// zonesRunner records the zones (--zone) each command it runs is given,
// and prints the matrix dnsparity matrix prints for them.
type zonesRunner struct {
	cfg   *config.Config
	mu    sync.Mutex
	zones map[string][]string
}

func (f *zonesRunner) Has(string) bool { return true }
func (f *zonesRunner) Run(_ context.Context, args []string, io cli.IO) int {
	var zs []string
	for i, a := range args {
		if a == "--zone" && i+1 < len(args) {
			zs = append(zs, args[i+1])
		}
	}
	f.mu.Lock()
	f.zones[args[0]] = zs
	f.mu.Unlock()
	if args[0] != "matrix" {
		return cli.ExitError
	}
	scoped := *f.cfg
	if zs != nil {
		var only []config.Zone
		for _, z := range f.cfg.Zones {
			if slices.Contains(zs, z.Name) {
				only = append(only, z)
			}
		}
		scoped.SetZones(only)
	}
	b, _ := json.Marshal(shard.NewMatrix(&scoped, 2))
	fmt.Fprintln(io.Stdout, string(b))
	return cli.ExitOK
}

// TestPRManyScope: pr-many.yml's three jobs take the zones the pull
// request changes, as pr.yml does, and agree on them: its matrix splits
// only those (of 40 zones, the 3 whose files changed), each shard job
// takes its shard of that split (not of every zone: 20 each), and the
// merge checks the shards' reports against that split (a report of the
// changed zones' shard is no mismatch).
func TestPRManyScope(t *testing.T) {
	ws := t.TempDir()
	const head = "$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	if err := os.MkdirAll(filepath.Join(ws, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		os.WriteFile(filepath.Join(ws, "zones", fmt.Sprintf("z%02d.test.zone", i)), []byte(fmt.Sprintf("$ORIGIN z%02d.test.\n%s%s", i, head, strings.Repeat("www IN A 192.0.2.2\n", i))), 0o644)
	}
	os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte("zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:5353, nameservers: [127.0.0.1]}\n  new: {type: rfc2136, server: 127.0.0.1:5354, nameservers: [127.0.0.1]}\n"), 0o644)
	os.Mkdir(filepath.Join(ws, ".git"), 0o755)
	cfg, err := config.Load(filepath.Join(ws, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e := newMergeEnv(t)
	e.ws, e.env["GITHUB_WORKSPACE"] = ws, ws
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"pull_request": {"number": 7, "base": {"sha": "`+strings.Repeat("c", 40)+`"}}}`), 0o644)
	e.env["GITHUB_EVENT_NAME"], e.env["GITHUB_EVENT_PATH"], e.env["GITHUB_WORKFLOW"] = "pull_request", event, "dns-pr-many"
	changed := []string{"z05.test.", "z17.test.", "z33.test."}
	var files []githubtest.PRFile
	for _, z := range changed {
		files = append(files, githubtest.PRFile{Filename: "zones/" + z + "zone", Status: "modified"})
	}
	e.gh.SetPullRequestFiles(7, files)
	run := func(env map[string]string) (*zonesRunner, int) {
		t.Helper()
		f := &zonesRunner{cfg: cfg, zones: map[string][]string{}}
		for k, v := range env {
			e.env[k] = v
		}
		os.WriteFile(e.env["GITHUB_STEP_SUMMARY"], nil, 0o644)
		os.WriteFile(e.env["GITHUB_OUTPUT"], nil, 0o644)
		var out strings.Builder
		code := Run(context.Background(), Env{Commands: f, Stdout: &out, Stderr: &out, Getenv: func(k string) string { return e.env[k] }})
		return f, code
	}

	f, code := run(map[string]string{"INPUT_COMMAND": "matrix", "INPUT_ARGS": "--shards 2", "INPUT_COMMENT": "false"})
	if got := f.zones["matrix"]; code != cli.ExitOK || !reflect.DeepEqual(got, changed) {
		t.Errorf("matrix: exit %d, split %v, want the zones the pull request changes %v", code, got, changed)
	}
	scoped := *cfg
	var only []config.Zone
	for _, z := range cfg.Zones {
		if slices.Contains(changed, z.Name) {
			only = append(only, z)
		}
	}
	scoped.SetZones(only)
	split := shard.Split(&scoped, 2)
	var all []string
	for _, s := range split {
		f, _ := run(map[string]string{"INPUT_COMMAND": "pr", "INPUT_SHARD": s.Spec.String(), "INPUT_ARGS": ""})
		var want []string
		for _, z := range s.Zones {
			want = append(want, z.Name)
		}
		if got := f.zones["check"]; !reflect.DeepEqual(got, want) {
			t.Errorf("shard %s checks %v, want its shard of the changed zones %v", s.Spec, got, want)
		}
		all = append(all, want...)
		b, _ := json.Marshal(map[string]any{"command": "pr", "shard": shard.Info{Name: s.Spec.String(), Zones: append([]string{}, want...)},
			"parts": []part{{"check", "ok", "checked"}}, "check": map[string]any{"problems": []any{}}, "exit": 0})
		dir := filepath.Join(ws, "shards", shard.ArtifactName(s.Spec))
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, "pr.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(all)
	if !reflect.DeepEqual(all, changed) {
		t.Errorf("the shards take %v, want %v", all, changed)
	}
	_, code = run(map[string]string{"INPUT_COMMAND": "merge", "INPUT_SHARD": "", "INPUT_REPORTS": "shards/*/pr.json", "INPUT_ARGS": "--expect 2"})
	sum, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	if code != cli.ExitOK || !strings.Contains(string(sum), "2 shards reported") || !strings.Contains(string(sum), "3 of 40 zones: those whose files the pull request changes") {
		t.Errorf("merge of the changed zones' shards: exit %d, want 0 (every shard reported, as the split of the changed zones gives them):\n%s", code, tail(string(sum)))
	}
}

// TestPRManyScopeNoZone: a pull request that changes no zone (a README
// under zones/) gets a matrix of one shard of no zone (GitHub refuses a
// matrix of none), whose job has nothing to do, and a merge that passes.
func TestPRManyScopeNoZone(t *testing.T) {
	ws := t.TempDir()
	os.MkdirAll(filepath.Join(ws, "zones"), 0o755)
	os.WriteFile(filepath.Join(ws, "zones", "a.test.zone"), []byte("$ORIGIN a.test.\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte("zones:\n  - files: zones/*.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1:5353, nameservers: [127.0.0.1]}\n  new: {type: rfc2136, server: 127.0.0.1:5354, nameservers: [127.0.0.1]}\n"), 0o644)
	os.Mkdir(filepath.Join(ws, ".git"), 0o755)
	e := newMergeEnv(t)
	e.ws, e.env["GITHUB_WORKSPACE"] = ws, ws
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"pull_request": {"number": 7}}`), 0o644)
	e.env["GITHUB_EVENT_NAME"], e.env["GITHUB_EVENT_PATH"], e.env["GITHUB_WORKFLOW"] = "pull_request", event, "dns-pr-many"
	e.gh.SetPullRequestFiles(7, []githubtest.PRFile{{Filename: "zones/README.md", Status: "modified"}})
	e.env["INPUT_COMMAND"], e.env["INPUT_ARGS"], e.env["INPUT_COMMENT"] = "matrix", "--shards 4", "false"
	code, _, log := e.run(t)
	out, _ := os.ReadFile(e.env["GITHUB_OUTPUT"])
	var m shard.Matrix
	i := strings.Index(string(out), `{"include"`)
	if code != cli.ExitOK || i < 0 || json.NewDecoder(strings.NewReader(string(out[i:]))).Decode(&m) != nil || len(m.Include) != 1 || m.Include[0].Shard != "1/1" || len(m.Include[0].Zones) != 0 {
		t.Fatalf("matrix: exit %d, output %s, want one shard of no zone\n%s", code, out, log)
	}
	e.env["INPUT_COMMAND"], e.env["INPUT_SHARD"], e.env["INPUT_ARGS"] = "pr", "1/1", ""
	code, sum, log := e.run(t)
	if code != cli.ExitOK || !strings.Contains(sum, "nothing to do") {
		t.Fatalf("shard 1/1: exit %d, want 0, nothing to do:\n%s\n%s", code, sum, log)
	}
	js, _ := os.ReadFile(filepath.Join(ws, ".dnsparity", "pr.json"))
	dir := filepath.Join(ws, "shards", shard.ArtifactName(shard.Spec{I: 1, N: 1}))
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "pr.json"), js, 0o644)
	e.env["INPUT_COMMAND"], e.env["INPUT_SHARD"], e.env["INPUT_REPORTS"], e.env["INPUT_ARGS"] = "merge", "", "shards/*/pr.json", "--expect 1"
	if code, sum, log := e.run(t); code != cli.ExitOK {
		t.Errorf("merge: exit %d, want 0:\n%s\n%s", code, tail(sum), log)
	}
}

// TestActionMergeStreams: the merge reads each shard report's results as
// it merges them and writes the merged JSON as it goes (shard.Walk,
// a temporary file), where it held every report whole
// (up to 256 MiB each), decoded, and built the merged JSON in memory
// besides. 16 shards of 2,000 zones whose parity holds (their reports
// some 20 MB in all): the heap grows by less than the
// reports' size while the merge runs (sampled), and the merged report has
// every zone.
func TestActionMergeStreams(t *testing.T) {
	e := newMergeEnv(t)
	e.env["INPUT_REPORTS"], e.env["INPUT_ARGS"], e.env["INPUT_COMMENT"] = "shards/*/drift.json", "--expect 16", "false"
	const shards, perShard = 16, 2000
	servers := make([]string, 16)
	for i := range servers {
		servers[i] = fmt.Sprintf("192.0.2.%d:53", i+1)
	}
	total := 0
	for s := 1; s <= shards; s++ {
		var zones []string
		var reps []map[string]any
		for i := range perShard {
			z := fmt.Sprintf("s%02dz%04d.example.", s, i)
			zones = append(zones, z)
			reps = append(reps, map[string]any{"zone": z, "old_servers": servers, "new_servers": servers, "queries": 40, "findings": []any{}})
		}
		b, _ := json.Marshal(map[string]any{"command": "drift", "shard": shard.Info{Name: fmt.Sprintf("%d/%d", s, shards), Zones: zones},
			"parts": []part{{"check", "ok", "no problems"}, {"plan", "ok", "in sync"}, {"parity", "ok", "holds"}}, "plans": []any{}, "parity": reps, "exit": 0})
		total += len(b)
		dir := filepath.Join(e.ws, "shards", shard.ArtifactName(shard.Spec{I: s, N: shards}))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "drift.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Garbage collected often, so that the heap sampled is what the
	// merge holds, not what it let go of since the last collection.
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		high := base.HeapAlloc
		for {
			runtime.ReadMemStats(&m)
			high = max(high, m.HeapAlloc)
			select {
			case <-done:
				peak <- high
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	code, sum, log := e.run(t)
	close(done)
	grew := float64(<-peak-base.HeapAlloc) / float64(total)
	t.Logf("reports: %d bytes; the heap grew by %.2fx their size while the merge ran", total, grew)
	if code != cli.ExitOK {
		t.Fatalf("merge: exit %d\n%s\n%s", code, tail(sum), log)
	}
	if grew > 1 {
		t.Errorf("the heap grew by %.2fx the shard reports' size while the merge ran: it holds them", grew)
	}
	f, err := os.Open(filepath.Join(e.ws, ".dnsparity", "drift.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var merged struct {
		Parity []struct {
			Zone string `json:"zone"`
		} `json:"parity"`
		Shards shard.Shards `json:"shards"`
		Exit   int          `json:"exit"`
	}
	if err := json.NewDecoder(f).Decode(&merged); err != nil || len(merged.Parity) != shards*perShard || merged.Shards.Reported != shards || merged.Exit != 0 {
		t.Errorf("drift.json: %v, %d parity reports, %d shards reported, exit %d; want %d, %d, 0", err, len(merged.Parity), merged.Shards.Reported, merged.Exit, shards*perShard, shards)
	}
}

// TestSaveReportFailedLeavesOld: a report whose reading fails half-way
// (outside Actions: saved to the temporary folder) leaves the report
// saved there before whole, or none, never a part of the new one; the
// file was truncated and written as read.
func TestSaveReportFailedLeavesOld(t *testing.T) {
	for _, before := range []string{"", `{"old": true}` + "\n"} {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		path := filepath.Join(tmp, "dnsparity-merge.json")
		if before != "" {
			if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ac := &invocation{}
		half := io.MultiReader(strings.NewReader(strings.Repeat(`{"zone": "a."},`, 10000)), errReader{})
		if _, err := ac.saveReport("merge", half); err == nil || !strings.Contains(err.Error(), "save the report") {
			t.Errorf("saveReport of a failing reader: %v, want its error", err)
		}
		b, err := os.ReadFile(path)
		if before == "" && !os.IsNotExist(err) || before != "" && string(b) != before {
			t.Errorf("after a failed save, %s holds %d bytes (%v), want %q", path, len(b), err, before)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) > map[bool]int{true: 0, false: 1}[before == ""] {
			t.Errorf("%d files left in the temporary folder (a temporary file not removed?)", len(entries))
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("the merge failed half-way") }
