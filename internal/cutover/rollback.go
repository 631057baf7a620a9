package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// Rollback points the delegation back to the old side, gated on the old
// side answering in parity with the new one and on DNSSEC against it.
// emergency (`rollback --emergency`, the mirror of flip --emergency) is
// the way back when the new provider is down: every new server must fail
// (new-down), and the old side is checked against git instead of the new
// side (old-matches-git, old-authoritative, old-complete).
func Rollback(ctx context.Context, c *Config, dryRun, emergency bool) *Report {
	defer c.release()
	ctx = c.watchDates(ctx)
	rep, tr, ok := beginStep(ctx, c, "rollback", rollbackView, emergency)
	rep.DryRun, rep.Emergency = dryRun, emergency
	if !ok || c.confirmPending(ctx, tr, rep) {
		return rep
	}
	half, stop := c.rollbackHalfMade(ctx, tr, rep)
	if stop {
		return rep
	}
	if half {
		c.askFromHeld(ctx, tr, rep, &c.New)
	} else {
		c.askFromServers(ctx, rep, &c.New, true)
	}
	// The new side's apex NS as the rollback leaves it (the entry's
	// new_apex_ns): status's new-apex-ns counts a set naming a new
	// server from here on, not from its own first reading.
	c.newNS = observeNewNS(ctx, c, tr, nil)
	c.checkingGates(ctx, rep, "rollback", emergency, &c.Old)
	if !half {
		m, _ := c.moves(rollbackView)
		rep.Gates = append(rep.Gates, gatePointsTo(c, GatePointsToNew, rep.Parent, m.from, "the configured delegation of providers.new (delegation, glue from nameservers)", false, &m))
	}
	// The NS set, glue and DS recorded before the flip come back exactly:
	// every server of that delegation answers resolvers again, a server
	// the config does not list (a secondary flip --from-current recorded)
	// too, so parity is proven on each this machine can ask.
	target := c.rollbackTarget(rep.Delegation)
	if target != nil {
		rep.Gates = append(rep.Gates, gateParentServers(ctx, c, rep, target.NS, target.DS))
	} else {
		rep.Gates = append(rep.Gates, gateParentServers(ctx, c, rep, c.Old.Want(c.Zone.Origin, 0).NS, nil))
	}
	// The old side's servers are those finish asks (oldServers): the
	// recorded delegation's names lead resolvers to them once it is
	// back, in-zone names by their glue, the others resolved. A name
	// whose lookup failed is named with those not asked from here.
	oldServers, recorded, notAsked := c.oldServersAsked(ctx, true)
	// The side the rollback moves to, as resolvers reach it once the
	// recorded delegation is back: what the servers it adds to the
	// config's serve beyond the old provider's listing (old-complete)
	// would come back for the resolvers that pick them, and each must
	// validate (dnssec).
	restored := c.restoredOld(oldServers, recorded)
	// The serial re-check covers them too, as a flip's covers the
	// servers askFromServers adds.
	if rep.serials != nil {
		maps.Copy(rep.serials, serials(ctx, c, &Side{Servers: recorded}))
	}
	pre := GateOldParity
	if emergency {
		pre = GateOldMatchesGit
		var note string
		if len(notAsked) > 0 {
			note = "servers of the recorded delegation not asked from here: " + strings.Join(notAsked, "; ")
		}
		gates, sum, lists := emergencyGates(ctx, c, rep, &c.New, &c.Old, oldServers, note, "come back at the rollback (git does not have them)")
		rep.listed = lists
		rep.Gates = append(rep.Gates, gates...)
		rep.Parity = sum
	} else {
		g, sum, lists := parityAndListing(ctx, c, GateOldParity, oldServers, c.New.Servers)
		rep.listed = lists
		c.soaAfresh()
		if len(notAsked) > 0 {
			g.Detail += "; servers of the recorded delegation not asked from here: " + strings.Join(notAsked, "; ")
		}
		if !g.OK && !g.Err {
			g.Plan = rollbackParityPlan(c, lists)
			if len(recorded) > 0 {
				last := len(g.Plan) - 1 // "run `dnsparity rollback --zone Z` again"
				g.Plan = append(g.Plan[:last:last], fmt.Sprintf("the rollback restores the delegation recorded before the flip, with servers the config does not list (%s): make them serve what the old provider serves (or change the delegation at the registrar by hand)", strings.Join(recorded, " ")), g.Plan[last])
			}
		}
		if g.OK {
			// The old side answers like the new one: for how long
			// (a secondary cut off from its primary), as the
			// authoritative gates judge the side a step moves to.
			g = c.judgeCopy(ctx, rep, g, &c.Old, oldServers)
		}
		rep.Gates = append(rep.Gates, c.offerEmergency(ctx, c.apiDownPlan(g, lists, &c.New), &c.New))
		rep.Parity = sum
		rep.Gates = append(rep.Gates,
			listingServed(ctx, c, gateCompleteListed(c, GateNewComplete, &c.New, lists, "vanish at the rollback (the old side does not serve them)", nil), &c.New, lists.new, lists.answered(c, &c.New)),
			listingServed(ctx, c, gateCompleteListed(c, GateOldComplete, &c.Old, lists, "come back at the rollback (git no longer has them)", &g), restored, lists.old, lists.answered(c, &c.Old)))
	}
	rep.Gates = append(rep.Gates, gateDNSSECRollback(ctx, c, tr, rep, restored, target, pre))
	// The delegation gate checks what the rollback installs: the
	// recorded NS set and glue when there is one, with the DS set the
	// parent will hold.
	ds := rep.Delegation.DS
	if target != nil && target.DS != nil {
		ds = target.DS
	}
	rep.Gates = append(rep.Gates, gateDelegation(ctx, c, &c.Old, target, ds))
	return move(ctx, c, tr, rep, &c.Old, target, nil)
}

// rollbackHalfMade reads a parent that already delegates to the old
// side, or to both sides' names: half is a rollback made half-way, which
// this run completes once its gates pass; stop when there is nothing to
// roll back (rep says so, and records a rollback found made) or a
// registrar change is still pending.
func (c *Config) rollbackHalfMade(ctx context.Context, tr *Trail, rep *Report) (half, stop bool) {
	if rep.Delegation.PointsTo == "old" {
		// Only back to a delegation the trail recorded before a flip:
		// without one, the configured old glue may just be spelled
		// otherwise than the parent's, which nothing here replaces.
		want, _ := c.expectedOld()
		off := c.halfMade(rep.Parent, want)
		if len(off) == 0 {
			off = c.dsHalfMade(tr, rep)
		}
		if len(off) > 0 && c.restore != nil {
			half = true
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to the old side's NS names, but not as the rollback sets them (%s; the rollback sets %s): a rollback made half-way; this run completes it once its gates pass",
				strings.Join(off, "; "), describeDelegation(c.Zone.Origin, want)))
		} else {
			if c.restore != nil && len(c.restoreForeign) > 0 {
				// The parent serves the recorded set nothing vouches
				// for (a trail an earlier release wrote): recorded as
				// a rollback done, the stage would say rolled back to
				// a delegation the delegation gate refuses to restore.
				rep.Result = ResultRefused
				rep.Errors = append(rep.Errors, fmt.Sprintf("the parent delegates to NS %s, the set recorded before the last flip, which names %s, which nothing vouches for as the old side's (not in providers.old.delegation, nor in a set a flip's points-to-old checked): no rollback to it is recorded; %s",
					strings.Join(rep.Delegation.NS, " "), strings.Join(c.restoreForeign, " "), strings.Join(c.foreignRestorePlan(), "; ")))
				return false, true
			}
			if c.pendingAtRegistrar(ctx, tr, rep) {
				return false, true
			}
			rep.Result = ResultNothing
			rep.Actions = append(rep.Actions, "the parent already delegates to the old side: nothing to roll back")
			if rep.Stage == StageFlipped && c.restore != nil {
				// A rollback that changed the registrar but was not
				// recorded (its registrar call reported a failure after
				// the registry took the change, or the run died):
				// record it now, as a flip re-run does, so the trail's
				// last move (stage, the side left behind) is live DNS's.
				c.recordFound(ctx, tr, rep, c.Old.Name, nil)
				rep.Stage, _ = tr.Stage()
			}
			c.removeStaleGlue(ctx, rep)
			return false, true
		}
	}
	if rep.Delegation.PointsTo == "mixed" {
		if both := c.partlyMoved(rep); both != "" {
			// The mirror of a flip made half-way: the old side's names
			// added back, the new side's not removed yet. Not someone
			// else's delegation (points-to-new would refuse it, leaving
			// no way out); and the gates do not ask the old side's
			// servers it names as the new side's (askFromServers).
			half = true
			want, _ := c.expectedOld()
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to both sides' NS names (%s): a rollback made half-way (a registrar that applies the change as an add and then a remove, a run cut short, a change by hand); this run completes it once its gates pass, setting %s",
				both, describeDelegation(c.Zone.Origin, want)))
		}
	}
	return half, false
}

// rollbackParityPlan is old-parity's plan when the sides differ, from
// what each provider lists against git: a new side changed during the
// overlap outside git (at the provider's UI or API) answered resolvers
// with that change, which a push of git to the old side does not bring
// back and a push of git to the new side throws away: it is taken into
// git first (import), or dropped knowingly. The old side behind git
// takes a push. Neither listing differing from git: the servers differ
// from their listings (a server lagging, a provider's own answer).
func rollbackParityPlan(c *Config, l *listing) []string {
	drift := func(s *Side) []string {
		p := l.plainPlan(c, s) // the one new-complete and old-complete read
		if p == nil {
			return nil
		}
		var out []string
		for _, ch := range p.Changes {
			out = append(out, ch.Name+" "+dns.TypeToString[ch.Type])
		}
		return out
	}
	newDrift, oldDrift := drift(&c.New), drift(&c.Old)
	var out []string
	if l.oldErr != nil {
		out = append(out, fmt.Sprintf("bring the old provider back (listing it: %v)", l.oldErr))
	}
	if len(newDrift) > 0 {
		out = append(out, fmt.Sprintf("the new provider differs from git in %s (%s): changed there, not through git, while it served resolvers; a push of git to the old side does not bring that back, and one to the new side throws it away. To keep it: `dnsparity import --provider new --zone %s -o %s.new.zone`, copy those records into the zone file, commit, and push to both providers (%s); to drop it: %s",
			plural.N(len(newDrift), "RRset", "RRsets"), fiveNames(newDrift), shell.Quote(c.Zone.Origin), shell.Quote(strings.TrimSuffix(c.Zone.Origin, ".")), zoneCmd(c.Zone.Origin, "push"), providerCmd("push", "new", c.Zone.Origin)))
	}
	if len(oldDrift) > 0 {
		out = append(out, fmt.Sprintf("the old provider differs from git in %s (%s): push git to it (%s; bring it back first if it is down)", plural.N(len(oldDrift), "RRset", "RRsets"), fiveNames(oldDrift), providerCmd("push", "old", c.Zone.Origin)))
	}
	if len(out) == 0 {
		out = append(out, "both providers list what git holds, and their servers answer differently: "+zoneCmd(c.Zone.Origin, "parity")+" names each difference (a server behind its provider, a record of a provider's own kind); bring each server to what its provider holds")
	}
	return append(out, "run "+zoneCmd(c.Zone.Origin, "rollback")+" again")
}

// dsHalfMade names the DS set the parent serves when a rollback whose
// NS set and glue are at the parent has not set the DS set it restores:
// the trail's last move is the flip (the rollback not recorded: its
// registrar call failed between the NS and the DS operation, or the run
// died) and the DS set recorded before it is not the parent's, or it is
// a rollback that set a DS set (not left alone) the parent does not serve
// (accepted but never published). nil otherwise.
func (c *Config) dsHalfMade(tr *Trail, rep *Report) []string {
	if c.restore == nil {
		return nil
	}
	var want []string
	switch stage, e := tr.Stage(); {
	case stage == StageFlipped:
		t := c.rollbackTarget(rep.Delegation)
		if t == nil || t.DS == nil {
			return nil
		}
		want = t.DS
	case stage == StageRolledBack && e.After != nil && e.After.DS != nil:
		if dsKey(e.After.DS) == dsKey(rep.Delegation.DS) {
			return nil
		}
		want = e.After.DS
	default:
		return nil
	}
	return []string{fmt.Sprintf("the parent serves %d DS records (key tags %s), the rollback sets %d (key tags %s)",
		len(rep.Delegation.DS), dsTagsText(rep.Delegation.DS), len(want), dsTagsText(want))}
}

// dsTagsText lists the key tags of DS records in presentation form.
func dsTagsText(ds []string) string {
	var tags []string
	for _, d := range ds {
		if f := strings.Fields(d); len(f) > 0 && !slices.Contains(tags, f[0]) {
			tags = append(tags, f[0])
		}
	}
	if len(tags) == 0 {
		return "none"
	}
	slices.Sort(tags)
	return strings.Join(tags, ", ")
}
