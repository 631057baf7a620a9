package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/github"
)

const actionHelp = `
The GitHub Action's entry point (the container runs it). It reads the inputs
the runner sets as INPUT_* variables and the GITHUB_* context, runs one
command (check, plan, push or parity) with Markdown output, and then:

  - writes the report to the step summary;
  - puts check problems and parity findings as annotations on the zone-file
    lines they are about;
  - on a pull request, keeps one sticky comment per command up to date (with
    the github-token input or GITHUB_TOKEN; GITHUB_API_URL is honoured);
  - sets the outputs exit-code, result (ok, problems, error) and report (the
    path of the JSON report).

Inputs: command (default check), args (extra arguments, split at blanks),
config (default dnsparity.yaml), github-token, comment (true/false).

Exit: the command's own exit code.`

func runAction(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("action", "", actionHelp)
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	r, err := github.New(a.getenv, a.stdout, nil)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity action: %v\n", err)
		return exitError
	}
	token := r.Input("github-token")
	if token == "" {
		token = a.getenv("GITHUB_TOKEN")
	}
	r.Mask(token)

	name := r.Input("command")
	if name == "" {
		name = "check"
	}
	var run func(context.Context, *app, []string) int
	for _, c := range commands() {
		if c.name == name && actionCommands[name] {
			run = c.run
		}
	}
	if run == nil {
		fmt.Fprintf(a.stderr, "dnsparity action: input command %q: want check, plan, push or parity\n", name)
		r.Output("exit-code", strconv.Itoa(exitError))
		r.Output("result", "error")
		return exitError
	}
	sub := []string{"--format", "markdown"}
	// The config input defaults to dnsparity.yaml; pass it on only when it
	// exists or was named (parity also runs from flags alone).
	if cfg := r.Input("config"); cfg != "" && name != "check" {
		if _, err := os.Stat(cfg); err == nil || cfg != "dnsparity.yaml" {
			sub = append(sub, "--config", cfg)
		}
	}
	sub = append(sub, strings.Fields(r.Input("args"))...)

	var md, js bytes.Buffer
	inner := &app{stdout: &md, stderr: a.stderr, getenv: a.getenv, jsonOut: &js}
	code := run(ctx, inner, sub)

	report := md.String()
	io.WriteString(a.stdout, report)
	r.Summary(report)
	r.Annotate(annotations(js.Bytes()))

	result := map[int]string{exitOK: "ok", exitProblem: "problems"}[code]
	if result == "" {
		result = "error"
	}
	r.Output("exit-code", strconv.Itoa(code))
	r.Output("result", result)
	if js.Len() > 0 {
		if path, err := a.saveReport(name, js.Bytes()); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity action: JSON report: %v\n", err)
		} else {
			r.Output("report", path)
		}
	}

	if comment := r.Input("comment"); comment != "false" && report != "" {
		if owner, repo, pr, ok := r.PullRequest(); ok {
			if token == "" {
				fmt.Fprintln(a.stderr, "dnsparity action: no github-token: the pull-request comment is skipped")
			} else if err := a.comment(ctx, r, token, owner, repo, pr, name, code, report); err != nil {
				// The report is in the summary; a comment that fails is not
				// the check failing.
				fmt.Fprintf(a.stderr, "dnsparity action: %v\n", err)
			}
		}
	}
	return code
}

// actionCommands are the commands the Action may run.
var actionCommands = map[string]bool{"check": true, "plan": true, "push": true, "parity": true}

func (a *app) comment(ctx context.Context, r *github.Runner, token, owner, repo string, pr int, name string, code int, report string) error {
	c, err := r.Client(token)
	if err != nil {
		return err
	}
	status := map[int]string{exitOK: "✅ passed", exitProblem: "❌ found problems"}[code]
	if status == "" {
		status = "⚠️ could not run"
	}
	body := fmt.Sprintf("### dnsparity %s: %s\n\n%s", name, status, report)
	_, err = github.StickyComment(ctx, c, owner, repo, pr, name, body)
	return err
}

// annotations turns a command's JSON report (check problems, parity
// findings; one object or an array of them) into file:line annotations.
func annotations(js []byte) []github.Annotation {
	type item struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Name     string `json:"name"`
		Type     string `json:"type"`
		Kind     string `json:"kind"`
		Detail   string `json:"detail"`
	}
	type planned struct {
		Provider string `json:"provider"`
		Changes  []struct {
			Action string `json:"action"`
			Name   string `json:"name"`
			Type   string `json:"type"`
			File   string `json:"file"`
			Line   int    `json:"line"`
		} `json:"changes"`
		Unsupported []struct {
			Name   string `json:"name"`
			Type   string `json:"type"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"unsupported"`
	}
	type doc struct {
		Problems []item    `json:"problems"`
		Findings []item    `json:"findings"`
		Plans    []planned `json:"plans"`
	}
	var docs []doc
	js = bytes.TrimSpace(js)
	if len(js) == 0 {
		return nil
	}
	if js[0] == '[' {
		if err := json.Unmarshal(js, &docs); err != nil {
			return nil
		}
	} else {
		var d doc
		if err := json.Unmarshal(js, &d); err != nil {
			return nil
		}
		docs = []doc{d}
	}
	level := func(sev string) string {
		switch sev {
		case "error", "warning":
			return sev
		}
		return "notice"
	}
	var out []github.Annotation
	for _, d := range docs {
		for _, p := range d.Problems {
			out = append(out, github.Annotation{File: p.File, Line: p.Line, Level: level(p.Severity), Title: "dnsparity check", Message: p.Message})
		}
		for _, f := range d.Findings {
			if f.File == "" {
				continue
			}
			msg := fmt.Sprintf("%s %s: %s", f.Name, f.Type, f.Detail)
			out = append(out, github.Annotation{File: f.File, Line: f.Line, Level: level(f.Severity), Title: "dnsparity parity: " + f.Kind, Message: msg})
		}
		for _, p := range d.Plans {
			for _, u := range p.Unsupported {
				out = append(out, github.Annotation{File: u.File, Line: u.Line, Level: "error", Title: "dnsparity plan: " + p.Provider,
					Message: fmt.Sprintf("%s %s cannot be held by provider %s: %s", u.Name, u.Type, p.Provider, u.Reason)})
			}
			for _, c := range p.Changes {
				if c.File == "" {
					continue
				}
				out = append(out, github.Annotation{File: c.File, Line: c.Line, Level: "notice", Title: "dnsparity plan: " + p.Provider,
					Message: fmt.Sprintf("%s %s %s at provider %s", c.Action, c.Name, c.Type, p.Provider)})
			}
		}
	}
	return out
}

// saveReport writes the JSON report where later steps of the job can read
// it. A container action sees only the workspace (mounted at
// GITHUB_WORKSPACE) of the runner's disk, not RUNNER_TEMP, so the report
// goes to .dnsparity/NAME.json in the workspace and the output is that
// path relative to it (the working directory of later steps). Outside
// Actions it goes to the temporary directory.
func (a *app) saveReport(name string, js []byte) (string, error) {
	rel := filepath.Join(".dnsparity", name+".json")
	if ws := a.getenv("GITHUB_WORKSPACE"); ws != "" {
		if err := os.MkdirAll(filepath.Join(ws, ".dnsparity"), 0o755); err != nil {
			return "", err
		}
		return rel, os.WriteFile(filepath.Join(ws, rel), js, 0o644)
	}
	path := filepath.Join(os.TempDir(), "dnsparity-"+name+".json")
	return path, os.WriteFile(path, js, 0o644)
}
