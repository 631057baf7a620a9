package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// served is the delegation the parent's servers serve, as the registrar
// package writes one.
func (v DelegationView) served() registrar.Delegation {
	return registrar.Delegation{NS: v.NS, NSTTL: v.NSTTL, DS: v.DS, DSTTL: v.DSTTL, Glue: v.Glue, GlueTTL: v.GlueTTL}
}

// lastAttempt is the latest flip run since the trail's last move (done)
// whose recorded before names none of the new side's names (newSideIn):
// a run whose registrar call reported a failure after the registry took
// the change, or a refused or dry run before it. A run over a flip made
// half-way (the parent serving both sides' names) recorded that mixed set
// as it stood, and is passed over. nil when there is none. Its Before is
// what the parent served then, whoever vouched for it: the servers
// resolvers may still hold (heldDelegations), not necessarily the set a
// rollback restores (attemptedBefore).
func (c *Config) lastAttempt(tr *Trail) *Entry {
	for e := range tr.newestFirst() {
		if e.setsStage() {
			return nil
		}
		if e.Command == "flip" && e.Before != nil && len(e.Before.NS) > 0 && len(c.newSideIn(e.Before.NS)) == 0 {
			return e
		}
	}
	return nil
}

// attemptedBefore is the delegation a flip records as the one before it
// when the trail holds an attempt since the last move: that attempt's
// before, unless it names a name no gate vouched for (foreignOld), which
// restored would keep resolvers away from the old side; then the
// configured old delegation. nil when there is no attempt.
func (c *Config) attemptedBefore(tr *Trail) *registrar.Delegation {
	e := c.lastAttempt(tr)
	if e == nil {
		return nil
	}
	d := copyDelegation(*e.Before)
	if len(c.foreignOld(tr, d.NS)) > 0 {
		// A set no gate vouched for (a refused flip's, an emergency
		// flip's as it found it): recorded by the re-run, a later
		// planned flip would trust it and a rollback restore it. The
		// configured old delegation.
		d = c.Old.Want(c.Zone.Origin, d.NSTTL)
	}
	return &d
}

// delegationBefore is the delegation a step replaces: as the parent's
// servers serve it (rep.Delegation), or as the registrar holds it when
// that is the same NS set (with the TTLs the parent's servers serve where
// the registrar gives none); a registrar holding another NS set, or one
// that cannot be read, is a warning. other is the NS set the registrar
// holds when it is not the one the servers serve (nil otherwise).
func delegationBefore(ctx context.Context, c *Config, rep *Report) (before registrar.Delegation, other []string) {
	before = rep.Delegation.served()
	if held, err := c.Registrar.Delegation(ctx, c.Zone.Origin); err == nil {
		// A registrar whose API does not give the TTLs (0: Route 53
		// Domains) holds the delegation resolvers cache for as long as
		// the parent's servers say: the watch, old_delegation_expires and
		// the trail (ttl-expired, what a rollback restores) need that.
		if held.NSTTL == 0 {
			held.NSTTL = before.NSTTL
		}
		if held.DSTTL == 0 && len(held.DS) > 0 {
			held.DSTTL = before.DSTTL
		}
		if registrar.SameNS(held.NS, before.NS) || c.halfWaySpreading(rep, held.NS) {
			// (A view in motion: the registrar holds the set of the
			// step made half-way that a parent server serves, the
			// change still spreading; the step replaces that set.)
			before = held
		} else {
			// The gates checked what the parent's servers serve; a
			// registrar that holds another NS set holds a change not
			// yet published (a pending operation of an earlier run) or
			// one made while the gates ran: neither is the delegation
			// to come back to.
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the registrar holds NS %s, but the parent's servers serve NS %s (a change the registry has not published yet, or one made while the gates ran): the delegation before the change is recorded as the parent's servers serve it",
				strings.Join(held.NS, " "), strings.Join(before.NS, " ")))
			other = held.NS
		}
	} else {
		rep.Warnings = append(rep.Warnings, "cannot read the delegation from the registrar (the parent's servers' view is used): "+err.Error())
	}
	return before, other
}

// delegationMoved names what changed in the delegation since the step's
// gates read it, right before the registrar is asked: a parent server
// that serves another NS set, glue or DS than when the step began
// (rep.Parent), and a registrar that holds an NS set that is neither the
// one the servers serve nor the one the step sets (registrarNS: the
// registrar's when it differs from the servers', see delegationBefore).
// The gates (points-to, parent-servers, dnssec, delegation) judged the
// delegation read at the start; replacing another one would overwrite a
// change someone made meanwhile, and record it nowhere a rollback could
// come back to. A server in motion (rollback, flip --emergency) that now
// serves either delegation the step moves between, with the DS the view
// had, is the earlier change propagating; a server that does not answer
// is left to the confirmation; an emergency step, whose parent-registrar
// check only warns, is not held by the registrar.
func delegationMoved(ctx context.Context, c *Config, rep *Report, registrarNS, wantNS []string) []string {
	z := c.Zone.Origin
	same := func(a, b registrar.Delegation) bool {
		return sameDelegation(z, a, b) && sameDelegation(z, b, a) && sameDSText(a.DS, b.DS)
	}
	describe := func(d registrar.Delegation) string {
		return fmt.Sprintf("%s, %d DS", describeDelegation(z, d), len(d.DS))
	}
	was := map[string]registrar.AtServer{}
	for _, x := range rep.Parent {
		was[x.Server] = x
	}
	accepted := inMotion(c, rep)
	var out []string
	for _, now := range registrar.Lookup(ctx, c.ParentServers, z, c.Timeout) {
		if now.Err != "" {
			continue
		}
		then, seen := was[now.Server]
		seen = seen && then.Err == ""
		if seen && same(then.Delegation, now.Delegation) {
			continue
		}
		if slices.ContainsFunc(accepted, func(d registrar.Delegation) bool {
			d.DS = rep.Delegation.DS
			return same(d, now.Delegation)
		}) {
			continue
		}
		if seen {
			out = append(out, fmt.Sprintf("%s served %s, now %s", now.Server, describe(then.Delegation), describe(now.Delegation)))
		} else {
			out = append(out, fmt.Sprintf("%s did not answer, now serves %s", now.Server, describe(now.Delegation)))
		}
	}
	if registrarNS != nil && !rep.Emergency && !registrar.SameNS(registrarNS, wantNS) {
		out = append(out, fmt.Sprintf("the registrar holds NS %s, neither the NS set the parent's servers serve (%s) nor the one the %s sets", strings.Join(registrarNS, " "), strings.Join(rep.Delegation.NS, " "), rep.Command))
	}
	return out
}

// wantedDelegation is the delegation a step sets: target (nil: the side
// to's configured one, with the DS left alone), with the NS TTL of the
// delegation it replaces where it names none.
func wantedDelegation(c *Config, to *Side, target *registrar.Delegation, before registrar.Delegation) registrar.Delegation {
	want := to.Want(c.Zone.Origin, before.NSTTL)
	if target != nil {
		want = copyDelegation(*target)
		want.DS = target.DS // nil: left alone
		if want.NSTTL == 0 {
			want.NSTTL = before.NSTTL
		}
	}
	return want
}

// move makes the registrar change to side when the gates passed, confirms
// it at the parent's servers, watches propagation and records the step.
// target is the delegation to set (nil: the side's configured one, with
// the DS left alone). restore, when not nil, is what the trail records as
// the delegation before the change (a flip completing one made half-way:
// not the half-made delegation, which a rollback must not come back to).
func move(ctx context.Context, c *Config, tr *Trail, rep *Report, to *Side, target, restore *registrar.Delegation) *Report {
	ok := verdict(rep)
	before, registrarNS := delegationBefore(ctx, c, rep)
	want := wantedDelegation(c, to, target, before)
	rep.Change = &Change{Before: before, After: want}
	if !ok {
		return c.stopped(ctx, tr, rep, before)
	}
	refuseIfMovedUnder(ctx, c, rep, to, registrarNS, want.NS)
	if rep.Result != ResultRefused {
		c.refuseIfPendingAtRegistrar(ctx, tr, rep, want)
	}
	if rep.Result == ResultRefused {
		return c.stopped(ctx, tr, rep, before)
	}
	// A registrar that takes keys, not DS (Route 53 Domains), is given
	// the DNSKEY each DS is made from; want (what confirm and the trail
	// check) keeps the DS, which the parent serves.
	send, err := registrarWant(ctx, c, to, want, before.DS)
	if err != nil {
		return c.refuseKeys(ctx, tr, rep, to, before, err)
	}
	if err := sharedHostMoved(ctx, c, rep, want, before.Glue, rep.Delegation.Glue); err != nil {
		return c.registrarFailed(ctx, tr, rep, before, err, "the registrar was not asked to change anything: the change would move a nameserver host other zones may rely on")
	}
	if err := c.clockStops(rep); err != nil {
		return clockRefused(rep, err, "the registrar was not asked to change anything")
	}
	if rep.DryRun {
		return c.dryRunMove(ctx, tr, rep, before, want, send)
	}
	fmt.Fprintf(c.Log, "%s: registrar: replacing %s\n", c.Zone.Origin, describeChange(before, want))
	err = c.Registrar.SetDelegation(ctx, c.Zone.Origin, send)
	// A parent that keeps the change under a TTL cap of its own (BIND
	// max-zone-ttl) made it: a warning, and the TTL it keeps is the one
	// resolvers cache.
	// A failure after such a change (the sweep of glue no NS set names)
	// keeps the cap's warning beside its error: both are shown.
	kept, err := registrar.SplitKept(err)
	if kept != nil {
		rep.Warnings = append(rep.Warnings, "registrar: "+kept.Error())
	}
	if err != nil {
		return c.registrarFailed(ctx, tr, rep, before, err, ActionRegistrarFailed(c.Zone.Origin))
	}
	at := c.Now().UTC()
	rep.Change.At = at
	rep.Changed++
	rep.Actions = append(rep.Actions, fmt.Sprintf("registrar: replaced %s at %s", describeChange(before, want), at.Format(time.RFC3339)))
	var cf confirmation
	if altered := registrarAltered(ctx, c, before, want); altered != "" {
		// The registrar holds neither what it was given nor what it
		// held: no parent server will serve the change; waiting for
		// it would only hide why.
		cf.served = c.Now()
		rep.Errors = append(rep.Errors, altered)
		rep.Actions = append(rep.Actions, fmt.Sprintf("set the delegation at the registrar by hand to %s (or make the configured delegation one the registry keeps), then run %s", describeDelegation(c.Zone.Origin, want), zoneCmd(c.Zone.Origin, "status")))
	} else {
		cf = confirm(ctx, c, rep, want)
	}
	rep.Change.Confirmed = cf.ok
	served := cf.served
	after := want
	if kept != nil && kept.NSTTL < after.NSTTL {
		after.NSTTL = kept.NSTTL
	}
	if rep.Change.Confirmed {
		rep.Actions = append(rep.Actions, fmt.Sprintf("confirmed at every parent server (%s)", strings.Join(cf.servers, " ")))
		if changed := dsChangedWith(c, rep, want, cf); changed != "" {
			rep.Errors = append(rep.Errors, changed)
			rep.Actions = append(rep.Actions, fmt.Sprintf("set the DS set at the registrar back to the one the step left alone (%d records, key tags %s), or run %s: its dnssec gate judges the side under the DS set served now", len(rep.Delegation.DS), dsTagsText(rep.Delegation.DS), zoneCmd(c.Zone.Origin, "status")))
			rep.Result = ResultError
		}
	} else {
		left, _ := MoveSides(rep.Command)
		if cf.servers != nil { // confirm ran: the registrar holds the change
			rep.Errors = append(rep.Errors, fmt.Sprintf("the registrar accepted the change at %s, but after %s not every parent server serves it (NS, glue and DS): %s",
				at.Format(time.RFC3339), c.Confirm, orNone(cf.lag)))
			rep.Actions = append(rep.Actions, fmt.Sprintf("the change is made and recorded: resolvers that ask a parent server that does not serve it yet still go to the %s side; %s", left, reRunPending(rep.Zone, rep.Command, rep.Emergency)))
		}
		rep.Result = ResultError
	}
	rep.Delegation.NS, rep.Delegation.PointsTo = want.NS, PointsTo(want.NS, c.oldNames(), c.New.Delegation)
	if want.DS != nil {
		rep.Delegation.DS = want.DS
	}
	// Resolvers keep the replaced delegation as long as the parent
	// server they asked said: the largest NS TTL its servers served, and
	// the addresses of its names as long as its glue's TTL.
	rep.Watch = watchMove(ctx, c, tr, rep, to.Name, at, served, heldTTLs{ns: max(before.NSTTL, rep.Delegation.NSTTL), glue: max(before.GlueTTL, rep.Delegation.GlueTTL),
		ds: dsChangeTTL(before, want, rep.Delegation.DSTTL)})
	if rep.Result != ResultError {
		rep.Result = ResultDone
	}
	e := c.entry(rep.Command, rep)
	e.Result = ResultDone
	e.Before, e.After, e.ChangedAt = &before, &after, &at
	c.recordBefore(ctx, &e, restore)
	e.DelegatedTo, e.ParentNSTTL = []string{to.Name}, after.NSTTL // what the parent serves now
	if !rep.Change.Confirmed {
		// Not every parent server serves the change yet (a registry that
		// publishes later): they may still send resolvers to the side
		// left, until a later run sees them all on this one.
		e.DelegatedTo = []string{"old", "new"}
	}
	c.record(ctx, tr, rep, e)
	rep.Stage, _ = tr.Stage()
	rep.StageSince = &at
	rep.Next = c.moveNext(ctx, tr, rep, at)
	return rep
}

// recordBefore puts in e what a rollback restores: restore when the step
// completes one made half-way or found a set naming a name nothing
// vouches for as the old side's (recordableOld), with where its names led
// then (the set recorded before the last flip: not now, a name moved
// since is what ns-moved finds; the configured old one, none recorded or
// the recorded one not vouched for: where they lead now, as a flip from
// it records; a recorded one an older trail kept
// without addresses keeps none, as a name moved since would pass for
// where it led then), else the delegation it replaced and where its
// names lead now.
func (c *Config) recordBefore(ctx context.Context, e *Entry, restore *registrar.Delegation) {
	if restore == nil {
		c.recordBeforeAddrs(ctx, e)
		return
	}
	e.Before, e.BeforeNSAddrs = restore, maps.Clone(c.restoreAddrs)
	if c.restore == nil || !registrar.SameNS(c.restore.NS, restore.NS) {
		// (recordableOld: the configured old delegation, the
		// recorded set naming a name nothing vouches for)
		c.recordBeforeAddrs(ctx, e)
	}
}

// moveNext are the steps after a move made at at: the previous
// delegation's expiry and, after a flip, finish (counted as finish's
// overlap gate counts it).
func (c *Config) moveNext(ctx context.Context, tr *Trail, rep *Report, at time.Time) []Next {
	next := []Next{{Step: "old-delegation-expired", Earliest: rep.Watch.OldDelegationExpires, Detail: "the last cached copy of the previous delegation expires (change + the parent's NS TTL or glue TTL + the previous side's own NS TTL or the TTL of its in-zone NS names' addresses, which resolvers that took them from it keep; RFC 2181 §5.4.1)"}}
	if rep.Command == "flip" {
		// As finish counts it (settles, the one rule with status's
		// settled): the NS TTLs, and the old side's apex NS naming an
		// old server, which this step observed.
		finish := Next{Step: "finish", Earliest: maxTime(at.Add(c.Overlap), rep.Watch.OldDelegationExpires), Detail: "after policy.overlap and the old delegation's expiry; keep both providers identical until then"}
		if stage, last := tr.Stage(); stage == StageFlipped {
			// the flip recorded (else the overlap and the watch, above)
			w := c.finishWhen(ctx, tr, last, c.oldNS, rep.Delegation.NSTTL, c.Now())
			finish.Earliest = w.at
			if slices.Contains(w.waits, WaitOldApexNS) {
				finish.Detail += "; " + oldApexNSAdvice(c.Zone.Origin)
			}
		}
		next = append(next, finish)
	}
	return next
}

// dryRunMove ends a move's dry run once every gate passed: a registrar
// that can say whether it would take the change is asked, changing
// nothing, and the trail records what the step would do.
func (c *Config) dryRunMove(ctx context.Context, tr *Trail, rep *Report, before, want, send registrar.Delegation) *Report {
	// A registrar that can say whether it would take the change
	// (the parent registrar: glue a sibling delegation relies on it
	// refuses to move) is asked, changing nothing: the dry run says
	// what the step would run into.
	if pl, ok := c.Registrar.(registrar.Planner); ok {
		if err := pl.Plan(ctx, c.Zone.Origin, send); err != nil {
			return c.registrarFailed(ctx, tr, rep, before, err, "dry run: the registrar would not take the change; nothing was changed")
		}
	}
	rep.Result = ResultDryRun
	rep.Actions = append(rep.Actions, "dry run: every gate passes; the registrar would replace "+describeChange(before, want))
	if d, ok := c.Registrar.(interface {
		Describe(zone string, want registrar.Delegation) string
	}); ok {
		rep.Actions = append(rep.Actions, d.Describe(c.Zone.Origin, send))
	}
	e := c.entry(rep.Command, rep)
	e.Before, e.After = &before, &want
	c.record(ctx, tr, rep, e)
	return rep
}

// stopped records the step as rep stands, the delegation not changed
// (before), and returns rep.
func (c *Config) stopped(ctx context.Context, tr *Trail, rep *Report, before registrar.Delegation) *Report {
	e := c.entry(rep.Command, rep)
	e.Before = &before
	c.record(ctx, tr, rep, e)
	return rep
}

// ActionRegistrarFailed is the action of a step whose registrar change
// failed (RegistrarFailed).
func ActionRegistrarFailed(zone string) string {
	return "the registrar change failed; the delegation may be unchanged or changed: run " + zoneCmd(zone, "status") + ", then the step again (it converges)"
}

// registrarFailed makes rep an error of the registrar step
// (RegistrarFailed), recorded as stopped.
func (c *Config) registrarFailed(ctx context.Context, tr *Trail, rep *Report, before registrar.Delegation, err error, action string) *Report {
	rep.RegistrarFailed(err, action)
	return c.stopped(ctx, tr, rep, before)
}

// RegistrarFailed makes r an error of the registrar step: err quoted as
// "registrar: " and its text, and action (what was done and what to do).
// The reports' tests quote a registrar's error through it, as a step
// does.
func (r *Report) RegistrarFailed(err error, action string) {
	r.Result = ResultError
	r.Errors = append(r.Errors, "registrar: "+err.Error())
	r.Actions = append(r.Actions, action)
}

// refuseIfMovedUnder makes the step's gates unmet when what they judged
// moved while they ran: a server's serial (a push: parity's), what a
// provider lists when no serial moved (parity's too), a server
// that stopped answering or answering with authority (its side's
// authoritative gate, added when the step has none), or else the
// delegation the parent serves (parent-servers); to is the side the step
// moves to. The registrar is not called after it refuses.
func refuseIfMovedUnder(ctx context.Context, c *Config, rep *Report, to *Side, registrarNS, wantNS []string) {
	if pushed := pushedSince(c, rep.trailLen); len(pushed) > 0 {
		// A push the serials may not show (a provider whose serial does
		// not move with a change, as Route 53's): the trail says so.
		changedWhileGatesRan(rep, "the zone", pushed, "what was proven may not be what the servers serve now",
			[]string{"let the push finish (both providers)", "run the step again: its gates check what the servers serve then"},
			GateParity, GateOldParity, GateNewMatchesGit)
		return
	}
	since := changedSince(ctx, c, rep.serials)
	if !since.any() {
		// A change that moves no serial (Route 53's never moves, nor
		// does a PowerDNS zone's without SOA-EDIT-API) and that no
		// push of this checkout recorded (the provider's UI, another
		// checkout): what the providers list now is not what the
		// gates judged.
		if moved := listingMoved(ctx, c, rep.listed); len(moved) > 0 {
			changedWhileGatesRan(rep, "the zone", moved, "what was proven is not what the providers hold now",
				[]string{"find out who changed the zone at the provider (its UI or API, another checkout's push), and bring it back to git or take the change into git", "run the step again: its gates check what the providers hold then"},
				GateParity, GateOldParity, GateNewMatchesGit)
			return
		}
	}
	if since.any() {
		if len(since.serials) > 0 {
			// Parity was proven against the data the servers served
			// when the gates began; a push since (push does not wait
			// for a step) may have made a side differ: prove it again.
			changedWhileGatesRan(rep, "the zone", since.serials, "what was proven is not what the servers serve now",
				[]string{"let the push that changed it finish (both providers)", "run the step again: its gates check what the servers serve then"},
				GateParity, GateOldParity, GateNewMatchesGit)
		}
		// A server that stopped answering, or answering with
		// authority, is no push to wait for: its side's authoritative
		// gate (added when the step has none) says so.
		for _, gate := range []string{GateOldAuthoritative, GateNewAuthoritative} {
			if lost := since.lost[gate]; len(lost) > 0 {
				plan := []string{fmt.Sprintf("make that server serve the zone with authority again (push it, or fix the secondary or the %s provider's service)", authSide(gate)), "run the step again: its gates check what the servers serve then"}
				if authSide(gate) != to.Name {
					// The side the step leaves: not to be mended for
					// its own sake; down, it is an emergency's.
					plan = []string{"run the step again: its gates check what the servers serve then", fmt.Sprintf("if the %s side stays down, the gates offer the emergency step (`--emergency`)", authSide(gate))}
				}
				changedWhileGatesRan(rep, "what the "+authSide(gate)+" nameservers answer", lost, "the gates judged answers with authority that the server no longer gives", plan, gate)
			}
		}
	} else if moved := delegationMoved(ctx, c, rep, registrarNS, wantNS); len(moved) > 0 {
		changedWhileGatesRan(rep, "the delegation", moved, "the gates judged one no longer served",
			[]string{"find out who changed the delegation (another step, someone at the registrar) before any registrar change", "run " + zoneCmd(c.Zone.Origin, "status") + ", then the step again: its gates check the delegation served then"},
			GateParentServers)
	}
	if rep.Result == ResultRefused {
		return
	}
	if moved := keysMoved(ctx, c, rep); len(moved) > 0 {
		changedWhileGatesRan(rep, "the DNSKEY set the nameservers serve", moved, "the dnssec gate judged another key set against the parent's DS and the other side's DNSKEY set",
			[]string{"find out who changed the provider's DNSSEC (its console or API: signing switched off, a key rolled) and why", "run the step again: its dnssec gate checks the keys served then"},
			GateDNSSEC)
	}
}

// registrarAltered reads the delegation back from the registrar right
// after it accepted want, and says what is wrong when it holds an NS set
// that is neither want's nor the one it held before, or want's NS set
// with other glue for its names in the zone: a registrar or registry
// that silently changed what it was given (kept only so many NS names,
// dropped a host object it does not know, kept the address of one it
// holds already). Empty when it holds
// want, still holds before (a registry that publishes later, an
// asynchronous operation), or cannot be read. Not the DS set: a registry
// computes its DS from the keys it was given (Route 53 Domains), in
// digest types of its own, and one not set is completed by a re-run
// (dsHalfMade).
func registrarAltered(ctx context.Context, c *Config, before, want registrar.Delegation) string {
	held, err := c.Registrar.Delegation(ctx, c.Zone.Origin)
	if err != nil {
		return ""
	}
	held, b, w := copyDelegation(held), copyDelegation(before), copyDelegation(want)
	var off []string
	if !registrar.SameNS(held.NS, w.NS) && !registrar.SameNS(held.NS, b.NS) {
		var dropped []string
		for _, n := range w.NS {
			if !slices.Contains(held.NS, n) {
				dropped = append(dropped, n)
			}
		}
		off = append(off, fmt.Sprintf("NS %s, not NS %s (missing: %s)", strings.Join(held.NS, " "), strings.Join(w.NS, " "), orNone(dropped)))
	}
	if registrar.SameNS(held.NS, w.NS) {
		// The NS set as given, and the addresses of its names in the
		// zone otherwise (a host object the registry holds already,
		// linked with the address it has; an address family it does
		// not take): resolvers follow that glue to servers the gates
		// never asked, and no parent server will serve the glue the
		// confirmation waits for.
		inZone := func(g map[string][]string) map[string][]string {
			out := map[string][]string{}
			for _, n := range w.NS {
				if registrar.InBailiwick(n, c.Zone.Origin) && len(g[n]) > 0 {
					out[n] = g[n]
				}
			}
			return out
		}
		if hg, wg := inZone(held.Glue), inZone(w.Glue); !registrar.SameGlue(hg, wg) {
			off = append(off, fmt.Sprintf("glue %s, not glue %s", registrar.GlueText(hg), registrar.GlueText(wg)))
		}
	}
	if len(off) == 0 {
		return ""
	}
	return fmt.Sprintf("the registrar accepted the change, but now holds %s: it changed the delegation it was given (a registry's limit on the number of NS records, a host object it does not know or holds with another address); the parent will serve what it holds, not the delegation the gates checked", strings.Join(off, "; and "))
}

// notServing names each parent server of views that does not serve want
// (NS set, glue, and the DS set when want sets one), with what it serves
// or why it did not answer.
func notServing(z string, views []registrar.AtServer, want registrar.Delegation) []string {
	var out []string
	for _, v := range views {
		switch {
		case v.Err != "":
			out = append(out, fmt.Sprintf("%s does not answer (%s)", v.Server, v.Err))
		case !registrar.Serves([]registrar.AtServer{v}, want):
			out = append(out, fmt.Sprintf("%s serves %s, %d DS", v.Server, describeDelegation(z, v.Delegation), len(v.Delegation.DS)))
		}
	}
	return out
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none now"
	}
	return strings.Join(xs, "; ")
}

// reRunPending says what to do about a registrar change not yet served by
// every parent server: the step run again confirms it (confirmPending).
func reRunPending(zone, command string, emergency bool) string {
	var flags []string
	if emergency {
		flags = append(flags, "--emergency")
	}
	return fmt.Sprintf("run %s again: it confirms the change at every parent server without asking the registrar again (%s shows each server)", zoneCmd(zone, command, flags...), zoneCmd(zone, "status"))
}

// ownChange is a registrar change an earlier run of a step made but did
// not see served by every parent server, which a re-run of that step
// confirms (confirmPending): the trail's last move, entry.
type ownChange struct {
	entry *Entry
	want  registrar.Delegation // what it set
}

// pendingChange is the trail's last move when it is command's change not
// yet confirmed at every parent server (a server down, one that missed
// the change, a registry publishing later): its entry and every one
// since naming both sides (delegated_to), and the registrar still holding
// exactly what it set. nil otherwise (another move, confirmed, finished,
// or a registrar holding something else: the step's gates judge the
// delegation as it is).
func (c *Config) pendingChange(ctx context.Context, tr *Trail, command string) *ownChange {
	stage, e := tr.Stage()
	if c.Registrar == nil || e == nil || stage == StageFinished || e.Command != command || e.ChangedAt == nil || e.After == nil || !tr.unconfirmed(e) {
		return nil
	}
	want := copyDelegation(*e.After)
	held, err := c.Registrar.Delegation(ctx, c.Zone.Origin)
	if err != nil || !sameDelegation(c.Zone.Origin, held, want) || want.DS != nil && !sameDSText(held.DS, want.DS) {
		return nil
	}
	return &ownChange{entry: e, want: want}
}

// confirmPending completes a re-run of a step (flip, planned or
// emergency, or rollback) whose registrar change an earlier run made but
// did not see served by every parent server (Config.pending, read by
// begin). The re-run does not ask the registrar again (a second registry
// operation, in the middle of an incident or while the first is being
// published, recorded with a "before" read from a view in motion) and
// runs no gate (the change they judged is made): it confirms the change
// at every parent server as the step does (Config.Confirm), and says done
// (nothing-to-do, exit 0) only when each serves it, else exit 2 naming
// those that do not. It records what it saw (delegated_to: the side moved
// to once confirmed). false: not such a re-run (the caller goes on).
func (c *Config) confirmPending(ctx context.Context, tr *Trail, rep *Report) bool {
	if c.pending == nil {
		return false
	}
	e, want := c.pending.entry, copyDelegation(c.pending.want)
	from, to := MoveSides(e.Command)
	changed := e.ChangedAt.UTC().Format(time.RFC3339)
	fmt.Fprintf(c.Log, "%s: %s: the registrar holds the change made at %s; confirming it at every parent server\n", c.Zone.Origin, rep.Command, changed)
	var before registrar.Delegation
	if e.Before != nil {
		before = *e.Before
	}
	rep.Change = &Change{Before: before, After: want, At: *e.ChangedAt}
	cf := confirm(ctx, c, rep, want)
	rep.Change.Confirmed = cf.ok
	served := cf.served
	rep.Actions = append(rep.Actions, fmt.Sprintf("the registrar already holds the %s's change made at %s (%s): not asked again", e.Command, changed, describeDelegation(c.Zone.Origin, want)))
	ent := c.entry(rep.Command, rep)
	ent.Gates = nil
	if rep.Change.Confirmed {
		rep.Result = ResultNothing
		rep.Delegation.NS, rep.Delegation.PointsTo = want.NS, to
		rep.Actions = append(rep.Actions, fmt.Sprintf("confirmed at every parent server (%s)", strings.Join(cf.servers, " ")))
		ent.DelegatedTo = []string{to}
		rep.Next = append(rep.Next, Next{Step: "old-delegation-expired", Earliest: pendingExpires(e, served, ent.parentTTL()).UTC(),
			Detail: "the last cached copy of the previous delegation expires (the confirmation + parent NS TTL + the previous side's own NS TTL)"})
	} else {
		rep.Result = ResultError
		rep.Errors = append(rep.Errors, fmt.Sprintf("the %s's change made at %s is still not served by every parent server after %s (NS, glue and DS): %s", e.Command, changed, c.Confirm, orNone(cf.lag)))
		rep.Actions = append(rep.Actions, fmt.Sprintf("resolvers that ask a parent server that does not serve it yet still go to the %s side; %s", from, reRunPending(rep.Zone, rep.Command, rep.Emergency)))
		ent.DelegatedTo = []string{"old", "new"}
	}
	ent.Result = rep.Result
	c.record(ctx, tr, rep, ent)
	return true
}

// pendingExpires is when the last cached copy of the delegation the
// pending move e replaced expires once a re-run confirmed it: resolvers
// may have taken it from a server that served it until the confirming
// polls began (served), and keep it for the parent's NS TTL (the move's,
// movedNSTTL, or seen, what the re-run read from the parent's servers,
// when larger), then the side left's own NS TTL. seen counts here, not
// in movedNSTTL once a TTL was recorded, on purpose: a re-run's view in
// motion is the delegation it moves from (readParent), so seen may be
// the TTL a server still serving it gave, while status's reading after a
// move is the new delegation's.
func pendingExpires(e *Entry, served time.Time, seen uint32) time.Time {
	from, _ := MoveSides(e.Command)
	return served.Add(time.Duration(max(movedNSTTL(e), seen)+leftHeldTTL(e, from)) * time.Second)
}

// sharedHostMoved is the refusal (nil: none) of a change to want that
// would move a nameserver host other zones rely on, for every registrar
// (registrar.SharedHostMoved): one that reads the parent zone
// (OtherNSReader: the parent registrar) is judged by the other NS sets
// it holds; any other (Route 53 Domains, manual), which cannot say which
// zones name a host, by the addresses held now, cur (what the registrar
// holds and the parent's servers serve), unless policy.delegation.accept
// lists shared-host (then a warning of rep). A parent zone that cannot be
// read refuses: a false refusal rather than a false pass.
func sharedHostMoved(ctx context.Context, c *Config, rep *Report, want registrar.Delegation, cur ...map[string][]string) error {
	if r, ok := c.Registrar.(registrar.OtherNSReader); ok {
		others, err := r.OtherNS(ctx, c.Zone.Origin)
		if err != nil {
			return fmt.Errorf("the parent zone's other delegations, which may share a nameserver host with %s: %w", c.Zone.Origin, err)
		}
		return registrar.SharedHostMoved(c.Zone.Origin, nil, want, &others)
	}
	err := registrar.SharedHostMoved(c.Zone.Origin, cur, want, nil)
	if err != nil && slices.Contains(c.Delegation.Accept, delegation.CheckSharedHost) {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("registrar: %v (accepted by policy.delegation.accept: %s)", err, delegation.CheckSharedHost))
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w; when no other zone names the host (vanity nameservers moved to the new provider's addresses), accept it with policy.delegation.accept: [%s]", err, delegation.CheckSharedHost)
	}
	return nil
}

// watchMove watches the resolvers move to target after the step's change
// at (served: until when the parent may have served the delegation
// before), counting nsTTL for the parent's NS TTL. When no server of the
// side left behind answers with authority (its provider down: an
// emergency step, or one that failed since the gates ran; or only lame
// servers answering, whose TTL is not the zone's, servedNSTTL), its own
// NS TTL, which resolvers that
// took its NS set keep, cannot be read. Counting none would end the
// previous delegation at the parent's NS TTL: the trail's bound counts
// instead, with a warning.
func watchMove(ctx context.Context, c *Config, tr *Trail, rep *Report, target string, at, served time.Time, ref heldTTLs) *WatchResult {
	left, _ := MoveSides(rep.Command) // the side this step leaves
	unread := func() uint32 {
		ttl, how := tr.nsTTLBound(left)
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no %s nameserver answers with authority for the %s side's own NS TTL (its provider is down, its servers lame, or out of reach from here): old_delegation_expires counts %d s for it, %s", left, left, ttl, how))
		return ttl
	}
	w := watch(ctx, c, target, at, served, ref, unread)
	if len(c.Resolvers) == 0 {
		rep.Warnings = append(rep.Warnings, "watch: "+noResolvers)
	}
	return w
}

func describeChange(before, want registrar.Delegation) string {
	s := fmt.Sprintf("NS %s with NS %s", strings.Join(before.NS, " "), strings.Join(want.NS, " "))
	var glue []string
	for n, as := range want.Glue {
		glue = append(glue, n+" "+strings.Join(as, " "))
	}
	if len(glue) > 0 {
		s += " (glue " + strings.Join(glue, ", ") + ")"
	}
	if want.DS != nil {
		s += fmt.Sprintf(", DS %d → %d records", len(before.DS), len(want.DS))
	}
	return s
}

// confirmation is what confirm saw: ok when every server served the
// change on c.movedAfter() consecutive polls; served, until when the
// parent may have served the delegation before (the start of the
// confirming run of polls; when not confirmed, the last poll), from which
// that delegation's NS TTL counts; the servers polled; lag, when not
// confirmed, each that does not serve it and what it serves.
type confirmation struct {
	ok      bool
	served  time.Time
	servers []string
	lag     []string
	// views are the last poll's answers.
	views []registrar.AtServer
}

// dsChangedWith says, for a step that left the DS set alone (want.DS
// nil) and whose change every parent server serves (cf, confirmed),
// what is wrong when they serve another DS set than before the change
// (rep.Delegation.DS, the one the step's dnssec gate judged the side it
// moves to under, or another it judged because a parent server served
// it, rep.dsServed): a registrar that changed it with the nameservers (one
// that drops the DNSSEC records it did not create, a form that resets
// them). The confirmation compares the NS set and glue alone there, so
// the step said done while validating resolvers judge the side under a
// DS set no gate judged (TestFlipRegistrarChangedDSLab: the old KSK's
// alone, every name SERVFAIL). "" when it is the same.
func dsChangedWith(c *Config, rep *Report, want registrar.Delegation, cf confirmation) string {
	if want.DS != nil || !cf.ok {
		return ""
	}
	for _, v := range cf.views {
		if v.Err != "" {
			continue
		}
		// A DS change half-published when the step began (a view in
		// motion): the gate judged every set served (rep.dsServed).
		// Every server is judged: parent servers that differ (an
		// anycast node the registrar's change reached first) are each
		// a DS set resolvers may get.
		if sameDSText(v.Delegation.DS, rep.Delegation.DS) || slices.ContainsFunc(rep.dsServed, func(d servedDS) bool { return sameDSText(d.DS, v.Delegation.DS) }) {
			continue
		}
		_, to := MoveSides(rep.Command)
		return fmt.Sprintf("the parent's servers serve the %s's NS set with another DS set than before it (%d records, key tags %s, not %d, key tags %s), which the %s left alone and its dnssec gate judged: the registrar changed it with the nameservers; validating resolvers judge the %s side under the DS set served now",
			rep.Command, len(v.Delegation.DS), dsTagsText(v.Delegation.DS), len(rep.Delegation.DS), dsTagsText(rep.Delegation.DS), rep.Command, to)
	}
	return ""
}

// confirm polls every parent server until each serves want (NS, glue,
// and DS when set) on c.movedAfter() consecutive polls, within c.Confirm:
// one address may be several nodes (a registry's anycast, a pool behind a
// load balancer) that take the change one by one, as for the watch's
// resolvers. The parent servers are cutover.parent_servers and every
// other address of the parent zone's own NS set that serves the parent
// zone (confirmServers): resolvers ask those too, and one still serving
// the delegation the change replaced sends them there. What it cannot
// see (an unlisted address that does not answer, an NS name of the parent
// with no address found) is a warning in rep naming it.
func confirm(ctx context.Context, c *Config, rep *Report, want registrar.Delegation) confirmation {
	servers, unseen := confirmServers(ctx, c)
	if len(unseen) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the change is confirmed at %s, not at: %s; resolvers that ask a server it cannot see may still get the delegation before the change until it serves it (run the step again from a machine that reaches it, or list its address in cutover.parent_servers)",
			strings.Join(servers, " "), strings.Join(unseen, "; ")))
	}
	cf := confirmation{servers: servers}
	deadline := c.Now().Add(c.Confirm)
	need, run := c.movedAfter(), 0
	every := c.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	fmt.Fprintf(c.Log, "%s: confirming the change at %s (%s), at most %s\n", c.Zone.Origin, plural.N(len(servers), "parent server", "parent servers"), strings.Join(servers, " "), c.Confirm)
	said := c.Now()
	var views []registrar.AtServer
	for {
		polled := c.Now()
		views = registrar.Lookup(ctx, servers, c.Zone.Origin, c.Timeout)
		if !registrar.Serves(views, want) {
			run, cf.served = 0, c.Now()
		} else if run++; run == 1 {
			cf.served = polled
		}
		cf.views = views
		if run >= need {
			cf.ok = true
			return cf
		}
		if c.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		if lag := notServing(c.Zone.Origin, views, want); len(lag) > 0 && c.Now().Sub(said) >= every {
			said = c.Now()
			fmt.Fprintf(c.Log, "%s: still waiting (%s left) for %s\n", c.Zone.Origin, deadline.Sub(c.Now()).Round(time.Second), strings.Join(lag, "; "))
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
			continue
		}
		break
	}
	cf.served = c.Now()
	cf.lag = notServing(c.Zone.Origin, views, want)
	return cf
}

// checkingGates says on progress that step checks its gates, and reads
// the serials of the sides it asks: in an emergency only the side it
// moves to, up (the other is down).
func (c *Config) checkingGates(ctx context.Context, rep *Report, step string, emergency bool, up *Side) {
	fmt.Fprintf(c.Log, "%s: %s%s: checking the gates\n", c.Zone.Origin, step, map[bool]string{true: " --emergency"}[emergency])
	rep.trailLen = -1
	if tr, err := ReadTrail(c.TrailPath, c.Zone.Origin); err == nil && c.TrailPath != "" {
		rep.trailLen = len(tr.Entries)
	}
	if emergency {
		rep.serials = serials(ctx, c, up)
	} else {
		rep.serials = serials(ctx, c, &c.Old, &c.New)
	}
}

// serials are the SOA serials the servers of sides serve in the step
// (apexSOASeen: the SOA the step's gates judge), by server (one that does
// not answer is left out).
func serials(ctx context.Context, c *Config, sides ...*Side) map[string]uint32 {
	out := map[string]uint32{}
	for _, s := range sides {
		for i, a := range c.soaSeen.apexSOAOf(ctx, c, s.Servers) {
			if n, err := a.serial(); err == nil {
				out[s.Servers[i]] = n
			}
		}
	}
	return out
}

// pushedSince are the pushes and syncs the zone's audit trail, read
// again, holds beyond its first n entries (what it held when the gates
// began: the trail is append-only and in time order, and only pushes
// append while the step holds the zone's lock), each "push by ACTOR at
// TIME (SIDES)"; a trail that cannot be read again is one entry saying so
// (the step cannot tell). A push takes the trail's own lock, never the
// step's (RecordPush): it may land while the gates run. n < 0: not read
// when the gates began, none.
func pushedSince(c *Config, n int) []string {
	if n < 0 {
		return nil
	}
	tr, err := ReadTrail(c.TrailPath, c.Zone.Origin)
	if err != nil {
		return []string{fmt.Sprintf("the audit trail could not be read again to see whether a push landed: %v", err)}
	}
	var out []string
	for i, e := range tr.Entries {
		if len(e.Pushed) == 0 || i < n {
			continue
		}
		out = append(out, fmt.Sprintf("%s by %s at %s (%s)", e.Command, dash(e.Actor), e.Time.UTC().Format(time.RFC3339), strings.Join(slices.Sorted(maps.Keys(e.Pushed)), ", ")))
	}
	return out
}

// changedSinceGates is what changedSince found: servers whose SOA
// serial moved since the gates read it (serials: a push, which the parity
// gates' verdict no longer covers), and servers that no longer answer, or
// no longer with authority (lost, by the authoritative gate of their
// side: the gates judged an answer they no longer give).
type changedSinceGates struct {
	serials []string
	lost    map[string][]string
}

func (s changedSinceGates) any() bool { return len(s.serials) > 0 || len(s.lost) > 0 }

// changedSince compares each server's SOA now with the serial it served
// when the gates began (seen): one that no longer answers, or no longer
// answers authoritatively (lame, REFUSED with an SOA: the gates'
// authoritative gates judged an answer read before this, after parity),
// is lost, under its side's authoritative gate (authGate); one that
// answers with authority another serial is a serial change. Each is asked
// afresh (askSOA, not the step's answer), all at once: the point is a
// change since.
func changedSince(ctx context.Context, c *Config, seen map[string]uint32) changedSinceGates {
	var out changedSinceGates
	servers := slices.Sorted(maps.Keys(seen))
	for i, a := range askSOAs(ctx, c, servers) {
		srv, was := servers[i], seen[servers[i]]
		n, err := a.serial()
		switch why, _ := a.authoritative(c.Zone.Origin); {
		case err != nil:
			out.lose(c, srv, fmt.Sprintf("%s served serial %d, now %v", srv, was, err))
		case why != "":
			// Whatever its serial: a server that is no longer
			// authoritative (lame, REFUSED with an SOA) does not serve
			// what the gates judged.
			if n == was {
				out.lose(c, srv, fmt.Sprintf("%s serial %d, but it %s now", srv, was, why))
			} else {
				out.lose(c, srv, fmt.Sprintf("%s served serial %d, now %d, but it %s", srv, was, n, why))
			}
		case n != was:
			out.serials = append(out.serials, fmt.Sprintf("%s serial %d → %d", srv, was, n))
		}
	}
	return out
}

// lose records srv, which no longer answers with authority, under the
// authoritative gate of each side it serves.
func (s *changedSinceGates) lose(c *Config, srv, detail string) {
	if s.lost == nil {
		s.lost = map[string][]string{}
	}
	for _, g := range authGates(c, srv) {
		s.lost[g] = append(s.lost[g], detail)
	}
}

// authGates are the authoritative gates of the sides server is a
// nameserver of: new-authoritative for one of the new side's, and
// old-authoritative for one of the old side's or one of neither (a
// rollback's recorded delegation, which is the old side's).
func authGates(c *Config, server string) []string {
	var out []string
	if slices.Contains(c.Old.Servers, server) || !slices.Contains(c.New.Servers, server) {
		out = append(out, GateOldAuthoritative)
	}
	if slices.Contains(c.New.Servers, server) {
		out = append(out, GateNewAuthoritative)
	}
	return out
}

// authSide is the side whose authoritative gate gate is ("old", "new").
func authSide(gate string) string {
	if gate == GateOldAuthoritative {
		return "old"
	}
	return "new"
}

// changedWhileGatesRan refuses a step when what its gates judged (what:
// the zone the servers serve, the delegation the parent serves) changed
// while they ran, as moved names: the gates named are unmet (the first
// added when the step has none of them), saying why their verdict no
// longer holds and what to do, and the registrar is left untouched.
func changedWhileGatesRan(rep *Report, what string, moved []string, why string, plan []string, gates ...string) {
	found := false
	for i := range rep.Gates {
		g := &rep.Gates[i]
		if !slices.Contains(gates, g.Name) {
			continue
		}
		found = true
		g.OK = false
		g.Detail += "; but " + what + " changed while the gates ran (" + strings.Join(moved, "; ") + "): " + why
		g.Plan = plan
	}
	if !found {
		// The step has none of them (a planned flip has no
		// old-authoritative gate): the first is added, unmet.
		rep.Gates = append(rep.Gates, Gate{Name: gates[0], Detail: what + " changed while the gates ran (" + strings.Join(moved, "; ") + "): " + why, Plan: plan})
	}
	rep.Result = ResultRefused
	rep.Actions = append(rep.Actions, "nothing changed at the registrar: "+what+" changed while the gates ran ("+strings.Join(moved, "; ")+")")
}
