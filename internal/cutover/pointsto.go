package cutover

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Gates on the delegation a step starts from (DESIGN: gates added for the
// next wave).
const (
	// GatePointsToOld (flip, not --emergency): every parent server
	// delegates exactly to the old side: the NS set and glue recorded
	// before the last flip, else the configured delegation.
	GatePointsToOld = "points-to-old"
	// GatePointsToNew (rollback): every parent server delegates exactly
	// to the new side's configured delegation.
	GatePointsToNew = "points-to-new"
)

// Restore is the delegation recorded before the last flip that changed
// the registrar (NS set, NS TTL, glue, DS), which a rollback restores and
// the next flip starts from; nil when the trail holds none.
func (t *Trail) Restore() *registrar.Delegation {
	d, _ := t.restore()
	return d
}

// restore is Restore and the addresses its NS names outside the zone
// had when that flip ran (Entry.BeforeNSAddrs; nil: not recorded).
func (t *Trail) restore() (*registrar.Delegation, map[string][]string) {
	e := t.last(recordsRestore)
	if e == nil {
		return nil, nil
	}
	d := copyDelegation(*e.Before)
	var addrs map[string][]string
	if e.BeforeNSAddrs != nil {
		addrs = map[string][]string{}
		for n, as := range e.BeforeNSAddrs {
			addrs[zone.CanonicalName(n)] = canonicalAddrs(as)
		}
	}
	return &d, addrs
}

// recordsRestore says whether e recorded a delegation a rollback may
// restore: a flip that changed the registrar, with the delegation before.
func recordsRestore(e *Entry) bool {
	return e.Command == "flip" && e.Result == ResultDone && !e.DryRun && e.Before != nil && len(e.Before.NS) > 0
}

// foreignOld are the names of ns, an NS set a flip would record (or
// recorded) as the delegation a rollback restores, that nothing vouches
// for as the old side's: a name of the new side alone (newSideIn), or one
// neither in the configured old delegation nor in a set a planned flip
// recorded after its points-to-old gate passed on it (exactly the
// delegation expected, or, with --from-current, every parent server's
// set: a secondary the config does not list). An emergency flip has no
// points-to-old gate (the old side is down): the set it found vouches
// for nothing, and partlyMoved's rule (both sides' names only) is the
// most a step accepts without a check. Restored, such a name would send
// resolvers to a server nobody configured (a hijack while the old side
// was down) or on to the side the rollback leaves.
func (c *Config) foreignOld(tr *Trail, ns []string) []string {
	vouched := names(c.Old.Delegation)
	if tr != nil {
		for _, e := range tr.Entries {
			if recordsRestore(&e) && !e.Emergency {
				maps.Copy(vouched, names(e.Before.NS))
			}
		}
	}
	out := c.newSideIn(ns)
	for _, n := range ns {
		if n = zone.Fold(dns.Fqdn(n)); !vouched[n] && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// recordableOld is the delegation a flip records as the one a rollback
// restores when the set the parent serves is not one to come back to
// (foreignOld names some of it, or a flip made half-way): the one the
// trail recorded before the last flip when foreignOld vouches for all of
// it, else the configured old delegation; its NS TTL, when unknown, the
// parent's now (nsTTL).
func (c *Config) recordableOld(nsTTL uint32) *registrar.Delegation {
	d, _ := c.expectedOld()
	if c.restore != nil && len(c.restoreForeign) > 0 {
		d = c.Old.Want(c.Zone.Origin, 0)
	}
	d = copyDelegation(d)
	if d.NSTTL == 0 {
		d.NSTTL = nsTTL
	}
	return &d
}

func copyDelegation(d registrar.Delegation) registrar.Delegation {
	out := d
	out.NS = append([]string(nil), d.NS...)
	if d.DS != nil {
		out.DS = append([]string{}, d.DS...)
	}
	out.Glue = map[string][]string{}
	for n, as := range d.Glue {
		out.Glue[n] = append([]string(nil), as...)
	}
	out.Normalize()
	return out
}

// newNames is the set of the new side's delegation names
// (providers.new.delegation), folded and fully qualified: a name of it
// is the new side's, any other the old side's or a third party's. The
// one reading of that set for old-unreferenced (oldOnlyOf, its git
// targets) and the sides the parent delegates to (delegatedTo).
func (c *Config) newNames() map[string]bool {
	return names(c.New.Delegation)
}

// oldNames are the NS names that count as the old side's: the set
// recorded before the last flip when there is one (a secondary the config
// does not list included), else the configured delegation.
func (c *Config) oldNames() []string {
	if c.restore != nil {
		return c.restore.NS
	}
	return c.Old.Delegation
}

// expectedOld is the delegation a flip starts from, and where it comes
// from.
func (c *Config) expectedOld() (registrar.Delegation, string) {
	if c.restore != nil {
		return *c.restore, "the delegation recorded before the last flip (the audit trail)"
	}
	return c.Old.Want(c.Zone.Origin, 0), "the configured delegation of providers.old (delegation, glue from nameservers)"
}

// gluesOf are d's glue addresses of in-bailiwick NS names, each list
// canonical and sorted, for comparing.
func gluesOf(zone string, d registrar.Delegation) map[string]string {
	out := map[string]string{}
	for _, n := range d.NS {
		if !registrar.InBailiwick(n, zone) {
			continue
		}
		var as []string
		for _, a := range d.Glue[n] {
			if ip := net.ParseIP(a); ip != nil {
				a = ip.String()
			}
			as = append(as, a)
		}
		sort.Strings(as)
		out[n] = strings.Join(as, " ")
	}
	return out
}

// describeDelegation is "NS a b (glue a 192.0.2.1)".
func describeDelegation(zone string, d registrar.Delegation) string {
	s := "NS " + strings.Join(d.NS, " ")
	g := gluesOf(zone, d)
	var parts []string
	for _, n := range d.NS {
		if as, ok := g[n]; ok {
			parts = append(parts, n+" "+as)
		}
	}
	if len(parts) > 0 {
		s += " (glue " + strings.Join(parts, ", ") + ")"
	}
	return s
}

// sameDelegation says whether got is want: the same NS set and the same
// glue (A and AAAA) for each in-bailiwick name.
func sameDelegation(zone string, got, want registrar.Delegation) bool {
	got, want = copyDelegation(got), copyDelegation(want)
	if !registrar.SameNS(got.NS, want.NS) {
		return false
	}
	gg, wg := gluesOf(zone, got), gluesOf(zone, want)
	for n, as := range wg {
		if gg[n] != as {
			return false
		}
	}
	return true
}

// gatePointsTo checks that every parent server delegates exactly to want.
// With fromCurrent (flip --from-current), a delegation every server agrees
// on passes and becomes the one a rollback restores (the flip records it
// as its "before"). With m (a step whose view may be in motion, see
// readParent), a server that already serves the delegation the step moves
// to (it took the change, still propagating) or does not answer is named
// and refuses nothing, as long as one server delegates exactly to want.
func gatePointsTo(c *Config, name string, views []registrar.AtServer, want registrar.Delegation, source string, fromCurrent bool, m *motion) Gate {
	g := Gate{Name: name}
	var off, aside []string
	exact := 0
	for _, v := range views {
		switch {
		case m != nil && v.Err != "":
			aside = append(aside, v.Server+" does not answer ("+v.Err+")")
		case v.Err != "":
			off = append(off, v.Server+": "+v.Err)
		case sameDelegation(c.Zone.Origin, v.Delegation, want):
			exact++
		case m != nil && sameDelegation(c.Zone.Origin, v.Delegation, m.to):
			aside = append(aside, fmt.Sprintf("%s already serves the %s side's delegation the %s sets", v.Server, m.toSide, m.step))
		default:
			off = append(off, v.Server+" delegates to "+describeDelegation(c.Zone.Origin, v.Delegation))
		}
	}
	wanted := describeDelegation(c.Zone.Origin, want)
	if len(views) == 0 {
		off = append(off, "no parent server to ask")
	} else if exact == 0 && len(off) == 0 {
		off = append(off, "no parent server delegates to it")
	}
	if len(off) == 0 && len(aside) > 0 {
		g.OK = true
		g.Detail = fmt.Sprintf("%d of %d parent servers delegate exactly to %s: %s; %s", exact, len(views), source, wanted, strings.Join(aside, "; "))
		return g
	}
	if len(off) == 0 {
		g.OK = true
		g.Detail = fmt.Sprintf("every parent server (%d) delegates exactly to %s: %s", len(views), source, wanted)
		return g
	}
	var newIn []string
	if fromCurrent && name == GatePointsToOld {
		d, agreed := registrar.Agreed(views)
		newIn = c.newSideIn(d.NS)
		// A set naming the new side's servers is not one to come back
		// to: recorded, a rollback would keep sending resolvers there.
		if agreed && len(newIn) == 0 {
			g.OK = true
			g.Detail = fmt.Sprintf("--from-current: every parent server delegates to %s, which the flip records as the delegation a rollback restores (%s was %s)",
				describeDelegation(c.Zone.Origin, d), source, wanted)
			return g
		}
	}
	g.Detail = fmt.Sprintf("expected %s, %s; but %s", source, wanted, strings.Join(off, "; "))
	if len(newIn) > 0 {
		g.Detail += fmt.Sprintf("; --from-current does not record it as the delegation a rollback restores: it names the new side's %s", strings.Join(newIn, " "))
	}
	if name == GatePointsToOld {
		g.Plan = []string{
			"find out who changed the delegation and why (a third party's NS is a hijack until proven otherwise)",
			"if the parent's delegation is the one to come back to on a rollback (e.g. a secondary the config does not list): " + zoneCmd(c.Zone.Origin, "flip", "--from-current") + " records it as the set a rollback restores",
			"otherwise set it at the registrar to the expected one (or correct providers.old.delegation / nameservers), then run the step again",
		}
	} else {
		g.Plan = []string{
			"find out who changed the delegation since the flip: a rollback would replace it",
			"set it at the registrar to the new side's delegation (or correct providers.new.delegation / nameservers), then run " + zoneCmd(c.Zone.Origin, "rollback") + " again",
		}
	}
	return g
}

// rollbackTarget is the delegation a rollback sets: the one recorded
// before the last flip (NS set, NS TTL, glue, and the DS set when the
// parent's differs from it now), else the configured old delegation with
// the DS left alone.
func (c *Config) rollbackTarget(cur DelegationView) *registrar.Delegation {
	if c.restore == nil {
		return nil
	}
	d := copyDelegation(*c.restore)
	curDS := append([]string{}, cur.DS...)
	sort.Strings(curDS)
	if strings.Join(d.DS, " ") == strings.Join(curDS, " ") {
		d.DS = nil // unchanged: left alone
	} else if d.DS == nil {
		d.DS = []string{} // the parent had none: remove what it has now
	}
	return &d
}

// gateDNSSECRollback is the rollback's dnssec gate against old (the old
// side with every server the delegation the rollback restores sends
// resolvers to: Config.oldServersAsked, as old-parity and the delegation
// gate ask them), under the DS set target restores (gateDNSSECRestore)
// or, when it leaves the DS alone (nil target or target.DS), the one the
// parent serves. When
// the old side fails the recorded DS set but satisfies the parent's (its
// keys rolled since the flip, and the parent's DS followed), restoring the
// recorded set would make the old side bogus and leaving the DS alone is
// safe: target.DS becomes nil and that verdict is the gate's. So when the
// recorded set fits the old side but not the new one (leftUnderDS: its
// KSK rolled since the flip), and the parent's fits both; when the
// parent's does not, the recorded set is restored with a warning: the
// way out of an incident is not refused for it.
func gateDNSSECRollback(ctx context.Context, c *Config, tr *Trail, rep *Report, old *Side, target *registrar.Delegation, pre string) Gate {
	if target == nil || target.DS == nil {
		return gateDNSSECAfter(ctx, c, tr, old, &c.New, rep, pre)
	}
	g := gateDNSSECRestore(ctx, c, tr, rep, old, target.DS, target.DSTTL, pre)
	if g.Err || strings.HasPrefix(g.Detail, "not checked") {
		return g
	}
	why := ""
	switch {
	case !g.OK && len(rep.Delegation.DS) > 0:
		why = fmt.Sprintf("the DS set recorded before the flip (%d records) no longer fits the old side's keys (%s), but the one the parent serves now does", len(target.DS), g.Detail)
	case g.OK:
		left := leftUnderDS(ctx, c, rep, old, target)
		if left.OK || left.Err {
			return g
		}
		// Restoring it would strand the resolvers still on the new
		// delegation; leaving the parent's DS set strands no one when
		// both sides satisfy it. Otherwise the rollback restores it as
		// before (the way out of an incident is not refused for it),
		// saying what it costs.
		why = fmt.Sprintf("restoring the DS set recorded before the flip (%d records) would make the new side bogus for the resolvers that keep asking it until the new delegation they cached expires (their DS cache renewed meanwhile): %s", len(target.DS), left.Detail)
		strand := fmt.Sprintf("dnssec: %s; the parent's DS set now fits neither that and the old side, so the rollback restores the recorded set: those resolvers fail until the new delegation they hold expires", why)
		if stays := leftUnderDS(ctx, c, rep, old, &registrar.Delegation{DS: rep.Delegation.DS, DSTTL: rep.Delegation.DSTTL}); !stays.OK {
			g.warnings = append(g.warnings, strand)
			return g
		}
		now := gateDNSSECAfter(ctx, c, tr, old, &c.New, rep, pre)
		if !now.OK {
			g.warnings = append(g.warnings, strand)
			return g
		}
		return leaveDS(target, why, g, now)
	default:
		return g
	}
	now := gateDNSSECAfter(ctx, c, tr, old, &c.New, rep, pre)
	if !now.OK {
		return g
	}
	return leaveDS(target, why, g, now)
}

// leaveDS is the rollback's dnssec gate now (the old side under the DS
// set the parent serves) when the rollback leaves that set as it is,
// for the reason why, rather than restore target's (g's verdict).
func leaveDS(target *registrar.Delegation, why string, g, now Gate) Gate {
	now.Detail = fmt.Sprintf("%s, so the rollback leaves the DS as it is: %s", why, now.Detail)
	now.warnings = append(g.warnings, now.warnings...)
	target.DS = nil
	return now
}

// leftUnderDS is the dnssec verdict on the new side, which a rollback
// leaves, under the DS set of d: resolvers holding the new delegation
// keep asking it after the rollback (the parent's NS TTL and the new
// side's own NS TTL), and validate it with the DS set the parent serves
// once the one they cached expires (its TTL is the parent's DS TTL,
// usually far shorter). Its keys' waits are not this question's (no
// trail, no other side).
func leftUnderDS(ctx context.Context, c *Config, rep *Report, old *Side, d *registrar.Delegation) Gate {
	v := rep.Delegation
	v.DS, v.DSTTL = d.DS, d.DSTTL
	return gateDNSSEC(ctx, c, nil, &c.New, &Side{Name: old.Name}, v, d.DS)
}

// gateDNSSECRestore is the rollback's dnssec gate when the rollback also
// restores another DS set: the old side must validate under the DS set
// the parent will hold, and under the one it holds now, which validating
// resolvers keep for its TTL after the change; and, as gateDNSSECAfter
// judges them, the signatures of its servers whose copy counts down
// must last as long as resolvers taking the delegation keep asking them
// (judgeSignatures: TestRollbackRestoreDSSignaturesExpireLab).
func gateDNSSECRestore(ctx context.Context, c *Config, tr *Trail, rep *Report, old *Side, ds []string, dsTTL uint32, pre string) Gate {
	if g, ok := dnssecNotChecked(rep, old, &c.New, pre); ok {
		return g
	}
	after := rep.Delegation
	after.DS, after.DSTTL = ds, dsTTL
	g := gateDNSSEC(ctx, c, tr, old, &c.New, after, nil)
	g.Detail = fmt.Sprintf("with the DS set the rollback restores (%d records): %s", len(ds), g.Detail)
	if len(rep.Delegation.DS) == 0 || g.Err {
		return c.judgeSignatures(ctx, rep, g, old)
	}
	now := gateDNSSEC(ctx, c, tr, old, &c.New, rep.Delegation, ds)
	until := deadline.Format(c.Now().Add(time.Duration(rep.Delegation.DSTTL) * time.Second))
	g.Detail += fmt.Sprintf("; with the DS set the parent serves now, which resolvers keep until %s at least (%d records): %s", until, len(rep.Delegation.DS), now.Detail)
	g.OK = g.OK && now.OK
	g.Err = g.Err || now.Err
	g.Plan = append(g.Plan, now.Plan...)
	g.next = append(g.next, now.next...)
	g.warnings = append(g.warnings, now.warnings...)
	return c.judgeSignatures(ctx, rep, servedDSToo(ctx, c, tr, old, &c.New, rep, g, ds, ds, rep.Delegation.DS), old)
}

// halfMade names the parent servers whose delegation has want's NS set
// but not exactly want (the glue of an in-bailiwick name missing, kept
// from before, or another address); nil when every server serves it
// whole.
func (c *Config) halfMade(views []registrar.AtServer, want registrar.Delegation) []string {
	var off []string
	for _, v := range views {
		if v.Err == "" && registrar.SameNS(v.Delegation.NS, want.NS) && !sameDelegation(c.Zone.Origin, v.Delegation, want) {
			off = append(off, v.Server+" serves "+describeDelegation(c.Zone.Origin, v.Delegation))
		}
	}
	return off
}

// partlyMoved says, when rep's step (rep.Command: a flip, toward the new
// side, or a rollback, toward the old) runs from a stage it moves from
// (movesFrom) and every parent server that answers serves an NS set the
// step accepts on its way (stepShare: the side's it moves from, the
// side's it moves to, or both sides' names only), at least one of them
// both sides' names, what they serve ("" otherwise): a step made half-way
// in the NS set itself (a registrar that applies the change as an add and
// then a remove, cut short, and still spreading: one server serving both
// sides' names, another only the names it moves from, or already only
// those it moves to), which a re-run completes rather than refuse it as
// someone else's delegation. readParent accepts each server of a step out
// of an incident by the same rule (stepShare), so that a change still
// spreading is not read as someone else's. A server that does not answer
// is no part of the verdict: nothing is known of it, so it neither makes
// the step half-made nor refuses it; readParent names it, and the step's
// change is confirmed only once it serves it (confirm). The flip
// completes it from the old delegation (recordableOld), not recording
// the new side's names as the set a rollback restores; the rollback to
// the delegation recorded before the flip (rollbackTarget). A name of
// neither side is a third party's (the registry, a hijack): never a step
// made half-way.
func (c *Config) partlyMoved(rep *Report) string {
	return c.partlyMovedBy(rep, rep.Command)
}

// partlyMovedBy is partlyMoved for the step command (flip or rollback),
// whichever step rep is: status names the step that completes one made
// half-way (halfMadeBy).
func (c *Config) partlyMovedBy(rep *Report, command string) string {
	if !slices.Contains(movesFrom[command], rep.Stage) {
		return ""
	}
	var served []string
	half := false
	for _, v := range rep.Parent {
		if v.Err != "" {
			continue
		}
		switch c.stepShare(command, v.Delegation.NS) {
		case shareOther:
			return ""
		case shareHalf:
			half = true
		}
		if d := describeDelegation(c.Zone.Origin, v.Delegation); !slices.Contains(served, d) {
			served = append(served, d)
		}
	}
	if !half {
		return ""
	}
	return strings.Join(served, "; ")
}

// halfMadeBy is the step (flip or rollback) whose change the parent's
// servers show made half-way (partlyMovedBy), "" when none: the one a
// re-run of which completes it; served is what they serve. The stages each moves from (movesFrom)
// are apart, so one step at most.
func (c *Config) halfMadeBy(rep *Report) (step, served string) {
	for _, step := range []string{"flip", "rollback"} {
		if served := c.partlyMovedBy(rep, step); served != "" {
			return step, served
		}
	}
	return "", ""
}

// share is how far one parent server's NS set is along a step.
type share int

const (
	// shareOther: a name of neither side, or only some of the names of
	// the side moved from: not a step of this cutover.
	shareOther share = iota
	// shareFrom: the NS set of the side the step moves from.
	shareFrom
	// shareTo: the NS set of the side the step moves to.
	shareTo
	// shareHalf: both sides' names only, one at least of the side moved
	// to that the other side does not have (added, the others not yet
	// removed: a step made half-way).
	shareHalf
)

// stepShare reads ns, the NS set one parent server serves, for a step
// (command: a flip, toward the new side, or a rollback, toward the old),
// by the names each side has: the old side's (oldNames) and the new
// side's (newNames). The one per-server rule of partlyMoved and of
// readParent's view in motion.
func (c *Config) stepShare(command string, ns []string) share {
	// A name of the recorded set nothing vouches for is no old side's
	// name: {new, X} is no step made half-way.
	from, to := c.vouchedOldNames(), c.newNames()
	if _, side := MoveSides(command); side == "old" {
		from, to = to, from
	}
	got := names(ns)
	toOnly := false
	for n := range got {
		switch {
		case !from[n] && !to[n]:
			return shareOther
		case to[n] && !from[n]:
			toOnly = true
		}
	}
	switch {
	case len(got) == 0:
		return shareOther
	case maps.Equal(got, to):
		return shareTo
	case maps.Equal(got, from):
		return shareFrom
	case toOnly:
		return shareHalf
	}
	return shareOther
}

// newSideIn are the names of ns that are the new side's and not the old
// side's as configured (not the set recorded before the last flip: a
// trail an earlier release wrote over a flip made half-way may hold the
// new side's names there): a set naming one is no delegation a rollback
// may come back to.
func (c *Config) newSideIn(ns []string) []string {
	old, nw := names(c.Old.Delegation), c.newNames()
	var in []string
	for _, n := range ns {
		if n = zone.Fold(dns.Fqdn(n)); nw[n] && !old[n] {
			in = append(in, n)
		}
	}
	return in
}

// names is the set of ns, each folded and fully qualified.
func names(ns []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range ns {
		m[zone.Fold(dns.Fqdn(n))] = true
	}
	return m
}
