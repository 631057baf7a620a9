// Package push plans and pushes zone files to providers: it loads the
// config, the zones and the providers, reads each provider's zone and
// computes the plan (Setup, Prepare), checks every plan against the safety
// policy before anything is sent (Check), and applies them zone by zone,
// provider by provider, stopping at the first failure and recording what was
// done (Run, Apply). The plan and push commands and bench/push use it; the
// commands keep their flags and rendering.
package push

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Check makes each target's report entry and checks every plan against
// the policy before anything is sent to any provider: blocked says some
// plan is refused (its entry says why); with pol.Force the unsafe changes
// are let through, each named in a warning. A refused plan of an IfUp
// step (Steps) refuses only itself: Run leaves it out.
func Check(targets []*Target, pol plan.Policy) (entries []report.PlanEntry, blocked bool) {
	entries = make([]report.PlanEntry, len(targets))
	for i, t := range targets {
		e := entry(t)
		e.Blocked = t.Plan.Blocked(pol)
		if pol.Force {
			e.Warnings = unsafeWarnings(e.Warnings, t.Plan.Unsafe(pol), "forced: ")
		}
		if len(e.Blocked) > 0 && !t.Step.IfUp {
			blocked = true
		}
		entries[i] = e
	}
	return entries, blocked
}

// Plans makes the plan command's report entries and its exit code, the
// worst of its targets': 2 when a target could not be planned (its entry's error; every other
// zone is still planned, Unplanned), 1 when a provider cannot hold a
// record (Blocked), when a plan is unsafe under pol without pol.Force
// (a warning that push needs --force; with it, a "forced" warning), and
// with drift when a plan is not empty (the provider differs from git).
func Plans(targets []*Target, pol plan.Policy, drift bool) (entries []report.PlanEntry, exit int) {
	for _, t := range targets {
		e := entry(t)
		if t.Failed != nil {
			exit = cli.ExitError
		}
		for _, u := range t.Plan.Unsupported {
			e.Blocked = append(e.Blocked, u.String())
			exit = max(exit, cli.ExitProblem)
		}
		if unsafe := t.Plan.Unsafe(pol); pol.Force {
			e.Warnings = unsafeWarnings(e.Warnings, unsafe, "forced: ")
		} else if len(unsafe) > 0 {
			e.Warnings = unsafeWarnings(e.Warnings, unsafe, "push needs --force: ")
			exit = max(exit, cli.ExitProblem)
		}
		if drift && !t.Plan.Empty() {
			exit = max(exit, cli.ExitProblem)
		}
		entries = append(entries, e)
	}
	return entries, exit
}

// entry is t's report entry before anything is applied (Applied -1):
// its plan, warnings, features and NotSynced, and the error that kept it
// from being planned (Check's and Plans').
func entry(t *Target) report.PlanEntry {
	e := report.PlanEntry{Plan: t.Plan, Applied: -1, Warnings: slices.Clip(t.Warnings), Features: t.Features, NotSynced: t.NotSynced}
	if t.Failed != nil {
		e.Error = t.Failed.Error()
	}
	return e
}

// unsafeWarnings are warnings with one more per unsafe reason
// (plan.Plan.Unsafe), each after prefix.
func unsafeWarnings(warnings, unsafe []string, prefix string) []string {
	for _, r := range unsafe {
		warnings = append(warnings, prefix+r)
	}
	return warnings
}

// Run pushes the targets, zone by zone, each to every provider in the
// order of its Steps (old, then new; the side an emergency step left
// behind last), recording what became of each in entries (made by Check). Several
// zones are pushed at once (each provider's API budget is shared by
// them); a provider that refuses or fails stops the run: no other change
// is sent to any provider after it (a zone being pushed finishes the
// provider it is at, and goes no further), and msg says what was applied
// where. An IfUp step stops nothing: down, it is a note (NotSynced);
// refused or failed otherwise, it counts in the exit code. A target that
// could not be planned (Unplanned) stops the run before anything is
// sent. The exit code is the worst failure's (see Apply).
func Run(ctx context.Context, targets []*Target, entries []report.PlanEntry, o Options) (exit int, msg string) {
	groups := zoneGroups(targets)
	var (
		mu sync.Mutex
		// stopped says why nothing more is pushed: a target that could
		// not be planned stops the run before anything is sent.
		stopped = Unplanned(targets)
	)
	isStopped := func() string {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	var work [][]int // the zones with something to push
	for _, g := range groups {
		for _, i := range g {
			entries[i].Applied, entries[i].Done = 0, map[zone.Key]bool{}
			if t := targets[i]; t.Failed != nil {
				exit = max(exit, cli.ExitError)
			} else if t.Step.IfUp && len(entries[i].Blocked) > 0 {
				exit = max(exit, cli.ExitProblem)
			}
		}
		for _, i := range g {
			if !targets[i].Plan.Empty() {
				work = append(work, g)
				break
			}
		}
	}
	fanout.Ordered(ctx, len(work), fanout.Options{Limit: 8}, func(ctx context.Context, k int) struct{} {
		for _, i := range work[k] {
			t, e := targets[i], &entries[i]
			if t.Plan.Empty() || t.Failed != nil || (t.Step.IfUp && len(e.Blocked) > 0) {
				continue
			}
			if s := isStopped(); s != "" {
				e.Error = "not pushed: " + s
				continue
			}
			if o.BeforeApply != nil {
				o.BeforeApply(t.Plan.Provider, t.Plan.Zone)
			}
			code, err := Apply(ctx, t, e, o.Progress)
			if err != nil && t.Step.IfUp {
				if provider.Down(err) {
					e.NotSynced = notSynced(t.Step, t.Plan.Zone, err)
					if o.Stderr != nil {
						fmt.Fprintf(o.Stderr, "dnsparity push: %s\n", e.NotSynced)
					}
					continue
				}
				e.Error = err.Error()
				mu.Lock()
				exit = max(exit, code)
				mu.Unlock()
				continue
			}
			if err != nil {
				e.Error = err.Error()
				mu.Lock()
				exit = max(exit, code)
				if stopped == "" {
					stopped = fmt.Sprintf("stopped after provider %s, zone %s failed", t.Plan.Provider, t.Plan.Zone)
				}
				mu.Unlock()
			}
		}
		return struct{}{}
	}, func(int, struct{}) bool {
		// Never false: fanout would cancel the zones being pushed, in
		// the middle of a provider's change (a batch sent and its answer
		// not read: neither done nor known undone). A zone that starts
		// after the stop pushes nothing (isStopped above).
		return true
	})
	if stopped != "" {
		// The zones that were not started.
		for _, g := range work {
			for _, i := range g {
				if e := &entries[i]; !targets[i].Plan.Empty() && e.Error == "" && e.NotSynced == "" && e.Applied == 0 && len(e.Done) == 0 {
					e.Error = "not pushed: " + stopped
				}
			}
		}
		msg = stopped + "; " + appliedSummary(entries) + "; push again to converge"
	}
	return exit, msg
}

// Order is the order targets are pushed in: zone by zone, each to
// every provider in its Steps' order (old, then new), so that a failure
// leaves as few zones as possible different between the providers.
func Order(targets []*Target) []int {
	var out []int
	for _, g := range zoneGroups(targets) {
		out = append(out, g...)
	}
	return out
}

// zoneGroups are the targets' indices zone by zone (in the order the
// zones first appear), each zone's in the order of its Steps (Rank:
// config order of the providers, but for an emergency step's).
func zoneGroups(targets []*Target) [][]int {
	at := map[string]int{}
	var groups [][]int
	for i, t := range targets {
		k, ok := at[t.Plan.Zone]
		if !ok {
			k = len(groups)
			at[t.Plan.Zone] = k
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], i)
	}
	for _, g := range groups {
		slices.SortStableFunc(g, func(a, b int) int { return targets[a].Rank - targets[b].Rank })
	}
	return groups
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

// Apply creates the zone when needed and applies the plan to one
// provider, recording what was done in e (counted from what e holds);
// it shows on prog (nil: nothing). The exit code says how a failure
// counts: 1 when the provider's zone changed since the plan, 2 otherwise.
func Apply(ctx context.Context, t *Target, e *report.PlanEntry, prog progress.Progress) (code int, err error) {
	if e.Done == nil {
		e.Done = map[zone.Key]bool{}
	}
	pr := orNone(prog).Start(fmt.Sprintf("provider %s, zone %s", t.Plan.Provider, t.Plan.Zone), len(t.Plan.All()))
	defer func() { progress.End(pr, err) }()
	if t.Plan.NewZone {
		var err error
		if ac, ok := t.Prov.(provider.ApexCreator); ok {
			// Exactly the apex the plan shows (WithZone).
			var apex *zone.Zone
			if apex, err = withZoneApex(t); err == nil {
				err = ac.CreateZoneApex(ctx, apex, t.NSForNew)
			}
		} else {
			err = t.Prov.(provider.ZoneCreator).CreateZone(ctx, t.Plan.Zone, t.NSForNew) // Prepare made sure
		}
		e.Requests++
		if err != nil {
			return cli.ExitError, err
		}
		e.Applied += len(t.Plan.WithZone)
		for _, c := range t.Plan.WithZone {
			e.Done[c.Key()] = true
		}
		pr.Update(e.Applied)
	}
	if len(t.Plan.Changes) == 0 {
		return cli.ExitOK, nil
	}
	var res provider.Result
	if g, ok := t.Prov.(provider.Guarded); ok && !t.Plan.NewZone {
		// The listing Apply makes for its records' ids is the one
		// read again: one listing just before the change, not two.
		res, err = g.ApplyGuarded(ctx, t.Plan.Zone, t.Plan.Changes, after{pr, e.Applied}, t.unchanged)
	} else {
		if !t.Plan.NewZone {
			if err := recheck(ctx, t); err != nil {
				return cli.ExitProblem, err
			}
		}
		res, err = t.Prov.Apply(ctx, t.Plan.Zone, t.Plan.Changes, after{pr, e.Applied})
	}
	e.Applied, e.Requests = e.Applied+len(res.Applied), e.Requests+res.Requests
	for _, c := range res.Applied {
		e.Done[c.Key()] = true
	}
	switch {
	case err == nil:
		return cli.ExitOK, nil
	case errors.Is(err, provider.ErrConflict):
		return cli.ExitProblem, err
	case errors.Is(err, provider.ErrAuth):
		return cli.ExitError, fmt.Errorf("credentials refused: %w", err)
	}
	return cli.ExitError, err
}

// after is the task of a push of one zone as an Apply is handed it: the
// Apply counts its own changes from 0, after the base already done (the
// changes the zone's creation wrote).
type after struct {
	t    progress.Task
	base int
}

func (a after) Update(done int) { a.t.Update(a.base + done) }

// withZoneApex is the apex a new zone is created with: the RRsets the
// plan shows as written by the creation (WithZone: the SOA, the apex NS).
func withZoneApex(t *Target) (*zone.Zone, error) {
	var rrs []dns.RR
	for _, c := range t.Plan.WithZone {
		rrs = append(rrs, c.New.RRs()...)
	}
	return zone.FromRRs(t.Plan.Zone, rrs)
}

// recheck reads the zone again just before a provider without
// server-side prerequisites is changed, and refuses when it is no longer
// what the plan was made against (another writer, or a push that ran
// meanwhile): a window of one request instead of the whole run. A
// provider.Guarded has its Apply's own listing judged instead
// (unchanged).
func recheck(ctx context.Context, t *Target) error {
	if _, ok := t.Prov.(provider.Conditional); ok {
		return nil // the server checks each change itself
	}
	// The records and, when the plan replaces over a provider-only
	// record (Change.Over), the features from a provider.Reader's same
	// listing: that record must still be the one the plan showed.
	opts := t.planOptions()
	var cur *zone.Zone
	var err error
	if r, ok := t.Prov.(provider.Reader); ok && slices.ContainsFunc(t.Plan.Changes, func(c plan.Change) bool { return c.Over != nil }) {
		cur, opts.Unreadable, err = r.Read(ctx, t.Plan.Zone)
	} else {
		cur, err = t.Prov.Records(ctx, t.Plan.Zone)
	}
	if err != nil {
		return provider.Reread(err)
	}
	return t.unchanged(cur, opts.Unreadable)
}

// unchanged refuses the push of t when the zone read again just before
// it (cur, and the provider's features from the same listing) is no
// longer what the plan was made against: the plan made again from it
// changes other RRsets, or the same from other old records, or over
// another provider-only record (Change.Over).
func (t *Target) unchanged(cur *zone.Zone, features []provider.Feature) error {
	opts := t.planOptions()
	opts.Unreadable = features
	again := plan.Compute(t.Desired, cur, opts)
	if diff := planDiff(t.Plan.Changes, again.Changes); diff != "" {
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
		if c.Over != nil {
			s += " over " + c.Over.Feature + " " + c.Over.Value
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
	return strings.Join(plural.FirstN(diff, 5), ", ")
}
