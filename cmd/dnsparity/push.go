package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plan"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func runPush(ctx context.Context, a *app, args []string) int {
	var o planOpts
	fs := o.register(a, "push", "[--provider NAME] [--zone NAME] [--format text|json|markdown] [--dry-run] [--force]",
		`Apply the plan: make each provider hold exactly the zone files (the apex
SOA's names and serial, and the apex NS names unless manage_apex, stay the
provider's; their TTLs and the SOA timers follow git). Nothing is sent when a
zone file has errors, when a provider cannot hold a record, or when a plan
changes more than policy.max_change_percent of a zone or the apex NS names
(unless --force).

Zones are pushed one at a time, to each provider in turn (old, then new).
When a provider refuses or fails, nothing more is sent to any provider (the
pair would differ further); the report says exactly what was applied, and
pushing again converges. A provider whose zone changed since the plan (another
writer) refuses the change instead of overwriting it.

Exit 0 when pushed (or nothing to do), 1 when refused (unsafe plan, or the zone
changed at a provider since the plan), 2 when a provider failed (the report
says which changes were done).`, "push a plan the safety policy refuses")
	dry := fs.Bool("dry-run", false, "only show the plan")
	if code, ok := o.parse(a, fs, args); !ok {
		return code
	}
	targets, cfg, f := a.setup(ctx, "push", &o)
	if f != nil {
		a.writeFailure(o.format, f, o.extra(nil, f.code))
		return f.code
	}
	entries, blocked := push.Check(targets, policy(cfg, o.force))
	// Every plan is checked before anything is sent to any provider.
	if blocked || *dry {
		msg, code := "", exitOK
		if blocked {
			msg, code = "refused; nothing was pushed", exitProblem
		}
		a.writePlans(o.format, entries, msg, o.extra(entries, code))
		if blocked {
			fmt.Fprintln(a.stderr, "dnsparity push: refused; nothing was pushed:")
			for _, e := range entries {
				for _, b := range e.Blocked {
					fmt.Fprintf(a.stderr, "  %s %s: %s\n", e.Plan.Provider, e.Plan.Zone, b)
				}
			}
			return exitProblem
		}
		return exitOK
	}
	exit, msg := push.Run(ctx, targets, entries, push.Options{Stderr: a.stderr, Progress: prog.Printer{W: a.stderr, Cmd: "push"}, BeforeApply: a.beforeApply})
	// The audit trail keeps, per side, the largest TTL pushed (and
	// replaced): the cutover's ttl-expired gate counts it.
	applied := map[string]map[string][]plan.Change{}
	for _, e := range entries {
		for _, c := range e.Plan.All() {
			if e.Done[c.Key()] {
				if applied[e.Plan.Zone] == nil {
					applied[e.Plan.Zone] = map[string][]plan.Change{}
				}
				applied[e.Plan.Zone][e.Plan.Provider] = append(applied[e.Plan.Zone][e.Plan.Provider], c)
			}
		}
	}
	if err := cutover.RecordPushes(cfg, applied, "push", cutover.Actor(a.getenv), time.Now()); err != nil {
		fmt.Fprintf(a.stderr, "dnsparity push: the push is done, but the audit trail could not record it: %v\n", err)
		exit = max(exit, exitError)
	}
	a.writePlans(o.format, entries, msg, o.extra(entries, exit))
	for _, e := range entries {
		if e.Error != "" {
			fmt.Fprintf(a.stderr, "dnsparity push: provider %s, zone %s: %s (%d of %d changes done)\n",
				e.Plan.Provider, e.Plan.Zone, e.Error, max(e.Applied, 0), len(e.Plan.All()))
		}
	}
	if msg != "" {
		fmt.Fprintf(a.stderr, "dnsparity push: %s\n", msg)
	}
	return exit
}

// setup runs push.Setup with the flags of plan or push (cmd).
func (a *app) setup(ctx context.Context, cmd string, o *planOpts) ([]*push.Target, *config.Config, *failure) {
	targets, cfg, f := push.Setup(ctx, push.Options{Command: cmd, Config: o.config, Providers: o.providers, Zones: o.zones,
		Getenv: a.getenv, Stderr: a.stderr, Progress: prog.Printer{W: a.stderr, Cmd: cmd}, Shard: o.shard.spec})
	if f != nil {
		return nil, nil, &failure{code: f.Code, msg: f.Msg, problems: f.Problems}
	}
	return targets, cfg, nil
}

// failure is why plan or push stopped before planning: the exit code, the
// message (already on stderr) and the zone files' problems, for the JSON
// report.
type failure struct {
	code     int
	msg      string
	problems []zone.Problem
}
