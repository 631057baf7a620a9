package action

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cutover"
)

// checkTrail runs .github/actions/check-trail/check-trail.sh in the
// job's checkout for zones.
func (g *gitLab) checkTrail(zones string, env ...string) (string, error) {
	script, _ := filepath.Abs(filepath.Join("..", "..", ".github", "actions", "check-trail", "check-trail.sh"))
	cmd := exec.Command("bash", script)
	cmd.Dir = g.job
	cmd.Env = append(os.Environ(), append([]string{"BRANCH=main", "ZONES=" + zones, "GH_TOKEN="}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// sideBranch pushes the writer's trail of example.test. (commands) to
// origin's branch ref, main left as it is.
func (g *gitLab) sideBranch(ref string, commands ...string) {
	g.t.Helper()
	g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
	writeFile(g.t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), trailJSON(commands...))
	writeFile(g.t, filepath.Join(g.writer, ".dnsparity", "cutover", ".json"), "{}\n") // no zone's trail
	g.git(g.writer, "add", ".")
	g.git(g.writer, "commit", "-q", "-am", "cutover: a run's trail")
	g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/"+ref)
}

// TestCheckTrailUnmergedSideBranch: on a protected main, commit-trail
// leaves a run's entries (a flip) on dnsparity-trail/main-RUN for a pull
// request; main's trail still ends at an older step. A cutover step run
// from that checkout would count the overlap from an older flip (finish
// passing minutes after the real one): check-trail fails it, naming the
// branch to merge, for the zone alone or in a wave. A side branch already
// merged, one of another branch (main-x's), one of a run that recorded
// only other zones, one holding no trail the checkout lacks, and one whose
// only new entries are push's and sync's (no step's: a sync during an
// incident) pass. An emergency step is never stopped: what fails another
// step is a warning (before, a side branch failed every run, --emergency
// too, and a sync's failed them alike).

func TestCheckTrailUnmergedSideBranch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		side   string   // the side branch's name ("": none)
		trail  []string // its trail of example.test.
		onMain []string // main's trail of example.test. (nil: the seed's, status)
		zones  string
		emerg  bool // an emergency step (EMERGENCY=true)
		fail   bool
	}{
		{name: "no side branch", zones: "example.test."},
		{name: "unmerged flip", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, zones: "example.test.", fail: true},
		{name: "unmerged flip, in a wave", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, zones: "other.test.,example.test.", fail: true},
		{name: "unmerged flip, a run off GitHub", side: "dnsparity-trail/main-local", trail: []string{"status", "flip"}, zones: "example.test.", fail: true},
		{name: "merged", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, onMain: []string{"status", "flip", "status"}, zones: "example.test."},
		{name: "another branch's", side: "dnsparity-trail/main-x-7", trail: []string{"status", "flip"}, zones: "example.test."},
		{name: "another zone's step", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, zones: "other.test."},
		{name: "unmerged sync and push only", side: "dnsparity-trail/main-7", trail: []string{"status", "sync", "push"}, zones: "example.test."},
		{name: "unmerged sync after a flip", side: "dnsparity-trail/main-7", trail: []string{"status", "flip", "sync"}, zones: "example.test.", fail: true},
		{name: "unmerged flip, an emergency step", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, zones: "example.test.", emerg: true},
		{name: "unmerged flip, every zone (a sync)", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, zones: "", fail: true},
		{name: "unmerged sync only, every zone (a sync)", side: "dnsparity-trail/main-7", trail: []string{"status", "sync"}, zones: ""},
		{name: "merged, every zone (a sync)", side: "dnsparity-trail/main-7", trail: []string{"status", "flip"}, onMain: []string{"status", "flip"}, zones: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitLab(t)
			if tc.side != "" {
				g.sideBranch(tc.side, tc.trail...)
			}
			if tc.onMain != nil {
				writeFile(t, filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json"), trailJSON(tc.onMain...))
			}
			out, err := g.checkTrail(tc.zones, fmt.Sprintf("EMERGENCY=%v", tc.emerg))
			if strings.Contains(out, "bad array subscript") {
				t.Errorf("check-trail looked a file named .json up as a zone:\n%s", out)
			}
			if (err != nil) != tc.fail {
				t.Fatalf("check-trail: %v, want failure %v\n%s", err, tc.fail, out)
			}
			if tc.fail && (!strings.Contains(out, "::error::the audit trail of example.test. on branch "+tc.side) || !strings.Contains(out, "1 entry, the last flip") || !strings.Contains(out, "merge "+tc.side+" into main")) {
				t.Errorf("the error does not name the zone, the entry and the branch to merge:\n%s", out)
			}
			if tc.emerg && (strings.Contains(out, "::error::") || !strings.Contains(out, "::warning::the audit trail of example.test. on branch "+tc.side) || !strings.Contains(out, "an emergency step goes on")) {
				t.Errorf("an emergency step: want a warning naming the branch, no error:\n%s", out)
			}
			if !tc.fail && !tc.emerg && strings.Contains(out, "::") {
				t.Errorf("a passing step printed a workflow command:\n%s", out)
			}
			// A pass says what it looked for (before, a sync's said
			// "holds entries for " and nothing after).
			if what := map[bool]string{true: "any zone", false: tc.zones}[tc.zones == ""]; !tc.fail && !tc.emerg && !strings.Contains(out, "no unmerged audit-trail branch of main holds step entries for "+what+" that main's trail lacks") {
				t.Errorf("the pass does not say what it looked for (%s):\n%s", what, out)
			}
		})
	}
}

// TestCheckTrailFileNames: a zone's trail file is named as
// cutover.TrailPath names it (the zone without its final dot, a "/" of an
// RFC 2317 zone written \047, root.json for the root), for the zones
// named and, none named (a sync), for every file that says it is the
// trail of the zone its name gives; a file that is no trail (a tool's
// package.json) is then no zone's, and passes. Before, the RFC 2317
// zone's file was looked for as "0/25....json", a file TrailPath never
// writes: its unmerged flip passed.
func TestCheckTrailFileNames(t *testing.T) {
	flip := func(zone string) string {
		return `{"zone":"` + zone + `","entries":[{"time":"2026-11-01T10:00:01Z","command":"flip"}]}` + "\n"
	}
	for _, tc := range []struct {
		name, file, text, zones string
		fail                    bool
	}{
		{"an RFC 2317 zone, named", `0\04725.2.0.192.in-addr.arpa.json`, flip("0/25.2.0.192.in-addr.arpa."), "0/25.2.0.192.in-addr.arpa.", true},
		{"an RFC 2317 zone, every zone", `0\04725.2.0.192.in-addr.arpa.json`, flip("0/25.2.0.192.in-addr.arpa."), "", true},
		{"the root, named", "root.json", flip("."), ".", true},
		{"the root, every zone", "root.json", flip("."), "", true},
		{"a file for another zone than its name, every zone", "example.test.json", flip("other.test."), "", false},
		{"no trail, every zone", "package.json", `{"name":"x"}` + "\n", "", false},
		{"not JSON, every zone", "notes.json", "{\n", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitLab(t)
			g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
			writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", tc.file), tc.text)
			g.git(g.writer, "add", ".")
			g.git(g.writer, "commit", "-q", "-m", "cutover: a run's trail")
			g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/dnsparity-trail/main-7")
			out, err := g.checkTrail(tc.zones)
			if (err != nil) != tc.fail {
				t.Errorf("check-trail: %v, want failure %v\n%s", err, tc.fail, out)
			}
			if tc.fail && !strings.Contains(out, "1 entry, the last flip") {
				t.Errorf("the error does not name the flip:\n%s", out)
			}
		})
	}
}

// TestCheckTrailMovedTrail: main moved its trails (cutover.state_dir
// changed) after a run left its entries on a side branch at the old
// path. The side branch's file is judged against the zone's trail where
// the checkout holds it now (a file of the same name that says it is the
// zone's): merged, it passes, saying where it compared; unmerged, it
// fails naming the new path (before, every side branch, merged ones
// too, failed every step and sync: its file was compared with none).
// With no trail of the zone anywhere in the checkout (a first step left
// on the side branch, or a zone removed), it fails, saying a zone that
// left the config has no step to wait for.
func TestCheckTrailMovedTrail(t *testing.T) {
	const flip = `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done"}`
	trail := func(entries ...string) string {
		return `{"zone":"example.test.","entries":[` + strings.Join(entries, ",") + "]}\n"
	}
	status := `{"time":"2026-11-01T10:00:00Z","command":"status"}`
	for _, tc := range []struct {
		name   string
		onMain string // main's trail at trails/example.test.json ("": none anywhere)
		zones  string
		fail   bool
		says   string
	}{
		{"merged, moved", trail(status, flip), "example.test.", false, "the checkout holds it at trails/example.test.json (cutover.state_dir moved)"},
		{"merged, moved, every zone", trail(status, flip), "", false, "the checkout holds it at trails/example.test.json (cutover.state_dir moved)"},
		{"unmerged, moved", trail(status), "example.test.", true, "which main's trails/example.test.json (where its trail is now) lacks"},
		{"unmerged, moved, a sync", trail(status), "", true, "which main's trails/example.test.json (where its trail is now) lacks"},
		{"no trail of the zone left", "", "example.test.", true, "if example.test. has left the config, those entries are no step to wait for"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitLab(t)
			g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
			writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), trail(status, flip))
			g.git(g.writer, "commit", "-q", "-am", "cutover: a run's trail")
			g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/dnsparity-trail/main-7")
			g.git(g.job, "rm", "-q", ".dnsparity/cutover/example.test.json")
			if tc.onMain != "" {
				writeFile(t, filepath.Join(g.job, "trails", "example.test.json"), tc.onMain)
				g.git(g.job, "add", "trails")
			}
			env := "FOR=cutover"
			if tc.zones == "" {
				env = "FOR=sync"
			}
			out, err := g.checkTrail(tc.zones, env)
			if (err != nil) != tc.fail || !strings.Contains(out, tc.says) {
				t.Errorf("check-trail: %v, want failure %v, saying %q:\n%s", err, tc.fail, tc.says, out)
			}
		})
	}
}

// trailGuards are the jobs that record audit-trail entries (a
// commit-trail step) or act on what the trail says (a dnsparity step that
// pushes, or moves the delegation: push.Steps orders a sync by the last
// emergency step, flip and rollback go by the stage and the recorded
// delegation), with the zones their check-trail step must pass: the
// step's zones (cutover), every zone's (a sync, a sync-many shard).
// cutover-watch records nothing (its status's entries die with the
// runner: no commit-trail) and pushes nothing; pr and drift neither.
var trailGuards = map[string]map[string]string{
	"cutover":   {"cutover": "${{ needs.zone.outputs.name }}"},
	"sync":      {"sync": ""},
	"sync-many": {"sync": ""}, // matrix.zones may be left out (TestWorkflowsMany)
}

// TestWorkflowsCheckTrailFirst: every job that records trail entries or
// acts on the trail runs check-trail for its zones after the checkout and
// before the dnsparity step (before, only cutover.yml did: a sync ran from
// a trail that lacked an emergency flip an unmerged side branch held, and
// pushed the side that flip left, down, first), and only such jobs are in
// trailGuards. Only cutover passes emergency (a sync is no way out of an
// outage).
func TestWorkflowsCheckTrailFirst(t *testing.T) {
	checkTrail := regexp.MustCompile(`^dnsparity/dnsparity/\.github/actions/check-trail@v\d+$`)
	commitTrail := regexp.MustCompile(`^dnsparity/dnsparity/\.github/actions/commit-trail@v\d+$`)
	acts := map[string]bool{"sync": true, "push": true, "flip": true, "rollback": true, "finish": true, "${{ inputs.command }}": true}
	seen := map[string]bool{}
	for wname, w := range loadWorkflows(t) {
		for jname, j := range w.Jobs {
			guarded := false
			checkout, check, step := -1, -1, -1
			var with map[string]any
			for i, s := range j.Steps {
				switch {
				case strings.HasPrefix(s.Uses, "actions/checkout@") && checkout < 0:
					checkout = i
				case checkTrail.MatchString(s.Uses):
					check, with = i, s.With
				case commitTrail.MatchString(s.Uses):
					guarded = true
				case strings.HasPrefix(s.Uses, "dnsparity/dnsparity@"):
					if step < 0 {
						step = i
					}
					if c, _ := s.With["command"].(string); acts[c] {
						guarded = true
					}
				}
			}
			zones, want := trailGuards[wname][jname]
			if !guarded {
				if want || check >= 0 {
					t.Errorf("%s.yml job %s records no trail entry and acts on none, but trailGuards or a check-trail step says it does", wname, jname)
				}
				continue
			}
			seen[wname+"/"+jname] = true
			if !want {
				t.Errorf("%s.yml job %s records audit-trail entries or acts on the trail: it needs check-trail (and a row in trailGuards)", wname, jname)
				continue
			}
			if checkout < 0 || check < 0 || step < 0 || !(checkout < check && check < step) {
				t.Errorf("%s.yml job %s: checkout at step %d, check-trail at %d, dnsparity at %d: want them in that order", wname, jname, checkout, check, step)
				continue
			}
			if got, _ := with["zones"].(string); got != zones {
				t.Errorf("%s.yml job %s: check-trail's zones %q, want %q", wname, jname, got, zones)
			}
			if got, _ := with["for"].(string); got != map[bool]string{true: "sync"}[wname != "cutover"] {
				t.Errorf("%s.yml job %s: check-trail's for %q, want sync for a sync (only what sets the stage stops it) and the default (cutover) for a cutover step", wname, jname, got)
			}
			emergency, _ := with["emergency"].(string)
			if wantEmerg := map[bool]string{true: "${{ inputs.emergency }}"}[wname == "cutover"]; emergency != wantEmerg {
				t.Errorf("%s.yml job %s: check-trail's emergency %q, want %q", wname, jname, emergency, wantEmerg)
			}
		}
	}
	for wname, jobs := range trailGuards {
		for jname := range jobs {
			if !seen[wname+"/"+jname] {
				t.Errorf("trailGuards names %s.yml job %s, which records no trail entry (or is gone)", wname, jname)
			}
		}
	}
}

// TestCheckTrailEscapesEntries: a side branch is anyone's writing. An
// entry whose command holds a line break and a workflow command
// ("flip\n::stop-commands::x") is printed inside the error's one line,
// percent-encoded as GitHub's toolkit does (before, jq -r printed it raw
// and it became a command of its own).
func TestCheckTrailEscapesEntries(t *testing.T) {
	t.Run("a workflow command in an entry", func(t *testing.T) {
		g := newGitLab(t)
		g.sideBranch("dnsparity-trail/main-7", "status", "flip\n::stop-commands::x\r::error::y%0A")
		out, err := g.checkTrail("example.test.")
		if err == nil {
			t.Fatalf("check-trail passed an unmerged flip:\n%s", out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "::error::the audit trail of example.test.") {
				t.Errorf("an entry's text started a workflow command line of its own: %q", line)
			}
		}
		if !strings.Contains(out, "the last flip%0A::stop-commands::x%0D::error::y%250A at") {
			t.Errorf("the entry's command is not percent-encoded in the error:\n%s", out)
		}
	})
}

// TestCheckTrailFailsClosed: a trail file git cannot show (a gitlink
// where the zone's trail goes) fails the step, naming it (before, `git
// show … || continue` passed it), and only warns an emergency step.
func TestCheckTrailFailsClosed(t *testing.T) {
	for _, emerg := range []bool{false, true} {
		t.Run(fmt.Sprintf("a trail git cannot show, emergency %v", emerg), func(t *testing.T) {
			g := newGitLab(t)
			g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
			// A gitlink (a submodule's commit, absent here) where the
			// zone's trail goes: ls-tree lists it, git show fails.
			g.git(g.writer, "update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,.dnsparity/cutover/example.test.json")
			g.git(g.writer, "commit", "-q", "-m", "cutover: a run's trail")
			g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/dnsparity-trail/main-7")
			out, err := g.checkTrail("example.test.", fmt.Sprintf("EMERGENCY=%v", emerg))
			want := "::error::cannot read .dnsparity/cutover/example.test.json on dnsparity-trail/main-7"
			if emerg {
				want = "::warning::cannot read .dnsparity/cutover/example.test.json on dnsparity-trail/main-7"
			}
			if (err != nil) == emerg || !strings.Contains(out, want) {
				t.Errorf("check-trail: %v, want failure %v naming the file it cannot read:\n%s", err, !emerg, out)
			}
		})
	}
}

// TestCheckTrailAgreesWithUnmergedSteps: check-trail.sh runs on the
// runner, before the Action's container (where the binary lives), so its
// rule is written in jq; cutover.UnmergedSteps is the same rule in Go.
// Both judge every row of the table, a trail a side branch holds against
// the checkout's, and must agree: a step refused or let through, and for a
// refusal over entries, how many and the last one's command. A row where
// they differ fails here, whichever copy changed (before, only a comment
// tied them: the jq passed a side branch's trail file that was empty, two
// JSON values, or for another zone but not a trail, and one whose push
// entry had no valid time, all of which Go refuses, and refused one whose
// entries were null, which Go reads as none).
func TestCheckTrailAgreesWithUnmergedSteps(t *testing.T) {
	const (
		status = `{"time":"2026-11-01T10:00:00Z","command":"status"}`
		flip   = `{"time":"2026-11-01T10:00:01Z","command":"flip"}`
		sync   = `{"time":"2026-11-01T10:00:02Z","command":"sync"}`
		push   = `{"time":"2026-11-01T10:00:03Z","command":"push"}`
		back   = `{"time":"2026-11-01T10:00:04Z","command":"rollback"}`
		// flipDone sets the stage (Entry.setsStage).
		flipDone = `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done"}`
	)
	trail := func(zone string, entries ...string) string {
		return `{"zone":"` + zone + `","entries":[` + strings.Join(entries, ",") + "]}\n"
	}
	const absent = "\x00absent"
	for _, tc := range []struct {
		name, theirs, ours string
	}{
		{"the same trail", trail("example.test.", status), trail("example.test.", status)},
		{"a flip the checkout lacks", trail("example.test.", status, flip), trail("example.test.", status)},
		{"a flip and a rollback", trail("example.test.", status, flip, back), trail("example.test.", status)},
		{"a flip, then a sync", trail("example.test.", status, flip, sync), trail("example.test.", status)},
		{"sync and push only", trail("example.test.", status, sync, push), trail("example.test.", status)},
		{"merged, the checkout ahead", trail("example.test.", status, flip), trail("example.test.", status, flip, back)},
		{"no trail in the checkout", trail("example.test.", status), absent},
		{"another zone's trail", trail("other.test.", status, flip), trail("example.test.", status)},
		{"no zone named", `{"entries":[` + flip + "]}\n", trail("example.test.", status)},
		{"the same entry, keys in another order", trail("example.test.", status, `{"command":"flip","time":"2026-11-01T10:00:01Z"}`), trail("example.test.", status, flip)},
		{"the same entry, a number written otherwise", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600}`), trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600.0}`)},
		{"an entry changed", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":300}`), trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","ns_ttl":3600}`)},
		{"a dry-run flip", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"flip","dry_run":true}`), trail("example.test.", status)},
		{"a command in capitals", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":"Push"}`), trail("example.test.", status)},
		{"an entry with no command", trail("example.test.", `{"time":"2026-11-01T10:00:01Z"}`), trail("example.test.", status)},
		{"a null entry", trail("example.test.", "null"), trail("example.test.", status)},
		{"entries null", `{"zone":"example.test.","entries":null}` + "\n", trail("example.test.", status)},
		{"an empty file", "", trail("example.test.", status)},
		{"two JSON values", trail("example.test.", status) + trail("example.test.", status, flip), trail("example.test.", status)},
		{"a list, not an object", "[]\n", trail("example.test.", status)},
		{"no entries, another zone", `{"zone":"other.test."}` + "\n", trail("example.test.", status)},
		{"a zone that is a number", `{"zone":5,"entries":[]}` + "\n", trail("example.test.", status)},
		{"an entry that is a string", trail("example.test.", `"flip"`), trail("example.test.", status)},
		{"a push with no valid time", trail("example.test.", status, `{"time":"yesterday","command":"push"}`), trail("example.test.", status)},
		{"a key in capitals", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","Command":"push"}`), trail("example.test.", status)},
		{"a time with an offset", trail("example.test.", `{"time":"2026-11-01T12:00:01+02:00","command":"flip"}`), trail("example.test.", status)},
		{"two command keys, the last in capitals", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","Command":"push"}`), trail("example.test.", status)},
		{"a push dated 30 February", trail("example.test.", status, `{"time":"2026-02-30T10:00:01Z","command":"push"}`), trail("example.test.", status)},
		{"a push dated at second 60", trail("example.test.", status, `{"time":"2026-11-01T23:59:60Z","command":"push"}`), trail("example.test.", status)},
		{"a push with an offset of 24 hours", trail("example.test.", status, `{"time":"2026-11-01T10:00:01+24:00","command":"push"}`), trail("example.test.", status)},
		{"a flip with fractional seconds and an offset", trail("example.test.", `{"time":"2026-11-01T12:00:01.25-02:30","command":"flip"}`), trail("example.test.", status)},
		{"a command that is a number", trail("example.test.", `{"time":"2026-11-01T10:00:01Z","command":5}`), trail("example.test.", status)},
		{"a null entry, the checkout's an empty object", trail("example.test.", "null"), trail("example.test.", "{}")},
		{"entries in capitals, null", `{"zone":"example.test.","Entries":null}` + "\n", trail("example.test.", status)},
		{"no entries, the word in a value", `{"zone":"example.test.","note":"entries"}` + "\n", trail("example.test.", status)},
		{"the checkout's trail not JSON", trail("example.test.", status), "{\n"},
		{"the checkout's trail with no entries", trail("example.test.", status), `{"zone":"example.test."}` + "\n"},
		// Rows where the two rules differ (a sync's counts only what
		// sets the stage: a flip, rollback or finish done, not a dry run).
		{"a flip done", trail("example.test.", status, flipDone), trail("example.test.", status)},
		{"a dry-run flip done", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","dry_run":true}`), trail("example.test.", status)},
		{"a refused flip", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"refused"}`), trail("example.test.", status)},
		{"a failed rollback", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"rollback","result":"error"}`), trail("example.test.", status)},
		{"a rollback and a finish done, then a sync", trail("example.test.", status, `{"time":"2026-11-01T10:00:04Z","command":"rollback","result":"done"}`, `{"time":"2026-11-01T10:00:05Z","command":"finish","result":"done"}`, `{"time":"2026-11-01T10:00:06Z","command":"sync","result":"done"}`), trail("example.test.", status)},
		{"a status done", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"status","result":"done"}`), trail("example.test.", status)},
		{"a flip done in capitals", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","Result":"Done"}`), trail("example.test.", status)},
		{"a result that is a number", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"push","result":1}`), trail("example.test.", status)},
		{"a flip done, merged", trail("example.test.", status, flipDone), trail("example.test.", status, flipDone)},
		// What encoding/json and jq would read differently, which no
		// dnsparity writer leaves: refused by both.
		{"entries twice, a twin between", `{"zone":"example.test.","entries":[` + flipDone + `],"Entries":[],"entries":[` + flipDone + "]}\n", trail("example.test.", status)},
		{"entries twice, the flip first", `{"zone":"example.test.","entries":[` + flipDone + `],"entries":[]}` + "\n", trail("example.test.", status)},
		{"entries and Entries", `{"zone":"example.test.","entries":[],"Entries":[` + flipDone + "]}\n", trail("example.test.", status)},
		{"entries with a long s", `{"zone":"example.test.","entrie\u017f":[` + flipDone + "]}\n", trail("example.test.", status)},
		{"zone with a Kelvin sign twin", `{"zone":"other.test.","\u212aone":"x","Zone":"example.test.","entries":[` + flipDone + "]}\n", trail("example.test.", status)},
		{"an entry's result twice", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","result":"refused"}`), trail("example.test.", status)},
		{"the checkout's entries twice", trail("example.test.", status, flipDone), `{"zone":"example.test.","entries":[` + status + "," + flipDone + `],"entries":[]}` + "\n"},
		{"a flip at hour 1 written T1", trail("example.test.", status, `{"time":"2026-11-01T1:00:01Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"a flip with a comma before its fraction", trail("example.test.", status, `{"time":"2026-11-01T10:00:01,5Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"a push in the year 0000", trail("example.test.", status, `{"time":"0000-11-01T10:00:01Z","command":"push"}`), trail("example.test.", status)},
		{"a flip in the year 0001", trail("example.test.", `{"time":"0001-01-01T00:00:00Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"a flip a second before 1970", trail("example.test.", `{"time":"1969-12-31T23:59:59Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"a flip on 29 February 2024", trail("example.test.", `{"time":"2024-02-29T10:00:00Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"a flip on 29 February 2100", trail("example.test.", `{"time":"2100-02-29T10:00:00Z","command":"flip","result":"done"}`), trail("example.test.", status)},
		{"the checkout's entry at T1", trail("example.test.", status, flipDone), trail("example.test.", `{"time":"2026-11-01T1:00:00Z","command":"status"}`)},
		// A file that says it is example.test.'s trail and is not one
		// trail: refused, also when every zone's trail is looked for.
		{"a flip, then a second value", trail("example.test.", status, flipDone) + `{"x":1}` + "\n", trail("example.test.", status)},
		{"a trail cut short after a flip", `{"zone":"example.test.","entries":[` + status + "," + flipDone + ",", trail("example.test.", status)},
		{"not JSON, the checkout's a trail", "flip at 10:00\n", trail("example.test.", status)},
		{"not JSON, no trail in the checkout", "flip at 10:00\n", absent},
		{"an object that says nothing of a zone", `{"x":1}` + "\n", trail("example.test.", status)},
		{"an object that says nothing of a zone, no trail in the checkout", `{"x":1}` + "\n", absent},
		{"the zone after garbage", `{"zone":"example.test."x,"entries":[` + flipDone + "]}\n", absent},
		{"the zone as an object, then Zone", `{"zone":{"name":"example.test."},"Zone":"example.test.","entries":[` + flipDone + "]}\n", absent},
		{"a nested key twice, the same entry as the checkout's", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","before":{"ns":["a."],"ns":["b."]}}`), trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","before":{"ns":["b."]}}`)},
		{"a nested key twice, another entry", trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","before":{"ns":["b."],"ns":["a."]}}`), trail("example.test.", status, `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done","before":{"ns":["b."]}}`)},
		{"entries null, then the zone twice", `{"entries":null,"zone":"example.test.","zone":"other.test."}` + "\n", trail("example.test.", status)},
		{"a second value that says the zone", `{"x":1}` + "\n" + trail("example.test.", status, flipDone), trail("example.test.", status)},
		{"another zone's trail with a time at T1", trail("other.test.", `{"time":"2026-11-01T1:00:00Z","command":"flip"}`), trail("example.test.", status)},
	} {
		for _, rule := range []struct {
			name  string
			judge func(string, []byte, []byte) ([]string, error)
			zones string // "": every zone's trails (a sync's check)
		}{
			{"cutover", cutover.UnmergedSteps, "example.test."},
			{"sync", cutover.UnmergedStageSteps, "example.test."},
			{"every zone", cutover.UnmergedSteps, ""},
		} {
			t.Run(rule.name+"/"+tc.name, func(t *testing.T) {
				var ours []byte
				if tc.ours != absent {
					ours = []byte(tc.ours)
				}
				steps, err := rule.judge("example.test.", []byte(tc.theirs), ours)
				// Every zone's: a file that says it is no zone's trail,
				// nor the checkout's file at its path (a package.json),
				// is none; one that says it is example.test.'s is judged
				// as when it is named (cutover.ClaimedZone).
				if rule.zones == "" && cutover.ClaimedZone([]byte(tc.theirs)) != "example.test." && (ours == nil || cutover.ClaimedZone(ours) != "example.test.") {
					steps, err = nil, nil
				}
				g := newGitLab(t)
				g.git(g.writer, "checkout", "-q", "-B", "side", "origin/main")
				writeFile(t, filepath.Join(g.writer, ".dnsparity", "cutover", "example.test.json"), tc.theirs)
				g.git(g.writer, "add", ".")
				g.git(g.writer, "commit", "-q", "--allow-empty", "-m", "cutover: a run's trail")
				g.git(g.writer, "push", "-q", "-f", "origin", "HEAD:refs/heads/dnsparity-trail/main-7")
				mine := filepath.Join(g.job, ".dnsparity", "cutover", "example.test.json")
				if ours == nil {
					if err := os.Remove(mine); err != nil {
						t.Fatal(err)
					}
				} else {
					writeFile(t, mine, tc.ours)
				}
				out, serr := g.checkTrail(rule.zones, "FOR="+map[bool]string{true: "sync"}[rule.name == "sync"])
				refused := serr != nil
				switch {
				case err != nil:
					if !refused || !strings.Contains(out, "::error::") {
						t.Errorf("Go refuses (%v); check-trail.sh: %v\n%s", err, serr, out)
					}
				case len(steps) == 0:
					if refused || strings.Contains(out, "::") {
						t.Errorf("Go finds no unmerged step; check-trail.sh: %v\n%s", serr, out)
					}
				default:
					n, last := scriptSteps(out)
					if !refused || n != len(steps) || last != stepHead(steps[len(steps)-1]) {
						t.Errorf("Go finds %d unmerged steps, the last %q; check-trail.sh: %v, %d, the last %q\n%s", len(steps), steps[len(steps)-1], serr, n, last, out)
					}
					if want := map[bool]string{false: "before any cutover step", true: "before the next sync"}[rule.name == "sync"]; !strings.Contains(out, want) {
						t.Errorf("the refusal does not say what it guards (%q):\n%s", want, out)
					}
				}
			})
		}
	}
}

// scriptSteps reads check-trail.sh's count of unmerged step entries and
// the last one's description, without its time, from its error (0, ""
// when it names none).
func scriptSteps(out string) (int, string) {
	m := regexp.MustCompile(`holds (\d+) entr(?:y|ies), the last (.*?)(?: at \S+| with no time), which`).FindStringSubmatch(out)
	if m == nil {
		return 0, ""
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// stepHead is an entry's description (entryHead.describe) without its
// time: "dry-run flip", "entry".
func stepHead(d string) string {
	if i := strings.Index(d, " at "); i >= 0 {
		return d[:i]
	}
	return strings.TrimSuffix(d, " with no time")
}
