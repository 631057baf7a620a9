package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// Status reports where the cutover stands, from live DNS: the delegation
// at the parent's own servers, the TTLs on both providers and since when
// the old ones have expired, parity, DNSSEC, the stage from the audit
// trail checked against the delegation, which provider each resolver
// answers from, the hidden-master check, and the earliest time of each
// next step. Its gates say whether a flip would pass now. It records an
// observation in the trail when the TTLs or the hidden-master check
// changed since the last one.
func Status(ctx context.Context, c *Config) *Report {
	c.defaults()
	rep := newReport(c, "status")
	if !c.lock(ctx, "status", rep) {
		return rep
	}
	defer c.release()
	tr, err := ReadTrail(c.TrailPath, c.Zone.Origin)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Result = ResultError
		return rep
	}
	c.startStep(tr)
	c.dates = nil // status judges no server's clock: none an earlier step on this Config saw (watchDates)
	if !c.trailClock(tr, rep) {
		rep.Result = ResultError
		return rep
	}
	if !readParent(ctx, c, rep, observedView) {
		rep.Result = ResultError
		return rep
	}
	stageCheck(tr, rep, observedView, "status", false, func() (string, string) { return c.halfMadeBy(rep) })
	c.statusPending(ctx, tr, rep)
	c.oldNS = observeOldNS(ctx, c)
	rep.Warnings = append(rep.Warnings, unresolvedWarnings(c.oldServers(ctx).unresolved, "the delegation recorded before the flip", "the old side's apex NS was not asked at its addresses, and finish refuses until it is")...)
	if stage, e := tr.Stage(); stage == StageRolledBack {
		// recorded (new_apex_ns) when it changed: new-apex-ns reads
		// the trail as finish's old-apex-ns does, at the addresses this
		// machine asks of the delegations that sent resolvers to the
		// new side before (newServers)
		c.newNS = observeNewNS(ctx, c, tr, e)
		// the mirror of the old side's warning: one rule, both sides
		news := c.newServers(ctx, tr, e)
		rep.Warnings = append(rep.Warnings, unresolvedWarnings(news.unresolved, "a delegation that sent resolvers to the new side before the rollback", "the new side's apex NS was not asked at its addresses: new-apex-ns may count the new side's set gone while they still ask them")...)
		if len(news.notAsked) > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the new side's apex NS was not asked at %s, addresses of a delegation that sent resolvers to it before the rollback: new-apex-ns may count the new side's set gone while resolvers that reach them still ask them; run status from a machine that reaches them", strings.Join(news.notAsked, ", ")))
		}
	}
	// The step's one instant, read once after its observations of the
	// sides' apex NS (c.oldNS, c.newNS): every count of them in the step
	// (leftBogusUnderDS, propagation's settled_at, statusNext's finish)
	// counts them from it, so they agree by construction, not by timing.
	now := c.Now()
	// away is the side the next step would move the delegation away
	// from: the old one while the parent delegates to it, the new one
	// during the overlap (a rollback; after finish the old provider may
	// be gone). That step asks it at every address its delegation sends
	// resolvers to (askFromServers); status, which only reports, names
	// those its config leaves out.
	var away *Side
	switch {
	case rep.Delegation.PointsTo == "old":
		away = &c.Old
	case rep.Delegation.PointsTo == "new" && rep.Stage != StageFinished:
		away = &c.New
	}
	if away != nil {
		c.askFromServers(ctx, rep, away, false)
	}

	g, sum, lists := parityAndListing(ctx, c, GateParity, c.Old.Servers, c.New.Servers)
	t := observeTTLs(ctx, c, lists, sum)
	rep.TTL = &t
	// The way out of an incident at that side (flip --emergency,
	// rollback --emergency), only when it is the one down.
	if away != nil {
		g = c.offerEmergency(ctx, g, away)
	}
	rep.Gates = append(rep.Gates, g)
	rep.Parity = sum
	if why := leftBehindStale(tr, g, now, c.Zone.Origin); why != "" {
		rep.Errors = append(rep.Errors, why)
	}
	rep.Gates = append(rep.Gates, gateTTLPrestaged(c.Zone.Origin, t, c.PrestageTTL, lists, sum))
	ge, ttlAt := gateTTLExpired(tr, t, c.PrestageTTL, now)
	rep.Gates = append(rep.Gates, ge)
	rep.Gates = append(rep.Gates, gateAuthoritative(ctx, c, rep, GateNewAuthoritative, &c.New))
	rep.Gates = append(rep.Gates, gateDrift(c, lists))
	target, other := &c.New, &c.Old
	dnssecTarget := target
	if rep.Delegation.PointsTo == "new" {
		target, other = &c.Old, &c.New // what a rollback would need
		// every server of the delegation it restores, as its dnssec
		// gate validates them
		servers, recorded, _ := c.oldServersAsked(ctx, false)
		dnssecTarget = c.restoredOld(servers, recorded)
	}
	// Status has no registrar (read-only credentials): the parent's
	// servers are checked against the parent zone alone.
	rep.Gates = append(rep.Gates, gateParentServers(ctx, c, rep, nil, nil))
	rep.LeftDown = c.leftDown(ctx, tr)
	gd := statusDNSSEC(ctx, c, tr, rep, dnssecTarget, other)
	rep.Gates = append(rep.Gates, gd)
	if why := c.leftBogusUnderDS(ctx, tr, rep, gd, now); why != "" {
		rep.Errors = append(rep.Errors, why)
	}
	rep.Gates = append(rep.Gates, statusDelegation(ctx, c, rep, target, other)...)
	rep.StaleGlue = servedStaleGlue(ctx, c, rep)
	for _, g := range rep.StaleGlue {
		rep.Warnings = append(rep.Warnings, "stale glue at the parent: "+g.Detail+": resolvers following the referral ask the glue's address; have the glue set to the zone's own addresses (the flip or rollback to this side sets it, or the registrar by hand)")
	}
	for _, g := range unreferencedGlue(ctx, c, rep) {
		rep.StaleGlue = append(rep.StaleGlue, g)
		rep.Warnings = append(rep.Warnings, "stale glue in the parent zone: "+g.Detail)
	}
	c.servedCopy(ctx, rep, tr)
	rep.Propagation = propagation(ctx, c, tr, rep, now)
	rep.DelegationTable = delegationTable(c, rep)
	hm := hiddenMaster(ctx, c, tr, now)
	if hm != nil {
		rep.Gates = append(rep.Gates, *hm)
	}
	var note string
	rep.Resolvers, note = resolversNow(ctx, c)
	if note != "" {
		rep.Warnings = append(rep.Warnings, "resolvers: "+note)
	}

	c.statusNext(ctx, tr, rep, ttlAt, now)

	fromGates(rep)
	rollbackUnmetWarning(rep)
	rep.nextNow(now)
	rep.Result = ResultObserved
	if c.statusNews(tr, rep, t, hm) {
		c.record(ctx, tr, rep, c.entry("status", rep))
	}
	return rep
}

// leftDown is the side an emergency step left behind (Trail.LeftBehind)
// while it is still down, as that step's down gate judges it
// (judgeDown); "" when none is.
func (c *Config) leftDown(ctx context.Context, tr *Trail) string {
	side, _ := tr.LeftBehind()
	s := &c.Old
	switch side {
	case "":
		return ""
	case "new":
		s = &c.New
	}
	if !judgeDown(ctx, c, s).gate.OK {
		return ""
	}
	return side
}

// statusDNSSEC is status's dnssec gate: for target, the side the next
// step would point the delegation to, with other, the one it points to
// now. While target is the side an emergency step left down
// (rep.LeftDown), the step back cannot run (its gates need target
// answering) and target cannot be asked: the gate is then the one that
// emergency step passed, the side the delegation points to checked with
// target as the other side, whose servers that do not answer are
// warnings, not a gate that could not run.
func statusDNSSEC(ctx context.Context, c *Config, tr *Trail, rep *Report, target, other *Side) Gate {
	if rep.LeftDown != target.Name {
		return gateDNSSEC(ctx, c, tr, target, other, rep.Delegation, nil)
	}
	g := gateDNSSEC(ctx, c, tr, other, target, rep.Delegation, nil)
	g.Detail = fmt.Sprintf("the %s side, which the delegation points to, as the emergency %s checked it (the %s side is down: a %s's dnssec gate needs it answering): %s",
		other.Name, Leaving(target.Name), target.Name, Toward(target.Name), g.Detail)
	return g
}

// unresolvedWarnings are the warnings for the names of a delegation (of)
// whose lookup failed (delegationAddrs' unresolved): the servers they
// lead to were not asked, so what (what the step or status did not read
// there) may miss the servers resolvers ask. A name that resolves to no
// address sends no resolver anywhere: not warned of.
func unresolvedWarnings(us []unresolvedName, of, what string) []string {
	var out []string
	for _, u := range us {
		if u.failed {
			out = append(out, fmt.Sprintf("%s, a name of %s, could not be resolved (%s): %s", u.name, of, u.why, what))
		}
	}
	return out
}

// leftBogusUnderDS is status's error after a move (a flip, a rollback)
// while resolvers may still hold the delegation it replaced and the side
// it left, which they still ask, fails DNSSEC under a DS set the parent
// serves now (each, while they differ) or one resolvers may still hold
// (Trail.CachedDS): they fetch the DS from the parent whenever theirs
// expires (its TTL is short beside the NS TTL), so a DS changed after
// the move (the left side's removed early, the other's alone published)
// makes every answer of the left side bogus for them, SERVFAIL. After a
// flip that lasts as long as finish's overlap gate waits
// (moveHeld), and the old side is every server of the
// delegation replaced (restoredOld); after a rollback, the rollback's own
// old_delegation_expires and the referrals to the new side served before
// it (servedBefore). Status's dnssec gate, which judges that side while
// the parent delegates away from it (a rollback's, a flip's), judges that
// and more (the key waits of the step back): only when it fails, or was
// run for the other side, is the left side judged here, under the DS
// alone. "" when nothing is stranded; a check that could not run says so.
func (c *Config) leftBogusUnderDS(ctx context.Context, tr *Trail, rep *Report, g Gate, now time.Time) string {
	stage, e := tr.Stage()
	var left *Side
	var until time.Time
	switch {
	case stage == StageFlipped && rep.LeftDown != "old":
		if rep.Delegation.PointsTo == "new" && g.OK {
			return ""
		}
		until, _, _ = c.settles(ctx, tr, e, &c.New, &c.Old, c.oldNS, rep.Delegation.NSTTL, now).held.from(time.Time{})
		servers, recorded, _ := c.oldServersAsked(ctx, false)
		left = c.restoredOld(servers, recorded)
	case stage == StageRolledBack && rep.LeftDown != "new":
		if rep.Delegation.PointsTo == "old" && g.OK {
			return ""
		}
		until, _, _ = c.settles(ctx, tr, e, &c.Old, &c.New, c.oldNS, rep.Delegation.NSTTL, now).held.from(time.Time{})
		// every server the delegation the rollback replaced sends
		// resolvers to, not the configured ones alone (newServers)
		s := c.New
		s.Servers = c.newServers(ctx, tr, e).servers
		left = &s
	default:
		return ""
	}
	if !now.Before(until) {
		return ""
	}
	sets := []DSSeen{{DS: rep.Delegation.DS, TTL: rep.Delegation.DSTTL}}
	for _, sd := range rep.dsServed {
		if !slices.ContainsFunc(sets, func(d DSSeen) bool { return sameDSText(d.DS, sd.DS) }) {
			sets = append(sets, sd.DSSeen)
		}
	}
	var bad []string
	for _, ds := range sets {
		in := dnssec.Input{Zone: c.Zone.Origin, DS: ds.DS, DSTTL: ds.TTL, Servers: left.Servers, Sample: signedQuestions(c.Zone), EmptyNonTerminal: emptyNonTerminal(c.Zone),
			Timeout: c.Timeout, Now: now, Side: left.Name, NoIPv6: c.Delegation.NoIPv6, Held: tr.CachedDS(ds.DS, now)}
		res, err := c.DNSSEC(ctx, in)
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("under the DS set the parent serves (key tags %s) it could not be checked: %v", dsTagsText(ds.DS), err))
		case !res.OK && res.Situation != dnssec.CDSMismatch:
			bad = append(bad, fmt.Sprintf("under the DS set the parent serves (key tags %s), or one resolvers may still hold, it is bogus: %s: %s", dsTagsText(ds.DS), res.Situation, res.Detail))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return fmt.Sprintf("the %s side, which resolvers that took the delegation before the %s still ask until %s, fails DNSSEC: %s; validating resolvers holding that delegation answer SERVFAIL for every name until then: make the %s side's DNSKEY set signed by a key of the DS set the parent serves (put back the DS of the %s provider's KSK beside the other's, RFC 8901), and keep both until that time",
		left.Name, e.Command, deadline.Format(until), strings.Join(bad, "; "), left.Name, left.Name)
}

// statusNews reports whether status saw what the trail does not hold yet,
// so that it records an observation: TTLs other than the last observed
// (or a push since it: this one says its TTLs ended), another DS or
// DNSKEY set (the dnssec gate counts their TTLs from then), the
// delegation moved (ttl-expired counts a side's TTLs while delegated),
// or the hidden master's gate turned.
func (c *Config) statusNews(tr *Trail, rep *Report, t TTLs, hm *Gate) bool {
	if last := tr.LastTTL(); last == nil || *last != t || tr.pushedSinceObservation() {
		return true
	}
	if seen := tr.lastDS(); seen == nil || dsKey(seen.DS) != dsKey(c.parentDS(rep).DS) {
		return true
	}
	if tr.keysChanged(seenKeys(rep.Gates)) {
		return true
	}
	if sides, _, _ := c.sidesSeen(rep); strings.Join(tr.lastDelegatedTo(), " ") != strings.Join(sides, " ") {
		return true
	}
	if last := tr.lastOldNS(); c.oldNS != nil && (last == nil || !sameOldNS(*last, *c.oldNS)) {
		return true
	}
	if last := tr.lastApexNS("new"); c.newNS != nil && (last == nil || !sameOldNS(*last, *c.newNS)) {
		return true
	}
	if hm != nil {
		if prev := lastGate(tr, GateHiddenMaster); prev == nil || prev.OK != hm.OK {
			return true
		}
	}
	return false
}

// RollbackUnmet are the labels of the gates of a status report that fail
// and that only a rollback checks, never a flip or finish: the old side's
// delegation gate (a flip checks the new side's; a rollback installs the
// old side's delegation again) and, while the parent delegates to the new
// side, the dnssec gate, which status then checks for the old side (the
// side a rollback points to; statusDNSSEC), unless that side is down
// since an emergency flip (LeftDown: the gate is then the new side's).
// Other reports: none.
func (r *Report) RollbackUnmet() []string {
	if r.Command != "status" {
		return nil
	}
	var out []string
	for _, g := range r.Gates {
		old := (g.Name == GateDelegation && g.Side == "old") || (g.Name == GateDNSSEC && r.Delegation.PointsTo == "new" && r.LeftDown == "")
		if !g.OK && old && !slices.Contains(out, g.Label()) {
			out = append(out, g.Label())
		}
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// lastGate is the gate called name of the newest entry that holds one
// (its first of that name; nil: no entry does).
func lastGate(tr *Trail, name string) *Gate {
	var g *Gate
	tr.last(func(e *Entry) bool {
		for j := range e.Gates {
			if e.Gates[j].Name == name {
				g = &e.Gates[j]
				return true
			}
		}
		return false
	})
	return g
}

// primaryServed reports whether every public server of side s, whose
// data comes from a primary that is not one of them (s.Primary set),
// serves the primary's SOA serial, each asked afresh (askSOA: one moment
// compared), and says what it found ("old: primary ADDR has serial N;
// SERVER serves serial M", or "old: all K public servers serve the
// primary's serial N"). The one judgement of status's hidden-master check
// and of the completeness gates, which list the primary. noZone: the
// primary answers and none of the public servers that are off gave an
// SOA (they are down, or do not serve the zone): no other copy is seen.
func primaryServed(ctx context.Context, c *Config, s *Side) (ok bool, detail string, noZone bool) {
	want, err := askSOA(ctx, c, s.Primary).serial()
	if err != nil {
		return false, fmt.Sprintf("%s primary %s: %v", s.Name, s.Primary, err), false
	}
	if behind, noSOA := serialsOff(ctx, c, s.Servers, want); len(behind) > 0 {
		return false, fmt.Sprintf("%s: primary %s has serial %d; %s", s.Name, s.Primary, want, strings.Join(behind, "; ")), noSOA == len(behind)
	}
	return true, fmt.Sprintf("%s: all %d public servers serve the primary's serial %d", s.Name, len(s.Servers), want), false
}

// transferFromPrimary is what to check when public servers do not serve
// what their primary (primaries: "providers.SIDE.server ADDR", each)
// holds: a push goes to the primary, so what is behind is the transfer.
func transferFromPrimary(primaries string) string {
	return "the public servers take the zone from the primary by transfer: check that the primary answers (" + primaries + "), notifies every public server and allows their transfer (its ACL, the TSIG key), and each server's log for a refused or failed transfer (AXFR or IXFR)"
}

// hiddenMaster checks, for each side whose data comes from a primary that
// is not one of its public servers, that every public server serves the
// primary's SOA serial (the data itself is compared by the parity gate),
// and since when the trail has seen it so. The primary and then its
// servers are asked afresh (askSOA), one moment compared: the step's
// answers (apexSOASeen) were read before parity and the other gates,
// and a push since would show a server in sync as behind.
func hiddenMaster(ctx context.Context, c *Config, tr *Trail, now time.Time) *Gate {
	var parts, behind []string
	ok, any := true, false
	for _, s := range []*Side{&c.Old, &c.New} {
		if s.Primary == "" {
			continue
		}
		any = true
		served, detail, _ := primaryServed(ctx, c, s)
		ok = ok && served
		parts = append(parts, detail)
		if !served {
			behind = append(behind, fmt.Sprintf("providers.%s.server %s", s.Name, s.Primary))
		}
	}
	if !any {
		return nil
	}
	g := Gate{Name: GateHiddenMaster, OK: ok, Detail: strings.Join(parts, "; ")}
	if !ok {
		// A push goes to the primary, which may hold git already: what
		// is behind is the transfer to the public servers.
		g.Plan = []string{
			transferFromPrimary(strings.Join(behind, ", ")),
			fmt.Sprintf("run `dnsparity status --zone %s` again: the gate passes once every public server serves the primary's serial", shell.Quote(c.Zone.Origin)),
		}
	}
	since := now
	for e := range tr.newestFirst() {
		var prev *Gate
		for j := range e.Gates {
			if e.Gates[j].Name == GateHiddenMaster {
				prev = &e.Gates[j]
			}
		}
		if prev == nil {
			continue
		}
		if prev.OK != ok {
			break
		}
		since = e.Time
	}
	state := map[bool]string{true: "in sync", false: "out of sync"}[ok]
	g.Detail += fmt.Sprintf(" (%s since %s at least)", state, since.UTC().Format(time.RFC3339))
	return &g
}

// statusNext is status's next steps for the stage: the flip once the old
// TTLs have expired (or pre-staging first), the old delegation's expiry
// and finish after a flip.
func (c *Config) statusNext(ctx context.Context, tr *Trail, rep *Report, ttlAt, now time.Time) {
	_, e := tr.Stage()
	switch rep.Stage {
	case StageNotStarted, StageRolledBack:
		if !ttlAt.IsZero() {
			rep.Next = append(rep.Next, Next{Step: "flip", Earliest: maxTime(ttlAt, now).UTC(), Detail: "when the old TTLs have expired from caches (and every other gate passes)"})
		} else {
			rep.Next = append(rep.Next, Next{Step: "prestage-ttl", Earliest: now.UTC(), Detail: fmt.Sprintf("cap every TTL at %d s (`dnsparity ttl --cap %d`), push, run status", c.PrestageTTL, c.PrestageTTL)})
		}
		if p := rep.Propagation; rep.Stage == StageRolledBack && p != nil && slices.Contains(p.WaitsFor, WaitNewApexNS) {
			// The rollback's mirror of the flip's wait: it never ends
			// while the new provider serves its own apex NS. A warning,
			// not the next step's detail: the next flip needs the new
			// side naming its own servers again (child-ns).
			rep.Warnings = append(rep.Warnings, "the rollback is not settled: "+newApexNSAdvice(c.Zone.Origin)+"; only if the rollback is final: the next flip needs the new side's apex NS naming its servers again")
		}
	case StageFlipped:
		// finish's own count (finishWhen, settled_at in it)
		_, finishAt := c.gateOverlap(ctx, tr, c.oldNS, rep.Delegation.NSTTL, now)
		finish := "after policy.overlap and the old delegation's expiry, while old and new stay identical"
		if p := rep.Propagation; p != nil && len(p.WaitsFor) > 0 {
			finish += "; waits for " + strings.Join(p.WaitsFor, ", ")
			if slices.Contains(p.WaitsFor, WaitOldApexNS) {
				// As the flip's next step says (moveNext): a provider
				// that serves its own apex NS keeps naming its servers
				// while the zone is there.
				finish += " (" + oldApexNSAdvice(c.Zone.Origin) + ")"
			}
		}
		rep.Next = append(rep.Next,
			Next{Step: "old-delegation-expired", Earliest: oldDelegationExpires(e).UTC(), Detail: "the last cached copy of the old delegation expires (flip + the parent's NS TTL or glue TTL + the old side's own NS TTL or its in-zone NS names' address TTL)"},
			Next{Step: "finish", Earliest: finishAt.UTC(), Detail: finish})
		if e.Watch != nil && !e.Watch.AllMoved {
			rep.Warnings = append(rep.Warnings, "the flip's watch ended before every resolver moved: "+e.Watch.Detail)
		}
	}
}

// rollbackUnmetWarning says which gates hold back a rollback (checked
// for the old side while the parent delegates to the new one).
func rollbackUnmetWarning(rep *Report) {
	if u := rep.RollbackUnmet(); len(u) > 0 {
		what, they, says := "gate "+u[0]+" fails: it holds", "it", "it says"
		if len(u) > 1 {
			what, they, says = "gates "+strings.Join(u, ", ")+" fail: they hold", "them", "each says"
		}
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s back a rollback to the old side, not a flip or finish (status checks %s for the old side, which a rollback points the delegation back to; a flip checks the new side's delegation): do what %s below while the old side still serves the zone, so that a rollback stays possible", what, they, says))
	}
}

// newApexNSAdvice is how a rolled-back delegation's wait for the new
// side's apex NS (WaitNewApexNS) ends, in status's next step.
func newApexNSAdvice(zone string) string {
	return "the new side's apex NS names new servers: make it name the old servers only (or delete the zone there), then run " + zoneCmd(zone, "status") + ", which records it"
}

// oldApexNSAdvice is how finish's wait for the old side's apex NS
// (WaitOldApexNS) ends, in status's and the flip's next step.
func oldApexNSAdvice(zone string) string {
	return "the old side's apex NS names old servers: make it name the new servers only (or delete the zone there), then run " + zoneCmd(zone, "status") + ", which records it"
}
