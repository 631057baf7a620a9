package cutover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// offerEmergency adds the emergency step away from side down to the plan
// of a parity gate that could not be proven, where that step is what the
// user would run next: away from old, a planned flip, or status while the
// parent delegates to the old side; away from new, a rollback, or status
// while the parent delegates to the new side (never after finish). A gate
// unproven for the other side (down answers: the silent servers are the
// other side's, or a server this machine cannot ask) offers nothing: the
// step would take resolvers from the side that answers to the one that
// does not. Whether down is down is its down gate's judgement (every
// server of it fails, or some do and the ones that answer serve git), as
// the emergency step itself will judge it. Partly down with a server that
// answers and serves other data, the plan says why the emergency step is
// refused too and what lets it run.
func (c *Config) offerEmergency(ctx context.Context, g Gate, down *Side) Gate {
	if !g.unproven {
		return g
	}
	j := judgeDown(ctx, c, down)
	step := c.emergencyStep(down)
	if !j.gate.OK {
		if j.survivorsDiffer {
			g.Plan = append(g.Plan, fmt.Sprintf("the %s side is partly down, and `dnsparity %s --zone %s --emergency` is refused while a %s server that answers does not serve git (gate %s: %s): %s",
				down.Name, shell.Quote(step), shell.Quote(c.Zone.Origin), down.Name, j.gate.Name, j.gate.Detail, strings.Join(j.gate.Plan, "; ")))
		}
		return g
	}
	up := &c.New
	if down == &c.New {
		up = &c.Old
	}
	g.Offer = &Offer{Down: down.Name, Up: up.Name, Step: step}
	if j.partly {
		g.Plan = append(g.Plan, fmt.Sprintf("the %s provider is partly down (%d of %d nameservers fail: %s; the ones that answer serve git): if it does not come back and the %s one serves git: `dnsparity %s --zone %s --emergency`",
			down.Name, len(j.failing), len(down.Servers), strings.Join(j.failing, "; "), up.Name, shell.Quote(step), shell.Quote(c.Zone.Origin)))
		return g
	}
	g.Plan = append(g.Plan, fmt.Sprintf("if the %s provider is down and the %s one serves git: `dnsparity %s --emergency`", g.Offer.Down, g.Offer.Up, shell.Quote(g.Offer.Step)))
	return g
}

// apiDownPlan is the plan of a parity gate (g) that failed with every
// server answering (not unproven) while the provider of side left, the one
// the step moves away from, cannot be listed (l): its servers serve other
// data than the side moved to (stale, say) and no push can bring them to
// git until its API is back. The emergency step is refused meanwhile
// (its down gate: every server answers): dnsparity cannot tell stale data
// from an outage, nor from a change someone made there on purpose, so
// calling it an emergency is the operator's decision, made at the
// registrar, which the step then records.
func (c *Config) apiDownPlan(g Gate, l *listing, left *Side) Gate {
	err := l.oldErr
	if left == &c.New {
		err = l.newErr
	}
	if g.OK || g.Err || g.unproven || err == nil {
		return g
	}
	step, z := c.emergencyStep(left), c.Zone.Origin
	to := &c.New
	if left == &c.New {
		to = &c.Old
	}
	g.Plan = []string{
		fmt.Sprintf("the %s provider cannot be listed (%v) and every %s server answers, serving other data than the %s side: no push can bring them to git until its API is back, and `dnsparity %s --emergency` is refused while they answer (a side whose servers answer is not down, stale or not)", left.Name, err, left.Name, to.Name, shell.Quote(step)),
		fmt.Sprintf("`dnsparity parity --zone %s` names every difference", shell.Quote(z)),
		fmt.Sprintf("when the %s provider's API is back: `dnsparity push --provider %s --zone %s`, then `dnsparity %s --zone %s`", left.Name, shell.Quote(left.Name), shell.Quote(z), shell.Quote(step), shell.Quote(z)),
		fmt.Sprintf("to move anyway, as your own decision (resolvers get what the %s servers serve now, and their answers change at the move): change the delegation at the registrar by hand to the one the %s sets, then `dnsparity %s --zone %s` records it", left.Name, step, shell.Quote(step), shell.Quote(z)),
	}
	return g
}

// Offer is the emergency step a gate offers: the side found down (every
// server of it fails, as the step's down gate will judge), the side that
// serves git, and the step that moves the delegation there (flip away
// from old, rollback away from new).
type Offer struct {
	Down string `json:"down"`
	Up   string `json:"up"`
	Step string `json:"step"`
}

// emergencyStep is the step that moves the delegation away from side s
// when s is down: flip (away from old) or rollback (away from new).
func (c *Config) emergencyStep(down *Side) string {
	if down == &c.New {
		return Leaving("new")
	}
	return Leaving("old")
}

// emergencyGates are the gates of a step out of an incident (flip
// --emergency: the old side down; rollback --emergency: the new side
// down) on the side it moves to, up: every server of down fails (the
// down gate), up serves exactly git on servers (matches-git; note, when
// not "", is added to its detail), answers with authority on them (asked
// after that parity, which may take minutes, as the planned step asks
// after its own: soaAfresh), and holds nothing git lacks, which would
// effect at the step (complete: the matches-git gate asks git's
// questions only, so up is listed whole, as the planned flip's drift gate
// does, and what its servers serve is held to that listing as the planned
// steps hold it: listingServed). With down only partly down and the down gate met, down's
// completeness too: what its surviving servers serve beyond git
// (downComplete); a step the down gate already refuses does not wait on
// down's listing. The summary is the matches-git gate's parity; the
// listing holds up's, as the gates judged it.
func emergencyGates(ctx context.Context, c *Config, rep *Report, down, up *Side, servers []string, note, effect string) ([]Gate, *ParitySummary, *listing) {
	auth, complete := GateNewAuthoritative, GateNewComplete
	if up == &c.Old {
		auth, complete = GateOldAuthoritative, GateOldComplete
	}
	j := judgeDown(ctx, c, down)
	gates := []Gate{j.gate}
	g, sum := gateMatchesGit(ctx, c, up, servers)
	c.soaAfresh()
	if note != "" {
		g.Detail += "; " + note
	}
	// The servers the step sends resolvers to (a rollback's: the
	// recorded delegation's too), as matches-git asks them.
	asked := *up
	asked.Servers = servers
	gates = append(gates, g, gateAuthoritative(ctx, c, rep, auth, &asked))
	held, unread, _, answered, err := list(ctx, c, up)
	// What its servers serve, not only what its provider lists (a hidden
	// primary's public servers, another copy at the same serial), as the
	// planned steps judge it (listingServed).
	gates = append(gates, listingServed(ctx, c, gateComplete(c, complete, up, held, unread, err, effect, &g), up, held, answered))
	if j.partly && j.gate.OK {
		gates = append(gates, downComplete(ctx, c, down, up, j.up))
	}
	// The up side's listing the gates judged, for the re-check before
	// the registrar change (listingMoved); the side down is not listed
	// again.
	l := &listing{}
	if err == nil {
		if up == &c.Old {
			l.old, l.oldUnread = held, unread
		} else {
			l.new, l.newUnread = held, unread
		}
	}
	return gates, sum, l
}

// emergencyTransfers is how many surviving servers an emergency step
// transfers from at once (transferredBeyondGit).
const emergencyTransfers = 4

// errSurvivorWait is the cause of a survivor's transfer cut at
// Config.EmergencyListWait (transferredBeyondGit).
var errSurvivorWait = errors.New("emergency wait over")

// DefaultEmergencyListWait is how long an emergency step waits at most on
// the listing of the side it leaves partly down (Config.EmergencyListWait,
// downComplete): its API is usually down too.
const DefaultEmergencyListWait = time.Minute

// downComplete is the completeness of side down in an emergency step
// that leaves it only partly down, its servers answering (answering,
// the down gate's: they serve git's answers): what they serve beyond git
// (an RRset added at the provider's UI, say) vanishes at the step, unseen
// by the down gate (its comparison asks git's names only). The names to
// ask come from the provider's listing (its API, or for rfc2136 its
// AXFR), bounded by Config.EmergencyListWait: each RRset it lists that
// git lacks, and each record it holds that git cannot (unread: its own
// kind served beyond git, one dnsparity cannot read, a zone of its own
// below), is asked of the answering servers without recursion
// (survivorServes); the servers are transferred too where they allow it
// (transferredBeyondGit), which shows what no listing names. What one of
// them is seen to serve (an answer of that type, a referral, or its
// transfer) that git does not give too (gitGives: what the planned
// gates count as held, by the same rule, lacksServed, with data a cut
// of git's occludes, and a wildcard's answer or one below git's DNAME;
// glue and the DS at a cut beyond git's count, as there) would vanish at the step for
// every resolver: the gate (old-complete for flip --emergency,
// new-complete for rollback --emergency) refuses, naming it with the
// server (servedBeyondGit): the side still answers, and putting the
// records in git and pushing to the side moved to takes minutes. A server
// that does not answer the question (one dying as it is asked) is not
// seen serving: named in a warning, not refused. What the provider lists and none of them
// serves (a record created at its API while its delivery to its servers
// is broken, say) vanishes with nothing, and a warning names it. A
// listing that lacks RRsets of git's (which those servers serve, the down
// gate proved) looks incomplete (a lagging or empty backend): a warning
// says an RRset they serve beyond git may be missing from it too.
//
// Where the provider cannot be listed (the usual emergency: its API is
// down too; or it answers nothing within the wait) the transfers alone
// judge; where they fail too the step is not held back: the gate passes,
// saying it was not checked, and a warning says what may be lost. A failed listing of the account's zones
// (nestedZones: a key scoped to the one zone) leaves only the zones of
// its own below unchecked, with a warning. A side wholly down serves
// nothing any more: not judged.
func downComplete(ctx context.Context, c *Config, down, up *Side, answering []string) Gate {
	name := GateOldComplete
	if down == &c.New {
		name = GateNewComplete
	}
	step := c.emergencyStep(down)
	survivors := strings.Join(answering, " ")
	// An API that is down may answer nothing at all: each try waits out
	// the HTTP client and the retries back off (httpretry.Default, six
	// tries); an emergency does not wait on it longer than this.
	wait := c.EmergencyListWait // set by defaults()
	lctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	// cut says "within WAIT" for a listing the wait cut, nothing for one
	// that failed on its own.
	cut := func(err error) string {
		if lctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			return " within " + wait.String()
		}
		return ""
	}
	held, unread, blocks, answered, err := listRecords(lctx, c, down)
	if err != nil && ctx.Err() == nil {
		// Said at once: the transfers after it take time of their own.
		return downUnlisted(ctx, c, name, down, up, answering, cut(err), err)
	}
	if err != nil {
		return gateComplete(c, name, down, held, unread, err, "", nil)
	}
	if held == nil {
		held = zone.New(c.Zone.Origin)
	}
	var warnings []string
	nestedNote := ""
	nested, err := listNested(lctx, c, down)
	if err != nil {
		if ctx.Err() != nil {
			return gateComplete(c, name, down, held, unread, err, "", nil)
		}
		nestedNote = "; the zones of its own below were not checked (its account's zones could not be listed)"
		warnings = append(warnings, fmt.Sprintf("%s: the %s provider's records were judged, but its account's zones could not be listed%s (%v), so whether it holds zones of their own below %s, which the %s nameservers still answering (%s) may answer for and which would vanish at the %s, was not checked",
			name, down.Name, cut(err), err, c.Zone.Origin, down.Name, survivors, step))
	}
	unread = append(unread, nested...)

	// What the listing holds that git lacks, each asked of the servers
	// that answer: only what one of them serves vanishes at the step.
	asked := askBeyondGit(ctx, c, answering, held, unread)
	served, servedUnread, by, unserved := servedOf(c.Zone.Origin, asked)
	if ctx.Err() != nil {
		return Gate{Name: name, Err: true, Detail: fmt.Sprintf("the %s nameservers still answering could not be asked what they serve beyond git: %v", down.Name, ctx.Err())}
	}
	// Those servers serve git (the down gate): a listing without git's
	// RRsets is not the whole of what they serve.
	missing := unlisted(c.Zone, held, unread, blocks, answered)
	if len(unserved) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: the %s provider lists %s that git lacks, served by no %s nameserver still answering (%s): %s; not refused, as nothing serves it now, and the %s side will not serve it either (if wanted: put it in git after the %s and push to the %s provider)",
			name, down.Name, plural.N(len(unserved), "record", "records"), down.Name, survivors, fiveNames(unserved), up.Name, step, up.Name))
	}
	if len(missing) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: the %s provider's listing looked incomplete: it lacks %s of git's, which the %s nameservers still answering (%s) serve (%s), so an RRset they serve beyond git may be missing from it too, and vanish at the %s unseen (a lagging or empty API backend, say)",
			name, down.Name, plural.N(len(missing), "RRset", "RRsets"), down.Name, survivors, fiveNames(missing), step))
	}
	// What a server still answering was seen to serve beyond git (an
	// answer of that type at that name, or a referral; git not giving
	// it too) vanishes at the step for every resolver: refused. The
	// transfers show what the listing does not name.
	var sure []string
	listed := map[zone.Key]bool{}
	for _, b := range asked {
		if b.set != nil {
			listed[zone.Key{Name: b.set.Name, Type: b.set.Type}] = true
		}
		if b.seen && !gitGives(c.Zone, namedOf(b), b.t) {
			sure = append(sure, fmt.Sprintf("%s at %s%s", b.what, b.srv, b.why))
		}
	}
	for _, set := range held.Sets {
		listed[zone.Key{Name: set.Name, Type: set.Type}] = true
	}
	transferred, notRead := transferredBeyondGit(ctx, c, down, answering, listed, answered)
	if len(notRead) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: what the %s nameservers still answering serve beyond the %s provider's listing was not read from every one of them (transfers that failed: %s): an RRset they serve that the listing lacks would vanish at the %s unseen",
			name, down.Name, down.Name, strings.Join(notRead, "; "), step))
	}
	if sure = append(sure, transferred...); len(sure) > 0 {
		g := servedBeyondGit(c, name, down, up, sure)
		g.warnings = warnings
		return g
	}
	effect := fmt.Sprintf("vanish at the %s (the %s nameservers still answering serve them, as asked: %s; the %s side does not)", step, down.Name, fiveNames(by), up.Name)
	g := gateComplete(c, name, down, served, servedUnread, nil, effect, nil)
	if g.OK {
		if len(asked) == 0 {
			g.Detail = fmt.Sprintf("the %s provider holds no RRset that git lacks (%s listed)%s", down.Name, plural.N(len(held.Sets), "RRset", "RRsets"), zoneListPartial(c, down))
		} else {
			g.Detail = fmt.Sprintf("the %s provider lists %s that git lacks (of %s listed), served by none of the %s nameservers still answering (%s), so nothing vanishes at the %s: %s%s",
				down.Name, plural.N(len(asked), "record", "records"), plural.N(len(held.Sets), "RRset", "RRsets"), down.Name, survivors, step, fiveNames(unserved), zoneListPartial(c, down))
		}
		g.Detail += nestedNote
		if len(missing) > 0 {
			g.Detail += fmt.Sprintf("; the listing looked incomplete, lacking %s of git's (%s)", plural.N(len(missing), "RRset", "RRsets"), fiveNames(missing))
		}
	} else if !g.Err {
		// What a survivor serves beyond git does not hold the failover
		// back: the side is failing, the side moved to serves git, and
		// a survivor's answer is not told apart well enough from one git
		// gives too (a wildcard's, a referral below git's own cut) or
		// from a server dying as it is asked to stop an emergency on it.
		// The loss is named, with the planned gate's plan to act on.
		w := fmt.Sprintf("%s: %s; not refused in an emergency; to keep them: %s", name, g.Detail, strings.Join(g.Plan, "; "))
		g = Gate{Name: name, OK: true, Detail: "not refused in an emergency: " + g.Detail, warnings: append(g.warnings, w)}
	}
	g.warnings = append(g.warnings, warnings...)
	return g
}

// servedOf sorts what askBeyondGit found: what a server still answering
// serves, as RRsets (served) and as records git cannot hold
// (servedUnread), each also "WHAT at SERVER WHY" (by); and what none
// serves (unserved).
func servedOf(origin string, asked []beyondGit) (served *zone.Zone, servedUnread []provider.Feature, by, unserved []string) {
	served = zone.New(origin)
	for _, b := range asked {
		switch {
		case b.srv == "":
			unserved = append(unserved, b.what)
			continue
		case b.set != nil:
			served.AddSet(b.set)
		default:
			servedUnread = append(servedUnread, *b.f)
		}
		by = append(by, fmt.Sprintf("%s at %s%s", b.what, b.srv, b.why))
	}
	return served, servedUnread, by, unserved
}

// unlisted are git's RRsets (z) a provider's listing lacks, each
// "NAME TYPE": held (its RRsets) nor its records of other kinds (unread,
// blocks, answered) give them; the apex SOA and NS, and what a signer
// makes and git's that push never writes (zone.NotPushed), no listing
// need give.
func unlisted(z, held *zone.Zone, unread, blocks, answered []provider.Feature) []string {
	var missing []string
	for _, set := range z.Sets {
		if zone.NotPushed(z.Origin, set.Name, set.Type) || set.Type == dns.TypeSOA || (set.Type == dns.TypeNS && set.Name == z.Origin) || held.Get(set.Name, set.Type) != nil || listedAs(set, unread) || listedAs(set, blocks) || listedAs(set, answered) {
			continue
		}
		missing = append(missing, set.Name+" "+dns.Type(set.Type).String())
	}
	return missing
}

// downUnlisted is downComplete where the provider of side down cannot be
// listed (listErr; within: " within WAIT" where the wait cut it): the surviving
// servers' transfers (answering), where they allow it, show what they
// serve; where they fail too the step is not held back.
func downUnlisted(ctx context.Context, c *Config, name string, down, up *Side, answering []string, within string, listErr error) Gate {
	beyond, notRead := transferredBeyondGit(ctx, c, down, answering, nil, nil)
	if len(beyond) > 0 {
		g := servedBeyondGit(c, name, down, up, beyond)
		g.Detail += fmt.Sprintf(" (the %s provider cannot be listed%s: %v)", down.Name, within, listErr)
		return g
	}
	if ctx.Err() == nil && len(notRead) < len(answering) {
		return Gate{Name: name, OK: true, Detail: fmt.Sprintf("the %s provider cannot be listed%s (%v), but the %s nameservers still answering serve nothing git lacks (by AXFR)%s",
			down.Name, within, listErr, down.Name, dashList("; transfers that failed: ", notRead))}
	}
	what := fmt.Sprintf("the %s provider cannot be listed%s (%v), so whether it holds RRsets git lacks was not checked: any it holds (added at its UI, say), which the %s nameservers still answering (%s) serve, vanish at the %s (the %s side serves git); once its API answers, `dnsparity import --provider %s --zone %s -o %s.%s.zone` writes what it holds",
		down.Name, within, listErr, down.Name, strings.Join(answering, " "), c.emergencyStep(down), up.Name, shell.Quote(down.Name), shell.Quote(c.Zone.Origin), shell.Quote(strings.TrimSuffix(c.Zone.Origin, ".")), shell.Quote(down.Name))
	if len(notRead) > 0 {
		what += " (the transfers from those nameservers failed too: " + strings.Join(notRead, "; ") + ")"
	}
	return Gate{Name: name, OK: true, Detail: "not checked, refusing nothing: " + what, warnings: []string{name + ": " + what}}
}

// beyondGit is a record a provider lists that git lacks: an RRset (set)
// or a record git cannot hold (f), and whether a server still answering
// serves it (srv, "" none; why, what it answered).
type beyondGit struct {
	set  *zone.RRSet
	f    *provider.Feature
	what string
	srv  string
	why  string
	// seen: srv answered it (survivorServes), with type t.
	seen bool
	t    uint16
}

// namedOf is the owner name b is at.
func namedOf(b beyondGit) string {
	if b.set != nil {
		return b.set.Name
	}
	return b.f.Name
}

// dashList is prefix and xs joined with "; ", "" when xs is empty.
func dashList(prefix string, xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return prefix + strings.Join(xs, "; ")
}

// askBeyondGit is each RRset of held that git lacks and each record of
// unread, asked of the answering servers without recursion
// (survivorServes), a few at a time.
func askBeyondGit(ctx context.Context, c *Config, answering []string, held *zone.Zone, unread []provider.Feature) []beyondGit {
	var asked []beyondGit
	for _, set := range held.Sets {
		if c.Zone.Get(set.Name, set.Type) == nil && !zone.SignerMade(c.Zone.Origin, set.Name, set.Type) {
			asked = append(asked, beyondGit{set: set, what: set.Name + " " + dns.Type(set.Type).String()})
		}
	}
	for i := range unread {
		asked = append(asked, beyondGit{f: &unread[i], what: unread[i].Name + " " + unread[i].Type})
	}
	// A few at a time: each is a question or two to servers that answer.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range asked {
		b := &asked[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if b.set != nil {
				b.srv, b.why, b.seen, b.t = survivorServes(ctx, c, answering, b.set.Name, []uint16{b.set.Type})
			} else {
				b.srv, b.why, b.seen, b.t = survivorServes(ctx, c, answering, b.f.Name, featureTypes(*b.f))
			}
		}()
	}
	wg.Wait()
	return asked
}

// listedAs reports whether a feature of fs (what the provider listed
// beside its records) stands at set's name and type, or is of a kind
// that may stand for set there (a record of the provider's own kind
// answering for an address or a flattened CNAME).
func listedAs(set *zone.RRSet, fs []provider.Feature) bool {
	for _, f := range fs {
		if zone.CanonicalName(f.Name) == set.Name && slices.Contains(featureTypes(f), set.Type) {
			return true
		}
	}
	return false
}

// featureTypes are the query types that ask for what feature f answers
// with at its name: a zone of its own below, its SOA; a PowerDNS LUA
// record, the type its script answers (the first word of its value); a
// record of a DNS type (not a CNAME, which a provider flattens to
// addresses), that type; else (an alias, an ANAME, a flattened CNAME, a
// web redirect) A and AAAA, as servedBeyond judges it. A type with
// no query (an unreadable record's name for a type DNS has not) is nil:
// not asked, so taken as served.
func featureTypes(f provider.Feature) []uint16 {
	if f.Feature == provider.NestedZone {
		return []uint16{dns.TypeSOA}
	}
	typ := strings.ToUpper(f.Type)
	if typ == "LUA" {
		if w := strings.Fields(f.Value); len(w) > 0 {
			typ = strings.ToUpper(w[0])
		}
	}
	if t, ok := dns.StringToType[typ]; ok && (t != dns.TypeCNAME || f.Feature == provider.Unrepresentable) {
		return []uint16{t}
	}
	if f.Feature == provider.Unrepresentable {
		return nil
	}
	return []uint16{dns.TypeA, dns.TypeAAAA}
}

// survivorServes is the first server of servers that serves name with
// one of types, asked without recursion (ask, Config.Timeout): an answer
// with that type at that name, or a referral (the name is at or below a
// delegation the server holds, which resolvers follow: t is NS, or the
// type asked when the referral carries it at name as glue); seen says it
// was so answered, and t is the type. A server that does not answer the
// question, or a name or types that cannot be asked, cannot show it
// unserved: it counts as serving, why saying so, seen false. "" when
// every server answered and none serves it.
func survivorServes(ctx context.Context, c *Config, servers []string, name string, types []uint16) (server, why string, seen bool, t uint16) {
	if len(servers) == 0 {
		return "", "", false, 0
	}
	if _, ok := dns.IsDomainName(name); !ok || len(types) == 0 {
		return servers[0], " (not asked: no DNS question asks for it)", false, 0
	}
	for _, srv := range servers {
		for _, t := range types {
			r, err := ask(ctx, srv, name, t, false, c.Timeout)
			if err != nil {
				return srv, fmt.Sprintf(" (no answer to %s %s, so not seen unserved: %v)", name, dns.Type(t), err), false, t
			}
			if r.Rcode != dns.RcodeSuccess {
				continue
			}
			for _, rr := range r.Answer {
				if h := rr.Header(); h.Rrtype == t && zone.CanonicalName(h.Name) == zone.CanonicalName(name) {
					return srv, "", true, t
				}
			}
			if !r.Authoritative && len(r.Answer) == 0 {
				for _, rr := range r.Ns {
					ns, ok := rr.(*dns.NS)
					if !ok {
						continue
					}
					// Glue of the type asked at name, which the
					// referral carries (RFC 1034 §4.2.1): served as
					// that type, judged as such (gitGives: glue git
					// lacks is not given).
					for _, x := range r.Extra {
						if h := x.Header(); h.Rrtype == t && zone.CanonicalName(h.Name) == zone.CanonicalName(name) {
							return srv, fmt.Sprintf(" (glue in a referral to %s)", ns.Ns), true, t
						}
					}
					return srv, fmt.Sprintf(" (a referral to %s)", ns.Ns), true, dns.TypeNS
				}
			}
		}
	}
	return "", "", false, 0
}

// gitGives reports whether git's zone z answers name with type t too, so
// that what a server serves there beyond git's RRsets does not vanish at
// a step: what the planned completeness gates count as not lacking
// (lacksServed, the one rule: git holds it, a signer makes it, or a cut
// of git's occludes it, zone.View.OccludedByCut: at the cut all but its
// NS and DS, below it all but glue), and beyond it what git synthesises
// there, which a survivor's answer cannot be told apart from: below a
// DNAME of git's, a CNAME at name, or, name not in git, a wildcard of
// git's that synthesises t or a CNAME (RFC 4592 §3.3.1). The DS at a
// cut and glue beyond git's are not given: the referral carries them,
// and the side moved to serves none.
func gitGives(z *zone.Zone, name string, t uint16) bool {
	name = zone.CanonicalName(name)
	if !lacksServed(z, name, t) {
		return true
	}
	v := z.View()
	if v.DNAME(name) != "" || z.Get(name, dns.TypeCNAME) != nil {
		return true
	}
	if !v.Exists(name) {
		if w := v.Wildcard(name); w != "" && (z.Get(w, t) != nil || z.Get(w, dns.TypeCNAME) != nil) {
			return true
		}
	}
	return false
}

// transferredBeyondGit are the RRsets (name and type) a server of
// answering serves beyond git, each "NAME TYPE at SERVER (by AXFR)",
// read by transferring the zone from each (parity.AXFRKeys, signed with
// the side's parity TSIG key) and leaving out what git answers too
// (gitGives) and those skip holds (already asked): the names no listing
// of the side's provider gives (its API down, or a listing that lacks
// them). A record of a private-use type (RFC 6895 §3.1: PowerDNS's
// ALIAS and LUA, say) at the name of a record of the provider's own kind
// the listing gave (own: what it answers there was judged from the
// listing, and git answers it) is that record: no resolver asks for its
// type (ownTransferred). notRead are the servers whose transfer failed, each "ADDR (why)".
func transferredBeyondGit(ctx context.Context, c *Config, s *Side, answering []string, skip map[zone.Key]bool, own []provider.Feature) (beyond, notRead []string) {
	ownRecord := ownTransferred(own)
	key := c.sideTSIG(s)
	timeout := cmp.Or(c.Parity.Timeout, c.Timeout)
	// Each transfer is bounded as the listing is (EmergencyListWait): a
	// survivor that trickles its zone would otherwise hold the step up to
	// the transfer's own MaxTime. They run a few at once; the results are
	// read in answering's order.
	wait := cmp.Or(c.EmergencyListWait, DefaultEmergencyListWait)
	type transferred struct {
		keys map[zone.Key]bool
		err  error
	}
	got := make([]transferred, len(answering))
	fanout.Ordered(ctx, len(answering), fanout.Options{Limit: emergencyTransfers}, func(ctx context.Context, i int) transferred {
		tctx, cancel := context.WithTimeoutCause(ctx, wait, errSurvivorWait)
		defer cancel()
		rrs, err := parity.AXFRRecords(tctx, answering[i], c.Zone.Origin, key, timeout, c.Parity.AXFRLimits)
		var keys map[zone.Key]bool
		if err == nil {
			keys = answeredKeys(s.Provider, rrs)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			// A read's deadline (tctx's) may end it an instant before
			// tctx itself: the cause is known once tctx is done (at most
			// the wait).
			<-tctx.Done()
		}
		if err != nil && errors.Is(context.Cause(tctx), errSurvivorWait) {
			err = fmt.Errorf("not complete within %s: %w", wait, err)
		}
		return transferred{keys, err}
	}, func(i int, r transferred) bool { got[i] = r; return true })
	seen := map[zone.Key]bool{}
	for i, srv := range answering {
		keys, err := got[i].keys, got[i].err
		if keys == nil && err == nil {
			err = fmt.Errorf("not transferred: %w", ctx.Err()) // not started: the step's context ended
		}
		if err != nil {
			notRead = append(notRead, fmt.Sprintf("%s (%v)", srv, err))
			continue
		}
		for _, k := range slices.SortedFunc(maps.Keys(keys), func(a, b zone.Key) int {
			return cmp.Or(zone.CompareNames(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
		}) {
			if seen[k] || skip[k] || ownRecord(k) || zone.SignerMade(c.Zone.Origin, k.Name, k.Type) || k.Type == dns.TypeSOA || !c.Zone.InZone(k.Name) || gitGives(c.Zone, k.Name, k.Type) {
				continue
			}
			if !keys[k] {
				// What a record of the provider's own type may answer:
				// only an answer the server gives vanishes (an ALIAS
				// whose target has no AAAA answers none).
				if by, _, _, _ := survivorServes(ctx, c, []string{srv}, k.Name, []uint16{k.Type}); by == "" {
					continue
				}
			}
			seen[k] = true
			beyond = append(beyond, fmt.Sprintf("%s %s at %s (by AXFR)", k.Name, dns.Type(k.Type), srv))
		}
	}
	return beyond, notRead
}

// answeredKeys are the RRsets (owner and type) of a transfer rrs, as
// resolvers ask them: a record of the provider's own type
// (provider.OwnTransferred: PowerDNS's ALIAS and LUA, no listing at hand
// to say what it answers) counts as the RRsets of the types it answers
// (false in the map: only what the server is then seen to answer with
// data counts), not as its own type, which no resolver asks for. One
// whose data does not say stays as it is: judged, it refuses the step
// (a false refusal rather than an answer that vanishes unseen).
func answeredKeys(p provider.Provider, rrs []dns.RR) map[zone.Key]bool {
	own, _ := p.(provider.OwnTransferred)
	keys := map[zone.Key]bool{}
	for _, rr := range rrs {
		name := zone.CanonicalName(rr.Header().Name)
		if own != nil {
			if types, ok := own.Answers(rr); ok {
				for _, t := range types {
					k := zone.Key{Name: name, Type: t}
					keys[k] = keys[k] || false
				}
				continue
			}
		}
		keys[zone.Key{Name: name, Type: rr.Header().Rrtype}] = true
	}
	return keys
}

// servedBeyondGit is the refusal of an emergency step by the
// completeness gate (name) of side down, left partly down: servers of it
// still answering serve RRsets git lacks (served, each "NAME TYPE at
// SERVER"), which vanish for every resolver at the step, the side moved
// to (up) not serving them. The planned step refuses the same; in an
// emergency the side still answers, and putting them in git and pushing
// to the side moved to takes minutes.
func servedBeyondGit(c *Config, name string, down, up *Side, served []string) Gate {
	step, z := c.emergencyStep(down), c.Zone.Origin
	return Gate{Name: name,
		Detail: fmt.Sprintf("the %s nameservers still answering serve %s that git lacks, which would vanish at the %s for every resolver (the %s side does not serve them): %s",
			down.Name, plural.N(len(served), "RRset", "RRsets"), step, up.Name, fiveNames(served)),
		Plan: []string{
			fmt.Sprintf("if they belong in the zone: put them in git (what a server serves: `dig +norec NAME TYPE @SERVER`; or `dnsparity import --provider %s --zone %s` once its API answers), commit, and `dnsparity push --provider %s --zone %s`", shell.Quote(down.Name), shell.Quote(z), shell.Quote(up.Name), shell.Quote(z)),
			fmt.Sprintf("if they do not: delete them at the %s provider (its UI or API), or bring every %s nameserver back and run the planned `dnsparity %s --zone %s`", down.Name, down.Name, shell.Quote(step), shell.Quote(z)),
			fmt.Sprintf("run `dnsparity %s --zone %s --emergency` again", shell.Quote(step), shell.Quote(z)),
		}}
}

// gateMatchesGit is the emergency's parity for side s, which the
// delegation is to point to while the other side is down (flip
// --emergency: new-matches-git; rollback --emergency: old-matches-git):
// servers (s's) against the zone file alone, no error finding and nothing
// that deviates from git.
func gateMatchesGit(ctx context.Context, c *Config, s *Side, servers []string) (Gate, *ParitySummary) {
	name, other := GateNewMatchesGit, &c.Old
	if s == &c.Old {
		name, other = GateOldMatchesGit, &c.New
	}
	fmt.Fprintf(c.Log, "%s: %s side (%s) against git...\n", c.Zone.Origin, s.Name, strings.Join(servers, " "))
	o := c.Parity
	o.Features = o.Features.Only(s.Name) // the other provider is down: not asked
	o.Progress = c.Progress
	rep, err := parity.Run(ctx, c.Zone, parity.Targets(servers), parity.Targets(servers), o)
	if err != nil {
		g := Gate{Name: name, Detail: fmt.Sprintf("the %s side cannot be checked: %s", s.Name, err), unproven: true}
		g.Err = ctx.Err() != nil
		return g, nil
	}
	sum := summarize(rep, c.Root, parity.SevError, parity.SevWarning)
	bad := 0
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError || f.Kind == "git-drift" {
			bad++
		}
	}
	g := Gate{Name: name, OK: bad == 0, differs: bad > 0}
	g.Detail = fmt.Sprintf("%s where the %s side does not serve exactly what git says (%d queries)", plural.N(bad, "finding", "findings"), s.Name, rep.Queries)
	if bad > 0 {
		g.Detail += "; e.g. " + strings.Join(sum.Examples, "; ")
		g.Plan = []string{fmt.Sprintf("push the zone from git to the %s provider (%s)", s.Name, providerCmd("push", s.Name, c.Zone.Origin)), "run " + zoneCmd(c.Zone.Origin, c.emergencyStep(other), "--emergency") + " again"}
	}
	return g, sum
}

// notFromHere are the servers of ss this machine does not ask
// (query.NotFromHere: no route to them, or IPv6 with
// policy.delegation.ipv6 false), each "ADDR (why)", and the others.
func notFromHere(ctx context.Context, c *Config, ss []string) (asked, notAsked []string) {
	for _, srv := range ss {
		if why, _ := query.NotFromHere(ctx, srv, c.Delegation.NoIPv6); why != "" {
			notAsked = append(notAsked, srv+" ("+why+")")
		} else {
			asked = append(asked, srv)
		}
	}
	return asked, notAsked
}

// cacheHoldBound is the longest a resolver may answer a fresh name under
// the zone from what it holds, in seconds: the largest of the SOA TTLs
// the resolvers answered with (ans), git's largest TTL (a wildcard's,
// say) and its SOA minimum (the NSEC records' TTL, RFC 4034 §4).
func cacheHoldBound(c *Config, ans []freshAnswer) uint32 {
	hold := ZoneMaxTTL(c.Zone)
	if set := c.Zone.Get(c.Zone.Origin, dns.TypeSOA); set != nil {
		for _, rr := range set.RRs() {
			if soa, ok := rr.(*dns.SOA); ok {
				hold = max(hold, soa.Minttl)
			}
		}
	}
	for _, a := range ans {
		if a.soa != "" {
			hold = max(hold, a.soaTTL)
		}
	}
	return hold
}

// gateAuthoritative: every server of s that this machine can ask answers
// the apex SOA with AA (the step's answer, apexSOASeen). A server it does
// not ask (notFromHere) is named as not asked from here and refuses
// nothing, as in the delegation gate; with none left to ask the gate
// could not run. Then their copies are judged (judgeCopy): one that
// expires (a secondary cut off from its primary) before resolvers taking
// the delegation now could leave s makes the gate unmet.
func gateAuthoritative(ctx context.Context, c *Config, rep *Report, name string, s *Side) Gate {
	g := Gate{Name: name, OK: true}
	if len(s.Servers) == 0 {
		return Gate{Name: name, Detail: fmt.Sprintf("providers.%s lists no nameservers to check", s.Name), Err: true}
	}
	asked, notAsked := notFromHere(ctx, c, s.Servers)
	note := ""
	if len(notAsked) > 0 {
		note = fmt.Sprintf("; not asked from here, refusing nothing: %s", strings.Join(notAsked, "; "))
	}
	if len(asked) == 0 {
		return Gate{Name: name, Err: true, Detail: fmt.Sprintf("could not run: none of the %d %s nameservers can be asked from this machine%s", len(s.Servers), s.Name, note),
			Plan: []string{fmt.Sprintf("run the step from a machine that can reach the %s side's servers (with IPv6 for IPv6 addresses; policy.delegation.ipv6 true)", s.Name)}}
	}
	var bad []string
	silent := 0
	for i, a := range c.soaSeen.apexSOAOf(ctx, c, asked) {
		if why, _ := a.authoritative(c.Zone.Origin); why != "" {
			bad = append(bad, asked[i]+" "+why)
			if a.err != nil {
				silent++
			}
		}
	}
	if len(bad) > 0 {
		g.OK, g.unproven = false, silent == len(bad)
		g.Detail = fmt.Sprintf("%d of %d %s nameservers are not authoritative for %s: %s%s", len(bad), len(s.Servers), s.Name, c.Zone.Origin, strings.Join(bad, "; "), note)
		g.Plan = []string{fmt.Sprintf("make every %s nameserver serve the zone (push it, or fix the secondary)", s.Name), "run the step again"}
		return g
	}
	g.Detail = fmt.Sprintf("all %d %s nameservers answer authoritatively (%s)", len(asked), s.Name, strings.Join(asked, " "))
	if note != "" {
		g.Detail = fmt.Sprintf("the %d of %d %s nameservers asked answer authoritatively (%s)%s", len(asked), len(s.Servers), s.Name, strings.Join(asked, " "), note)
	}
	return c.judgeCopy(ctx, rep, g, s, asked)
}

// gateDown: side down (the side an emergency step moves the delegation
// away from; old-down for flip --emergency, new-down for rollback
// --emergency) is down, wholly or partly, its servers that still answer
// serving git's answers (as the side moved to does), and the resolvers
// see it so. Every nameserver of down is asked the apex SOA (the step's
// answer, apexSOASeen; apexSOAAnswer.authoritative):
//
//   - every one fails: down, unless a configured resolver still answers
//     for a fresh name under the zone from a server that is not the up
//     side's (resolversSeeDown: this machine's queries may be filtered
//     while the world still reaches the side);
//   - some fail, and every one that still answers serves the zone as git
//     has it (gateMatchesGit over those servers, the one comparison the
//     emergency makes of the side it moves to): partly down; the
//     resolvers' answers must come from those servers or the up side;
//   - some fail and one that answers serves other data: refused, naming
//     what differs (resolvers asking it would see the move change their
//     answers: push git to the side, or bring its servers back and use the
//     planned step);
//   - every one answers: no emergency (the planned step; a side that
//     answers with stale data while its API is down stays refused: only
//     its operator can call that an outage, apiDownPlan).
//
// One this machine does not ask (no route to it, or IPv6 left out on
// purpose) is not seen down: a resolver elsewhere may still get answers
// from it, and an emergency step skips parity. Then the gate is unmet:
// refused when a server of down still answers, else it could not run.
func gateDown(ctx context.Context, c *Config, down *Side) Gate {
	return judgeDown(ctx, c, down).gate
}

// downJudgement is gateDown's verdict and what it read: the servers of
// the side that answer authoritatively (up), those that fail (failing,
// each "ADDR why"), and those not asked from here.
type downJudgement struct {
	gate                    Gate
	up, failing, notAsked   []string
	partly, survivorsDiffer bool
}

func judgeDown(ctx context.Context, c *Config, down *Side) downJudgement {
	name, other := GateOldDown, &c.New
	if down == &c.New {
		name, other = GateNewDown, &c.Old
	}
	step := c.emergencyStep(down)
	g := Gate{Name: name}
	asked, notAsked := notFromHere(ctx, c, down.Servers)
	// Every server at once (apexSOAOf): each that is down costs the
	// timeout.
	var up, failing, upSOAs []string
	for i, a := range c.soaSeen.apexSOAOf(ctx, c, asked) {
		srv := asked[i]
		if why, soa := a.authoritative(c.Zone.Origin); why == "" {
			up = append(up, srv)
			if !slices.Contains(upSOAs, soa) {
				upSOAs = append(upSOAs, soa)
			}
		} else {
			failing = append(failing, srv+" "+why)
		}
	}
	j := downJudgement{up: up, failing: failing, notAsked: notAsked}
	note := ""
	if len(notAsked) > 0 {
		note = fmt.Sprintf("; not asked from here, so not seen down: %s", strings.Join(notAsked, "; "))
	}
	switch {
	case len(up) > 0 && (len(failing) == 0 || len(notAsked) > 0):
		g.Detail = fmt.Sprintf("%d of %d %s nameservers still answer authoritatively (%s): this is no emergency; use the planned %s (without --emergency)%s", len(up), len(down.Servers), down.Name, strings.Join(up, " "), step, note)
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s` without --emergency", shell.Quote(step))}
		if len(failing) > 0 {
			// Partly down, but a server not asked from here may serve
			// anything: neither seen down nor compared with git.
			g.Detail = fmt.Sprintf("%d of %d %s nameservers fail (%s) and %d still answer authoritatively (%s)%s: a server not asked is neither seen down nor compared with git, so the side is not seen partly down", len(failing), len(down.Servers), down.Name, strings.Join(failing, "; "), len(up), strings.Join(up, " "), note)
			g.Plan = []string{fmt.Sprintf("run `dnsparity %s --zone %s --emergency` from a machine that can reach every %s nameserver (IPv6 too, with policy.delegation.ipv6 true)", shell.Quote(step), shell.Quote(c.Zone.Origin), down.Name)}
		}
		j.gate = g
		return j
	case len(notAsked) > 0:
		g.Err = true
		g.Detail = fmt.Sprintf("could not run: %d of %d %s nameservers cannot be asked from this machine%s; an emergency %s skips parity, so every %s server must be seen down (down: %s)", len(notAsked), len(down.Servers), down.Name, note, step, down.Name, dash(strings.Join(failing, "; ")))
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s --emergency` from a machine that can reach every %s nameserver (IPv6 too, with policy.delegation.ipv6 true)", shell.Quote(step), down.Name)}
		j.gate = g
		return j
	case len(down.Servers) == 0:
		g.Err = true
		g.Detail = fmt.Sprintf("providers.%s lists no nameservers to check", down.Name)
		j.gate = g
		return j
	}
	// Every server asked; at least one fails.
	var survivorSOAs []string
	if len(up) > 0 {
		j.partly = true
		m, _ := gateMatchesGit(ctx, c, down, up)
		if !m.OK {
			j.survivorsDiffer = true
			g.Err = m.Err
			g.Detail = fmt.Sprintf("%d of %d %s nameservers fail (%s), but %d still answer authoritatively (%s) and do not serve the zone as git has it: %s; resolvers asking them would see their answers change at the move",
				len(failing), len(down.Servers), down.Name, strings.Join(failing, "; "), len(up), strings.Join(up, " "), m.Detail)
			g.Plan = []string{
				fmt.Sprintf("push git to the %s provider (`dnsparity push --provider %s --zone %s`), then run `dnsparity %s --zone %s --emergency` again", down.Name, shell.Quote(down.Name), shell.Quote(c.Zone.Origin), shell.Quote(step), shell.Quote(c.Zone.Origin)),
				fmt.Sprintf("or bring every %s nameserver back and run the planned `dnsparity %s --zone %s`", down.Name, shell.Quote(step), shell.Quote(c.Zone.Origin)),
			}
			j.gate = g
			return j
		}
		survivorSOAs = upSOAs // what they served when asked above
	}
	// The side moved to: the old side's servers are those its gates ask
	// (oldServers), as for a rollback's.
	moveTo := other.Servers
	if other == &c.Old {
		moveTo = c.oldServers(ctx).servers
	}
	ans := askResolversFresh(ctx, c)
	seen, warn := resolversSeeDown(ans, down.Name, survivorSOAs, soasServed(ctx, c, moveTo), len(c.Resolvers))
	if len(seen) > 0 {
		g.Detail = fmt.Sprintf("the %s nameservers fail from here (%s), but resolvers still get answers from the %s side: %s; this machine's queries may be filtered while the world reaches it", down.Name, strings.Join(failing, "; "), down.Name, strings.Join(seen, "; "))
		// A resolver may also answer a fresh name from what it holds
		// while the side is down for everyone: synthesised from NSEC
		// records (RFC 8198) or a cached wildcard. The SOA TTL it showed
		// is only what is left of that one entry (RFC 2308 §5); another
		// fresh name falls into another NSEC gap, cached at another
		// time, and NSEC records carry the SOA minimum (RFC 4034 §4):
		// the retry waits the longest any of those may be held.
		hold := cacheHoldBound(c, ans)
		again := c.Now().Add(time.Duration(hold+1) * time.Second).UTC()
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s --zone %s` (planned, without --emergency) from a machine that reaches every %s nameserver", shell.Quote(step), shell.Quote(c.Zone.Origin), down.Name),
			fmt.Sprintf("if the %s side is down for everyone (the resolvers answered from what they hold: NSEC records, RFC 8198, or a cached wildcard, for up to %d s: the largest of the SOA TTLs they answered with, git's largest TTL and its SOA minimum), run `dnsparity %s --zone %s --emergency` again not before %s (a resolver serving stale answers, RFC 8767, may answer later still)",
				down.Name, hold, shell.Quote(step), shell.Quote(c.Zone.Origin), deadline.Format(again))}
		g.next = append(g.next, Next{Step: step + " --emergency", Earliest: again,
			Detail: fmt.Sprintf("if the %s side is down for everyone: until then resolvers may answer from what they hold (later still if they serve stale answers, RFC 8767)", down.Name)})
		j.gate = g
		return j
	}
	if warn != "" {
		g.warnings = append(g.warnings, name+": "+warn)
	}
	g.OK = true
	if j.partly {
		g.Detail = fmt.Sprintf("the %s side is partly down: %d of %d nameservers fail (%s); the %d that answer (%s) serve the zone as git has it", down.Name, len(failing), len(down.Servers), strings.Join(failing, "; "), len(up), strings.Join(up, " "))
	} else {
		g.Detail = fmt.Sprintf("every %s nameserver is down: %s", down.Name, strings.Join(failing, "; "))
	}
	if warn != "" {
		g.Detail += "; " + warn
	}
	j.gate = g
	return j
}
