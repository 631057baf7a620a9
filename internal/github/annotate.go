package github

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Annotation is a message on a line of a file in the repository.
type Annotation struct {
	File    string // relative to the workspace, or absolute inside it
	Line    int
	Level   string // error, warning or notice
	Title   string
	Message string
}

// ShownPerLevel is how many workflow-command annotations of each level
// GitHub shows for one step; the rest stay in the log only.
const ShownPerLevel = 10

// RelPath makes an annotation's file relative to the workspace, with
// forward slashes, as GitHub wants it (never /github/workspace/...).
func (r *Runner) RelPath(f string) string { return RelPath(r.ghctx.Workspace, f) }

// RelPath is f relative to the workspace ws when f is inside it.
func RelPath(ws, f string) string {
	if ws != "" && filepath.IsAbs(f) {
		if rel, err := filepath.Rel(ws, f); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			f = rel
		}
	}
	return filepath.ToSlash(f)
}

// Annotate emits one workflow command per annotation (::error file=...,
// line=...::message). It returns how many GitHub will not show, per level
// (it shows ShownPerLevel of each).
func (r *Runner) Annotate(as []Annotation) (hidden map[string]int) {
	hidden = map[string]int{}
	seen := map[string]int{}
	for _, a := range as {
		fields := map[string]string{}
		if a.File != "" {
			fields["file"] = r.RelPath(a.File)
		}
		if a.Line > 0 {
			fields["line"] = fmt.Sprint(a.Line)
		}
		if a.Title != "" {
			fields["title"] = a.Title
		}
		act := r.act.WithFieldsMap(fields)
		level := a.Level
		switch level {
		case "error":
			act.Errorf("%s", a.Message)
		case "warning":
			act.Warningf("%s", a.Message)
		default:
			level = "notice"
			act.Noticef("%s", a.Message)
		}
		seen[level]++
		if seen[level] > ShownPerLevel {
			hidden[level]++
		}
	}
	return hidden
}
