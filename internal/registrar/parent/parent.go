// Package parent is the registrar for a delegation that lives in a parent
// zone dnsparity manages itself (a sub-zone like eu.example.com delegated
// from example.com, or a lab's test. zone): the NS set, its glue and DS
// records are changed in the parent zone through a provider of its own
// (registrar.provider names one under providers:, e.g. rfc2136 or
// powerdns), in one change so that the delegation is never half-made.
package parent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	registrar.Register("parent", func(r *config.Registrar, env registrar.Env) (registrar.Registrar, error) {
		return FromConfig(r, env)
	})
	config.RegisterRegistrar("parent", config.RegistrarType{Check: check, CheckProvider: providerType,
		ParentZone: func(r *config.Registrar) string { return r.Zone }})
}

// providerType checks that the provider registrar.provider names changes
// the parent zone in one atomic write (provider.Transactional: rfc2136,
// one UPDATE message, RFC 2136 §3.2, ApplyRRsets refusing what does not
// fit one; powerdns, one PATCH of the zone's RRsets), so that the
// delegation's NS set, glue and DS are never half made. A provider that
// writes record by record (ClouDNS, NS1, DNS Made Easy) could stop
// midway. The types that qualify are named from their registrations.
func providerType(r *config.Registrar, pc *config.Provider) error {
	if provider.Has[provider.Transactional](pc.Type) {
		return nil
	}
	var types []string
	for _, t := range provider.Types() {
		if provider.Has[provider.Transactional](t) {
			types = append(types, t)
		}
	}
	return fmt.Errorf("provider: %q is of type %s: the parent registrar changes the parent zone through a provider of type %s only, which makes the delegation's NS set, glue and DS in one atomic write", r.Provider, pc.Type, strings.Join(types, " or "))
}

// check is what registrar: needs for the parent registrar, checked when
// the config loads and by FromConfig: the parent zone, and a provider or
// an inline rfc2136 server to change it through.
func check(r *config.Registrar) error {
	if r.Zone == "" {
		return errors.New("zone: the parent zone is required")
	}
	if r.Provider == "" && r.Server == "" {
		return errors.New("provider: name a provider (registrar.provider) or an rfc2136 server (registrar.server) for the parent zone")
	}
	return nil
}

var _ registrar.OtherNSReader = (*Parent)(nil)

// Parent changes a delegation in a parent zone through a provider.
type Parent struct {
	Zone     string // the parent zone, absolute, lower case
	Provider provider.Provider
}

// FromConfig makes the registrar from registrar: (zone, provider). The
// provider's secrets must already be resolved.
func FromConfig(r *config.Registrar, env registrar.Env) (*Parent, error) {
	if err := check(r); err != nil {
		return nil, fmt.Errorf("registrar.%w", err)
	}
	pc := &config.Provider{Name: "registrar", Type: "rfc2136", TSIG: r.TSIG, Settings: &rfc2136.Settings{Server: r.Server}}
	if r.Provider != "" {
		if env.Config == nil || env.Config.Providers[r.Provider] == nil {
			return nil, fmt.Errorf("registrar.provider: %q is not under providers", r.Provider)
		}
		pc = env.Config.Providers[r.Provider]
		if err := providerType(r, pc); err != nil {
			return nil, fmt.Errorf("registrar.%w", err)
		}
	}
	p, err := provider.New(pc)
	if err != nil {
		return nil, err
	}
	return &Parent{Zone: zone.CanonicalName(r.Zone), Provider: p}, nil
}

// Delegation reads the delegation from the parent zone as the provider
// holds it.
func (p *Parent) Delegation(ctx context.Context, child string) (registrar.Delegation, error) {
	return readAs(ctx, p, child, FromZone)
}

// readAs is what as makes of the parent zone as the provider holds it
// for child (canonical, checked by read): Delegation's and OtherNS's
// reading.
func readAs[T any](ctx context.Context, p *Parent, child string, as func(z *zone.Zone, child string) T) (T, error) {
	child = zone.CanonicalName(child)
	z, err := p.read(ctx, child)
	if err != nil {
		var none T
		return none, err
	}
	return as(z, child), nil
}

// read is the parent zone as the provider holds it, child (canonical)
// first checked to be a zone it can delegate (check).
func (p *Parent) read(ctx context.Context, child string) (*zone.Zone, error) {
	if err := p.check(child); err != nil {
		return nil, err
	}
	z, err := p.Provider.Records(ctx, p.Zone)
	if err != nil {
		return nil, fmt.Errorf("parent zone %s: %w", p.Zone, err)
	}
	return z, nil
}

func (p *Parent) check(child string) error {
	if child == p.Zone || !dns.IsSubDomain(p.Zone, child) {
		return fmt.Errorf("parent zone %s does not hold the delegation of %s", p.Zone, child)
	}
	return nil
}

// FromZone is the delegation of child as the parent zone z holds it: the NS
// set at the cut, its DS, and the glue of the in-bailiwick names.
func FromZone(z *zone.Zone, child string) registrar.Delegation {
	var d registrar.Delegation
	if s := z.Get(child, dns.TypeNS); s != nil {
		d.NSTTL, d.NS = s.TTL, nsTargets(s)
	}
	if s := z.Get(child, dns.TypeDS); s != nil {
		d.DSTTL = s.TTL
		d.DS = s.Strings()
	}
	for _, ns := range d.NS {
		if !registrar.InBailiwick(ns, child) {
			continue
		}
		if as := z.Addrs(ns); len(as) > 0 {
			if d.Glue == nil {
				d.Glue = map[string][]string{}
			}
			d.Glue[ns] = append(d.Glue[ns], as...)
		}
	}
	d.Normalize()
	return d
}

// SetDelegation replaces the NS set (and DS when want.DS is not nil) in
// the parent zone, removes the glue no NS set of the parent zone uses
// once the change is made and sets the glue of in-bailiwick names from
// want.Glue: one Apply, which an RFC 2136 provider sends as one UPDATE
// message. A provider that can (provider.RRsetConditional) requires only
// the RRsets changed as read (this child's NS, DS and glue), not the
// whole parent zone unchanged: children of one parent flipped at once (a
// wave) do not refuse each other, and another writer's change to this
// child's delegation still refuses it, nothing applied.
//
// Every provider's write is read-compare-write (write): the RRsets it
// changes are read again right before it and must hold what the plan
// read, TTLs included, which UPDATE prerequisites do not compare (RFC
// 2136 §2.4.2) and the PowerDNS API has none of; and they are read back
// after it. Then the glue the wave as a whole left unused is removed
// (StaleGlue): a sibling flipped off a host this child's old delegation
// shared kept its glue while this child still named it, and this child
// kept it while the sibling did; the later of the two read-backs sees
// both changes and removes it, and a re-run removes what a failed run
// left.
func (p *Parent) SetDelegation(ctx context.Context, child string, want registrar.Delegation) error {
	child = zone.CanonicalName(child)
	z, cs, err := p.changes(ctx, child, want)
	if err != nil {
		return err
	}
	was := nsNames(z, child)
	var kept *registrar.Kept
	if len(cs) > 0 {
		if z, kept, err = p.write(ctx, child, z, cs); err != nil {
			return err
		}
	}
	if _, err := p.sweep(ctx, child, z, was); err != nil {
		what := "the delegation is set"
		if len(cs) == 0 {
			what = "the delegation was already set"
		}
		// The cap the write was kept under stays known beside the
		// failure (registrar.SplitKept): resolvers cache the delegation
		// for the capped TTL whatever the sweep did.
		return registrar.WithKept(fmt.Errorf("%s; %w", what, err), kept)
	}
	if kept != nil {
		return kept
	}
	return nil
}

// sweep removes the glue StaleGlue finds in the parent zone z (as read
// last) for child and was, and returns what it removed. Children of one
// wave that shared a host may both find its glue unused on their
// read-back and both remove it: the one that comes second finds it gone
// (ErrConflict), reads again and has nothing left to do. The removal goes
// in writes of at most sweepRecords records (sweepPart), each checked and read back as
// write does (a delegation change is one write, whole or nothing; this
// glue no NS set names leaves no half of anything when removed in
// parts), each next part planned on the zone the last one read back.
func (p *Parent) sweep(ctx context.Context, child string, z *zone.Zone, was []string) ([]provider.Change, error) {
	var removed []provider.Change
	for try := 1; ; try++ {
		stale := StaleGlue(z, child, was)
		if len(stale) == 0 {
			return removed, nil
		}
		part := sweepPart(stale)
		after, _, err := p.write(ctx, child, z, part)
		if err == nil {
			removed = append(removed, part...)
			z, try = after, 0
			continue
		}
		if errors.Is(err, provider.ErrConflict) && try < 3 {
			if z, err = p.Provider.Records(ctx, p.Zone); err == nil {
				continue
			}
		}
		what := ""
		if len(removed) > 0 {
			what = fmt.Sprintf(" (%d RRsets removed before: %s)", len(removed), provider.Describe(removed, 5))
		}
		return nil, fmt.Errorf("removing the glue no NS set names any more (%s)%s: %w", provider.Describe(stale, 5), what, err)
	}
}

// sweepRecords is how many glue records one write of sweep removes: each
// record's deletion with its prerequisite (the RRset as read) takes some
// 100 octets of an UPDATE message, which holds 60,000 (rfc2136).
const sweepRecords = 300

// sweepPart are the first deletions of stale that hold at most
// sweepRecords records between them (at least one).
func sweepPart(stale []provider.Change) []provider.Change {
	n, records := 0, 0
	for n < len(stale) && (n == 0 || records+len(stale[n].Old.Records) <= sweepRecords) {
		records += len(stale[n].Old.Records)
		n++
	}
	return stale[:n]
}

var (
	_ registrar.StaleGlueRemover = (*Parent)(nil)
	_ registrar.Planner          = (*Parent)(nil)
)

// RemoveStaleGlue removes the glue at or below child's cut that no NS
// set of the parent zone names (StaleGlue), as write changes it
// (registrar.StaleGlueRemover), and returns the names; with dryRun it
// only reads.
func (p *Parent) RemoveStaleGlue(ctx context.Context, child string, dryRun bool) ([]string, error) {
	child = zone.CanonicalName(child)
	z, err := p.read(ctx, child)
	if err != nil {
		return nil, err
	}
	stale := StaleGlue(z, child, nil)
	if !dryRun {
		if stale, err = p.sweep(ctx, child, z, nil); err != nil {
			return nil, err
		}
	}
	var names []string
	for _, c := range stale {
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	return names, nil
}

// write applies cs, planned against the parent zone z, with the
// narrowest window another writer's change can slip through: the zone
// is read again right before the write and every RRset cs changes must
// be as z holds it, RDATA and TTL, and so must child's NS and DS sets and
// the addresses of its NS names it leaves alone (leftAlone) (refused, ErrConflict, naming what
// changed: an UPDATE's prerequisites compare RDATA only, RFC 2136
// §2.4.2, so another writer's new TTL of this child's NS or DS set would
// be overwritten unseen; the PowerDNS API has no prerequisites at all).
// An RRsetConditional provider then also has the server check the RDATA
// as part of the write (ApplyRRsets: these RRsets and the NS and DS sets
// left alone, each as the re-read found it, absent ones as absent; not
// the parent's SOA, which a sibling's change in a wave moves): another
// writer's change after that last read refuses the UPDATE (RFC 2136
// §3.2: prerequisites and update are one atomic step), nothing applied.
// After the write the zone is read back: each changed RRset must be as
// written and each left alone as read, TTL included (a TTL-only change
// passes prerequisites, §2.4.2), or the error says what differs
// (applied, then changed by another writer or rewritten by the server).
// It returns the zone read back.
func (p *Parent) write(ctx context.Context, child string, z *zone.Zone, cs []provider.Change) (*zone.Zone, *registrar.Kept, error) {
	now, err := p.Provider.Records(ctx, p.Zone)
	if err != nil {
		return nil, nil, fmt.Errorf("parent zone %s: reading it again before changing the delegation of %s (nothing was changed): %w", p.Zone, child, err)
	}
	kept := leftAlone(z, p.Zone, child, cs)
	moved := differs(now, append(kept, cs...), func(c provider.Change) *zone.RRSet { return c.Old })
	moved = append(moved, namedNow(now, child, cs)...)
	if len(moved) > 0 {
		return nil, nil, fmt.Errorf("parent zone %s: the delegation of %s changed since it was read: %s; nothing was changed: %w", p.Zone, child, strings.Join(moved, "; "), provider.ErrConflict)
	}
	apply := p.Provider.Apply
	if rc, ok := p.Provider.(provider.RRsetConditional); ok {
		apply = func(ctx context.Context, zone string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
			return rc.ApplyRRsets(ctx, zone, cs, kept, task)
		}
	}
	if _, err := apply(ctx, p.Zone, cs, nil); err != nil {
		return nil, nil, fmt.Errorf("parent zone %s: change the delegation of %s: %w", p.Zone, child, err)
	}
	after, err := p.Provider.Records(ctx, p.Zone)
	if err != nil {
		return nil, nil, fmt.Errorf("parent zone %s: the delegation of %s was changed (%s), but reading it back failed: %w", p.Zone, child, provider.Describe(cs, 5), err)
	}
	// The read-back compares TTLs, which prerequisites do not: the
	// changed RRsets must hold what was written, and the ones left alone
	// what was read (another writer's TTL-only change to the DS set the
	// new NS set goes live under, made after the last read, passed the
	// UPDATE's prerequisites).
	// Glue already back (its writer put it back) is not put back again:
	// the read-back below says it is there against the deletion.
	rs := slices.DeleteFunc(reliedOn(after, child, cs), func(r relied) bool { return after.Get(r.Name, r.Type) != nil })
	if len(rs) > 0 {
		// Applied, the glue deletions included; another delegation
		// names a host whose glue went (it came to after the last read).
		return nil, nil, fmt.Errorf("parent zone %s: the delegation of %s was changed (%s), but %s; run the step again: %w", p.Zone, child, provider.Describe(cs, 5), putBack(ctx, apply, p.Zone, rs), provider.ErrConflict)
	}
	off := differs(after, kept, func(c provider.Change) *zone.RRSet { return c.Old })
	var capped *registrar.Kept
	if len(off) == 0 {
		capped = cappedTTL(p.Zone, now, after, cs)
	}
	if capped == nil {
		off = append(differs(after, cs, func(c provider.Change) *zone.RRSet { return c.New }), off...)
	}
	if len(off) > 0 {
		return nil, nil, fmt.Errorf("parent zone %s: the delegation of %s was changed (%s), but reads back otherwise: %s (another writer changed it since, or the server rewrote it); run the step again: %w", p.Zone, child, provider.Describe(cs, 5), strings.Join(off, "; "), provider.ErrConflict)
	}
	if capped != nil {
		capped.Zone, capped.Parent = child, "parent zone "+p.Zone
	}
	return after, capped, nil
}

// cappedTTL is the server's TTL cap when after, the parent zone read
// back, holds none of the RRsets cs deleted, every RRset cs wrote with
// exactly its records, and each
// one whose TTL is not as written holds one TTL, c, lower than asked:
// every RRset written above c holds c, none at or below it moved, and
// no RRset of the zone as read before the write (now) has a TTL above c
// (a server that caps at c holds nothing above it). That is the
// server's rule (BIND max-zone-ttl: "reducing TTL to the configured
// max-zone-ttl"), not another writer, only with the server's own
// evidence: the serial of the zone (apex) moved by one write at most
// between now and after (RFC 1982 arithmetic: by 0, the write changed
// nothing, the records already held at the cap; by 1, this write, RFC
// 2136 §3.6's increment as BIND and Knot make it). Another writer who
// lowered every RRset written to the zone's highest TTL right after the
// write looks like a cap otherwise, but moved the serial again. A serial
// moved by more than this write is never the server's evidence, even
// when every other RRset that differs lies under another delegation (a
// sibling of the wave): the zone read back cannot tell which write set
// the TTLs of the RRsets cs wrote, since one UPDATE that writes a
// sibling's NS set and lowers ours to the zone's highest TTL reads back
// the same as a sibling's step beside a capped write (their records are
// compared whole, ours hidden under the cap). That, or a server that
// moves the serial otherwise (a date or unixtime serial policy), gets
// the conflict; the step run again writes nothing new, the serial stays
// (or moves by its one write), and the cap is known then. The records
// are the step's either way. Anything else, nil: the read-back's
// conflict.
func cappedTTL(apex string, now, after *zone.Zone, cs []provider.Change) *registrar.Kept {
	was, ok1 := serial(now, apex)
	is, ok2 := serial(after, apex)
	if !ok1 || !ok2 {
		return nil
	}
	if is-was > 1 {
		return nil // another write between this one and the read-back
	}
	var k registrar.Kept
	var c uint32
	for _, ch := range cs {
		got := after.Get(ch.Name, ch.Type)
		if ch.New == nil {
			if got != nil {
				return nil // a deletion that did not hold
			}
			continue
		}
		if got == nil || !got.SameData(ch.New) || got.MixedTTL() {
			return nil
		}
		if got.TTL == ch.New.TTL {
			continue
		}
		if got.TTL > ch.New.TTL || (c != 0 && got.TTL != c) {
			return nil
		}
		c = got.TTL
		k.RRsets = append(k.RRsets, ch.Name+" "+dns.Type(ch.Type).String())
		k.Asked = append(k.Asked, ch.New.TTL)
	}
	if c == 0 {
		return nil
	}
	for _, ch := range cs {
		if ch.New != nil && ch.New.TTL > c && !slices.Contains(k.RRsets, ch.Name+" "+dns.Type(ch.Type).String()) {
			return nil // written above c and kept: not one cap
		}
	}
	for _, s := range now.Sets {
		for _, r := range s.Records {
			if r.TTL > c {
				return nil
			}
		}
	}
	k.NSTTL = c
	return &k
}

// cutOf is the closest delegation cut of the parent zone apex at or
// above name that either zone holds an NS set at (not the apex), or "".
func cutOf(apex, name string, zs ...*zone.Zone) string {
	for n := name; n != apex && dns.IsSubDomain(apex, n); {
		for _, z := range zs {
			if z.Get(n, dns.TypeNS) != nil {
				return n
			}
		}
		i, end := dns.NextLabel(n, 0)
		if end {
			break
		}
		n = n[i:]
	}
	return ""
}

// serial is the serial of the zone z's SOA at apex, and whether z holds
// one.
func serial(z *zone.Zone, apex string) (uint32, bool) {
	s := z.Get(apex, dns.TypeSOA)
	if s == nil {
		return 0, false
	}
	rrs := s.RRs()
	if len(rrs) != 1 {
		return 0, false
	}
	return rrs[0].(*dns.SOA).Serial, true
}

// differs says, for each change of cs whose RRset z does not hold as
// expect gives it (nil: absent), what z holds instead: the records, or
// only the TTL when the records are the same.
func differs(z *zone.Zone, cs []provider.Change, expect func(provider.Change) *zone.RRSet) []string {
	var out []string
	for _, c := range cs {
		want, got := expect(c), z.Get(c.Name, c.Type)
		what := c.Name + " " + dns.Type(c.Type).String()
		switch {
		case want == nil && got == nil:
		case want == nil:
			out = append(out, fmt.Sprintf("%s: absent was expected, it holds %s (TTL %d)", what, strings.Join(got.Strings(), ", "), got.TTL))
		case got == nil:
			out = append(out, fmt.Sprintf("%s: %s (TTL %d) was expected, it is absent", what, strings.Join(want.Strings(), ", "), want.TTL))
		case !got.SameData(want):
			out = append(out, fmt.Sprintf("%s: %s (TTL %d) was expected, it holds %s (TTL %d)", what, strings.Join(want.Strings(), ", "), want.TTL, strings.Join(got.Strings(), ", "), got.TTL))
		case got.Digest() != want.Digest():
			out = append(out, fmt.Sprintf("%s: TTL %d was expected, it has TTL %s", what, want.TTL, ttls(got)))
		}
	}
	return out
}

// leftAlone are the RRsets of the delegation cs installs that z, the
// parent zone apex, holds and cs does not change, as changes that would
// keep them (Old only; nil: absent): child's NS and DS sets, and the A
// and AAAA RRsets of every name of the NS set after cs that is in the
// parent zone: the glue below child's cut, a sibling delegation's glue
// and the parent's own hosts alike (the referral carries those
// addresses or resolvers ask the parent for them). They must not have
// moved either: a DS set another writer changed meanwhile would go live
// with a new NS set under a key the step never judged, and an address
// of a new name (an earlier flip's glue, a sibling's, the parent's own
// host) that another writer changed would send resolvers there.
func leftAlone(z *zone.Zone, apex, child string, cs []provider.Change) []provider.Change {
	var out []provider.Change
	keep := func(name string, t uint16) {
		if !slices.ContainsFunc(cs, func(c provider.Change) bool { return c.Name == name && c.Type == t }) {
			out = append(out, provider.Change{Name: name, Type: t, Old: z.Get(name, t)})
		}
	}
	keep(child, dns.TypeNS)
	keep(child, dns.TypeDS)
	ns := nsNames(z, child)
	if i := slices.IndexFunc(cs, func(c provider.Change) bool { return c.Name == child && c.Type == dns.TypeNS }); i >= 0 {
		ns = nil
		if c := cs[i]; c.New != nil {
			ns = setNames(c.New)
		}
	}
	slices.Sort(ns)
	for _, n := range slices.Compact(ns) {
		if dns.IsSubDomain(apex, n) {
			keep(n, dns.TypeA)
			keep(n, dns.TypeAAAA)
		}
	}
	return out
}

// namedNow says, for each glue cs deletes, which NS set of z other than
// child's names its host: another delegation that came to rely on it
// since the plan (an UPDATE's prerequisites can only require the glue
// itself, not that no NS set names it), which the deletion would leave
// without an address in its referrals.
func namedNow(z *zone.Zone, child string, cs []provider.Change) []string {
	var out []string
	for _, r := range reliedOn(z, child, cs) {
		out = append(out, fmt.Sprintf("%s %s: its glue was to go, but the NS set of %s names it now", r.Name, dns.Type(r.Type), strings.Join(r.by, " ")))
	}
	return out
}

// relied is a glue deletion of a change and the owners of the NS sets
// other than the child's that name its host.
type relied struct {
	provider.Change
	by []string
}

// reliedOn are the glue deletions of cs whose host an NS set of z other
// than child's names (namedNow), with those NS sets' owners.
func reliedOn(z *zone.Zone, child string, cs []provider.Change) []relied {
	var out []relied
	others := OtherNS(z, child)
	for _, c := range cs {
		if c.Action != provider.Delete || (c.Type != dns.TypeA && c.Type != dns.TypeAAAA) {
			continue
		}
		var by []string
		for owner, ns := range others {
			if slices.Contains(ns, zone.CanonicalName(c.Name)) {
				by = append(by, owner)
			}
		}
		if len(by) > 0 {
			sort.Strings(by)
			out = append(out, relied{c, by})
		}
	}
	return out
}

// putBack creates again, through apply, the glue of each deletion in
// rs (the records it deleted): glue another delegation of the parent
// zone came to name between the last read and the write, which no
// UPDATE prerequisite can guard (RFC 2136 §2.4 requires RRsets and
// names, not that no NS RRset names a host). It says what it did.
func putBack(ctx context.Context, apply func(context.Context, string, []provider.Change, progress.Updater) (provider.Result, error), parentZone string, rs []relied) string {
	var back []provider.Change
	var what []string
	for _, r := range rs {
		back = append(back, provider.Change{Action: provider.Create, Name: r.Name, Type: r.Type, New: r.Old})
		what = append(what, fmt.Sprintf("%s %s (%s), which the NS set of %s came to name meanwhile", r.Name, dns.Type(r.Type), strings.Join(r.Old.Strings(), " "), strings.Join(r.by, " ")))
	}
	if _, err := apply(ctx, parentZone, back, nil); err != nil {
		return fmt.Sprintf("the glue of %s was removed; putting it back failed (%v): add it back by hand", strings.Join(what, "; "), err)
	}
	return fmt.Sprintf("the glue of %s was removed, and is put back", strings.Join(what, "; "))
}

// ttls is the TTL of s, or each record's when they differ.
func ttls(s *zone.RRSet) string {
	if !s.MixedTTL() {
		return fmt.Sprint(s.TTL)
	}
	var t []string
	for _, r := range s.Records {
		t = append(t, fmt.Sprint(r.TTL))
	}
	return strings.Join(t, ", ")
}

// nsNames are the names child's NS set in z lists, folded and absolute.
func nsNames(z *zone.Zone, child string) []string {
	if s := z.Get(child, dns.TypeNS); s != nil {
		return setNames(s)
	}
	return nil
}

// setNames are the names the NS set s lists, folded and absolute.
func setNames(s *zone.RRSet) []string { return folded(nsTargets(s)) }

// nsTargets are the names the NS set s lists, as it spells them.
func nsTargets(s *zone.RRSet) []string {
	var out []string
	for _, rr := range s.RRs() {
		out = append(out, rr.(*dns.NS).Ns)
	}
	return out
}

// folded are names in the one form NS sets are compared in here
// (zone.CanonicalName: absolute, folded, one spelling of each escape).
func folded(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, zone.CanonicalName(n))
	}
	return out
}

// StaleGlue are the deletions of the glue z holds that no NS set of z
// uses and that child's delegation is answerable for: at a name child's
// NS set listed before its change (was), or at or below child's cut. Glue
// is an address below a delegation cut of the parent zone (the parent's
// own data above every cut is left alone): a name no referral carries
// any more, which, left behind, points at an address the zone moved away
// from (whoever holds it next answers for the name once an NS set names
// it again; a registry's host object keeps it for every domain).
func StaleGlue(z *zone.Zone, child string, was []string) []provider.Change {
	return staleGlue(z, child, was, nsNames(z, child))
}

// staleGlue is StaleGlue with child's NS set being childNS (the one a
// change is about to set) whatever z holds.
func staleGlue(z *zone.Zone, child string, was, childNS []string) []provider.Change {
	used := map[string]bool{}
	for _, n := range childNS {
		used[zone.CanonicalName(n)] = true
	}
	for _, ns := range OtherNS(z, child) {
		for _, n := range ns {
			used[n] = true
		}
	}
	apex := ""
	for _, s := range z.Sets {
		if s.Type == dns.TypeSOA {
			apex = s.Name
			break
		}
	}
	seen := map[string]bool{}
	var names []string
	consider := func(n string) {
		n = zone.CanonicalName(n)
		if !seen[n] && !used[n] && belowCut(z, apex, n) {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range was {
		consider(n)
	}
	for _, s := range z.Sets {
		if (s.Type == dns.TypeA || s.Type == dns.TypeAAAA) && registrar.InBailiwick(s.Name, child) {
			consider(s.Name)
		}
	}
	sort.Strings(names)
	var cs []provider.Change
	for _, n := range names {
		for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
			_ = set(&cs, z, n, t, nil) // a deletion: no records to check
		}
	}
	return cs
}

// belowCut reports whether name is at or below a delegation cut of the
// zone z whose apex is apex, other than the apex: an address there is
// glue, not the parent's own data.
func belowCut(z *zone.Zone, apex, name string) bool {
	return cutOf(apex, name, z) != ""
}

// Changes are the RRset changes that make the parent zone z delegate
// child as want says.
func Changes(z *zone.Zone, child string, want registrar.Delegation) ([]provider.Change, error) {
	ttl := want.NSTTL
	cur := z.Get(child, dns.TypeNS)
	if ttl == 0 && cur != nil {
		ttl = cur.TTL
	}
	if ttl == 0 {
		ttl = 3600
	}
	wantNames := folded(want.NS)
	var rrs []dns.RR
	for _, n := range wantNames {
		rrs = append(rrs, &dns.NS{Hdr: dns.RR_Header{Name: child, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl}, Ns: n})
	}
	var cs []provider.Change
	if err := set(&cs, z, child, dns.TypeNS, rrs); err != nil {
		return nil, err
	}
	// The glue at a name is one RRset, shared by every NS set naming
	// it: moved, a sibling delegation to that host follows it to a
	// server that need not serve it (the one check every registrar's
	// change passes, registrar.SharedHostMoved).
	others := otherDelegations(z, child)
	if err := registrar.SharedHostMoved(child, nil, want, &others); err != nil {
		return nil, err
	}
	// Glue: names no NS set of the parent zone names once want is set
	// lose theirs, whichever delegation's cut they are below (a host of
	// a sibling's bailiwick this child alone still used), but a name
	// another NS RRset names (a sibling delegation sharing the host, or
	// the parent's own NS set) keeps it: deleted, that zone's referral
	// would carry no address for it. The new in-bailiwick names get
	// theirs.
	cs = append(cs, staleGlue(z, child, nsNames(z, child), wantNames)...)
	names := slices.Clone(wantNames)
	sort.Strings(names)
	for _, n := range slices.Compact(names) {
		if !registrar.InBailiwick(n, child) {
			continue
		}
		addrs := want.Glue[n]
		if len(addrs) == 0 {
			return nil, fmt.Errorf("delegation of %s: %s is in-bailiwick and needs glue, but no address was given for it", child, n)
		}
		var as, aaaas []dns.RR
		for _, a := range addrs {
			ip := net.ParseIP(a)
			if ip == nil {
				return nil, fmt.Errorf("delegation of %s: glue for %s: %q is not an IP address", child, n, a)
			}
			h := dns.RR_Header{Name: n, Class: dns.ClassINET, Ttl: ttl}
			if v4 := ip.To4(); v4 != nil {
				h.Rrtype = dns.TypeA
				as = append(as, &dns.A{Hdr: h, A: v4})
			} else {
				h.Rrtype = dns.TypeAAAA
				aaaas = append(aaaas, &dns.AAAA{Hdr: h, AAAA: ip})
			}
		}
		if err := set(&cs, z, n, dns.TypeA, as); err != nil {
			return nil, err
		}
		if err := set(&cs, z, n, dns.TypeAAAA, aaaas); err != nil {
			return nil, err
		}
	}
	if want.DS != nil {
		dsTTL := want.DSTTL
		if dsTTL == 0 {
			dsTTL = ttl
		}
		var dss []dns.RR
		for _, d := range want.DS {
			rr, err := dns.NewRR(fmt.Sprintf("%s %d IN DS %s", child, dsTTL, d))
			if err != nil {
				return nil, fmt.Errorf("delegation of %s: DS %q: %w", child, d, err)
			}
			dss = append(dss, rr)
		}
		if err := set(&cs, z, child, dns.TypeDS, dss); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// Plan reports whether SetDelegation would take want, changing nothing:
// the parent zone is read and the changes computed (Changes), not
// applied; a dry run asks it, so that what the registrar step would
// refuse (glue a sibling delegation relies on) is said before.
func (p *Parent) Plan(ctx context.Context, child string, want registrar.Delegation) error {
	_, _, err := p.changes(ctx, zone.CanonicalName(child), want)
	return err
}

// changes are the changes to the parent zone that set child's delegation
// to want (SetDelegation, Plan), and the parent zone as read.
func (p *Parent) changes(ctx context.Context, child string, want registrar.Delegation) (*zone.Zone, []provider.Change, error) {
	if len(want.NS) == 0 {
		return nil, nil, fmt.Errorf("delegation of %s: no NS names to set", child)
	}
	z, err := p.read(ctx, child)
	if err != nil {
		return nil, nil, err
	}
	cs, err := Changes(z, child, want)
	return z, cs, err
}

// OtherNS are the NS RRsets of the parent zone z other than child's (a
// sibling delegation, the parent's own NS set), by owner, each name
// folded and absolute: a name one of them lists keeps its glue when
// child's delegation moves away from it (Changes), and still serves that
// zone when child's old provider goes.
func OtherNS(z *zone.Zone, child string) map[string][]string {
	out := map[string][]string{}
	for _, set := range z.Sets {
		if set.Type != dns.TypeNS || zone.Fold(set.Name) == zone.Fold(child) {
			continue
		}
		owner := zone.Fold(set.Name)
		if ns := setNames(set); len(ns) > 0 {
			out[owner] = append(out[owner], ns...)
		}
	}
	return out
}

// OtherNS reads the parent zone as the provider holds it: its NS RRsets
// other than child's, and the addresses it holds for their names
// (registrar.OtherNSReader).
func (p *Parent) OtherNS(ctx context.Context, child string) (registrar.OtherDelegations, error) {
	return readAs(ctx, p, child, otherDelegations)
}

// otherDelegations are the NS RRsets of the parent zone z other than
// child's (OtherNS) and the addresses z holds for their names.
func otherDelegations(z *zone.Zone, child string) registrar.OtherDelegations {
	o := registrar.OtherDelegations{NS: OtherNS(z, child), Glue: map[string][]string{}}
	for _, ns := range o.NS {
		for _, n := range ns {
			if _, done := o.Glue[n]; !done {
				o.Glue[n] = z.Addrs(n)
			}
		}
	}
	return o
}

// set appends the change that makes (name, t) hold exactly rrs (none:
// delete), or nothing when it already does.
func set(cs *[]provider.Change, z *zone.Zone, name string, t uint16, rrs []dns.RR) error {
	cur := z.Get(name, t)
	if len(rrs) == 0 {
		if cur != nil {
			*cs = append(*cs, provider.Change{Action: provider.Delete, Name: cur.Name, Type: t, Old: cur})
		}
		return nil
	}
	s, err := zone.NewRRSet(rrs)
	if err != nil {
		return fmt.Errorf("%s %s: %w", name, dns.Type(t), err)
	}
	switch {
	case cur == nil:
		*cs = append(*cs, provider.Change{Action: provider.Create, Name: s.Name, Type: t, New: s})
	case !cur.SameData(s) || cur.TTL != s.TTL:
		*cs = append(*cs, provider.Change{Action: provider.Replace, Name: s.Name, Type: t, Old: cur, New: s})
	}
	return nil
}
