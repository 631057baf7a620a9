package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// failedAttempt is the trail's newest flip or rollback run (not a dry
// run) when it ended in a registrar error without a change the registrar
// accepted (no ChangedAt), and is not a run of command (a change of the
// same step moves the delegation where it already is; "" for any): an
// operation it submitted may still complete (Route 53 Domains keeps one
// IN_PROGRESS past the poll), or a person may still enter it. nil when
// the newest run is anything else.
func failedAttempt(tr *Trail, command string) *Entry {
	for e := range tr.newestFirst() {
		if e.DryRun || (e.Command != "flip" && e.Command != "rollback") {
			continue
		}
		if e.Command != command && e.Result == ResultError && registrarTried(e) {
			return e
		}
		return nil
	}
	return nil
}

// registrarTried reports whether e, a flip's or rollback's entry, records
// a registrar change asked for that failed (no ChangedAt; its error names
// the registrar's): one that may complete yet (failedAttempt).
func registrarTried(e *Entry) bool {
	return e.ChangedAt == nil && e.Before != nil && strings.Contains(e.Error, "registrar: ")
}

// pendingAtRegistrar is what a flip or rollback that found nothing to do
// checks before it says so: a registrar change not complete yet moves the
// delegation later, whatever the parent's servers serve now (a flip's
// operation still IN_PROGRESS at Route 53 Domains after its run ended
// makes a rollback find the old delegation in place, then moves it to the
// new side). It asks the registrar (registrar.PendingLister) and refuses
// (exit 1) naming each operation and what to do. A registrar that cannot
// list its pending changes, or whose list cannot be read, is no answer:
// when the trail's newest run is the other step's and ended in a
// registrar error (failedAttempt), the step does not say nothing-to-do
// either. true: rep is the step's result (refused or error), recorded
// when refused and not a dry run.
func (c *Config) pendingAtRegistrar(ctx context.Context, tr *Trail, rep *Report) bool {
	var listErr error
	if pl, ok := c.Registrar.(registrar.PendingLister); ok {
		ops, err := pl.Pending(ctx, c.Zone.Origin)
		if err == nil && len(ops) == 0 {
			return false
		}
		if err == nil {
			rep.Result = ResultRefused
			rep.Errors = append(rep.Errors, fmt.Sprintf("the parent's servers serve %s, but the registrar has a change for the zone not complete yet: %s; it may still move the delegation, so the %s cannot say it has nothing to do",
				describeDelegation(c.Zone.Origin, rep.Delegation.served()), describeOps(ops), rep.Command))
			rep.Actions = append(rep.Actions, fmt.Sprintf("wait until the registrar completes %s (or fails it): %s shows what the parent serves then; then run %s again: if the change moved the delegation, the re-run moves it back once its gates pass",
				map[bool]string{true: "it", false: "them"}[len(ops) == 1], zoneCmd(c.Zone.Origin, "status"), zoneCmd(c.Zone.Origin, rep.Command)))
			if !rep.DryRun {
				c.record(ctx, tr, rep, c.entry(rep.Command, rep))
			}
			return true
		}
		listErr = err
	}
	e := failedAttempt(tr, rep.Command)
	if e == nil {
		return false
	}
	last := fmt.Sprintf("the audit trail's newest %s (at %s) ended in a registrar error (%s)", e.Command, e.Time.UTC().Format(time.RFC3339), firstRegistrarError(e.Error))
	if listErr != nil {
		rep.Result = ResultError
		rep.Errors = append(rep.Errors, fmt.Sprintf("%s, and the registrar's changes not complete yet cannot be read: %v", last, listErr))
		rep.Actions = append(rep.Actions, fmt.Sprintf("run `dnsparity %s --zone %s` again when the registrar answers: it says nothing-to-do only once no change of that %s is pending there", shell.Quote(rep.Command), shell.Quote(c.Zone.Origin), e.Command))
		return true
	}
	// A registrar that cannot list them: the person who checks at the
	// registrar answers, by running the step again (the refusal recorded
	// here is then the trail's newest run).
	rep.Result = ResultRefused
	rep.Errors = append(rep.Errors, fmt.Sprintf("%s, and this registrar cannot list changes not complete yet: that change may still be made, which moves the delegation", last))
	rep.Actions = append(rep.Actions, fmt.Sprintf("check at the registrar that the %s's change is not pending (cancel it, or stop entering it), then run `dnsparity %s --zone %s` again (not a dry run): it reports nothing-to-do then", e.Command, shell.Quote(rep.Command), shell.Quote(c.Zone.Origin)))
	if !rep.DryRun {
		c.record(ctx, tr, rep, c.entry(rep.Command, rep))
	}
	return true
}

// refuseIfPendingAtRegistrar refuses a step about to ask the registrar
// (parent-servers unmet, the registrar untouched) while the registrar
// holds a change for the zone not complete yet that this step did not
// make (registrar.PendingLister: Route 53 Domains' operations SUBMITTED
// or IN_PROGRESS). Such a registrar waits for it before it takes the
// step's change (the registry refuses a second one meanwhile), and it
// then lands between the gates and the change: a key associated or
// removed changes the DS set the dnssec gate judged (the step leaving
// the DS alone installs the new NS set with it), a nameserver update the
// delegation the points-to and parent-servers gates judged. Explained,
// and left to wait for, is only an operation of a kind the step itself
// makes (UPDATE_NAMESERVER; a DNSSEC one only when the step sets the DS)
// when the trail's newest flip or rollback run is this step's, ended in
// a registrar error without a change it saw accepted (failedAttempt):
// its own operation, which a re-run waits for and converges with. A
// list that cannot be read is left to the registrar, whose change then
// fails before it sends anything (route53domains.waitPending). A false
// refusal rather than a false pass: an operation's target cannot be
// read from the list.
func (c *Config) refuseIfPendingAtRegistrar(ctx context.Context, tr *Trail, rep *Report, want registrar.Delegation) {
	pl, ok := c.Registrar.(registrar.PendingLister)
	if !ok {
		return
	}
	ops, err := pl.Pending(ctx, c.Zone.Origin)
	if err != nil || len(ops) == 0 {
		return
	}
	own := false
	if e := failedAttempt(tr, ""); e != nil && e.Command == rep.Command {
		own = true
	}
	var foreign []registrar.Operation
	for _, o := range ops {
		mine := o.Type == "UPDATE_NAMESERVER" || (want.DS != nil && (o.Type == "ADD_DNSSEC" || o.Type == "REMOVE_DNSSEC"))
		if !own || !mine {
			foreign = append(foreign, o)
		}
	}
	if len(foreign) == 0 {
		return
	}
	what := "the delegation at the registrar"
	plan := []string{"find out who submitted it (the registrar's console, another checkout or run), and wait until the registrar completes or fails it (" + zoneCmd(c.Zone.Origin, "status") + " shows what the parent serves then)", "run the step again: its gates check the delegation served then"}
	if slices.ContainsFunc(foreign, func(o registrar.Operation) bool { return o.Leaving }) {
		// Waiting ends with the domain gone from the account, and the
		// delegation with it: nothing to wait for.
		plan = []string{"the domain is being taken away from this registrar account (deleted, expiring or transferred out): a delegation changed now goes with it; if that is not meant, cancel the operation at the registrar (for a transfer out, reject it; for a deletion, restore or renew the domain) before anything else", "if it is meant, change the delegation where the domain goes (its new registrar or account), not here", "run the step again once the domain stays: its gates check the delegation served then"}
	}
	changedWhileGatesRan(rep, what, []string{"a change not complete yet that this " + rep.Command + " did not submit: " + describeOps(foreign)},
		"the registrar completes it before it takes the step's change, which would then install a delegation (NS, glue or DS) the gates did not judge",
		plan, GateParentServers)
}

// finishPending holds finish's parent-servers gate (g) while the
// registrar holds a change for the zone not complete yet
// (registrar.PendingLister: a rollback's nameserver update still
// IN_PROGRESS when its run ended): the parent's servers delegate to the
// new side now, but the registry may still move the delegation, to the
// old provider finish would call safe to decommission. A list that
// cannot be read holds it too (a false refusal rather than a false
// pass). A registrar that cannot list them, after a flip or rollback run
// that ended in a registrar error (failedAttempt), is a warning.
func (c *Config) finishPending(ctx context.Context, tr *Trail, rep *Report, g *Gate) {
	pl, ok := c.Registrar.(registrar.PendingLister)
	if !ok {
		if e := failedAttempt(tr, ""); e != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail's newest %s (at %s) ended in a registrar error (%s): check at the registrar that its change is not pending before decommissioning the old provider; a change made later moves the delegation back to it",
				e.Command, e.Time.UTC().Format(time.RFC3339), firstRegistrarError(e.Error)))
		}
		return
	}
	ops, err := pl.Pending(ctx, c.Zone.Origin)
	if err == nil && len(ops) == 0 {
		return
	}
	g.OK = false
	if err != nil {
		g.Detail += fmt.Sprintf("; but the registrar's changes not complete yet cannot be read (%v): one may still move the delegation", err)
		g.Plan = []string{"grant the registrar's credentials the listing of its operations (Route 53 Domains: route53domains:ListOperations)", "run " + zoneCmd(c.Zone.Origin, "finish") + " again"}
		return
	}
	g.Detail += fmt.Sprintf("; but the registrar has a change for the zone not complete yet: %s; it may still move the delegation from the new side the parent's servers serve now, to the old provider finish would call safe to decommission", describeOps(ops))
	g.Plan = []string{fmt.Sprintf("wait until the registrar completes %s (or fails it); %s shows where the parent delegates then", map[bool]string{true: "it", false: "them"}[len(ops) == 1], zoneCmd(c.Zone.Origin, "status")), "run " + zoneCmd(c.Zone.Origin, "finish") + " again (after a rollback completed: " + zoneCmd(c.Zone.Origin, "flip") + " first)"}
}

// statusPending is what status says of a registrar change that may still
// move the delegation: the registrar's pending operations when it is
// given one that lists them (status is usually run without a registrar:
// read-only credentials), else the trail's newest run ended in a
// registrar error.
func (c *Config) statusPending(ctx context.Context, tr *Trail, rep *Report) {
	if pl, ok := c.Registrar.(registrar.PendingLister); ok {
		ops, err := pl.Pending(ctx, c.Zone.Origin)
		if err == nil {
			if len(ops) > 0 {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("the registrar has a change for the zone not complete yet: %s; it may still move the delegation from what the parent's servers serve now; wait for it, then run the step again (flip or rollback: it moves the delegation back where it should be)", describeOps(ops)))
			}
			return
		}
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the registrar's changes not complete yet cannot be read: %v", err))
	}
	if e := failedAttempt(tr, ""); e != nil {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail's newest %s (at %s) ended in a registrar error (%s): a change it submitted may still be pending at the registrar and move the delegation; `dnsparity %s` asks the registrar before it reports nothing-to-do",
			e.Command, e.Time.UTC().Format(time.RFC3339), firstRegistrarError(e.Error), shell.Quote(e.Command)))
	}
}

func describeOps(ops []registrar.Operation) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = o.String()
	}
	return strings.Join(s, "; ")
}

// firstRegistrarError is the registrar's error of an entry's errors.
func firstRegistrarError(errs string) string {
	if i := strings.Index(errs, "registrar: "); i >= 0 {
		return errs[i:]
	}
	return errs
}
