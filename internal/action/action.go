// Package action is the GitHub Action: it reads the inputs and the GITHUB_*
// context the runner sets, runs dnsparity's commands through the
// cli.Runner the binary hands it (reading each command's JSON report,
// so the Action and the command line share one contract), and reports the
// run to GitHub: the step summary, annotations or a check run, one sticky
// pull-request comment, the drift issue, the JSON report in the workspace,
// and the outputs. The composed commands pr, sync and drift live here;
// check, plan, push, parity and the cutover commands are run as they are.
package action

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/suggest"
)

// invocation is one run of the Action.
type invocation struct {
	cmds    cli.Runner
	stderr  io.Writer           // the log: untrusted text goes through logf
	getenv  func(string) string // the real environment (commands get maskingGetenv)
	r       *github.Runner
	token   string
	command string
	config  string // the config input as given ("" when absent)
	ws      string
	// configs reads each config once for the whole run: what its
	// variables hold is masked from the bytes the commands then load
	// (cli.IO.Configs).
	configs *config.Loads
	// zones limits a composed run (pr, sync, drift) to these zones: its
	// shard's, or those a pull request changed; nil: every zone.
	zones []string
	// shard is the shard of a matrix the run is (nil: not sharded).
	shard *shard.Spec
	// mergeScope says which zones a pull request's matrix split, for the
	// merge's report (pr-many.yml: pullRequestScope); nil otherwise.
	mergeScope *part
	// bases are the base branch's files read so far (readBase).
	bases map[string]baseFile
	// onto is mergedOnto's answer, once asked.
	onto *string
	// changes are the pull request's changes to its config compared so
	// far, by the config's path (configChange).
	changes map[string]configChange
	// changed is the pull request's list of changed files, once read
	// (changedFiles).
	changed *changedList
	// plain are the variables the config reads as no secret (a TSIG
	// key's name), which are not masked (readPlainEnvs).
	plain map[string]bool
	// masked are the variables masked before the run, by name
	// (maskEnv).
	masked map[string]string
	// alias names a file the run wrote for the commands (the pull
	// request's config with the base branch's settings, baseConfig) as
	// the reader knows it, in what the commands print (sub).
	alias *fileAlias
}

// fileAlias: where a command's output names file (its path ending in
// base, with or without a line), it says shown instead.
type fileAlias struct {
	re    *regexp.Regexp
	shown string
}

func newFileAlias(path, shown string) *fileAlias {
	return &fileAlias{re: regexp.MustCompile(`[^\s"'` + "`" + `]*` + regexp.QuoteMeta(filepath.Base(path)) + `(:[0-9]+)?`), shown: shown}
}

func (a *fileAlias) apply(b []byte) []byte {
	if a == nil {
		return b
	}
	return a.re.ReplaceAllLiteral(b, []byte(a.shown))
}

// baseFile is a file as the base branch has it, or why it could not be
// read.
type baseFile struct {
	b   []byte
	err error
}

// outcome is what a command run through the Action produced.
type outcome struct {
	exit     int
	verdict  string // one line
	body     string // Markdown, errors first; zone content escaped
	short    string // body collapsed for a comment ("" when there is none)
	errors   int
	warnings int
	changes  int
	notes    []runNote // lines about the run itself (not findings)
	// why is, in plain text, why the run could not run (errorResult):
	// the log's verdict line says it.
	why    string
	annots []github.Annotation
	json   []byte
	// jsonFile, when set, is a temporary file holding the JSON report
	// instead (secrets taken out), too large to hold: publish moves it
	// to the report's place.
	jsonFile string
	// checkRun: report through a check run on the commit.
	checkRun bool
	// track, when set, is the tracking issue to open (true) or close.
	track *tracking
	// noComment: no pull-request comment (matrix).
	noComment bool
	// outputs are more step outputs (matrix: the matrix).
	outputs map[string]string
	// title and reportName replace "dnsparity COMMAND" and COMMAND.json
	// (a merge reports the command its shards ran).
	title, reportName string
}

type tracking struct {
	label, title string
	open         bool
}

// Env is what the Action gets from the binary it runs in.
type Env struct {
	// Commands runs dnsparity's commands; the Action reads their JSON
	// reports.
	Commands       cli.Runner
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Environ, when set, lists the environment (os.Environ): every
	// variable whose name says it holds a secret is masked before
	// anything runs, also those the commands never read through Getenv
	// (the AWS SDK reads its own).
	Environ func() []string
	// Types checks the types of each config the run loads
	// (config.Loads.Types).
	Types func(*config.Config) error
}

// hyphenInputs are the inputs (action.yml) whose names hold a hyphen,
// which the runner keeps in the variable's name (INPUT_FAIL-ON).
var hyphenInputs = []string{"fail-on", "github-token", "github-login", "shards-result"}

// misnamedInput is the error for an input given the way a shell spells a
// variable, with an underscore for its hyphen (INPUT_FAIL_ON in a
// docker:// step's env): no runner sets that variable and nothing reads
// it, so fail-on: warning, say, would be ignored and a warning pass the
// step. The variable is named, never its value (it may be a token).
func misnamedInput(getenv func(string) string) error {
	for _, in := range hyphenInputs {
		up := strings.ToUpper(in)
		under, hyphen := "INPUT_"+strings.ReplaceAll(up, "-", "_"), "INPUT_"+up
		if getenv(under) != "" && getenv(hyphen) == "" {
			return fmt.Errorf("%s is set, but the input %s is read from %s (a hyphen stays a hyphen in the runner's input variables): rename the variable", under, in, hyphen)
		}
	}
	return nil
}

// Run runs the Action once: it reads the inputs (INPUT_*) and the GITHUB_*
// context from env.Getenv, runs the command the inputs name and reports
// it. It returns the exit code.
func Run(ctx context.Context, env Env) int {
	r, err := github.New(env.Getenv, env.Stdout, nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "dnsparity action: %v\n", err)
		return cli.ExitError
	}
	// One redaction for the whole run (redact.Secrets): every secret is
	// masked in the log in all its forms, including the Markdown-escaped
	// one, and taken out of every text before it is escaped or written.
	r.Secrets().Escapes = report.Escapes()
	inputErr := misnamedInput(env.Getenv)
	token, tokenEnv := r.Input("github-token"), "INPUT_GITHUB-TOKEN"
	if token == "" {
		token, tokenEnv = env.Getenv("GITHUB_TOKEN"), "GITHUB_TOKEN"
	}
	// A token too short to be masked (redact.Secrets ignores it: it
	// would replace ordinary text) is refused before it is sent, as the
	// config refuses a provider's short secret: a server that quotes it
	// would show it.
	var tokenErr error
	if redact.TooShort(token) {
		tokenErr = config.ShortSecretError("input github-token", tokenEnv)
		token = ""
	}
	r.Mask(token)
	ac := &invocation{cmds: env.Commands, stderr: env.Stderr, getenv: env.Getenv, r: r, token: token, command: r.Input("command"), config: r.Input("config"), ws: r.Workspace(), configs: &config.Loads{EnvNames: cli.EnvNames(env.Environ), Types: env.Types}}
	if ac.command == "" {
		ac.command = "check"
	}
	// Every secret the config names and every variable whose name says
	// it is one are masked before anything runs, and any other variable
	// a command reads is masked as it is read (maskingGetenv).
	// Not the variables the config reads as no secret (a TSIG key's
	// name, which may be the zone's own name).
	ac.readPlainEnvs()
	ac.maskEnvironment(env.Environ)
	ac.maskConfigSecrets()

	failOn := r.Input("fail-on")
	if failOn == "" {
		failOn = "error"
	}
	_, commentErr := ac.commentInput()
	var res outcome
	shardErr := ""
	if s := ac.shardArg(); s != "" && isComposedCommand(ac.command) {
		spec, err := shard.Parse(s)
		if err != nil {
			shardErr = err.Error()
		} else {
			ac.shard = &spec
		}
	} else if s != "" && knownCommand(ac.command) {
		shardErr = ac.shardElsewhere()
	}
	// A masked value that stands in what a command shows anyway (a zone's
	// name, a file's path, a record) is refused by the command, which
	// loads the config and the zones (cli.IO.Masked), before it sends or
	// shows anything of them.
	cfgErr := ac.confineConfig()
	switch {
	case inputErr != nil:
		res = ac.errorResult(inputErr.Error())
	case tokenErr != nil:
		res = ac.errorResult(tokenErr.Error())
	case cfgErr != nil:
		res = ac.errorResult(cfgErr.Error())
	case failOn != "error" && failOn != "warning":
		res = ac.errorResult(oneOf("fail-on", failOn, "error or warning", []string{"error", "warning"}))
	case commentErr != nil:
		res = ac.errorResult(commentErr.Error())
	case shardErr != "":
		res = ac.errorResult(shardErr)
	case ac.command == "matrix":
		res = ac.matrix(ctx)
	case ac.command == "merge":
		res = ac.merge(ctx)
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
		res = ac.errorResult(oneOf("command", ac.command, commandList(), commandNames))
	}
	if failOn == "warning" && res.exit == cli.ExitOK && res.warnings > 0 {
		res.exit = cli.ExitProblem
		res.notes = append(res.notes, mdNote(fmt.Sprintf("fail-on: warning: %s %s this step.", plural.N(res.warnings, "warning", "warnings"), map[bool]string{true: "fails", false: "fail"}[res.warnings == 1])))
	}
	if ac.shard != nil {
		// One shard of a matrix: the merge job reports the run (one
		// comment, check run and issue); this job's report is its artifact.
		res.json = ac.withShard(res.json)
		res.checkRun, res.track, res.noComment = false, nil, true
		res.notes = append(res.notes, mdNote(fmt.Sprintf("Shard %s of a matrix (%s): the merge job posts the comment, check run and issue; this job's JSON report is its artifact.", ac.shard, plural.N(len(ac.zones), "zone", "zones"))))
	}
	return ac.publish(ctx, res)
}

// shardElsewhere refuses a shard given to a command other than pr, sync
// and drift: the merge job reads only their shard reports and posts
// the one comment, check run and issue. Passed over, check, plan, push
// and parity ran over every zone in each of the matrix's jobs (push:
// every zone pushed by N jobs at once), or, with --shard in args, posted
// a comment and check run per job, each overwriting the last.
func (ac *invocation) shardElsewhere() string {
	given := "input shard"
	if strings.TrimSpace(ac.r.Input("shard")) == "" {
		given = "--shard in args"
	}
	msg := fmt.Sprintf("%s applies to pr, sync and drift (a matrix's shard jobs, whose reports the merge job combines), not to command %s", given, ac.command)
	switch {
	case isSingleCommand(ac.command):
		msg += fmt.Sprintf(": a matrix runs command sync, drift or pr per shard (sync-many.yml, drift-many.yml, pr-many.yml); `dnsparity %s --shard I/N` and `dnsparity merge` are the command line's", shell.Quote(ac.command))
	case ac.command == "matrix":
		msg += ": the matrix job splits the zones (args: --shards N)"
	case ac.command == "merge":
		msg += ": the merge job reads every shard's report (the reports input)"
	default:
		msg += ": a cutover step acts on the zones of its zone input"
	}
	return msg
}

// knownCommand: a command the Action runs.
func knownCommand(name string) bool {
	return slices.Contains(commandNames, name)
}

// isComposedCommand: pr, sync and drift, which a shard input limits.
func isComposedCommand(name string) bool {
	return name == "pr" || name == "sync" || name == "drift"
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

// trailDir is the audit trail's folder relative to the workspace, the
// config's cutover.state_dir, for the commands that write the trail (sync,
// push and the cutover commands): the example workflows commit and upload
// that folder (the output trail-dir), not the default a config may have
// moved. "" for another command, or when the config cannot be read (the
// run said why) or its state_dir leaves the workspace.
func (ac *invocation) trailDir() string {
	if !isCutoverCommand(ac.command) && ac.command != "sync" && ac.command != "push" {
		return ""
	}
	p := ac.configPath()
	if p == "" {
		return ""
	}
	cfg, err := ac.loadConfigAt(p)
	if err != nil {
		return ""
	}
	d, _ := ac.wsRel(cutover.StateDir(cfg))
	return d
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

func commandList() string {
	return strings.Join(commandNames[:len(commandNames)-1], ", ") + " or " + commandNames[len(commandNames)-1]
}

// commandNames are the command input's values, in commandList's order.
var commandNames = []string{"pr", "sync", "drift", "matrix", "merge", "check", "plan", "push", "parity", "status", "flip", "rollback", "finish"}

// oneOf is the error for input name's value v, which is none of words
// (listed as want): with the word it was likely meant as, one edit away or
// differing in case only ("chek", "Check": check).
func oneOf(name, v, want string, words []string) string {
	msg := fmt.Sprintf("input %s %q: want %s", name, v, want)
	if s, _ := suggest.Meant(v, words); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}

// errorResult is the outcome of a run that could not start; msg is
// plain text (redacted, then escaped).
func (ac *invocation) errorResult(msg string) outcome {
	return outcome{exit: cli.ExitError, verdict: "⚠️ could not run", body: "**Could not run:** " + ac.md(msg) + "\n", errors: 1, why: msg}
}

// md is text not ours for Markdown: secrets taken out first (an escaped
// secret no longer matches), then escaped.
func (ac *invocation) md(s string) string { return mdText(ac.r.Redact(s)) }

// logf writes a line about the run to the log: secrets taken out, and
// through Guard, as it may quote a server or a file.
func (ac *invocation) logf(format string, args ...any) {
	fmt.Fprint(github.Guard(ac.stderr), ac.r.Redact(fmt.Sprintf(format, args...)))
}

// noteChain reads the notes about a run as the outputs show them: after
// the verdict (the headline, shown apart), the notes' Markdown as the one
// paragraph GitHub reads (noteJoin: a code span or emphasis opened
// in one note closes in the next, a secret split across two notes is one
// text), each note's text as a line of the log, then the body after the
// last (log, comment, summary, tracking issue). A secret whose head ends
// one and whose rest starts the next is masked in both (ReplaceJoined).
// read takes the notes added since its last call (publish adds some as
// it goes: a report not saved, the GitHub API refused, a comment or issue
// not written) and reads every note again, with those after it.
type noteChain struct {
	sec      *redact.Secrets
	verdict  string
	md, text []string // the notes read, as written
}

func (c *noteChain) read(res *outcome) {
	if len(c.md) == len(res.notes) {
		return
	}
	for _, n := range res.notes[len(c.md):] {
		c.md, c.text = append(c.md, n.md), append(c.text, n.text)
	}
	md := c.sec.ReplaceJoined(c.verdict, c.md, noteJoin)
	// The log's lines are no Markdown: read apart, as ReplaceAfter
	// reads one line after another.
	text := c.sec.ReplaceJoined(c.verdict, c.text, "\n\n")
	for i := range res.notes {
		res.notes[i] = runNote{md: md[i], text: text[i]}
	}
	res.body = c.sec.ReplaceAfter(c.md[len(c.md)-1], res.body)
}

// publish reports res: log, check run or workflow-command annotations,
// sticky comment, step summary, JSON report and outputs. It returns the
// exit code.
func (ac *invocation) publish(ctx context.Context, res outcome) int {
	r := ac.r
	// Nothing that goes to GitHub holds a secret, even one that slipped
	// into a message: the verdict, then the body after it (the log, the
	// issue) and after the notes (noteChain: the summary, the comment).
	sec := r.Secrets()
	verdict := res.verdict
	res.verdict = sec.ReplaceAfter("", verdict)
	res.body, res.short = sec.ReplaceAfter(verdict, res.body), r.Redact(res.short)
	notes := noteChain{sec: sec, verdict: verdict}
	notes.read(&res)
	// Annotations are read one after another: a secret's head at the
	// end of one and the rest at the start of the next leave no piece
	// of redact.MinSplit characters (ReplaceAfter).
	prev := ""
	for i := range res.annots {
		m := res.annots[i].Message
		res.annots[i].Message = r.Secrets().ReplaceAfter(prev, m)
		res.annots[i].Title = r.Redact(res.annots[i].Title)
		prev = m
	}
	title := "dnsparity " + ac.command
	if res.title != "" {
		title = res.title
	}
	// A job run as a matrix over the config input: each leg has its own
	// comment and check run (the config in the marker's key and the
	// name); a single job's are as they were, so its comment is found.
	key, checkName := r.Job(), title
	if leg := ac.leg(); leg != "" {
		key += " " + leg
		checkName = title + " (" + leg + ")"
		title += " (" + mdText(leg) + ")"
	}
	head := fmt.Sprintf("## %s: %s\n\n", title, res.verdict)
	r.Log(head + res.body)
	if res.exit == cli.ExitError {
		why := ""
		if res.why != "" {
			why = ": " + res.why
		}
		ac.logf("dnsparity action: %s: %s%s\n", ac.command, res.verdict, why)
	}

	reportPath := ac.saveJSON(&res)

	owner, repo := r.Repo()
	client := ac.client(owner, &res)
	ac.annotate(ctx, client, owner, repo, checkName, head, &res)

	pointer := "the full report is in the job summary"
	if u := r.RunURL(); u != "" {
		pointer = "the full report is in the [job summary](" + u + ")"
	}
	if reportPath != "" {
		pointer += " and in the JSON report `" + mdText(reportPath) + "` (the `dnsparity-report` artifact in the example workflows)"
	}

	notes.read(&res)
	ac.comment(ctx, client, owner, repo, key, head, pointer, &res)
	exit := res.exit
	notes.read(&res)
	ac.track(ctx, client, owner, repo, head, pointer, &res)
	if res.exit != exit {
		// The run passed but its tracking issue could not be updated
		// (exit 2): the summary's headline says so, as the result does.
		head = fmt.Sprintf("## %s: ⚠️ error: the tracking issue could not be updated (see below)\n\nThe run itself: %s\n\n", title, res.verdict)
	}

	// The notes publish added (a report not saved, a comment or issue
	// not written) follow the others in the summary and the log: read
	// with them, in the one paragraph they make.
	notes.read(&res)
	r.Summary(head+notesMarkdown(res.notes)+res.body, "_Cut to GitHub's step-summary limit: the JSON report `"+mdText(reportPath)+"` has everything._")
	for _, n := range res.notes {
		ac.logf("dnsparity action: %s\n", n.text)
	}

	outs := []struct{ k, v string }{
		{"result", resultWord(res.exit)},
		{"exit-code", strconv.Itoa(res.exit)},
		{"errors", strconv.Itoa(res.errors)},
		{"warnings", strconv.Itoa(res.warnings)},
		{"changes", strconv.Itoa(res.changes)},
		{"report", reportPath},
	}
	if d := ac.trailDir(); d != "" {
		outs = append(outs, struct{ k, v string }{"trail-dir", d})
	}
	for _, k := range slices.Sorted(maps.Keys(res.outputs)) {
		outs = append(outs, struct{ k, v string }{k, res.outputs[k]})
	}
	for _, o := range outs {
		if err := r.Output(o.k, r.Redact(o.v)); err != nil {
			ac.logf("dnsparity action: %v\n", err)
		}
	}
	return res.exit
}

// leg tells one leg of a job run as a matrix over the config input from
// another: the config input when it is not the default (dnsparity.yaml),
// "" otherwise. (A shard of a matrix posts no comment or check run: the
// merge job does.)
func (ac *invocation) leg() string {
	c := strings.TrimSpace(ac.config)
	if c == "" {
		return ""
	}
	c = filepath.ToSlash(filepath.Clean(c))
	if c == config.FileName || c == "./"+config.FileName {
		return ""
	}
	return ac.r.Redact(c)
}

// client is the GitHub API client of the token (nil without a token or a
// repository, or when it cannot be made: res notes why).
func (ac *invocation) client(owner string, res *outcome) *github.Client {
	if ac.token == "" || owner == "" {
		return nil
	}
	c, err := ac.r.Client(ac.token)
	if err != nil {
		res.notes = append(res.notes, ac.errNote("GitHub API: ", err, ""))
		return nil
	}
	if login := ac.r.Input("github-login"); login != "" {
		c.SetIdentity(login) // an app token: GET /user cannot tell
	}
	return c
}

// annotate puts res's annotations on the zone-file lines: through a check
// run when the token may create one, else as workflow commands (GitHub
// shows 10 per level and step); res notes what was not shown and why.
func (ac *invocation) annotate(ctx context.Context, client *github.Client, owner, repo, title, head string, res *outcome) {
	if res.checkRun && client != nil && ac.r.SHA() != "" {
		err := ac.checkRun(ctx, client, owner, repo, title, head, *res)
		switch {
		case err == nil:
			return
		case github.IsForbidden(err):
			res.notes = append(res.notes, mdNote("The token may not create check runs (a fork's read-only token, or a job without `checks: write`): annotations are workflow commands."))
		default:
			res.notes = append(res.notes, ac.errNote("Check run failed: ", err, "; annotations are workflow commands."))
		}
	}
	if len(res.annots) == 0 {
		return
	}
	hidden := ac.r.Annotate(res.annots)
	var parts []string
	for _, l := range []string{"error", "warning", "notice"} {
		if hidden[l] > 0 {
			parts = append(parts, plural.N(hidden[l], l, l+"s"))
		}
	}
	if len(parts) > 0 {
		res.notes = append(res.notes, mdNote(fmt.Sprintf("GitHub shows %d annotations of each level per step: %s are not shown on the files (all are in the report below and in the log).",
			github.ShownPerLevel, strings.Join(parts, ", "))))
	}
}

func (ac *invocation) checkRun(ctx context.Context, c *github.Client, owner, repo, title, head string, res outcome) error {
	cr, err := c.StartCheckRun(ctx, owner, repo, title, ac.r.SHA())
	if err != nil {
		return err
	}
	as := make([]github.Annotation, len(res.annots))
	for i, an := range res.annots {
		an.File = ac.r.RelPath(an.File)
		as[i] = an
	}
	// Many zones: the first annotationsCap (errors first), in batches of
	// the API's 50; the report has every finding.
	as, left := capAnnotations(as)
	// The report as the comment has it (fitComment): collapsed when it
	// is over the check run's limit (GitHub's 65,535 characters), not
	// cut in the middle of its tables.
	sum := res
	sum.notes = nil
	if left > 0 {
		sum.notes = []runNote{mdNote(fmt.Sprintf("%d more annotations are not shown on the files (%d shown, errors first): every finding is in the report below and in the JSON report.", left, annotationsCap))}
	}
	body := fitComment(head, sum, "the full report is in the job summary and in the JSON report")
	return cr.Finish(ctx, github.Conclusion(res.exit), strings.TrimPrefix(strings.TrimSpace(head), "## "), body, as)
}

// truncated is md cut to GitHub's body limit with a pointer to the rest.
func truncated(md, pointer string) string {
	return github.Truncate(md, github.MaxBody-200, "_Cut to GitHub's size limit: "+pointer+"._")
}

// runNote is a line about the run itself (not a finding): Markdown for
// the step summary and the comment, plain text for the log, which shows
// Markdown's escapes as they are (a URL kept from linking as "http:?//").
type runNote struct{ md, text string }

// mdNote is a note whose only Markdown is code spans (`checks: write`),
// which read as text in the log too.
func mdNote(md string) runNote { return runNote{md: md, text: md} }

// errNote is a note quoting err between before and after (Markdown
// whose only markup is code spans): escaped in the Markdown, as it is in
// the log; secrets taken out of both.
func (ac *invocation) errNote(before string, err error, after string) runNote {
	return runNote{md: before + ac.md(err.Error()) + after, text: before + ac.r.Redact(err.Error()) + after}
}

// noteJoin joins the notes' Markdown as GitHub reads it: notesMarkdown
// writes the notes as one block quote, a note a line, which CommonMark
// reads as one paragraph, its lines joined by a line break once the
// quote's markers are taken out (0.31 §5.1 block quotes, §4.8 paragraphs,
// https://spec.commonmark.org/0.31.2/#block-quotes). noteChain reads the
// notes so joined.
const noteJoin = "\n"

// notesMarkdown is the notes as a block quote: their Markdown joined as
// GitHub reads it (noteJoin), every line marked, and a blank line after.
func notesMarkdown(notes []runNote) string {
	if len(notes) == 0 {
		return ""
	}
	mds := make([]string, len(notes))
	for i, n := range notes {
		mds[i] = n.md
	}
	return "> " + strings.ReplaceAll(strings.Join(mds, noteJoin), "\n", "\n> ") + "\n\n"
}

func resultWord(code int) string {
	switch code {
	case cli.ExitOK:
		return "ok"
	case cli.ExitProblem:
		return "problems"
	}
	return "error"
}

// saveReport writes the JSON report where later steps of the job can read
// it. A container action sees only the workspace (mounted at
// GITHUB_WORKSPACE) of the runner's disk, not RUNNER_TEMP, so the report
// goes to .dnsparity/NAME.json in the workspace and the output is that
// path relative to it (the working directory of later steps). Outside
// Actions it goes to the temporary directory.
func (ac *invocation) saveReport(name string, js io.Reader) (string, error) {
	rel := filepath.Join(".dnsparity", name+".json")
	if ac.ws != "" {
		// The workspace is the pull request's checkout: never write
		// through a symlink it placed (.dnsparity, or the report itself).
		if err := confine.WriteFrom(ac.ws, filepath.Join(ac.ws, rel), js, 0o644); err != nil {
			return "", fmt.Errorf("save the report: %w", err)
		}
		return filepath.ToSlash(rel), nil
	}
	// Replaced whole (confine.WriteFrom), as in the workspace: a report
	// that fails half-way leaves the one saved before, not a part.
	path := filepath.Join(os.TempDir(), "dnsparity-"+name+".json")
	if err := confine.WriteFrom(os.TempDir(), path, js, 0o644); err != nil {
		return "", fmt.Errorf("save the report: %w", err)
	}
	return path, nil
}

// saveJSON saves res's JSON report, named res.reportName or else the
// command: res.json (its secrets taken out) or the temporary file
// res.jsonFile. It returns where ("" when res has none, or it could not
// be saved: a note of res says so).
func (ac *invocation) saveJSON(res *outcome) string {
	name := cmp.Or(res.reportName, ac.command)
	var p string
	var err error
	switch {
	case len(res.json) > 0:
		res.json = ac.r.Secrets().ReplaceBytes(res.json)
		p, err = ac.saveReport(name, bytes.NewReader(res.json))
	case res.jsonFile != "":
		p, err = ac.saveReportFile(name, res.jsonFile)
	default:
		return ""
	}
	if err != nil {
		res.notes = append(res.notes, ac.errNote("The JSON report could not be saved: ", err, ""))
		return ""
	}
	return p
}

// saveReportFile is saveReport of the JSON report in the temporary file
// path, copied as it is read, then removed.
func (ac *invocation) saveReportFile(name, path string) (string, error) {
	defer os.Remove(path)
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("save the report: %w", err)
	}
	defer f.Close()
	return ac.saveReport(name, f)
}

// comment posts the run's sticky comment (one per job and leg, key) on a
// pull request, unless the comment input is false; a failure is a note.
func (ac *invocation) comment(ctx context.Context, client *github.Client, owner, repo, key, head, pointer string, res *outcome) {
	r := ac.r
	if on, _ := ac.commentInput(); !on {
		return
	}
	if pr, ok := r.PullRequest(); ok && !res.noComment {
		switch {
		case client == nil:
			res.notes = append(res.notes, mdNote("No github-token: no pull-request comment; this summary is the report."))
		default:
			body := r.Redact(fitComment(head, *res, pointer))
			if _, _, err := client.StickyComment(ctx, owner, repo, pr.Number, key, body); err != nil {
				n := ac.errNote("The pull-request comment could not be posted (", err, "): this summary is the report.")
				if github.IsForbidden(err) {
					n = mdNote("The pull-request comment could not be posted (the token may not comment (a fork's read-only token, or a job without `pull-requests: write`)): this summary is the report.")
				}
				res.notes = append(res.notes, n)
				ac.logf("dnsparity action: comment: %v\n", err)
			}
		}
	}
}

// track opens, updates or closes the tracking issue of a run that keeps
// one (drift); a failure is a note and, on a run that passed, exit 2.
func (ac *invocation) track(ctx context.Context, client *github.Client, owner, repo, head, pointer string, res *outcome) {
	if t := res.track; t != nil && client != nil {
		body := truncated(head+res.body, pointer)
		tr, err := client.Track(ctx, owner, repo, t.label, t.title, body, t.open, "The drift is gone: every provider matches git again.\n\n"+head)
		if err != nil {
			res.notes = append(res.notes, ac.errNote("The tracking issue could not be updated: ", err, ""))
			if res.exit == cli.ExitOK {
				res.exit = cli.ExitError
			}
		} else if tr.Action != "none" {
			res.notes = append(res.notes, mdNote(fmt.Sprintf("Tracking issue #%d %s.", tr.Number, tr.Action)))
		}
	} else if t != nil {
		res.notes = append(res.notes, mdNote("No github-token: the tracking issue was not updated."))
	}
}

// commentInput is the comment input, a boolean as the Actions toolkit
// reads one (core.getBooleanInput: true, True, TRUE, false, False, FALSE;
// anything else is an error); empty is its default, true.
func (ac *invocation) commentInput() (bool, error) {
	switch v := ac.r.Input("comment"); v {
	case "", "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	default:
		return false, fmt.Errorf("input comment %q: want true or false", v)
	}
}
