package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/push"
)

func runPush(ctx context.Context, a *app, args []string) int {
	var o planOpts
	fs := o.register(a, "push", "[--provider NAME]... [--zone NAME]... [--shard I/N] [--config FILE] [--format text|json|markdown] [--dry-run] [--force] [--if-up]",
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

After an emergency step (the audit trail's last move of the delegation) the
side it left behind goes last, and only if it answers: after flip --emergency
the new provider first, then the old one; after rollback --emergency the old
provider first, then the new one. Resolvers that cached the delegation before
the emergency still ask that side, so it is brought up to date as soon as it
is back; still down (unreachable, timed out, an API 5xx), it is "not synced",
a warning, and the next run tries again. Naming providers (--provider old)
pushes them in order, each failure stopping, unless --if-up.

Exit 0 when pushed (or nothing to do; also when the side an emergency step
left behind is still down), 1 when refused (unsafe plan, or the zone
changed at a provider since the plan), 2 when a provider failed (the report
says which changes were done).`, "push a plan the safety policy refuses")
	dry := fs.Bool("dry-run", false, "only show the plan")
	fs.BoolVar(&o.ifUp, "if-up", false, "with --provider: a zone moved in an emergency still takes the side it left last, and only if it answers (still down: a warning); the Action's sync passes it")
	fs.BoolVar(&o.ifUp, "old-if-up", false, "deprecated: --if-up (same meaning)")
	targets, cfg, code, ok := o.start(ctx, a, fs, args)
	if !ok {
		return code
	}
	entries, blocked := push.Check(targets, policy(cfg, o.force))
	// A zone a provider could not plan stops the push before anything
	// is sent (push.Run); the dry run says so too, with every plan.
	unplanned := push.Unplanned(targets)
	// Every plan is checked before anything is sent to any provider.
	if blocked || *dry {
		msg, code, title := "", exitOK, "push --dry-run: nothing was sent"
		if blocked {
			msg, code, title = "refused; nothing was pushed", exitProblem, "push: refused; nothing was pushed"
		}
		if unplanned != "" {
			msg, code = unplanned+"; nothing was pushed", exitError
		}
		a.writePlans(o.format, title, entries, msg, o.extra(entries, code))
		if blocked {
			fmt.Fprintln(a.stderr, "dnsparity push: refused; nothing was pushed:")
			for _, e := range entries {
				for _, b := range e.Blocked {
					fmt.Fprintf(a.stderr, "  %s %s: %s\n", e.Plan.Provider, e.Plan.Zone, b)
				}
			}
		}
		if unplanned != "" {
			for _, e := range entries {
				if e.Error != "" {
					fmt.Fprintf(a.stderr, "dnsparity push: provider %s, zone %s: %s\n", e.Plan.Provider, e.Plan.Zone, e.Error)
				}
			}
			fmt.Fprintf(a.stderr, "dnsparity push: %s; nothing was pushed\n", unplanned)
		}
		if code != exitOK {
			return code
		}
		fmt.Fprintln(a.stderr, "dnsparity push: dry run: nothing was sent to any provider (push without --dry-run applies this plan)")
		return exitOK
	}
	exit, msg := push.Run(ctx, targets, entries, push.Options{Stderr: a.stderr, Progress: a.progressTo("push"), BeforeApply: a.beforeApply})
	if err := push.RecordApplied(cfg, entries, "push", cutover.Actor(a.getenv), time.Now()); err != nil {
		fmt.Fprintf(a.stderr, "dnsparity push: the push is done, but the audit trail could not record it: %v\n", err)
		exit = max(exit, exitError)
	}
	a.writePlans(o.format, "push", entries, msg, o.extra(entries, exit))
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
