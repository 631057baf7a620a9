package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
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
flip:     gates points-to-old, parity, ttl-prestaged, ttl-expired,
          new-authoritative, drift, old-complete, dnssec, delegation (the NS
          set, glue and DS it installs, checked at Zonemaster's level;
          policy.registry, policy.delegation); then replaces the NS set (and
          glue) at the registrar, confirms it at every parent server and
          watches the resolvers move. --from-current takes the parent's
          delegation as the one a rollback restores when it is not the
          expected old one. --emergency (the old provider is down): gates
          old-down, new-matches-git, new-authoritative, dnssec, delegation
          instead.
rollback: gates points-to-new, old-parity, new-complete, old-complete,
          dnssec and delegation (against the old side), then restores the NS
          set, glue and DS recorded before the flip, exactly, the same way.
finish:   refuses before policy.overlap has passed since the flip, after a
          rollback, while old and new differ, or while a parent server,
          either side's apex NS or a target in git names an old server
          (old-unreferenced); then records the end.

Every step is appended to the audit trail (cutover.state_dir, default
.dnsparity/cutover/ZONE.json). Exit: 0 done (--dry-run: every gate passes;
status: reported), 1 refused (every unmet gate named, the registrar
untouched), 2 could not run (registrar or server error; the report says what
was done).`

type cutoverFlags struct {
	zone, config string
	format       formatFlag
	dryRun       bool
	emergency    bool
	fromCurrent  bool
	watch        time.Duration
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
	synopsis := map[string]string{
		"status":   "--zone NAME [--config F] [--format text|json|markdown]",
		"flip":     "--zone NAME [--config F] [--dry-run] [--emergency] [--from-current] [--watch DURATION] [--format ...]",
		"rollback": "--zone NAME [--config F] [--dry-run] [--watch DURATION] [--format ...]",
		"finish":   "--zone NAME [--config F] [--format ...]",
	}[cmd]
	fl := a.newFlags(cmd, synopsis, cutoverHelp)
	f := cutoverFlags{format: "text"}
	fl.StringVar(&f.zone, "zone", "", "the zone's name, as under zones: in the config")
	fl.StringVar(&f.config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fl.Var(&f.format, "format", "output: text, json or markdown")
	if cmd == "flip" || cmd == "rollback" {
		fl.BoolVar(&f.dryRun, "dry-run", false, "check every gate and show the exact registrar change; change nothing")
		fl.DurationVar(&f.watch, "watch", 0, "bound of the propagation watch (default: cutover.watch, else 15m)")
	}
	if cmd == "flip" {
		fl.BoolVar(&f.emergency, "emergency", false, "the old provider is down: gate on every old nameserver failing and the new side serving exactly git")
		fl.BoolVar(&f.fromCurrent, "from-current", false, "the parent's delegation is not the expected old one (gate points-to-old), but it is the one to come back to: record it as the set a rollback restores")
	}
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(a.stderr, "dnsparity %s: unexpected argument %q\n", cmd, fl.Arg(0))
		return exitError
	}
	if f.zone == "" {
		fmt.Fprintf(a.stderr, "dnsparity %s: --zone NAME is required\n", cmd)
		return exitError
	}
	if f.watch < 0 {
		fmt.Fprintf(a.stderr, "dnsparity %s: --watch must not be negative\n", cmd)
		return exitError
	}
	path := f.config
	if path == "" {
		if path = config.Find("."); path == "" {
			fmt.Fprintf(a.stderr, "dnsparity %s: no %s found (use --config)\n", cmd, config.FileName)
			return exitError
		}
	}
	// A step that cannot start (a zone file that fails check, a bad
	// config, a missing secret or server) exits 2 and still reports.
	setupFailed := func(err error) int {
		fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
		return a.writeCutover(cmd, f.format, cutover.SetupReport(f.zone, cmd, err))
	}
	cfg, err := config.Load(path)
	if err != nil {
		return setupFailed(err)
	}
	var rep *cutover.Report
	c, err := cutover.FromConfig(ctx, cfg, f.zone, a.getenv, a.stderr)
	if err != nil {
		return setupFailed(err)
	}
	if f.watch > 0 {
		c.Watch = f.watch
	}
	c.FromCurrent = f.fromCurrent
	c.Redact = a.redact
	switch cmd {
	case "status":
		rep = cutover.Status(ctx, c)
		// A DS at the parent that a provider no longer signs with (ClouDNS
		// leaves it behind when DNSSEC is turned off there).
		if len(rep.Delegation.DS) > 0 {
			rep.Warnings = append(rep.Warnings, a.staleDS(ctx, cfg, c.Zone.Origin, rep.Delegation.DS)...)
		}
	case "flip":
		rep = cutover.Flip(ctx, c, f.dryRun, f.emergency)
	case "rollback":
		rep = cutover.Rollback(ctx, c, f.dryRun)
	case "finish":
		rep = cutover.Finish(ctx, c)
	}
	return a.writeCutover(cmd, f.format, rep)
}

// writeCutover writes a cutover report in the format asked for and
// returns its exit code.
func (a *app) writeCutover(cmd string, format formatFlag, rep *cutover.Report) int {
	if a.jsonOut != nil {
		_ = report.WriteCutoverJSON(a.jsonOut, rep)
	}
	switch format {
	case "json":
		if err := report.WriteCutoverJSON(a.stdout, rep); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
			return exitError
		}
	case "markdown":
		report.WriteCutoverMarkdown(a.stdout, rep)
	default:
		report.WriteCutoverText(a.stdout, rep)
	}
	return rep.ExitCode()
}
