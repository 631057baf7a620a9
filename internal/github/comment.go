package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// MaxBody is GitHub's limit on a comment or issue body (characters).
const MaxBody = 65536

// Marker is the hidden HTML comment that names a sticky comment.
func Marker(key string) string {
	return "<!-- dnsparity:" + strings.NewReplacer("--", "-", ">", "").Replace(key) + " -->"
}

// StickyComment creates or updates the one comment on pull request pr that
// carries the marker for key AND was written by the token's own identity,
// so that each run replaces the last report instead of adding another, and
// a comment planted by someone else (marker copied) is never taken for it.
// It returns the comment's id and whether it was created.
func (c *Client) StickyComment(ctx context.Context, owner, repo string, pr int, key, body string) (id int64, created bool, err error) {
	me, err := c.Identity(ctx)
	if err != nil {
		return 0, false, err
	}
	tag := Marker(key)
	body = Truncate(tag+"\n"+body, MaxBody, "")
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.gh.Issues.ListComments(ctx, owner, repo, pr, opt)
		if err != nil {
			return 0, false, fmt.Errorf("list comments of %s/%s#%d: %w", owner, repo, pr, err)
		}
		for _, cm := range cs {
			if !strings.HasPrefix(cm.GetBody(), tag) || !strings.EqualFold(cm.GetUser().GetLogin(), me) {
				continue
			}
			if cm.GetBody() == body {
				return cm.GetID(), false, nil
			}
			if _, _, err := c.gh.Issues.EditComment(ctx, owner, repo, cm.GetID(), &gh.IssueComment{Body: gh.String(body)}); err != nil {
				return 0, false, fmt.Errorf("update comment %d on %s/%s#%d: %w", cm.GetID(), owner, repo, pr, err)
			}
			return cm.GetID(), false, nil
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, owner, repo, pr, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return 0, false, fmt.Errorf("comment on %s/%s#%d: %w", owner, repo, pr, err)
	}
	return cm.GetID(), true, nil
}

// Truncate cuts md to at most limit characters (runes; GitHub counts
// characters) at a line boundary, closes an open code fence, and ends it
// with note (default: a pointer to the step summary).
func Truncate(md string, limit int, note string) string {
	if len([]rune(md)) <= limit {
		return md
	}
	if note == "" {
		note = "_(cut to GitHub's size limit)_"
	}
	note = "\n\n" + note + "\n"
	rs := []rune(md)
	keep := max(limit-len([]rune(note))-16, 0) // room to close a fence and a <details>
	return closeCut(string(rs[:keep])) + note
}

// closeCut ends a report cut short (md's head) at its last line break, and
// closes the code fence and the <details> blocks the cut left open, so
// that what follows (the note saying it was cut) shows as it is, not
// inside a collapsed block or as code.
func closeCut(cut string) string {
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	fences := 0
	for _, l := range strings.Split(cut, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fences++
		}
	}
	if fences%2 == 1 {
		cut += "\n```"
	}
	for n := strings.Count(cut, "<details") - strings.Count(cut, "</details>"); n > 0; n-- {
		cut += "\n</details>"
	}
	return cut
}
