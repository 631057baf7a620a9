// Package github is the thin adapter between dnsparity and GitHub Actions:
// inputs, outputs, the step summary and file:line annotations through
// go-githubactions, and the one sticky pull-request comment through go-github.
// It knows nothing about DNS: it is handed Markdown and annotations.
package github

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/sethvargo/go-githubactions"
)

// Annotation is a message on a line of a file in the repository.
type Annotation struct {
	File    string
	Line    int
	Level   string // error, warning or notice
	Title   string
	Message string
}

// Runner wraps the Actions runtime of one step.
type Runner struct {
	act    *githubactions.Action
	ghctx  *githubactions.GitHubContext
	getenv func(string) string
	http   *http.Client
}

// New reads the runner's environment (GITHUB_*, INPUT_*) through getenv;
// workflow commands go to w.
func New(getenv func(string) string, w io.Writer, hc *http.Client) (*Runner, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	act := githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(w), githubactions.WithHTTPClient(hc))
	c, err := act.Context()
	if err != nil {
		return nil, fmt.Errorf("read the GitHub Actions context: %w", err)
	}
	return &Runner{act: act, ghctx: c, getenv: getenv, http: hc}, nil
}

// Input is an action input (INPUT_NAME), trimmed.
func (r *Runner) Input(name string) string { return strings.TrimSpace(r.act.GetInput(name)) }

// Mask keeps a value out of the log.
func (r *Runner) Mask(v string) {
	if v != "" {
		r.act.AddMask(v)
	}
}

// Output sets a step output (when the runner gives an output file:
// go-githubactions panics without one).
func (r *Runner) Output(k, v string) {
	if r.getenv("GITHUB_OUTPUT") == "" {
		return
	}
	r.act.SetOutput(k, v)
}

// Summary appends Markdown to the step summary (when the runner gives one).
func (r *Runner) Summary(md string) {
	if r.getenv("GITHUB_STEP_SUMMARY") == "" {
		return
	}
	r.act.AddStepSummary(md)
}

// Annotate emits one workflow command per annotation, with the file
// relative to the workspace so that GitHub puts it on the right line.
func (r *Runner) Annotate(as []Annotation) {
	ws := r.ghctx.Workspace
	for _, a := range as {
		f := a.File
		if ws != "" && filepath.IsAbs(f) {
			if rel, err := filepath.Rel(ws, f); err == nil && !strings.HasPrefix(rel, "..") {
				f = rel
			}
		}
		fields := map[string]string{}
		if f != "" {
			fields["file"] = filepath.ToSlash(f)
		}
		if a.Line > 0 {
			fields["line"] = fmt.Sprint(a.Line)
		}
		if a.Title != "" {
			fields["title"] = a.Title
		}
		act := r.act.WithFieldsMap(fields)
		switch a.Level {
		case "error":
			act.Errorf("%s", a.Message)
		case "warning":
			act.Warningf("%s", a.Message)
		default:
			act.Noticef("%s", a.Message)
		}
	}
}

// PullRequest is the pull request the workflow runs for, if any.
func (r *Runner) PullRequest() (owner, repo string, number int, ok bool) {
	owner, repo = r.ghctx.Repo()
	ev := r.ghctx.Event
	if ev == nil {
		return owner, repo, 0, false
	}
	if pr, isMap := ev["pull_request"].(map[string]any); isMap {
		if n, isNum := pr["number"].(float64); isNum {
			return owner, repo, int(n), owner != "" && repo != ""
		}
	}
	if n, isNum := ev["number"].(float64); isNum && r.ghctx.EventName != "" && strings.HasPrefix(r.ghctx.EventName, "pull_request") {
		return owner, repo, int(n), owner != "" && repo != ""
	}
	return owner, repo, 0, false
}

// Client is a go-github client for the runner's API (GITHUB_API_URL).
func (r *Runner) Client(token string) (*gh.Client, error) {
	c := gh.NewClient(r.http).WithAuthToken(token)
	api := r.ghctx.APIURL
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	u, err := url.Parse(api)
	if err != nil {
		return nil, fmt.Errorf("GITHUB_API_URL %q: %w", r.ghctx.APIURL, err)
	}
	c.BaseURL = u
	return c, nil
}

// maxComment is GitHub's limit on a comment body.
const maxComment = 65536

// StickyComment creates or updates the one comment on a pull request that
// carries marker (an HTML comment, invisible on GitHub), so that each run
// replaces the last report instead of adding another.
func StickyComment(ctx context.Context, c *gh.Client, owner, repo string, pr int, marker, body string) (int64, error) {
	tag := "<!-- dnsparity:" + marker + " -->"
	body = tag + "\n" + body
	if len(body) > maxComment {
		note := "\n\n_(report truncated: see the workflow's step summary for all of it)_"
		body = body[:maxComment-len(note)] + note
	}
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.Issues.ListComments(ctx, owner, repo, pr, opt)
		if err != nil {
			return 0, fmt.Errorf("list comments of %s/%s#%d: %w", owner, repo, pr, err)
		}
		for _, cm := range cs {
			if strings.Contains(cm.GetBody(), tag) {
				if cm.GetBody() == body {
					return cm.GetID(), nil
				}
				_, _, err := c.Issues.EditComment(ctx, owner, repo, cm.GetID(), &gh.IssueComment{Body: gh.String(body)})
				if err != nil {
					return 0, fmt.Errorf("update comment %d on %s/%s#%d: %w", cm.GetID(), owner, repo, pr, err)
				}
				return cm.GetID(), nil
			}
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	cm, _, err := c.Issues.CreateComment(ctx, owner, repo, pr, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return 0, fmt.Errorf("comment on %s/%s#%d: %w", owner, repo, pr, err)
	}
	return cm.GetID(), nil
}
