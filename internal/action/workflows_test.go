package action

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/dnsparity/dnsparity/internal/shard"
)

// The example workflows (.github/workflows) are what users copy: each is
// parsed and held to the properties that keep a zone repository safe.

type workflow struct {
	Name        string            `yaml:"name"`
	RunName     string            `yaml:"run-name"`
	On          map[string]any    `yaml:"on"`
	Permissions any               `yaml:"permissions"`
	Concurrency map[string]any    `yaml:"concurrency"`
	Jobs        map[string]wfJob  `yaml:"jobs"`
	Env         map[string]string `yaml:"env"`
}

type wfJob struct {
	RunsOn      string            `yaml:"runs-on"`
	Timeout     int               `yaml:"timeout-minutes"`
	Needs       any               `yaml:"needs"`
	If          string            `yaml:"if"`
	Permissions any               `yaml:"permissions"`
	Environment any               `yaml:"environment"`
	Env         map[string]string `yaml:"env"`
	Steps       []wfStep          `yaml:"steps"`
	Strategy    map[string]any    `yaml:"strategy"`
	Concurrency map[string]any    `yaml:"concurrency"`
	Outputs     map[string]string `yaml:"outputs"`
}

type wfStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	If   string            `yaml:"if"`

	ContinueOnError any `yaml:"continue-on-error"`
}

func loadWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	dir := filepath.Join("..", "..", ".github", "workflows")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]workflow{}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".yml") && !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&w); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))] = w
	}
	return out
}

// allowedWrites is the least privilege of each job of each workflow: the
// only scopes it may write (a job not named here writes nothing). The
// top-level permissions are read-only; a job that writes says so itself,
// so the jobs beside it (a matrix split, a shard holding provider
// secrets, a name check) get no write token.
var allowedWrites = map[string]map[string][]string{
	"pr":      {"pr": {"pull-requests", "checks"}},
	"sync":    {"sync": {"contents"}}, // the audit trail: the pushes' TTLs
	"drift":   {"drift": {"issues"}},
	"cutover": {"cutover": {"contents"}}, // the audit trail; the zone job writes nothing
	// after a flip or rollback, status on a schedule; a failure opens the
	// zone's tracking issue
	"cutover-watch": {"watch": {"issues"}},
	// as sync.yml; the merge posts the one check run (a sync merge's
	// outcome has checkRun, docs/ACTION.md: "one check run"): without
	// checks: write every run's report said "The token may not create
	// check runs (a fork's read-only token, ...)"; matrix writes nothing
	"sync-many":  {"sync": {"contents"}, "merge": {"checks"}},
	"drift-many": {"merge": {"issues"}}, // only the merge job keeps the issue
	// as pr.yml, but only the merge posts (the one comment and check
	// run); the shards and the split write nothing
	"pr-many": {"merge": {"pull-requests", "checks"}},
	"ci":      {},
	"release": {"image": {"contents", "packages"}, "binaries": {"contents"}},
}

// writes are the scopes a permissions block grants write, or an error for
// a block that is not a map of scopes to read, write or none.
func writes(perms any) ([]string, error) {
	m, ok := perms.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("permissions must be a map of scopes (got %v)", perms)
	}
	var out []string
	for scope, v := range m {
		switch v {
		case "read", "none":
		case "write":
			out = append(out, scope)
		default:
			return nil, fmt.Errorf("permissions.%s = %v", scope, v)
		}
	}
	sort.Strings(out)
	return out, nil
}

func TestWorkflowsLeastPrivilege(t *testing.T) {
	wfs := loadWorkflows(t)
	for name := range allowedWrites {
		if _, ok := wfs[name]; !ok {
			t.Errorf("no .github/workflows/%s.yml", name)
		}
	}
	for name, w := range wfs {
		jobs, known := allowedWrites[name]
		if !known {
			t.Errorf("%s.yml: a workflow this test does not know; give its jobs their least privilege here", name)
			continue
		}
		top, err := writes(w.Permissions)
		if err != nil {
			t.Errorf("%s.yml: top level: %v", name, err)
			continue
		}
		if len(top) > 0 {
			t.Errorf("%s.yml: the top level grants %v: write to every job; grant it in the job that needs it", name, top)
		}
		for jn := range jobs {
			if _, ok := w.Jobs[jn]; !ok {
				t.Errorf("%s.yml: no job %s", name, jn)
			}
		}
		for jn, j := range w.Jobs {
			got := top
			if j.Permissions != nil {
				if got, err = writes(j.Permissions); err != nil {
					t.Errorf("%s.yml: job %s: %v", name, jn, err)
					continue
				}
			}
			want := append([]string{}, jobs[jn]...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s.yml: job %s writes %v, want exactly %v", name, jn, got, want)
			}
		}
	}
}

var (
	secretRef = regexp.MustCompile(`secrets\.([A-Za-z0-9_]+)`)
)

func TestWorkflowsNeverRunPRCodeWithSecrets(t *testing.T) {
	for name, w := range loadWorkflows(t) {
		if _, ok := w.On["pull_request_target"]; ok {
			t.Errorf("%s.yml: pull_request_target runs with secrets and a write token; use pull_request", name)
		}
		for jn, j := range w.Jobs {
			providerSecrets := false
			for _, s := range j.Steps {
				for _, v := range s.Env {
					for _, m := range secretRef.FindAllStringSubmatch(v, -1) {
						providerSecrets = providerSecrets || m[1] != "GITHUB_TOKEN"
					}
				}
			}
			for _, v := range j.Env {
				providerSecrets = providerSecrets || (secretRef.MatchString(v) && !strings.Contains(v, "GITHUB_TOKEN"))
			}
			for i, s := range j.Steps {
				if providerSecrets && (s.Uses == "./" || strings.HasPrefix(s.Uses, "./")) {
					t.Errorf("%s.yml: job %s step %d: `uses: ./` builds the checked-out (pull request) Dockerfile in a job with provider secrets; use the released image", name, jn, i)
				}
				if strings.HasPrefix(s.Uses, "dnsparity/dnsparity") && !regexp.MustCompile(`@v\d+`).MatchString(s.Uses) {
					t.Errorf("%s.yml: job %s: %s is not a release tag", name, jn, s.Uses)
				}
			}
		}
	}
}

func TestWorkflowTriggers(t *testing.T) {
	wfs := loadWorkflows(t)
	step := func(w workflow, command string) *wfStep {
		for _, j := range w.Jobs {
			for i, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") && s.With["command"] == command {
					return &j.Steps[i]
				}
			}
		}
		return nil
	}
	crons := func(w workflow) []string {
		var out []string
		sched, _ := w.On["schedule"].([]any)
		for _, s := range sched {
			m, _ := s.(map[string]any)
			c, _ := m["cron"].(string)
			out = append(out, c)
		}
		return out
	}

	pr := wfs["pr"]
	prOn, _ := pr.On["pull_request"].(map[string]any)
	paths, _ := prOn["paths"].([]any)
	if prOn == nil || len(paths) == 0 || paths[0] != "zones/**" {
		t.Errorf("pr.yml: want pull_request on the zone paths, got %v", pr.On)
	}
	if step(pr, "pr") == nil {
		t.Errorf("pr.yml: no dnsparity step with command: pr")
	}

	sync := wfs["sync"]
	if _, ok := sync.On["push"]; !ok || step(sync, "sync") == nil {
		t.Errorf("sync.yml: want push and a sync step")
	}
	cs := crons(sync)
	if len(cs) != 1 {
		t.Fatalf("sync.yml: want one schedule, got %v", cs)
	}
	min, _, _ := strings.Cut(cs[0], " ")
	every, err := strconv.Atoi(strings.TrimPrefix(min, "*/"))
	if err != nil || !strings.HasPrefix(min, "*/") || every < 5 || every > 15 {
		t.Errorf("sync.yml: schedule %q: want every 5 to 15 minutes", cs[0])
	}
	if sync.Concurrency["cancel-in-progress"] != false {
		t.Errorf("sync.yml: a push in progress must not be cancelled")
	}

	drift := wfs["drift"]
	if len(crons(drift)) == 0 || step(drift, "drift") == nil {
		t.Errorf("drift.yml: want a schedule and a drift step")
	}

	co := wfs["cutover"]
	wd, _ := co.On["workflow_dispatch"].(map[string]any)
	inputs, _ := wd["inputs"].(map[string]any)
	cmd, _ := inputs["command"].(map[string]any)
	opts, _ := cmd["options"].([]any)
	if cmd["type"] != "choice" || len(opts) != 4 || opts[0] != "status" || opts[1] != "flip" || opts[2] != "rollback" || opts[3] != "finish" {
		t.Errorf("cutover.yml: want a choice of status, flip, rollback, finish; got %v", cmd)
	}
	if z, _ := inputs["zone"].(map[string]any); z == nil || z["required"] != true {
		t.Errorf("cutover.yml: want a required zone input")
	}
	// One cutover run at a time: the job that acts is in one group for
	// every zone and list of zones (a wave holding a zone and a run of
	// that zone alone land on different runners, where the per-zone lock
	// cannot see each other), never cancelled in progress.
	if len(co.Concurrency) > 0 {
		t.Errorf("cutover.yml: a workflow-level concurrency group %v: put it on the acting job", co.Concurrency)
	}
	cj, ok := co.Jobs["cutover"]
	if !ok {
		t.Fatalf("cutover.yml: no job cutover")
	}
	if g, _ := cj.Concurrency["group"].(string); g != "dns-write" || cj.Concurrency["cancel-in-progress"] != false {
		t.Errorf("cutover.yml: job cutover: concurrency %v: want the one group dns-write for every run, never cancelling one in progress", cj.Concurrency)
	}
	if cj.Environment == nil {
		t.Errorf("cutover.yml: job cutover has no environment (required reviewers)")
	}
	var dispatch, commit bool
	for _, s := range cj.Steps {
		if strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") && s.With["command"] == "${{ inputs.command }}" && s.With["zone"] == "${{ inputs.zone }}" {
			dispatch = true
		}
		if regexp.MustCompile(`^dnsparity/dnsparity/\.github/actions/commit-trail@v\d+$`).MatchString(s.Uses) && s.If == "always()" {
			commit = true
		}
	}
	if !dispatch || !commit {
		t.Errorf("cutover.yml: job cutover: dispatch step %v, audit-trail commit (always) %v", dispatch, commit)
	}
	for jn, j := range co.Jobs {
		if jn == "cutover" {
			continue
		}
		for _, s := range j.Steps {
			if s.Uses != "" || secretRef.MatchString(fmt.Sprint(s.Env, j.Env)) {
				t.Errorf("cutover.yml: job %s runs an action or holds a secret outside the approved job", jn)
			}
		}
	}
	foldZone(t, co)
	var syncCommit bool
	for _, j := range sync.Jobs {
		for _, s := range j.Steps {
			syncCommit = syncCommit || strings.HasPrefix(s.Uses, "dnsparity/dnsparity/.github/actions/commit-trail@v") && s.If == "always()"
		}
	}
	if !syncCommit {
		t.Errorf("sync.yml: the pushes it records in the audit trail are not committed back (always)")
	}

	// After a flip or rollback (the cutover run's name says which), status
	// every minute for 15 minutes, then every 5 minutes for 2 hours; a
	// failure opens or updates the zone's tracking issue.
	if !strings.HasPrefix(co.RunName, "${{ inputs.command }} ${{ inputs.zone }}") {
		t.Errorf("cutover.yml: run-name %q: the watch reads COMMAND ZONE from it", co.RunName)
	}
	cw := wfs["cutover-watch"]
	wr, _ := cw.On["workflow_run"].(map[string]any)
	if ws, _ := wr["workflows"].([]any); len(ws) != 1 || ws[0] != co.Name {
		t.Errorf("cutover-watch.yml: want workflow_run of %s, got %v", co.Name, cw.On)
	}
	watch, ok := cw.Jobs["watch"]
	if !ok {
		t.Fatal("cutover-watch.yml: no watch job")
	}
	matrix, _ := watch.Strategy["matrix"].(map[string]any)
	minutes, _ := matrix["minute"].([]any)
	var want []any
	for m := 1; m <= 15; m++ {
		want = append(want, m)
	}
	for m := 20; m <= 135; m += 5 {
		want = append(want, m)
	}
	if fmt.Sprint(minutes) != fmt.Sprint(want) || watch.Strategy["max-parallel"] != 1 {
		t.Errorf("cutover-watch.yml: minutes %v (max-parallel %v), want %v one at a time", minutes, watch.Strategy["max-parallel"], want)
	}
	// Only a dns-cutover run dispatched on the default branch: a branch
	// can add a workflow of that name (or edit cutover.yml) and run it on
	// push, with a run name of its choosing.
	if sj := cw.Jobs["step"]; !strings.Contains(sj.If, "github.event.workflow_run.event == 'workflow_dispatch'") ||
		!strings.Contains(sj.If, "github.event.workflow_run.head_branch == github.event.repository.default_branch") ||
		!strings.Contains(sj.If, "github.event.workflow_run.conclusion == 'success'") {
		t.Errorf("cutover-watch.yml: job step: if %q: want a successful workflow_dispatch run on the default branch", sj.If)
	}
	if step(cw, "status") == nil {
		t.Errorf("cutover-watch.yml: no status step")
	}
	var issue bool
	for _, s := range watch.Steps {
		issue = issue || strings.Contains(s.Run, "gh issue create") && strings.Contains(s.Run, "gh issue comment") && strings.HasPrefix(s.If, "always()")
	}
	if !issue {
		t.Errorf("cutover-watch.yml: no step that opens or updates the tracking issue")
	}

	ci := wfs["ci"]
	var runsCI, runsContainer bool
	for _, j := range ci.Jobs {
		for _, s := range j.Steps {
			runsCI = runsCI || strings.Contains(s.Run, ".ci/run")
			runsContainer = runsContainer || strings.Contains(s.Run, ".ci/container-test.sh")
		}
	}
	if !runsCI || !runsContainer {
		t.Errorf("ci.yml: runs .ci/run %v, .ci/container-test.sh %v", runsCI, runsContainer)
	}
}

func TestActionYAML(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs  map[string]struct{ Description, Default string } `yaml:"inputs"`
		Outputs map[string]struct{ Description string }          `yaml:"outputs"`
		Runs    struct{ Using, Image string }                    `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"command", "zone", "config", "github-token", "comment", "fail-on", "args"} {
		if a.Inputs[in].Description == "" {
			t.Errorf("action.yml: input %s missing or undescribed", in)
		}
	}
	for _, out := range []string{"result", "exit-code", "errors", "warnings", "changes", "report"} {
		if a.Outputs[out].Description == "" {
			t.Errorf("action.yml: output %s missing or undescribed", out)
		}
	}
	if a.Runs.Using != "docker" || (a.Runs.Image != "Dockerfile" && !strings.HasPrefix(a.Runs.Image, "docker://")) {
		t.Errorf("action.yml runs = %+v", a.Runs)
	}
	// The release workflow rewrites exactly this line.
	if !regexp.MustCompile(`(?m)^  image: `).Match(b) {
		t.Errorf("action.yml: no `  image:` line for the release workflow to rewrite")
	}
}

// foldZone runs cutover.yml's zone job (its script, with GITHUB_OUTPUT) on
// spellings of one zone: each is folded to the same name, and a name that
// is not a domain name stops the run.
func foldZone(t *testing.T, co workflow) {
	t.Helper()
	zj, ok := co.Jobs["zone"]
	if !ok || len(zj.Steps) != 1 || zj.Outputs["name"] != "${{ steps.fold.outputs.name }}" || zj.Environment != nil {
		t.Fatalf("cutover.yml: want a job zone with one step (fold), its output name, no environment: %+v", zj)
	}
	for _, c := range []struct{ in, want string }{
		{"example.test.", "example.test."}, {"EXAMPLE.Test", "example.test."}, {"Example.TEST.", "example.test."},
		{"xn--bcher-kva.example", "xn--bcher-kva.example."},
		{"example..test", ""}, {"exa mple.test", ""}, {"$(touch pwned)", ""}, {".", ""},
		// A wave: a comma-separated list, each folded; an empty member is no zone.
		{"a.example,B.Example.", "a.example.,b.example."}, {"a.example,,b.example", ""}, {"a.example,$(id)", ""},
		// As docs/ACTION.md writes a wave ("a.example., b.example."): blanks
		// around a comma are no part of a name (they were refused).
		{"a.example., B.example. ", "a.example.,b.example."}, {" a.example", "a.example."}, {"a.example, ,b.example", ""},
	} {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command("bash", "-e", "-c", zj.Steps[0].Run)
		cmd.Env = append(os.Environ(), "ZONE="+c.in, "GITHUB_OUTPUT="+out)
		msg, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(out)
		got := strings.TrimPrefix(strings.TrimSpace(string(b)), "name=")
		if c.want == "" {
			if err == nil || got != "" || !strings.Contains(string(msg), "not a domain name") {
				t.Errorf("zone input %q: %v, output %q, %s; want a refusal", c.in, err, got, msg)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("zone input %q: folded to %q (%v %s), want %q", c.in, got, err, msg, c.want)
		}
	}
	if zj.Steps[0].Env["ZONE"] != "${{ inputs.zone }}" {
		t.Errorf("cutover.yml: the fold step must take the input through env:, not the script")
	}
	// dry-run ticked for status or finish, which have no --dry-run: the run
	// stops here saying so, not in the approved job with "flag provided
	// but not defined: -dry-run".
	// So does emergency (flip --emergency, rollback --emergency).
	for _, c := range []struct {
		command, dryRun, emergency string
		refused                    string
	}{
		{"flip", "true", "false", ""}, {"rollback", "true", "false", ""}, {"status", "false", "false", ""}, {"finish", "false", "false", ""},
		{"status", "true", "false", "dry-run applies to flip and rollback only"}, {"finish", "true", "false", "dry-run applies to flip and rollback only"},
		{"flip", "false", "true", ""}, {"rollback", "true", "true", ""},
		{"status", "false", "true", "emergency applies to flip and rollback only"}, {"finish", "false", "true", "emergency applies to flip and rollback only"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command("bash", "-e", "-c", zj.Steps[0].Run)
		cmd.Env = append(os.Environ(), "ZONE=example.test", "COMMAND="+c.command, "DRY_RUN="+c.dryRun, "EMERGENCY="+c.emergency, "GITHUB_OUTPUT="+out)
		msg, err := cmd.CombinedOutput()
		if (c.refused == "") != (err == nil) || c.refused != "" && !strings.Contains(string(msg), c.refused) {
			t.Errorf("cutover.yml: command %s, dry-run %s, emergency %s: %v %s", c.command, c.dryRun, c.emergency, err, msg)
		}
	}
	if zj.Steps[0].Env["COMMAND"] != "${{ inputs.command }}" || zj.Steps[0].Env["DRY_RUN"] != "${{ inputs.dry-run }}" || zj.Steps[0].Env["EMERGENCY"] != "${{ inputs.emergency }}" {
		t.Errorf("cutover.yml: the fold step must take the command, dry-run and emergency inputs through env:")
	}
}

// TestCutoverEmergencyInput: the cutover workflow runs the emergency steps
// too (flip --emergency: the old provider down; rollback --emergency: the
// new one), not only from the command line: a boolean input emergency,
// passed to the Action's args as --emergency (beside --dry-run), shown in
// the run's name; and cutover-watch watches an emergency step like any
// other, and no dry run.
func TestCutoverEmergencyInput(t *testing.T) {
	wfs := loadWorkflows(t)
	co := wfs["cutover"]
	wd, _ := co.On["workflow_dispatch"].(map[string]any)
	inputs, _ := wd["inputs"].(map[string]any)
	em, _ := inputs["emergency"].(map[string]any)
	if em == nil || em["type"] != "boolean" || em["default"] != false || !strings.Contains(fmt.Sprint(em["description"]), "flip --emergency / rollback --emergency") {
		t.Errorf("cutover.yml: want a boolean input emergency, default false, naming flip --emergency and rollback --emergency: %v", em)
	}
	var args string
	for _, s := range co.Jobs["cutover"].Steps {
		if strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") {
			args = fmt.Sprint(s.With["args"])
		}
	}
	if !strings.Contains(args, "${{ inputs.emergency && '--emergency' || '' }}") || !strings.Contains(args, "${{ inputs.dry-run && '--dry-run' || '' }}") {
		t.Errorf("cutover.yml: the dnsparity step's args %q: want --dry-run and --emergency from their inputs", args)
	}
	if !strings.Contains(co.RunName, "${{ inputs.emergency && ' (emergency)' || '' }}") {
		t.Errorf("cutover.yml: run-name %q does not say (emergency)", co.RunName)
	}
	parse := wfs["cutover-watch"].Jobs["step"]
	if len(parse.Steps) == 0 {
		t.Fatal("cutover-watch.yml: no step job")
	}
	for _, c := range []struct {
		title, command string // command "": nothing to watch
	}{
		{"flip example.test.", "flip"},
		{"flip example.test. (emergency)", "flip"},
		{"rollback example.test. (emergency)", "rollback"},
		{"rollback example.test. (dry run)", ""},
		{"flip example.test. (emergency) (dry run)", ""},
		{"status example.test.", ""},
	} {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command("bash", "-e", "-c", parse.Steps[0].Run)
		cmd.Env = append(os.Environ(), "TITLE="+c.title, "GITHUB_OUTPUT="+out)
		msg, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(out)
		want := ""
		if c.command != "" {
			want = "command=" + c.command + "\nzone=example.test.\n"
		}
		if err != nil || string(b) != want {
			t.Errorf("cutover-watch.yml: run %q: outputs %q (%v %s), want %q", c.title, b, err, msg, want)
		}
	}
}

// TestWorkflowsMany: sync-many.yml, drift-many.yml and pr-many.yml fan
// the command out over a matrix the matrix command makes (within
// GitHub's 256 jobs), each shard job uploads its report, and the merge
// job runs after all of them whatever became of them (needs + if:
// always()), downloads the reports and merges exactly the files the
// shards uploaded. pr-many.yml (a pull request over thousands of zones,
// which had no matrix: one job checked them all) runs on pr.yml's
// trigger and group, its shards with pr.yml's read-only credentials, and
// only its merge posts: one sticky comment and one check run.
//
// Each is held to GitHub's limits at 10,000 and 50,000 zones too
// (checkMatrixAtScale): its jobs, its output matrix, its artifacts.
func TestWorkflowsMany(t *testing.T) {
	wfs := loadWorkflows(t)
	var sc scaleConfigs
	for _, tc := range []struct{ name, command string }{{"sync-many", "sync"}, {"drift-many", "drift"}, {"pr-many", "pr"}} {
		w, ok := wfs[tc.name]
		if !ok {
			t.Errorf("no .github/workflows/%s.yml", tc.name)
			continue
		}
		single := wfs[tc.command]
		if w.Concurrency["group"] != single.Concurrency["group"] || w.Concurrency["cancel-in-progress"] != single.Concurrency["cancel-in-progress"] ||
			tc.command != "pr" && w.Concurrency["cancel-in-progress"] != false {
			t.Errorf("%s.yml: concurrency %v: want %s.yml's group (never both at once), cancelling as it does (a writer never)", tc.name, w.Concurrency, tc.command)
		}
		if !reflect.DeepEqual(w.On, single.On) {
			t.Errorf("%s.yml: on %v, %s.yml's is %v", tc.name, w.On, tc.command, single.On)
		}
		var matrixJob, shardJob, mergeJob string
		shards := 0
		for jn, j := range w.Jobs {
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") {
					continue
				}
				switch s.With["command"] {
				case "matrix":
					matrixJob = jn
					args, _ := s.With["args"].(string)
					f := strings.Fields(args)
					if len(f) != 2 || f[0] != "--shards" {
						t.Errorf("%s.yml: matrix args %q: want --shards N", tc.name, args)
					} else if n, err := strconv.Atoi(f[1]); err != nil || n < 1 || n > 256 {
						t.Errorf("%s.yml: --shards %s: want 1 to 256 (GitHub's jobs per matrix)", tc.name, f[1])
					} else {
						shards = n
					}
					if out := j.Outputs["matrix"]; !strings.Contains(out, "steps."+s.ID+".outputs.matrix") || s.ID == "" {
						t.Errorf("%s.yml: job %s does not hand on the matrix output (outputs %v, step id %q)", tc.name, jn, j.Outputs, s.ID)
					}
				case tc.command:
					shardJob = jn
					if s.With["shard"] != "${{ matrix.shard }}" {
						t.Errorf("%s.yml: %s step: shard %v, want ${{ matrix.shard }}", tc.name, tc.command, s.With["shard"])
					}
				case "merge":
					mergeJob = jn
				}
			}
		}
		if matrixJob == "" || shardJob == "" || mergeJob == "" {
			t.Errorf("%s.yml: jobs matrix %q, %s %q, merge %q", tc.name, matrixJob, tc.command, shardJob, mergeJob)
			continue
		}
		if shards > 0 {
			checkMatrixAtScale(t, &sc, tc.name, shards, w, matrixJob, shardJob)
		}
		sj := w.Jobs[shardJob]
		if !needs(sj, matrixJob) || sj.Strategy["matrix"] != "${{ fromJSON(needs."+matrixJob+".outputs.matrix) }}" || sj.Strategy["fail-fast"] != false {
			t.Errorf("%s.yml: job %s: needs %v, strategy %v: want the matrix job's output, fail-fast false", tc.name, shardJob, sj.Needs, sj.Strategy)
		}
		if p, ok := sj.Strategy["max-parallel"].(int); !ok || p < 1 || p > 256 {
			t.Errorf("%s.yml: job %s: max-parallel %v: bound the jobs drawing on one API account at once", tc.name, shardJob, sj.Strategy["max-parallel"])
		}
		if !reflect.DeepEqual(sj.Environment, single.Jobs[tc.command].Environment) {
			t.Errorf("%s.yml: job %s: environment %v, %s.yml's is %v", tc.name, shardJob, sj.Environment, tc.command, single.Jobs[tc.command].Environment)
		}
		var uploaded, artifact string
		trail := false
		for _, s := range sj.Steps {
			if strings.HasPrefix(s.Uses, "actions/upload-artifact@") && s.If == "always()" {
				uploaded, _ = s.With["path"].(string)
				artifact, _ = s.With["name"].(string)
			}
			trail = trail || strings.HasPrefix(s.Uses, "dnsparity/dnsparity/.github/actions/commit-trail@v") && s.If == "always()"
		}
		if tc.command == "sync" && !trail {
			t.Errorf("%s.yml: job %s does not commit back the pushes it records in the audit trail (always)", tc.name, shardJob)
		}
		if uploaded != ".dnsparity/"+tc.command+".json" || artifact != "${{ matrix.artifact }}" {
			t.Errorf("%s.yml: job %s uploads %q as %q: want its report, always, one artifact per shard", tc.name, shardJob, uploaded, artifact)
		}
		mj := w.Jobs[mergeJob]
		if tc.command == "pr" {
			// The three jobs take the zones the pull request changes
			// (pullRequestScope), each from GitHub's list of its files:
			// each may read it (pull-requests: read, or the merge's
			// write), else one job splits every zone and another the
			// changed ones.
			for _, jn := range []string{matrixJob, shardJob, mergeJob} {
				perms, _ := w.Jobs[jn].Permissions.(map[string]any)
				if p := perms["pull-requests"]; p != "read" && p != "write" {
					t.Errorf("%s.yml: job %s: permissions %v: want pull-requests: read, to list the pull request's files (the zones it changes, the matrix's scope)", tc.name, jn, w.Jobs[jn].Permissions)
				}
			}

			// The merged report alone: the rest of .dnsparity/ is the
			// pull request's content (pr.yml).
			for _, s := range mj.Steps {
				if p, _ := s.With["path"].(string); strings.HasPrefix(s.Uses, "actions/upload-artifact@") && p != ".dnsparity/pr.json" {
					t.Errorf("%s.yml: job %s uploads %q: want .dnsparity/pr.json alone", tc.name, mergeJob, p)
				}
			}
		}
		if !needs(mj, shardJob) || !strings.Contains(mj.If, "always()") {
			t.Errorf("%s.yml: job %s: needs %v, if %q: want needs %s and if: always() (a shard that dies is reported)", tc.name, mergeJob, mj.Needs, mj.If, shardJob)
		}
		// The merge reads the shard jobs' result, not only their reports:
		// a shard whose report is fine and whose later step failed (the
		// audit trail's commit) fails the merge. So that a shard's
		// findings (in its report) do not make the result failure, its
		// dnsparity step continues on error; the merge reads them.
		steps := 0
		for _, s := range sj.Steps {
			if !strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") {
				continue
			}
			steps++
			if s.ContinueOnError != true {
				t.Errorf("%s.yml: job %s: the dnsparity step without continue-on-error: true: a shard with findings makes the jobs' result failure, and the merge could not tell it from a failed step", tc.name, shardJob)
			}
		}
		if steps == 0 {
			t.Errorf("%s.yml: job %s has no dnsparity step", tc.name, shardJob)
		}
		var jobsResult any
		for _, s := range mj.Steps {
			if s.With["command"] == "merge" {
				jobsResult = s.With["shards-result"]
			}
		}
		if jobsResult != "${{ needs."+shardJob+".result }}" {
			t.Errorf("%s.yml: job %s: merge step shards-result %v, want ${{ needs.%s.result }} (a shard job that failed after its report is merged as fine)", tc.name, mergeJob, jobsResult, shardJob)
		}
		var pattern, dir, reports string
		for _, s := range mj.Steps {
			if strings.HasPrefix(s.Uses, "actions/download-artifact@") {
				pattern, _ = s.With["pattern"].(string)
				dir, _ = s.With["path"].(string)
			}
			if s.With["command"] == "merge" {
				reports, _ = s.With["reports"].(string)
			}
		}
		// The artifact is named by the matrix entry (shard.Entry.Artifact),
		// so the merge can check each report against the artifact it was
		// downloaded in (shard.Artifact), whatever order the jobs ran in.
		name := shard.ArtifactName(shard.Spec{I: 7, N: 16})
		if art, s, ok := shard.Artifact(filepath.Join("shards", name, "r.json")); !ok || art != name || s != (shard.Spec{I: 7, N: 16}) {
			t.Errorf("the matrix's artifact name %q does not read back as shard 7/16: %q %v %v", name, art, s, ok)
		}
		if ok, _ := filepath.Match(pattern, name); !ok || dir == "" {
			t.Errorf("%s.yml: job %s downloads %q into %q: want the shards' artifacts (%s*)", tc.name, mergeJob, pattern, dir, shard.ArtifactPrefix)
		}
		// download-artifact puts each artifact in DIR/NAME/.
		if ok, _ := filepath.Match(reports, filepath.Join(dir, name, filepath.Base(uploaded))); !ok {
			t.Errorf("%s.yml: merge reports %q does not match the downloaded %s", tc.name, reports, filepath.Join(dir, name, filepath.Base(uploaded)))
		}
	}
}

func needs(j wfJob, job string) bool {
	switch n := j.Needs.(type) {
	case string:
		return n == job
	case []any:
		for _, x := range n {
			if x == job {
				return true
			}
		}
	}
	return false
}

// shippedSteps are the steps of every workflow and of every composite
// action under .github/actions, each named by where it is.
func shippedSteps(t *testing.T) map[string]wfStep {
	t.Helper()
	out := map[string]wfStep{}
	for name, w := range loadWorkflows(t) {
		for jn, j := range w.Jobs {
			for i, s := range j.Steps {
				out[fmt.Sprintf("%s.yml: job %s step %d", name, jn, i)] = s
			}
		}
	}
	actions, err := filepath.Glob(filepath.Join("..", "..", ".github", "actions", "*", "action.yml"))
	if err != nil || len(actions) == 0 {
		t.Fatalf("no composite action under .github/actions (%v)", err)
	}
	for _, p := range actions {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a struct {
			Runs struct{ Steps []wfStep } `yaml:"runs"`
		}
		if err := yaml.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i, s := range a.Runs.Steps {
			out[fmt.Sprintf("%s step %d", filepath.Base(filepath.Dir(p)), i)] = s
		}
	}
	return out
}

// TestWorkflowsNoExpressionInScripts: no script has ${{ }} in it. GitHub
// pastes an expression's value into the script before the shell reads it,
// so a zone name, a branch name, an input, a step's output or a matrix
// value holding $(...) or a quote would run as code; through env: it is
// data.
func TestWorkflowsNoExpressionInScripts(t *testing.T) {
	for where, s := range shippedSteps(t) {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("%s: ${{ }} in run: (pass the value through env:)", where)
		}
	}
}

// TestWorkflowsPinned: every action from another repository is pinned by
// a full commit SHA with its version in a comment (a tag can be moved to
// other code; a SHA cannot). dnsparity's own action and commit-trail are
// taken at the release tag that release.yml moves to the commit running
// the released image.
func TestWorkflowsPinned(t *testing.T) {
	own := regexp.MustCompile(`^dnsparity/dnsparity(/\.github/actions/[a-z-]+)?@v\d+$`)
	pinned := regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+\b`)
	uses := regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(.*)$`)
	files, _ := filepath.Glob(filepath.Join("..", "..", ".github", "workflows", "*.yml"))
	actions, _ := filepath.Glob(filepath.Join("..", "..", ".github", "actions", "*", "action.yml"))
	n := 0
	for _, p := range append(files, actions...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			m := uses.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			n++
			ref := strings.Trim(m[1], `"'`)
			switch {
			case own.MatchString(ref):
			case strings.HasPrefix(ref, "./"):
				t.Errorf("%s:%d: %s runs the checked-out code as an action", p, i+1, ref)
			case !pinned.MatchString(ref):
				t.Errorf("%s:%d: %s is not pinned by a full commit SHA with its version in a comment (owner/repo@SHA # vX.Y.Z)", p, i+1, ref)
			}
		}
	}
	if n == 0 {
		t.Fatal("no uses: line found")
	}
}

// TestWorkflowsCheckoutKeepsNoToken: every checkout leaves the token out
// of .git/config, where every later step (the dnsparity container, a
// Docker build context) could read it; a step that pushes passes the
// token to that one git command.
func TestWorkflowsCheckoutKeepsNoToken(t *testing.T) {
	for where, s := range shippedSteps(t) {
		if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["persist-credentials"] != false {
			t.Errorf("%s: actions/checkout without persist-credentials: false", where)
		}
	}
}

// TestWorkflowsCredentialNames: one dnsparity.yaml serves every workflow,
// so every dnsparity step that talks to the providers (all but matrix and
// merge) sets every variable pr.yml's step sets: a config whose TSIG key
// takes its name from OLD_TSIG_NAME (tsig.name_env, docs/ACTION.md) could
// not run in a step that lacks it. A step given pr.yml's transfer-only
// secret gets pr.yml's key name with it (the server tells the keys apart
// by name).
func TestWorkflowsCredentialNames(t *testing.T) {
	wfs := loadWorkflows(t)
	var base map[string]string
	for _, j := range wfs["pr"].Jobs {
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") && s.With["command"] == "pr" {
				base = s.Env
			}
		}
	}
	if len(base) == 0 {
		t.Fatal("pr.yml: no dnsparity step with env")
	}
	for name, w := range wfs {
		for jn, j := range w.Jobs {
			for i, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") || s.With["command"] == "matrix" || s.With["command"] == "merge" {
					continue
				}
				readOnly := false
				for k, v := range base {
					readOnly = readOnly || secretRef.MatchString(v) && s.Env[k] == v
				}
				for k, v := range base {
					got, ok := s.Env[k]
					switch {
					case !ok:
						t.Errorf("%s.yml: job %s step %d (command %v): no %s, which pr.yml's step sets (the config names it)", name, jn, i, s.With["command"], k)
					case readOnly && got != v:
						t.Errorf("%s.yml: job %s step %d: %s is %q with pr.yml's read-only secrets; pr.yml has %q", name, jn, i, k, got, v)
					}
				}
			}
		}
	}
}

// TestActionInputsDocumented: every input and output of action.yml is
// named in docs/ARCHITECTURE.md's Action contract and in the README's
// list, where a user copying a workflow looks them up (shard, reports and
// the matrix output were missing from the contract).
func TestActionInputsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs  map[string]any `yaml:"inputs"`
		Outputs map[string]any `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	section := func(file, from, to string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", file))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i := strings.Index(s, from)
		if i < 0 {
			t.Fatalf("%s: no %q", file, from)
		}
		j := strings.Index(s[i:], to)
		if j < 0 {
			t.Fatalf("%s: no %q after %q", file, to, from)
		}
		return s[i : i+j]
	}
	docs := []struct{ file, inputs, outputs string }{
		{"docs/ARCHITECTURE.md", section("docs/ARCHITECTURE.md", "- **Inputs**", "- **Outputs**"), section("docs/ARCHITECTURE.md", "- **Outputs**", "- **The report**")},
		{"README.md", section("README.md", "Inputs: `command`", "Outputs:"), section("README.md", "Outputs: `result`", "\n\n")},
	}
	for _, d := range docs {
		for in := range a.Inputs {
			if !strings.Contains(d.inputs, "`"+in+"`") {
				t.Errorf("%s: the Action's inputs do not name `%s` (action.yml has it)", d.file, in)
			}
		}
		for out := range a.Outputs {
			if !strings.Contains(d.outputs, "`"+out+"`") {
				t.Errorf("%s: the Action's outputs do not name `%s` (action.yml has it)", d.file, out)
			}
		}
	}
}

// TestWorkflowsUploadHiddenPaths: actions/upload-artifact (v4.4 and later)
// leaves out every file under a folder whose name starts with a dot, also
// when the path names it (actions/upload-artifact#602, #618), unless
// include-hidden-files is true. The reports (.dnsparity/COMMAND.json) and
// the audit trail (.dnsparity/cutover/) are under such a folder: without
// it the artifact is never made (if-no-files-found: ignore says nothing),
// the merge of sync-many.yml and drift-many.yml finds no shard's report,
// and the trail the commit-trail step points to when its push fails is
// not in the run's artifact.
func TestWorkflowsUploadHiddenPaths(t *testing.T) {
	n := 0
	for where, s := range shippedSteps(t) {
		if !strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			continue
		}
		path, _ := s.With["path"].(string)
		hidden := false
		for _, line := range strings.Split(path, "\n") {
			for _, part := range strings.Split(strings.TrimSpace(line), "/") {
				if strings.HasPrefix(part, ".") && part != "." && part != ".." {
					hidden = true
				}
			}
		}
		if !hidden {
			continue
		}
		n++
		if s.With["include-hidden-files"] != true {
			t.Errorf("%s: upload-artifact of %q without include-hidden-files: true uploads nothing", where, strings.TrimSpace(path))
		}
	}
	if n == 0 {
		t.Fatal("no upload-artifact of a path under .dnsparity/ found")
	}
}

// TestWorkflowsUploadOverwrite: every artifact a job uploads under a fixed
// name (dnsparity-report, dnsparity-trail, a shard's
// dnsparity-shard-I-of-N) is uploaded with overwrite: true. upload-artifact
// v4 refuses a name the run already has (409 Conflict), so a re-run of the
// job failed at its upload, and a re-run shard's new report never
// replaced the earlier attempt's, which the merge then read. (A shard not
// re-run keeps its artifact, which the re-run's merge needs.)
func TestWorkflowsUploadOverwrite(t *testing.T) {
	n := 0
	for where, s := range shippedSteps(t) {
		if !strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			continue
		}
		n++
		if s.With["overwrite"] != true {
			t.Errorf("%s: upload-artifact of %v without overwrite: true: a re-run cannot replace the earlier attempt's artifact", where, s.With["name"])
		}
	}
	if n == 0 {
		t.Fatal("no upload-artifact step found")
	}
}

// TestWorkflowsCheckoutBranchTip: every job that holds write credentials
// (a protected environment's secrets, or a token that writes) and acts
// from the branch's state (sync: its zone files; cutover: its audit
// trail, whose last entries are the gates' and a rollback's record;
// drift: the zone files it holds the providers to, and the issue it
// keeps; the watch: the trail's registrar change) checks out the branch
// as it is when the job starts, not the commit of the event. A
// workflow_dispatch run waits for its approval and for the run before it
// in the concurrency group; a re-run (also "Re-run failed jobs" of one
// shard) keeps the event's commit. At the event's commit a rollback
// queued behind a flip would start from a trail without the flip
// (refused, and refused again on every re-run), and a re-run of an old
// sync (or of one sync-many shard) would push zone files that later
// merges changed. In sync-many and drift-many every job does (the
// matrix's split, the shards and the merge's config are one commit).
// Exempt: release (a tag push builds the tagged commit; a re-run after
// the tag was moved must not build the release commit on top of
// itself) and pr (the pull request's merge commit its check run is for).
func TestWorkflowsCheckoutBranchTip(t *testing.T) {
	exempt := map[string]bool{"release": true, "pr": true, "pr-many": true}
	all := map[string]bool{"sync-many": true, "drift-many": true}
	wfs := loadWorkflows(t)
	seen := map[string]bool{}
	for name, w := range wfs {
		if exempt[name] {
			continue
		}
		for jn, j := range w.Jobs {
			ws, _ := writes(j.Permissions)
			if j.Permissions == nil {
				ws, _ = writes(w.Permissions)
			}
			if j.Environment == nil && len(ws) == 0 && !all[name] {
				continue
			}
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "actions/checkout@") {
					continue
				}
				seen[name+"/"+jn] = true
				if s.With["ref"] != "${{ github.ref }}" {
					t.Errorf("%s.yml job %s (environment %v, writes %v): actions/checkout without ref: ${{ github.ref }} checks out the event's commit (got ref %v)", name, jn, j.Environment, ws, s.With["ref"])
				}
			}
		}
	}
	// The jobs this is about are still there to be held to it.
	for _, must := range []string{"cutover/cutover", "sync/sync", "sync-many/sync", "sync-many/merge", "sync-many/matrix",
		"drift/drift", "drift-many/drift", "drift-many/merge", "cutover-watch/watch"} {
		if !seen[must] {
			t.Errorf("%s: no checkout held to the branch tip", must)
		}
	}
}

// TestWatchIssueBodyIsCode: the cutover watch writes status's errors
// (DNS-derived text: record names and values) into the zone's tracking
// issue as an indented code block, every line of every error indented,
// so that no Markdown, HTML, link or @mention in them is rendered and no
// line ends the block. The step's own script runs, with a gh on PATH
// that keeps the body it is given.
func TestWatchIssueBodyIsCode(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatalf("jq is required (GitHub's runners have it): %v", err)
	}
	var script string
	for _, j := range loadWorkflows(t)["cutover-watch"].Jobs {
		for _, s := range j.Steps {
			if strings.Contains(s.Run, "gh issue create") {
				script = s.Run
			}
		}
	}
	if script == "" {
		t.Fatal("cutover-watch.yml: no step opens the tracking issue")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// gh: the issue list is empty; create keeps its --body-file.
	gh := "#!/bin/sh\ncase \"$1 $2\" in\n\"issue list\") echo '[]' ;;\n\"issue create\") while [ $# -gt 0 ]; do [ \"$1\" = --body-file ] && cp \"$2\" \"$GH_OUT\"; shift; done ;;\nesac\nexit 0\n"
	if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(gh), 0o755); err != nil {
		t.Fatal(err)
	}
	errs := []string{
		"www.example.test. A differs: @octocat see [this](https://evil.example/) <img src=x onerror=alert(1)>",
		"line one\n~~~~\n# not a heading\r\nlast\rafter a lone CR",
		"bidi \u202egnp.exe\u202c end",
	}
	report, _ := json.Marshal(map[string]any{"errors": errs})
	if err := os.WriteFile(filepath.Join(dir, "status.json"), report, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GH_OUT="+filepath.Join(dir, "body.out"),
		"ZONE=example.test.", "COMMAND=flip", "MINUTE=5", "RESULT=error", "REPORT="+filepath.Join(dir, "status.json"), "RUN_URL=https://github.example/run/1")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("the step ends 0 with errors to report:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "body.out"))
	if err != nil {
		t.Fatalf("no issue body: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) < 3 || lines[1] != "" {
		t.Fatalf("body:\n%s", b)
	}
	for _, l := range lines[2:] {
		if !strings.HasPrefix(l, "    ") || strings.ContainsAny(l, "\r\u202e\u202c") {
			t.Errorf("a line of an error outside the code block: %q\nbody:\n%s", l, b)
		}
	}
	if !strings.Contains(string(b), "    www.example.test. A differs: @octocat") || !strings.Contains(string(b), "    after a lone CR") || !strings.Contains(string(b), "    bidi ?gnp.exe? end") {
		t.Errorf("the errors are not all in the body:\n%s", b)
	}
}

// TestWatchStopsAfterNewerStep: the watch's concurrency group is keyed on
// the cutover run's name ("flip example.test."), as GitHub's expressions
// cannot take the zone out of it, so a rollback (or an emergency flip) of
// the zone does not cancel the flip's watch. Each leg's wait step reads
// the audit trail at the branch tip: a registrar change recorded after the
// watched run ended is a newer flip or rollback, and the leg stops at once
// (superseded), running neither status nor the tracking-issue step; the
// watch of the step that made the last change goes on.
func TestWatchStopsAfterNewerStep(t *testing.T) {
	watch := loadWorkflows(t)["cutover-watch"].Jobs["watch"]
	var wait *wfStep
	for i, s := range watch.Steps {
		if s.ID == "wait" {
			wait = &watch.Steps[i]
		}
	}
	if wait == nil {
		t.Fatal("cutover-watch.yml: no step with id wait")
	}
	guarded := 0
	for _, s := range watch.Steps {
		if s.ID != "status" && !strings.Contains(s.Run, "gh issue create") {
			continue
		}
		guarded++
		if !strings.Contains(s.If, "steps.wait.outputs.superseded != 'true'") {
			t.Errorf("cutover-watch.yml: step %q runs when the watch is superseded (if %q)", s.ID+s.Name, s.If)
		}
	}
	if guarded < 2 {
		t.Errorf("cutover-watch.yml: %d of the steps status and the issue's found, want both", guarded)
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatalf("jq is required (GitHub's runners have it): %v", err)
	}
	const ended = "2026-01-01T10:05:00Z" // the watched flip's run ended
	// The trail's folder is the step's TRAIL_DIR, cutover.state_dir's
	// default as shipped; a config that moved it moves TRAIL_DIR, and a
	// trail not found there is said, not passed over in silence.
	if wait.Env["TRAIL_DIR"] != ".dnsparity/cutover" {
		t.Errorf("cutover-watch.yml: the wait step's env TRAIL_DIR %q, want .dnsparity/cutover (cutover.state_dir's default)", wait.Env["TRAIL_DIR"])
	}
	for _, c := range []struct {
		name       string
		changes    []string // changed_at of the trail's entries
		trailDir   string   // "": .dnsparity/cutover
		superseded bool
	}{
		{"the watched flip is the last change", []string{"2025-12-01T09:00:00Z", "2026-01-01T10:00:00Z"}, "", false},
		{"a rollback changed the registrar after it", []string{"2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"}, "", true},
		{"a rollback after it, state_dir: state", []string{"2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"}, "state", true},
		{"no trail: the run's end", nil, "", false},
	} {
		dir := t.TempDir()
		trailDir := cmp.Or(c.trailDir, ".dnsparity/cutover")
		if c.changes != nil {
			var entries []map[string]any
			for _, at := range c.changes {
				entries = append(entries, map[string]any{"step": "flip", "changed_at": at})
			}
			entries = append(entries, map[string]any{"step": "status"}) // no change
			b, _ := json.Marshal(map[string]any{"zone": "example.test.", "entries": entries})
			os.MkdirAll(filepath.Join(dir, trailDir), 0o755)
			if err := os.WriteFile(filepath.Join(dir, trailDir, "example.test.json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, "out")
		cmd := exec.Command("bash", "-e", "-c", wait.Run)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ZONE=example.test.", "MINUTE=1", "FALLBACK="+ended, "GITHUB_OUTPUT="+out, "TRAIL_DIR="+trailDir)
		msg, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(out)
		if err != nil || strings.Contains(string(b), "superseded=true") != c.superseded {
			t.Errorf("%s: %v, outputs %q, want superseded %v\n%s", c.name, err, b, c.superseded, msg)
		}
		if said := strings.Contains(string(msg), "::notice::no audit trail at "+trailDir+"/example.test.json"); said != (c.changes == nil) {
			t.Errorf("%s: a missing trail said %v, want %v:\n%s", c.name, said, c.changes == nil, msg)
		}
	}
}

// TestWorkflowsWritersOneGroup: every job that writes to a provider or the
// registrar (a dnsparity step with command sync or push, and cutover.yml's
// dispatched step, whose flip, rollback and finish change the delegation)
// runs in one concurrency group of the repository, never cancelled in
// progress. The push of a scheduled sync landing between a flip's gates
// and its registrar change, or during its watch, changes what the gates
// proved (parity, the TTLs, the apex NS); the per-zone lock cannot keep
// them apart, since each job runs on its own runner. They queue (queue:
// max), so none waiting is replaced by a newer one.
func TestWorkflowsWritersOneGroup(t *testing.T) {
	wfs := loadWorkflows(t)
	groups := map[string][]string{}
	for _, wn := range slices.Sorted(maps.Keys(wfs)) {
		w := wfs[wn]
		for _, jn := range slices.Sorted(maps.Keys(w.Jobs)) {
			j := w.Jobs[jn]
			writes := false
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") {
					continue
				}
				switch s.With["command"] {
				case "sync", "push", "flip", "rollback", "finish", "${{ inputs.command }}":
					writes = true
				}
			}
			if !writes {
				continue
			}
			conc := j.Concurrency
			if len(conc) == 0 {
				conc = w.Concurrency
			}
			g, _ := conc["group"].(string)
			if g == "" || strings.Contains(g, "${{") || conc["cancel-in-progress"] != false {
				t.Errorf("%s.yml: job %s writes to a provider or the registrar: concurrency %v: want one fixed group, never cancelling", wn, jn, conc)
			}
			// queue: max (up to 100 pending, in order): with GitHub's
			// default of one pending run per group, a scheduled sync
			// queued behind a running step cancels a flip or rollback
			// waiting there, and a wave dispatched as several runs
			// loses all but its last.
			if conc["queue"] != "max" {
				t.Errorf("%s.yml: job %s writes to a provider or the registrar: concurrency %v: want queue: max (else a newer run queued cancels a flip waiting in the group)", wn, jn, conc)
			}
			groups[g] = append(groups[g], wn+".yml job "+jn)
		}
	}
	if len(groups) != 1 {
		t.Errorf("jobs that write to a provider or the registrar are in %d concurrency groups, so a sync's push can run during a flip: %v", len(groups), groups)
	}
}

// TestWatchTakesTheZoneCutoverTook: cutover-watch.yml reads the step and
// the zone from the cutover run's name, which GitHub makes from the zone
// input as typed ("flip Example.TEST"), while the cutover acted on that
// input folded by cutover.yml's zone job (example.test.). The watch takes
// the same name the fold gave (its trail file, ZONE.json, the tracking
// issue's title, status's zone), watches a single zone the fold gave one
// name for, and says "a wave" without failing for several, however the
// list was written ("a., b." as ACTION.md writes it). Before, the watch
// read "Example.TEST" (its trail file not found: a newer rollback's
// registrar change was never seen, and the issue was another zone's
// title), refused "_x.example.test.", took "example.test.," for a wave,
// and failed on "a.example., b.example." (unexpected run name).
func TestWatchTakesTheZoneCutoverTook(t *testing.T) {
	wfs := loadWorkflows(t)
	fold := wfs["cutover"].Jobs["zone"].Steps[0].Run
	parse := wfs["cutover-watch"].Jobs["step"].Steps[0].Run
	run := func(script string, env ...string) (map[string]string, string, error) {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Env = append(os.Environ(), append(env, "GITHUB_OUTPUT="+out)...)
		msg, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(out)
		outputs := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				outputs[k] = v
			}
		}
		return outputs, string(msg), err
	}
	for _, c := range []struct {
		input     string
		emergency bool
		names     int // how many zones the cutover took
	}{
		{"example.test.", false, 1},
		{"Example.TEST", false, 1},
		{"example.test", true, 1},
		{" EXAMPLE.test. ", false, 1},
		{"_x.example.test.", false, 1},
		{"xn--bcher-kva.example", true, 1},
		{"example.test.,", false, 1},
		{"a.example., b.example.", false, 2},
		{"A.example.,b.example", true, 2},
		{"a.example.,\r\nb.example.\r\n", false, 2}, // a list typed one a line
		{"a.example.,\n", false, 1},
	} {
		folded, msg, err := run(fold, "ZONE="+c.input, "COMMAND=flip", "DRY_RUN=false", "EMERGENCY="+fmt.Sprint(c.emergency))
		if err != nil || len(strings.Split(folded["name"], ",")) != c.names {
			t.Fatalf("cutover.yml: zone input %q: %v, outputs %v, want %d names\n%s", c.input, err, folded, c.names, msg)
		}
		title := "flip " + c.input
		if c.emergency {
			title += " (emergency)"
		}
		for _, title := range []string{title, strings.TrimSpace(title)} { // GitHub may trim the run's name
			got, msg, err := run(parse, "TITLE="+title)
			want := map[string]string{}
			if c.names == 1 {
				want = map[string]string{"command": "flip", "zone": folded["name"]}
			}
			if err != nil || !maps.Equal(got, want) {
				t.Errorf("cutover-watch.yml: run %q (the cutover took %s): %v, outputs %v, want %v\n%s", title, folded["name"], err, got, want, msg)
			}
		}
	}
}

// TestCutoverZoneInputRefusedWhole: cutover.yml's zone job judges the
// whole zone input, the list the dnsparity step then acts on, and its
// error names the one name that is wrong, not the whole list (a wave of
// 3,000 names quoted into one annotation), printable only: a name the
// input's line breaks would start is no workflow command. Before, the
// fold read the input's first line only ("a.example.\nb.example.", as a
// list kept one a line arrives from `gh workflow run -f zone=...`, folded
// to a.example. while the Action, which splits at blanks too, flipped
// both), and quoted the input whole.
func TestCutoverZoneInputRefusedWhole(t *testing.T) {
	fold := loadWorkflows(t)["cutover"].Jobs["zone"].Steps[0].Run
	long := make([]string, 3000)
	for i := range long {
		long[i] = fmt.Sprintf("zone%04d.example.", i)
	}
	long[1233] = "bad name.example."
	for _, c := range []struct {
		in   string
		want string // in the error; "" for none: folded
	}{
		{"a.example.\nb.example.", "'a.example.?b.example.' (name 1 of 1) is not a domain name"},
		{"a.example.\n::warning::pwned", "(name 1 of 1) is not a domain name"},
		{"a.example.,\nb.example.\n", ""},
		{strings.Join(long, ","), "'bad name.example.' (name 1234 of 3000) is not a domain name"},
		{"a.example,,b.example", "'' (name 2 of 3) is not a domain name"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command("bash", "-e", "-c", fold)
		cmd.Env = append(os.Environ(), "ZONE="+c.in, "COMMAND=flip", "DRY_RUN=false", "EMERGENCY=false", "GITHUB_OUTPUT="+out)
		msg, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(out)
		if c.want == "" {
			if err != nil || string(b) != "name=a.example.,b.example.\n" {
				t.Errorf("zone input %q: %v, outputs %q\n%s", c.in, err, b, msg)
			}
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(msg)), "\n")
		if err == nil || len(b) != 0 || len(lines) != 1 || !strings.HasPrefix(lines[0], "::error::") || !strings.Contains(lines[0], c.want) || len(lines[0]) > 300 {
			t.Errorf("zone input %.60q: %v, outputs %q; want one ::error:: line naming %q, at most 300 characters:\n%.400s", c.in, err, b, c.want, msg)
		}
	}
}

// TestWorkflowsTrailDirFromStep: every job that commits the audit trail
// commits, and uploads as its artifact, the folder the dnsparity step
// wrote it to (its output trail-dir, the config's cutover.state_dir;
// the default when the step set none), not .dnsparity/cutover written
// out: with another state_dir the commit found no trail, passed, and
// the step's record was lost with the runner (TestTrailDirOutput).
func TestWorkflowsTrailDirFromStep(t *testing.T) {
	jobs := 0
	for wn, w := range loadWorkflows(t) {
		for jn, j := range w.Jobs {
			id, commits := "", false
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "dnsparity/dnsparity@") {
					id = s.ID
				}
				commits = commits || strings.Contains(s.Uses, "/commit-trail@")
			}
			if !commits {
				continue
			}
			jobs++
			want := "${{ steps." + id + ".outputs.trail-dir || '.dnsparity/cutover' }}"
			for _, s := range j.Steps {
				switch {
				case strings.Contains(s.Uses, "/commit-trail@"):
					if id == "" || s.With["trail-dir"] != want {
						t.Errorf("%s.yml job %s: commit-trail's trail-dir %v, want %s (the dnsparity step's id %q)", wn, jn, s.With["trail-dir"], want, id)
					}
				case strings.Contains(s.Uses, "actions/upload-artifact@"):
					p := fmt.Sprint(s.With["path"])
					if strings.Contains(p, "cutover") && !strings.Contains(p, want+"/*.json") {
						t.Errorf("%s.yml job %s: the trail's artifact path %q, want %s/*.json", wn, jn, p, want)
					}
				}
			}
		}
	}
	if jobs < 3 {
		t.Errorf("%d jobs commit the trail, want cutover.yml's, sync.yml's and sync-many.yml's", jobs)
	}
}
