// Package plan computes what a push changes: the desired zone (from git)
// against the current one (a provider's listing), RRset by RRset, on the
// canonical model (RDATA wire form as a set, plus TTL), so that a push after
// a push is always empty. It also holds the safety policy.
package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Change is one RRset change (see provider.Change).
type Change = provider.Change

// Options tune Compute.
type Options struct {
	// ManageApex lets the plan change the apex NS records. Without it the
	// apex NS keeps the provider's records but still takes git's TTL; the
	// SOA always keeps the provider's MNAME and RNAME, takes git's TTL and
	// timers and the provider's serial plus one (see apexChanges).
	ManageApex bool
	// Caps are the provider's capabilities; RRsets it cannot hold are
	// listed in Plan.Unsupported.
	Caps provider.Capabilities
	// Cuts are child zones whose delegation in this zone the cutover
	// owns (config.CutoverCuts: this zone is the registrar's parent
	// zone): every RRset at or below a cut (its NS, DS and glue) is left
	// as the provider has it, whatever git says, and listed in
	// Plan.Held. Only flip and rollback change a delegation.
	Cuts []string
	// Unreadable are the provider's features of this zone (its listing):
	// those that block (provider.Feature.Blocks: a record dnsparity
	// cannot read, a Route 53 routing-policy set, a flattened apex
	// CNAME) and those a push can replace (provider.Feature.Replaceable:
	// a Route 53 alias) are RRsets it holds that are in no current zone.
	// A git RRset at a blocking one's name and type, of a type the
	// provider refuses beside a blocking CNAME at its name (but the apex
	// SOA and NS; Caps.CNAMEConflicts), or a git CNAME beside a blocking
	// record of such a type, is listed in Plan.Unsupported, not created:
	// the create would overwrite the record (an upsert), collide with it
	// (the API refuses, every run) or stand beside it.
	// At a replaceable one's it is a Replace over it (Change.Over: Old
	// nil), counted as a change of the records of an RRset at the
	// provider.
	Unreadable []provider.Feature
}

// Held is the delegation of a child zone that the plan leaves as the
// provider serves it: the RRsets at and below the cut, served and in
// git (each in canonical order).
type Held struct {
	Cut         string
	Served, Git []*zone.RRSet
}

// Differs reports whether git's copy differs from what is served.
func (h Held) Differs() bool {
	if len(h.Served) != len(h.Git) {
		return true
	}
	for i, s := range h.Served {
		g := h.Git[i]
		if s.Key() != g.Key() || differs(s, g) {
			return true
		}
	}
	return false
}

// String says what is left and why: "delegation of C is managed by the
// cutover: left as served (NS ...; A ...); git has NS ...".
func (h Held) String() string {
	return fmt.Sprintf("delegation of %s is managed by the cutover: left as served (%s); git has %s", h.Cut, describeSets(h.Cut, h.Served), describeSets(h.Cut, h.Git))
}

// differs reports whether the provider's RRset c differs from git's d in
// what a push writes: its data, or its TTL (ttlDiffers).
func differs(c, d *zone.RRSet) bool { return ttlDiffers(c, d.TTL) || !c.SameData(d) }

// ttlDiffers reports whether the provider's RRset c is served with
// another TTL than git's ttl: a listed set with mixed TTLs (a provider
// keeping a TTL per record, one edited by hand) differs from git's one
// TTL even when its first record's, the set's TTL, matches.
func ttlDiffers(c *zone.RRSet, ttl uint32) bool { return c.TTL != ttl || c.MixedTTL() }

// ttlText is "TTL 300", or for a set with mixed TTLs each once in the
// records' order ("TTLs 300, 86400").
func ttlText(s *zone.RRSet) string {
	if !s.MixedTTL() {
		return fmt.Sprintf("TTL %d", s.TTL)
	}
	var ttls []string
	for _, r := range s.Records {
		if t := strconv.FormatUint(uint64(r.TTL), 10); !slices.Contains(ttls, t) {
			ttls = append(ttls, t)
		}
	}
	return "TTLs " + strings.Join(ttls, ", ")
}

// describeSets spells RRsets at and below cut on one line: the cut's own
// by type ("NS a. b."), the others with their owner ("A ns1.c. 192.0.2.1").
func describeSets(cut string, sets []*zone.RRSet) string {
	if len(sets) == 0 {
		return "nothing"
	}
	parts := make([]string, 0, len(sets))
	for _, s := range sets {
		head := dns.Type(s.Type).String()
		if s.Name != cut {
			head += " " + s.Name
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", head, strings.Join(s.Strings(), " "), ttlText(s)))
	}
	return strings.Join(parts, "; ")
}

// Unsupported is a desired RRset the provider cannot hold, or one it
// holds that it cannot delete (Capabilities.CheckDeleteName).
type Unsupported struct {
	Set    *zone.RRSet
	Reason string
}

func (u Unsupported) String() string {
	if u.Set.Pos() == (zone.Pos{}) {
		// The provider's own RRset (a delete): no zone-file line.
		return fmt.Sprintf("%s %s: %s", u.Set.Name, dns.Type(u.Set.Type), u.Reason)
	}
	return fmt.Sprintf("%s: %s %s: %s", u.Set.Pos(), u.Set.Name, dns.Type(u.Set.Type), u.Reason)
}

// Plan is what push would do to one zone at one provider.
type Plan struct {
	Provider string
	Zone     string
	// NewZone: the provider does not hold the zone yet; push creates it.
	NewZone bool
	// WithZone are the RRsets the zone's creation itself writes (its SOA
	// and apex NS), shown with the plan so that a new zone's every RRset
	// is visible before it is pushed; WithZoneNote says where the apex NS
	// names come from.
	WithZone     []Change
	WithZoneNote string
	// Changes in the order they are applied: deletes, replaces, creates,
	// each in canonical order.
	Changes     []Change
	Unsupported []Unsupported
	// Warnings say what the plan cannot bring in line with git at this
	// provider (an apex SOA or NS TTL its API cannot set), naming the
	// record and what to do by hand.
	Warnings []string
	// ApexNS are the apex NS names the provider serves after the push
	// (sorted): git's with ManageApex, else the provider's own, and those
	// its servers answer whatever its records say (Caps.ServedApexNS).
	// Empty for a new zone: WithZone says what its creation writes.
	ApexNS []string
	// Desired and Current count the managed RRsets on each side (apex SOA,
	// unmanaged apex NS and provider-generated DNSSEC records aside).
	Desired, Current int
	// Held are the delegations of Options.Cuts, left as served, one per
	// cut, in the order of Cuts.
	Held []Held
}

// All are the changes in the order push makes them: the zone's creation,
// then Changes.
func (p *Plan) All() []Change {
	if len(p.WithZone) == 0 {
		return p.Changes
	}
	return append(append(make([]Change, 0, len(p.WithZone)+len(p.Changes)), p.WithZone...), p.Changes...)
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 && !p.NewZone }

// Count returns the number of changes of each action.
func (p *Plan) Count() (create, replace, del int) {
	for _, c := range p.Changes {
		switch c.Action {
		case provider.Create:
			create++
		case provider.Replace:
			replace++
		case provider.Delete:
			del++
		}
	}
	return
}

// managed reports whether an RRset takes part in the plan.
func managed(origin string, s *zone.RRSet, o Options) bool {
	if zone.Generated(origin, s.Name, s.Type) {
		return false
	}
	if s.Name == origin {
		switch s.Type {
		case dns.TypeSOA:
			return false
		case dns.TypeNS:
			return o.ManageApex
		}
	}
	return true
}

// heldCut is the cut of o.Cuts that holds s, one at or above its owner
// ("" when none). A type the provider generates is never held: it takes
// no part in the plan anywhere (managed).
func heldCut(origin string, s *zone.RRSet, o Options) string {
	if zone.Generated(origin, s.Name, s.Type) {
		return ""
	}
	for _, c := range o.Cuts {
		if dns.IsSubDomain(c, s.Name) {
			return c
		}
	}
	return ""
}

// planned are the sets of one side that take part in the plan (managed);
// a set below a held cut goes to that cut's list of this side (held, by
// cut) instead.
func planned(origin string, sets []*zone.RRSet, o Options, held map[string]*[]*zone.RRSet) []*zone.RRSet {
	var out []*zone.RRSet
	for _, s := range sets {
		if c := heldCut(origin, s, o); c != "" {
			*held[c] = append(*held[c], s)
			continue
		}
		if managed(origin, s, o) {
			out = append(out, s)
		}
	}
	return out
}

// Compute compares desired with current (nil: the provider holds nothing).
func Compute(desired, current *zone.Zone, o Options) *Plan {
	origin := desired.Origin
	p := &Plan{Zone: origin}
	if current == nil {
		current = zone.New(origin)
	}
	for _, c := range o.Cuts {
		p.Held = append(p.Held, Held{Cut: c})
	}
	git, served := map[string]*[]*zone.RRSet{}, map[string]*[]*zone.RRSet{}
	for i := range p.Held {
		git[p.Held[i].Cut], served[p.Held[i].Cut] = &p.Held[i].Git, &p.Held[i].Served
	}
	var dels, reps, creates []Change
	seen := map[zone.Key]bool{}
	want := planned(origin, desired.Sets, o, git)
	ownNS := o.Caps.FoldedServedApexNS(origin)
	want, lacks := lessServedNS(origin, want, ownNS, o.ManageApex)
	p.Desired = len(want)
	unread, over := unreadable(o.Unreadable)
	blocked := blockersOf(unread)
	overs := 0
	gitAt := map[string]map[uint16]bool{} // the types git's planned RRsets have at a name
	var notPushed []string
	for _, d := range want {
		if zone.NotPushed(origin, d.Name, d.Type) {
			// git's apex ZONEMD: the provider's, if any, is judged
			// below as one git lacks (left while it verifies).
			p.Desired--
			notPushed = append(notPushed, fmt.Sprintf("%s ZONEMD: git's apex ZONEMD is not pushed: it is a digest of git's file at git's SOA serial, and the provider serves its own serial (push never sets the SOA), so served it would verify nothing (RFC 8976 §4: a consumer checking it refuses the zone); take it out of git (a provider that makes its own, Knot's zonemd-generate, keeps one current)", origin))
			continue
		}
		if why := blocked.refuse(origin, d, o.Caps); why != "" {
			p.Unsupported = append(p.Unsupported, Unsupported{Set: d, Reason: why})
			seen[d.Key()] = true
			continue
		}
		if ok, why := o.Caps.Holds(d); !ok {
			p.Unsupported = append(p.Unsupported, Unsupported{Set: d, Reason: why})
			seen[d.Key()] = true // leave what the provider has alone
			continue
		}
		c := current.Get(d.Name, d.Type)
		if o.Caps.CheckIn != nil && (c == nil || differs(c, d)) {
			if why := o.Caps.CheckIn(desired, d); why != "" {
				p.Unsupported = append(p.Unsupported, Unsupported{Set: d, Reason: why})
				seen[d.Key()] = true // leave what the provider has alone
				continue
			}
		}
		seen[d.Key()] = true
		if gitAt[d.Name] == nil {
			gitAt[d.Name] = map[uint16]bool{}
		}
		gitAt[d.Name][d.Type] = true
		if f, ok := over[d.Key()]; ok && c == nil {
			// git's RRset replaces the provider's record that no zone
			// file expresses: shown, and counted as a change of an
			// RRset the provider holds.
			reps = append(reps, Change{Action: provider.Replace, Name: d.Name, Type: d.Type, New: d, Over: &f})
			overs++
			continue
		}
		switch {
		case c == nil:
			creates = append(creates, Change{Action: provider.Create, Name: d.Name, Type: d.Type, New: d})
		case differs(c, d):
			reps = append(reps, Change{Action: provider.Replace, Name: d.Name, Type: d.Type, Old: c, New: d})
		}
	}
	overDels := deletesOver(over, seen, gitAt)
	overs += len(overDels)
	dels = append(dels, overDels...)
	have := planned(origin, current.Sets, o, served)
	p.Current = len(have) + overs // a record replaced or deleted over is one the provider holds
	stale := zone.StaleZONEMD(current)
	for _, c := range have {
		if seen[c.Key()] || (zone.SignerMade(origin, c.Name, c.Type) && !(c.Type == dns.TypeZONEMD && stale)) {
			continue // git's, or the provider's signer's (a current ZONEMD git lacks)
		}
		if o.Caps.CheckDeleteName != nil {
			if why := o.Caps.CheckDeleteName(c.Name); why != "" {
				p.Unsupported = append(p.Unsupported, Unsupported{Set: c, Reason: "cannot delete it: " + why})
				continue
			}
		}
		dels = append(dels, Change{Action: provider.Delete, Name: c.Name, Type: c.Type, Old: c})
	}
	apex, warns := apexChanges(desired, current, o)
	p.Warnings = append(append(warns, o.Caps.Warnings...), notPushed...)
	if len(lacks) > 0 {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s NS: the provider's servers also answer %s at the apex, which git's apex NS does not name: the provider's own name servers, which its API does not list and no push removes (name them in git's apex NS, or set manage_apex false)", origin, strings.Join(lacks, ", ")))
	}
	for i := range p.Held {
		h := &p.Held[i]
		sortSets(h.Served)
		sortSets(h.Git)
		if h.Differs() {
			p.Warnings = append(p.Warnings, h.String())
		}
	}
	p.ApexNS = NSNames(current.Get(origin, dns.TypeNS))
	if d := desired.Get(origin, dns.TypeNS); o.ManageApex && d != nil {
		p.ApexNS = NSNames(d)
	}
	if len(ownNS) > 0 {
		p.ApexNS = slices.Compact(slices.Sorted(slices.Values(append(p.ApexNS, ownNS...))))
		if why := ownOnly(origin, o); why != "" {
			var unserved []string
			for _, n := range p.ApexNS {
				if !slices.Contains(ownNS, zone.Fold(provider.FQDN(n))) {
					unserved = append(unserved, n)
				}
			}
			if len(unserved) > 0 {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s NS: the provider's servers do not answer %s at the apex, named by %s: %s", origin, strings.Join(unserved, ", "), apexFrom(o.ManageApex), why))
				p.ApexNS = ownNS
			}
		}
	}
	p.Changes = append(append(dels, append(apex, reps...)...), creates...)
	if ro := o.Caps.ReadOnlyFor(origin); ro != "" {
		// Nothing can be sent: every change is a record it cannot hold.
		for _, c := range p.Changes {
			s := c.New
			if s == nil {
				s = c.Old
			}
			if s == nil {
				s = &zone.RRSet{Name: c.Name, Type: c.Type} // a delete over a provider-only record
			}
			p.Unsupported = append(p.Unsupported, Unsupported{Set: s, Reason: fmt.Sprintf("cannot %s it: %s", c.Action, ro)})
		}
		p.Changes = nil
	}
	return p
}

// lessServedNS is want with git's apex NS set less the names the
// provider answers at the apex of itself (own: Capabilities.FoldedServedApexNS, DNS Made
// Easy's system name servers, which its listing lacks), when manageApex:
// those are never created as records; the set left is managed (none
// left: git's apex NS is not in want). lacks are the names of own that
// git's apex NS does not hold.
func lessServedNS(origin string, want []*zone.RRSet, own []string, manageApex bool) (_ []*zone.RRSet, lacks []string) {
	if !manageApex || len(own) == 0 {
		return want, nil
	}
	for i, s := range want {
		if s.Name != origin || s.Type != dns.TypeNS {
			continue
		}
		var rest *zone.RRSet
		if rest, lacks = withoutServed(s, own); rest == nil {
			return slices.Delete(want, i, i+1), lacks
		}
		want[i] = rest
		break
	}
	return want, lacks
}

// deletesOver are the deletes, sorted, of each replaceable record git has
// no RRset of (over, less those seen: replaced) at a name where git's
// RRsets (gitAt: their types by name) cannot stand beside it (a CNAME of
// git beside an alias of another type, an alias of type CNAME beside
// git's other data): shown and counted, the provider sends each with
// git's RRsets at that name (Route 53: in one change batch). A record at
// a name where git has nothing is left as it is.
func deletesOver(over map[zone.Key]provider.Feature, seen map[zone.Key]bool, gitAt map[string]map[uint16]bool) []Change {
	var out []Change
	for k, f := range over {
		types := gitAt[k.Name]
		if seen[k] || len(types) == 0 {
			continue
		}
		if (types[dns.TypeCNAME] && k.Type != dns.TypeCNAME) || k.Type == dns.TypeCNAME {
			out = append(out, Change{Action: provider.Delete, Name: k.Name, Type: k.Type, Over: &f})
		}
	}
	SortChanges(out)
	return out
}

// unreadable are the keys of the RRsets fs says the provider holds that
// block git's RRset of the same name and type (provider.Feature.Blocks:
// a record dnsparity cannot read, a Route 53 routing-policy set), and of
// those git's RRset replaces (provider.Feature.Replaceable: a Route 53
// alias). A key with both blocks.
func unreadable(fs []provider.Feature) (blocks, over map[zone.Key]provider.Feature) {
	blocks, over = map[zone.Key]provider.Feature{}, map[zone.Key]provider.Feature{}
	for _, f := range fs {
		t, ok := dns.StringToType[strings.ToUpper(f.Type)]
		if !ok {
			continue
		}
		k := zone.Key{Name: zone.CanonicalName(f.Name), Type: t}
		switch {
		case f.Blocks:
			blocks[k] = f
		case f.Replaceable:
			if _, twice := over[k]; twice {
				// Two records of one name and type: not one record
				// a change can replace.
				f.Detail = "more than one record the provider holds here"
				blocks[k] = f
				continue
			}
			over[k] = f
		}
	}
	for k := range blocks {
		delete(over, k)
	}
	return blocks, over
}

// blockers are the provider's features that block git's RRsets
// (unreadable's blocks): records the provider holds that are in no
// current zone, so no plan deletes them.
type blockers struct {
	byKey map[zone.Key]provider.Feature
	// byName are the blocking features at each owner (canonical).
	byName map[string][]provider.Feature
}

func blockersOf(blocks map[zone.Key]provider.Feature) blockers {
	b := blockers{byKey: blocks, byName: map[string][]provider.Feature{}}
	for _, k := range slices.SortedFunc(maps.Keys(blocks), func(a, b zone.Key) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
	}) {
		b.byName[k.Name] = append(b.byName[k.Name], blocks[k])
	}
	return b
}

// refuse says why git's RRset d cannot be pushed beside the blocking
// features ("" when it can): one at d's name and type (the create would
// overwrite it or collide with it); a CNAME at d's name, or, d being a
// CNAME, one of another type there, where the provider refuses the two
// together (caps.CNAMEConflicts; by default every type: a CNAME stands
// alone at its name, RFC 1034 §3.6.2, RFC 2181 §10.1, and the API
// refuses the create on every run, e.g. Route 53's InvalidChangeBatch
// "RRSet of type CNAME with DNS name ... is not permitted as it
// conflicts with other records with the same DNS name"; Cloudflare's
// 81053/81054 for A, AAAA and CNAME only). The apex SOA and NS stand
// beside a flattened apex CNAME (Cloudflare keeps them in the zone's
// settings), as do the DNSSEC records a provider makes.
func (b blockers) refuse(origin string, d *zone.RRSet, caps provider.Capabilities) string {
	if f, ok := b.byKey[d.Key()]; ok {
		return fmt.Sprintf("the provider holds %s %s as a record no zone file expresses (%s): a push would overwrite it or collide with it; delete it at the provider (or take the RRset out of git), then push", f.Name, f.Type, f.Detail)
	}
	if zone.Generated(origin, d.Name, d.Type) || (d.Name == origin && (d.Type == dns.TypeSOA || d.Type == dns.TypeNS)) {
		return ""
	}
	for _, f := range b.byName[d.Name] {
		held := dns.StringToType[strings.ToUpper(f.Type)]
		var other uint16 // the type beside the CNAME
		switch {
		case held == dns.TypeCNAME && d.Type != dns.TypeCNAME:
			other = d.Type
		case held != dns.TypeCNAME && d.Type == dns.TypeCNAME:
			other = held
		default:
			continue
		}
		if caps.CNAMEConflicts != nil && !caps.CNAMEConflicts[other] {
			continue
		}
		if held == dns.TypeCNAME {
			return fmt.Sprintf("the provider holds a CNAME at %s that no zone file expresses (%s): it refuses git's %s beside it (a CNAME and other data at one name) on every push; delete the CNAME at the provider (or take the RRset out of git), then push", f.Name, f.Detail, dns.TypeToString[d.Type])
		}
		return fmt.Sprintf("the provider holds %s %s as a record no zone file expresses (%s): it refuses git's CNAME beside it (a CNAME and other data at one name) on every push; delete that record at the provider (or take the CNAME out of git), then push", f.Name, f.Type, f.Detail)
	}
	return ""
}

// Policy is the safety policy for a push.
type Policy struct {
	// MaxChangePercent of the zone's RRsets one push may change.
	MaxChangePercent float64
	// Force lets an unsafe plan through.
	Force bool
}

// Percent is the share of the zone's current RRsets the plan replaces or
// deletes. Creates change no existing answer and are not counted, so a
// first push into an empty zone is 0; nor do replaces that change only the
// TTL (the same records), so that pre-staging low TTLs before a flip and
// raising them after it go through without --force.
func (p *Plan) Percent() float64 {
	if p.Current == 0 {
		return 0
	}
	return 100 * float64(p.destructive()) / float64(p.Current)
}

// destructive counts the deletes and the replaces that change records
// (not only the TTL).
func (p *Plan) destructive() int {
	n := 0
	for _, c := range p.Changes {
		switch {
		case c.Action == provider.Delete:
			n++
		case c.Action == provider.Replace && c.Name == p.Zone && c.Type == dns.TypeSOA:
			// the apex SOA's TTL and timers only (apexChanges)
		case c.Action == provider.Replace && !TTLOnly(c):
			n++
		}
	}
	return n
}

// TTLOnly reports whether a replace keeps exactly the same records and
// changes only the TTL (never one over a provider-only record: Old is
// nil).
func TTLOnly(c Change) bool {
	if c.Action != provider.Replace || c.Old == nil || c.New == nil || len(c.Old.Records) != len(c.New.Records) {
		return false
	}
	seen := make(map[string]int, len(c.Old.Records))
	for _, r := range c.Old.Records {
		seen[r.Rdata]++
	}
	for _, r := range c.New.Records {
		if seen[r.Rdata] == 0 {
			return false
		}
		seen[r.Rdata]--
	}
	return true
}

// Unsafe returns the reasons the plan needs --force (none when it is safe
// by the policy). Only more than max_change_percent is unsafe: a plan
// that changes exactly that share passes (3 of 10 RRsets with 30). The
// share is the correctly rounded quotient 100·changed/current, so it
// equals max_change_percent whenever that is the same number written in
// decimal (30, 12.5, 0.1) or as the quotient's own shortest form
// (10.714285714285714 for 3 of 28, as plan prints it).
func (p *Plan) Unsafe(pol Policy) []string {
	var out []string
	if pct := p.Percent(); pct > pol.MaxChangePercent {
		out = append(out, fmt.Sprintf("replaces the records of or deletes %d of the %d RRsets at the provider (%.4g%%), more than max_change_percent %g%%", p.destructive(), p.Current, pct, pol.MaxChangePercent))
	}
	for _, c := range p.Changes {
		if c.Name == p.Zone && c.Type == dns.TypeNS && !TTLOnly(c) {
			out = append(out, fmt.Sprintf("%s the apex NS of %s", c.Action, p.Zone))
		}
	}
	return out
}

// Blocked returns why push must not apply the plan: unsupported records
// always, unsafe changes unless forced.
func (p *Plan) Blocked(pol Policy) []string {
	var out []string
	for _, u := range p.Unsupported {
		out = append(out, u.String())
	}
	if !pol.Force {
		for _, r := range p.Unsafe(pol) {
			out = append(out, r+" (use --force)")
		}
	}
	return out
}

// SortChanges puts changes in apply order (deletes, replaces, creates; each
// in canonical name order, then type).
func SortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Action != b.Action {
			return a.Action == provider.Delete || (a.Action == provider.Replace && b.Action == provider.Create)
		}
		if a.Name != b.Name {
			return zone.CompareNames(a.Name, b.Name) < 0
		}
		return a.Type < b.Type
	})
}

// sortSets puts RRsets in canonical name order, then type.
func sortSets(ss []*zone.RRSet) {
	sort.Slice(ss, func(i, j int) bool {
		if ss[i].Name != ss[j].Name {
			return zone.CompareNames(ss[i].Name, ss[j].Name) < 0
		}
		return ss[i].Type < ss[j].Type
	})
}

// NSNames are the names an NS RRset points to, lower-cased and sorted
// (none for nil).
func NSNames(s *zone.RRSet) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, rr := range s.RRs() {
		if ns, ok := rr.(*dns.NS); ok {
			out = append(out, zone.Fold(ns.Ns))
		}
	}
	sort.Strings(out)
	return out
}
