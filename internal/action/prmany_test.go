package action

import (
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
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

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
		}{{"summary", sum, "| TTL below 60", github.MaxSummary}, {"comment", cs[0].Body, "| zones/s1z0000.example.zone | 0 | 1 |", github.MaxBody}} {
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
