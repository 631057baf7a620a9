// Command dnsparity makes DNS provider migrations safe: it checks zone files,
// pushes them to the old and the new provider, proves that both providers'
// authoritative servers give the same answers, and flips the delegation only
// when they do.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/suggest"
)

// Exit codes (docs/ARCHITECTURE.md): 0 success / parity / nothing to do;
// 1 the check found problems; 2 could not run.
const (
	exitOK      = cli.ExitOK
	exitProblem = cli.ExitProblem
	exitError   = cli.ExitError
)

// app carries what a command needs from its surroundings, so that tests can
// run commands in-process.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// jsonOut, when set, also receives the JSON report of check, plan, push
	// and parity whatever --format is (the Action uses it for annotations).
	jsonOut io.Writer
	// environ lists the environment (os.Environ; nil in tests): the Action
	// masks every variable whose name says it is a secret.
	environ func() []string
	// redact, when set, takes the secrets a caller knows out of what a
	// command writes to files (the audit trail): cli.IO.Redact.
	redact func(string) string
	// masked are the values the caller masks, by variable (cli.IO.Masked):
	// every config a command loads takes them as its secrets (Mask).
	masked map[string]string
	// beforeApply, when set, runs just before push changes a provider's
	// zone (tests: another writer between plan and push).
	beforeApply func(provider, zone string)
	// progress, when set, is where parity (one zone's answers, or the
	// zones of a run over several) and the cutover steps show how far
	// they have got (tests; nil: a progress.Printer on stderr, see
	// progressTo).
	progress prog.Progress
	// stepLog: stdout and stderr are the log of a GitHub Actions step
	// (GITHUB_ACTIONS=true: the binary run from a workflow's script), which
	// the runner reads line by line for workflow commands. main then
	// writes both through github.Guard: what a command prints quotes zone
	// files and their names, the config and servers' answers (pull-request
	// and provider content), and no line of it may be a command
	// (::add-mask::, ::stop-commands::, ##[error] ...); the Markdown
	// report through github.GuardMarkdown, which keeps the zero-width
	// joiners that keep its mentions and autolinks off. Not the action
	// command, which writes workflow commands of its own and guards what
	// it relays.
	stepLog bool
	// terminal: stdout and stderr are the program's own outside a step
	// log (terminalApp), which a terminal may show: main redacts what a
	// command prints as in a step log (redacted), without the step
	// log's guards.
	terminal bool
	// console, when set, is the terminal's Console the progress is drawn
	// on while stderr is redacted on its way there (redacted).
	console io.Writer
	// jsonStream, when set, is where a JSON report written as it goes
	// (a step over several zones: report.WaveWriter) is written instead
	// of stdout, each value redacted by jsonRedact on its way (redacted:
	// stdout holds a JSON report whole until the end, to redact it).
	jsonStream io.Writer
	jsonRedact func([]byte) []byte
	// secrets are the run's set (redact.FromContext, set by main): a
	// report's plain values are redacted with it before a renderer
	// escapes them (redact.Plain); what is printed is redacted again.
	secrets *redact.Secrets
	// configs is what every config the command loads is loaded with:
	// a redacted run's (redacted) loads its config once, to read the
	// secret variables it names before the command starts, and the
	// command takes the same config (nil: each load reads the file).
	configs *config.Loads
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) int
	// noSecret: the command reads no secret and sends nothing over
	// HTTP (the zone files, the config's zones, reports), so it runs
	// whatever GODEBUG says (cli.HTTP2Debug).
	noSecret bool
}

func commands() []command {
	return []command{
		{"check", "validate zone files (syntax and named-checkzone-level semantics)", runCheck, true},
		{"plan", "show what push would change at each provider", runPlan, false},
		{"push", "apply the plan to the providers", runPush, false},
		{"parity", "compare the old and the new provider's authoritative answers", runParity, false},
		{"import", "write a provider's live zone as a BIND zone file", runImport, false},
		{"status", "where a zone's cutover stands, from live DNS", runStatus, false},
		{"flip", "move the delegation to the new provider when every gate passes", runFlip, false},
		{"rollback", "move the delegation back to the old provider", runRollback, false},
		{"finish", "end the migration after the overlap", runFinish, false},
		{"ttl", "cap the TTLs of zone files in place (pre-stage a cutover)", runTTL, true},
		{"matrix", "split the zones into balanced shards for a GitHub Actions matrix", runMatrix, true},
		{"merge", "combine the shards' JSON reports into one", runMerge, true},
		{"demo", "run the whole migration story on an embedded lab (nothing to install)", runDemo, false},
		{"action", "the GitHub Action's entry point (reads INPUT_* and GITHUB_*)", runAction, false},
		{"version", "print the version", runVersion, true},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := terminalApp(os.Stdout, os.Stderr, os.Getenv, os.Environ)
	a.stepLog = os.Getenv("GITHUB_ACTIONS") == "true"
	os.Exit(a.main(ctx, os.Args[1:]))
}

// terminalApp is the program's app on its own stdout and stderr, which
// a terminal may show: a server's text a command quotes (a provider's
// error) reaches them with every control character written as its
// escape (progress.Printable: no ESC sequence, carriage return or C1
// control raw). stderr is a Console: the progress bars drawn on it and
// the plain lines written to it (parity's notes over many zones) never
// share a terminal line, and its plain lines are Printable too.
//
// A command run so prints what servers hold (a provider's records, the
// answers parity compares), which may hold a secret the run reads: it
// is redacted as in a step log (terminal, redacted).
func terminalApp(stdout, stderr io.Writer, getenv func(string) string, environ func() []string) *app {
	return &app{stdout: prog.Printable(stdout), stderr: prog.NewConsole(stderr), getenv: getenv, environ: environ, terminal: true}
}

// progressTo is where the command cmd shows how far its long work has
// got: a.progress when set, else a progress.Printer on stderr; each task
// says what its total counts (progress.StartUnits).
func (a *app) progressTo(cmd string) prog.Progress {
	if a.progress != nil {
		return a.progress
	}
	if a.console != nil {
		return prog.NewPrinter(a.console, cmd)
	}
	return prog.NewPrinter(a.stderr, cmd)
}

func (a *app) main(ctx context.Context, args []string) int {
	if (a.stepLog || a.terminal) && len(args) > 0 && args[0] != "action" {
		return a.redacted(ctx, args)
	}
	if redact.FromContext(ctx) == nil {
		// A run given its writers by a caller (in-process, with no
		// set: tests) redacts nothing it prints, but what servers send
		// is redacted where it comes in (redact.ServerText) of the
		// secrets the run learns (an STS session) too; a step log's
		// and a terminal's runs attach their set (redacted).
		ctx = redact.WithSecrets(ctx, &redact.Secrets{})
	}
	a.secrets = redact.FromContext(ctx)
	if a.configs == nil {
		// Every config a command loads goes through one Loads, which
		// refuses a type no package registers (knownTypes).
		a.configs = &config.Loads{EnvNames: cli.EnvNames(a.environ), Types: knownTypes}
	}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		return runVersion(ctx, a, nil)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return a.main(ctx, []string{args[1], "-h"})
		}
		if len(args) == 0 { // not asked for: a usage error, on stderr
			a.usage(a.stderr)
			return exitError
		}
		a.usage(a.stdout)
		return exitOK
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			if !c.noSecret {
				if err := cli.HTTP2Debug(a.getenv, os.Getenv); err != nil {
					fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", c.name, err)
					return exitError
				}
			}
			return c.run(ctx, a, args[1:])
		}
		names = append(names, c.name)
	}
	if strings.HasPrefix(args[0], "-") {
		// A flag before the command, as tools with global flags take
		// them: the command line to run (quoted, to paste), not "unknown
		// command" and the whole help.
		for i, arg := range args[1:] {
			if slices.Contains(names, arg) {
				line := append([]string{"dnsparity", arg}, args[:i+1]...)
				line = append(line, args[i+2:]...)
				fmt.Fprintf(a.stderr, "dnsparity: flags come after the command: %s\n", shell.Line(line...))
				return exitError
			}
		}
		name, _, _ := strings.Cut(args[0], "=")
		fmt.Fprintf(a.stderr, "dnsparity: %s is a flag, and no command is given: dnsparity COMMAND [flags] (dnsparity --help lists the commands)\n", name)
		return exitError
	}
	fmt.Fprintf(a.stderr, "dnsparity: unknown command %q", args[0])
	if s := suggest.Closest(args[0], nil, names); s != "" {
		fmt.Fprintf(a.stderr, " (did you mean %s?)", s)
	}
	fmt.Fprint(a.stderr, "\n\n")
	a.usage(a.stderr)
	return exitError
}

// redacted runs a command whose stdout and stderr are a workflow step's
// log (stepLog) or a terminal's (terminal). The runner masks in a log only
// the secrets it was given, as they are and in a few encodings, and a
// terminal nothing; a server's error may quote a key in another form
// (JSON with the solidus escaped, then Markdown-escaped), and a server
// may serve one in a record a report quotes. So what the command prints
// is first redacted, as the Action redacts it, with every variable the
// command reads that may hold a secret (cli.HoldsSecret) and every
// secret it learns as it runs (redact.WithSecrets) in every form
// (redact.Secrets), then, in a step log, guarded (a terminal's writers
// are Printable already: terminalApp). The audit trail gets the same
// redaction. A JSON report is redacted whole at the end, so that only
// its strings change.
func (a *app) redacted(ctx context.Context, args []string) int {
	g := *a
	g.stepLog, g.terminal = false, false
	guard, guardMarkdown := github.Guard, github.GuardMarkdown
	if !a.stepLog {
		same := func(w io.Writer) io.Writer { return w }
		guard, guardMarkdown = same, same
		g.console = a.stderr // the progress bar, on the terminal's Console
	}
	sec := &redact.Secrets{Escapes: report.Escapes()}
	if g.configs == nil {
		g.configs = &config.Loads{EnvNames: cli.EnvNames(a.environ), Types: knownTypes}
	}
	// Each variable read once (Loads.Getenv): what the redaction knows
	// is what the command uses.
	g.getenv = g.configs.Getenv(func(k string) string {
		v := a.getenv(k)
		if v != "" && cli.HoldsSecret(k) {
			sec.Add(v)
		}
		return v
	})
	g.redact = sec.Replace
	ctx = redact.WithSecrets(ctx, sec)
	stderr := redact.NewWriter(sec, guard(a.stderr))
	g.stderr = stderr
	var stdout io.Writer
	var whole *bytes.Buffer
	switch formatIn(args[1:]) {
	case "json":
		whole = &bytes.Buffer{}
		g.stdout = whole
		g.jsonStream, g.jsonRedact = guard(a.stdout), sec.ReplaceBytes
	case "markdown":
		stdout = guardMarkdown(a.stdout)
	default:
		stdout = guard(a.stdout)
	}
	var lines *redact.Writer
	if whole == nil {
		lines = redact.NewWriter(sec, stdout)
		g.stdout = lines
	}
	// The secrets the config's variables hold, known before the command
	// reads anything: a zone file's line quoting one (a TSIG secret
	// pasted into a record) is printed by check's or parity's error
	// before any provider's setup would read the variable.
	// And the credentials it writes into a URL, as the Action masks them.
	for _, c := range config.ReadSecretsOf(g.configs, cli.Last(cli.FlagValues(args[1:], "config")), ".", g.getenv) {
		sec.Add(c)
	}
	code := g.main(ctx, args)
	if whole != nil {
		_, _ = guard(a.stdout).Write(sec.ReplaceBytes(whole.Bytes()))
	} else {
		_ = lines.Flush()
	}
	_ = stderr.Flush()
	return code
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, "dnsparity: parity-then-flip DNS provider migrations.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: dnsparity COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	width := 0
	for _, c := range cs {
		width = max(width, len(c.name))
	}
	for _, c := range cs {
		fmt.Fprintf(w, "  %s%s  %s\n", c.name, strings.Repeat(" ", width-len(c.name)), c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'dnsparity COMMAND -h' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 problems found, 2 could not run.")
}
