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

	"github.com/sethvargo/go-githubactions"
)

// Runner wraps the Actions runtime of one step.
type Runner struct {
	act    *githubactions.Action
	ghctx  *githubactions.GitHubContext
	getenv func(string) string
	w      io.Writer
	http   *http.Client
	masked map[string]bool
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
	return &Runner{act: act, ghctx: c, getenv: getenv, w: w, http: hc, masked: map[string]bool{}}, nil
}

// Input is an action input (INPUT_NAME), trimmed.
func (r *Runner) Input(name string) string { return strings.TrimSpace(r.act.GetInput(name)) }

// Mask keeps a value out of the log: the runner replaces it by *** in
// everything printed after this command. Each line of a multi-line value
// is masked too (the runner masks line by line).
func (r *Runner) Mask(v string) {
	if strings.TrimSpace(v) == "" || r.masked[v] {
		return
	}
	r.masked[v] = true
	r.act.AddMask(v)
	if strings.ContainsAny(v, "\r\n") {
		for _, l := range strings.FieldsFunc(v, func(c rune) bool { return c == '\n' || c == '\r' }) {
			if strings.TrimSpace(l) != "" {
				r.act.AddMask(l)
			}
		}
	}
}

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

// MaxSummary is GitHub's limit on a step summary (bytes); a bigger one is
// not shown at all.
const MaxSummary = 1 << 20

// Summary appends Markdown to the step summary (when the runner gives one),
// cut at a line under GitHub's limit with note when it is over.
func (r *Runner) Summary(md, note string) {
	if r.getenv("GITHUB_STEP_SUMMARY") == "" {
		return
	}
	if len(md) > MaxSummary-1024 {
		cut := md[:MaxSummary-1024-len(note)]
		if i := strings.LastIndexByte(cut, '\n'); i > 0 {
			cut = cut[:i]
		}
		md = cut + "\n\n" + note + "\n"
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

// Redact replaces every value masked so far by *** in s: text that goes to
// GitHub (comments, summaries, check runs, issues) is not masked by the
// runner, so a secret that slipped into a message is removed here.
func (r *Runner) Redact(s string) string {
	for v := range r.masked {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	return s
}

// Guard is a writer for text not ours (a command's messages, which may
// quote zone files): a line that starts with ':' gets a space first, so it
// can never be a workflow command (::error::, ::add-mask:: ...).
func Guard(w io.Writer) io.Writer { return &guard{w: w} }

type guard struct {
	w   io.Writer
	mid bool // inside a line
}

func (g *guard) Write(p []byte) (int, error) {
	var b bytes.Buffer
	for _, c := range p {
		if !g.mid && c == ':' {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
		g.mid = c != '\n'
	}
	if _, err := g.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
