package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func (c *Config) entry(command string, rep *Report) Entry {
	e := Entry{Time: c.Now().UTC(), Actor: c.Actor, Command: command, Emergency: rep.Emergency, DryRun: rep.DryRun,
		Result: rep.Result, Gates: trailGates(rep.Gates), TTL: rep.TTL, Watch: rep.Watch, Actions: rep.Actions, OldApexNS: c.oldNS, NewApexNS: newApexNSOf(c.newNS)}
	if rep.Parent != nil {
		ds := c.parentDS(rep)
		e.ParentDS = &ds
		e.DelegatedTo, e.ParentNSTTL, e.ParentGlueTTL = c.sidesSeen(rep)
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
// later still held it. A server that did not answer may still serve it
// too: while one is silent, a view other than the set seen last records
// that set (TestParentDSServerSilent).
func (c *Config) parentDS(rep *Report) DSSeen {
	seen := DSSeen{DS: append([]string{}, rep.Delegation.DS...), TTL: rep.Delegation.DSTTL}
	if c.lastDS == nil {
		return seen
	}
	last := dsKey(c.lastDS.DS)
	var still, other, silent bool
	var ttl uint32
	for _, v := range rep.Parent {
		if v.Err != "" {
			silent = true
			continue
		}
		if dsKey(v.Delegation.DS) == last {
			still, ttl = true, max(ttl, v.Delegation.DSTTL)
		} else {
			other = true
		}
	}
	if still && other || silent && dsKey(seen.DS) != last {
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
	newNames := c.newNames()
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
// step read them, and the largest NS TTL and glue TTL they served: the
// view's, each listed server's (rep.Parent) and those of the parent
// zone cutover.parent_servers leaves out that gate parent-servers asked
// (rep.unlisted): resolvers ask those too, so one that takes a change
// late keeps the side it left delegated (finish waits out its NS TTL,
// or its glue's, the larger, from the entry that last saw it, and
// ttl-expired counts the side's TTLs meanwhile). Recorded from the
// listed servers alone, finish passed the moment an unlisted server that
// had refused it caught up, while resolvers that had taken the old
// delegation from it still asked the old provider; recorded without the
// glue's TTL, ten minutes after a server serving the old side's glue at
// an hour caught up (TestFinishWaitsUnlistedParentGlueTTLLab); recorded
// from the view alone, a listed server serving the old delegation beside
// the view's new one was counted at the view's TTLs.
func (c *Config) sidesSeen(rep *Report) (sides []string, nsTTL, glueTTL uint32) {
	nsTTL, glueTTL = rep.Delegation.NSTTL, rep.Delegation.GlueTTL
	all := append(slices.Clip(rep.Parent), rep.unlisted...)
	for _, v := range all {
		if v.Err == "" {
			nsTTL, glueTTL = max(nsTTL, v.Delegation.NSTTL), max(glueTTL, v.Delegation.GlueTTL)
		}
	}
	return c.delegatedTo(all), nsTTL, glueTTL
}

// parentTTL is how long a resolver may keep the referral the parent's
// servers served when e was recorded: their NS TTL or their glue's, the
// larger (a resolver keeps the NS names' addresses that long, as
// movedNSTTL counts them for a move). The spans the trail counts from
// such a reading (seenAfter, servedBefore, ttl-expired's delegated
// sides, a pending move's confirmation) take this figure.
func (e *Entry) parentTTL() uint32 { return max(e.ParentNSTTL, e.ParentGlueTTL) }

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

func (c *Config) record(ctx context.Context, tr *Trail, rep *Report, e Entry) (written bool) {
	// Every entry is dated by this step's clock: one more than
	// TrailClockSkew off an HTTPS server the step asked is recorded
	// nowhere, whatever the step's result (a refusal or an error
	// included), or every step on a correct clock would be refused
	// after it (trailClock). An emergency step records, with a warning;
	// so does an entry of a registrar change made (ChangedAt: the clock
	// passed before it, and a server answering since, the registrar's
	// poll, disagrees): the delegation moved, and a trail without it
	// would restore the wrong one; and so does a registrar change that
	// failed (registrarTried): it may complete yet, and a later step
	// must know it was tried (failedAttempt).
	if err := c.serverClock(); err != nil {
		tried := e
		if tried.Error == "" {
			tried.Error = strings.Join(rep.Errors, "; ")
		}
		if rep.Emergency || e.ChangedAt != nil || !e.DryRun && registrarTried(&tried) {
			rep.warnOnce(err.Error() + " (recorded all the same: an emergency step, or a registrar change made)")
		} else {
			rep.Errors = append(rep.Errors, err.Error())
			rep.Actions = append(rep.Actions, "nothing was recorded in the audit trail: this machine's clock is not the servers' (an entry dated by it would stop every step on a correct clock)")
			if rep.Result != ResultRefused {
				rep.Result = ResultError
			}
			return false
		}
	}
	if len(rep.Errors) > 0 && e.Error == "" {
		e.Error = strings.Join(rep.Errors, "; ")
	}
	// An emergency step on a clock behind the trail's last entry is
	// recorded after it (trailClock).
	e.Time = maxTime(e.Time, c.entryAfter.UTC())
	tr.redact = nil
	if c.Redact != nil {
		// Each text by the caller's redaction, and all of them read
		// one after another by the run's set (redact.FromContext), as
		// a JSON report's strings are: a secret split across two
		// actions, or a gate's detail and its plan, each piece under
		// MinCut, left its pieces in the trail (TestTrailSecretSplit).
		set := redact.FromContext(ctx)
		tr.redact = func(vs []string) []string {
			vs = set.ReplaceStrings(vs)
			for i, v := range vs {
				vs[i] = c.Redact(v)
			}
			return vs
		}
	}
	if err := tr.Append(c.TrailPath, e); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		if rep.Result != ResultRefused {
			rep.Result = ResultError
		}
		return false
	}
	return true
}

// stepAgainAt names the step itself as next at its earliest time (at:
// the old TTLs expired for a flip, the overlap's end for finish), when
// that time is still to come at now: a time already past is not what
// holds a refused step back (another gate is), and every writer of the
// report (text, Markdown, JSON) shows what the report holds.
func (rep *Report) stepAgainAt(step string, at, now time.Time, detail string) {
	if at.After(now) {
		rep.Next = append(rep.Next, Next{Step: step, Earliest: at.UTC(), Detail: detail})
	}
}

// nextNow marks each next step whose earliest time has come at now
// (Next.Now): it can be taken now, and the writers say so instead of a
// "not before" time already past when the report is read.
func (rep *Report) nextNow(now time.Time) {
	for i := range rep.Next {
		rep.Next[i].Now = !rep.Next[i].Earliest.After(now)
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

// startStep starts the step's own state, once, where the step has read
// its trail tr (begin, for flip, rollback and finish, planned or
// emergency; Status): what the trail says (restore, the delegation
// recorded before the last flip; lastDS, the DS set it saw last), and
// none yet of what the step finds once and its gates read from then on
// (the pending change, the old side's apex NS; newObservation: the
// sides' apex answers; sidesChanged: the old side's servers and those of
// it only, which read restore). Every per-step field of Config is set
// here or in one of the two it calls, so that a step on a Config an
// earlier step used judges none of that step's findings: a new one
// belongs in one of them.
func (c *Config) startStep(tr *Trail) {
	c.restore, c.restoreAddrs = tr.restore()
	c.restoreForeign = nil
	if c.restore != nil {
		c.restoreForeign = c.foreignOld(tr, c.restore.NS)
	}
	c.lastDS = tr.lastDS()
	c.pending, c.oldNS, c.newNS = nil, nil, nil
	c.entryAfter = time.Time{} // set by trailClock, for an emergency step only
	c.newObservation()
	c.sidesChanged()
}

// newObservation drops the sides' apex answers the step asked
// (apexSeen, soaSeen), so that the gates from then on ask each server
// again: as a step starts, and in finish after its parity gate, which may
// run for minutes (old-unreferenced and the overlap gate judge what the
// old side serves then).
func (c *Config) newObservation() {
	c.apexSeen, c.soaSeen = newApexNSSeen(), newApexSOASeen()
	c.settledNow = nil // read from those answers
}

// soaAfresh drops the apex SOAs the step asked (soaSeen) after a parity
// gate, which may run for minutes: the gates after it (the down gate an
// emergency offer judges, new-authoritative, the TTLs observed) judge
// each server as it serves then, not as it served when the step began.
func (c *Config) soaAfresh() { c.soaSeen = newApexSOASeen() }

// sidesChanged drops what the step found from the sides' servers and the
// recorded delegation (oldServers, oldOnly), found again the next time a
// gate needs it: as a step starts, and when askFromServers adds servers
// to a side.
func (c *Config) sidesChanged() {
	c.oldOnlyNow, c.newOnlyNow, c.oldServersNow, c.newServersNow = nil, nil, nil, nil
}

// begin starts a step: the zone's lock taken (the caller releases it),
// the report, the audit trail read and the delegation read from the
// parent, judged as v accepts it; ok false when the step cannot go on
// (the report then says why, with result error).
func begin(ctx context.Context, c *Config, command string, v parentView) (rep *Report, tr *Trail, ok bool) {
	return beginStep(ctx, c, command, v, false)
}

// beginStep is begin of a step that is an emergency one (flip
// --emergency, rollback --emergency) when emergency: the way out of an
// outage, which a trail dated ahead of this clock does not stop
// (trailClock).
func beginStep(ctx context.Context, c *Config, command string, v parentView, emergency bool) (rep *Report, tr *Trail, ok bool) {
	c.defaults()
	rep = newReport(c, command)
	rep.Emergency = emergency
	if !c.lock(ctx, command, rep) {
		return rep, nil, false
	}
	tr, err := ReadTrail(c.TrailPath, c.Zone.Origin)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Result = ResultError
		return rep, nil, false
	}
	c.startStep(tr)
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
	stageCheck(tr, rep, v, command, command == "flip" && c.FromCurrent, func() (string, string) { return c.halfMadeBy(rep) })
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
//
// An emergency step (rep.Emergency) is never stopped so: a trail entry
// written on a clock ahead of real time (a runner's clock days fast)
// would otherwise stop every correct clock's step until real time caught
// up, the way out of an outage included. It goes on with a warning, its
// gates on this clock, and its entry dated at that last entry
// (entryAfter), so that the trail's stage is the one it leaves.
func (c *Config) trailClock(tr *Trail, rep *Report) bool {
	if len(tr.Entries) == 0 {
		return true
	}
	last := tr.Entries[len(tr.Entries)-1]
	now := c.Now()
	if last.Time.After(now.Add(TrailClockSkew)) && rep.Emergency {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit trail's last entry (%s, at %s) is dated %s after this machine's clock (%s), more than %s: an emergency step goes on, its gates on this clock, its entry dated at that entry's time so that it stays the trail's last; set the clock that wrote it right (NTP): until real time reaches it, every other step refuses to run",
			last.Command, last.Time.UTC().Format(time.RFC3339), last.Time.Sub(now).Round(time.Second), now.UTC().Format(time.RFC3339), TrailClockSkew))
		c.entryAfter = last.Time
		return true
	}
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
