package github

import (
	"context"
	"fmt"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// annotationsPerRequest is the Checks API's limit of annotations per
// create or update request.
const annotationsPerRequest = 50

// CheckRun is one check run being reported.
type CheckRun struct {
	c           *Client
	owner, repo string
	name        string
	id          int64
}

// StartCheckRun creates an in-progress check run called name on commit
// sha. A fork pull request's token may not (403: see IsForbidden).
func (c *Client) StartCheckRun(ctx context.Context, owner, repo, name, sha string) (*CheckRun, error) {
	cr, _, err := c.gh.Checks.CreateCheckRun(ctx, owner, repo, gh.CreateCheckRunOptions{
		Name: name, HeadSHA: sha, Status: gh.String("in_progress"),
	})
	if err != nil {
		return nil, fmt.Errorf("create check run %q on %s: %w", name, shortSHA(sha), err)
	}
	return &CheckRun{c: c, owner: owner, repo: repo, name: name, id: cr.GetID()}, nil
}

// ID is the check run's id.
func (r *CheckRun) ID() int64 { return r.id }

// Conclusion maps an exit code to a check run conclusion: 0 success,
// anything else failure.
func Conclusion(exit int) string {
	if exit == 0 {
		return "success"
	}
	return "failure"
}

// Finish posts the annotations in batches of 50 (the API's limit per
// request; GitHub appends each batch), then completes the run with the
// conclusion, title and summary (Markdown, cut to the API's limit). The
// paths of the annotations must be relative to the repository root.
func (r *CheckRun) Finish(ctx context.Context, conclusion, title, summary string, as []Annotation) error {
	summary = Truncate(summary, MaxBody-1, "")
	out := func() *gh.CheckRunOutput {
		return &gh.CheckRunOutput{Title: gh.String(title), Summary: gh.String(summary)}
	}
	for i := 0; i < len(as); i += annotationsPerRequest {
		batch := as[i:min(i+annotationsPerRequest, len(as))]
		o := out()
		for _, a := range batch {
			o.Annotations = append(o.Annotations, checkAnnotation(a))
		}
		if _, _, err := r.c.gh.Checks.UpdateCheckRun(ctx, r.owner, r.repo, r.id, gh.UpdateCheckRunOptions{Name: r.name, Output: o}); err != nil {
			return fmt.Errorf("check run %d: annotations %d-%d of %d: %w", r.id, i+1, i+len(batch), len(as), err)
		}
	}
	_, _, err := r.c.gh.Checks.UpdateCheckRun(ctx, r.owner, r.repo, r.id, gh.UpdateCheckRunOptions{
		Name: r.name, Status: gh.String("completed"), Conclusion: gh.String(conclusion),
		CompletedAt: &gh.Timestamp{Time: time.Now()}, Output: out(),
	})
	if err != nil {
		return fmt.Errorf("complete check run %d: %w", r.id, err)
	}
	return nil
}

func checkAnnotation(a Annotation) *gh.CheckRunAnnotation {
	level := map[string]string{"error": "failure", "warning": "warning"}[a.Level]
	if level == "" {
		level = "notice"
	}
	line := max(a.Line, 1)
	ca := &gh.CheckRunAnnotation{
		Path: gh.String(strings.TrimPrefix(a.File, "./")), StartLine: gh.Int(line), EndLine: gh.Int(line),
		AnnotationLevel: gh.String(level), Message: gh.String(clip(a.Message, 64*1024)),
	}
	if a.Title != "" {
		ca.Title = gh.String(clip(a.Title, 255))
	}
	return ca
}

func clip(s string, n int) string {
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n])
	}
	return s
}

func shortSHA(s string) string { return s[:min(len(s), 12)] }
