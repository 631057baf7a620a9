package action

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
)

// TestActionMatrixLegsOwnComment: a pr job run as a matrix over the config
// input (one leg per config) used to have every leg overwrite the one
// sticky comment (its key was GITHUB_WORKFLOW/GITHUB_JOB) and post check
// runs all named "dnsparity pr". Each leg now has its own comment (the
// config in the marker's key) and check run ("dnsparity pr (CONFIG)");
// the default config's marker and name are unchanged, so a comment an
// earlier run left is still the one updated.
func TestActionMatrixLegsOwnComment(t *testing.T) {
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
	defer gh.Close()
	old := gh.AddComment(7, github.ActionsBot, github.Marker("dns-pr/pr")+"\n## dnsparity pr: an earlier run")
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"number": 7}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	publish := func(config string) {
		t.Helper()
		env := map[string]string{
			"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
			"GITHUB_SHA": strings.Repeat("b", 40), "GITHUB_WORKFLOW": "dns-pr", "GITHUB_JOB": "pr",
			"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
			"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "outputs"),
		}
		r, err := github.New(func(k string) string { return env[k] }, &bytes.Buffer{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ac := &invocation{r: r, getenv: func(k string) string { return env[k] }, stderr: &bytes.Buffer{}, token: mergeToken, command: "pr", config: config, ws: dir}
		ac.publish(context.Background(), outcome{exit: cli.ExitOK, verdict: "✅ passed with " + config, checkRun: true})
	}
	for _, c := range []string{"dnsparity.yaml", "eu/dnsparity.yaml", "us/dnsparity.yaml", "eu/dnsparity.yaml", ""} {
		publish(c)
	}
	cs := gh.Comments(7)
	if len(cs) != 3 {
		t.Fatalf("%d comments, want 3 (the default's, updated twice, and one per other config):\n%+v", len(cs), cs)
	}
	by := map[string]string{}
	for _, c := range cs {
		by[strings.SplitN(c.Body, "\n", 2)[0]] = c.Body
		if c.ID == old && (strings.Contains(c.Body, "an earlier run") || strings.Contains(c.Body, "passed with dnsparity.yaml")) {
			t.Errorf("the earlier run's comment was not updated by the last run (config input empty):\n%s", c.Body)
		}
	}
	for _, c := range []struct{ marker, says string }{
		{github.Marker("dns-pr/pr"), "## dnsparity pr: ✅ passed with"},
		{github.Marker("dns-pr/pr eu/dnsparity.yaml"), "## dnsparity pr (eu/dnsparity.yaml): ✅ passed with eu/dnsparity.yaml"},
		{github.Marker("dns-pr/pr us/dnsparity.yaml"), "## dnsparity pr (us/dnsparity.yaml): ✅ passed with us/dnsparity.yaml"},
	} {
		if b, ok := by[c.marker]; !ok || !strings.Contains(b, c.says) {
			t.Errorf("no comment %s saying %q: %q", c.marker, c.says, b)
		}
	}
	names := map[string]int{}
	for _, cr := range gh.CheckRuns() {
		names[cr.Name]++
	}
	if names["dnsparity pr"] != 2 || names["dnsparity pr (eu/dnsparity.yaml)"] != 2 || names["dnsparity pr (us/dnsparity.yaml)"] != 1 {
		t.Errorf("check runs by name: %v", names)
	}
}
