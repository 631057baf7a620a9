package cutover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// Flip points the delegation to the new side when every gate passes.
func Flip(ctx context.Context, c *Config, dryRun, emergency bool) *Report {
	defer c.release()
	view := agreedView
	if emergency {
		view = emergencyView // the old provider is down: a lagging parent server does not hold it up
	}
	ctx = c.watchDates(ctx)
	rep, tr, ok := beginStep(ctx, c, "flip", view, emergency)
	rep.DryRun, rep.Emergency = dryRun, emergency
	if !ok || c.confirmPending(ctx, tr, rep) {
		return rep
	}
	// restore: the delegation a rollback comes back to, when this run
	// completes a flip whose registrar change was made half-way.
	var restore *registrar.Delegation
	if rep.Delegation.PointsTo == "new" {
		if off := c.halfMade(rep.Parent, c.New.Want(c.Zone.Origin, 0)); len(off) > 0 {
			restore = c.recordableOld(rep.Delegation.NSTTL)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to the new side's NS names, but not as the flip sets them (%s; the flip sets %s): a flip made half-way (a registry that kept an old host object, a registrar change cut short, glue entered by hand); this run completes it once its gates pass",
				strings.Join(off, "; "), describeDelegation(c.Zone.Origin, c.New.Want(c.Zone.Origin, 0))))
		}
	}
	if rep.Delegation.PointsTo == "mixed" {
		if both := c.partlyMoved(rep); both != "" {
			// Recorded as it stands (--from-current, or a later run),
			// the new side's names would be in the set a rollback
			// restores, sending resolvers on to the new side.
			restore = c.recordableOld(rep.Delegation.NSTTL)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to both sides' NS names (%s): a flip made half-way (a registrar that applies the change as an add and then a remove, a run cut short, a change by hand); this run completes it once its gates pass, and records %s as the delegation a rollback restores",
				both, describeDelegation(c.Zone.Origin, *restore)))
		}
	}
	// A flip made half-way skips points-to-old and the old servers'
	// asking (the parent names the new side already); a foreign set
	// replaced below does not: a planned flip stays strict about where
	// it starts from.
	halfway := restore != nil
	if restore == nil && rep.Delegation.PointsTo != "new" && (emergency || !c.FromCurrent && len(c.restoreForeign) > 0) {
		// The set found is what the trail would record as the one a
		// rollback restores: --emergency checks no points-to-old, and a
		// planned flip's points-to-old passes on a set an emergency flip
		// of an earlier release recorded.
		if foreign := c.foreignOld(tr, rep.Delegation.NS); len(foreign) > 0 {
			restore = c.recordableOld(rep.Delegation.NSTTL)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to NS %s, naming %s, which nothing vouches for as the old side's (not in providers.old.delegation, nor in a set a flip's points-to-old checked%s): the flip records %s, not that set, as the delegation a rollback restores; if a name is the old side's (a secondary the config does not list), add it to providers.old.delegation",
				strings.Join(rep.Delegation.NS, " "), strings.Join(foreign, " "), map[bool]string{true: "; --emergency checks none"}[emergency], describeDelegation(c.Zone.Origin, *restore)))
		}
	}
	if rep.Delegation.PointsTo == "new" && restore == nil {
		if c.pendingAtRegistrar(ctx, tr, rep) {
			return rep
		}
		rep.Result = ResultNothing
		rep.Actions = append(rep.Actions, "the parent already delegates to the new side: nothing to flip")
		if rep.Stage != StageFlipped && rep.Stage != StageFinished {
			// A flip that changed the registrar but was not recorded
			// (the run died): record it now, so the overlap counts. The
			// delegation it replaced, which a rollback restores, is in
			// the entry of the run whose registrar call made it.
			c.recordFound(ctx, tr, rep, c.New.Name, c.attemptedBefore(tr))
		}
		c.removeStaleGlue(ctx, rep)
		return rep
	}
	// The servers resolvers holding the old delegation ask are the old
	// side's, whatever providers.old.nameservers lists: the parent's,
	// or, made half-way (the parent names the new side's names already),
	// the one the trail recorded before the flip, else the configured.
	if halfway {
		c.askFromHeld(ctx, tr, rep, &c.Old)
	} else {
		c.askFromServers(ctx, rep, &c.Old, true)
	}
	c.checkingGates(ctx, rep, "flip", emergency, &c.New)
	// ttlAt is when the old TTLs expire, judged by the ttl-expired gate
	// at ttlNow: the flip names itself again at ttlAt when it is after
	// that same reading (the gate refused), not a later one that a slow
	// gate in between may have carried past it (a refused flip naming no
	// time). Zero: an emergency flip, which has no such gate.
	var ttlAt, ttlNow time.Time
	if !emergency && !halfway {
		want, source := c.expectedOld()
		rep.Gates = append(rep.Gates, gatePointsTo(c, GatePointsToOld, rep.Parent, want, source, c.FromCurrent, nil))
	}
	rep.Gates = append(rep.Gates, gateParentServers(ctx, c, rep, c.New.Want(c.Zone.Origin, 0).NS, nil))
	if emergency {
		gates, sum, lists := emergencyGates(ctx, c, rep, &c.Old, &c.New, c.New.Servers, "", "appear at the flip (git does not have them)")
		rep.listed = lists
		rep.Gates = append(rep.Gates, gates...)
		rep.Parity = sum
	} else {
		g, sum, lists := parityAndListing(ctx, c, GateParity, c.Old.Servers, c.New.Servers)
		rep.listed = lists
		c.soaAfresh()
		rep.Gates = append(rep.Gates, c.offerEmergency(ctx, c.apiDownPlan(g, lists, &c.Old), &c.Old))
		rep.Parity = sum
		t := observeTTLs(ctx, c, lists, sum)
		rep.TTL = &t
		rep.Gates = append(rep.Gates, gateTTLPrestaged(c.Zone.Origin, t, c.PrestageTTL, lists, sum))
		var ge Gate
		ttlNow = c.Now()
		ge, ttlAt = gateTTLExpired(tr, t, c.PrestageTTL, ttlNow)
		rep.Gates = append(rep.Gates, ge)
		rep.Gates = append(rep.Gates, gateAuthoritative(ctx, c, rep, GateNewAuthoritative, &c.New))
		rep.Gates = append(rep.Gates, gateDrift(c, lists))
		rep.Gates = append(rep.Gates, listingServed(ctx, c, gateCompleteListed(c, GateOldComplete, &c.Old, lists, "vanish at the flip (the new side does not serve them)", &g), &c.Old, lists.old, lists.answered(c, &c.Old)))
	}
	rep.Gates = append(rep.Gates, gateDNSSECAfter(ctx, c, tr, &c.New, &c.Old, rep, GateNewAuthoritative))
	rep.Gates = append(rep.Gates, gateDelegation(ctx, c, &c.New, nil, rep.Delegation.DS))
	rep.stepAgainAt("flip", ttlAt, ttlNow, "when the old TTLs have expired from caches")
	return move(ctx, c, tr, rep, &c.New, nil, restore)
}

// recordFound records the step's move to side target that a re-run found
// made in live DNS but not in the trail (its registrar call reported a
// failure after the registry took the change, or the run died), now,
// watched as after a change of its own (the previous delegation's expiry
// counts the side left's own NS TTL, and the parent's NS TTL the larger
// of before's and the one served now); before is the delegation it
// replaced, when known.
//
// A dry run records nothing and watches nothing (the watch runs up to
// cutover.watch; a dry-run entry counts for no reader of the trail): it
// says how to record the move.
func (c *Config) recordFound(ctx context.Context, tr *Trail, rep *Report, target string, before *registrar.Delegation) {
	if rep.DryRun {
		rep.Actions = append(rep.Actions, fmt.Sprintf("dry run: the %s found in live DNS is not recorded in the audit trail; `dnsparity %s --zone %s` without --dry-run records it (the overlap and the old delegation's expiry count from then)", rep.Command, shell.Quote(rep.Command), shell.Quote(c.Zone.Origin)))
		return
	}
	now := c.Now().UTC()
	d := rep.Delegation.served()
	// As move counts it: the larger of the NS TTL recorded before the
	// change and the one the parent's servers serve (the change was made
	// some time before now, with the delegation before it served until
	// then for its own TTL).
	ref := heldTTLs{ns: rep.Delegation.NSTTL, glue: rep.Delegation.GlueTTL}
	if before != nil {
		ref.ns, ref.glue = max(ref.ns, before.NSTTL), max(ref.glue, before.GlueTTL)
		ref.ds = dsChangeTTL(*before, d, rep.Delegation.DSTTL)
	}
	rep.Watch = watchMove(ctx, c, tr, rep, target, now, now, ref)
	e := c.entry(rep.Command, rep)
	// No before_ns_addrs: looked up now, long after the change, they
	// would approve a move made since (a rollback asks each address a
	// name leads to then for the zone's SOA instead: ns-moved).
	e.Result, e.After, e.ChangedAt, e.Before = ResultDone, &d, &now, before
	rep.Actions = append(rep.Actions, fmt.Sprintf("recorded the %s found in live DNS (not in the audit trail) at %s", rep.Command, now.Format(time.RFC3339)))
	if c.record(ctx, tr, rep, e) {
		rep.Changed++
	}
}
