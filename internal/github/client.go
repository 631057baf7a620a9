package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/dnsparity/dnsparity/internal/httporigin"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// Client talks to GitHub's REST API as one token's identity.
type Client struct {
	gh *gh.Client
	// login is the token's own identity once known.
	login string
}

// Client is a client for the runner's API (GITHUB_API_URL).
func (r *Runner) Client(token string) (*Client, error) {
	return NewClient(r.http, r.ghctx.APIURL, token)
}

// NewClient is a client for the REST API at api (e.g. https://api.github.com).
// It follows no redirect to another origin (httporigin.Client): go-github's
// WithAuthToken sets the token in the client's transport, on a redirected
// request too, whatever its host; the redirect is an error.
func NewClient(hc *http.Client, api, token string) (*Client, error) {
	hc = httporigin.Client(hc)
	// An error answer's body (go-github makes it the error's message)
	// without the token and the run's secrets, whatever their encoding.
	hc.Transport = redact.ErrorBodies(hc.Transport, token)
	hc.Transport = retrying{next: hc.Transport, policy: apiRetry}
	hc.Transport = unanswered{next: hc.Transport, api: strings.TrimSuffix(api, "/")}
	c := gh.NewClient(hc).WithAuthToken(token)
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	u, err := url.Parse(api)
	if err != nil {
		return nil, fmt.Errorf("GITHUB_API_URL %q: %w", api, err)
	}
	c.BaseURL = u
	return &Client{gh: c}, nil
}

// unanswered names the API a request got no answer from (a transport
// error: nothing listens, no route, a name that does not resolve) and
// what to check, as the notes of the comment, check run and issue quote
// it; an answer, even an error status, and a request ended by its
// context are left as they are.
type unanswered struct {
	next http.RoundTripper
	api  string
}

func (u unanswered) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := u.next.RoundTrip(r)
	if err != nil && r.Context().Err() == nil {
		return nil, fmt.Errorf("the GitHub API at %s (GITHUB_API_URL) did not answer: check the URL (GitHub Enterprise Server: https://HOST/api/v3) and that the runner reaches it: %w", u.api, err)
	}
	return resp, err
}

// ErrNoFile is returned by File for a path the ref does not hold.
var ErrNoFile = errors.New("no such file at that ref")

// File is the content of path at ref (a commit SHA or a branch) of the
// repository, read through the contents API (a container has no git).
func (c *Client) File(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	f, _, resp, err := c.gh.Repositories.GetContents(ctx, owner, repo, path, &gh.RepositoryContentGetOptions{Ref: ref})
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s at %s: %w", path, ref, ErrNoFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, err)
	}
	if f == nil {
		return nil, fmt.Errorf("%s at %s is not a file", path, ref)
	}
	s, err := f.GetContent()
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, err)
	}
	return []byte(s), nil
}

// SetIdentity names the token's login when GET /user cannot tell it: a
// GitHub App's installation token acts as "APP[bot]" but, like the
// GITHUB_TOKEN, may not call GET /user.
func (c *Client) SetIdentity(login string) { c.login = login }

// ActionsBot is the login of the GITHUB_TOKEN's identity.
const ActionsBot = "github-actions[bot]"

// Identity is the login the token acts as: GET /user for a personal
// token; the workflow's GITHUB_TOKEN (an installation token) may not call
// it (403 "Resource not accessible by integration") and posts as
// github-actions[bot].
func (c *Client) Identity(ctx context.Context) (string, error) {
	if c.login != "" {
		return c.login, nil
	}
	u, resp, err := c.gh.Users.Get(ctx, "")
	switch {
	case err == nil && u.GetLogin() != "":
		c.login = u.GetLogin()
	case resp != nil && resp.StatusCode == http.StatusForbidden:
		c.login = ActionsBot
	case err != nil:
		return "", fmt.Errorf("who is the token (GET /user): %w", err)
	default:
		return "", errors.New("who is the token (GET /user): no login in the answer")
	}
	return c.login, nil
}

// IsForbidden tells whether err is GitHub refusing the token the action
// (403, e.g. a fork pull request's read-only token).
func IsForbidden(err error) bool {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode == http.StatusForbidden
	}
	return false
}

// maxPRFiles is the most files "List pull requests files" lists (GitHub
// stops there whatever the pull request holds).
const maxPRFiles = 3000

// PullRequestFiles lists the paths pull request n changes (both names of
// a rename), 100 a page. complete is false when GitHub's list stops at
// its 3,000 files: the pull request may change more.
func (c *Client) PullRequestFiles(ctx context.Context, owner, repo string, n int) (files []string, complete bool, err error) {
	opt := &gh.ListOptions{PerPage: 100}
	count := 0
	for {
		fs, resp, err := c.gh.PullRequests.ListFiles(ctx, owner, repo, n, opt)
		if err != nil {
			return nil, false, fmt.Errorf("list the files of pull request #%d: %w", n, err)
		}
		for _, f := range fs {
			count++
			files = append(files, f.GetFilename())
			if p := f.GetPreviousFilename(); p != "" {
				files = append(files, p)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return files, count < maxPRFiles, nil
}

// WorkflowRun is what "Get a workflow run" says of a run
// (https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run).
type WorkflowRun struct {
	ID int64
	// Repo is the repository the run belongs to (owner/name).
	Repo string
	// Event triggered it: push, schedule, workflow_dispatch, pull_request...
	Event string
	// HeadBranch is the branch it ran on; Name its workflow's name.
	HeadBranch, Name string
	// Status (queued, in_progress, completed...) and Conclusion (""
	// until completed).
	Status, Conclusion string
	// Started and Updated: run_started_at and updated_at.
	Started, Updated time.Time
}

// WorkflowRun reads run id of owner/repo (the token needs actions: read).
func (c *Client) WorkflowRun(ctx context.Context, owner, repo string, id int64) (WorkflowRun, error) {
	r, _, err := c.gh.Actions.GetWorkflowRunByID(ctx, owner, repo, id)
	if err != nil {
		return WorkflowRun{}, fmt.Errorf("workflow run %d of %s/%s: %w", id, owner, repo, err)
	}
	return WorkflowRun{ID: r.GetID(), Repo: r.GetRepository().GetFullName(), Event: r.GetEvent(), HeadBranch: r.GetHeadBranch(), Name: r.GetName(),
		Status: r.GetStatus(), Conclusion: r.GetConclusion(), Started: r.GetRunStartedAt().Time, Updated: r.GetUpdatedAt().Time}, nil
}
