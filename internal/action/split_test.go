package action

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// TestAnnotationsSecretSplit: two annotations, one ending with a
// secret's head, the next starting with the rest, each piece shorter
// than redact.MinCut (what a message cut at its bound leaves, a zone
// error on one line and the next). Read one after the other they hold
// the secret; neither the check run's annotations nor the workflow
// commands in the log keep a piece of redact.MinSplit characters or
// more, at any split point.
func TestAnnotationsSecretSplit(t *testing.T) {
	const secret = "pk-Annot7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	for cut := redact.MinSplit; cut <= len(secret)-redact.MinSplit; cut++ {
		if cut >= redact.MinCut && len(secret)-cut >= redact.MinCut {
			continue // each piece a piece of MinCut: Replace alone masks them
		}
		for _, viaCheckRun := range []bool{true, false} {
			splitAnnotations(t, secret, cut, viaCheckRun)
		}
	}
}

// splitAnnotations publishes the two annotations of secret cut at cut,
// through a check run or as workflow commands in the log, and checks
// what is shown.
func splitAnnotations(t *testing.T, secret string, cut int, viaCheckRun bool) {
	t.Helper()
	shown := publishShown(t, secret, "check", viaCheckRun, []github.Annotation{
		{File: "zones/a.zone", Line: 3, Level: "error", Title: "dnsparity check", Message: "unknown record type, token " + secret[:cut]},
		{File: "zones/a.zone", Line: 4, Level: "error", Title: "dnsparity check", Message: secret[cut:] + " is not a TTL"},
	})
	if !strings.Contains(shown, "unknown record type") || !strings.Contains(shown, "is not a TTL") {
		t.Fatalf("cut %d: the test plants nothing: no annotation shown:\n%s", cut, shown)
	}
	for n := len(secret); n >= redact.MinSplit; n-- {
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(shown, secret[i:i+n]) {
				t.Errorf("cut %d: the output (check run: %v) holds %q", cut, viaCheckRun, secret[i:i+n])
				n, i = 0, len(secret)
			}
		}
	}
}

// publishShown publishes annots as the Action's command does, with secret
// masked, through a check run or as workflow commands in the log, and
// returns what is shown of them: the log (without the runner's
// ::add-mask:: lines) and the check runs' annotations.
func publishShown(t *testing.T, secret, command string, viaCheckRun bool, annots []github.Annotation) string {
	t.Helper()
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
	defer gh.Close()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
		"GITHUB_SHA": strings.Repeat("b", 40), "GITHUB_WORKFLOW": "dns", "GITHUB_JOB": command,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "outputs"),
	}
	var log bytes.Buffer
	r, err := github.New(func(k string) string { return env[k] }, &log, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Mask(secret)
	ac := &invocation{r: r, getenv: func(k string) string { return env[k] }, stderr: &bytes.Buffer{}, token: mergeToken, command: command, ws: dir}
	ac.publish(context.Background(), outcome{exit: cli.ExitProblem, verdict: "problems", checkRun: viaCheckRun, annots: annots})
	var shown string
	for _, l := range strings.SplitAfter(log.String(), "\n") {
		if !strings.HasPrefix(l, "::add-mask::") { // the runner's, never shown
			shown += l
		}
	}
	for _, cr := range gh.CheckRuns() {
		shown += fmt.Sprint(cr.Annotations)
	}
	return shown
}

// TestAnnotationTitleRedacted: an annotation's title (a provider's name
// from the config, a finding's kind) is redacted as its message is: a
// secret in it is shown neither in the check run nor in the workflow
// command.
func TestAnnotationTitleRedacted(t *testing.T) {
	const secret = "pk-Title7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5J"
	for _, viaCheckRun := range []bool{true, false} {
		shown := publishShown(t, secret, "plan", viaCheckRun, []github.Annotation{
			{File: "zones/a.zone", Line: 3, Level: "error", Title: "dnsparity plan: " + strings.ToUpper(secret), Message: "the provider refused the change"},
		})
		if !strings.Contains(shown, "the provider refused the change") {
			t.Fatalf("check run %v: the test plants nothing: no annotation shown:\n%s", viaCheckRun, shown)
		}
		if strings.Contains(strings.ToLower(shown), strings.ToLower(secret[:redact.MinCut])) {
			t.Errorf("check run %v: the title shows the secret:\n%s", viaCheckRun, shown)
		}
	}
}
