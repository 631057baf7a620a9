package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// TrackingResult is what Track did to the tracking issue.
type TrackingResult struct {
	Action string // opened, updated, closed, none
	Number int
}

// Track keeps one open issue carrying label and written by the token's
// identity: with open=true it opens it (title, body) or updates the open
// one's body; with open=false it closes the open one with a comment
// (closing) saying why. Issues by anyone else are ignored.
func (c *Client) Track(ctx context.Context, owner, repo, label, title, body string, open bool, closing string) (TrackingResult, error) {
	me, err := c.Identity(ctx)
	if err != nil {
		return TrackingResult{}, err
	}
	body = Truncate(body, MaxBody, "")
	var found *gh.Issue
	opt := &gh.IssueListByRepoOptions{State: "open", Labels: []string{label}, ListOptions: gh.ListOptions{PerPage: 100}}
	for found == nil {
		is, resp, err := c.gh.Issues.ListByRepo(ctx, owner, repo, opt)
		if err != nil {
			return TrackingResult{}, fmt.Errorf("list issues labelled %s in %s/%s: %w", label, owner, repo, err)
		}
		for _, is := range is {
			if is.IsPullRequest() || !strings.EqualFold(is.GetUser().GetLogin(), me) {
				continue
			}
			found = is
			break
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	switch {
	case open && found == nil:
		is, _, err := c.gh.Issues.Create(ctx, owner, repo, &gh.IssueRequest{Title: gh.String(title), Body: gh.String(body), Labels: &[]string{label}})
		if err != nil {
			return TrackingResult{}, fmt.Errorf("open issue %q in %s/%s: %w", title, owner, repo, err)
		}
		return TrackingResult{"opened", is.GetNumber()}, nil
	case open:
		if found.GetBody() == body && found.GetTitle() == title {
			return TrackingResult{"none", found.GetNumber()}, nil
		}
		if _, _, err := c.gh.Issues.Edit(ctx, owner, repo, found.GetNumber(), &gh.IssueRequest{Title: gh.String(title), Body: gh.String(body)}); err != nil {
			return TrackingResult{}, fmt.Errorf("update issue #%d in %s/%s: %w", found.GetNumber(), owner, repo, err)
		}
		return TrackingResult{"updated", found.GetNumber()}, nil
	case found != nil:
		n := found.GetNumber()
		if closing != "" {
			if _, _, err := c.gh.Issues.CreateComment(ctx, owner, repo, n, &gh.IssueComment{Body: gh.String(Truncate(closing, MaxBody, ""))}); err != nil {
				return TrackingResult{}, fmt.Errorf("comment on issue #%d in %s/%s: %w", n, owner, repo, err)
			}
		}
		if _, _, err := c.gh.Issues.Edit(ctx, owner, repo, n, &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("completed")}); err != nil {
			return TrackingResult{}, fmt.Errorf("close issue #%d in %s/%s: %w", n, owner, repo, err)
		}
		return TrackingResult{"closed", n}, nil
	}
	return TrackingResult{Action: "none"}, nil
}
