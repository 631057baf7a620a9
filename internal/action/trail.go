package action

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// The audit trail (cutover.state_dir, one JSON file per zone) is
// repository content whose entries drive the cutover's gates and what a
// rollback restores. A pull request may only append to it, as the
// cutover and sync workflows do (cutover.CheckAppend); pr judges every
// trail file it changes against the base branch's.

// trailPart judges the pull request's changes to the audit trail of cfg
// (the pull request's config at cfgPath) against the base branch's,
// read as the base's config is (readBase): it adds a part "trail", and an
// error row and annotation for each change that is not entries appended
// in time order. Nothing is added outside a pull request with a base, or
// when the pull request changes no trail file.
func (ac *invocation) trailPart(ctx context.Context, cfgPath string, cfg *config.Config, c *composed) {
	pr, ok := ac.r.PullRequest()
	if !ok || ac.ws == "" || (pr.BaseSHA == "" && pr.BaseRef == "") {
		return
	}
	headDir, ok := ac.wsRel(cutover.StateDir(cfg))
	if !ok {
		return // outside the workspace: the config's load refuses it
	}
	// The base's folder: a pull request that moves state_dir has its
	// trails there judged against the base's, file by file.
	baseDir := headDir
	if ch := ac.configChange(ctx, cfgPath, pr); ch.failed == atNone {
		if bc, err := config.Parse(ch.base, cfg.Path); err == nil {
			if d, ok := ac.wsRel(cutover.StateDir(bc)); ok {
				baseDir = d
			}
		}
	}
	names := map[string]bool{} // trail file names to judge
	changed, _ := ac.changedFiles(ctx, pr)
	if changed != nil && baseDir == headDir {
		for f := range changed {
			if path.Dir(f) == headDir && strings.HasSuffix(f, ".json") {
				names[path.Base(f)] = true
			}
		}
	} else {
		// No complete list of the changed files (or another folder):
		// every trail file there is, and every zone's, so that a
		// deleted one is seen too.
		matches, _ := filepath.Glob(filepath.Join(ac.ws, filepath.FromSlash(headDir), "*.json"))
		for _, m := range matches {
			names[filepath.Base(m)] = true
		}
		for _, z := range cfg.Zones {
			names[filepath.Base(cutover.TrailPathFor(cfg, z.Name))] = true
		}
	}
	if len(names) == 0 {
		return
	}
	runs := map[string]runLookup{} // the run of the side branch, asked once
	sorted := slices.Sorted(maps.Keys(names))
	now := time.Now()
	judged, problems := 0, 0
	for _, n := range sorted {
		rel := path.Join(headDir, n)
		cur, err := ac.readTrailFile(rel)
		if err != nil {
			c.parts = append(c.parts, part{"trail", "error", "could not run: " + err.Error()})
			return
		}
		old, err := ac.readBase(ctx, path.Join(baseDir, n), pr)
		if errors.Is(err, github.ErrNoFile) {
			old, err = nil, nil
		} else if err == nil && old == nil {
			old = []byte{}
		}
		if err != nil {
			c.parts = append(c.parts, part{"trail", "error", "could not run: the base branch's " + path.Join(baseDir, n) + " could not be read to compare with (" + err.Error() + ")"})
			return
		}
		if old == nil && cur == nil {
			continue
		}
		judged++
		zoneName := trailZone(cur, old, n)
		rv := cutover.ReviewTrail(old, cur, now)
		// errorAt reports what, a problem at line of the trail, as a row
		// and an annotation.
		errorAt := func(kind string, line int, what string) {
			c.rows = append(c.rows, row{sev: "error", part: "trail", kind: kind, where: fmt.Sprintf("%s:%d", rel, line), what: what, zone: zoneName})
			c.annots = append(c.annots, github.Annotation{File: rel, Line: line, Level: "error", Title: "dnsparity audit trail", Message: what})
		}
		if rv.Reordered {
			c.rows = append(c.rows, row{sev: "info", part: "trail", kind: "reordered", where: rel, zone: zoneName,
				what: "this pull request puts the entries of the audit trail of zone " + zoneName + " back in time order, each unchanged (the cutover commands refuse the base branch's as it is)"})
		}
		if run := trailRun(pr); len(rv.Appended) > 0 && run == "" {
			// Not the commit-trail step's side branch: an entry written
			// by hand, which drives the gates like a real one.
			for i, a := range rv.Appended {
				problems++
				errorAt("by-hand", appendedLine(rv, i), fmt.Sprintf("this pull request appends %s to the audit trail of zone %s by hand: its head, %s, is not a side branch dnsparity-trail/%s-RUN of this repository, where the commit-trail step puts a run's entries; a hand-written entry drives the gates like a real one (a flip's before is the delegation the next rollback restores, an observation ends the TTL, DNSKEY and DS waits)",
					a, zoneName, headOf(pr), pr.BaseRef))
			}
		} else if why := ac.trailRunProblem(ctx, pr, run, rv.AppendedTimes, runs); len(rv.Appended) > 0 && why != "" {
			// The side branch's name, which anyone who can push may
			// give a branch: the run it names did not write these.
			for i, a := range rv.Appended {
				problems++
				errorAt("run", appendedLine(rv, i), fmt.Sprintf("this pull request appends %s to the audit trail of zone %s from %s, but %s: nothing shows the commit-trail step of that run wrote it, and a hand-written entry drives the gates like a real one",
					a, zoneName, headOf(pr), why))
			}
		} else if added := rv.Appended; len(added) > 0 {
			// What the merge adds to the record, for the reviewer: the
			// run that wrote it.
			added = plural.FirstN(added, 5)
			c.rows = append(c.rows, row{sev: "info", part: "trail", kind: "appended", where: rel, zone: zoneName,
				what: "this pull request appends to the audit trail of zone " + zoneName + " what run " + run + " recorded: " + strings.Join(added, ", ")})
		}
		for _, ch := range rv.Changes {
			problems++
			errorAt("rewrite", ch.Line, "this pull request rewrites the audit trail of zone "+zoneName+": "+ch.Message)
		}
	}
	if judged == 0 {
		return
	}
	if problems > 0 {
		c.parts = append(c.parts, part{"trail", "problems", fmt.Sprintf("%s: %s (only entries appended in time order by a run's side branch may change an audit trail)",
			plural.N(judged, "audit-trail file", "audit-trail files"), plural.N(problems, "rewrite", "rewrites"))})
		return
	}
	c.parts = append(c.parts, part{"trail", "ok", plural.N(judged, "audit-trail file", "audit-trail files") + ": entries appended only, in time order"})
}

// trailRun is the workflow run whose entries pr appends to the audit
// trail ("" when it is not such a pull request): its head is the side
// branch the commit-trail step pushes when it cannot push to the branch
// (dnsparity-trail/BRANCH-RUN, .github/actions/commit-trail), of this
// repository (a fork can name a branch anything), for the base branch,
// of a run in Actions (RUN the run's id; "local" outside Actions).
// Such a branch holds the base's trail with that run's entries, which
// the run's artifact holds too. Any other pull request appending entries
// wrote them by hand: nothing tells such an entry from a forged one.
func trailRun(pr github.PullRequest) string {
	if pr.Fork || pr.BaseRef == "" {
		return ""
	}
	run, ok := strings.CutPrefix(pr.HeadRef, "dnsparity-trail/"+pr.BaseRef+"-")
	if !ok || run == "" || strings.Trim(run, "0123456789") != "" {
		return ""
	}
	return run
}

// runLookup is a workflow run read from the API, or why it could not be.
type runLookup struct {
	run github.WorkflowRun
	err error
}

// trailRunProblem is why run (trailRun's: the side branch's name) is not
// shown to have written entries dated times ("" when it is, or when
// times is empty): the name is any branch's to take, so the API is asked
// (GET /repos/{owner}/{repo}/actions/runs/{run_id}, once per pull
// request, memo runs) that it is a run of this repository on the base
// branch, started by workflow_dispatch, schedule or a push (the cutover
// and sync workflows; a pull_request run is any branch author's), and
// that each entry is dated from its start to, once it completed, its
// last update. A real run's id reused for forged entries dated within it
// is not caught here: the run's artifact (cutover.yml's dnsparity-trail)
// is not compared yet. A run that
// cannot be read (no token, no actions: read, an API error) is a problem
// too: a false refusal rather than a false pass.
func (ac *invocation) trailRunProblem(ctx context.Context, pr github.PullRequest, run string, times [][]time.Time, runs map[string]runLookup) string {
	if run == "" || len(times) == 0 {
		return ""
	}
	l, ok := runs[run]
	if !ok {
		l.run, l.err = ac.workflowRun(ctx, run)
		runs[run] = l
	}
	if l.err != nil {
		return fmt.Sprintf("run %s could not be read to check it (%v; the pr job needs the permission actions: read)", run, l.err)
	}
	r := l.run
	owner, repo := ac.r.Repo()
	switch {
	case !strings.EqualFold(r.Repo, owner+"/"+repo):
		return fmt.Sprintf("run %s is one of %s, not of this repository", run, r.Repo)
	case r.Event != "workflow_dispatch" && r.Event != "schedule" && r.Event != "push":
		return fmt.Sprintf("run %s was started by a %s event, not by workflow_dispatch, schedule or a push to %s as the cutover and sync workflows are", run, r.Event, pr.BaseRef)
	case r.HeadBranch != pr.BaseRef:
		return fmt.Sprintf("run %s ran on branch %s, not on %s, the branch whose trail it would append to", run, r.HeadBranch, pr.BaseRef)
	}
	for _, ts := range times {
		for _, t := range ts {
			if t.Before(r.Started) {
				return fmt.Sprintf("an entry is dated %s, before run %s started (%s)", t.UTC().Format(time.RFC3339), run, r.Started.UTC().Format(time.RFC3339))
			}
			// A run still in progress (the pull request opened while its
			// last steps run) may not have updated since its entries.
			if r.Status == "completed" && !r.Updated.IsZero() && t.After(r.Updated) {
				return fmt.Sprintf("an entry is dated %s, after run %s was last updated (%s)", t.UTC().Format(time.RFC3339), run, r.Updated.UTC().Format(time.RFC3339))
			}
		}
	}
	return ""
}

// workflowRun reads run (its id, digits) of this repository.
func (ac *invocation) workflowRun(ctx context.Context, run string) (github.WorkflowRun, error) {
	id, err := strconv.ParseInt(run, 10, 64)
	if err != nil {
		return github.WorkflowRun{}, fmt.Errorf("run id %q: %w", run, err)
	}
	owner, repo := ac.r.Repo()
	if ac.token == "" || owner == "" {
		return github.WorkflowRun{}, errors.New("no github-token to ask the API with")
	}
	c, err := ac.r.Client(ac.token)
	if err != nil {
		return github.WorkflowRun{}, err
	}
	return c.WorkflowRun(ctx, owner, repo, id)
}

// appendedLine is the line of the trail rv's i-th appended entry is on
// (1 when unknown).
func appendedLine(rv cutover.TrailReview, i int) int {
	if i < len(rv.AppendedLines) {
		return rv.AppendedLines[i]
	}
	return 1
}

// headOf names pr's head for a message.
func headOf(pr github.PullRequest) string {
	h := pr.HeadRef
	if h == "" {
		h = "a branch with no name in the event"
	}
	if pr.Fork {
		h += " of another repository"
	}
	return h
}

// wsRel is p (absolute, or relative to the working directory) relative
// to the workspace, slash-separated; false when it is outside.
func (ac *invocation) wsRel(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(ac.ws, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// readTrailFile reads a trail file of the checkout (rel: from the
// workspace); nil when there is none. A symlink is not a trail file.
func (ac *invocation) readTrailFile(rel string) ([]byte, error) {
	p := filepath.Join(ac.ws, filepath.FromSlash(rel))
	fi, err := os.Lstat(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a symlink?): an audit trail is one", rel)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// trailZone is the zone a trail file is for: as the file says (the
// pull request's version, else the base's), else its name.
func trailZone(cur, old []byte, name string) string {
	for _, b := range [][]byte{cur, old} {
		if z := cutover.TrailZone(b); z != "" {
			return z
		}
	}
	return strings.TrimSuffix(name, ".json") + "."
}
