package cutover

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// OldApexNS is the apex NS the old side's servers served when a step or
// status run asked them (the trail's old_apex_ns): every name any of them
// served, the largest TTL, and the names of servers of the old side only
// among them. While the old side serves an NS set naming its own
// servers, a resolver that reached it (a cached referral, or that set
// itself) takes that set, prefers it to the parent's referral (RFC 2181
// section 5.4.1) and fetches it again from the same servers, so it keeps
// asking the old provider; finish waits until the last such set has
// expired from caches (Trail.apexNSNamesOwn).
type OldApexNS struct {
	NS       []string `json:"ns"`
	TTL      uint32   `json:"ttl"`
	OldNames []string `json:"old_names,omitempty"`
	// NotAnswered are the servers that did not answer at all (a
	// server that answers without the zone's NS serves none).
	NotAnswered []string `json:"not_answered,omitempty"`
}

// namesOld reports whether the set named a server of the old side only
// (of the side read, for the new side's reading: NewApexNS.reading).
func (o *OldApexNS) namesOld() bool { return o != nil && len(o.OldNames) > 0 }

// unread reports whether the reading could not tell the set gone: no
// answer named a server of the side only, and a server did not answer
// at all (a timeout, a network error; any answer, REFUSED included, is
// read: a server that answers without the zone's apex NS gives none to
// resolvers either). Such a server may still serve the set to resolvers
// that reach it: the reading holds a run of sightings open
// (apexNSNamesOwn), it does not end it.
func (o *OldApexNS) unread() bool { return o != nil && !o.namesOld() && len(o.NotAnswered) > 0 }

// NewApexNS is the new side's apex NS as a rollback, or status while
// rolled back, read it (the trail's new_apex_ns): OldApexNS's reading of
// the old side, the sides swapped; NewNames are the names of servers of
// the new side only among NS (observeNewNS).
type NewApexNS struct {
	NS          []string `json:"ns"`
	TTL         uint32   `json:"ttl"`
	NewNames    []string `json:"new_names,omitempty"`
	NotAnswered []string `json:"not_answered,omitempty"`
}

// newApexNSOf is the trail's record of o, a reading of the new side (nil:
// none).
func newApexNSOf(o *OldApexNS) *NewApexNS {
	if o == nil {
		return nil
	}
	return &NewApexNS{NS: o.NS, TTL: o.TTL, NewNames: o.OldNames, NotAnswered: o.NotAnswered}
}

// reading is n as apexNSNamesOwn reads a side's observation (nil: none).
func (n *NewApexNS) reading() *OldApexNS {
	if n == nil {
		return nil
	}
	return &OldApexNS{NS: n.NS, TTL: n.TTL, OldNames: n.NewNames, NotAnswered: n.NotAnswered}
}

// apexNSRead is the observation of side's apex NS the entry e recorded
// (old_apex_ns, new_apex_ns; nil: none).
func (e *Entry) apexNSRead(side string) *OldApexNS {
	if side == "new" {
		return e.NewApexNS.reading()
	}
	return e.OldApexNS
}

// sideServerSet is what oldServers (once a step) or newServers found.
type sideServerSet struct {
	// servers are providers.<side>.nameservers, then the recorded
	// delegation's addresses they lack.
	servers []string
	// recorded are the servers the recorded delegation adds to the
	// configured ones (the tail of servers).
	recorded []string
	// unresolved are the recorded delegation's names outside the zone
	// that resolved to no address, or whose lookup failed.
	unresolved []unresolvedName
	// notAsked are the recorded addresses this machine does not ask
	// (notFromHere), each "ADDR (why)": left out of servers, and said.
	notAsked []string
}

// oldServers are the old side's servers: providers.old.nameservers, then
// the addresses the delegation recorded before the last flip sends
// resolvers to that they lack (delegationAddrs, as the flip asks them:
// the glue of its names inside the zone, the others resolved through the
// configured resolvers). Resolvers that cached that delegation, or an
// apex NS naming its servers, ask those servers whatever the config
// lists: a secondary the config does not list, a typo, a renumbered
// provider, a pull request pointing the config at the new side. The
// apex NS finish and status observe (observeOldNS), old-unreferenced's
// apex-ns checks and old-only addresses (oldOnly) and finish's parity
// all count these. Found once a step (sidesChanged drops it: as the step
// starts, where restore is read, and when askFromServers adds servers to
// a side).
func (c *Config) oldServers(ctx context.Context) *sideServerSet {
	if c.oldServersNow != nil {
		return c.oldServersNow
	}
	o := &sideServerSet{servers: slices.Clone(c.Old.Servers)}
	if c.restore != nil {
		extra, unresolved := c.delegationAddrs(ctx, *c.restore, c.Old.Servers)
		o.servers, o.recorded, o.unresolved = append(o.servers, extra...), extra, unresolved
	}
	if ctx.Err() == nil {
		c.oldServersNow = o // an interrupted lookup is not kept
	}
	return o
}

// oldServersAsked are the old side's servers a step asks from here:
// providers.old.nameservers (as listed: the gates that ask them say
// which they cannot), then those the delegation recorded before the
// last flip adds (oldServers) that this machine can ask (notFromHere);
// recorded are the latter, and notAsked those it cannot, each "ADDR
// (why)". Rollback's gates and finish's parity ask these.
//
// withUnresolved adds to notAsked the recorded delegation's names whose
// lookup failed, each "NAME (could not be resolved: why)": rollback's,
// whose parity (or old-matches-git) is the one place it names them.
// Finish's parity does not: its old-unreferenced gate fails a check for
// each such name, saying what to fix, and status warns of them.
func (c *Config) oldServersAsked(ctx context.Context, withUnresolved bool) (servers, recorded, notAsked []string) {
	olds := c.oldServers(ctx)
	recorded, notAsked = notFromHere(ctx, c, olds.recorded)
	if withUnresolved {
		for _, u := range olds.unresolved {
			if u.failed {
				notAsked = append(notAsked, fmt.Sprintf("%s (could not be resolved: %s)", u.name, u.why))
			}
		}
	}
	return append(slices.Clip(c.Old.Servers), recorded...), recorded, notAsked
}

// restoredOld is the old side as resolvers reach it once a rollback
// restores the delegation recorded before the flip: servers, those a
// step asks (oldServersAsked), the recorded ones the config does not
// list also its fromDelegation (listingServed judges them as a flip
// judges the servers the parent's delegation adds to the side it
// leaves). The rollback's gates and status's view of a rollback judge
// this side.
func (c *Config) restoredOld(servers, recorded []string) *Side {
	s := c.Old
	s.Servers, s.fromDelegation = servers, recorded
	return &s
}

// observeOldNS is the apex NS every old server served, asked without
// recursion once in the step (apexNSSeen: the other gates judge the same
// answers; finish asks again after parity and records both, mergeOldNS).
// nil: the old side has no servers to ask.
func observeOldNS(ctx context.Context, c *Config) *OldApexNS {
	return observeApexNS(ctx, c, c.oldServers(ctx).servers, c.oldNamesIn)
}

// observeNewNS is observeOldNS's mirror after a rollback: the apex NS
// every new server served (newServers), with the names of the new side's
// servers only among them found by the one rule oldNamesIn finds the old
// side's (sideNamesIn: a name spelled otherwise that leads to a new-only
// address counts).
func observeNewNS(ctx context.Context, c *Config, tr *Trail, rollback *Entry) *OldApexNS {
	return observeApexNS(ctx, c, c.newServers(ctx, tr, rollback).servers, func(ctx context.Context, ns []string) []string {
		return c.sideNamesIn(ctx, "new", ns, true)
	})
}

// newServers are the new side's servers after the rollback (nil: the
// rollback step itself): providers.new.nameservers (with what
// askFromServers added in the rollback step), then the addresses the
// delegations that sent resolvers to the new side before the rollback
// (newDelegations) send them to that they lack (delegationAddrs), as
// oldServers adds the delegation recorded before the flip to the old
// side's. Resolvers that cached such a delegation, or the new side's apex
// NS naming its servers, ask those servers whatever the config lists now:
// read at the configured ones alone, a typo or an outdated address in
// providers.new.nameservers read unanswered (and gone for good a TTL
// later) or clean while the servers resolvers ask still named
// themselves. unresolved are those delegations' names outside the zone
// that resolved to no address, or whose lookup failed (status warns of
// them, as of the old side's).
//
// Found once a step for each move and trail (newServersNow; sidesChanged
// drops it): a status while rolled back reads it for new_apex_ns, its
// warnings, the DNSSEC check of the side left and the propagation's
// sides, and each read looked every name of those delegations up again.
func (c *Config) newServers(ctx context.Context, tr *Trail, rollback *Entry) *sideServerSet {
	key := newServersKey{rollback, len(tr.Entries)}
	if o, ok := c.newServersNow[key]; ok {
		return o
	}
	o := c.findNewServers(ctx, tr, rollback)
	o.servers = slices.Clip(o.servers) // shared: a caller's append copies
	// An interrupted lookup is not kept.
	if ctx.Err() == nil {
		if c.newServersNow == nil {
			c.newServersNow = map[newServersKey]*sideServerSet{}
		}
		c.newServersNow[key] = o
	}
	return o
}

// newServersKey is what newServers' result depends on beside the sides'
// servers (sidesChanged): the move it reads after, and the trail as long
// as it was (a step's own entry appended moves the stage).
type newServersKey struct {
	rollback *Entry
	entries  int
}

// findNewServers is newServers, found.
func (c *Config) findNewServers(ctx context.Context, tr *Trail, rollback *Entry) *sideServerSet {
	o := &sideServerSet{servers: slices.Clone(c.New.Servers)}
	for _, d := range c.newDelegations(tr, rollback) {
		extra, unresolved := c.delegationAddrs(ctx, d, o.servers)
		// Only those this machine asks (notFromHere), as askFromServers
		// and oldServersAsked keep them: an address it cannot reach
		// (IPv6 on a runner without it) reads as a server that does not
		// answer, a child row that never settles.
		extra, notAsked := notFromHere(ctx, c, extra)
		o.servers, o.recorded = append(o.servers, extra...), append(o.recorded, extra...)
		o.notAsked = append(o.notAsked, notAsked...)
		for _, u := range unresolved {
			if !slices.ContainsFunc(o.unresolved, func(v unresolvedName) bool { return v.name == u.name }) {
				o.unresolved = append(o.unresolved, u)
			}
		}
	}
	return o
}

// newDelegations are the delegations that sent resolvers to the new side
// before the rollback (nil: the rollback step itself, before its
// change), as the trail recorded them: the one the last flip before it
// set (its entry's After), and the one the rollback replaced (its Before)
// less the old side's names (oldSideNames). A rollback made half-way
// replaced a delegation already naming the old side's names (both
// sides', or the old side's glued otherwise): its new side is the flip's
// delegation, and its old side's names lead to the old side, not to the
// new one. Before, a rollback made half-way read the new side at the
// configured servers only (it skips askFromServers), and a status after
// it read the old servers of that delegation as the new side's.
//
// After a flip (rollback the flip's entry), the delegation it set (its
// After): the new side as resolvers reach it, whatever
// providers.new.nameservers says since.
func (c *Config) newDelegations(tr *Trail, rollback *Entry) []registrar.Delegation {
	if rollback == nil {
		if stage, e := tr.Stage(); stage == StageRolledBack {
			// The rollback step run again over a rollback the trail
			// records (made half-way: its DS set, or its NS set at some
			// parent servers, not published yet): the delegations that
			// sent resolvers to the new side are the ones before that
			// rollback. Before, the rollback found first ended the
			// search, and the step read the new side at
			// providers.new.nameservers alone.
			rollback = e
		}
	}
	var out []registrar.Delegation
	if rollback != nil && rollback.Command == "flip" {
		if rollback.After != nil {
			out = append(out, *rollback.After)
		}
		return out
	}
	before := len(tr.Entries)
	if rollback != nil {
		if before = tr.index(rollback); before < 0 {
			before = len(tr.Entries)
		}
	}
	for e := range tr.newestBefore(before) {
		if e.setsStage() {
			if e.Command == "flip" && e.After != nil {
				out = append(out, *e.After)
			}
			break
		}
	}
	if rollback != nil && rollback.Before != nil {
		d := *rollback.Before
		old := c.oldSideNames()
		d.NS = slices.DeleteFunc(slices.Clone(d.NS), func(n string) bool { return old[zone.Fold(dns.Fqdn(n))] })
		if len(d.NS) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// sideAfter is s (c.Old or c.New) as resolvers reach it after the move
// e: its servers as the delegation recorded for it named them, plus the
// configured ones, each recorded address this machine asks
// (notFromHere). The old side's are oldServersAsked (the delegation
// recorded before the last flip, which a rollback restores and which
// resolvers that cached it before a flip still follow); the new side's
// after a rollback are newServers (the delegations that sent resolvers
// to it before), and after a flip those of the delegation the flip set
// (newDelegations). settles' NS TTLs, new-apex-ns, status's DNSSEC
// check of the side left and finish's parity ask these servers;
// old-apex-ns (observeOldNS) still asks every recorded old address,
// one this machine cannot reach read as not answering, which holds
// finish up to that set's TTL (the safe direction).
func (c *Config) sideAfter(ctx context.Context, tr *Trail, e *Entry, s *Side) *Side {
	out := *s
	switch s {
	case &c.Old:
		out.Servers, _, _ = c.oldServersAsked(ctx, false)
	case &c.New:
		out.Servers = c.newServers(ctx, tr, e).servers
	}
	return &out
}

// observeApexNS is the apex NS every one of servers (a side's) served,
// as observeOldNS reads the old side's: own names the names of that
// side's servers only among them (OldApexNS.OldNames). After a rollback
// the new side is read so (observeNewNS).
func observeApexNS(ctx context.Context, c *Config, servers []string, own func(context.Context, []string) []string) *OldApexNS {
	if len(servers) == 0 {
		return nil
	}
	// Asked at once (apexNSOf): a step in an emergency (the old side
	// down) waits one timeout, not one per server.
	answers := c.apexSeen.apexNSOf(ctx, c, servers)
	if ctx.Err() != nil {
		return nil // interrupted: nothing observed
	}
	o := &OldApexNS{NS: []string{}}
	for i, a := range answers {
		if a.err != nil {
			if !a.noApexNS() {
				o.NotAnswered = append(o.NotAnswered, servers[i])
			}
			continue
		}
		// Any answer's TTL, not only an authoritative one's (the one
		// rule for the TTL a side serves, servedNSTTL, deliberately not
		// applied): the names count from every answer, as
		// old-unreferenced's apex-ns checks do (a resolver that takes a
		// set an old server gave without AA, or from its cache, keeps
		// following it), and this TTL is how long finish counts such a
		// set cached (apexNSNamesOwn). Counted from authoritative answers
		// alone, a set naming an old server that only a lame or
		// caching server gave would count 0 s and expire the moment it
		// was last seen.
		o.TTL = max(o.TTL, a.ttl)
		for _, n := range a.ns {
			if !slices.Contains(o.NS, n) {
				o.NS = append(o.NS, n)
			}
		}
	}
	slices.Sort(o.NS)
	o.OldNames = own(ctx, o.NS)
	return o
}

// apexNSNamesOwn is when the last NS set the side a move left served
// naming a server of that side only (names), from the move e on, has
// expired from every cache. One count for both sides: the old side's
// after a flip (the trail's old_apex_ns), the new side's after a
// rollback (new_apex_ns, recorded by the rollback and by each status run
// while rolled back). Each run of observations (the entries from e on,
// dry runs aside, then cur, this step's, at now) that saw such a set
// lasts until the first later observation that read the side serving
// none (the set may have been served until then), else until now, and
// its largest TTL counts from that end; a push to the side during such a
// run that gave its apex NS a TTL (and names a server of the side only,
// or, recorded before the names were, may) counts its TTL too. The move
// e itself, recorded before the side's reading was, counts as having
// seen such a set with the side's NS TTL it recorded. A push made while
// the move watched its resolvers is recorded before the move's entry
// (RecordPush does not wait for the step): the entries from the change
// on (flipTime, to the second the trail keeps) count, not only those
// after e. last is the last time such a set was seen; zero times: none
// was.
//
// An observation that could not read the side (OldApexNS.unread: a
// server did not answer) does not end a run: the server may still serve
// the set to resolvers that reach it. A run of such observations that
// has lasted the set's TTL (by a later observation, or now) ends the run
// at its first: the side is taken as gone for good, and a resolver that
// took the set from it before then has dropped it since. While such a
// run is younger than the TTL, the wait ends at its first reading plus
// the TTL (when it will be gone for good), not now plus the TTL, which
// moved on with every run. Before, an
// unanswered server read as serving no set: a new side stopped a moment
// after the rollback read settled at once.
func (t *Trail) apexNSNamesOwn(e *Entry, side string, cur *OldApexNS, names map[string]bool, now time.Time) (last, expires time.Time, ttl uint32) {
	if t.index(e) < 0 {
		return time.Time{}, time.Time{}, 0
	}
	changed := flipTime(e).Truncate(time.Second)
	open := false
	var runTTL uint32
	var unreadSince time.Time // the first of the run's last observations that could not read the side
	closeAt := func(at time.Time) {
		if !open {
			return
		}
		open = false
		if x := at.Add(time.Duration(runTTL) * time.Second); x.After(expires) {
			expires, ttl = x, runTTL
		}
	}
	// goneBy ends the run at its first unread observation once they
	// have lasted its TTL by at.
	goneBy := func(at time.Time) {
		if open && !unreadSince.IsZero() && at.Sub(unreadSince) >= time.Duration(runTTL)*time.Second {
			closeAt(unreadSince)
		}
	}
	seen := func(at time.Time, t uint32) {
		goneBy(at)
		if !open {
			open, runTTL = true, 0
		}
		last, runTTL, unreadSince = at, max(runTTL, t), time.Time{}
	}
	observed := func(at time.Time, o *OldApexNS) {
		switch {
		case o == nil:
		case o.namesOld():
			seen(at, o.TTL)
		case o.unread():
			if goneBy(at); open && unreadSince.IsZero() {
				unreadSince = at
			}
		default:
			goneBy(at)
			closeAt(at)
		}
	}
	for f := range t.from(0) {
		if f.Time.Before(changed) {
			continue // before the change: the move's own gates judged those
		}
		read := f.apexNSRead(side)
		if f == e && read == nil {
			seen(e.Time, leftNSTTL(e, side))
		}
		if f.DryRun {
			continue
		}
		if p, ok := f.Pushed[side]; ok && p.ApexNSTTL > 0 && (len(p.ApexNS) == 0 || len(namesIn(strings.Fields(p.ApexNS), names)) > 0) {
			seen(f.Time, p.ApexNSTTL)
		}
		observed(f.Time, read)
	}
	observed(now, cur)
	goneBy(now)
	if !unreadSince.IsZero() {
		// Still unread, for less than the TTL: the silence ends the
		// run at its first unread reading once it lasts the TTL, so
		// the wait ends then (unreadSince + TTL), not a TTL after each
		// run; a later reading that reads the set again reopens it.
		closeAt(unreadSince)
	}
	closeAt(now)
	return last, expires, ttl
}

// lastOldNS is the old side's apex NS the trail saw last (nil: never
// recorded).
func (t *Trail) lastOldNS() *OldApexNS { return t.lastApexNS("old") }

// lastApexNS is side's apex NS the trail saw last (Entry.apexNSRead;
// nil: never recorded).
func (t *Trail) lastApexNS(side string) *OldApexNS {
	if e := t.last(func(e *Entry) bool { return e.apexNSRead(side) != nil && !e.DryRun }); e != nil {
		return e.apexNSRead(side)
	}
	return nil
}

// sameOldNS: a status run that sees what the trail saw last records
// nothing new.
func sameOldNS(a, b OldApexNS) bool {
	return slices.Equal(a.NS, b.NS) && a.TTL == b.TTL && slices.Equal(a.OldNames, b.OldNames) && a.unread() == b.unread()
}

// mergeOldNS is what two observations of one step saw together: every
// name either served, every old-only name, the TTL of the one that named
// an old server (both or neither: the larger), the TTL the overlap
// counts for such a set, and the servers the later one (b) could not ask
// (nil: none was made).
func mergeOldNS(a, b *OldApexNS) *OldApexNS {
	if a == nil || b == nil {
		return cmp.Or(b, a)
	}
	ttl := max(a.TTL, b.TTL)
	if a.namesOld() && !b.namesOld() {
		ttl = a.TTL
	} else if b.namesOld() && !a.namesOld() {
		ttl = b.TTL
	}
	union := func(x, y []string) []string {
		return slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(x), y...))))
	}
	ns := union(a.NS, b.NS)
	if ns == nil {
		ns = []string{} // "ns": [], as observeOldNS writes none
	}
	return &OldApexNS{NS: ns, TTL: ttl, OldNames: union(a.OldNames, b.OldNames), NotAnswered: b.NotAnswered}
}
