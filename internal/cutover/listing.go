package cutover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// listing is what both providers hold, listed once per step (TTLs and
// drift read it), while parity runs.
type listing struct {
	old, new       *zone.Zone
	oldErr, newErr error
	// oldUnread and newUnread are the records each provider lists that
	// dnsparity cannot read, serves as its own kind where git has
	// nothing (servedBeyond), or holds as zones below (list).
	oldUnread, newUnread []provider.Feature
	// oldAnswered and newAnswered are the records of each provider's own
	// kind its servers answer where git answers at their name too
	// (listRecords' answered; copyServed).
	oldAnswered, newAnswered []provider.Feature
	// newBlocks are the new provider's features that block git's RRset
	// of their name and type (provider.Feature.Blocks: the unread ones,
	// a Route 53 routing-policy set) or that a push replaces with it
	// (provider.Feature.Replaceable: a Route 53 alias), for the drift
	// gate's plan: it shows what a push would do.
	newBlocks []provider.Feature
	seconds   float64
	// oldPlan and newPlan are the push plans of git to each side over
	// what it listed, counting none of its features (plainPlan): made
	// once, when a gate first needs one.
	oldPlan, newPlan *plan.Plan
}

// plainPlan is the push plan of git to side s (c.Old or c.New) over what
// it listed, counting none of the side's features (pushPlan with none):
// made once a step and read by every gate that wants it (old-complete,
// new-complete and the rollback's parity plan, whose reports it must not
// change). The drift gate's plan counts the new side's features
// (newBlocks: a git RRset a blocking one holds is unsupported, not
// created; a replaceable one is replaced or deleted over), which change
// the plan, so it makes its own. nil: the side was not listed, or has no
// provider.
func (l *listing) plainPlan(c *Config, s *Side) *plan.Plan {
	held, err, p := l.old, l.oldErr, &l.oldPlan
	if s == &c.New {
		held, err, p = l.new, l.newErr, &l.newPlan
	}
	if err != nil || held == nil || s.Provider == nil {
		return nil
	}
	if *p == nil {
		*p = c.pushPlan(s, held, nil)
	}
	return *p
}

// listBoth lists both providers at the same time.
func listBoth(ctx context.Context, c *Config) *listing {
	start := time.Now()
	l := &listing{}
	var wg sync.WaitGroup
	for _, side := range []struct {
		s        *Side
		z        **zone.Zone
		unread   *[]provider.Feature
		blocks   *[]provider.Feature
		answered *[]provider.Feature
		err      *error
	}{{&c.Old, &l.old, &l.oldUnread, new([]provider.Feature), &l.oldAnswered, &l.oldErr}, {&c.New, &l.new, &l.newUnread, &l.newBlocks, &l.newAnswered, &l.newErr}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			*side.z, *side.unread, *side.blocks, *side.answered, *side.err = list(ctx, c, side.s)
		}()
	}
	wg.Wait()
	l.seconds = time.Since(start).Seconds()
	return l
}

// list is what side s's provider holds of the zone, the records it lists
// that dnsparity cannot read (a provider.Reader's features of kind
// provider.Unrepresentable, from the same listing: Records leaves those
// out, but the side holds them, and git cannot; and the records of its
// own kind its servers answer where git has nothing, servedBeyond; and
// the zones it holds below, nestedZones), and its features that
// block git's RRset of their name and type (provider.Feature.Blocks: the
// unread ones and, say, a Route 53 routing-policy set), which a plan
// must refuse, or that git's RRset replaces (provider.Feature.Replaceable:
// a Route 53 alias), which a plan shows as a replace; and the records of
// its own kind its servers answer where git answers at their name too
// (answered).
func list(ctx context.Context, c *Config, s *Side) (z *zone.Zone, unread, blocks, answered []provider.Feature, err error) {
	z, unread, blocks, answered, err = listRecords(ctx, c, s)
	if err != nil {
		return z, nil, nil, nil, err
	}
	nested, err := listNested(ctx, c, s)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return z, append(unread, nested...), blocks, answered, nil
}

// listRecords is list without the zones below (listNested): the zone's
// records as side s's provider lists them, those it cannot read or serves
// as its own kind beyond git (unread), its blocking features, and the
// records of its own kind its servers answer where git answers at their
// name too (answered: servedBeyond's choice made in git, which a
// transfer still shows under the provider's own type number).
func listRecords(ctx context.Context, c *Config, s *Side) (z *zone.Zone, unread, blocks, answered []provider.Feature, err error) {
	if s.Provider == nil {
		return nil, nil, nil, nil, fmt.Errorf("providers.%s cannot be listed", s.Name)
	}
	r, ok := s.Provider.(provider.Reader)
	if !ok {
		z, err := s.Provider.Records(ctx, c.Zone.Origin)
		return z, nil, nil, nil, err
	}
	z, fs, err := r.Read(ctx, c.Zone.Origin)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for _, f := range fs {
		switch {
		case f.Feature == provider.Unrepresentable || servedBeyond(c.Zone, f):
			unread = append(unread, f)
		case ownServed(f):
			answered = append(answered, f)
		}
		if f.Blocks || f.Replaceable {
			blocks = append(blocks, f)
		}
	}
	return z, unread, blocks, answered, nil
}

// listNested is the part of list that lists the zones side s's provider
// holds below the zone (nestedZones), for a provider.Reader (list asks no
// other provider).
func listNested(ctx context.Context, c *Config, s *Side) ([]provider.Feature, error) {
	if _, ok := s.Provider.(provider.Reader); !ok {
		return nil, nil
	}
	return nestedZones(ctx, c, s)
}

// ownServed reports whether f is a record of the provider's own kind that
// its servers answer: omitted from the listing's records, not held
// disabled or inactive, neither unreadable nor a zone of its own.
func ownServed(f provider.Feature) bool {
	return f.Omitted && !f.Unserved && f.Feature != provider.Unrepresentable && f.Feature != provider.NestedZone
}

// ownTransferred reports whether a transfer's RRset k is one of the
// records of the provider's own kind the listing gave (answered): of a
// type of the private-use range (RFC 6895 §3.1, 65280-65534, where
// PowerDNS numbers ALIAS, LUA and ADDR) at the name of one. The listing
// gives such a record apart from the zone's records, with what it
// answers; no resolver asks for its type.
func ownTransferred(answered []provider.Feature) func(k zone.Key) bool {
	at := map[string]bool{}
	for _, f := range answered {
		at[zone.CanonicalName(f.Name)] = true
	}
	return func(k zone.Key) bool { return at[k.Name] && k.Type >= 0xFF00 && k.Type <= 0xFFFE }
}

// servedBeyond reports whether f is a record of the provider's own kind
// that its servers answer (an omitted feature: an alias, ANAME or
// flattened CNAME, a web redirect, a script, a located answer, a linked
// record; not one held disabled or inactive) where git holds nothing
// that answers at its name: no RRset of its type there, or, for a kind no
// zone file holds (ALIAS, a redirect, LUA) or a CNAME the provider
// flattens, no address (A or AAAA). Its listing leaves it out and parity
// asks only git's names, so it is in no comparison: it vanishes at a
// move to a side that does not have it (old-complete), and appears at one
// to a side that does (drift, new-complete after an emergency). One git
// answers for at its name (git's A beside a located answer, a Route 53
// alias git's RRset replaces) is a choice made in git.
func servedBeyond(z *zone.Zone, f provider.Feature) bool {
	if !ownServed(f) {
		return false
	}
	name := zone.CanonicalName(f.Name)
	if t, ok := dns.StringToType[strings.ToUpper(f.Type)]; ok && t != dns.TypeCNAME {
		return z.Get(name, t) == nil
	}
	return z.Get(name, dns.TypeA) == nil && z.Get(name, dns.TypeAAAA) == nil
}

// nestedZones are the zones side s's provider holds below the zone that
// git does not delegate (provider.SubZoneLister), as features
// provider.NestedZone: its servers answer for their names from them,
// with no delegation and in no listing of the zone, so those names
// vanish at a move to a side without them. nil for a provider that
// cannot list its zones (an RFC 2136 server: nothing in DNS tells which
// other zones a server holds).
func nestedZones(ctx context.Context, c *Config, s *Side) ([]provider.Feature, error) {
	l, ok := s.Provider.(provider.SubZoneLister)
	if !ok {
		return nil, nil
	}
	subs, err := l.SubZones(ctx, c.Zone.Origin)
	if err != nil {
		return nil, subZonesError(c, s, err)
	}
	var out []provider.Feature
	view := c.Zone.View()
	for _, n := range subs {
		if cut, _ := view.Boundary(n); cut != "" {
			continue // delegated in git, there or above: resolvers follow the delegation
		}
		out = append(out, provider.Feature{Name: n, Type: "zone", Feature: provider.NestedZone,
			Detail: fmt.Sprintf("a zone of its own at the %s provider, which its servers answer for without a delegation in %s", s.Name, c.Zone.Origin),
			Advice: fmt.Sprintf("move its records into git's %s (or delegate it there and move it as a zone of its own), or delete that zone at the %s provider", c.Zone.Origin, s.Name)})
	}
	return out, nil
}

// subZonesError says what a failed listing of the account's zones
// (provider.SubZoneLister) stops, which provider and call failed, and
// what to do: credentials refused, the access the listing needs and how
// to grant it (provider.ZoneListScope); else that nothing was concluded
// and the step may run again.
func subZonesError(c *Config, s *Side, err error) error {
	what := fmt.Sprintf("providers.%s: listing the account's zones, to find the zones of its own below %s that its servers answer for without a delegation (a completeness gate counts them), failed", s.Name, c.Zone.Origin)
	access := ""
	if sc, ok := s.Provider.(provider.ZoneListScope); ok {
		access = sc.ZoneListAccess()
	}
	var todo string
	switch {
	case errors.Is(err, provider.ErrAuth) && access != "":
		todo = "the credentials may read the zone but not list the account's zones (a key scoped to some zones cannot see the others, nor a zone of its own below this one): " + access + "; then run the step again"
	case errors.Is(err, provider.ErrAuth):
		todo = "the credentials may read the zone but not list the account's zones: give them read access to the account's zone list, then run the step again"
	case access != "":
		todo = "nothing was concluded from it: run the step again (if it fails the same way: " + access + ")"
	default:
		todo = "nothing was concluded from it: run the step again"
	}
	// The zone's name and the provider's words are text, never a format.
	return fmt.Errorf("%s: %w; %s", what, err, todo)
}

// parityAndListing runs parity (gate name, old and new servers) and lists
// both providers concurrently. Parity's summary holds the RRsets served
// above policy.prestage_ttl (observeTTLs reads them).
func parityAndListing(ctx context.Context, c *Config, name string, old, new []string) (Gate, *ParitySummary, *listing) {
	ch := make(chan *listing, 1)
	go func() { ch <- listBoth(ctx, c) }()
	g, sum := gateParity(ctx, c, name, old, new, c.PrestageTTL)
	l := <-ch
	fmt.Fprintf(c.Log, "%s: providers listed in %.1f s\n", c.Zone.Origin, l.seconds)
	return g, sum, l
}

// maxMoved bounds the RRsets listingMoved names per side.
const maxMoved = 5

// listingMoved lists each provider the gates listed (l: what they
// judged; nil, none) again, right before the registrar change, with the
// function the gates' listing used (list: the zones below included), and
// names what changed at it: an RRset added, removed, or changed in its
// data or TTL (the SOA aside: a provider may rewrite its serial), and
// each record it lists that dnsparity cannot read or compare (its own
// kind served beyond git, a zone of its own below) added or removed
// (featuresMoved); a listing that
// cannot be read again is named too (nothing is concluded from it); the
// records a signer makes are left to the dnssec gate. A
// change that moves no SOA serial (Route 53's never moves, nor does a
// PowerDNS zone's loaded without SOA-EDIT-API) and that no push of this
// checkout recorded in the trail (the provider's UI, another checkout)
// is seen so: the gates proved a zone the providers no longer hold.
func listingMoved(ctx context.Context, c *Config, l *listing) []string {
	if l == nil {
		return nil
	}
	type again struct {
		s         *Side
		z         *zone.Zone
		unread    []provider.Feature
		now       *zone.Zone
		nowUnread []provider.Feature
		err       error
	}
	sides := []*again{{s: &c.Old, z: l.old, unread: l.oldUnread}, {s: &c.New, z: l.new, unread: l.newUnread}}
	// Both listed again at the same time, as listBoth lists them: the
	// registrar change waits for the slower, not for the two in turn.
	var wg sync.WaitGroup
	for _, side := range sides {
		if side.z == nil {
			continue // not listed for the gates (its error is theirs)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			side.now, side.nowUnread, _, _, side.err = list(ctx, c, side.s)
		}()
	}
	wg.Wait()
	var out []string
	for _, side := range sides {
		if side.z == nil {
			continue
		}
		z, unread, err := side.now, side.nowUnread, side.err
		if err != nil {
			out = append(out, fmt.Sprintf("providers.%s cannot be listed again to see whether the zone changed: %v", side.s.Name, err))
			continue
		}
		var moved []string
		n := 0
		note := func(s string) {
			if n++; n <= maxMoved {
				moved = append(moved, s)
			}
		}
		// The SOA and what a signer makes (RRSIG, NSEC, the apex DNSKEY:
		// re-signing moves them, and the dnssec gate judges them) aside.
		aside := func(s *zone.RRSet) bool {
			return s.Type == dns.TypeSOA || zone.Generated(c.Zone.Origin, s.Name, s.Type)
		}
		for _, was := range side.z.Sets {
			if aside(was) {
				continue
			}
			switch now := z.Get(was.Name, was.Type); {
			case now == nil:
				note(fmt.Sprintf("%s %s removed", was.Name, dns.Type(was.Type)))
			case !now.SameData(was) || now.TTL != was.TTL:
				note(fmt.Sprintf("%s %s changed", was.Name, dns.Type(was.Type)))
			}
		}
		for _, now := range z.Sets {
			if !aside(now) && side.z.Get(now.Name, now.Type) == nil {
				note(fmt.Sprintf("%s %s added", now.Name, dns.Type(now.Type)))
			}
		}
		for _, f := range featuresMoved(side.unread, unread) {
			note(f)
		}
		if n > maxMoved {
			moved = append(moved, fmt.Sprintf("%d more", n-maxMoved))
		}
		if len(moved) > 0 {
			out = append(out, fmt.Sprintf("providers.%s lists %s", side.s.Name, strings.Join(moved, ", ")))
		}
	}
	return out
}

// featuresMoved names the records of was and now (a listing's unread
// features: a record dnsparity cannot read, one of the provider's own
// kind served beyond git, a zone of its own below) that only one holds,
// by name, type and kind: "NAME TYPE added" or "... removed". A count
// alone missed one replaced by another.
func featuresMoved(was, now []provider.Feature) []string {
	key := func(f provider.Feature) string {
		return zone.CanonicalName(f.Name) + " " + f.Type + " (" + f.Feature + ")"
	}
	in := func(fs []provider.Feature) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			m[key(f)] = true
		}
		return m
	}
	before, after := in(was), in(now)
	var out []string
	for _, f := range was {
		if k := key(f); !after[k] {
			out = append(out, k+" removed")
			after[k] = true // named once
		}
	}
	for _, f := range now {
		if k := key(f); !before[k] {
			out = append(out, k+" added")
			before[k] = true
		}
	}
	return out
}
