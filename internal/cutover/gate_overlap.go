package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
)

// gateOverlap is finish's overlap gate: the last step was a flip, and
// the time finish may run (finishWhen, the one count of it: policy.overlap
// since the flip, and the move settled as status says it, settles) has
// come. Its detail names each figure that moves that time past
// policy.overlap's end; its plan, when the last is the old side's apex NS
// naming an old server (cur, the step's observation of it), how that
// ends.
func (c *Config) gateOverlap(ctx context.Context, tr *Trail, cur *OldApexNS, parentNow uint32, now time.Time) (Gate, time.Time) {
	g := Gate{Name: GateOverlap}
	stage, e := tr.Stage()
	switch stage {
	case StageNotStarted:
		g.Detail = "the delegation was never flipped (no flip in the audit trail)"
		return g, time.Time{}
	case StageRolledBack:
		g.Detail = fmt.Sprintf("the last step was a rollback at %s: flip again and wait out the overlap", e.Time.UTC().Format(time.RFC3339))
		return g, time.Time{}
	case StageFinished:
		g.Detail = "already finished at " + e.Time.UTC().Format(time.RFC3339)
		return g, time.Time{}
	}
	w := c.finishWhen(ctx, tr, e, cur, parentNow, now)
	at := w.at
	g.Detail = fmt.Sprintf("flipped at %s; policy.overlap %s ends at %s", flipTime(e).UTC().Format(time.RFC3339), c.Overlap, deadline.Format(w.overlap)) + w.detail
	g.OK = !now.Before(at)
	if g.OK {
		return g, at
	}
	g.Detail += fmt.Sprintf(" (in %s)", at.Sub(now).Round(time.Second))
	g.Plan = []string{"keep both providers identical until " + deadline.Format(at) + " (the drift workflow)", "run " + zoneCmd(c.Zone.Origin, "finish") + " then"}
	if w.byOldNS {
		g.Plan = []string{
			"make the old provider's apex NS name the new servers only (git's apex NS, providers.old.manage_apex: true, " + providerCmd("push", "old", c.Zone.Origin) + "), or delete the zone there, if not done yet",
			"run " + zoneCmd(c.Zone.Origin, "status") + " once it is (each observation that sees no old server there counts), keep both providers identical until " + deadline.Format(at) + " (the drift workflow)",
			"run " + zoneCmd(c.Zone.Origin, "finish") + " then",
		}
	}
	return g, at
}

// finishWhen is when finish may run after the flip e, and why.
type finishWhen struct {
	settling
	// overlap is policy.overlap's end (the flip plus it); at the later
	// of it and the move settled (settling.at).
	overlap, at time.Time
	// detail says each figure that moved at past overlap, in order;
	// byOldNS: the last was the old side's apex NS naming an old server.
	detail  string
	byOldNS bool
}

// finishWhen is when finish may run after the flip e: policy.overlap
// since the change, and the move settled as status says it (settles,
// with cur the step's observation of the old side's apex NS and
// parentNow the parent's NS TTL it read), the later. The one count of
// that time: finish's overlap gate passes at it (gateOverlap), status's
// next finish and the flip's own next finish name it. Before, each
// computed it its own way (the gate from moveHeld, finish then settles
// on top, status the gate's time and settled_at, the flip the overlap,
// its watch and settles), moveHeld ran twice a finish, and nothing held
// the three to one answer.
func (c *Config) finishWhen(ctx context.Context, tr *Trail, e *Entry, cur *OldApexNS, parentNow uint32, now time.Time) finishWhen {
	w := finishWhen{settling: c.settles(ctx, tr, e, &c.New, &c.Old, cur, parentNow, now), overlap: flipTime(e).Add(c.Overlap)}
	w.at, w.detail, w.byOldNS = w.all.from(w.overlap)
	return w
}

// What keeps resolvers asking the side a move left, each a figure of
// moveHeld, named in status's propagation (waits_for) while it lies
// ahead; finish's overlap gate waits for them all and policy.overlap.
const (
	// WaitDelegationTTL: the last cached copy of the delegation the move
	// replaced (its old_delegation_expires, oldDelegationExpires).
	WaitDelegationTTL = "delegation-ttl"
	// WaitReferralBefore: a referral to the side left that the parent
	// served before the move with a longer NS TTL (servedBefore).
	WaitReferralBefore = "referral-before"
	// WaitReferralAfter: a parent server still seen sending resolvers to
	// the side a move left after it (seenAfter).
	WaitReferralAfter = "referral-after"
	// WaitOldApexNS: the old side's servers serve (or served, within its
	// TTL) an apex NS set naming an old server (apexNSNamesOwn): resolvers
	// that took it prefer it to the referral, RFC 2181 §5.4.1.
	WaitOldApexNS = "old-apex-ns"
	// WaitNewApexNS: after a rollback, the mirror: the new side's servers
	// serve an apex NS set naming a server of the new side only.
	WaitNewApexNS = "new-apex-ns"
	// WaitNSTTL: status's own count, the parent's NS TTL and the larger
	// apex NS TTL either side serves now, since the move (propagation).
	WaitNSTTL = "ns-ttl"
	// WaitOverlap: policy.overlap since the flip; finish waits for it,
	// status's settled does not (resolvers do not).
	WaitOverlap = "policy-overlap"
)

// held is how long after a move resolvers may still be sent to the side
// it left (moveHeld): each figure, in order, counted from any time
// (from).
type held struct {
	figures []heldFigure
	// waits names each figure still after now (Wait*), in order.
	waits []string
}

// heldFigure is one figure of held: what (Wait*), when it ends, and the
// detail that says it.
type heldFigure struct {
	what   string
	exp    time.Time
	detail string
}

// take adds the figure what, ending at exp, with detail; and names it in
// waits when it lies after now.
func (h *held) take(what string, exp, now time.Time, detail string) {
	if exp.After(now) && !slices.Contains(h.waits, what) {
		h.waits = append(h.waits, what)
	}
	h.figures = append(h.figures, heldFigure{what: what, exp: exp, detail: detail})
}

// from is the latest of at and each figure's end (until), the details of
// the figures that moved it on from at, in order, and whether the last
// of them was the old side's apex NS naming an old server (byOldNS).
func (h held) from(at time.Time) (until time.Time, detail string, byOldNS bool) {
	until = at
	for _, f := range h.figures {
		if f.exp.After(until) {
			until, detail, byOldNS = f.exp, detail+f.detail, f.what == WaitOldApexNS
		}
	}
	return until, detail, byOldNS
}

// moveHeld is how long after the move e resolvers may still ask the side
// it left: the latest of the last cached copy of the
// delegation the move replaced and each referral to the side left that
// the parent served before it; after a flip also each sighting of the
// old delegation after it and each apex NS set of the old side naming an
// old server (cur: the step's own observation); after a rollback the
// same, the sides swapped: each sighting of the new delegation after it
// and the new side's apex NS naming a new server (the step's reading,
// c.newNS, and the trail's new_apex_ns, read as the old side's are:
// apexNSNamesOwn; cur unused). The one count of that
// time, read through settles: finish waits it out (finishWhen), status
// calls the move settled only after it (propagation, which names what is
// still ahead: waits) and holds the side left to the DS the parent
// serves until then (leftBogusUnderDS).
func (c *Config) moveHeld(ctx context.Context, tr *Trail, e *Entry, cur *OldApexNS, now time.Time) held {
	var h held
	from, to := MoveSides(e.Command)
	exp := oldDelegationExpires(e)
	h.take(WaitDelegationTTL, exp, now, fmt.Sprintf("; the last cached copy of the %s delegation expires later, at %s (the parent's NS TTL and the %s side's own NS TTL after the change): until then resolvers may still ask the %s provider", from, deadline.Format(exp), from, from))
	seen, ttl, exp := tr.servedBefore(e)
	h.take(WaitReferralBefore, exp, now, fmt.Sprintf("; before the change the parent served the %s delegation with an NS TTL of %d s (the trail's entry at %s), until the next reading of it: a resolver that took that referral keeps it, and asks the %s provider, until %s (that reading, plus %d s, plus the %s side's own NS TTL)", from, ttl, seen.UTC().Format(time.RFC3339), from, deadline.Format(exp), ttl, from))
	// The mirror after a rollback (from the new side): the same two
	// figures, the sides swapped (TestRollbackSettlesLab).
	seen, exp = tr.seenAfter(e, from, now)
	h.take(WaitReferralAfter, exp, now, fmt.Sprintf("; a parent server still sent resolvers to the %s side after the change (the trail's entry at %s: a server that took the change late), so the last cached copy of the %s delegation expires at %s (from when the parent's servers were first seen all on the %s side, or now, plus the parent's NS TTL or glue TTL, the larger, and the %s side's own NS TTL)", from, seen.UTC().Format(time.RFC3339), from, deadline.Format(exp), to, from))
	wait := WaitOldApexNS
	if from == "new" {
		// After a rollback: the new side's apex NS as the step saw
		// it (observeNewNS, the one reading the trail records as
		// new_apex_ns), as cur is the step's observation of the old
		// side's after a flip.
		if c.newNS == nil {
			c.newNS = observeNewNS(ctx, c, tr, e)
		}
		cur, wait = c.newNS, WaitNewApexNS
	}
	// A push that gave the side's apex NS another name of one of its
	// servers counts as one naming it (sideNamesIn, which cur's names
	// went through too).
	for _, f := range tr.Entries {
		if p, ok := f.Pushed[from]; ok && p.ApexNS != "" {
			c.sideNamesIn(ctx, from, strings.Fields(p.ApexNS), true)
		}
	}
	names := c.onlySet(ctx, from).names
	last, exp, ttl := tr.apexNSNamesOwn(e, from, cur, names, now)
	h.take(wait, exp, now, fmt.Sprintf("; the %s side's servers served an apex NS set naming %s servers (%s) at %s, with a TTL of %d s: resolvers that took it prefer it to the parent's referral (RFC 2181 section 5.4.1) and fetch it again from those servers, so they keep asking the %s provider until it has expired, at %s (counted from the first observation after it that saw none; while a server of the side does not answer, from the first reading that could not read it, the side taken as gone for good once that silence has lasted the TTL; else now)",
		from, from, strings.Join(slices.Sorted(maps.Keys(names)), " "), last.UTC().Format(time.RFC3339), ttl, from, deadline.Format(exp)))
	return h
}

// newOnlyNames are the new side's delegation names that are not the old
// side's (oldNames, providers.old.delegation): an apex NS set of the new
// side naming one keeps the resolvers that take it on the new provider
// after a rollback, as an old-only name does after a flip (oldOnly).
func (c *Config) newOnlyNames() map[string]bool {
	out := c.newNames()
	for n := range c.oldSideNames() {
		delete(out, n)
	}
	return out
}

// oldSideNames are the names that count as the old side's beside the new
// side's after a rollback: vouchedOldNames and providers.old.delegation.
func (c *Config) oldSideNames() map[string]bool {
	out := c.vouchedOldNames()
	for n := range names(c.Old.Delegation) {
		out[n] = true
	}
	return out
}

// vouchedOldNames are the old side's names (oldNames) less those of a
// recorded set nothing vouches for (restoreForeign: a trail an earlier
// release wrote with a third party's or a new-side name in it).
func (c *Config) vouchedOldNames() map[string]bool {
	out := names(c.oldNames())
	for n := range names(c.restoreForeign) {
		delete(out, n)
	}
	return out
}

// oldDelegationExpires is when the last cached copy of the delegation
// the step e replaced expires at the latest: its watch's figure (the
// change + the parent's NS TTL or glue TTL + the previous side's own
// apex NS TTL or its in-zone NS names' address TTL, which resolvers that
// took them from that side keep, RFC 2181 §5.4.1),
// else the change + the replaced delegation's NS TTL (or, unrecorded, the
// parent's NS TTL the step read) + the previous side's own NS TTL as the
// entry recorded it (leftNSTTL, as the trail's spans count it).
func oldDelegationExpires(e *Entry) time.Time {
	if e.Watch != nil && !e.Watch.OldDelegationExpires.IsZero() {
		return e.Watch.OldDelegationExpires
	}
	from, _ := MoveSides(e.Command)
	return flipTime(e).Add(time.Duration(movedNSTTL(e)+leftHeldTTL(e, from)) * time.Second)
}

// movedNSTTL is how long a resolver may keep the parent's referral to the
// side the move e left, the one rule for that figure: the larger of the
// parent's NS TTL recorded before the change (Before), the TTL of the glue
// it served with it (Before.GlueTTL, Watch.GlueTTL: a resolver keeps
// those addresses of the NS names that long, as the watch's
// old_delegation_expires counts them), and the one the
// move's watch counted (Watch.NSTTL: the recorded one or, when larger,
// the largest NS TTL the parent's servers served before the change,
// which can be above the registrar's: a registrar read from one server
// or from the parent's primary while another server still serves a TTL
// since lowered; for a move found in live DNS, what the parent served
// when it was found); when neither
// was recorded (a registrar whose API gives no TTL and no watch), the
// largest the entry knows of the parent's (ParentNSTTL, what it served
// after) and the caller has seen since (seen: status's reading of the
// parent now). The overlap gate (oldDelegationExpires, when the flip's
// watch recorded no time of its own, and seenAfter), ttl-expired
// (delegated), status's propagation (SettledAt) and a re-run that
// confirms a pending move (pendingExpires) count this figure; the watch's
// own time (OldDelegationExpires) counts Watch.NSTTL. Taking the
// recorded TTL alone, ttl-expired ended the old side's delegation after
// an unconfirmed move at the registrar's TTL from the entry that saw
// every parent server moved, while the overlap gate still counted the
// watch's, and status called the move settled before the watch did.
func movedNSTTL(e *Entry, seen ...uint32) uint32 {
	var watched, glue uint32
	if e.Watch != nil {
		watched, glue = e.Watch.NSTTL, max(e.Watch.GlueTTL, e.Watch.DSTTL)
	}
	if e.Before != nil {
		glue = max(glue, e.Before.GlueTTL)
	}
	if e.Before != nil && e.Before.NSTTL > 0 {
		return max(e.Before.NSTTL, watched, glue)
	}
	ttl := max(e.ParentNSTTL, watched, glue)
	if e.After != nil {
		ttl = max(ttl, e.After.NSTTL)
	}
	for _, s := range seen {
		ttl = max(ttl, s)
	}
	return ttl
}

// seenAfter is what the trail saw of the delegation to side, the one the
// move e left (old after a flip, new after a rollback), after it: the
// last entry after it whose parent servers still sent resolvers to that
// side (delegated_to: a server that took the change late, an anycast
// node lagging), and when the last cached copy of that delegation
// expires: from the first entry after it that saw them all on the other
// side (none: now, when the step asking sees them so), plus the largest
// NS TTL the parent served meanwhile (the move's, movedNSTTL, and what
// each entry that saw the side read) and the side's own NS TTL
// (leftNSTTL). Zero times: no entry after the move saw the side.
func (t *Trail) seenAfter(e *Entry, side string, now time.Time) (seen, expires time.Time) {
	i := t.index(e)
	if i < 0 {
		return time.Time{}, time.Time{}
	}
	var last *Entry
	// The flip's own ParentNSTTL counts on top of movedNSTTL, as each
	// later entry's does below, more conservative on purpose: what is
	// counted here is a sighting of the old delegation after the
	// change, bounded by the largest NS TTL the parent's servers
	// (those the config does not list too, sidesSeen) were seen
	// serving from the flip on. movedNSTTL is the TTL of the
	// delegation replaced at the change itself, which the figures
	// counting from the change (oldDelegationExpires, ttl-expired's
	// move, status's propagation, pendingExpires) take; folded in
	// there, a move found in live DNS (whose ParentNSTTL is what any
	// parent server served when it was found) would lengthen them all.
	nsTTL := max(e.parentTTL(), movedNSTTL(e))
	end, closed := now, false
	// From the flip itself: one not confirmed at every parent server
	// records the old side as still delegated to.
	for f := range t.from(i) {
		switch {
		case len(f.DelegatedTo) == 0:
		case slices.Contains(f.DelegatedTo, side):
			last, end, closed = f, now, false
			nsTTL = max(nsTTL, f.parentTTL())
		case last != nil && !closed:
			end, closed = f.Time, true
		}
	}
	if last == nil {
		return time.Time{}, time.Time{}
	}
	return last.Time, end.Add(time.Duration(nsTTL+leftHeldTTL(e, side)) * time.Second)
}

// servedBefore is the longest-lived referral to the side the move e
// left that the trail saw the parent serve before it: each entry before
// e whose parent servers sent resolvers to that side recorded the NS TTL
// they served (ParentNSTTL); that TTL may have been served until the
// next entry that read the parent's NS TTL again (else the change
// itself), and a resolver that took it then keeps it that long, then the
// side's own apex NS TTL (leftNSTTL). It returns the entry, its TTL and
// that end, the latest of them (zero times: none). The move's own
// figure (oldDelegationExpires) counts only the TTL read at the change: a
// parent NS TTL lowered minutes before a flip (a prestaging step at a
// parent zone the user runs) left resolvers holding the old delegation
// for the TTL before, and finish called the old provider safe to
// decommission while they still asked it.
func (t *Trail) servedBefore(e *Entry) (seen time.Time, ttl uint32, expires time.Time) {
	i := t.index(e)
	if i < 0 {
		return time.Time{}, 0, time.Time{}
	}
	from, _ := MoveSides(e.Command)
	next := flipTime(e) // when the parent's NS TTL was read next
	for j := i - 1; j >= 0; j-- {
		f := &t.Entries[j]
		if f.parentTTL() == 0 {
			continue
		}
		if slices.Contains(f.DelegatedTo, from) {
			if end := next.Add(time.Duration(f.parentTTL()+leftHeldTTL(e, from)) * time.Second); end.After(expires) {
				seen, ttl, expires = f.Time, f.parentTTL(), end
			}
		}
		next = f.Time
	}
	return seen, ttl, expires
}

func flipTime(e *Entry) time.Time {
	if e.ChangedAt != nil {
		return *e.ChangedAt
	}
	return e.Time
}
