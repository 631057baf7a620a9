package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
)

func runPush(ctx context.Context, a *app, args []string) int {
	var o planOpts
	fs := o.register(a, "push", "[--provider NAME] [--zone NAME] [--format text|json|markdown] [--dry-run] [--force]",
		`Apply the plan: make each provider hold exactly the zone files (apex SOA,
and apex NS unless manage_apex, aside). Nothing is sent when a zone file has
errors, when a provider cannot hold a record, or when a plan changes more than
policy.max_change_percent of a zone or any apex NS (unless --force).

Exit 0 when pushed (or nothing to do), 1 when refused, 2 when a provider
failed (the report says which changes were done).`, "push a plan the safety policy refuses")
	dry := fs.Bool("dry-run", false, "only show the plan")
	if code, ok := o.parse(a, fs, args); !ok {
		return code
	}
	targets, cfg, code := a.setup(ctx, "push", &o)
	if targets == nil {
		return code
	}
	pol := policy(cfg, o.force)
	entries := make([]report.PlanEntry, len(targets))
	blocked := false
	for i, t := range targets {
		e := report.PlanEntry{Plan: t.plan, Applied: -1, Blocked: t.plan.Blocked(pol), Features: t.features}
		if o.force {
			for _, r := range t.plan.Unsafe(pol) {
				e.Warnings = append(e.Warnings, "forced: "+r)
			}
		}
		if len(e.Blocked) > 0 {
			blocked = true
		}
		entries[i] = e
	}
	// Every plan is checked before anything is sent to any provider.
	if blocked || *dry {
		a.writePlans(o.format, entries)
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
	exit := exitOK
	for i, t := range targets {
		e := &entries[i]
		e.Applied = 0
		if t.plan.Empty() {
			continue
		}
		if t.plan.NewZone {
			var err error
			if ac, ok := t.prov.(provider.ApexCreator); ok {
				err = ac.CreateZoneApex(ctx, t.desired, t.nsForNew)
			} else {
				err = t.prov.(provider.ZoneCreator).CreateZone(ctx, t.plan.Zone, t.nsForNew) // setup made sure
			}
			if err != nil {
				e.Error = err.Error()
				exit = exitError
				continue
			}
			e.Requests++
		}
		if len(t.plan.Changes) == 0 {
			continue
		}
		res, err := t.prov.Apply(ctx, t.plan.Zone, t.plan.Changes)
		e.Applied, e.Requests = len(res.Applied), e.Requests+res.Requests
		if err != nil {
			e.Error = err.Error()
			if errors.Is(err, provider.ErrAuth) {
				e.Error = "credentials refused: " + e.Error
			}
			exit = exitError
		}
	}
	a.writePlans(o.format, entries)
	for _, e := range entries {
		if e.Error != "" {
			fmt.Fprintf(a.stderr, "dnsparity push: provider %s, zone %s: %s (%d of %d changes done; push again to converge)\n",
				e.Plan.Provider, e.Plan.Zone, e.Error, max(e.Applied, 0), len(e.Plan.Changes))
		}
	}
	return exit
}
