// Package github is the thin adapter between dnsparity and GitHub Actions:
// inputs, outputs, the step summary and workflow-command annotations of one
// step, and (through go-github) the sticky pull-request comment, the check
// run and the tracking issue. It knows nothing about DNS: it is handed
// Markdown, annotations and plain values.
package github

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sethvargo/go-githubactions"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/runemap"
)

// Runner wraps the Actions runtime of one step.
type Runner struct {
	act     *githubactions.Action
	ghctx   *githubactions.GitHubContext
	getenv  func(string) string
	w       io.Writer
	http    *http.Client
	secrets *redact.Secrets
}

// New reads the runner's environment (GITHUB_*, INPUT_*) through getenv;
// workflow commands go to w. hc is the HTTP client for GitHub's API (nil:
// http.DefaultClient).
func New(getenv func(string) string, w io.Writer, hc *http.Client) (*Runner, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	act := githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(w), githubactions.WithHTTPClient(hc))
	c, err := act.Context()
	if err != nil {
		return nil, fmt.Errorf("read the GitHub Actions context: %w", err)
	}
	r := &Runner{act: act, ghctx: c, getenv: getenv, w: w, http: hc, secrets: &redact.Secrets{}}
	// Every form new to the set is masked in the log, whoever adds it:
	// Mask, or a command that learns a secret as it runs
	// (redact.FromContext).
	r.secrets.OnAdd = func(forms []string) {
		for _, f := range forms {
			act.AddMask(f)
		}
	}
	return r, nil
}

// Input is an action input (INPUT_NAME), trimmed.
func (r *Runner) Input(name string) string { return strings.TrimSpace(r.act.GetInput(name)) }

// Mask keeps a secret out of everything the step writes: every form of it
// (redact.Forms: base64, URL-, JSON-, HTML-escaped, ...) is masked in the
// log (::add-mask::, the runner prints *** for it from then on) and
// replaced by Redact in text that goes to GitHub. Each line of a
// multi-line value is masked too (the runner masks line by line).
func (r *Runner) Mask(v string) { r.secrets.Add(v) }

// Secrets is the set Mask adds to (the run's one redaction set): a
// secret added to it any other way is masked in the log as well (its
// OnAdd). Its Escapes may add the forms of the run's own output escaping
// before the first Mask.
func (r *Runner) Secrets() *redact.Secrets { return r.secrets }

// ErrOutputValue is returned for an output value that could forge other
// outputs (a line break).
var ErrOutputValue = errors.New("output value holds a line break")

// Output sets a step output, one `name=value` line in GITHUB_OUTPUT. A
// value with a line break is refused: outputs are plain values, and no
// content can end a heredoc early and set outputs of its own. Without an
// output file (outside Actions) it does nothing.
func (r *Runner) Output(k, v string) error {
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return nil
	}
	if strings.ContainsAny(k+v, "\r\n") || strings.Contains(k, "=") || k == "" {
		return fmt.Errorf("output %q: %w", k, ErrOutputValue)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("output %s: %w", k, err)
	}
	if _, err := fmt.Fprintf(f, "%s=%s\n", k, v); err != nil {
		f.Close()
		return fmt.Errorf("output %s: %w", k, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("output %s: %w", k, err)
	}
	return nil
}

// MaxJobOutputs is GitHub's limit on a job's outputs, in bytes of UTF-16
// (OutputSize): "Outputs can be a maximum of 1 MB per job ... Size is
// approximated based on UTF-16 encoding" (docs.github.com, Passing
// information between jobs). A job over it fails ("Job outputs exceed
// 1,048,576 bytes").
const MaxJobOutputs = 1 << 20

// OutputSize is the size of an output value as GitHub counts it against
// MaxJobOutputs: its length in UTF-16, in bytes.
func OutputSize(v string) int {
	n := 0
	for _, r := range v {
		n += 2
		if r >= 0x10000 {
			n += 2 // a surrogate pair
		}
	}
	return n
}

// MaxSummary is GitHub's limit on a step summary (bytes); a bigger one is
// not shown at all.
const MaxSummary = 1 << 20

// Summary appends Markdown to the step summary (when the runner gives one),
// cut at a line under GitHub's limit with note when it is over (the
// blocks the cut left open closed first: closeCut).
func (r *Runner) Summary(md, note string) {
	if r.getenv("GITHUB_STEP_SUMMARY") == "" {
		return
	}
	if len(md) > MaxSummary-1024 {
		md = closeCut(md[:MaxSummary-1024-len(note)]) + "\n\n" + note + "\n"
	}
	r.act.AddStepSummary(md)
}

// Log prints text to the step log with workflow commands switched off, so
// that nothing in it (content from files under review) is taken for a
// command (::add-mask::, ::error::, ...).
func (r *Runner) Log(text string) {
	if text == "" {
		return
	}
	tok := randomToken()
	var b bytes.Buffer
	fmt.Fprintf(&b, "::stop-commands::%s\n", tok)
	b.WriteString(text)
	if !strings.HasSuffix(text, "\n") {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "::%s::\n", tok)
	r.w.Write(b.Bytes())
}

func randomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// Workspace is GITHUB_WORKSPACE.
func (r *Runner) Workspace() string { return r.ghctx.Workspace }

// Job is the workflow and job the step runs in ("workflow/job"), which
// tells one job's sticky comment from another's.
func (r *Runner) Job() string { return r.ghctx.Workflow + "/" + r.ghctx.Job }

// Repo is the repository the workflow runs in.
func (r *Runner) Repo() (owner, repo string) { return r.ghctx.Repo() }

// ServerURL is GITHUB_SERVER_URL (default https://github.com).
func (r *Runner) ServerURL() string { return r.ghctx.ServerURL }

// RunURL is the URL of the workflow run (its summary page), or "".
func (r *Runner) RunURL() string {
	owner, repo := r.Repo()
	if owner == "" || r.ghctx.RunID == 0 {
		return ""
	}
	return fmt.Sprintf("%s/%s/%s/actions/runs/%d", strings.TrimSuffix(r.ghctx.ServerURL, "/"), owner, repo, r.ghctx.RunID)
}

// PullRequest is what the event says about the pull request the workflow
// runs for.
type PullRequest struct {
	Number  int
	HeadSHA string
	// HeadRef is the name of the branch the pull request merges from.
	HeadRef string
	// BaseSHA and BaseRef are the base branch's commit and name: what the
	// pull request is merged into, whose config is trusted.
	BaseSHA, BaseRef string
	// Fork: the head is in another repository (such a run has no secrets
	// and a read-only token).
	Fork bool
}

// PullRequest is the pull request the workflow runs for, if any.
func (r *Runner) PullRequest() (PullRequest, bool) {
	ev := r.ghctx.Event
	if ev == nil || !strings.HasPrefix(r.ghctx.EventName, "pull_request") {
		return PullRequest{}, false
	}
	pr, _ := ev["pull_request"].(map[string]any)
	var out PullRequest
	if n, ok := pr["number"].(float64); ok {
		out.Number = int(n)
	} else if n, ok := ev["number"].(float64); ok {
		out.Number = int(n)
	}
	if out.Number == 0 {
		return PullRequest{}, false
	}
	head, _ := pr["head"].(map[string]any)
	base, _ := pr["base"].(map[string]any)
	out.HeadSHA, _ = head["sha"].(string)
	out.HeadRef, _ = head["ref"].(string)
	out.BaseSHA, _ = base["sha"].(string)
	out.BaseRef, _ = base["ref"].(string)
	headRepo, _ := head["repo"].(map[string]any)
	baseRepo, _ := base["repo"].(map[string]any)
	if fork, ok := headRepo["fork"].(bool); ok && fork {
		out.Fork = true
	}
	hn, _ := headRepo["full_name"].(string)
	bn, _ := baseRepo["full_name"].(string)
	if hn != "" && bn != "" && !strings.EqualFold(hn, bn) {
		out.Fork = true
	}
	if head != nil && headRepo == nil {
		out.Fork = true // the head repository was deleted: treat as foreign
	}
	return out, true
}

// SHA is the commit a check run is about: the pull request's head, else
// GITHUB_SHA.
func (r *Runner) SHA() string {
	if pr, ok := r.PullRequest(); ok && pr.HeadSHA != "" {
		return pr.HeadSHA
	}
	return r.ghctx.SHA
}

// Redact replaces every form of every value masked so far by *** in s:
// text that goes to GitHub (comments, summaries, check runs, issues) and
// files (reports) is not masked by the runner, so a secret that slipped
// into a message is removed here. Redact text before escaping it.
func (r *Runner) Redact(s string) string { return r.secrets.Replace(s) }

// Guard is a writer for text not ours (a command's messages, which may
// quote zone files or a server's answer): no line of it can be a workflow
// command. The runner reads its output line by line (a line ends at \n or
// \r) and takes a line for a command in two forms (actions/runner,
// ActionCommand.TryParseV2 and TryParse): "::name ...::data" once leading
// whitespace is trimmed, and the legacy "##[name ...]data" anywhere in the
// line. Guard writes ">" before a line whose first non-blank character is
// ':', a space inside every "##[" ("## ["), and "?" for each control or
// format character (NUL, ESC, zero-width and bidirectional marks: the
// runner's culture-aware matching may skip them, and a terminal acts on
// them), which leaves every other line as it is.
func Guard(w io.Writer) io.Writer { return newGuard(w, false) }

// GuardMarkdown is Guard for Markdown that dnsparity wrote (content
// escaped by report.MarkdownText and MarkdownCode, diffs in code fences):
// format characters are kept, as the zero-width joiners MarkdownText puts
// after @ and # and inside URLs keep mentions and autolinks off, and taken
// as nothing, as a culture-aware match takes them (they neither end the
// blanks at the start of a line nor separate two '#'); control characters
// still become "?".
func GuardMarkdown(w io.Writer) io.Writer { return newGuard(w, true) }

func newGuard(w io.Writer, keepFormat bool) io.Writer {
	g := &guard{start: true, keepFormat: keepFormat}
	return &runemap.Writer{W: w, F: g.char}
}

// guard is what Guard knows of the line so far.
type guard struct {
	start      bool // only blanks so far on this line
	hashes     int  // '#' just written
	keepFormat bool // format characters (Cf) kept, taken as nothing
}

// char appends what r becomes (runemap.Func).
func (g *guard) char(out []byte, r rune, _ []byte) []byte {
	switch {
	case r == '\n' || r == '\r':
		g.start, g.hashes = true, 0
		return utf8.AppendRune(out, r)
	case r == '\t':
	case r == utf8.RuneError || unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && !g.keepFormat):
		r = '?'
	}
	if g.start && r == ':' {
		out = append(out, '>')
	}
	if r == '[' && g.hashes >= 2 {
		out = append(out, ' ')
	}
	// A combining mark (and a format character GuardMarkdown keeps)
	// is taken as nothing (culture-aware matching may ignore it): it
	// neither ends the blanks at the start of a line nor separates
	// two '#'.
	mark := unicode.In(r, unicode.M, unicode.Cf)
	switch {
	case r == '#':
		g.hashes++
	case !mark:
		g.hashes = 0
	}
	if g.start && !unicode.IsSpace(r) && !mark {
		g.start = false
	}
	return utf8.AppendRune(out, r)
}
