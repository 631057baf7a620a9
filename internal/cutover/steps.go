package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
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
			d.GlueTTL = max(d.GlueTTL, x.Delegation.GlueTTL)
			if sameDSText(x.Delegation.DS, d.DS) {
				d.DSTTL = max(d.DSTTL, x.Delegation.DSTTL)
			}
		}
	}
	rep.Delegation = DelegationView{NS: d.NS, NSTTL: d.NSTTL, DS: d.DS, DSTTL: d.DSTTL, Glue: d.Glue, GlueTTL: d.GlueTTL,
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
	other, half := c.inMotionOff(rep, v, m, answered)
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
	each := both("or")
	if len(half) > 0 {
		each += fmt.Sprintf(", or both sides' NS names only (%s: a %s made half-way)", strings.Join(half, " "), rep.Command)
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("the parent's servers do not all serve one delegation (a registrar change still propagating, or a server down): %s; each that answers serves %s, so the %s goes on, and confirms its change at every parent server",
		seen, each, m.step))
	return true
}

// inMotionOff reads each parent server that answered a step whose view
// v is in motion (m: what it moves between): other names each serving
// neither delegation exactly, nor an NS set of the step made half-way
// (half: both sides' names only, stepShare, the rule partlyMoved reads
// the whole set with, which decides whether the step completes it; its
// gates refuse it otherwise). A re-run that only confirms its own change
// (pendingView) accepts the two delegations alone.
func (c *Config) inMotionOff(rep *Report, v parentView, m motion, answered []registrar.AtServer) (other, half []string) {
	for _, x := range answered {
		switch {
		case sameDelegation(c.Zone.Origin, x.Delegation, m.from), sameDelegation(c.Zone.Origin, x.Delegation, m.to):
		case v != pendingView && c.stepShare(rep.Command, x.Delegation.NS) == shareHalf:
			half = append(half, x.Server)
		default:
			other = append(other, x.Server+" serves "+describeDelegation(c.Zone.Origin, x.Delegation))
		}
	}
	return other, half
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
// warning says what the servers show). step is the command run; what the
// step itself explains is a warning, not an error that makes it exit 2:
// a flip or rollback finding the parent already on the side it moves to
// (its own change, made by a run that died before recording it, which
// this run records: recordFound; or someone else's, which it records all
// the same), the trail's own failed attempt taken by the registry
// (failedAttempt), and a flip --from-current, which takes a delegation the
// parent serves that is not the new side's as the one a rollback
// restores (its points-to-old gate says so). A parent serving both sides'
// names only (halfMade: the step, flip or rollback, whose change it shows
// made half-way, "" none) is that step's own change: the step completes it
// and says so, any other run (status) names it with the step to run again,
// an error. Anything else (the parent on
// the side a step moves away from while the trail says it never got
// there) is an error: someone moved the delegation outside the trail.
func stageCheck(tr *Trail, rep *Report, v parentView, step string, fromCurrent bool, halfMade func() (step, served string)) {
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
				e.Command, flipTime(e).UTC().Format(time.RFC3339), what, strings.Join(lag, "; "), from, reRunPending(rep.Zone, e.Command, e.Emergency)))
			return
		}
		if _, to := MoveSides(step); slices.Contains(movesFrom[step], stage) && live == to {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail says %s, and the parent already delegates to %s (NS %s), where the %s moves: a run of it that died after its registrar change, or a change made by hand; this run records it",
				stage, live, strings.Join(rep.Delegation.NS, " "), step))
			return
		}
		if live == "mixed" && halfMade != nil {
			switch by, served := halfMade(); {
			case by == step:
				// Both sides' names only: a step made half-way,
				// which this one completes and says so
				// (partlyMoved).
				return
			case by != "":
				// Not someone else's delegation: the step's own
				// change, made half-way, which its re-run
				// completes (status names it, with --emergency
				// when the trail's newest run of it was one: a
				// planned flip's gates fail while the old side is
				// down). Nothing in the trail tells a run killed
				// before it wrote from a hand edit: both are said.
				step, spread := []string{by}, ""
				for f := range tr.newestFirst() {
					if !f.DryRun && f.Command == by {
						if f.Emergency {
							step = append(step, "--emergency")
						}
						break
					}
				}
				if by == "flip" && len(step) == 1 {
					// A planned flip reads only a parent whose
					// servers agree (agreedView).
					spread = " once every parent server serves the same set"
				}
				rep.Errors = append(rep.Errors, fmt.Sprintf("the audit trail says %s, and the parent's servers delegate to both sides' NS names only, or to the NS set of one side (%s): a %s made half-way (a registrar that applies the change as an add and then a remove, a run cut short, or the change still spreading); run `dnsparity %s --zone %s` again%s: it completes it once its gates pass; if no one ran a %s, someone else changed the delegation: find out who before you run anything",
					stage, served, by, shell.Line(step...), shell.Quote(rep.Zone), spread, by))
				return
			}
		}
		if fromCurrent && live != "new" {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail says %s, and the parent delegates to %s (NS %s): flip --from-current takes that delegation as the one a rollback restores",
				stage, live, strings.Join(rep.Delegation.NS, " ")))
			return
		}
		if f := failedAttempt(tr, ""); f != nil {
			if _, to := MoveSides(f.Command); to == live {
				// The trail's own newest attempt, whose registrar
				// call failed after the registry took the change: no
				// one else moved the delegation (the step records the
				// move it finds; a dry run says how).
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail says %s, and the parent delegates to %s (NS %s): the %s run at %s, which ended in a registrar error (%s), was taken by the registry; a %s without --dry-run records it",
					stage, live, strings.Join(rep.Delegation.NS, " "), f.Command, f.Time.UTC().Format(time.RFC3339), firstRegistrarError(f.Error), f.Command))
				return
			}
		}
		rep.Errors = append(rep.Errors, fmt.Sprintf("the audit trail says %s, but the parent delegates to %s (NS %s): live DNS is the truth; find out who changed the delegation", stage, live, strings.Join(rep.Delegation.NS, " ")))
	}
}

// movesFrom are the stages a flip and a rollback move the delegation
// from: only there does the parent already on the side the step moves to
// explain itself (a run of the step that died after its registrar
// change, recorded by this run). After finish (the old side given up),
// or a rollback while the trail never flipped, the parent on that side
// was moved by someone else: an error.
var movesFrom = map[string][]string{"flip": {StageNotStarted, StageRolledBack}, "rollback": {StageFlipped}}

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
