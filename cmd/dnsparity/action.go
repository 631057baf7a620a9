package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/github"
)

const actionHelp = `
The GitHub Action's entry point (the container runs it). It reads the inputs
the runner sets as INPUT_* variables and the GITHUB_* context, runs one
command, and reports it:

  pr        check the zone files, plan both providers (never push; skipped
            on fork pull requests), parity of what both providers serve now
            against the pull request's zone files: one sticky comment
  sync      push to both providers, one at a time (a failing provider stops
            the sync before the next is touched), then parity must hold
  drift     plan --detect-drift per provider; one labelled tracking issue is
            opened, updated while drift lasts, closed when it is gone
  status, flip, rollback, finish
            the cutover commands for the zone input
  check, plan, push, parity
            one command (args input: extra arguments)

Every run writes the report to the step summary, annotates the zone-file
lines (through a check run; as workflow commands when the token may not
create one), keeps one sticky comment per pull request and job, saves the
JSON report in the workspace (.dnsparity/COMMAND.json) and sets the outputs
result (ok, problems, error), exit-code, errors, warnings, changes, report.

Inputs: command (default check), zone, config (default dnsparity.yaml),
args, github-token (default GITHUB_TOKEN), github-login (the login of an
app token, e.g. my-app[bot]; GET /user tells it for personal tokens),
comment (true/false), fail-on (error or warning; warning makes warnings
fail the step).

Exit: 0 ok, 1 problems found (or warnings with fail-on: warning), 2 could
not run.`

// actionRun is one run of the Action.
type actionRun struct {
	a       *app // the app the commands run in (getenv masks secrets)
	getenv  func(string) string
	r       *github.Runner
	token   string
	command string
	config  string // the config input as given ("" when absent)
	ws      string
}

// actionResult is what a command run through the Action produced.
type actionResult struct {
	exit     int
	verdict  string // one line
	body     string // Markdown, errors first; zone content escaped
	short    string // body collapsed for a comment ("" when there is none)
	errors   int
	warnings int
	changes  int
	notes    []string // Markdown lines about the run itself (not findings)
	annots   []github.Annotation
	json     []byte
	// checkRun: report through a check run on the commit.
	checkRun bool
	// track, when set, is the tracking issue to open (true) or close.
	track *actTracking
}

type actTracking struct {
	label, title string
	open         bool
}

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
	ac := &actionRun{a: a, getenv: a.getenv, r: r, token: token, command: r.Input("command"), config: r.Input("config"), ws: r.Workspace()}
	if ac.command == "" {
		ac.command = "check"
	}
	// Every secret the config names is masked before anything runs, and
	// any other variable a command reads is masked as it is read.
	ac.maskConfigSecrets()
	inner := *a
	inner.getenv = ac.maskingGetenv
	ac.a = &inner

	failOn := r.Input("fail-on")
	if failOn == "" {
		failOn = "error"
	}
	var res actionResult
	switch {
	case failOn != "error" && failOn != "warning":
		res = actErrorResult(fmt.Sprintf("input fail-on %q: want error or warning", failOn))
	case ac.command == "pr":
		res = ac.pr(ctx)
	case ac.command == "sync":
		res = ac.sync(ctx)
	case ac.command == "drift":
		res = ac.drift(ctx)
	case isSingleCommand(ac.command):
		res = ac.single(ctx, ac.command)
	case isCutoverCommand(ac.command):
		res = ac.cutover(ctx, ac.command)
	default:
		res = actErrorResult(fmt.Sprintf("input command %q: want %s", ac.command, actCommandList()))
	}
	if failOn == "warning" && res.exit == exitOK && res.warnings > 0 {
		res.exit = exitProblem
		res.notes = append(res.notes, fmt.Sprintf("fail-on: warning: %d warnings fail this step.", res.warnings))
	}
	return ac.publish(ctx, res)
}

// isSingleCommand: the command is run as it is (the args input adds
// arguments).
func isSingleCommand(name string) bool {
	switch name {
	case "check", "plan", "push", "parity":
		return true
	}
	return false
}

// isCutoverCommand: the command is dispatched by name to the subcommand of
// that name, with --zone from the zone input.
func isCutoverCommand(name string) bool {
	switch name {
	case "status", "flip", "rollback", "finish":
		return true
	}
	return false
}

func actCommandList() string {
	return "pr, sync, drift, check, plan, push, parity, status, flip, rollback or finish"
}

func actErrorResult(msg string) actionResult {
	return actionResult{exit: exitError, verdict: "⚠️ could not run", body: "**Could not run:** " + actText(msg) + "\n", errors: 1}
}

// publish reports res: log, check run or workflow-command annotations,
// sticky comment, step summary, JSON report and outputs. It returns the
// exit code.
func (ac *actionRun) publish(ctx context.Context, res actionResult) int {
	a, r := ac.a, ac.r
	// Nothing that goes to GitHub holds a secret, even one that slipped
	// into a message.
	res.verdict, res.body, res.short = r.Redact(res.verdict), r.Redact(res.body), r.Redact(res.short)
	for i := range res.annots {
		res.annots[i].Message = r.Redact(res.annots[i].Message)
	}
	title := "dnsparity " + ac.command
	head := fmt.Sprintf("## %s: %s\n\n", title, res.verdict)
	r.Log(head + res.body)
	if res.exit == exitError {
		fmt.Fprintf(a.stderr, "dnsparity action: %s: %s\n", ac.command, res.verdict)
	}

	var reportPath string
	if len(res.json) > 0 {
		p, err := ac.saveReport(ac.command, res.json)
		if err != nil {
			res.notes = append(res.notes, "The JSON report could not be saved: "+actText(err.Error()))
		} else {
			reportPath = p
		}
	}

	owner, repo := r.Repo()
	var client *github.Client
	if ac.token != "" && owner != "" {
		c, err := r.Client(ac.token)
		if err != nil {
			res.notes = append(res.notes, "GitHub API: "+actText(err.Error()))
		} else {
			if login := r.Input("github-login"); login != "" {
				c.SetIdentity(login) // an app token: GET /user cannot tell
			}
			client = c
		}
	}

	// Annotations: a check run when the token may create one, else
	// workflow commands (GitHub shows 10 per level and step).
	annotated := false
	if res.checkRun && client != nil && r.SHA() != "" {
		err := ac.checkRun(ctx, client, owner, repo, title, head, res)
		switch {
		case err == nil:
			annotated = true
		case github.IsForbidden(err):
			res.notes = append(res.notes, "The token may not create check runs (a fork's read-only token): annotations are workflow commands.")
		default:
			res.notes = append(res.notes, "Check run failed: "+actText(err.Error())+"; annotations are workflow commands.")
		}
	}
	if !annotated && len(res.annots) > 0 {
		hidden := r.Annotate(res.annots)
		var parts []string
		for _, l := range []string{"error", "warning", "notice"} {
			if hidden[l] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", hidden[l], actPlural(hidden[l], l)))
			}
		}
		if len(parts) > 0 {
			res.notes = append(res.notes, fmt.Sprintf("GitHub shows %d annotations of each level per step: %s are not shown on the files (all are in the report below and in the log).",
				github.ShownPerLevel, strings.Join(parts, ", ")))
		}
	}

	pointer := "the full report is in the job summary"
	if u := r.RunURL(); u != "" {
		pointer = "the full report is in the [job summary](" + u + ")"
	}
	if reportPath != "" {
		pointer += " and in the JSON report `" + actText(reportPath) + "` (the `dnsparity-report` artifact in the example workflows)"
	}

	// The sticky comment: on a pull request, one per job.
	if pr, ok := r.PullRequest(); ok && r.Input("comment") != "false" {
		switch {
		case client == nil:
			res.notes = append(res.notes, "No github-token: no pull-request comment; this summary is the report.")
		default:
			body := r.Redact(actFitComment(head, res, pointer))
			if _, _, err := client.StickyComment(ctx, owner, repo, pr.Number, r.Job(), body); err != nil {
				why := actText(err.Error())
				if github.IsForbidden(err) {
					why = "the token may not comment (a fork's read-only token)"
				}
				res.notes = append(res.notes, "The pull-request comment could not be posted ("+why+"): this summary is the report.")
				fmt.Fprintf(a.stderr, "dnsparity action: comment: %v\n", err)
			}
		}
	}

	// The tracking issue (drift).
	if t := res.track; t != nil && client != nil {
		body := actTruncated(head+res.body, pointer)
		tr, err := client.Track(ctx, owner, repo, t.label, t.title, body, t.open, "The drift is gone: every provider matches git again.\n\n"+head)
		if err != nil {
			res.notes = append(res.notes, "The tracking issue could not be updated: "+actText(err.Error()))
			if res.exit == exitOK {
				res.exit = exitError
			}
		} else if tr.Action != "none" {
			res.notes = append(res.notes, fmt.Sprintf("Tracking issue #%d %s.", tr.Number, tr.Action))
		}
	} else if t != nil {
		res.notes = append(res.notes, "No github-token: the tracking issue was not updated.")
	}

	for i := range res.notes {
		res.notes[i] = r.Redact(res.notes[i])
	}
	r.Summary(head+actNotes(res.notes)+res.body, "_Cut to GitHub's step-summary limit: the JSON report `"+actText(reportPath)+"` has everything._")
	for _, n := range res.notes {
		fmt.Fprintf(a.stderr, "dnsparity action: %s\n", n)
	}

	outs := []struct{ k, v string }{
		{"result", actResultWord(res.exit)},
		{"exit-code", strconv.Itoa(res.exit)},
		{"errors", strconv.Itoa(res.errors)},
		{"warnings", strconv.Itoa(res.warnings)},
		{"changes", strconv.Itoa(res.changes)},
		{"report", reportPath},
	}
	for _, o := range outs {
		if err := r.Output(o.k, o.v); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity action: %v\n", err)
		}
	}
	return res.exit
}

func (ac *actionRun) checkRun(ctx context.Context, c *github.Client, owner, repo, title, head string, res actionResult) error {
	cr, err := c.StartCheckRun(ctx, owner, repo, title, ac.r.SHA())
	if err != nil {
		return err
	}
	as := make([]github.Annotation, len(res.annots))
	for i, an := range res.annots {
		an.File = ac.r.RelPath(an.File)
		as[i] = an
	}
	return cr.Finish(ctx, github.Conclusion(res.exit), strings.TrimPrefix(strings.TrimSpace(head), "## "), head+res.body, as)
}

// actTruncated is md cut to GitHub's body limit with a pointer to the rest.
func actTruncated(md, pointer string) string {
	return github.Truncate(md, github.MaxBody-200, "_Cut to GitHub's size limit: "+pointer+"._")
}

func actNotes(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range notes {
		b.WriteString("> " + n + "\n")
	}
	return b.String() + "\n"
}

func actResultWord(code int) string {
	switch code {
	case exitOK:
		return "ok"
	case exitProblem:
		return "problems"
	}
	return "error"
}

func actPlural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// saveReport writes the JSON report where later steps of the job can read
// it. A container action sees only the workspace (mounted at
// GITHUB_WORKSPACE) of the runner's disk, not RUNNER_TEMP, so the report
// goes to .dnsparity/NAME.json in the workspace and the output is that
// path relative to it (the working directory of later steps). Outside
// Actions it goes to the temporary directory.
func (ac *actionRun) saveReport(name string, js []byte) (string, error) {
	rel := filepath.Join(".dnsparity", name+".json")
	if ac.ws != "" {
		if err := os.MkdirAll(filepath.Join(ac.ws, ".dnsparity"), 0o755); err != nil {
			return "", fmt.Errorf("save the report: %w", err)
		}
		if err := os.WriteFile(filepath.Join(ac.ws, rel), js, 0o644); err != nil {
			return "", fmt.Errorf("save the report: %w", err)
		}
		return filepath.ToSlash(rel), nil
	}
	path := filepath.Join(os.TempDir(), "dnsparity-"+name+".json")
	if err := os.WriteFile(path, js, 0o644); err != nil {
		return "", fmt.Errorf("save the report: %w", err)
	}
	return path, nil
}
