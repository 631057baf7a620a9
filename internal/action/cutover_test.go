package action

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/report"
)

// fakeRunner is a build of dnsparity whose every command prints out and
// exits with code.
type fakeRunner struct {
	out  string
	code int
}

func (f fakeRunner) Has(string) bool { return true }
func (f fakeRunner) Run(_ context.Context, _ []string, io cli.IO) int {
	fmt.Fprint(io.Stdout, f.out)
	return f.code
}

// TestCutoverUnreadableReport: when a cutover command's report cannot be
// read, the step says it could not run and fails, whatever the command's
// exit code: a flip that exited 0 may have changed the registrar, and a
// green step with "could not run" would hide it. A refusal (exit 1) stays 1.
func TestCutoverUnreadableReport(t *testing.T) {
	for _, tc := range []struct{ code, want int }{{cli.ExitOK, cli.ExitError}, {cli.ExitProblem, cli.ExitProblem}, {cli.ExitError, cli.ExitError}} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			ws := t.TempDir()
			outputs := filepath.Join(ws, "outputs")
			env := map[string]string{
				"INPUT_COMMAND": "flip", "INPUT_ZONE": "example.test.", "INPUT_COMMENT": "false",
				"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
			}
			var stdout, stderr bytes.Buffer
			got := Run(context.Background(), Env{Commands: fakeRunner{"not a report", tc.code}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }})
			if got != tc.want {
				t.Errorf("flip exited %d with no readable report: the Action exits %d, want %d\n%s%s", tc.code, got, tc.want, stdout.String(), stderr.String())
			}
			b, _ := os.ReadFile(outputs)
			if !strings.Contains(string(b), fmt.Sprintf("exit-code=%d", tc.want)) || strings.Contains(string(b), "result=ok") {
				t.Errorf("outputs:\n%s", b)
			}
		})
	}
}

// recordRunner is a build of dnsparity that records each command's
// arguments, prints out and exits with code.
type recordRunner struct {
	fakeRunner
	args *[][]string
}

func (r recordRunner) Run(ctx context.Context, args []string, io cli.IO) int {
	*r.args = append(*r.args, args)
	return r.fakeRunner.Run(ctx, args, io)
}

// TestCutoverEmergencyArgs: the cutover workflow's emergency input reaches
// the step as --emergency in the args input (beside --dry-run); the
// Action passes it to flip and rollback as given, and publishes the
// step's report as an emergency, naming the side that was down (the new
// provider for rollback --emergency).
func TestCutoverEmergencyArgs(t *testing.T) {
	ws := t.TempDir()
	summary := filepath.Join(ws, "summary")
	env := map[string]string{
		"INPUT_COMMAND": "rollback", "INPUT_ZONE": "example.test.", "INPUT_COMMENT": "false", "INPUT_ARGS": "--dry-run --emergency",
		"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "workflow_dispatch",
	}
	rep := `{"zone":"example.test.","command":"rollback","result":"dry-run","stage":"flipped","delegation":{"ns":["ns1.new.example.test."],"points_to":"new"},"emergency":true,"dry_run":true}`
	var calls [][]string
	var stdout, stderr bytes.Buffer
	got := Run(context.Background(), Env{Commands: recordRunner{fakeRunner{rep, cli.ExitOK}, &calls}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	if got != cli.ExitOK {
		t.Fatalf("exit %d\n%s%s", got, stdout.String(), stderr.String())
	}
	if len(calls) != 1 || calls[0][0] != "rollback" || !strings.Contains(strings.Join(calls[0], " "), "--zone example.test.") ||
		!strings.HasSuffix(strings.Join(calls[0], " "), "--dry-run --emergency") {
		t.Errorf("commands run: %q, want rollback --zone example.test. ... --dry-run --emergency", calls)
	}
	b, _ := os.ReadFile(summary)
	for _, want := range []string{"EMERGENCY rollback (dry run): every gate passes", "the new provider is down; parity with it cannot be proven, the old side was checked against git"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("step summary lacks %q:\n%s", want, b)
		}
	}
}

// TestCutoverDryRunNoChanges: the output changes counts the actions a
// cutover step took; a dry run takes none (its report's one action line
// says what the registrar change would be): it gave changes=1.
func TestCutoverDryRunNoChanges(t *testing.T) {
	ws := t.TempDir()
	outputs := filepath.Join(ws, "outputs")
	env := map[string]string{
		"INPUT_COMMAND": "flip", "INPUT_ZONE": "example.test.", "INPUT_COMMENT": "false", "INPUT_ARGS": "--dry-run",
		"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
	}
	rep := `{"zone":"example.test.","command":"flip","result":"dry-run","stage":"not-started","delegation":{"ns":["ns1.old.example.test."],"points_to":"old"},"dry_run":true,` +
		`"actions":["dry run: every gate passes; the registrar would replace NS ns1.old.example.test. with NS ns1.new.example.test."]}`
	var stdout, stderr bytes.Buffer
	if got := Run(context.Background(), Env{Commands: fakeRunner{rep, cli.ExitOK}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }}); got != cli.ExitOK {
		t.Fatalf("exit %d\n%s%s", got, stdout.String(), stderr.String())
	}
	if b, _ := os.ReadFile(outputs); !strings.Contains(string(b), "changes=0\n") {
		t.Errorf("outputs of a dry run:\n%s", b)
	}
}

// TestCutoverNothingDoneNoChanges: the changes output of a cutover step
// counts the actions it took (action.yml). A step that could not run
// (its report's one action line "nothing was checked or changed", as a
// flip without cutover.parent_servers reports) or was refused (unmet
// gates) took none: it gave changes=1. A step that changed the registrar
// and then failed (its change recorded with the time the registrar took
// it) still counts it. The count is the report's "changed" (what the run
// changed), not its action lines: a successful flip gave 2 for one
// registrar change, "nothing to flip" and "already finished" gave 1.
func TestCutoverNothingDoneNoChanges(t *testing.T) {
	tests := []struct {
		name string
		code int
		rep  string
		want string
	}{
		{"could not run", cli.ExitError, `{"zone":"walk.test.","command":"flip","result":"error","errors":["registrar manual: dnsparity.yaml: cutover.parent_servers is required"],"stage":"unknown","delegation":{"points_to":"unknown"},"actions":["nothing was checked or changed"]}`, "changes=0\n"},
		{"refused", cli.ExitProblem, `{"zone":"walk.test.","command":"flip","result":"refused","errors":["gate parity: 1 error"],"stage":"not-started","delegation":{"points_to":"old"},"actions":["flip: unmet gates parity"]}`, "changes=0\n"},
		{"changed, then failed", cli.ExitError, `{"zone":"walk.test.","command":"flip","result":"error","errors":["not confirmed at every parent server"],"stage":"flipped","delegation":{"points_to":"new"},"change":{"before":{},"after":{},"at":"2026-12-06T21:00:00Z","confirmed":false},"actions":["registrar: replaced NS a. with NS b. at 2026-12-06T21:00:00Z"],"changed":1}`, "changes=1\n"},
		// One registrar change, reported in two action lines (the change,
		// its confirmation): one change.
		{"done", cli.ExitOK, `{"zone":"walk.test.","command":"flip","result":"done","errors":[],"stage":"flipped","delegation":{"points_to":"new"},"change":{"before":{},"after":{},"at":"2026-12-06T21:00:00Z","confirmed":true},"actions":["registrar: replaced NS a. with NS b. at 2026-12-06T21:00:00Z","confirmed at every parent server (192.0.2.1:53)"],"changed":1}`, "changes=1\n"},
		// Steps that succeed without acting: their one line says so.
		{"nothing to flip", cli.ExitOK, `{"zone":"walk.test.","command":"flip","result":"nothing-to-do","errors":[],"stage":"flipped","delegation":{"points_to":"new"},"actions":["the parent already delegates to the new side: nothing to flip"],"changed":0}`, "changes=0\n"},
		{"already finished", cli.ExitOK, `{"zone":"walk.test.","command":"finish","result":"nothing-to-do","errors":[],"stage":"finished","delegation":{"points_to":"new"},"actions":["already finished"],"changed":0}`, "changes=0\n"},
		// A change an earlier run made, confirmed now: not this run's.
		{"pending change confirmed", cli.ExitOK, `{"zone":"walk.test.","command":"flip","result":"nothing-to-do","errors":[],"stage":"flipped","delegation":{"points_to":"new"},"change":{"before":{},"after":{},"at":"2026-12-06T20:00:00Z","confirmed":true},"actions":["the registrar already holds the flip's change made at 2026-12-06T20:00:00Z (NS b.): not asked again","confirmed at every parent server (192.0.2.1:53)"],"changed":0}`, "changes=0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := t.TempDir()
			outputs := filepath.Join(ws, "outputs")
			env := map[string]string{
				"INPUT_COMMAND": "flip", "INPUT_ZONE": "walk.test.", "INPUT_COMMENT": "false",
				"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
			}
			var stdout, stderr bytes.Buffer
			if got := Run(context.Background(), Env{Commands: fakeRunner{tt.rep, tt.code}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }}); got != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", got, tt.code, stdout.String(), stderr.String())
			}
			if b, _ := os.ReadFile(outputs); !strings.Contains(string(b), tt.want) {
				t.Errorf("outputs, want %q:\n%s", tt.want, b)
			}
		})
	}
}

// waveRunner is a build of dnsparity whose cutover commands write a step
// over several zones as the real ones do (report.WaveWriter, --format
// json): each zone's report as it comes, then the summary. held records
// how much of what it wrote its stdout still held when it was done: a
// stdout that keeps it all (a buffer read once the command ends) holds
// every zone's report at once.
type waveRunner struct {
	reports []*cutover.Report
	sum     cutover.Summary
	held    *int
}

func (f waveRunner) Has(string) bool { return true }
func (f waveRunner) Run(_ context.Context, _ []string, io cli.IO) int {
	io.Getenv("CF_API_TOKEN") // the secrets the config names, read: masked from then on
	io.Getenv("OLD_ACCOUNT_KEY")
	ww := report.NewWaveWriter(io.Stdout, "json")
	w := &cutover.WaveReport{Summary: f.sum}
	for _, r := range f.reports {
		ww.Add(r)
		w.Reports = append(w.Reports, r)
	}
	ww.End(w)
	if b, ok := io.Stdout.(interface{ Len() int }); ok {
		*f.held = b.Len()
	}
	return w.ExitCode()
}

// TestCutoverWaveStreamed: the Action's status (flip, rollback, finish)
// over many zones reads each zone's report as the command writes it,
// rendering its row and section and writing it to the JSON report, and
// holds none of them: it held the command's whole JSON (and its redacted
// copy, and every report parsed) until the command ended, memory growing
// with the zones (bench/many -only cutover: the Action's peak RSS). The
// summary is as it was (a row per zone in the order given, the zones not
// started, each zone's section; the counts), secrets are out of it and
// of the JSON report, a secret that is also a number in the JSON leaves
// the number (redact.Secrets.ReplaceBytes), and the JSON report holds
// every zone.
func TestCutoverWaveStreamed(t *testing.T) {
	const zones = 300
	secret := "s3cr3t-wave-token-value"
	var reps []*cutover.Report
	sum := cutover.Summary{Command: "status", Zones: zones + 1, Wave: 8, Skipped: []string{"late.test."}}
	for i := range zones {
		r := &cutover.Report{Zone: fmt.Sprintf("z%03d.test.", i), Command: "status", Result: cutover.ResultObserved, Stage: "not-started",
			Delegation: cutover.DelegationView{PointsTo: "old", NSTTL: 2026}, Errors: []string{}, Warnings: []string{"a warning of zone " + fmt.Sprint(i)}}
		switch i {
		case 7:
			r.Result, r.Errors = "error", []string{"provider said " + secret}
			sum.Failed = append(sum.Failed, r.Zone)
		default:
			sum.Done = append(sum.Done, r.Zone)
		}
		reps = append(reps, r)
	}
	ws := t.TempDir()
	summary := filepath.Join(ws, "summary")
	env := map[string]string{
		"INPUT_COMMAND": "status", "INPUT_ZONE": "z000.test. z001.test.", "INPUT_COMMENT": "false",
		"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "workflow_dispatch",
		"CF_API_TOKEN": secret, "OLD_ACCOUNT_KEY": "2026",
	}
	held := -1
	var stdout, stderr bytes.Buffer
	got := Run(context.Background(), Env{Commands: waveRunner{reps, sum, &held}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	if got != cli.ExitError {
		t.Fatalf("exit %d, want 2 (a zone could not run)\n%s", got, stderr.String())
	}
	if held > 0 {
		t.Errorf("the command's stdout held %d bytes when it ended: every zone's report, read only then", held)
	}
	b, _ := os.ReadFile(summary)
	md := string(b)
	// Errors first: the zone that could not run, then the one not
	// started, then the rest in the order given; so the sections.
	want := []string{fmt.Sprintf("%d zones in waves of 8: %d done, 0 refused, 1 could not run, 1 not started", zones+1, zones-1),
		"| `z007.test.` | error |", "| `late.test.` | not started (stopped at the first refusal) |", "| `z000.test.` | observed |", "| `z299.test.` | observed |",
		"### `z007.test.`: ", "### `z000.test.`: ✅ stage", "### `z299.test.`: ✅ stage"}
	last := -1
	for _, w := range want {
		i := strings.Index(md, w)
		if i < 0 {
			t.Errorf("summary lacks %q", w)
			continue
		}
		if i < last {
			t.Errorf("summary: %q out of order", w)
		}
		last = i
	}
	log := ""
	for _, l := range strings.Split(stdout.String(), "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			log += l + "\n"
		}
	}
	if strings.Contains(md, secret) || strings.Contains(log, secret) {
		t.Errorf("the secret reached the summary or the log")
	}
	js, err := os.ReadFile(filepath.Join(ws, ".dnsparity", "status.json"))
	if err != nil {
		t.Fatal(err)
	}
	var w cutover.WaveReport
	if err := json.Unmarshal(js, &w); err != nil || len(w.Reports) != zones || len(w.Summary.Done) != zones-1 || w.Reports[0].Delegation.NSTTL != 2026 {
		t.Fatalf("status.json: %v, %d reports\n%.500s", err, len(w.Reports), js)
	}
	if bytes.Contains(js, []byte(secret)) || !strings.Contains(w.Reports[7].Errors[0], "provider said ") {
		t.Errorf("status.json: zone 7's error %q", w.Reports[7].Errors)
	}
}

// TestCutoverWaveBounded: a step over thousands of zones renders at most
// GitHub's limits, errors first, and says how many zones it left out,
// pointing at the JSON report. The Action built every zone's row and
// section (some 2 KiB each here: 6 MiB at 3,000 zones, ~50 MiB of
// Markdown at 1,000 real zones) and its copies whole, then cut them to
// the summary's 1 MiB and the comment's 65,536 characters, saying
// nothing of what the cut left out. The JSON report still holds every
// zone.
func TestCutoverWaveBounded(t *testing.T) {
	const zones = 3000
	failed, refused := 2500, 2900 // late in the order given: errors first all the same
	var reps []*cutover.Report
	sum := cutover.Summary{Command: "flip", Zones: zones, Wave: 8}
	pad := strings.Repeat("x", 180)
	for i := range zones {
		r := &cutover.Report{Zone: fmt.Sprintf("z%04d.test.", i), Command: "flip", Result: cutover.ResultDryRun, DryRun: true, Stage: "not-started",
			Delegation: cutover.DelegationView{PointsTo: "old"}, Errors: []string{}}
		for j := range 10 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("warning %d of zone %d %s", j, i, pad))
		}
		switch i {
		case failed:
			r.Result, r.Errors = "error", []string{"the registrar did not answer"}
			sum.Failed = append(sum.Failed, r.Zone)
		case refused:
			r.Result = cutover.ResultRefused
			r.Gates = []cutover.Gate{{Name: "parity", OK: false, Detail: "3 differences"}}
			sum.Refused = append(sum.Refused, r.Zone)
		default:
			sum.Done = append(sum.Done, r.Zone)
		}
		reps = append(reps, r)
	}
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
	defer gh.Close()
	ws := t.TempDir()
	event := filepath.Join(ws, "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"number": 9}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(ws, "summary")
	env := map[string]string{
		"INPUT_COMMAND": "flip", "INPUT_ZONE": "z0000.test. z0001.test.", "INPUT_GITHUB-TOKEN": mergeToken,
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
		"GITHUB_WORKFLOW": "cutover", "GITHUB_JOB": "step", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_STEP_SUMMARY": summary,
	}
	held := -1
	var stdout, stderr bytes.Buffer
	if got := Run(context.Background(), Env{Commands: waveRunner{reps, sum, &held}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}); got != cli.ExitError {
		t.Fatalf("exit %d, want 2 (a zone could not run)\n%s", got, stderr.String())
	}
	b, _ := os.ReadFile(summary)
	cs := gh.Comments(9)
	if len(cs) != 1 {
		t.Fatalf("%d comments, want 1", len(cs))
	}
	notShown := regexp.MustCompile(`_Not shown, to keep within GitHub's size limit \(errors first\): (?:([0-9]+) zones' lines)?(?: and )?(?:([0-9]+) zones' reports)?\. The JSON report`)
	for _, c := range []struct {
		what  string
		md    string
		limit int // characters
	}{
		{"summary", string(b), github.MaxSummary},
		{"comment", cs[0].Body, github.MaxBody},
	} {
		if n := utf8.RuneCountInString(c.md); n > c.limit || len(c.md) > 1<<20 {
			t.Errorf("%s: %d characters, %d bytes, over GitHub's limit", c.what, n, len(c.md))
		}
		// Errors first: the zone that could not run, then the refused
		// one, then the rest.
		last := -1
		for _, w := range []string{"| `z2500.test.` | error |", "| `z2900.test.` | refused |", "| `z0000.test.` | dry-run |"} {
			i := strings.Index(c.md, w)
			if i < 0 || i < last {
				t.Errorf("%s: %q missing or out of order (at %d, after %d)", c.what, w, i, last)
			}
			last = i
		}
		m := notShown.FindStringSubmatch(c.md)
		if m == nil {
			t.Errorf("%s does not say what it left out:\n%s", c.what, tail(c.md))
			continue
		}
		lines, _ := strconv.Atoi(m[1])
		reports, _ := strconv.Atoi(m[2])
		if got := strings.Count(c.md, " |\n| `z") + 1; got+lines != zones {
			t.Errorf("%s: %d lines shown and %d said left out, want %d in all", c.what, got, lines, zones)
		}
		if c.what == "summary" {
			if got := strings.Count(c.md, "\n### `z"); got+reports != zones || got < 2 {
				t.Errorf("summary: %d zones' reports shown and %d said left out, want %d in all", got, reports, zones)
			}
			if i, j := strings.Index(c.md, "### `z2500.test.`"), strings.Index(c.md, "### `z0000.test.`"); i < 0 || j >= 0 && j < i {
				t.Errorf("summary: the zone that could not run is not the first section (%d, %d)", i, j)
			}
		}
	}
	js, err := os.ReadFile(filepath.Join(ws, ".dnsparity", "flip.json"))
	if err != nil {
		t.Fatal(err)
	}
	var w cutover.WaveReport
	if err := json.Unmarshal(js, &w); err != nil || len(w.Reports) != zones {
		t.Fatalf("flip.json: %v, %d reports", err, len(w.Reports))
	}
}

func tail(s string) string {
	if len(s) > 600 {
		return "…" + s[len(s)-600:]
	}
	return s
}

// TestSingleMarkdownBounded: check, plan, push and parity run as they are
// (command: check, ...) keep the command's Markdown line by line within
// GitHub's step-summary limit and say how many lines they left out: a
// report over thousands of zones (4 MB here) was held whole, copied, and
// cut at 1 MiB without a count.
func TestSingleMarkdownBounded(t *testing.T) {
	const lines = 40000
	var b strings.Builder
	for i := range lines {
		fmt.Fprintf(&b, "| zones/z%05d.zone:3 | warning | %s |\n", i, strings.Repeat("w", 60))
	}
	ws := t.TempDir()
	summary := filepath.Join(ws, "summary")
	env := map[string]string{"INPUT_COMMAND": "check", "INPUT_COMMENT": "false", "GITHUB_WORKSPACE": ws,
		"GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "workflow_dispatch"}
	var stdout, stderr bytes.Buffer
	Run(context.Background(), Env{Commands: fakeRunner{b.String(), cli.ExitProblem}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	md, _ := os.ReadFile(summary)
	if len(md) > github.MaxSummary {
		t.Errorf("summary: %d bytes", len(md))
	}
	m := regexp.MustCompile(`_Not shown, to keep within GitHub's size limit: the report's last ([0-9]+) lines\.`).FindSubmatch(md)
	if m == nil {
		t.Fatalf("the summary does not say what it left out:\n%s", tail(string(md)))
	}
	left, _ := strconv.Atoi(string(m[1]))
	if shown := strings.Count(string(md), "| warning |"); shown+left != lines || shown == 0 {
		t.Errorf("%d lines shown and %d said left out, want %d in all", shown, left, lines)
	}
}

// TestWaveReportCopied: a step over several zones writes the command's
// JSON report to .dnsparity as the command wrote it (report.WaveWriter),
// byte for byte, with a row per zone in the summary; a report that is no
// wave report (no summary, "reports" not an array, cut short, a report
// that is not an object) makes the step one that could not run (exit 2).
func TestWaveReportCopied(t *testing.T) {
	var wave bytes.Buffer
	ww := report.NewWaveWriter(&wave, "json")
	sum := cutover.Summary{Command: "status", Zones: 2, Wave: 8, Done: []string{"a.test.", "b.test."}}
	for _, z := range sum.Done {
		ww.Add(&cutover.Report{Zone: z, Command: "status", Result: cutover.ResultObserved, Errors: []string{}, Warnings: []string{}})
	}
	if err := ww.End(&cutover.WaveReport{Summary: sum}); err != nil {
		t.Fatal(err)
	}
	good := wave.String()
	for _, tc := range []struct {
		name, out string
		want      int
	}{
		{"as written", good, cli.ExitOK},
		{"no summary", `{"reports": [], "exit": 0}`, cli.ExitError},
		{"reports not an array", `{"reports": {}, "summary": {}, "exit": 0}`, cli.ExitError},
		{"a report not an object", `{"reports": [1], "summary": {}, "exit": 0}`, cli.ExitError},
		{"cut short", good[:len(good)/2], cli.ExitError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := t.TempDir()
			summary := filepath.Join(ws, "summary")
			env := map[string]string{
				"INPUT_COMMAND": "status", "INPUT_ZONE": "a.test. b.test.", "INPUT_COMMENT": "false",
				"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "workflow_dispatch",
			}
			var stdout, stderr bytes.Buffer
			got := Run(context.Background(), Env{Commands: fakeRunner{tc.out, 0}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
			if got != tc.want {
				t.Fatalf("exit %d, want %d\n%s", got, tc.want, stderr.String())
			}
			if tc.want != cli.ExitOK {
				return
			}
			js, err := os.ReadFile(filepath.Join(ws, ".dnsparity", "status.json"))
			if err != nil || string(js) != good {
				t.Errorf("status.json (%v):\n%s\nwant as the command wrote it:\n%s", err, js, good)
			}
			md, _ := os.ReadFile(summary)
			if !strings.Contains(string(md), "| `a.test.` | observed |") || !strings.Contains(string(md), "| `b.test.` | observed |") {
				t.Errorf("summary lacks a zone's row:\n%s", md)
			}
		})
	}
}

// TestTrailDirOutput: a step that writes the audit trail (sync, push and
// the cutover commands) sets the output trail-dir, the config's
// cutover.state_dir relative to the workspace, which the example
// workflows hand to the commit-trail action and the trail's artifact.
// Before, they named .dnsparity/cutover, the default: with another
// state_dir the commit found "no audit trail in .dnsparity/cutover",
// passed, and the flip's trail was lost with the runner, so the next
// rollback did not know the delegation to restore.
func TestTrailDirOutput(t *testing.T) {
	// command and config input, the config's state_dir, the output wanted
	// ("": none).
	for _, tc := range [][4]string{
		{"flip", "dnsparity.yaml", "", ".dnsparity/cutover"},
		{"flip", "dnsparity.yaml", "dns/trail", "dns/trail"},
		{"rollback", "dnsparity.yaml", "./trail/", "trail"},
		{"status", "eu/dnsparity.yaml", "st", "eu/st"},
		{"sync", "dnsparity.yaml", "trail", "trail"},
		{"push", "dnsparity.yaml", "trail", "trail"},
		{"check", "dnsparity.yaml", "trail", ""},
	} {
		command, config, stateDir, want := tc[0], tc[1], tc[2], tc[3]
		ws := t.TempDir()
		cfg := "zones:\n  - name: example.test.\n    file: example.test.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"
		if stateDir != "" {
			cfg += "cutover:\n  state_dir: " + stateDir + "\n"
		}
		dir := filepath.Join(ws, filepath.Dir(config))
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(ws, config), []byte(cfg), 0o644)
		os.WriteFile(filepath.Join(dir, "example.test.zone"), []byte("$ORIGIN example.test.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 NS ns\nns 300 A 192.0.2.1\n"), 0o644)
		outputs := filepath.Join(t.TempDir(), "outputs")
		env := map[string]string{
			"INPUT_COMMAND": command, "INPUT_ZONE": "example.test.", "INPUT_CONFIG": config, "INPUT_COMMENT": "false",
			"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": outputs, "GITHUB_EVENT_NAME": "workflow_dispatch",
		}
		var stdout, stderr bytes.Buffer
		Run(context.Background(), Env{Commands: fakeRunner{"{}", 0}, Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
		b, _ := os.ReadFile(outputs)
		got, found := "", false
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "trail-dir="); ok {
				got, found = v, true
			}
		}
		if got != want || found != (want != "") {
			t.Errorf("%s, %s with state_dir %q: trail-dir %q (set %v), want %q\n%s\n%s", command, config, stateDir, got, found, want, b, stderr.String())
		}
	}
}

// TestCutoverZoneInputSplit: the zone input is split at commas and at
// every blank, a carriage return and a form feed too, as cutover.yml's
// zone job trims the blanks around each name: a list typed on Windows
// ("a.example.,\r\nb.example.\r\n", from gh workflow run -f zone=...) was
// split at "\n" only, and "\r" went to the step as a zone of its own,
// which the config does not hold (a wave of three, refused whole).
func TestCutoverZoneInputSplit(t *testing.T) {
	for in, want := range map[string]string{
		"a.example.,\r\nb.example.\r\n": "--zone a.example. --zone b.example. ",
		"a.example.\f, b.example.\v":    "--zone a.example. --zone b.example. ",
		" a.example.\t":                 "--zone a.example. ",
	} {
		ws := t.TempDir()
		env := map[string]string{
			"INPUT_COMMAND": "status", "INPUT_ZONE": in, "INPUT_COMMENT": "false",
			"GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"), "GITHUB_EVENT_NAME": "workflow_dispatch",
		}
		var calls [][]string
		var stdout, stderr bytes.Buffer
		Run(context.Background(), Env{Commands: recordRunner{fakeRunner{"{}", cli.ExitOK}, &calls}, Stdout: &stdout, Stderr: &stderr,
			Getenv: func(k string) string { return env[k] }})
		if len(calls) != 1 || !strings.Contains(strings.Join(calls[0], " ")+" ", want+"--format") {
			t.Errorf("zone input %q: commands run %q, want %q", in, calls, want)
		}
	}
}
