package cutover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Gates of a side's completeness (DESIGN: gates added for the next wave).
const (
	// GateOldComplete: the old side holds no RRset git lacks (flip: it
	// would vanish; rollback: it would come back).
	GateOldComplete = "old-complete"
	// GateNewComplete (rollback, flip --emergency): the new side holds no
	// RRset git lacks (rollback: it would vanish; emergency: it would
	// appear).
	GateNewComplete = "new-complete"
)

// gateComplete lists what side s holds (its provider: an AXFR through
// internal/transfer with the configured TSIG key for rfc2136, the API's
// listing otherwise; held is that listing, err why it failed) and is met
// when it holds no RRset git lacks. unread are the records the listing
// holds that dnsparity cannot read (list): git lacks those too. effect
// says what a step would do to such an RRset ("vanish at the flip"). pre
// is the gate that shows the side answers: when it failed, a listing that
// fails too is a refusal, not a gate that could not run.
func gateComplete(c *Config, name string, s *Side, held *zone.Zone, unread []provider.Feature, err error, effect string, pre *Gate) Gate {
	var p *plan.Plan
	if err == nil && s.Provider != nil {
		p = c.pushPlan(s, held, nil)
	}
	return completeGate(c, name, s, held, unread, err, p, effect, pre)
}

// gateCompleteListed is gateComplete of side s (c.Old or c.New) as the
// step's listing l holds it, with the step's one push plan of it
// (listing.plainPlan).
func gateCompleteListed(c *Config, name string, s *Side, l *listing, effect string, pre *Gate) Gate {
	held, unread, err := l.of(c, s)
	return completeGate(c, name, s, held, unread, err, l.plainPlan(c, s), effect, pre)
}

// of is what the listing holds of side s (c.Old or c.New): the zone, the
// records it cannot read, and why it could not list.
func (l *listing) of(c *Config, s *Side) (*zone.Zone, []provider.Feature, error) {
	if s == &c.New {
		return l.new, l.newUnread, l.newErr
	}
	return l.old, l.oldUnread, l.oldErr
}

// answered is what the listing holds of side s's records of its
// provider's own kind that git answers at their name (listRecords).
func (l *listing) answered(c *Config, s *Side) []provider.Feature {
	if s == &c.New {
		return l.newAnswered
	}
	return l.oldAnswered
}

// listingServed makes g, a completeness gate of side s judged on what
// its provider lists (held), unmet when that listing is not what the servers
// resolvers ask serve. Parity asks git's names, which another copy of the
// zone may answer alike; what that copy holds beyond them is in no
// listing, and would vanish (or appear) at the step unseen. Two cases
// where the servers asked are not the ones listed: s's provider lists its
// primary (s.Primary, an RFC 2136 server not among its nameservers), and
// its public servers are judged (primaryServed, status's hidden-master
// check, by the SOA serial); or the parent's delegation sends resolvers
// to servers providers.<side>.nameservers does not list (askFromServers:
// a renumbered provider, a secondary, the third party's copy flip
// --from-current takes), judged against the listed servers' serial
// (delegationServed). A serial is not the content: a copy edited apart
// keeps it. So the servers at the listing's serial are transferred too
// where they allow it (copyServed), and one holding an RRset the listing
// and git lack fails the gate. One that gives no transfer is judged by
// its serial and named in a warning: a secondary fed by the primary
// serves its copy at that serial, and a third party's secondary (the
// copy flip --from-current takes) commonly transfers to no one but its
// primary, so a refusal there would block every step of such a zone
// (TestCutoverFinishRecordedSecondaryLab), for a copy edited apart at
// the same serial that no question can find.
func listingServed(ctx context.Context, c *Config, g Gate, s *Side, held *zone.Zone, answered []provider.Feature) Gate {
	if !g.OK {
		return g
	}
	var (
		ok, noZone bool
		detail     string
		servers    []string
		what, fix  string
	)
	switch {
	case s.Primary != "":
		ok, detail, noZone = primaryServed(ctx, c, s)
		servers = s.Servers
		what = fmt.Sprintf("what its primary holds (providers.%s.server), and its public servers serve another copy", s.Name)
		fix = fmt.Sprintf("bring the %s side's public servers in sync with its primary (a secondary that does not transfer from providers.%s.server, or serves another copy), or set providers.%s.server to the primary they serve; %s shows the hidden-master check", s.Name, s.Name, s.Name, zoneCmd(c.Zone.Origin, "status"))
		if noZone {
			// No other copy seen: the public servers are down or
			// hold no zone, and a push (to the primary) changes
			// nothing there.
			g.OK = false
			g.Detail += fmt.Sprintf("; but that is what its primary holds (providers.%s.server), and its public servers do not serve the zone (%s): resolvers get nothing from them that could be compared with it", s.Name, detail)
			g.Plan = []string{
				fmt.Sprintf("bring the %s side's public servers back, each answering the zone's SOA with authority at the primary's serial; %s", s.Name, transferFromPrimary(fmt.Sprintf("providers.%s.server %s", s.Name, s.Primary))),
				"run the step again",
			}
			return g
		}
	case len(s.fromDelegation) > 0:
		ok, detail = delegationServed(ctx, c, s)
		servers = s.fromDelegation
		what = fmt.Sprintf("what the provider lists, and servers the delegation sends resolvers to (the parent's, or the one a rollback restores), which providers.%s.nameservers does not list, serve another copy", s.Name)
		fix = fmt.Sprintf("find out what serves the zone at those addresses: the %s provider's servers (list them in providers.%s.nameservers and bring them in sync), or another copy (import cannot read it: compare it with git by AXFR or by hand, put what belongs in the zone into git, push, then run the step again)", s.Name, s.Name)
	default:
		return g
	}
	if ok {
		beyond, notRead, walkedPart := copyServed(ctx, c, s, servers, held, answered)
		if beyond == "" && walkedPart != "" {
			w := fmt.Sprintf("%s: %s; %s to have it compared", g.Name, walkedPart, c.transferAdvice(s))
			g.Detail += "; " + w
			g.warnings = append(g.warnings, w)
		}
		switch {
		case beyond == "" && notRead == "":
			return g
		case beyond == "":
			// A server at the listing's serial that gives no transfer:
			// a copy edited apart keeps the serial, and no question
			// finds a name nobody lists (parity asks git's).
			w := fmt.Sprintf("%s: what the %s servers serve beyond the listing was compared by SOA serial only where they give no transfer (the transfer failed: %s): a copy at the same serial edited apart would hold more unseen; %s to have it compared", g.Name, s.Name, notRead, c.transferAdvice(s))
			g.Detail += "; " + w
			g.warnings = append(g.warnings, w)
			return g
		}
		ok, detail = false, beyond
	}
	g.OK = false
	g.Detail += fmt.Sprintf("; but that is %s (%s): what they serve beyond it is in no listing", what, detail)
	g.Plan = []string{fix, "run the step again"}
	return g
}

// delegationServed reports whether the servers of side s the parent's
// delegation added (s.fromDelegation) serve the SOA serial its listed
// servers serve, each asked afresh (askSOAs), and says what differs.
func delegationServed(ctx context.Context, c *Config, s *Side) (bool, string) {
	added := map[string]bool{}
	for _, a := range s.fromDelegation {
		added[a] = true
	}
	var listed []string
	for _, srv := range s.Servers {
		if !added[srv] {
			listed = append(listed, srv)
		}
	}
	var want uint32
	from := ""
	for i, a := range askSOAs(ctx, c, listed) {
		if n, err := a.serial(); err == nil {
			want, from = n, listed[i]
			break
		}
	}
	if from == "" {
		return false, fmt.Sprintf("no server of providers.%s.nameservers (%s) answers the SOA to compare them with", s.Name, strings.Join(listed, " "))
	}
	if other, _ := serialsOff(ctx, c, s.fromDelegation, want); len(other) > 0 {
		return false, fmt.Sprintf("%s: %s serves serial %d; %s", s.Name, from, want, strings.Join(other, "; "))
	}
	return true, ""
}

// sideTSIG is the parity TSIG key transfers from side s's servers are
// signed with (parity.Options.OldTSIG or NewTSIG; nil: none).
func (c *Config) sideTSIG(s *Side) *parity.TSIG {
	if s == &c.New {
		return c.Parity.NewTSIG
	}
	return c.Parity.OldTSIG
}

// transferAdvice is what lets side s's servers give the copy check its
// transfer, as copyServed sent it: signed with the parity TSIG key of s
// when there is one (parity.axfr on and providers.NAME.tsig set), else
// unsigned.
func (c *Config) transferAdvice(s *Side) string {
	if k := c.sideTSIG(s); k != nil {
		return fmt.Sprintf("allow the transfer (AXFR signed with providers.%s.tsig, key %s) from this machine", s.Name, k.Name)
	}
	return fmt.Sprintf("the transfer was sent unsigned (a key signs it only with parity.axfr on and providers.%s.tsig set): allow an unsigned AXFR from this machine, or set providers.%s.tsig to a key the servers allow transfers with and turn parity.axfr on", s.Name, s.Name)
}

// copyServed reports whether each of servers (side s's, at the serial of
// the listing held) serves no RRset the listing lacks that git lacks too
// (one git holds does not vanish at a step, and parity asks these servers
// git's names: an API's listing without the apex NS its servers serve,
// Cloudflare's or DNS Made Easy's, is no other copy), transferring the
// zone from each (parity.AXFRKeys: the one reader of a server's RRsets,
// signed with the side's parity TSIG key; DNSSEC and signer-made types
// left out, as the listing's generated types are; and a record of a
// private-use type at the name of a record of the provider's own kind the
// listing gave, answered, which is that record: PowerDNS's ALIAS or LUA,
// which its API lists apart from the records), and says what it found:
// beyond, the RRsets one holds beyond the listing, notRead, the
// servers whose transfer failed (what they serve beyond the listing
// cannot be seen: listingServed warns), and walkedPart, what a chain
// walked instead of the transfer cannot show (an opt-out NSEC3 chain's
// unsigned delegations: listingServed warns), "" for none.
func copyServed(ctx context.Context, c *Config, s *Side, servers []string, held *zone.Zone, answered []provider.Feature) (beyond, notRead, walkedPart string) {
	if held == nil {
		return "", "", ""
	}
	key := c.sideTSIG(s)
	timeout := cmp.Or(c.Parity.Timeout, c.Timeout)
	type got struct {
		keys map[zone.Key]bool
		err  error
	}
	res := fanout.All(len(servers), func(i int) got {
		k, err := parity.AXFRKeys(ctx, servers[i], c.Zone.Origin, key, timeout, c.Parity.AXFRLimits)
		return got{k, err}
	})
	own := ownTransferred(answered)
	var extras, unread, partial []string
	for i, r := range res {
		how := ""
		var extra []string
		if r.err != nil {
			keys, unnamed, part, err := nsecKeys(ctx, c, servers[i], held, timeout)
			if err != nil {
				unread = append(unread, fmt.Sprintf("%s (%v; %v)", servers[i], r.err, err))
				continue
			}
			if part != "" {
				partial = append(partial, part)
			}
			r.keys, how, extra = keys, " (its NSEC chain names them; it gives no transfer)", unnamed
			if len(unnamed) > 0 {
				how = " (its NSEC3 chain names them, by hash where no name the listing or git holds has it; it gives no transfer)"
			}
		}
		for k := range r.keys {
			if k.Type == dns.TypeSOA || held.Get(k.Name, k.Type) != nil || !lacksServed(c.Zone, k.Name, k.Type) || own(k) {
				continue
			}
			extra = append(extra, k.Name+" "+dns.Type(k.Type).String())
		}
		if len(extra) > 0 {
			slices.Sort(extra)
			extras = append(extras, fmt.Sprintf("%s serves the listing's serial but holds %s the listing and git lack%s: %s", servers[i], plural.N(len(extra), "RRset", "RRsets"), how, fiveNames(extra)))
		}
	}
	if len(extras) > 0 {
		beyond = fmt.Sprintf("%s: %s", s.Name, strings.Join(extras, "; "))
	}
	return beyond, strings.Join(unread, "; "), strings.Join(partial, "; ")
}

// nsecKeys is what server's copy of the zone holds as its NSEC chain
// names it (dnssec.WalkNSEC, from the names the listing held and git
// hold), in the keys a transfer gives (each name with each type of its
// bitmap): a signed zone hands every name it holds, and the types there,
// to anyone asking, where the server refuses the transfer. A zone denied
// with NSEC3 names them by hash (dnssec.WalkNSEC3): the names the
// listing and git hold are hashed and given their types so; each hash
// none of them has is a name the copy holds beyond them, which only its
// hash and types tell (unnamed: "a name of NSEC3 hash H, types T"). The
// walk stops past nsecBeyond names neither holds (ErrNSECChainLong):
// those it read are enough to refuse on. An error: the chain cannot be
// walked (unsigned; one an online signer makes up per answer, which
// names nothing beyond the name asked; a server that stops answering).
// An opt-out NSEC3 chain (RFC 5155 section 6) is walked: it names every
// name but unsigned delegations; partial then says what it cannot show.
func nsecKeys(ctx context.Context, c *Config, server string, held *zone.Zone, timeout time.Duration) (keys map[zone.Key]bool, unnamed []string, partial string, err error) {
	var known []string
	for _, z := range []*zone.Zone{held, c.Zone} {
		for _, s := range z.Sets {
			known = append(known, s.Name)
		}
	}
	walked, err := dnssec.WalkNSEC(ctx, server, c.Zone.Origin, known, nsecBeyond, timeout)
	if errors.Is(err, dnssec.ErrNoNSECChain) {
		chain, err3 := dnssec.WalkNSEC3(ctx, server, c.Zone.Origin, known, nsecBeyond, timeout)
		if err3 != nil && !errors.Is(err3, dnssec.ErrNSECChainLong) {
			return nil, nil, "", fmt.Errorf("its NSEC chain not walked: %w; its NSEC3 chain not walked: %w", err, err3)
		}
		walked, err = chain.Names, nil
		if chain.OptOut {
			partial = server + "'s NSEC3 chain has the opt-out flag (RFC 5155 section 6): walked, it names every name that copy holds but unsigned delegations, which it leaves out; a delegation only that copy holds is not seen"
		}
		for h, types := range chain.Unnamed {
			var ts []string
			for _, t := range types {
				if !zone.SignerMade(c.Zone.Origin, "", t) && t != dns.TypeRRSIG && t != dns.TypeNSEC3 {
					ts = append(ts, dns.Type(t).String())
				}
			}
			if len(ts) > 0 { // none: an empty non-terminal above a name listed here
				unnamed = append(unnamed, fmt.Sprintf("a name of NSEC3 hash %s (%s)", h, strings.Join(ts, " ")))
			}
		}
		slices.Sort(unnamed)
	}
	if err != nil && !errors.Is(err, dnssec.ErrNSECChainLong) {
		return nil, nil, "", fmt.Errorf("its NSEC chain not walked: %w", err)
	}
	keys = map[zone.Key]bool{}
	for name, types := range walked {
		for _, t := range types {
			keys[zone.Key{Name: zone.CanonicalName(name), Type: t}] = true
		}
	}
	return keys, unnamed, partial, nil
}

// nsecBeyond is how many names beyond the listing's and git's nsecKeys
// reads from a chain before it stops: the gate names five.
const nsecBeyond = 100

// completeGate is gateComplete with p, the push plan of git to s over
// held counting none of its features (nil: s has no provider).
func completeGate(c *Config, name string, s *Side, held *zone.Zone, unread []provider.Feature, err error, p *plan.Plan, effect string, pre *Gate) Gate {
	g := Gate{Name: name}
	if err != nil {
		g.Detail = fmt.Sprintf("cannot list the %s provider: %v", s.Name, err)
		if pre != nil && !pre.OK {
			g.Detail += fmt.Sprintf(" (gate %s: the %s side must answer first)", pre.Name, s.Name)
		} else {
			g.Err = !errors.Is(err, provider.ErrZoneNotFound)
		}
		return g
	}
	// What a push of git to the side deletes (plan.Compute, as push
	// computes it): the RRsets git lacks that it lists and can delete.
	deletes := map[zone.Key]bool{}
	if p != nil {
		for _, ch := range p.Changes {
			if ch.Action == provider.Delete {
				deletes[ch.Key()] = true
			}
		}
	}
	var lacks, pushed, kept []string
	for _, set := range held.Sets {
		if !lacksServed(c.Zone, set.Name, set.Type) {
			continue
		}
		lacks = append(lacks, fmt.Sprintf("%s %s (%s)", set.Name, dns.Type(set.Type), strings.Join(set.Strings(), ", ")))
		if what := set.Name + " " + dns.Type(set.Type).String(); deletes[set.Key()] {
			pushed = append(pushed, what)
		} else {
			kept = append(kept, what)
		}
	}
	for _, f := range unread {
		lacks = append(lacks, fmt.Sprintf("%s %s (%s)", f.Name, f.Type, f.Detail))
	}
	partial := zoneListPartial(c, s)
	if len(lacks) == 0 {
		g.OK = true
		g.Detail = fmt.Sprintf("the %s provider holds no RRset that git lacks (%d RRsets listed)%s", s.Name, len(held.Sets), partial)
		return g
	}
	g.Detail = fmt.Sprintf("the %s provider holds %s that git lacks, which would %s: %s%s", s.Name, plural.N(len(lacks), "RRset", "RRsets"), effect, fiveNames(lacks), partial)
	g.Plan = []string{
		fmt.Sprintf("if they belong in the zone: `dnsparity import --provider %s --zone %s -o %s.%s.zone` writes what the %s provider holds; copy those records into the zone file, commit, and push to both providers",
			shell.Quote(s.Name), shell.Quote(c.Zone.Origin), shell.Quote(strings.TrimSuffix(c.Zone.Origin, ".")), shell.Quote(s.Name), s.Name),
	}
	if len(pushed) > 0 {
		g.Plan = append(g.Plan, fmt.Sprintf("if they do not: `dnsparity push --provider %s --zone %s` deletes %s (%s; `dnsparity plan --provider %s --zone %s` shows the deletions first)",
			shell.Quote(s.Name), shell.Quote(c.Zone.Origin), plural.N(len(pushed), "RRset", "RRsets"), fiveNames(pushed), shell.Quote(s.Name), shell.Quote(c.Zone.Origin)))
	}
	if len(kept) > 0 {
		g.Plan = append(g.Plan, fmt.Sprintf("if they do not: a push leaves %s as they are (%s: a name or type the %s provider's API cannot change; `dnsparity plan --provider %s --zone %s` says why): delete them at the %s provider by hand (its UI or API)",
			plural.N(len(kept), "RRset", "RRsets"), fiveNames(kept), s.Name, shell.Quote(s.Name), shell.Quote(c.Zone.Origin), s.Name))
	}
	var nested, unreadable, own []string
	for _, f := range unread {
		what := f.Name + " " + f.Type
		switch f.Feature {
		case provider.NestedZone:
			nested = append(nested, f.Name)
		case provider.Unrepresentable:
			unreadable = append(unreadable, what)
		default:
			own = append(own, what)
		}
	}
	// A push never deletes what it cannot read, a record of the
	// provider's own kind, or a zone of its own: no plan creates,
	// replaces or deletes them (ARCHITECTURE.md).
	if len(unreadable) > 0 {
		g.Plan = append(g.Plan, fmt.Sprintf("records dnsparity cannot read (%s; import cannot write them either, and no push deletes them): recreate them at the %s provider in a form a zone file holds and put that in git, or delete them at the %s provider by hand (its UI or API)", fiveNames(unreadable), s.Name, s.Name))
	}
	if len(own) > 0 {
		g.Plan = append(g.Plan, fmt.Sprintf("records of the %s provider's own kind, with no zone-file form (an alias, a redirect, a script, a located answer), that its servers answer where git has nothing (%s): put in git the records the names should answer with (%s writes them commented out, with what they answer), or delete them at the %s provider by hand (its UI or API): no push deletes them", s.Name, fiveNames(own), providerCmd("import", s.Name, c.Zone.Origin), s.Name))
	}
	if len(nested) > 0 {
		g.Plan = append(g.Plan, fmt.Sprintf("zones of their own at the %s provider below %s, which its servers answer for without a delegation (%s): put their records into git's zone (`dnsparity import --provider %s --zone ZONE` for each), or delegate them in git and move each as a zone of its own, or delete those zones at the %s provider by hand: no push deletes a zone", s.Name, c.Zone.Origin, strings.Join(nested, " "), shell.Quote(s.Name), s.Name))
	}
	g.Plan = append(g.Plan, "run the step again")
	return g
}

// lacksServed reports whether an RRset of type t at name, held by a side
// (its listing, a copy of its servers), is one git lacks that git's
// servers would serve: git holds none there, a signer does not make it,
// and no cut of git occludes it (zone.View.OccludedByCut: a side holding
// the same delegation never served it either, and the new side will not;
// glue and the DS at the cut, which referrals carry, still count).
func lacksServed(z *zone.Zone, name string, t uint16) bool {
	return z.Get(name, t) == nil && !zone.SignerMade(z.Origin, name, t) && !z.View().OccludedByCut(name, t)
}

// zoneListPartial is "; ..." saying that side s's listing of the
// account's zones may hold only some of them (a scoped key, where the
// credentials or the API tell it: provider.ZoneListPartial), so a zone of
// its own below this one may go unseen; "" otherwise.
func zoneListPartial(c *Config, s *Side) string {
	if sc, ok := s.Provider.(provider.ZoneListPartial); ok {
		if why := sc.ZoneListPartial(); why != "" {
			return "; zones of its own below " + c.Zone.Origin + " may be missing from what was listed: " + why
		}
	}
	return ""
}
