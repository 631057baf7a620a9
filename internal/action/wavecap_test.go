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
)

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
