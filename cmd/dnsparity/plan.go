package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// planOpts are the flags plan and push share.
type planOpts struct {
	config    string
	providers multiFlag
	zones     multiFlag
	format    formatFlag
	force     bool
	shard     shardFlag
	ifUp      bool // push --if-up (--old-if-up)
}

// extra is what --shard adds to the JSON report: the shard, its zones (as
// planned) and the exit code; nil without --shard.
func (o *planOpts) extra(entries []report.PlanEntry, exit int) any {
	if o.shard.spec == nil {
		return nil
	}
	info := shard.InfoOf(o.shard.spec, nil)
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.Plan.Zone] {
			seen[e.Plan.Zone] = true
			info.Zones = append(info.Zones, e.Plan.Zone)
		}
	}
	return &shard.Report{Shard: info, Exit: exit}
}

func (o *planOpts) register(a *app, name, synopsis, help, forceHelp string) *flag.FlagSet {
	fs := a.newFlags(name, synopsis, help)
	o.format = "text"
	fs.StringVar(&o.config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fs.Var(&o.providers, "provider", "provider name under providers: in the config (repeatable; default: old and new; a config without either: every provider but the registrar's)")
	fs.Var(&o.zones, "zone", "zone name from the config (repeatable; default: all)")
	fs.Var(&o.format, "format", "output format: text, json or markdown")
	fs.BoolVar(&o.force, "force", false, forceHelp)
	fs.Var(&o.shard, "shard", shardUsage)
	return fs
}

// start parses the flags of plan or push, which take no arguments, and
// runs push.Setup with them; ok is false when the command is to stop with
// code (its failure reported).
func (o *planOpts) start(ctx context.Context, a *app, fs *flag.FlagSet, args []string) (targets []*push.Target, cfg *config.Config, code int, ok bool) {
	if code, ok := a.parseFlags(fs, args); !ok {
		if code == exitError { // the flag package said what is wrong on stderr
			a.writeFailure(formatIn(args), &push.Failure{Code: code, Msg: badCommandLine(args)}, nil)
		}
		return nil, nil, code, false
	}
	cmd := fs.Name()
	if msg := strayArgs(fs); msg != "" {
		fmt.Fprintf(a.stderr, "dnsparity %s: %s\n", cmd, msg)
		a.writeFailure(o.format, &push.Failure{Code: exitError, Msg: msg}, o.extra(nil, exitError))
		return nil, nil, exitError, false
	}
	targets, cfg, f := push.Setup(ctx, push.Options{Command: cmd, Config: o.config, Configs: a.configs, Providers: o.providers, Zones: o.zones,
		Getenv: a.getenv, Masked: a.masked, Stderr: a.stderr, Progress: a.progressTo(cmd), Shard: o.shard.spec, IfUp: o.ifUp})
	if f != nil {
		a.writeFailure(o.format, f, o.extra(nil, f.Code))
		return nil, nil, f.Code, false
	}
	return targets, cfg, exitOK, true
}

// writeFailure writes the JSON report of a command that stopped before
// planning: the message (already on stderr) and the zone files' problems
// (extra: see planOpts.extra).
func (a *app) writeFailure(format formatFlag, f *push.Failure, extra any) {
	f = redact.Plain(a.secrets, f)
	if a.jsonOut != nil {
		report.WritePlanJSONStream(a.jsonOut, nil, f.Msg, f.Problems, extra)
	}
	if format == "json" {
		report.WritePlanJSONStream(a.stdout, nil, f.Msg, f.Problems, extra)
	}
}

// writePlans writes the plans in the format, with msg as the JSON
// report's error (extra: see planOpts.extra); title is what ran, the
// Markdown report's heading ("plan", "push", "push --dry-run: ...").
func (a *app) writePlans(format formatFlag, title string, entries []report.PlanEntry, msg string, extra any) {
	entries, msg = redact.Plain(a.secrets, entries), redact.Plain(a.secrets, msg)
	if a.jsonOut != nil {
		report.WritePlanJSONStream(a.jsonOut, entries, msg, nil, extra)
	}
	if format == "json" {
		report.WritePlanJSONStream(a.stdout, entries, msg, nil, extra)
		return
	}
	a.inBlocks(func(w io.Writer) {
		if format == "markdown" {
			report.WritePlanMarkdown(w, title, entries)
		} else {
			report.WritePlanText(w, entries)
		}
	})
}

// inBlocks is render writing a whole report to stdout in blocks
// (report.Blocks), flushed when it returns: the step log's redacting
// writer reads a block of many lines at once, not each line twice.
func (a *app) inBlocks(render func(w io.Writer)) {
	w := report.Blocks(a.stdout)
	render(w)
	_ = w.Flush()
}

func policy(cfg *config.Config, force bool) plan.Policy {
	return plan.Policy{MaxChangePercent: cfg.Policy.MaxChange(), Force: force}
}

func runPlan(ctx context.Context, a *app, args []string) int {
	var o planOpts
	fs := o.register(a, "plan", "[--provider NAME]... [--zone NAME]... [--shard I/N] [--config FILE] [--format text|json|markdown] [--detect-drift] [--force]",
		`Show what push would change at each provider: every RRset to create (+),
replace (~) or delete (-), with old and new values and the zone file line.
The apex SOA keeps the provider's names and serial and the apex NS its names
(unless manage_apex), but both take git's TTL and the SOA git's timers
("apex SOA: TTL 3600 → 300, minimum 3600 → 300"); a provider whose API cannot
set them gets a warning saying what to set by hand.

Exit 0 when the plan can be pushed, 1 when the zone has errors, a provider
cannot hold a record, or the plan is unsafe (over policy.max_change_percent or
touching apex NS) without --force (and with --detect-drift: when a provider
differs from git), 2 when it could not run.`, "accept a plan the safety policy would refuse")
	drift := fs.Bool("detect-drift", false, "exit 1 when any provider differs from the zone files")
	targets, cfg, code, ok := o.start(ctx, a, fs, args)
	if !ok {
		return code
	}
	entries, exit := push.Plans(targets, policy(cfg, o.force), *drift)
	for _, e := range entries {
		if e.Error != "" {
			// Every other zone is still planned (push.Unplanned): the
			// failure is said as push says it, provider and zone first.
			fmt.Fprintf(a.stderr, "dnsparity plan: provider %s, zone %s: %s\n", e.Plan.Provider, e.Plan.Zone, e.Error)
		}
	}
	a.writePlans(o.format, "plan", entries, "", o.extra(entries, exit))
	if *drift {
		for _, e := range entries {
			if !e.Plan.Empty() {
				fmt.Fprintf(a.stderr, "drift: provider %s, zone %s differs from git (%s)\n", e.Plan.Provider, e.Plan.Zone, report.PlanCounts(e.Plan))
			}
		}
	}
	return exit
}
