package action

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
)

// closedAPI is the URL of an API where nothing answers (a port that was
// listened on, then closed).
func closedAPI(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// TestNotesLogPlainText: a note about the run (here the check run that
// GitHub's API did not take) goes to the step summary as Markdown and to
// the log as plain text: the log showed the Markdown escapes, a URL as
// "http:?//127.0.0.1:…" (the zero-width joiner that keeps GitHub from
// linking it, shown as "?") and "(" as "&#40;".
func TestNotesLogPlainText(t *testing.T) {
	api := closedAPI(t)
	ws := t.TempDir()
	summary := filepath.Join(ws, "summary")
	env := map[string]string{
		"INPUT_COMMAND": "check", "GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"),
		"GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "push", "GITHUB_API_URL": api,
		"GITHUB_REPOSITORY": "acme/zones", "GITHUB_SHA": strings.Repeat("a", 40), "GITHUB_TOKEN": "ghs_notesTestToken0123",
	}
	var stdout, stderr bytes.Buffer
	Run(context.Background(), Env{Commands: fakeRunner{`{"problems":[]}`, 0}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	var line string
	for _, s := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(s, "Check run failed") {
			line = s
		}
	}
	if !strings.Contains(line, `Post "`+api+`/repos/acme/zones/check-runs"`) || strings.Contains(line, "&#") {
		t.Errorf("log line %q: want the URL as it is, no Markdown escapes\n%s", line, stderr.String())
	}
	b, _ := os.ReadFile(summary)
	if !strings.Contains(string(b), "Check run failed") || strings.Contains(string(b), `"`+api) {
		t.Errorf("summary: want the note, its URL not linkable:\n%s", b)
	}
}

// TestTrackFailedHeadline: a drift run that found no drift but could not
// update its tracking issue (the API did not answer) fails, exit 2; the
// step summary's headline said "✅ passed" above the note, beside a
// result of "error".
func TestTrackFailedHeadline(t *testing.T) {
	api := closedAPI(t)
	ws := t.TempDir()
	summary := filepath.Join(ws, "summary")
	cfg := "zones:\n  - name: example.com.\n    file: example.com.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"
	if err := os.WriteFile(filepath.Join(ws, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"INPUT_COMMAND": "drift", "GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"),
		"GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "schedule", "GITHUB_API_URL": api,
		"GITHUB_REPOSITORY": "acme/zones", "GITHUB_SHA": strings.Repeat("a", 40), "GITHUB_TOKEN": "ghs_notesTestToken0123",
	}
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), Env{Commands: fakeRunner{`{"plans":[]}`, 0}, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	b, _ := os.ReadFile(summary)
	head, _, _ := strings.Cut(string(b), "\n")
	if code != 2 || strings.Contains(head, "✅") || !strings.Contains(head, "tracking issue") {
		t.Errorf("exit %d (want 2), summary headline %q: want it to say the tracking issue failed, not passed\n%s", code, head, b)
	}
}

// TestJSONReportSavedOrNoted: the command's JSON report is saved in the
// workspace as .dnsparity/COMMAND.json (status: the report as the command
// wrote it); where it cannot be (.dnsparity is a file), the step summary
// says so in a note and nothing is saved.
func TestJSONReportSavedOrNoted(t *testing.T) {
	api := closedAPI(t)
	const js = `{"zone":"example.test.","command":"status","result":"observed","errors":[],"warnings":[]}`
	for _, tc := range []struct {
		name    string
		blocked bool // .dnsparity is a file
	}{{"saved", false}, {"cannot be saved", true}} {
		t.Run(tc.name, func(t *testing.T) {
			ws := t.TempDir()
			if tc.blocked {
				if err := os.WriteFile(filepath.Join(ws, ".dnsparity"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			summary := filepath.Join(ws, "summary")
			env := map[string]string{
				"INPUT_COMMAND": "status", "INPUT_ZONE": "example.test.", "INPUT_COMMENT": "false", "GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"),
				"GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_API_URL": api,
				"GITHUB_REPOSITORY": "acme/zones", "GITHUB_SHA": strings.Repeat("a", 40),
			}
			var stdout, stderr bytes.Buffer
			Run(context.Background(), Env{Commands: fakeRunner{js, 0}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }})
			saved, _ := os.ReadFile(filepath.Join(ws, ".dnsparity", "status.json"))
			b, _ := os.ReadFile(summary)
			noted := strings.Contains(string(b), "The JSON report could not be saved")
			if tc.blocked != noted || tc.blocked == (strings.TrimSpace(string(saved)) == js) {
				t.Errorf("saved %q, noted %v; want the report saved, or else noted\n%s\n%s", saved, noted, b, stderr.String())
			}
		})
	}
}

// TestNotesReadAsOneParagraph: the notes are shown as one block quote,
// which GitHub reads as one paragraph, so a code span opened in one note
// closes in the next and shows a secret split across them as one text.
// The notes were read one after another, each after the one before it
// only and apart (a blank line between): the head of the secret in the
// first note was read without the rest and shown, in the step summary,
// the comment and the log. A note added late (publish's: the comment not
// written) that closes the span is read with those before it, and they
// with it.
func TestNotesReadAsOneParagraph(t *testing.T) {
	const secret = "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2"
	hidden := []string{"sW4", "yB6n", "Hq2"}
	for _, c := range []struct {
		name        string
		notes, late []string
	}{
		{"two notes", []string{"key `` `sW4", "yB6n`Hq2 `` refused"}, nil},
		{"the span closed by a late note", []string{"key `` `sW4", "yB6n"}, []string{"`Hq2 `` refused"}},
	} {
		sec := &redact.Secrets{}
		sec.Add(secret)
		res := outcome{verdict: "⚠️ could not run", body: "**Could not run:** see above\n"}
		for _, n := range c.notes {
			res.notes = append(res.notes, mdNote(n))
		}
		chain := noteChain{sec: sec, verdict: res.verdict}
		chain.read(&res)
		for _, n := range c.late {
			res.notes = append(res.notes, mdNote(n))
		}
		chain.read(&res)
		md := notesMarkdown(res.notes)
		var text strings.Builder
		for _, n := range res.notes {
			text.WriteString(n.text + "\n")
		}
		for _, piece := range hidden {
			if strings.Contains(md, piece) || strings.Contains(text.String(), piece) {
				t.Errorf("%s: shows %q:\n%s\n%s", c.name, piece, md, text.String())
			}
		}
		if !strings.HasPrefix(md, "> key ") || !strings.HasSuffix(md, " refused\n\n") || strings.Count(md, "\n> ") != len(res.notes)-1 {
			t.Errorf("%s: want a block quote, a note a line, masked where the secret stands:\n%s", c.name, md)
		}
	}
}

// TestLateNotesEchoedToken: the notes publish adds as it goes (a check
// run, the pull-request comment or the tracking issue the API refused)
// quote the API's error, and an API (a proxy at GITHUB_API_URL) that
// echoes the token back in its refusal, in any form redacttest.Echoes
// writes, gets it into no output: the comment, the check run, the
// issue, the step summary, the step outputs and the log. It reads the
// three layers together (ErrorBodies, errNote, noteChain) and fails only
// when all three are broken: each is tested alone (TestNoteLayer*).
func TestLateNotesEchoedToken(t *testing.T) {
	const token = "ghs_Late7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	cfg := "zones:\n  - name: example.com.\n    file: example.com.zone\nproviders:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n"
	for _, c := range []struct {
		name, event, command, out, method, suffix, note string
	}{
		{"check run", "pull_request", "check", `{"problems":[]}`, "POST", "/check-runs", "Check run failed"},
		{"comment", "pull_request", "check", `{"problems":[]}`, "POST", "/comments", "comment could not be posted"},
		{"tracking issue", "schedule", "drift", `{"plans":[]}`, "GET", "/issues", "tracking issue could not be updated"},
	} {
		for _, e := range redacttest.Echoes(token) {
			gh := githubtest.New("acme", "zones", map[string]githubtest.Token{token: {Login: github.ActionsBot, Installation: true}})
			gh.Refuse(c.method, c.suffix, githubtest.Refusal{Status: http.StatusUnprocessableEntity, Message: func(tok string) string {
				return "token " + strings.ReplaceAll(e.Form, token, tok) + " refused"
			}})
			ws := t.TempDir()
			files := map[string]string{"dnsparity.yaml": cfg, "event.json": `{"pull_request": {"number": 7}}`}
			for name, body := range files {
				if err := os.WriteFile(filepath.Join(ws, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := map[string]string{
				"INPUT_COMMAND": c.command, "GITHUB_WORKSPACE": ws, "GITHUB_OUTPUT": filepath.Join(ws, "outputs"),
				"GITHUB_STEP_SUMMARY": filepath.Join(ws, "summary"), "GITHUB_EVENT_NAME": c.event,
				"GITHUB_EVENT_PATH": filepath.Join(ws, "event.json"), "GITHUB_API_URL": gh.URL,
				"GITHUB_REPOSITORY": "acme/zones", "GITHUB_SHA": strings.Repeat("a", 40), "GITHUB_TOKEN": token,
			}
			var stdout, stderr bytes.Buffer
			Run(context.Background(), Env{Commands: fakeRunner{c.out, 0}, Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }})
			gh.Close()
			summary, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
			outputs, _ := os.ReadFile(env["GITHUB_OUTPUT"])
			if !strings.Contains(string(summary), c.note) || !strings.Contains(string(summary), "refused") {
				t.Fatalf("%s, %s: the test plants nothing: the summary has no note quoting the refusal:\n%s", c.name, e.Name, summary)
			}
			// The runner reads ::add-mask:: commands and shows them not.
			var out strings.Builder
			for _, l := range strings.SplitAfter(stdout.String(), "\n") {
				if !strings.HasPrefix(l, "::add-mask::") {
					out.WriteString(l)
				}
			}
			shown := map[string]string{"summary": string(summary), "outputs": string(outputs), "stdout": out.String(), "log": stderr.String()}
			for _, cm := range gh.Comments(7) {
				shown["comment"] += cm.Body
			}
			for _, cr := range gh.CheckRuns() {
				shown["check run"] += cr.Title + cr.Summary
				for _, a := range cr.Annotations {
					shown["check run"] += a.Title + a.Message
				}
			}
			for _, is := range gh.Issues() {
				shown["issue"] += is.Title + is.Body
			}
			for where, text := range shown {
				if l := redacttest.Leak(text, token, e.Form); l != "" {
					t.Errorf("%s, %s: the %s shows the token: %s", c.name, e.Name, where, l)
				}
			}
		}
	}
}

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
