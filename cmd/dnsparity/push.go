package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
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
		a.writeFailure(o.format, f)
		return f.code
	}
	pol := policy(cfg, o.force)
	entries := make([]report.PlanEntry, len(targets))
	blocked := false
	for i, t := range targets {
		e := report.PlanEntry{Plan: t.plan, Applied: -1, Blocked: t.plan.Blocked(pol), Warnings: t.warnings, Features: t.features}
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
		msg := ""
		if blocked {
			msg = "refused; nothing was pushed"
		}
		a.writePlansError(o.format, entries, msg)
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
	exit, stopped := exitOK, ""
	for _, i := range pushOrder(targets) {
		t, e := targets[i], &entries[i]
		e.Applied, e.Done = 0, map[zone.Key]bool{}
		if stopped != "" {
			if !t.plan.Empty() {
				e.Error = "not pushed: " + stopped
			}
			continue
		}
		if t.plan.Empty() {
			continue
		}
		if a.beforeApply != nil {
			a.beforeApply(t.plan.Provider, t.plan.Zone)
		}
		code, err := a.pushOne(ctx, t, e)
		if err != nil {
			e.Error = err.Error()
			exit = max(exit, code)
			stopped = fmt.Sprintf("stopped after provider %s, zone %s failed", t.plan.Provider, t.plan.Zone)
		}
	}
	msg := ""
	if stopped != "" {
		msg = stopped + "; " + appliedSummary(entries) + "; push again to converge"
	}
	a.writePlansError(o.format, entries, msg)
	for _, e := range entries {
		if e.Error != "" {
			fmt.Fprintf(a.stderr, "dnsparity push: provider %s, zone %s: %s (%d of %d changes done)\n",
				e.Plan.Provider, e.Plan.Zone, e.Error, max(e.Applied, 0), len(e.Plan.All()))
		}
	}
	if stopped != "" {
		fmt.Fprintf(a.stderr, "dnsparity push: %s\n", msg)
	}
	return exit
}

// pushOrder is the order targets are pushed in: zone by zone, each to
// every provider in config order (old, then new), so that a failure
// leaves as few zones as possible different between the providers.
func pushOrder(targets []*target) []int {
	var zones []string
	seen := map[string]bool{}
	for _, t := range targets {
		if !seen[t.plan.Zone] {
			seen[t.plan.Zone] = true
			zones = append(zones, t.plan.Zone)
		}
	}
	var out []int
	for _, z := range zones {
		for i, t := range targets {
			if t.plan.Zone == z {
				out = append(out, i)
			}
		}
	}
	return out
}

// appliedSummary says what was applied where.
func appliedSummary(entries []report.PlanEntry) string {
	s := "applied:"
	n := 0
	for _, e := range entries {
		if e.Applied > 0 {
			s += fmt.Sprintf(" %s %s %d of %d changes;", e.Plan.Provider, e.Plan.Zone, e.Applied, len(e.Plan.All()))
			n++
		}
	}
	if n == 0 {
		return "nothing was applied anywhere"
	}
	return s[:len(s)-1]
}

// pushOne creates the zone when needed and applies the plan to one
// provider, recording what was done in e. The exit code says how a
// failure counts: 1 when the provider's zone changed since the plan, 2
// otherwise.
func (a *app) pushOne(ctx context.Context, t *target, e *report.PlanEntry) (int, error) {
	pr := newPushProgress(a.stderr, "push", fmt.Sprintf("provider %s, zone %s", t.plan.Provider, t.plan.Zone), len(t.plan.All()))
	defer pr.stop()
	if t.plan.NewZone {
		var err error
		if ac, ok := t.prov.(provider.ApexCreator); ok {
			err = ac.CreateZoneApex(ctx, t.desired, t.nsForNew)
		} else {
			err = t.prov.(provider.ZoneCreator).CreateZone(ctx, t.plan.Zone, t.nsForNew) // setup made sure
		}
		e.Requests++
		if err != nil {
			return exitError, err
		}
		e.Applied += len(t.plan.WithZone)
		for _, c := range t.plan.WithZone {
			e.Done[c.Key()] = true
		}
		pr.update(e.Applied)
	}
	if len(t.plan.Changes) == 0 {
		return exitOK, nil
	}
	if !t.plan.NewZone {
		if err := recheck(ctx, t); err != nil {
			return exitProblem, err
		}
	}
	base := e.Applied
	pctx := provider.WithProgress(ctx, func(done, _ int) { pr.update(base + done) })
	res, err := t.prov.Apply(pctx, t.plan.Zone, t.plan.Changes)
	e.Applied, e.Requests = e.Applied+len(res.Applied), e.Requests+res.Requests
	for _, c := range res.Applied {
		e.Done[c.Key()] = true
	}
	switch {
	case err == nil:
		return exitOK, nil
	case errors.Is(err, provider.ErrConflict):
		return exitProblem, err
	case errors.Is(err, provider.ErrAuth):
		return exitError, fmt.Errorf("credentials refused: %w", err)
	}
	return exitError, err
}

// recheck reads the zone again just before a provider without
// server-side prerequisites is changed, and refuses when it is no longer
// what the plan was made against (another writer, or a push that ran
// meanwhile): a window of one request instead of the whole run.
func recheck(ctx context.Context, t *target) error {
	if _, ok := t.prov.(provider.Conditional); ok {
		return nil // the server checks each change itself
	}
	cur, err := t.prov.Records(ctx, t.plan.Zone)
	if err != nil {
		return fmt.Errorf("reading the zone again before the push: %w", err)
	}
	again := plan.Compute(t.desired, cur, plan.Options{ManageApex: t.pcfg.ManageApex, Caps: t.prov.Capabilities()})
	if diff := planDiff(t.plan.Changes, again.Changes); diff != "" {
		return fmt.Errorf("refused: %w: %s; nothing was sent; plan again", provider.ErrConflict, diff)
	}
	return nil
}

// planDiff says how two plans differ ("" when they make the same
// changes from the same old RRsets).
func planDiff(planned, now []plan.Change) string {
	key := func(c plan.Change) string {
		s := c.Action.String() + " " + c.Key().String()
		if c.Old != nil {
			s += fmt.Sprintf(" %d %v", c.Old.TTL, c.Old.Strings())
		}
		return s
	}
	have := map[string]bool{}
	for _, c := range now {
		have[key(c)] = true
	}
	var diff []string
	for _, c := range planned {
		if !have[key(c)] {
			diff = append(diff, c.Key().String()+" changed at the provider since the plan")
		}
		delete(have, key(c))
	}
	for _, c := range now {
		if have[key(c)] {
			diff = append(diff, c.Key().String()+" differs from git since the plan")
			delete(have, key(c))
		}
	}
	if len(diff) > 5 {
		diff = append(diff[:5], fmt.Sprintf("and %d more", len(diff)-5))
	}
	return strings.Join(diff, ", ")
}
