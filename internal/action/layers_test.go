package action

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
)

// The three layers a note quoting the GitHub API's refusal passes before
// an output (TestLateNotesEchoedToken reads them together, and fails only
// when all three are broken), each tested here on its own: a test fails
// when that layer alone is broken.
//
//  1. ErrorBodies: the API client's transport (redact.ErrorBodies, under
//     go-github) takes the token out of the refusal's body, in any form a
//     server writes it, before go-github makes it the error's text:
//     TestNoteLayerErrorBodies.
//  2. errNote: the note quoting an error takes the run's secrets out of
//     the error's text, in its Markdown and in its log line, whoever made
//     the error: TestNoteLayerErrNote.
//  3. noteChain: the notes are read again as the outputs show them, the
//     ones publish adds late with those before them, before they are
//     written: TestNoteLayerChain.

// echoToken is the token the layer tests plant.
const echoToken = "ghs_Layer7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"

// TestNoteLayerErrorBodies (layer 1, ErrorBodies): the errors of the calls
// whose refusals publish notes (the check run, the sticky comment, the
// tracking issue) hold no form of the token the refusal echoes.
func TestNoteLayerErrorBodies(t *testing.T) {
	for _, e := range redacttest.Echoes(echoToken) {
		gh := githubtest.New("acme", "zones", map[string]githubtest.Token{echoToken: {Login: github.ActionsBot, Installation: true}})
		for _, r := range []struct{ method, suffix string }{{"POST", "/check-runs"}, {"GET", "/comments"}, {"GET", "/issues"}} {
			gh.Refuse(r.method, r.suffix, githubtest.Refusal{Status: http.StatusUnprocessableEntity, Message: func(tok string) string {
				return "token " + strings.ReplaceAll(e.Form, echoToken, tok) + " refused"
			}})
		}
		env := map[string]string{"GITHUB_API_URL": gh.URL, "GITHUB_REPOSITORY": "acme/zones"}
		r, err := github.New(func(k string) string { return env[k] }, &bytes.Buffer{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Client(echoToken)
		if err != nil {
			t.Fatal(err)
		}
		ctx := redact.WithSecrets(context.Background(), &redact.Secrets{})
		_, errRun := c.StartCheckRun(ctx, "acme", "zones", "dnsparity check", strings.Repeat("a", 40))
		_, _, errComment := c.StickyComment(ctx, "acme", "zones", 7, "key", "body")
		_, errIssue := c.Track(ctx, "acme", "zones", "dnsparity-drift", "drift", "body", true, "closed")
		gh.Close()
		for name, err := range map[string]error{"check run": errRun, "comment": errComment, "tracking issue": errIssue} {
			if err == nil || !strings.Contains(err.Error(), "refused") {
				t.Fatalf("%s, %s: the test plants nothing: the error (%v) quotes no refusal", name, e.Name, err)
			}
			if l := redacttest.Leak(err.Error(), echoToken, e.Form); l != "" {
				t.Errorf("%s, %s: ErrorBodies left the token in the error: %s", name, e.Name, l)
			}
		}
	}
}

// TestNoteLayerErrNote (layer 2, errNote): a note quoting an error whose
// text holds the token (made by no client that redacts: a file's error, a
// command's) shows it neither in its Markdown nor in its log line.
func TestNoteLayerErrNote(t *testing.T) {
	r, err := github.New(func(string) string { return "" }, &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Secrets().Escapes = report.Escapes()
	r.Mask(echoToken)
	ac := &invocation{r: r, stderr: &bytes.Buffer{}}
	for _, e := range redacttest.Echoes(echoToken) {
		n := ac.errNote("Check run failed: ", errors.New("token "+e.Form+" refused"), "; annotations are workflow commands.")
		if !strings.Contains(n.md, "refused") || !strings.Contains(n.text, "refused") {
			t.Fatalf("%s: the test plants nothing: the note quotes no error: %+v", e.Name, n)
		}
		for where, text := range map[string]string{"Markdown": n.md, "log line": n.text} {
			if l := redacttest.Leak(text, echoToken, e.Form); l != "" {
				t.Errorf("%s: errNote's %s shows the token: %s", e.Name, where, l)
			}
		}
	}
}

// TestNoteLayerChain (layer 3, noteChain): notes that hold the token as
// they were written (no layer before took it out), read first and then
// with a note added late, as publish reads them, show it in no output:
// the notes' Markdown, their log lines, the body after them.
func TestNoteLayerChain(t *testing.T) {
	for _, e := range redacttest.Echoes(echoToken) {
		sec := &redact.Secrets{Escapes: report.Escapes()}
		sec.Add(echoToken)
		res := outcome{verdict: "⚠️ could not run", body: "**Could not run:** see above\n"}
		res.notes = append(res.notes, runNote{md: "GitHub API: token " + e.Form + " refused", text: "GitHub API: token " + e.Form + " refused"})
		chain := noteChain{sec: sec, verdict: res.verdict}
		chain.read(&res)
		res.notes = append(res.notes, runNote{md: "The tracking issue could not be updated: token " + e.Form + " refused", text: "The tracking issue could not be updated: token " + e.Form + " refused"})
		chain.read(&res)
		shown := map[string]string{"Markdown": notesMarkdown(res.notes), "body": res.body}
		for _, n := range res.notes {
			shown["log"] += n.text + "\n"
		}
		if !strings.Contains(shown["Markdown"], "could not be updated") || strings.Count(shown["log"], "refused") != 2 {
			t.Fatalf("%s: the test plants nothing: %v", e.Name, shown)
		}
		for where, text := range shown {
			if l := redacttest.Leak(text, echoToken, e.Form); l != "" {
				t.Errorf("%s: noteChain left the token in the %s: %s", e.Name, where, l)
			}
		}
	}
}
