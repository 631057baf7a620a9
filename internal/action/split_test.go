package action

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
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
	shown := publishEach(t, secret, command, outcome{exit: cli.ExitProblem, verdict: "problems", checkRun: viaCheckRun, annots: annots})
	return shown["log"] + shown["check run"]
}

// publishEach publishes res as the Action's command does, for pull
// request 7, with secret masked, and returns what each of its outputs
// shows: the log as the runner shows it (its ::add-mask:: lines left
// out, every workflow command's escapes read: %25, %0D, %0A and, in
// its properties, %3A and %2C), the check runs' annotations, the
// sticky comment, the step summary, the step outputs, the JSON report
// and the issues (titles, bodies and comments: the tracking issue).
// setup, if any, is done to the fake GitHub first.
func publishEach(t *testing.T, secret, command string, res outcome, setup ...func(*githubtest.Server)) map[string]string {
	t.Helper()
	gh := githubtest.New("acme", "dns", map[string]githubtest.Token{mergeToken: {Login: github.ActionsBot, Installation: true}})
	defer gh.Close()
	for _, f := range setup {
		f(gh)
	}
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"number": 7}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "acme/dns", "GITHUB_API_URL": gh.URL,
		"GITHUB_SHA": strings.Repeat("b", 40), "GITHUB_WORKFLOW": "dns", "GITHUB_JOB": command,
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "outputs"),
	}
	var log bytes.Buffer
	r, err := github.New(func(k string) string { return env[k] }, &log, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Mask(secret)
	ac := &invocation{r: r, getenv: func(k string) string { return env[k] }, stderr: &log, token: mergeToken, command: command, ws: dir}
	ac.publish(context.Background(), res)
	shown := map[string]string{}
	// The runner reads a command's data and properties back
	// (actions/runner, ActionCommand.cs: UnescapeData and
	// UnescapeProperty).
	unescape := strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",")
	for _, l := range strings.SplitAfter(log.String(), "\n") {
		if !strings.HasPrefix(l, "::add-mask::") { // the runner's, never shown
			shown["log"] += unescape.Replace(l)
		}
	}
	for _, cr := range gh.CheckRuns() {
		shown["check run"] += fmt.Sprint(cr.Annotations)
	}
	for _, c := range gh.Comments(7) {
		shown["comment"] += c.Body
	}
	for _, is := range gh.Issues() {
		shown["issue"] += is.Title + "\n" + is.Body + "\n"
		for _, c := range gh.Comments(is.Number) {
			shown["issue"] += c.Body + "\n"
		}
	}
	for name, f := range map[string]string{"summary": "summary.md", "outputs": "outputs"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		shown[name] = string(b)
	}
	for _, l := range strings.Split(shown["outputs"], "\n") {
		if p, ok := strings.CutPrefix(l, "report="); ok && p != "" {
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				b, _ = os.ReadFile(p)
			}
			shown["json report"] = string(b)
		}
	}
	return shown
}

// TestEachOutputEachForm: a secret in each form a server or a zone may
// write it (redacttest.Echoes: code spans whose fences are widened
// around the backticks it holds, Markdown-escaped twice, and every
// other), planted in everything a command hands publish (the report's
// Markdown, an annotation's message and title, a step output, the JSON
// report), is shown by none of the Action's outputs: the sticky
// comment, the check run's annotations, the annotations as workflow
// commands (read as the runner reads their escapes), the log, the step
// summary, GITHUB_OUTPUT and the JSON report. Six secrets: a token,
// a password holding backticks and Markdown's marks, one holding
// what reads as percent escapes and a workflow command's property
// separators (%Ab, %0A, :, ,), and three holding what reads as an HTML
// tag (<ss>, which GitHub's sanitizer takes out, its text kept), at the
// 1st and at the 7th character (split every 11 characters, the head
// before and with the tag is 11 characters: the views that take tags
// out read the rest, and only a secret read without its tags, as GitHub
// shows it, holds the head), and two tags (<code>, </code>) that a split
// across cells or links cuts in two (a tag no renderer reads across a
// cell's bar or a link's target). Planted
// also in the verdict, a note about the run and, for a run that could
// not run, its why (what the matrix summary, the shard refusal, the
// flip's messages and a provider's error quoted in an error reach
// publish as).
func TestEachOutputEachForm(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "Xab9def<ss>w&rd_7Hq2mZ9wXr4", "q7<code>Hq2mZ9</code>wXr4Lt8"} {
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			js, _ := json.Marshal(map[string]string{"detail": text})
			for _, viaCheckRun := range []bool{true, false} {
				// Without the check run, a run that could not run:
				// its why in the log's verdict line.
				exit, why := cli.ExitProblem, ""
				if !viaCheckRun {
					exit, why = cli.ExitError, text
				}
				shown := publishEach(t, secret, "plan", outcome{
					exit: exit, verdict: "problems: " + text, body: "the provider said: " + text + "\n", checkRun: viaCheckRun, json: js, why: why,
					annots:  []github.Annotation{{File: "zones/a.zone", Line: 3, Level: "error", Title: "dnsparity plan: " + text, Message: text}},
					outputs: map[string]string{"detail": text},
					notes:   []runNote{{md: "note: " + text, text: "note: " + text}},
				})
				for _, path := range []string{"log", "check run", "comment", "summary", "outputs", "json report"} {
					if path == "check run" && !viaCheckRun {
						continue
					}
					out := shown[path]
					if !strings.Contains(out, "refused") && path != "outputs" {
						t.Fatalf("%q %s, %s: the test plants nothing: %q", secret, e.Name, path, out)
					}
					if l := redacttest.Leak(out, secret, e.Form); l != "" {
						t.Errorf("%q %s, %s (check run %v): %s", secret, e.Name, path, viaCheckRun, l)
					}
				}
			}
		}
	}
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

// trackSecrets are TestEachOutputEachForm's secrets: a token, one
// holding backticks and Markdown's marks, one holding percent escapes
// and a workflow command's separators, and ones holding HTML tags.
var trackSecrets = []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "q7<code>Hq2mZ9</code>wXr4Lt8"}

// TestTrackingIssueEachForm: a secret in each form of redacttest.Echoes,
// in a drift run's verdict and report (a provider's error quoted in
// them), is shown neither in the tracking issue the run opens (its
// body) nor in the comment that closes one when the drift is gone (the
// verdict's headline in it).
func TestTrackingIssueEachForm(t *testing.T) {
	for _, secret := range trackSecrets {
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			for _, open := range []bool{true, false} {
				var setup []func(*githubtest.Server)
				if !open {
					setup = append(setup, openDriftIssue)
				}
				shown := publishEach(t, secret, "sync", outcome{
					exit: cli.ExitProblem, verdict: "drift: " + text, body: "the provider said: " + text + "\n",
					track: &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: open},
				}, setup...)
				out := shown["issue"]
				if !strings.Contains(out, "refused") {
					t.Fatalf("%q %s (open %v): the test plants nothing: %q", secret, e.Name, open, out)
				}
				if l := redacttest.Leak(out, secret, e.Form); l != "" {
					t.Errorf("%q %s (open %v): the tracking issue shows %s", secret, e.Name, open, l)
				}
			}
		}
	}
}

// TestHeadlineSecretSplit: a secret split between two texts an output
// shows one after the other (the verdict's end and the report's start,
// the verdict and a note about the run, a note and the report), each
// piece under redact.MinCut, so that neither text masks its piece alone,
// leaves no piece of redact.MinSplit characters in the tracking issue's
// body, the comment, the step summary or the log.
func TestHeadlineSecretSplit(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	for cut := redact.MinSplit; cut <= len(secret)-redact.MinSplit; cut++ {
		if cut >= redact.MinCut && len(secret)-cut >= redact.MinCut {
			continue // each piece a piece of MinCut: Replace alone masks them
		}
		head, rest := "key "+secret[:cut], secret[cut:]+" refused"
		for _, c := range []struct {
			name                string
			verdict, note, body string
		}{
			{"verdict, body", "drift: " + head, "", rest + "\n"},
			{"verdict, note", "drift: " + head, rest, "the report\n"},
			{"note, body", "drift", "note: " + head, rest + "\n"},
		} {
			res := outcome{exit: cli.ExitProblem, verdict: c.verdict, body: c.body,
				track: &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: true}}
			if c.note != "" {
				res.notes = []runNote{{md: c.note, text: c.note}}
			}
			shown := publishEach(t, secret, "sync", res)
			for _, path := range []string{"issue", "comment", "summary", "log"} {
				out := shown[path]
				if !strings.Contains(out, "refused") && path != "issue" {
					t.Fatalf("cut %d, %s, %s: the test plants nothing: %q", cut, c.name, path, out)
				}
				if p := splitPiece(out, secret); p != "" {
					t.Errorf("cut %d, %s: the %s holds %q:\n%s", cut, c.name, path, p, out)
				}
			}
		}
	}
}

// splitPiece is the longest piece of secret of redact.MinSplit
// characters or more that out holds, or "".
func splitPiece(out, secret string) string {
	for n := len(secret); n >= redact.MinSplit; n-- {
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(out, secret[i:i+n]) {
				return secret[i : i+n]
			}
		}
	}
	return ""
}

// openDriftIssue is the drift issue an earlier run opened, by the
// token's identity, which a run without drift closes.
func openDriftIssue(gh *githubtest.Server) {
	gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "drift", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
}

// TestNoteBodySplitShort: a secret whose head ends the last note and
// whose rest, shorter than redact.MinSplit, starts the body is read
// with the body after that note (as the summary and the comment show
// them): the rest is masked too, not only pieces of MinSplit at the
// body's edges.
func TestNoteBodySplitShort(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	rest := secret[len(secret)-3:]
	res := outcome{exit: cli.ExitProblem, verdict: "drift", body: rest + " refused\n",
		notes: []runNote{{md: "note: key " + secret[:len(secret)-3], text: "note: key " + secret[:len(secret)-3]}}}
	shown := publishEach(t, secret, "sync", res)
	for _, path := range []string{"comment", "summary"} {
		if out := shown[path]; !strings.Contains(out, "refused") || strings.Contains(out, rest+" refused") {
			t.Errorf("the %s shows the secret's last %d characters after the note (or plants nothing):\n%s", path, len(rest), out)
		}
	}
}
