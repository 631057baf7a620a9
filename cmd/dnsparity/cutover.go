package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
)

const cutoverHelp = `
The delegation moves only when it is safe (see internal/cutover/README.md).

status:   where the cutover stands, from the parent's own servers: NS/DS and
          their TTLs, which side the delegation points to, TTL pre-staging
          and when the old TTLs have expired, parity, DNSSEC, the stage from
          the audit trail checked against live DNS, both sides' delegation
          checks as a table, what the resolvers answer from (after a flip:
          an error when one still answers from old after both NS TTLs), and
          the earliest time of each next step.
flip:     gates points-to-old, parent-servers, parity, ttl-prestaged,
          ttl-expired, new-authoritative, drift, old-complete, dnssec,
          delegation (the NS set, glue and DS it installs, checked at
          Zonemaster's level; policy.registry, policy.delegation); then
          replaces the NS set (and glue) at the registrar, confirms it at
          every parent server and watches the resolvers move.
          --from-current takes the parent's delegation as the one a
          rollback restores when it is not the expected old one.
          --emergency (the old provider is down): gates parent-servers,
          old-down, new-matches-git, new-authoritative, new-complete,
          dnssec, delegation instead.
rollback: gates points-to-new, parent-servers, old-parity, new-complete,
          old-complete, dnssec and delegation (against the old side), then
          restores the NS set, glue and DS recorded before the flip,
          exactly, the same way. --emergency (the new provider is down):
          gates points-to-new, parent-servers, new-down, old-matches-git,
          old-authoritative, old-complete, dnssec, delegation instead.
finish:   refuses before policy.overlap has passed since the flip, after a
          rollback, while old and new differ, or while a parent server,
          either side's apex NS or a target in git names an old server
          (gates overlap, parent-servers, parity, old-unreferenced); then
          records the end.

Each gate, and each step's gates in the order its report lists them:
docs/ARCHITECTURE.md, "The cutover's gates".

Several zones (--zone repeated, or --zones-from FILE: one name a line, #
comments): each zone is set up, gated and recorded on its own (one trail
entry per zone), in waves of policy.wave zones at once (--wave; default 1,
status and --dry-run 8), the next wave starting when one is done (status,
and a dry run without --stop-on-refusal, which only read: that many zones
at once, the next starting as one ends); --stop-on-refusal (flip,
rollback, finish) starts no wave after one in which a zone was refused or
could not run. flip, rollback and finish (--dry-run too) look every name
up first: one not under zones: starts no zone (each report says why,
exit 2). One summary at the
end names the zones done, refused, failed and not started; JSON:
{"reports": [...], "summary": {...}, "exit"}; exit: the worst zone's (a
zone not started counts as refused).

Every step is appended to the audit trail (cutover.state_dir, default
.dnsparity/cutover/ZONE.json). Exit: 0 done (--dry-run: every gate passes;
status: reported), 1 refused (every unmet gate named, the registrar
untouched), 2 could not run (registrar or server error; the report says what
was done), and 2 for flip, rollback and finish, a dry run too, whose report
names an error (e.g. the audit trail and the parent disagree).`

type cutoverFlags struct {
	zones       multiFlag
	zonesFrom   string
	named       config.ZoneArgs // zones and zonesFrom's, read
	wave        int
	stop        bool
	config      string
	format      formatFlag
	dryRun      bool
	emergency   bool
	fromCurrent bool
	watch       time.Duration
}

func runStatus(ctx context.Context, a *app, args []string) int {
	return a.runCutover(ctx, "status", args)
}

func runFlip(ctx context.Context, a *app, args []string) int {
	return a.runCutover(ctx, "flip", args)
}

func runRollback(ctx context.Context, a *app, args []string) int {
	return a.runCutover(ctx, "rollback", args)
}

func runFinish(ctx context.Context, a *app, args []string) int {
	return a.runCutover(ctx, "finish", args)
}

func (a *app) runCutover(ctx context.Context, cmd string, args []string) int {
	f, code, ok := a.parseCutover(cmd, args)
	if !ok {
		return code
	}
	path := f.config
	if path == "" {
		if path = config.Find("."); path == "" {
			fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, config.NotFound("."))
			return exitError
		}
	}
	// A step that cannot start (a zone file that fails check, a bad
	// config, a missing secret or server) exits 2 and still reports.
	cfg, cfgErr := a.loadConfig(path)
	if cfgErr == nil {
		cfg.NamedIn(f.named)
		// The secrets the config's variables hold, read before any
		// zone's step: a redacted run (a.getenv adds each to its set)
		// writes each zone's report and log lines as they come, and the
		// first zone's may quote a secret (a zone file's line) that
		// only a later zone's setup would read
		// (TestStreamedReportsRedactLaterSecrets).
		s := cfg.Secrets(a.getenv)
		if a.redact == nil {
			// The command line: the audit trail, which the runbook
			// commits to git, is redacted as the Action redacts it
			// (cli.IO.Redact), with those secrets. Credentials the
			// step learns as it runs (an STS session) too.
			b := *a
			b.redact = s.Replace
			ctx = redact.WithSecrets(ctx, s)
			a = &b
		}
	}
	// The parity gates' progress on stderr, when the zones' steps run
	// one at a time: zones run in a wave write their step logs to stderr
	// at the same time, and one zone's bar, cleared by every line of the
	// others' logs (progress.Console) and drawn again, says less than
	// the line the many-zone run writes as each zone's step ends.
	var pr prog.Progress
	waves := f.waveOptions(cmd, cfg)
	if len(f.zones) == 1 || waves.Size <= 1 {
		pr = a.progressTo(cmd)
	}
	sh := &cutover.Shared{} // what the zones' steps read once for all of them
	step := func(ctx context.Context, zoneName string) *cutover.Report {
		if cfgErr != nil {
			return a.cutoverSetupFailed(cmd, zoneName, cfgErr)
		}
		return a.cutoverStep(ctx, cmd, &f, cfg, zoneName, pr, sh)
	}
	if len(f.zones) == 1 {
		return writeStep(a, cmd, f.format, step(ctx, f.zones[0]), report.WriteCutoverJSON, report.WriteCutoverMarkdown, report.WriteCutoverText)
	}
	// Each zone's report written as it comes (in the order given), not
	// every zone's held until the last is done; JSON to a step log's
	// stream redacted value by value.
	out := report.NewWaveOut(a.stdout, string(f.format), a.jsonOut, a.jsonStream, a.jsonRedact)
	var known func(string) error
	if cfgErr == nil {
		known = func(z string) error { _, err := cfg.Zone(z); return err }
	}
	w := cutover.StreamWaves(ctx, cmd, f.zones, waves, known, step, func(r *cutover.Report) {
		out.Add(redact.Plain(a.secrets, r)) // before a writer renders it, as writeStep does
	})
	if err := out.End(w); err != nil {
		fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
		return exitError
	}
	return w.ExitCode()
}

// parseCutover parses the command line of status, flip, rollback or finish
// (cmd) and reads --zones-from; ok is false when the command is to stop
// with code.
func (a *app) parseCutover(cmd string, args []string) (f cutoverFlags, code int, ok bool) {
	synopsis := map[string]string{
		"status":   "--zone NAME... | --zones-from FILE [--wave K] [--config F] [--format text|json|markdown]",
		"flip":     "--zone NAME... | --zones-from FILE [--wave K] [--stop-on-refusal] [--config F] [--dry-run] [--emergency] [--from-current] [--watch DURATION] [--format ...]",
		"rollback": "--zone NAME... | --zones-from FILE [--wave K] [--stop-on-refusal] [--config F] [--dry-run] [--emergency] [--watch DURATION] [--format ...]",
		"finish":   "--zone NAME... | --zones-from FILE [--wave K] [--stop-on-refusal] [--config F] [--format ...]",
	}[cmd]
	fl := a.newFlags(cmd, synopsis, cutoverHelp)
	f.format = "text"
	fl.Var(&f.zones, "zone", "the zone's name, as under zones: in the config (repeatable: several zones, in waves)")
	fl.StringVar(&f.zonesFrom, "zones-from", "", "a file naming the zones, one a line (# comments)")
	fl.IntVar(&f.wave, "wave", 0, "zones at once when several are given (default: policy.wave, else 1; status and --dry-run 8)")
	if cmd != "status" {
		fl.BoolVar(&f.stop, "stop-on-refusal", false, "with several zones: start no wave after one in which a zone was refused or could not run")
	}
	fl.StringVar(&f.config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fl.Var(&f.format, "format", "output: text, json or markdown")
	if cmd == "flip" || cmd == "rollback" {
		fl.BoolVar(&f.dryRun, "dry-run", false, "check every gate and show the exact registrar change; change nothing")
		fl.DurationVar(&f.watch, "watch", 0, "bound of the propagation watch (default: cutover.watch, else 15m)")
	}
	if cmd == "rollback" {
		fl.BoolVar(&f.emergency, "emergency", false, "the new provider is down: gate on every new nameserver failing, or on the new side partly down (its answering nameservers must serve git, and what they serve beyond git is named in a warning: new-complete), and the old side serving exactly git (old-matches-git, old-complete)")
	}
	if cmd == "flip" {
		fl.BoolVar(&f.emergency, "emergency", false, "the old provider is down: gate on every old nameserver failing, or on the old side partly down (its answering nameservers must serve git, and what they serve beyond git is named in a warning: old-complete), and the new side serving exactly git (new-matches-git, new-complete)")
		fl.BoolVar(&f.fromCurrent, "from-current", false, "the parent's delegation is not the expected old one (gate points-to-old), but it is the one to come back to: record it as the set a rollback restores")
	}
	if code, ok := a.parseFlags(fl, args); !ok {
		return f, code, false
	}
	fail := func(format string, args ...any) (cutoverFlags, int, bool) {
		fmt.Fprintf(a.stderr, "dnsparity %s: "+format+"\n", append([]any{cmd}, args...)...)
		return f, exitError, false
	}
	if msg := strayArgs(fl); msg != "" {
		return fail("%s", msg)
	}
	var err error
	f.named, err = config.ReadZoneArgs(f.zones, f.zonesFrom)
	f.zones = f.named.Names
	switch {
	case err != nil:
		return fail("%v", err)
	case len(f.zones) == 0:
		return fail("--zone NAME is required (or --zones-from FILE)")
	case f.wave < 0:
		return fail("--wave must not be negative")
	case f.watch < 0:
		return fail("--watch must not be negative")
	}
	return f, exitOK, true
}

// waveOptions is how several zones run (cutover.Waves): --wave, else
// policy.wave.
func (f *cutoverFlags) waveOptions(cmd string, cfg *config.Config) cutover.WaveOptions {
	wave := f.wave
	if wave == 0 && cfg != nil {
		wave = cfg.Policy.Wave
	}
	return cutover.Waves(cmd, wave, f.dryRun, f.stop)
}

// cutoverSetupFailed is the report of a step that could not start (exit
// 2), said on stderr too.
func (a *app) cutoverSetupFailed(cmd, zoneName string, err error) *cutover.Report {
	fmt.Fprintf(a.stderr, "dnsparity %s: %s: %v\n", cmd, zoneName, err)
	return cutover.SetupReport(zoneName, cmd, err)
}

// cutoverStep sets up one zone's cutover from the config and runs the
// step cmd on it (cutover.Shared.Step), its log on stderr, its long work
// shown on pr (nil: nothing), what it reads once for every zone of the
// run in sh.
func (a *app) cutoverStep(ctx context.Context, cmd string, f *cutoverFlags, cfg *config.Config, zoneName string, pr prog.Progress, sh *cutover.Shared) *cutover.Report {
	rep, err := sh.Step(ctx, cmd, cfg, zoneName, cutover.StepOptions{Getenv: a.getenv, Log: a.stderr, Watch: f.watch,
		DryRun: f.dryRun, Emergency: f.emergency, FromCurrent: f.fromCurrent, Redact: a.redact, Progress: pr})
	var zerr *cutover.ZoneError
	if errors.As(err, &zerr) {
		return a.cutoverZoneErrors(cmd, zoneName, cfg, zerr, err)
	}
	if err != nil {
		return a.cutoverSetupFailed(cmd, zoneName, err)
	}
	// The audit trail as every file path of a report: relative to the
	// repository root, the config's folder (the Action takes it from
	// there to the workspace).
	rep.Trail = report.RelPath(cfg.Dir, rep.Trail)
	return rep
}

// cutoverZoneErrors is the report of a zone whose file has errors (err
// holds zerr). As
// push: the zone's problems on stderr, FILE relative to the repository
// root, and refused (exit 1): nothing was asked or changed. status only
// reports: 2, it could not run.
func (a *app) cutoverZoneErrors(cmd, zoneName string, cfg *config.Config, zerr *cutover.ZoneError, err error) *cutover.Report {
	for i := range zerr.Problems {
		zerr.Problems[i].Pos.File = report.RelPath(cfg.Dir, zerr.Problems[i].Pos.File)
		fmt.Fprintln(a.stderr, zerr.Problems[i].String())
	}
	fmt.Fprintf(a.stderr, "dnsparity %s: %s: the zone file has %s; fix them first (nothing was checked or changed)\n", cmd, zoneName, plural.N(len(zerr.Problems), "error", "errors"))
	rep := cutover.SetupReport(zoneName, cmd, err)
	if cmd != "status" {
		rep.Result = cutover.ResultRefused
	}
	return rep
}

// writeStep writes a cutover step's report (one zone's, or a wave's over
// several zones) in the format asked for, and as JSON to --json-out, and
// returns its exit code.
func writeStep[R interface{ ExitCode() int }](a *app, cmd string, format formatFlag, rep R,
	asJSON func(io.Writer, R) error, asMarkdown, asText func(io.Writer, R)) int {
	rep = redact.Plain(a.secrets, rep)
	if a.jsonOut != nil {
		_ = asJSON(a.jsonOut, rep)
	}
	switch format {
	case "json":
		if err := asJSON(a.stdout, rep); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
			return exitError
		}
	case "markdown":
		a.inBlocks(func(w io.Writer) { asMarkdown(w, rep) })
	default:
		a.inBlocks(func(w io.Writer) { asText(w, rep) })
	}
	return rep.ExitCode()
}
