package cutover

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Pushed is what one push (or the Action's sync) sent to one side of a
// zone, as the audit trail records it: ttl-expired counts it, so a record
// pushed with a long TTL and capped again minutes later still makes the
// flip wait out that TTL.
type Pushed struct {
	// MaxTTL is the largest TTL of the RRsets it created or replaced.
	MaxTTL uint32 `json:"max_ttl"`
	// ReplacedTTL is the largest TTL of the RRsets it replaced or
	// deleted, as the side held them: caches may keep those as long.
	ReplacedTTL uint32 `json:"replaced_ttl,omitempty"`
	// ApexNSTTL is the TTL it gave the zone's apex NS RRset (0: it did
	// not change it): after a flip, resolvers that reach the old side
	// take its NS set for that long (finish waits it out when ApexNS
	// names an old server, or is unrecorded: Trail.apexNSNamesOwn).
	ApexNSTTL uint32 `json:"apex_ns_ttl,omitempty"`
	// ApexNS are the names of the apex NS RRset it gave (with
	// ApexNSTTL), folded, sorted and separated by blanks: a set naming
	// no old server is not one finish waits out (Trail.apexNSNamesOwn).
	ApexNS string `json:"apex_ns,omitempty"`
}

// Max is the longest a resolver may cache what the push sent or replaced.
func (p Pushed) Max() uint32 { return max(p.MaxTTL, p.ReplacedTTL) }

// PushedOf is what a push to zone origin applied: the largest TTL of the RRsets created
// or replaced, and of those replaced or deleted as they were.
func PushedOf(origin string, applied []plan.Change) Pushed {
	var p Pushed
	origin = zone.CanonicalName(origin)
	for _, c := range applied {
		gen := zone.Generated(origin, zone.CanonicalName(c.Name), c.Type)
		if c.New != nil && !gen {
			p.MaxTTL = max(p.MaxTTL, c.New.TTL)
		}
		if c.Old != nil && !gen {
			p.ReplacedTTL = max(p.ReplacedTTL, c.Old.TTL)
		}
	}
	return p
}

// TrailPathFor is the audit trail of zone under the config's
// cutover.state_dir (default .dnsparity/cutover, relative to the config).
func TrailPathFor(cfg *config.Config, zoneName string) string {
	return TrailPath(StateDir(cfg), zone.CanonicalName(zoneName))
}

// StateDir is the folder of cfg's audit trails: cutover.state_dir
// (default .dnsparity/cutover), relative to the config's folder.
func StateDir(cfg *config.Config) string {
	dir := cfg.Cutover.StateDir
	if dir == "" {
		dir = filepath.Join(".dnsparity", "cutover")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(cfg.Dir, dir)
	}
	return dir
}

// RecordPush appends to a zone's audit trail what a push or sync sent to
// each side (by provider name: old, new), at the time it was applied:
// command is "push" or "sync", actor who ran it. Nothing is recorded when
// nothing was sent. It takes the trail's own lock, never a step's, so a
// push is not held up by a flip that watches its resolvers.
func RecordPush(trailPath, zoneName, command, actor string, at time.Time, pushed map[string]Pushed) error {
	if len(pushed) == 0 {
		return nil
	}
	origin := zone.CanonicalName(zoneName)
	tr, err := ReadTrail(trailPath, origin)
	if err != nil {
		return err
	}
	return tr.Append(trailPath, Entry{Time: at.UTC(), Actor: actor, Command: command, Result: ResultDone, Pushed: pushed})
}

// RecordPushes records, in each zone's audit trail, what a push applied to
// the sides (providers old and new): per zone and side the largest TTL
// of the RRsets created or replaced and of those replaced or deleted
// (applied lists the changes done, by zone and provider).
func RecordPushes(cfg *config.Config, applied map[string]map[string][]plan.Change, command, actor string, at time.Time) error {
	var errs []error
	for z, byProvider := range applied {
		pushed := map[string]Pushed{}
		for side, cs := range byProvider {
			if (side == "old" || side == "new") && len(cs) > 0 {
				p := PushedOf(z, cs)
				p.ApexNSTTL = apexNSTTL(z, cs)
				p.ApexNS = apexNSNames(z, cs)
				pushed[side] = p
			}
		}
		if err := RecordPush(TrailPathFor(cfg, z), z, command, actor, at, pushed); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// apexNSTTL is the TTL applied gave zone z's apex NS RRset (0: none of
// them created or replaced it).
func apexNSTTL(z string, applied []plan.Change) uint32 {
	var ttl uint32
	for _, c := range applied {
		if setsApexNS(z, c) {
			ttl = max(ttl, c.New.TTL)
		}
	}
	return ttl
}

// setsApexNS reports whether c created or replaced zone z's apex NS
// RRset: apexNSTTL and apexNSNames read the same changes, so that a push
// records the names of the set whose TTL it records.
func setsApexNS(z string, c plan.Change) bool {
	return c.Type == dns.TypeNS && c.New != nil && zone.CanonicalName(c.Name) == zone.CanonicalName(z)
}

// apexNSNames are the names of the apex NS RRset applied gave zone z
// ("": none of them created or replaced it), folded, sorted, separated
// by blanks.
func apexNSNames(z string, applied []plan.Change) string {
	var out []string
	for _, c := range applied {
		if !setsApexNS(z, c) {
			continue
		}
		for _, rr := range c.New.RRs() {
			if ns, ok := rr.(*dns.NS); ok && !slices.Contains(out, zone.Fold(ns.Ns)) {
				out = append(out, zone.Fold(ns.Ns))
			}
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// apexServed takes the apex SOA and NS each server of s served in the
// step (apexSOASeen, apexNSSeen: the other gates judge the same answers),
// and returns, per type, the largest TTL an authoritative answer carried
// (a type no server answered is absent).
func apexServed(ctx context.Context, c *Config, s *Side) map[uint16]uint32 {
	out := map[uint16]uint32{}
	for _, a := range c.soaSeen.apexSOAOf(ctx, c, s.Servers) {
		r := a.msg
		if a.err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
			continue
		}
		for _, rr := range r.Answer {
			if h := rr.Header(); h.Rrtype == dns.TypeSOA && zone.Fold(h.Name) == c.Zone.Origin {
				if v, ok := out[dns.TypeSOA]; !ok || h.Ttl > v {
					out[dns.TypeSOA] = h.Ttl
				}
			}
		}
	}
	if ttl, ok := servedNSTTL(c.apexSeen.apexNSOf(ctx, c, s.Servers)); ok {
		out[dns.TypeNS] = ttl
	}
	return out
}

// servedNSTTL is the largest apex NS TTL among answers that are the
// zone's data: authoritative ones (a NOERROR answer with AA; a server
// answering without AA, a lame one or a cache in front of one, does not
// serve the zone's TTL); ok false when none is. The one rule for the
// apex NS TTL a side serves: the TTLs observed (apexServed), the dnssec
// gate's OtherNSTTL (sideNSTTL), the watch's child NS TTL (watch) and
// status's propagation (sideNS, propagation) count it. The old side's
// apex NS observation (observeOldNS) alone does not, on purpose: see
// there.
func servedNSTTL(answers []apexNSAnswer) (ttl uint32, ok bool) {
	for _, a := range answers {
		if a.err == nil && a.authoritative {
			ttl, ok = max(ttl, a.ttl), true
		}
	}
	return ttl, ok
}

// sideMaxTTL is the longest a resolver may cache what side s serves: the
// largest TTL of its listing, the apex SOA and NS TTLs its servers serve
// (which a listing may not show, e.g. a lagging server), and for an apex
// SOA or NS the listing lacks (an API that hides the provider's own, like
// Cloudflare's) and no server answered, the TTL the provider documents
// (else AssumedPreviousTTL): never nothing. note says where the apex TTLs
// came from.
func sideMaxTTL(held *zone.Zone, served map[uint16]uint32, caps provider.Capabilities) (uint32, string) {
	m := ZoneMaxTTL(held)
	var notes []string
	for _, t := range []uint16{dns.TypeSOA, dns.TypeNS} {
		name := dns.TypeToString[t]
		if v, ok := served[t]; ok {
			m = max(m, v)
			notes = append(notes, fmt.Sprintf("apex %s %d s as served", name, v))
			continue
		}
		if held.Get(held.Origin, t) != nil {
			continue // listed, and counted; no server answered it
		}
		v, documented := caps.HiddenApexTTL[t]
		how := "documented by the provider"
		if !documented {
			v, how = AssumedPreviousTTL, "assumed"
		}
		m = max(m, v)
		notes = append(notes, fmt.Sprintf("apex %s neither listed nor served: %d s %s", name, v, how))
	}
	return m, strings.Join(notes, ", ")
}

// high is a TTL above the cap an entry saw on one side: sent (a push's
// own TTL, there from the push on), or observed or replaced (there since
// some time before the entry).
type high struct {
	ttl  uint32
	sent bool
}

// highTTLs are the TTLs above the cap e saw on side: a status (or step)
// observation of the providers, or a push.
func (e *Entry) highTTLs(side string, cap uint32) []high {
	var out []high
	if v, ok := e.TTL.of(side); ok && v > cap {
		out = append(out, high{ttl: v})
	}
	if p, ok := e.Pushed[side]; ok {
		if p.MaxTTL > cap {
			out = append(out, high{ttl: p.MaxTTL, sent: true})
		}
		if p.ReplacedTTL > cap {
			out = append(out, high{ttl: p.ReplacedTTL})
		}
	}
	return out
}

// of is the largest TTL observed on side, when the side was listed.
func (t *TTLs) of(side string) (uint32, bool) {
	switch {
	case t == nil:
		return 0, false
	case side == "old":
		return t.OldMax, t.OldErr == ""
	case side == "new":
		return t.NewMax, t.NewErr == ""
	}
	return 0, false
}

// lowOn reports whether e observed side at or under the cap (the TTLs
// its servers served known).
func (e *Entry) lowOn(side string, cap uint32) bool {
	v, ok := e.TTL.of(side)
	return ok && v <= cap && e.TTL.ServedUnknown == ""
}

// lowBefore is when entry i's TTL on side can first have been there: the
// last observation of that side at or under the cap before it (zero:
// since before the trail began).
func (t *Trail) lowBefore(i int, side string, cap uint32) time.Time {
	for f := range t.newestBefore(i) {
		if f.lowOn(side, cap) && !f.Time.After(t.Entries[i].Time) {
			return f.Time
		}
	}
	return time.Time{}
}

// lowAfter is until when entry i's TTL on side may have been served: the
// first observation of that side at or under the cap after it, else now.
func (t *Trail) lowAfter(i int, side string, cap uint32, now time.Time) time.Time {
	for f := range t.from(i + 1) {
		if f.lowOn(side, cap) && !f.Time.Before(t.Entries[i].Time) {
			return f.Time
		}
	}
	return now
}

// span is a time the parent's delegation may have sent resolvers to a
// side: from (zero: since before the trail began) until to (zero: still;
// else the change plus the parent's NS TTL, the last cached copy of the
// delegation that pointed there).
type span struct{ from, to time.Time }

// servedWhileDelegated is the last moment of [from, until] (from zero:
// since ever) within one of the spans, and whether there is one.
func servedWhileDelegated(spans []span, from, until time.Time) (time.Time, bool) {
	var last time.Time
	found := false
	for _, sp := range spans {
		if !sp.from.IsZero() && sp.from.After(until) {
			continue // delegated only after it was gone
		}
		if !sp.to.IsZero() && !from.IsZero() && sp.to.Before(from) {
			continue // no longer delegated when it came
		}
		m := until
		if !sp.to.IsZero() && sp.to.Before(m) {
			m = sp.to
		}
		if !found || m.After(last) {
			last, found = m, true
		}
	}
	return last, found
}

// delegated are, per side, the times the parent's delegation may have
// sent resolvers to it, as the trail knows them: the old side from before
// the trail began; each flip or rollback that changed the registrar moves
// it to the other side at its change (one found in live DNS, at the entry
// before it), the side left keeping resolvers until the change plus the
// parent's NS TTL plus its own apex NS TTL (leftNSTTL), or, a move not
// confirmed at every parent server (its delegated_to naming both sides),
// until the first later entry that sees the parent send resolvers only
// elsewhere plus those TTLs; and a step that read the parent and saw it send
// resolvers to a side the trail did not have delegated (someone changed
// it by hand) counts that side delegated since the entry before. A third
// party's delegation counts as the old side's (the one --from-current
// flips from).
func (t *Trail) delegated() map[string][]span {
	out := map[string][]span{}
	open := map[string]time.Time{"old": {}} // the sides delegated now, since when
	left := map[string]uint32{}             // an unconfirmed move's NS TTLs, by the side it left
	start := func(side string, at time.Time) {
		if _, ok := open[side]; !ok {
			open[side] = at
		}
	}
	stop := func(side string, at time.Time) {
		if from, ok := open[side]; ok {
			out[side] = append(out[side], span{from, at})
			delete(open, side)
		}
	}
	var prev time.Time
	for i := range t.Entries {
		e := &t.Entries[i]
		moved := (e.Command == "flip" || e.Command == "rollback") && e.Result == ResultDone && !e.DryRun && e.ChangedAt != nil
		switch {
		case moved:
			from, to := MoveSides(e.Command)
			at, nsTTL := *e.ChangedAt, movedNSTTL(e)
			if e.Before == nil {
				at = prev // found in live DNS: changed some time since the entry before
			}
			start(to, at)
			if slices.Contains(e.DelegatedTo, from) {
				// Not confirmed at every parent server: one may still
				// send resolvers to the side left, until a later entry
				// sees them all on this one (below), which counts the
				// move's NS TTLs too.
				left[from] = max(left[from], nsTTL+leftHeldTTL(e, from))
				break
			}
			stop(from, oldDelegationExpires(e)) // the overlap gate's time, the watch's when it has one
		case len(e.DelegatedTo) > 0:
			seen := map[string]bool{}
			for _, side := range e.DelegatedTo {
				seen[side] = true
				start(side, prev)
			}
			for side := range open {
				if !seen[side] {
					// As for a move: the parent's NS TTL, and the
					// side's own apex NS TTL (at most the largest TTL
					// the entry saw there) for resolvers that took it;
					// at least what an unconfirmed move away from it
					// counted.
					stop(side, e.Time.Add(time.Duration(max(e.parentTTL()+leftHeldTTL(e, side), left[side]))*time.Second))
					delete(left, side)
				}
			}
		}
		prev = e.Time
	}
	for side, from := range open {
		out[side] = append(out[side], span{from: from})
	}
	return out
}

// leftHeldTTL is how long after the parent's referral (movedNSTTL)
// resolvers may still ask the side a step moved the delegation from: its
// own apex NS TTL (leftNSTTL), or the TTL of the A/AAAA its servers
// served for its NS names inside the zone (the watch's NSAddrTTL: a
// resolver that took such an address from that side ranks it above the
// glue, RFC 2181 §5.4.1, and keeps asking that server until it expires),
// or the TTL of its DNSKEY set or its negative TTL (RFC 2308 §5), which
// resolvers that took them keep validating with and answering from, the
// largest: the one figure the watch's old_delegation_expires counts,
// and the overlap gate, ttl-expired and a re-run confirming a move count
// when they count from another time than the change. Without a watch the
// side's largest recorded TTL (leftNSTTL) bounds those addresses too.
func leftHeldTTL(e *Entry, side string) uint32 {
	v := leftNSTTL(e, side)
	if e.Watch != nil {
		v = max(v, e.Watch.NSAddrTTL, e.Watch.DNSKEYTTL, e.Watch.NegativeTTL)
	}
	return v
}

// leftNSTTL is how long after the parent's NS TTL resolvers may still
// follow the side a step moved the delegation from: a resolver that took
// that side's own apex NS set (RFC 2181 ranks it above the referral)
// keeps it for its TTL. The watch's reading when the step has one, else
// the largest TTL the step saw on that side (the apex NS's is at most
// that), else none.
func leftNSTTL(e *Entry, side string) uint32 {
	switch {
	case e.Watch != nil && e.Watch.ChildNSTTL > 0:
		return e.Watch.ChildNSTTL
	case e.TTL != nil && side == "old":
		return e.TTL.OldMax
	case e.TTL != nil:
		return e.TTL.NewMax
	}
	return 0
}

// lowObservation reports whether e observed both providers at or under
// the cap.
func (e *Entry) lowObservation(cap uint32) bool {
	return e.TTL != nil && e.TTL.OldErr == "" && e.TTL.NewErr == "" && e.TTL.ServedUnknown == "" && e.TTL.Max() <= cap
}

// pushedSinceObservation reports whether a push was recorded after the
// last observation of the providers' TTLs: status then records one, so
// that the push's long TTL is known to have ended.
func (t *Trail) pushedSinceObservation() bool {
	for e := range t.newestFirst() {
		if e.TTL != nil {
			return false
		}
		if len(e.Pushed) > 0 {
			return true
		}
	}
	return false
}

// nsTTLBound is the NS TTL to count for side ("old" or "new") when none
// of its servers answers for its own NS set (its provider down when the
// delegation moved away from it: an emergency flip leaves the old side
// behind, an emergency rollback the new one): the largest TTL the trail
// recorded on that side, which bounds its apex NS TTL (an observation of
// the providers counts the apex NS its servers served; a push to it, what
// it sent and replaced; the watch of a step that moved the delegation
// away from it, that side's own NS TTL it read). Without one, the side's
// NS TTL is not known: AssumedPreviousTTL, as ttl-expired assumes. how
// says which, for the report.
func (t *Trail) nsTTLBound(side string) (ttl uint32, how string) {
	other := "new"
	if side == "new" {
		other = "old"
	}
	var at *Entry
	for i := range t.Entries {
		e := &t.Entries[i]
		var v uint32
		if o, ok := e.TTL.of(side); ok {
			v = o
		}
		if p, ok := e.Pushed[side]; ok {
			v = max(v, p.Max())
		}
		if e.Watch != nil && e.Watch.Target == other {
			v = max(v, e.Watch.ChildNSTTL)
		}
		if v > ttl {
			ttl, at = v, e
		}
	}
	if at == nil {
		return AssumedPreviousTTL, fmt.Sprintf("assumed (the audit trail recorded no TTL of the %s side: %d s, the largest TTL common resolvers keep by default)", side, AssumedPreviousTTL)
	}
	return ttl, fmt.Sprintf("the largest TTL the audit trail recorded on the %s side (%s %s at %s), which bounds its NS TTL", side, at.Command, at.Result, at.Time.UTC().Format(time.RFC3339))
}
