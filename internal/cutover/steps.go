package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// PointsTo says which side a delegation's NS set names: old, new, mixed
// (names of both, or only some of one side's), unknown.
func PointsTo(ns, old, new []string) string {
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[strings.ToLower(dns.Fqdn(x))] = true
		}
		return m
	}
	o, n := set(old), set(new)
	var inO, inN, other int
	for _, x := range ns {
		x = strings.ToLower(dns.Fqdn(x))
		switch {
		case o[x] && n[x]:
			inO++
			inN++
		case o[x]:
			inO++
		case n[x]:
			inN++
		default:
			other++
		}
	}
	switch {
	case len(ns) == 0:
		return "unknown"
	case other == 0 && inO == len(ns) && len(o) == inO && inN < len(ns):
		return "old"
	case other == 0 && inN == len(ns) && len(n) == inN && inO < len(ns):
		return "new"
	case inO > 0 || inN > 0:
		return "mixed"
	}
	return "unknown"
}

// parentView is what a step accepts of the parent's servers when they do
// not all answer with one delegation.
type parentView int

const (
	// agreedView (flip, finish): every server answers, all with one
	// delegation. A planned step never moves on an unclear view: anything
	// else and it could not run.
	agreedView parentView = iota
	// observedView (status): the view of the servers that answer, one at
	// least; a server that disagrees or does not answer is an error in
	// the report.
	observedView
	// rollbackView (rollback) and emergencyView (flip --emergency) are the
	// ways out of an incident, which a registrar change still propagating
	// (the parent's servers take it one by one, for minutes) or one
	// parent server down must not block. Their view may be in motion:
	// servers that disagree and servers that do not answer, as long as
	// one answers, every answer is one of the two delegations the step
	// moves between as the trail recorded them (the old one: recorded
	// before the last flip, else configured; the new side's, as the flip
	// sets it) and all carry one DS set. Another NS set is someone else
	// changing the delegation: the step could not run. What the servers
	// showed is a warning, the step's view the delegation it moves from,
	// and its change is confirmed at every parent server.
	rollbackView
	emergencyView
	// pendingView (a planned flip run again while the trail's last move
	// is its own registrar change, not yet confirmed at every parent
	// server, that the registrar still holds: Config.pending): the
	// re-run only confirms that change (confirmPending: no gate, no
	// registrar call), so it reads the parent as the steps out of an
	// incident do, between the delegation that change replaced and the
	// one it set. A planned flip that would decide anything still needs
	// one view (agreedView).
	pendingView
)

// inMotion reports whether v accepts a view in motion.
func (v parentView) inMotion() bool {
	return v == rollbackView || v == emergencyView || v == pendingView
}

// motion is what a step whose view may be in motion moves between: the
// delegation it moves from and the one it moves to, with their sides.
type motion struct {
	step             string
	fromSide, toSide string
	from, to         registrar.Delegation
}

// moves is what a step of view v moves between (ok false: a view not in
// motion): the old delegation as the trail recorded it before the last
// flip (else the configured one) and the new side's as a flip sets it.
func (c *Config) moves(v parentView) (m motion, ok bool) {
	old, _ := c.expectedOld()
	nw := c.New.Want(c.Zone.Origin, 0)
	switch v {
	case rollbackView:
		return motion{step: "rollback", fromSide: "new", toSide: "old", from: nw, to: old}, true
	case emergencyView:
		return motion{step: "emergency flip", fromSide: "old", toSide: "new", from: old, to: nw}, true
	case pendingView:
		if p := c.pending; p != nil {
			from, to := MoveSides(p.entry.Command)
			m := motion{step: p.entry.Command, fromSide: from, toSide: to, from: old, to: p.want}
			if p.entry.Before != nil {
				m.from = copyDelegation(*p.entry.Before)
			}
			return m, true
		}
	}
	return motion{}, false
}

// readParent reads the delegation at every parent server into rep (each
// server's, and the view: the delegation they serve) and judges it as the
// step's view v accepts; ok false when the step cannot go on (rep.Errors
// says why).
func readParent(ctx context.Context, c *Config, rep *Report, v parentView) bool {
	if len(c.ParentServers) == 0 {
		rep.Errors = append(rep.Errors, "no parent servers: set cutover.parent_servers (the parent zone's authoritative servers)")
		return false
	}
	views := registrar.Lookup(ctx, c.ParentServers, c.Zone.Origin, c.Timeout)
	rep.Parent = views
	a := registrar.Agree(views)
	ok, d := a.Agreed(), a.First
	var parts []string
	for _, x := range views {
		if x.Err != "" {
			parts = append(parts, x.Server+": "+x.Err)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s, %d DS", x.Server, describeDelegation(c.Zone.Origin, x.Delegation), len(x.Delegation.DS)))
	}
	answered := a.Answered
	m, moving := c.moves(v)
	// A view in motion is mixed when the servers that answer serve more
	// than one delegation, the NS set or its glue (the DS set aside: a
	// DS change in flight is judged below).
	mixed := false
	if !ok && moving {
		for _, x := range answered {
			if !sameDelegation(c.Zone.Origin, x.Delegation, a.First) {
				mixed = true
			}
		}
	}
	if mixed {
		// The view in motion: the one the step moves from.
		for _, x := range answered {
			if sameDelegation(c.Zone.Origin, x.Delegation, m.from) {
				d = x.Delegation
				break
			}
		}
	}
	// Servers serving the same delegation with other TTLs (a registry
	// changing them, published server by server): resolvers keep the
	// referral as long as the server they asked said.
	for _, x := range answered {
		if sameDelegation(c.Zone.Origin, x.Delegation, d) {
			d.NSTTL = max(d.NSTTL, x.Delegation.NSTTL)
			if sameDSText(x.Delegation.DS, d.DS) {
				d.DSTTL = max(d.DSTTL, x.Delegation.DSTTL)
			}
		}
	}
	rep.Delegation = DelegationView{NS: d.NS, NSTTL: d.NSTTL, DS: d.DS, DSTTL: d.DSTTL, Glue: d.Glue,
		PointsTo: PointsTo(d.NS, c.oldNames(), c.New.Delegation)}
	if rep.Delegation.NS == nil {
		rep.Delegation.NS = []string{}
	}
	if rep.Delegation.DS == nil {
		rep.Delegation.DS = []string{}
	}
	if ok {
		return true
	}
	seen := strings.Join(parts, "; ")
	if len(answered) == 0 {
		rep.Errors = append(rep.Errors, "no parent server answered: "+seen)
		return false
	}
	one := a.One()
	what := "the parent's servers disagree (a change still propagating?): "
	if one {
		what = "not every parent server answers: "
	}
	switch {
	case v == agreedView:
		rep.Delegation.PointsTo = "mixed"
		rep.Errors = append(rep.Errors, what+seen)
		return false
	case v == observedView:
		if !one {
			rep.Delegation.PointsTo = "mixed"
		}
		rep.Errors = append(rep.Errors, what+seen)
		return true
	}
	var other []string
	for _, x := range answered {
		if !sameDelegation(c.Zone.Origin, x.Delegation, m.from) && !sameDelegation(c.Zone.Origin, x.Delegation, m.to) {
			other = append(other, x.Server+" serves "+describeDelegation(c.Zone.Origin, x.Delegation))
		}
	}
	if mixed {
		rep.Delegation.PointsTo = "mixed"
	}
	both := func(or string) string {
		return fmt.Sprintf("the %s side's delegation (%s) %s the %s side's (%s)", m.fromSide, describeDelegation(c.Zone.Origin, m.from), or, m.toSide, describeDelegation(c.Zone.Origin, m.to))
	}
	switch {
	case len(other) > 0:
		rep.Errors = append(rep.Errors, fmt.Sprintf("%s%s; but %s: neither %s, which the %s moves between: someone else is changing the delegation; find out who before any registrar change",
			what, seen, strings.Join(other, "; "), both("nor"), m.step))
		return false
	case !a.DS:
		// A DS change half-published when the step out of an incident
		// is needed: resolvers hold whichever set the server they asked
		// served (RFC 4035 section 5.2: any DS of it matching a key
		// that signs the DNSKEY set secures the zone), so the dnssec
		// gate checks the side moved to under each. Refusing until the
		// change has spread left users on the failing side with no way
		// out (--emergency reads the parent the same way).
		rep.dsServed = dsSets(rep.dsServed, answered)
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent's servers serve %d different DS sets (a DS change still propagating): %s; resolvers hold whichever their server gave, so the %s's dnssec gate checks the side it moves to under each", len(rep.dsServed), seen, m.step))
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent's servers do not all serve one delegation (a registrar change still propagating, or a server down): %s; each that answers serves %s, so the %s goes on, and confirms its change at every parent server",
		seen, both("or"), m.step))
	return true
}

// dsSets adds to out the DS sets the servers that answered serve, each
// with the servers serving it and the largest TTL they gave it.
func dsSets(out []servedDS, answered []registrar.AtServer) []servedDS {
	for _, x := range answered {
		i := slices.IndexFunc(out, func(d servedDS) bool { return sameDSText(d.DS, x.Delegation.DS) })
		if i < 0 {
			out = append(out, servedDS{DSSeen: DSSeen{DS: append([]string{}, x.Delegation.DS...)}})
			i = len(out) - 1
		}
		out[i].TTL = max(out[i].TTL, x.Delegation.DSTTL)
		out[i].servers = append(out[i].servers, x.Server)
	}
	return out
}

// stageCheck sets the stage from the trail and reports any disagreement
// with live DNS (a view in motion that v accepts aside: readParent's
// warning says what the servers show).
func stageCheck(tr *Trail, rep *Report, v parentView) {
	stage, e := tr.Stage()
	rep.Stage = stage
	if e != nil {
		t := flipTime(e)
		rep.StageSince = &t
	}
	live := rep.Delegation.PointsTo
	want := map[string]string{StageNotStarted: "old", StageFlipped: "new", StageRolledBack: "old", StageFinished: "new"}[stage]
	if live != want && (live != "mixed" || !v.inMotion()) {
		if lag, none := pendingMove(tr, rep, e); lag != nil {
			// The trail's own last move, not yet at every server: no
			// one else changed the delegation.
			from, _ := MoveSides(e.Command)
			what := "every parent server"
			if none {
				what = "any parent server (a registry that publishes later, or the change undone at the registrar)"
			}
			rep.Errors = append(rep.Errors, fmt.Sprintf("the %s made at %s is not yet served by %s: %s; resolvers that ask it still go to the %s side; %s",
				e.Command, flipTime(e).UTC().Format(time.RFC3339), what, strings.Join(lag, "; "), from, reRunPending(e.Command, e.Emergency)))
			return
		}
		rep.Errors = append(rep.Errors, fmt.Sprintf("the audit trail says %s, but the parent delegates to %s (NS %s): live DNS is the truth; find out who changed the delegation", stage, live, strings.Join(rep.Delegation.NS, " ")))
	}
}

// pendingMove names the parent servers that do not serve the
// delegation the trail's last move e set yet (down, or serving the one it
// replaced), when that move was not confirmed at every parent server and
// no server serves anything else (the move still propagating, a server
// that missed it, a registry publishing later); nil otherwise. none: no
// server serves it yet.
func pendingMove(tr *Trail, rep *Report, e *Entry) (lag []string, none bool) {
	if e == nil || e.ChangedAt == nil || e.After == nil || (e.Command != "flip" && e.Command != "rollback") || !tr.unconfirmed(e) {
		return nil, false
	}
	serving := false
	for _, v := range rep.Parent {
		switch {
		case v.Err != "":
			lag = append(lag, fmt.Sprintf("%s does not answer", v.Server))
		case sameDelegation(rep.Zone, v.Delegation, *e.After):
			serving = true
		case e.Before != nil && sameDelegation(rep.Zone, v.Delegation, *e.Before):
			lag = append(lag, fmt.Sprintf("%s still serves %s", v.Server, describeDelegation(rep.Zone, v.Delegation)))
		default:
			return nil, false // someone else's delegation
		}
	}
	if len(lag) == 0 {
		return nil, false
	}
	return lag, !serving
}

func (c *Config) entry(command string, rep *Report) Entry {
	e := Entry{Time: c.Now().UTC(), Actor: c.Actor, Command: command, Emergency: rep.Emergency, DryRun: rep.DryRun,
		Result: rep.Result, Gates: trailGates(rep.Gates), TTL: rep.TTL, Watch: rep.Watch, Actions: rep.Actions, OldApexNS: c.oldNS}
	if rep.Parent != nil {
		ds := c.parentDS(rep)
		e.ParentDS = &ds
		e.DelegatedTo, e.ParentNSTTL = c.sidesSeen(rep)
	}
	e.DNSKEY = seenKeys(rep.Gates)
	return e
}

// parentDS is the DS set the step records as the parent's: the one of
// its view, except while the parent's servers that answer serve more than
// one DS set (a change published server by server) and one of them still
// serves the set the trail saw last: that set is still handed to
// resolvers, so it is recorded (with the largest TTL served) until every
// server has dropped it. CachedDS counts a DS set's TTL from the first
// record without it: recording the view's new set while a server still
// served the old one let the dnssec gate stop checking it a DS TTL after
// that record, while resolvers that fetched it from the lagging server
// later still held it.
func (c *Config) parentDS(rep *Report) DSSeen {
	seen := DSSeen{DS: append([]string{}, rep.Delegation.DS...), TTL: rep.Delegation.DSTTL}
	if c.lastDS == nil {
		return seen
	}
	last := dsKey(c.lastDS.DS)
	var still, other bool
	var ttl uint32
	for _, v := range rep.Parent {
		if v.Err != "" {
			continue
		}
		if dsKey(v.Delegation.DS) == last {
			still, ttl = true, max(ttl, v.Delegation.DSTTL)
		} else {
			other = true
		}
	}
	if still && other {
		return DSSeen{DS: append([]string{}, c.lastDS.DS...), TTL: max(ttl, c.lastDS.TTL)}
	}
	return seen
}

// seenKeys is what the step's dnssec gates saw of each side's DNSKEY sets
// (nil: none asked).
func seenKeys(gates []Gate) map[string]dnssec.KeySet {
	var out map[string]dnssec.KeySet
	for _, g := range gates {
		for side, ks := range g.keys {
			if out == nil {
				out = map[string]dnssec.KeySet{}
			}
			out[side] = ks
		}
	}
	return out
}

// keysChanged reports whether seen holds a side's DNSKEY set other than
// the last one the trail recorded for it: its tags, TTL, serials, the set
// itself, how its signer signs, or a stable signer's signatures.
func (t *Trail) keysChanged(seen map[string]dnssec.KeySet) bool {
	for side, ks := range seen {
		hist := t.KeysSeen(side)
		if len(hist) == 0 {
			return true
		}
		// The dnssec gate counts keys as published anew where the set
		// itself changed, where a stable signer's signatures moved, or
		// where the serial and the signatures both did
		// (dnssec.KeySet), so a status run records each of those; not
		// a per-answer signer's signatures alone, new in every answer.
		last := hist[len(hist)-1].KeySet
		if last.TTL != ks.TTL || !slices.Equal(last.Tags, ks.Tags) || !slices.Equal(last.Serials, ks.Serials) || last.Keys != ks.Keys ||
			last.Signing != ks.Signing || ks.Signing == dnssec.SigningStable && last.RRSIG != ks.RRSIG {
			return true
		}
	}
	return false
}

// delegatedTo are the sides the parent's servers send resolvers to, from
// every server's NS set as read (servers that disagree: all of them): new
// when a name is one of the new side's delegation names, old for any
// other (the old side's, or a third party's, which a flip --from-current
// starts from and a rollback returns to). Empty when no server answered.
func (c *Config) delegatedTo(views []registrar.AtServer) []string {
	newNames := map[string]bool{}
	for _, n := range c.New.Delegation {
		newNames[zone.Fold(dns.Fqdn(n))] = true
	}
	var old, nw bool
	for _, v := range views {
		for _, n := range v.Delegation.NS {
			if newNames[zone.Fold(dns.Fqdn(n))] {
				nw = true
			} else {
				old = true
			}
		}
	}
	var out []string
	if old {
		out = append(out, "old")
	}
	if nw {
		out = append(out, "new")
	}
	return out
}

// sidesSeen are the sides the parent's servers sent resolvers to when the
// step read them, and the largest NS TTL they served: the listed servers'
// (rep.Parent) and those of the parent zone cutover.parent_servers leaves
// out that gate parent-servers asked (rep.unlisted): resolvers ask those
// too, so one that takes a change late keeps the side it left delegated
// (finish waits out its NS TTL from the entry that last saw it, and
// ttl-expired counts the side's TTLs meanwhile). Recorded from the
// listed servers alone, finish passed the moment an unlisted server that
// had refused it caught up, while resolvers that had taken the old
// delegation from it still asked the old provider.
func (c *Config) sidesSeen(rep *Report) ([]string, uint32) {
	ttl := rep.Delegation.NSTTL
	for _, v := range rep.unlisted {
		ttl = max(ttl, v.Delegation.NSTTL)
	}
	return c.delegatedTo(append(slices.Clip(rep.Parent), rep.unlisted...)), ttl
}

// unconfirmed reports whether the move e (the trail's last) was recorded
// not confirmed at every parent server (its delegated_to names both
// sides) and no entry since saw every parent server send resolvers to
// the side it moved to alone. An entry that saw them all on the side it
// left (a registry that has not published the change anywhere yet) does
// not confirm it.
func (t *Trail) unconfirmed(e *Entry) bool {
	if len(e.DelegatedTo) < 2 {
		return false
	}
	_, to := MoveSides(e.Command)
	return !slices.Equal(t.lastDelegatedTo(), []string{to})
}

// lastDelegatedTo are the sides the trail last saw the parent delegate to
// (nil: never recorded).
func (t *Trail) lastDelegatedTo() []string {
	if e := t.last(func(e *Entry) bool { return len(e.DelegatedTo) > 0 }); e != nil {
		return e.DelegatedTo
	}
	return nil
}

// lastDS is the DS set the trail saw last (nil: never recorded).
func (t *Trail) lastDS() *DSSeen {
	if e := t.last(func(e *Entry) bool { return e.ParentDS != nil }); e != nil {
		return e.ParentDS
	}
	return nil
}

func (c *Config) record(tr *Trail, rep *Report, e Entry) {
	if len(rep.Errors) > 0 && e.Error == "" {
		e.Error = strings.Join(rep.Errors, "; ")
	}
	tr.redact = c.Redact
	if err := tr.Append(c.TrailPath, e); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		if rep.Result != ResultRefused {
			rep.Result = ResultError
		}
	}
}

// fromGates adds what the gates hand to the report beyond themselves:
// the plans' steps with a time (Next) and the warnings.
func fromGates(rep *Report) {
	for _, g := range rep.Gates {
		rep.Next = append(rep.Next, g.next...)
		for _, w := range g.warnings {
			if !slices.Contains(rep.Warnings, w) {
				rep.Warnings = append(rep.Warnings, w)
			}
		}
	}
}

// verdict sets the result from the gates.
func verdict(rep *Report) bool {
	fromGates(rep)
	unmet, couldNot := rep.Failed()
	switch {
	case couldNot:
		rep.Result = ResultError
	case unmet:
		rep.Result = ResultRefused
	default:
		return true
	}
	var names []string
	for _, g := range rep.Gates {
		if !g.OK {
			names = append(names, g.Name)
		}
	}
	what := "nothing changed at the registrar"
	if rep.Command == "finish" {
		// finish never touches the registrar: what did not happen is
		// the end of the migration.
		what = "the migration is not finished"
	}
	rep.Actions = append(rep.Actions, what+": unmet gates "+strings.Join(names, ", "))
	return false
}

// begin starts a step: the zone's lock taken (the caller releases it),
// the report, the audit trail read and the delegation read from the
// parent, judged as v accepts it; ok false when the step cannot go on
// (the report then says why, with result error).
func begin(ctx context.Context, c *Config, command string, v parentView) (rep *Report, tr *Trail, ok bool) {
	c.defaults()
	c.pending, c.apexSeen = nil, newApexNSSeen()
	rep = newReport(c, command)
	if !c.lock(ctx, command, rep) {
		return rep, nil, false
	}
	tr, err := ReadTrail(c.TrailPath, c.Zone.Origin)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Result = ResultError
		return rep, nil, false
	}
	c.restore, c.lastDS, c.oldOnlyNow, c.oldServersNow = tr.Restore(), tr.lastDS(), nil, nil
	if !c.trailClock(tr, rep) {
		rep.Result = ResultError
		return rep, nil, false
	}
	if command == "flip" || command == "rollback" {
		c.pending = c.pendingChange(ctx, tr, command)
		if v == agreedView && c.pending != nil {
			// A planned flip run again to confirm its own change:
			// it decides nothing, so a parent still in motion
			// between the two delegations does not stop it.
			v = pendingView
		}
	}
	if !readParent(ctx, c, rep, v) {
		rep.Result = ResultError
		return rep, nil, false
	}
	stageCheck(tr, rep, v)
	c.oldNS = observeOldNS(ctx, c)
	return rep, tr, true
}

// trailClock keeps a step's times from going back before the trail: the
// zone's lock serializes the steps, so the entry a step writes comes after
// every entry already there, but Append puts an entry where its time says.
// A clock behind the trail's last entry by more than TrailClockSkew stops
// the step (ok false, rep.Errors says why) before anything is asked; one
// within it counts the step's time (c.Now: the entry, the registrar
// change, the gates' now) from that entry's at the earliest.
func (c *Config) trailClock(tr *Trail, rep *Report) bool {
	if len(tr.Entries) == 0 {
		return true
	}
	last := tr.Entries[len(tr.Entries)-1]
	now := c.Now()
	if last.Time.After(now.Add(TrailClockSkew)) {
		rep.Errors = append(rep.Errors, fmt.Sprintf("the audit trail's last entry (%s, at %s) is dated %s after this machine's clock (%s), more than %s: this clock is behind (or that entry's was ahead), and this step would be recorded before it, so that the trail tells another story than the parent; set the clock right (NTP), then run the step again",
			last.Command, last.Time.UTC().Format(time.RFC3339), last.Time.Sub(now).Round(time.Second), now.UTC().Format(time.RFC3339), TrailClockSkew))
		return false
	}
	if last.Time.After(now) {
		base, floor := c.Now, last.Time
		c.Now = func() time.Time { return maxTime(base(), floor) }
	}
	return true
}

// Flip points the delegation to the new side when every gate passes.
func Flip(ctx context.Context, c *Config, dryRun, emergency bool) *Report {
	defer c.release()
	view := agreedView
	if emergency {
		view = emergencyView // the old provider is down: a lagging parent server does not hold it up
	}
	rep, tr, ok := begin(ctx, c, "flip", view)
	rep.DryRun, rep.Emergency = dryRun, emergency
	if !ok || c.confirmPending(ctx, tr, rep) {
		return rep
	}
	// restore: the delegation a rollback comes back to, when this run
	// completes a flip whose registrar change was made half-way.
	var restore *registrar.Delegation
	if rep.Delegation.PointsTo == "new" {
		if off := c.halfMade(rep.Parent, c.New.Want(c.Zone.Origin, 0)); len(off) > 0 {
			restore = c.beforeHalfMade(rep.Delegation.NSTTL)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent delegates to the new side's NS names, but not as the flip sets them (%s; the flip sets %s): a flip made half-way (a registry that kept an old host object, a registrar change cut short, glue entered by hand); this run completes it once its gates pass",
				strings.Join(off, "; "), describeDelegation(c.Zone.Origin, c.New.Want(c.Zone.Origin, 0))))
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
		return rep
	}
	if restore == nil {
		// The servers resolvers holding the delegation ask are the old
		// side's, whatever providers.old.nameservers lists.
		c.askFromServers(ctx, rep, &c.Old, true)
	}
	c.checkingGates(ctx, rep, "flip", emergency, &c.New)
	var ttlAt time.Time
	if !emergency && restore == nil {
		want, source := c.expectedOld()
		rep.Gates = append(rep.Gates, gatePointsTo(c, GatePointsToOld, rep.Parent, want, source, c.FromCurrent, nil))
	}
	rep.Gates = append(rep.Gates, gateParentServers(ctx, c, rep, c.New.Want(c.Zone.Origin, 0).NS, nil))
	if emergency {
		gates, sum := emergencyGates(ctx, c, &c.Old, &c.New, c.New.Servers, "", "appear at the flip (git does not have them)")
		rep.Gates = append(rep.Gates, gates...)
		rep.Parity = sum
	} else {
		g, sum, lists := parityAndListing(ctx, c, GateParity, c.Old.Servers, c.New.Servers)
		rep.Gates = append(rep.Gates, c.offerEmergency(ctx, c.apiDownPlan(g, lists, &c.Old), &c.Old))
		rep.Parity = sum
		t := observeTTLs(ctx, c, lists, sum)
		rep.TTL = &t
		rep.Gates = append(rep.Gates, gateTTLPrestaged(t, c.PrestageTTL, lists, sum))
		var ge Gate
		ge, ttlAt = gateTTLExpired(tr, t, c.PrestageTTL, c.Now())
		rep.Gates = append(rep.Gates, ge)
		rep.Gates = append(rep.Gates, gateAuthoritative(ctx, c, GateNewAuthoritative, &c.New))
		rep.Gates = append(rep.Gates, gateDrift(c, lists))
		rep.Gates = append(rep.Gates, gateCompleteListed(c, GateOldComplete, &c.Old, lists, "vanish at the flip (the new side does not serve them)", &g))
	}
	rep.Gates = append(rep.Gates, gateDNSSECAfter(ctx, c, tr, &c.New, &c.Old, rep, GateNewAuthoritative))
	rep.Gates = append(rep.Gates, gateDelegation(ctx, c, &c.New, nil, rep.Delegation.DS))
	if !ttlAt.IsZero() {
		rep.Next = append(rep.Next, Next{Step: "flip", Earliest: ttlAt.UTC(), Detail: "when the old TTLs have expired from caches"})
	}
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
		rep.Actions = append(rep.Actions, fmt.Sprintf("dry run: the %s found in live DNS is not recorded in the audit trail; `dnsparity %s --zone %s` without --dry-run records it (the overlap and the old delegation's expiry count from then)", rep.Command, rep.Command, c.Zone.Origin))
		return
	}
	now := c.Now().UTC()
	d := rep.Delegation.served()
	// As move counts it: the larger of the NS TTL recorded before the
	// change and the one the parent's servers serve (the change was made
	// some time before now, with the delegation before it served until
	// then for its own TTL).
	nsTTL := rep.Delegation.NSTTL
	if before != nil {
		nsTTL = max(nsTTL, before.NSTTL)
	}
	rep.Watch = watchMove(ctx, c, tr, rep, target, now, now, nsTTL)
	e := c.entry(rep.Command, rep)
	e.Result, e.After, e.ChangedAt, e.Before = ResultDone, &d, &now, before
	rep.Actions = append(rep.Actions, fmt.Sprintf("recorded the %s found in live DNS (not in the audit trail) at %s", rep.Command, now.Format(time.RFC3339)))
	c.record(tr, rep, e)
}

// served is the delegation the parent's servers serve, as the registrar
// package writes one.
func (v DelegationView) served() registrar.Delegation {
	return registrar.Delegation{NS: v.NS, NSTTL: v.NSTTL, DS: v.DS, DSTTL: v.DSTTL, Glue: v.Glue}
}

// attemptedBefore is the delegation before the flip recorded by the
// latest flip run since the trail's last move (done), when it is not the
// new side's: a run whose registrar call reported a failure after the
// registry took the change, or a refused or dry run before it. nil when
// there is none.
func (c *Config) attemptedBefore(tr *Trail) *registrar.Delegation {
	for e := range tr.newestFirst() {
		if e.setsStage() {
			return nil
		}
		if e.Command == "flip" && e.Before != nil && len(e.Before.NS) > 0 && PointsTo(e.Before.NS, c.oldNames(), c.New.Delegation) != "new" {
			d := copyDelegation(*e.Before)
			return &d
		}
	}
	return nil
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
		if registrar.SameNS(held.NS, before.NS) {
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
		e := c.entry(rep.Command, rep)
		e.Before = &before
		c.record(tr, rep, e)
		return rep
	}
	if moved := changedSince(ctx, c, rep.serials); len(moved) > 0 {
		// Parity was proven against the data the servers served when
		// the gates began; a push since (push does not wait for a
		// step) may have made a side differ: prove it again.
		changedWhileGatesRan(rep, "the zone", moved, "what was proven is not what the servers serve now",
			[]string{"let the push that changed it finish (both providers)", "run the step again: its gates check what the servers serve then"},
			GateParity, GateOldParity, GateNewMatchesGit)
	} else if moved := delegationMoved(ctx, c, rep, registrarNS, want.NS); len(moved) > 0 {
		changedWhileGatesRan(rep, "the delegation", moved, "the gates judged one no longer served",
			[]string{"find out who changed the delegation (another step, someone at the registrar) before any registrar change", "run `dnsparity status`, then the step again: its gates check the delegation served then"},
			GateParentServers)
	}
	if rep.Result == ResultRefused {
		e := c.entry(rep.Command, rep)
		e.Before = &before
		c.record(tr, rep, e)
		return rep
	}
	// A registrar that takes keys, not DS (Route 53 Domains), is given
	// the DNSKEY each DS is made from; want (what confirm and the trail
	// check) keeps the DS, which the parent serves.
	send, err := registrarWant(ctx, c, to, want, before.DS)
	if err != nil {
		return c.refuseKeys(tr, rep, to, before, err)
	}
	if rep.DryRun {
		rep.Result = ResultDryRun
		rep.Actions = append(rep.Actions, "dry run: every gate passes; the registrar would replace "+describeChange(before, want))
		if d, ok := c.Registrar.(interface {
			Describe(zone string, want registrar.Delegation) string
		}); ok {
			rep.Actions = append(rep.Actions, d.Describe(c.Zone.Origin, send))
		}
		e := c.entry(rep.Command, rep)
		e.Before, e.After = &before, &want
		c.record(tr, rep, e)
		return rep
	}
	fmt.Fprintf(c.Log, "%s: registrar: replacing %s\n", c.Zone.Origin, describeChange(before, want))
	if err := c.Registrar.SetDelegation(ctx, c.Zone.Origin, send); err != nil {
		rep.Result = ResultError
		rep.Errors = append(rep.Errors, "registrar: "+err.Error())
		rep.Actions = append(rep.Actions, "the registrar change failed; the delegation may be unchanged or changed: run `dnsparity status`, then the step again (it converges)")
		e := c.entry(rep.Command, rep)
		e.Before = &before
		c.record(tr, rep, e)
		return rep
	}
	at := c.Now().UTC()
	rep.Change.At = at
	rep.Actions = append(rep.Actions, fmt.Sprintf("registrar: replaced %s at %s", describeChange(before, want), at.Format(time.RFC3339)))
	var cf confirmation
	if altered := registrarAltered(ctx, c, before, want); altered != "" {
		// The registrar holds neither what it was given nor what it
		// held: no parent server will serve the change; waiting for
		// it would only hide why.
		cf.served = c.Now()
		rep.Errors = append(rep.Errors, altered)
		rep.Actions = append(rep.Actions, fmt.Sprintf("set the delegation at the registrar by hand to %s (or make the configured delegation one the registry keeps), then run `dnsparity status`", describeDelegation(c.Zone.Origin, want)))
	} else {
		cf = confirm(ctx, c, rep, want)
	}
	rep.Change.Confirmed = cf.ok
	served := cf.served
	after := want
	if rep.Change.Confirmed {
		rep.Actions = append(rep.Actions, fmt.Sprintf("confirmed at every parent server (%s)", strings.Join(cf.servers, " ")))
	} else {
		left, _ := MoveSides(rep.Command)
		if cf.servers != nil { // confirm ran: the registrar holds the change
			rep.Errors = append(rep.Errors, fmt.Sprintf("the registrar accepted the change at %s, but after %s not every parent server serves it (NS, glue and DS): %s",
				at.Format(time.RFC3339), c.Confirm, orNone(cf.lag)))
			rep.Actions = append(rep.Actions, fmt.Sprintf("the change is made and recorded: resolvers that ask a parent server that does not serve it yet still go to the %s side; %s", left, reRunPending(rep.Command, rep.Emergency)))
		}
		rep.Result = ResultError
	}
	rep.Delegation.NS, rep.Delegation.PointsTo = want.NS, PointsTo(want.NS, c.oldNames(), c.New.Delegation)
	if want.DS != nil {
		rep.Delegation.DS = want.DS
	}
	// Resolvers keep the replaced delegation as long as the parent
	// server they asked said: the largest NS TTL its servers served.
	rep.Watch = watchMove(ctx, c, tr, rep, to.Name, at, served, max(before.NSTTL, rep.Delegation.NSTTL))
	if rep.Result != ResultError {
		rep.Result = ResultDone
	}
	e := c.entry(rep.Command, rep)
	e.Result = ResultDone
	e.Before, e.After, e.ChangedAt = &before, &after, &at
	if restore != nil {
		e.Before = restore
	}
	e.DelegatedTo, e.ParentNSTTL = []string{to.Name}, after.NSTTL // what the parent serves now
	if !rep.Change.Confirmed {
		// Not every parent server serves the change yet (a registry that
		// publishes later): they may still send resolvers to the side
		// left, until a later run sees them all on this one.
		e.DelegatedTo = []string{"old", "new"}
	}
	c.record(tr, rep, e)
	rep.Stage, _ = tr.Stage()
	rep.StageSince = &at
	rep.Next = []Next{{Step: "old-delegation-expired", Earliest: rep.Watch.OldDelegationExpires, Detail: "the last cached copy of the previous delegation expires (change + parent NS TTL + the previous side's own NS TTL, which resolvers that took its NS set keep; RFC 2181 §5.4.1)"}}
	if rep.Command == "flip" {
		rep.Next = append(rep.Next, Next{Step: "finish", Earliest: maxTime(at.Add(c.Overlap), rep.Watch.OldDelegationExpires), Detail: "after policy.overlap and the old delegation's expiry; keep both providers identical until then"})
	}
	return rep
}

// registrarAltered reads the delegation back from the registrar right
// after it accepted want, and says what is wrong when it holds an NS set
// that is neither want's nor the one it held before: a registrar or
// registry that silently changed what it was given (kept only so many NS
// names, dropped a host object it does not know). Empty when it holds
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
	if len(off) == 0 {
		return ""
	}
	return fmt.Sprintf("the registrar accepted the change, but now holds %s: it changed the delegation it was given (a registry's limit on the number of NS records, a host object it does not know); the parent will serve what it holds, not the delegation the gates checked", strings.Join(off, "; and "))
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
func reRunPending(command string, emergency bool) string {
	flag := map[bool]string{true: " --emergency"}[emergency]
	return fmt.Sprintf("run `dnsparity %s%s` again: it confirms the change at every parent server without asking the registrar again (`dnsparity status` shows each server)", command, flag)
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
		rep.Next = append(rep.Next, Next{Step: "old-delegation-expired", Earliest: pendingExpires(e, served, ent.ParentNSTTL).UTC(),
			Detail: "the last cached copy of the previous delegation expires (the confirmation + parent NS TTL + the previous side's own NS TTL)"})
	} else {
		rep.Result = ResultError
		rep.Errors = append(rep.Errors, fmt.Sprintf("the %s's change made at %s is still not served by every parent server after %s (NS, glue and DS): %s", e.Command, changed, c.Confirm, orNone(cf.lag)))
		rep.Actions = append(rep.Actions, fmt.Sprintf("resolvers that ask a parent server that does not serve it yet still go to the %s side; %s", from, reRunPending(rep.Command, rep.Emergency)))
		ent.DelegatedTo = []string{"old", "new"}
	}
	ent.Result = rep.Result
	c.record(tr, rep, ent)
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
	return served.Add(time.Duration(max(movedNSTTL(e), seen)+leftNSTTL(e, from)) * time.Second)
}

// watchMove watches the resolvers move to target after the step's change
// at (served: until when the parent may have served the delegation
// before), counting nsTTL for the parent's NS TTL. When no server of the
// side left behind answers (its provider down: an emergency step, or one
// that failed since the gates ran), its own NS TTL, which resolvers that
// took its NS set keep, cannot be read. Counting none would end the
// previous delegation at the parent's NS TTL: the trail's bound counts
// instead, with a warning.
func watchMove(ctx context.Context, c *Config, tr *Trail, rep *Report, target string, at, served time.Time, nsTTL uint32) *WatchResult {
	left, _ := MoveSides(rep.Command) // the side this step leaves
	unread := func() uint32 {
		ttl, how := tr.nsTTLBound(left)
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no %s nameserver answers for the %s side's own NS TTL (its provider is down, or out of reach from here): old_delegation_expires counts %d s for it, %s", left, left, ttl, how))
		return ttl
	}
	return watch(ctx, c, target, at, served, nsTTL, unread)
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
	var views []registrar.AtServer
	for {
		polled := c.Now()
		views = registrar.Lookup(ctx, servers, c.Zone.Origin, c.Timeout)
		if !registrar.Serves(views, want) {
			run, cf.served = 0, c.Now()
		} else if run++; run == 1 {
			cf.served = polled
		}
		if run >= need {
			cf.ok = true
			return cf
		}
		if c.Now().After(deadline) || ctx.Err() != nil {
			break
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
	if emergency {
		rep.serials = serials(ctx, c, up)
	} else {
		rep.serials = serials(ctx, c, &c.Old, &c.New)
	}
}

// Rollback points the delegation back to the old side, gated on the old
// side answering in parity with the new one and on DNSSEC against it.
// emergency (`rollback --emergency`, the mirror of flip --emergency) is
// the way back when the new provider is down: every new server must fail
// (new-down), and the old side is checked against git instead of the new
// side (old-matches-git, old-authoritative, old-complete).
func Rollback(ctx context.Context, c *Config, dryRun, emergency bool) *Report {
	defer c.release()
	rep, tr, ok := begin(ctx, c, "rollback", rollbackView)
	rep.DryRun, rep.Emergency = dryRun, emergency
	if !ok || c.confirmPending(ctx, tr, rep) {
		return rep
	}
	half := false
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
			if c.pendingAtRegistrar(ctx, tr, rep) {
				return rep
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
			return rep
		}
	}
	if !half {
		c.askFromServers(ctx, rep, &c.New, true)
	}
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
	olds := c.oldServers(ctx)
	recorded, notAsked := notFromHere(ctx, c, olds.recorded)
	for _, u := range olds.unresolved {
		if u.failed {
			notAsked = append(notAsked, fmt.Sprintf("%s (could not be resolved: %s)", u.name, u.why))
		}
	}
	oldServers := append(slices.Clip(c.Old.Servers), recorded...)
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
		gates, sum := emergencyGates(ctx, c, &c.New, &c.Old, oldServers, note, "come back at the rollback (git does not have them)")
		rep.Gates = append(rep.Gates, gates...)
		rep.Parity = sum
	} else {
		g, sum, lists := parityAndListing(ctx, c, GateOldParity, oldServers, c.New.Servers)
		if len(notAsked) > 0 {
			g.Detail += "; servers of the recorded delegation not asked from here: " + strings.Join(notAsked, "; ")
		}
		if !g.OK && !g.Err {
			g.Plan = rollbackParityPlan(c, lists)
			if len(recorded) > 0 {
				last := len(g.Plan) - 1 // "run `dnsparity rollback` again"
				g.Plan = append(g.Plan[:last:last], fmt.Sprintf("the rollback restores the delegation recorded before the flip, with servers the config does not list (%s): make them serve what the old provider serves (or change the delegation at the registrar by hand)", strings.Join(recorded, " ")), g.Plan[last])
			}
		}
		rep.Gates = append(rep.Gates, c.offerEmergency(ctx, c.apiDownPlan(g, lists, &c.New), &c.New))
		rep.Parity = sum
		rep.Gates = append(rep.Gates,
			gateCompleteListed(c, GateNewComplete, &c.New, lists, "vanish at the rollback (the old side does not serve them)", nil),
			gateCompleteListed(c, GateOldComplete, &c.Old, lists, "come back at the rollback (git no longer has them)", &g))
	}
	rep.Gates = append(rep.Gates, gateDNSSECRollback(ctx, c, tr, rep, target, pre))
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
		out = append(out, fmt.Sprintf("the new provider differs from git in %s (%s): changed there, not through git, while it served resolvers; a push of git to the old side does not bring that back, and one to the new side throws it away. To keep it: `dnsparity import --provider new --zone %s -o %s.new.zone`, copy those records into the zone file, commit, and push to both providers (`dnsparity push`); to drop it: `dnsparity push --provider new`",
			plural.N(len(newDrift), "RRset", "RRsets"), fiveNames(newDrift), c.Zone.Origin, strings.TrimSuffix(c.Zone.Origin, ".")))
	}
	if len(oldDrift) > 0 {
		out = append(out, fmt.Sprintf("the old provider differs from git in %s (%s): push git to it (`dnsparity push --provider old`; bring it back first if it is down)", plural.N(len(oldDrift), "RRset", "RRsets"), fiveNames(oldDrift)))
	}
	if len(out) == 0 {
		out = append(out, "both providers list what git holds, and their servers answer differently: `dnsparity parity` names each difference (a server behind its provider, a record of a provider's own kind); bring each server to what its provider holds")
	}
	return append(out, "run `dnsparity rollback` again")
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

// Finish ends the migration after the overlap, when old and new still
// agree.
func Finish(ctx context.Context, c *Config) *Report {
	defer c.release()
	rep, tr, ok := begin(ctx, c, "finish", agreedView)
	if !ok {
		return rep
	}
	if rep.Stage == StageFinished {
		rep.Result = ResultNothing
		rep.Actions = append(rep.Actions, "already finished")
		return rep
	}
	parent := gateParentServers(ctx, c, rep, nil, nil)
	pg, sum := finishParity(ctx, c)
	rep.Parity = sum
	// Parity may run for minutes: the old side's apex NS, asked as the
	// step began, is asked again after it. old-unreferenced judges the
	// second answer, the overlap gate both (mergeOldNS: a set naming an
	// old server at either ask holds finish; a TTL a cache in front of
	// the server counts down refuses nothing), and the trail records
	// both.
	c.apexSeen = newApexNSSeen()
	c.oldNS = mergeOldNS(c.oldNS, observeOldNS(ctx, c))
	g, at := c.gateOverlap(ctx, tr, c.oldNS, c.Now())
	if g.OK && rep.Delegation.PointsTo != "new" {
		g.OK = false
		g.Detail += fmt.Sprintf("; but the parent delegates to %s (NS %s), not to the new side", rep.Delegation.PointsTo, strings.Join(rep.Delegation.NS, " "))
	}
	if !at.IsZero() {
		rep.Next = append(rep.Next, Next{Step: "finish", Earliest: at.UTC()})
	}
	rep.Gates = append(rep.Gates, g, parent, pg, gateOldUnreferenced(ctx, c, rep))
	stale, removeDS := staleDS(ctx, c, rep.Delegation.DS)
	rep.Warnings = append(rep.Warnings, stale...)
	if !verdict(rep) {
		c.record(tr, rep, c.entry("finish", rep))
		return rep
	}
	rep.Result = ResultDone
	rep.Stage = StageFinished
	now := c.Now()
	rep.StageSince, rep.Next = &now, []Next{} // nothing comes next
	rep.Actions = append(rep.Actions,
		"the migration is finished: the old provider is safe to decommission (no parent server, no apex NS and no target in git names it, and the overlap has passed)",
		"restore normal TTLs (3,600-86,400 s): revert the commit that capped them with `dnsparity ttl --cap` (git log -- ZONEFILE; git revert COMMIT), then push",
		"remove providers.old from dnsparity.yaml once it is gone")
	if removeDS {
		rep.Actions = append(rep.Actions, "remove the DS records the warnings name at the registrar (the old provider's keys)")
	}
	if names, _ := c.oldOnly(ctx); len(names) > 0 {
		if _, read := c.Registrar.(registrar.OtherNSReader); !read {
			rep.Actions = append(rep.Actions, fmt.Sprintf("before decommissioning, make sure no other zone is delegated to %s (at its registrar): finish cannot read the parent zone's other delegations, so it did not check", strings.Join(slices.Sorted(maps.Keys(names)), " ")))
		}
	}
	c.record(tr, rep, c.entry("finish", rep))
	return rep
}

// finishParity is finish's parity gate: the old side's servers
// (oldServers: those the delegation recorded before the flip sends
// resolvers to as well, each this machine can ask) against the new
// side's. Configured old servers that are all the new side's would have
// parity compare the new side with itself: the gate fails, saying so.
func finishParity(ctx context.Context, c *Config) (Gate, *ParitySummary) {
	recorded, notAsked := notFromHere(ctx, c, c.oldServers(ctx).recorded)
	pg, sum := gateParity(ctx, c, GateParity, append(slices.Clip(c.Old.Servers), recorded...), c.New.Servers, 0)
	if len(recorded) > 0 {
		pg.Detail += "; old servers asked as the delegation recorded before the flip names them (providers.old.nameservers does not list them): " + strings.Join(recorded, " ")
	}
	if len(notAsked) > 0 {
		pg.Detail += "; servers of the recorded delegation not asked from here: " + strings.Join(notAsked, "; ")
	}
	if sameServers(c.Old.Servers, c.New.Servers) {
		pg.OK = false
		pg.Detail += fmt.Sprintf("; but providers.old.nameservers (%s) are the new side's servers: parity compared the new side with itself, and nothing here was asked of the old provider's servers", strings.Join(c.Old.Servers, " "))
		pg.Plan = []string{"set providers.old.nameservers to the old provider's servers (those the delegation before the flip named), then run `dnsparity finish` again"}
	}
	return pg, sum
}

// sameServers reports whether every server of old (at least one) is one
// of new's (IP and port: one server, one copy of the zone).
func sameServers(old, new []string) bool {
	canon := func(s string) string {
		if a, err := query.ParseAddr(s); err == nil {
			return a
		}
		return s
	}
	have := map[string]bool{}
	for _, s := range new {
		have[canon(s)] = true
	}
	for _, s := range old {
		if !have[canon(s)] {
			return false
		}
	}
	return len(old) > 0
}

// serials are the SOA serials the servers of sides serve now, by server
// (one that does not answer is left out).
func serials(ctx context.Context, c *Config, sides ...*Side) map[string]uint32 {
	out := map[string]uint32{}
	for _, s := range sides {
		for _, srv := range s.Servers {
			if n, err := serial(ctx, c, srv); err == nil {
				out[srv] = n
			}
		}
	}
	return out
}

// changedSince names the servers that serve another SOA serial than they
// did when the gates began (seen), or no longer answer.
func changedSince(ctx context.Context, c *Config, seen map[string]uint32) []string {
	var out []string
	for srv, was := range seen {
		n, err := serial(ctx, c, srv)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("%s served serial %d, now %v", srv, was, err))
		case n != was:
			out = append(out, fmt.Sprintf("%s serial %d → %d", srv, was, n))
		}
	}
	slices.Sort(out)
	return out
}

// changedWhileGatesRan refuses a step when what its gates judged (what:
// the zone the servers serve, the delegation the parent serves) changed
// while they ran, as moved names: the gates named are unmet, saying why
// their verdict no longer holds and what to do, and the registrar is left
// untouched.
func changedWhileGatesRan(rep *Report, what string, moved []string, why string, plan []string, gates ...string) {
	for i := range rep.Gates {
		g := &rep.Gates[i]
		if !slices.Contains(gates, g.Name) {
			continue
		}
		g.OK = false
		g.Detail += "; but " + what + " changed while the gates ran (" + strings.Join(moved, "; ") + "): " + why
		g.Plan = plan
	}
	rep.Result = ResultRefused
	rep.Actions = append(rep.Actions, "nothing changed at the registrar: "+what+" changed while the gates ran ("+strings.Join(moved, "; ")+")")
}
