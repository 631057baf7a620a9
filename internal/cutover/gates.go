package cutover

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// summarize counts rep's findings and keeps the first five of severities
// sev as examples, the zone file's positions in them ("old deviates from
// git (FILE:LINE)") relative to root, as `dnsparity parity` and the other
// gates name them.
func summarize(rep *parity.Report, root string, sev ...string) *ParitySummary {
	s := &ParitySummary{Errors: rep.Count(parity.SevError), Warnings: rep.Count(parity.SevWarning),
		Info: rep.Count(parity.SevInfo), Queries: rep.Queries, Seconds: rep.Seconds}
	rel := func(d string) string { return d }
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			rel = strings.NewReplacer(abs+string(filepath.Separator), "").Replace
		}
	}
	for _, f := range rep.Findings {
		for _, want := range sev {
			if f.Severity == want && len(s.Examples) < 5 {
				s.Examples = append(s.Examples, fmt.Sprintf("%s %s %s: %s", f.Name, f.Type, f.Kind, rel(f.Detail)))
			}
		}
	}
	return s
}

// paritySummary is the parity gates' detail: the findings by severity and
// the queries.
func paritySummary(sum *ParitySummary) string {
	return fmt.Sprintf("%s, %s, %d info findings in %s", plural.N(sum.Errors, "error", "errors"), plural.N(sum.Warnings, "warning", "warnings"), sum.Info, plural.N(sum.Queries, "query", "queries"))
}

// gateParity proves parity between two sets of servers: no error finding.
// A side that does not answer is a refusal, not an error: nothing can be
// proven against it. With ttlAbove over 0 the summary also holds the
// RRsets the servers served above it (parity.Options.TTLAbove: read from
// the answers parity compares, nothing asked twice).
func gateParity(ctx context.Context, c *Config, name string, old, new []string, ttlAbove uint32) (Gate, *ParitySummary) {
	fmt.Fprintf(c.Log, "%s: gate %s: asking old (%s) and new (%s) every question...\n", c.Zone.Origin, name, strings.Join(old, " "), strings.Join(new, " "))
	o := c.Parity
	o.TTLAbove = ttlAbove
	o.Progress = c.Progress // a large zone's answers take seconds
	rep, err := parity.Run(ctx, c.Zone, parity.Targets(old), parity.Targets(new), o)
	if err != nil {
		if ctx.Err() != nil {
			return Gate{Name: name, Detail: "could not run: " + err.Error(), Err: true}, nil
		}
		var na *parity.NotAskedError
		if errors.As(err, &na) {
			// Not a server that is down: this machine cannot ask it.
			return Gate{Name: name, Detail: "parity cannot be proven: " + err.Error(), unproven: true,
				Plan: []string{na.Hint, "run the step again"}}, nil
		}
		return Gate{Name: name, Detail: "parity cannot be proven: " + err.Error(), unproven: true,
			Plan: []string{"bring every server of both providers back (each must answer the zone's SOA)", "run the step again"}}, nil
	}
	sum := summarize(rep, c.Root, parity.SevError)
	sum.above = rep.TTLsAbove
	fmt.Fprintf(c.Log, "%s: parity: %s in %.1f s, %s\n", c.Zone.Origin, plural.N(rep.Queries, "query", "queries"), rep.Seconds, plural.N(sum.Errors, "error", "errors"))
	g := Gate{Name: name, OK: rep.OK()}
	g.Detail = paritySummary(sum)
	if !g.OK {
		g.Detail += "; e.g. " + strings.Join(sum.Examples, "; ")
		g.Plan = []string{"run `dnsparity parity` for every finding", "push the zone from git to the side that deviates (`dnsparity push`)", "run the step again"}
	}
	return g, sum
}

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
				down.Name, step, c.Zone.Origin, down.Name, j.gate.Name, j.gate.Detail, strings.Join(j.gate.Plan, "; ")))
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
			down.Name, len(j.failing), len(down.Servers), strings.Join(j.failing, "; "), up.Name, step, c.Zone.Origin))
		return g
	}
	g.Plan = append(g.Plan, fmt.Sprintf("if the %s provider is down and the %s one serves git: `dnsparity %s --emergency`", g.Offer.Down, g.Offer.Up, g.Offer.Step))
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
		fmt.Sprintf("the %s provider cannot be listed (%v) and every %s server answers, serving other data than the %s side: no push can bring them to git until its API is back, and `dnsparity %s --emergency` is refused while they answer (a side whose servers answer is not down, stale or not)", left.Name, err, left.Name, to.Name, step),
		fmt.Sprintf("`dnsparity parity --zone %s` names every difference", z),
		fmt.Sprintf("when the %s provider's API is back: `dnsparity push --provider %s --zone %s`, then `dnsparity %s --zone %s`", left.Name, left.Name, z, step, z),
		fmt.Sprintf("to move anyway, as your own decision (resolvers get what the %s servers serve now, and their answers change at the move): change the delegation at the registrar by hand to the one the %s sets, then `dnsparity %s --zone %s` records it", left.Name, step, step, z),
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
// not "", is added to its detail), answers with authority on them, and
// holds
// nothing git lacks, which would effect at the step (complete: the
// matches-git gate asks git's questions only, so up is listed whole, as
// the planned flip's drift gate does). The summary is the matches-git
// gate's parity.
func emergencyGates(ctx context.Context, c *Config, down, up *Side, servers []string, note, effect string) ([]Gate, *ParitySummary) {
	auth, complete := GateNewAuthoritative, GateNewComplete
	if up == &c.Old {
		auth, complete = GateOldAuthoritative, GateOldComplete
	}
	gates := []Gate{gateDown(ctx, c, down)}
	g, sum := gateMatchesGit(ctx, c, up, servers)
	if note != "" {
		g.Detail += "; " + note
	}
	// The servers the step sends resolvers to (a rollback's: the
	// recorded delegation's too), as matches-git asks them.
	asked := *up
	asked.Servers = servers
	gates = append(gates, g, gateAuthoritative(ctx, c, auth, &asked))
	held, unread, _, err := list(ctx, c, up)
	return append(gates, gateComplete(c, complete, up, held, unread, err, effect, &g)), sum
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
		g := Gate{Name: name, Detail: fmt.Sprintf("the %s side cannot be checked: %s", s.Name, err)}
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
	g := Gate{Name: name, OK: bad == 0}
	g.Detail = fmt.Sprintf("%s where the %s side does not serve exactly what git says (%d queries)", plural.N(bad, "finding", "findings"), s.Name, rep.Queries)
	if bad > 0 {
		g.Detail += "; e.g. " + strings.Join(sum.Examples, "; ")
		g.Plan = []string{fmt.Sprintf("push the zone from git to the %s provider (`dnsparity push --provider %s`)", s.Name, s.Name), fmt.Sprintf("run `dnsparity %s --emergency` again", c.emergencyStep(other))}
	}
	return g, sum
}

// authoritative asks each server the apex SOA without recursion: an
// answer with AA from the zone's own SOA, or why not ("" when it is).
func authoritative(ctx context.Context, c *Config, server string) string {
	why, _ := authoritativeSOA(ctx, c, server)
	return why
}

// authoritativeSOA is authoritative's judgement and, when it answers so,
// the SOA the server served ("mname serial", soaOf).
func authoritativeSOA(ctx context.Context, c *Config, server string) (why, soa string) {
	r, err := ask(ctx, server, c.Zone.Origin, dns.TypeSOA, false, c.Timeout)
	if err != nil {
		return "no answer: " + err.Error(), ""
	}
	if r.Rcode != dns.RcodeSuccess {
		return "answers " + dns.RcodeToString[r.Rcode], ""
	}
	if !r.Authoritative {
		return "answers without the AA bit (lame)", ""
	}
	if soa := soaOf(r.Answer, c.Zone.Origin); soa != "" {
		return "", soa
	}
	return "answers without the zone's SOA (lame)", ""
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

// gateAuthoritative: every server of s that this machine can ask answers
// the apex SOA with AA. A server it does not ask (notFromHere) is named
// as not asked from here and refuses nothing, as in the delegation gate;
// with none left to ask the gate could not run.
func gateAuthoritative(ctx context.Context, c *Config, name string, s *Side) Gate {
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
	for _, srv := range asked {
		if why := authoritative(ctx, c, srv); why != "" {
			bad = append(bad, srv+" "+why)
		}
	}
	if len(bad) > 0 {
		g.OK = false
		g.Detail = fmt.Sprintf("%d of %d %s nameservers are not authoritative for %s: %s%s", len(bad), len(s.Servers), s.Name, c.Zone.Origin, strings.Join(bad, "; "), note)
		g.Plan = []string{fmt.Sprintf("make every %s nameserver serve the zone (push it, or fix the secondary)", s.Name), "run the step again"}
		return g
	}
	g.Detail = fmt.Sprintf("all %d %s nameservers answer authoritatively (%s)", len(asked), s.Name, strings.Join(asked, " "))
	if note != "" {
		g.Detail = fmt.Sprintf("the %d of %d %s nameservers asked answer authoritatively (%s)%s", len(asked), len(s.Servers), s.Name, strings.Join(asked, " "), note)
	}
	return g
}

// gateDown: side down (the side an emergency step moves the delegation
// away from; old-down for flip --emergency, new-down for rollback
// --emergency) is down, wholly or partly, its servers that still answer
// serving git's answers (as the side moved to does), and the resolvers
// see it so. Every nameserver of down is asked the apex SOA (authoritative):
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
	// Every server at once: each that is down costs the timeout.
	type judged struct{ why, soa string }
	whys := fanout.All(len(asked), func(i int) judged {
		why, soa := authoritativeSOA(ctx, c, asked[i])
		return judged{why, soa}
	})
	var up, failing, upSOAs []string
	for i, srv := range asked {
		if whys[i].why == "" {
			up = append(up, srv)
			if !slices.Contains(upSOAs, whys[i].soa) {
				upSOAs = append(upSOAs, whys[i].soa)
			}
		} else {
			failing = append(failing, srv+" "+whys[i].why)
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
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s` without --emergency", step)}
		if len(failing) > 0 {
			// Partly down, but a server not asked from here may serve
			// anything: neither seen down nor compared with git.
			g.Detail = fmt.Sprintf("%d of %d %s nameservers fail (%s) and %d still answer authoritatively (%s)%s: a server not asked is neither seen down nor compared with git, so the side is not seen partly down", len(failing), len(down.Servers), down.Name, strings.Join(failing, "; "), len(up), strings.Join(up, " "), note)
			g.Plan = []string{fmt.Sprintf("run `dnsparity %s --zone %s --emergency` from a machine that can reach every %s nameserver (IPv6 too, with policy.delegation.ipv6 true)", step, c.Zone.Origin, down.Name)}
		}
		j.gate = g
		return j
	case len(notAsked) > 0:
		g.Err = true
		g.Detail = fmt.Sprintf("could not run: %d of %d %s nameservers cannot be asked from this machine%s; an emergency %s skips parity, so every %s server must be seen down (down: %s)", len(notAsked), len(down.Servers), down.Name, note, step, down.Name, dash(strings.Join(failing, "; ")))
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s --emergency` from a machine that can reach every %s nameserver (IPv6 too, with policy.delegation.ipv6 true)", step, down.Name)}
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
				fmt.Sprintf("push git to the %s provider (`dnsparity push --provider %s --zone %s`), then run `dnsparity %s --zone %s --emergency` again", down.Name, down.Name, c.Zone.Origin, step, c.Zone.Origin),
				fmt.Sprintf("or bring every %s nameserver back and run the planned `dnsparity %s --zone %s`", down.Name, step, c.Zone.Origin),
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
	seen, warn := resolversSeeDown(askResolversFresh(ctx, c), down.Name, survivorSOAs, soasServed(ctx, c, moveTo), len(c.Resolvers))
	if len(seen) > 0 {
		g.Detail = fmt.Sprintf("the %s nameservers fail from here (%s), but resolvers still get answers from the %s side: %s; this machine's queries may be filtered while the world reaches it", down.Name, strings.Join(failing, "; "), down.Name, strings.Join(seen, "; "))
		g.Plan = []string{fmt.Sprintf("run `dnsparity %s --zone %s` (planned, without --emergency) from a machine that reaches every %s nameserver", step, c.Zone.Origin, down.Name),
			// A resolver may also answer a fresh name from its cache
			// while the side is down for everyone: synthesized from
			// cached NSEC records (RFC 8198) or a cached wildcard, for
			// up to the zone's negative-caching TTL.
			fmt.Sprintf("if the %s side is down for everyone (the resolvers answered from their caches: NSEC records they hold, RFC 8198, for up to the zone's negative-caching TTL, the SOA minimum), run `dnsparity %s --zone %s --emergency` again once that TTL has passed", down.Name, step, c.Zone.Origin)}
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

// listing is what both providers hold, listed once per step (TTLs and
// drift read it), while parity runs.
type listing struct {
	old, new       *zone.Zone
	oldErr, newErr error
	// oldUnread and newUnread are the records each provider lists that
	// dnsparity cannot read, serves as its own kind where git has
	// nothing (servedBeyond), or holds as zones below (list).
	oldUnread, newUnread []provider.Feature
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
		s      *Side
		z      **zone.Zone
		unread *[]provider.Feature
		blocks *[]provider.Feature
		err    *error
	}{{&c.Old, &l.old, &l.oldUnread, new([]provider.Feature), &l.oldErr}, {&c.New, &l.new, &l.newUnread, &l.newBlocks, &l.newErr}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			*side.z, *side.unread, *side.blocks, *side.err = list(ctx, c, side.s)
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
// a Route 53 alias), which a plan shows as a replace.
func list(ctx context.Context, c *Config, s *Side) (z *zone.Zone, unread, blocks []provider.Feature, err error) {
	if s.Provider == nil {
		return nil, nil, nil, fmt.Errorf("providers.%s cannot be listed", s.Name)
	}
	r, ok := s.Provider.(provider.Reader)
	if !ok {
		z, err := s.Provider.Records(ctx, c.Zone.Origin)
		return z, nil, nil, err
	}
	z, fs, err := r.Read(ctx, c.Zone.Origin)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, f := range fs {
		if f.Feature == provider.Unrepresentable || servedBeyond(c.Zone, f) {
			unread = append(unread, f)
		}
		if f.Blocks || f.Replaceable {
			blocks = append(blocks, f)
		}
	}
	nested, err := nestedZones(ctx, c, s)
	if err != nil {
		return nil, nil, nil, err
	}
	return z, append(unread, nested...), blocks, nil
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
	if !f.Omitted || f.Unserved || f.Feature == provider.Unrepresentable || f.Feature == provider.NestedZone {
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

// observeTTLs takes the longest each provider's data may be cached: the
// largest TTL it lists, the apex SOA and NS TTLs its servers serve
// (sideMaxTTL), and the largest TTL any of its servers served above the
// cap in answer to parity's questions (sum: the parity run of the step;
// every RRset of the zone, on every server). Without those answers (parity
// did not complete) the served TTLs are unknown, and said so.
func observeTTLs(ctx context.Context, c *Config, l *listing, sum *ParitySummary) TTLs {
	var t TTLs
	above := sum.servedAbove()
	if above == nil {
		t.ServedUnknown = "parity did not complete: the TTLs its answers carry are not known"
	}
	if l.oldErr != nil {
		t.OldErr = l.oldErr.Error()
	} else {
		t.OldMax, t.OldApex = sideMaxTTL(l.old, apexServed(ctx, c, &c.Old), c.Old.Provider.Capabilities())
		t.OldMax, t.OldServed = withServed(t.OldMax, above, "old")
	}
	if l.newErr != nil {
		t.NewErr = l.newErr.Error()
	} else {
		t.NewMax, t.NewApex = sideMaxTTL(l.new, apexServed(ctx, c, &c.New), c.New.Provider.Capabilities())
		t.NewMax, t.NewServed = withServed(t.NewMax, above, "new")
	}
	return t
}

// withServed is m raised to the longest TTL side's servers served above
// the cap, and which RRset at which server that was ("" when none).
func withServed(m uint32, above *parity.TTLsAbove, side string) (uint32, string) {
	if above == nil {
		return m, ""
	}
	v, ok := above.Max[side]
	if !ok {
		return m, ""
	}
	for _, w := range above.Worst {
		if w.Side == side && w.TTL == v {
			return max(m, v), servedText(w)
		}
	}
	return max(m, v), fmt.Sprintf("%d s served", v)
}

func servedText(w parity.ServedTTL) string {
	return fmt.Sprintf("%s %s %d s at %s", w.Name, dns.Type(w.Type), w.TTL, w.Server)
}

// ZoneMaxTTL is the largest TTL a resolver may cache from z's data: every
// RRset's TTL (the SOA's negative-caching TTL, the minimum of its TTL and
// MINIMUM, is never larger). DNSSEC records a signing provider makes itself
// (DNSKEY, RRSIG, NSEC...) are left out: the dnssec gate weighs their TTLs.
func ZoneMaxTTL(z *zone.Zone) uint32 {
	var m uint32
	for _, s := range z.Sets {
		if provider.GeneratedTypes[s.Type] {
			continue
		}
		m = max(m, s.TTL)
	}
	return m
}

// gateTTLPrestaged: the longest each provider's data may be cached (t,
// observeTTLs) is at most the cap. The RRsets served above it (sum, the
// step's parity run: name, type, TTL and server, worst first) are its
// checks, named in its detail; with the served TTLs unknown it is unmet.
func gateTTLPrestaged(t TTLs, cap uint32, l *listing, sum *ParitySummary) Gate {
	g := Gate{Name: GateTTLPrestaged}
	if t.OldErr != "" || t.NewErr != "" {
		g.Err = true
		g.Detail = "cannot list the providers' TTLs: " + strings.TrimSpace(t.OldErr+" "+t.NewErr)
		return g
	}
	g.OK = t.Max() <= cap && t.ServedUnknown == ""
	g.Detail = fmt.Sprintf("largest TTL: old %d s, new %d s; policy.prestage_ttl %d s", t.OldMax, t.NewMax, cap)
	if t.OldApex != "" || t.NewApex != "" {
		g.Detail += fmt.Sprintf(" (old: %s; new: %s)", dash(t.OldApex), dash(t.NewApex))
	}
	above := sum.servedAbove()
	switch {
	case t.ServedUnknown != "":
		g.Detail += "; the TTLs the servers serve beyond the apex are not checked: " + t.ServedUnknown
	case above != nil && len(above.Worst) > 0:
		g.Detail += "; " + servedDetail(above)
		g.Checks = servedChecks(above, cap)
	}
	if t.Max() > cap {
		var over []string
		apex := false
		for _, side := range []struct {
			name string
			z    *zone.Zone
		}{{"old", l.old}, {"new", l.new}} {
			names, atApex := overCap(side.z, cap)
			apex = apex || atApex
			if len(names) > 0 {
				over = append(over, side.name+": "+strings.Join(names, ", "))
			}
		}
		if len(over) > 0 {
			g.Detail += "; over the cap: " + strings.Join(over, "; ")
		}
		if len(over) > 0 || len(g.Checks) == 0 {
			g.Plan = []string{fmt.Sprintf("cap the TTLs in git: `dnsparity ttl --cap %d ZONEFILE`, commit, push to both providers", cap)}
		}
		if apex {
			g.Plan = append(g.Plan, "the apex SOA and NS: push sets their TTLs (and the SOA minimum) from git where the provider's API allows it; where it does not, `dnsparity plan` warns and says what to set by hand at that provider")
		}
		if len(g.Checks) > 0 {
			g.Plan = append(g.Plan, fmt.Sprintf("the RRsets served above the cap (the gate's checks; a server may serve an RRset longer than git and the provider's listing say: a provider's minimum TTL or TTL override, a server the push did not reach, a record outside the provider's API): serve them at or under %d s (the provider's TTL setting, that server's zone), or, where a provider's minimum is higher, make policy.prestage_ttl that minimum", cap))
		}
		g.Plan = append(g.Plan, "run `dnsparity status` after the push: it records when the TTLs went down", "wait until the previous maximum TTL has passed")
	}
	if t.ServedUnknown != "" {
		g.Plan = append(g.Plan, "make parity complete (gate parity: every server of both sides must answer), then run the step again")
	}
	return g
}

// servedDetail names the RRsets served above the cap: how many, and the
// worst three with their server.
func servedDetail(a *parity.TTLsAbove) string {
	var ws []string
	for i, w := range a.Worst {
		if i == 3 {
			break
		}
		ws = append(ws, fmt.Sprintf("%s (%s)", servedText(w), w.Side))
	}
	s := fmt.Sprintf("served above the cap: %s (%s): %s", plural.N(a.RRsets, "RRset", "RRsets"), plural.N(a.Served, "server answer", "server answers"), strings.Join(ws, ", "))
	if n := max(a.Served, len(a.Worst)) - len(ws); n > 0 {
		s += fmt.Sprintf(", and %d more", n)
	}
	return s
}

// servedChecks are the gate's checks: each RRset served above the cap,
// by server, worst first (at most parity.MaxTTLsAbove).
func servedChecks(a *parity.TTLsAbove, cap uint32) []delegation.Check {
	var out []delegation.Check
	for _, w := range a.Worst {
		out = append(out, delegation.Check{Name: CheckServedTTL, Server: w.Server, Severity: "error",
			Detail: fmt.Sprintf("the %s side serves %s %s with TTL %d s, above policy.prestage_ttl %d s", w.Side, w.Name, dns.Type(w.Type), w.TTL, cap),
			Asked:  fmt.Sprintf("%s %s", w.Name, dns.Type(w.Type)), Expected: fmt.Sprintf("TTL at most %d s", cap), Got: fmt.Sprintf("TTL %d s", w.TTL),
			Fix: fmt.Sprintf("serve it at or under %d s from %s (the provider's TTL setting or minimum, or that server's zone)", cap, w.Server)})
	}
	return out
}

// overCap names the RRsets of z above the cap (the first 3 and how many
// more) and whether the apex SOA or NS is among them.
func overCap(z *zone.Zone, cap uint32) ([]string, bool) {
	if z == nil {
		return nil, false
	}
	var out []string
	apex, n := false, 0
	for _, s := range z.Sets {
		if provider.GeneratedTypes[s.Type] || s.TTL <= cap {
			continue
		}
		if s.Name == z.Origin && (s.Type == dns.TypeSOA || s.Type == dns.TypeNS) {
			apex = true
		}
		if n++; n <= 3 {
			out = append(out, fmt.Sprintf("%s %s %d s", s.Name, dns.Type(s.Type), s.TTL))
		}
	}
	if n > 3 {
		out = append(out, fmt.Sprintf("and %d more", n-3))
	}
	return out, apex
}

// gateTTLExpired: the previous maximum TTL has passed since the TTLs were
// seen at or under the cap. It returns the earliest time it passes.
func gateTTLExpired(tr *Trail, t TTLs, cap uint32, now time.Time) (Gate, time.Time) {
	g := Gate{Name: GateTTLExpired}
	if t.OldErr != "" || t.NewErr != "" {
		g.Err = true
		g.Detail = "cannot list the providers' TTLs"
		return g, time.Time{}
	}
	if t.ServedUnknown != "" {
		g.Detail = "the TTLs the servers serve are not known (" + t.ServedUnknown + "): not seen at or under the cap"
		return g, time.Time{}
	}
	since, prev, known, ok := tr.Lowered(t, cap, now)
	if !ok {
		g.Detail = "TTLs are not pre-staged yet"
		return g, time.Time{}
	}
	at := since.Add(time.Duration(prev) * time.Second)
	how := fmt.Sprintf("previous maximum TTL %d s (recorded in the audit trail: observed, or pushed, on a side while the parent delegated to it)", prev)
	if !known {
		how = fmt.Sprintf("previous maximum TTL unknown (the trail never saw TTLs above the cap on a side while the parent delegated to it), assumed %d s", prev)
	}
	g.OK = !now.Before(at)
	g.Detail = fmt.Sprintf("TTLs at or under %d s since %s; %s; old TTLs certainly expired from caches at %s", cap, since.UTC().Format(time.RFC3339), how, deadline.Format(at))
	if !g.OK {
		g.Detail += fmt.Sprintf(" (in %s)", at.Sub(now).Round(time.Second))
		g.Plan = []string{"wait until " + deadline.Format(at), "run the step again"}
	}
	return g, at
}

// fiveNames shows the first five of names, then how many more there are.
func fiveNames(names []string) string {
	return examples(names, 5, func(x string) string { return x })
}

// examples shows the first n of xs, then how many more there are.
func examples[T any](xs []T, n int, show func(T) string) string {
	var out []string
	for i, x := range xs {
		if i == n {
			out = append(out, fmt.Sprintf("and %d more", len(xs)-n))
			break
		}
		out = append(out, show(x))
	}
	return strings.Join(out, "; ")
}

// gateDrift: the new provider holds what git says.
func gateDrift(c *Config, l *listing) Gate {
	g := Gate{Name: GateDrift}
	cur, err := l.new, l.newErr
	if err != nil {
		g.Err = !errors.Is(err, provider.ErrZoneNotFound)
		g.Detail = "cannot list the new provider: " + err.Error()
		return g
	}
	p := c.pushPlan(&c.New, cur, l.newBlocks)
	if len(p.Unsupported) > 0 {
		// An RRset of git at a name (or of a type) the new provider
		// cannot hold is not there, and no push puts it there; one it
		// holds and cannot delete stays. Neither is "exactly git".
		g.Detail = fmt.Sprintf("the new provider cannot hold %d RRsets as git has them (push refuses them): %s", len(p.Unsupported), examples(p.Unsupported, 3, plan.Unsupported.String))
		g.Plan = []string{"`dnsparity plan --provider new` lists them with the reason", "change those records in git (or at the provider, as the reason says), push", "run the step again"}
		return g
	}
	if len(l.newUnread) > 0 {
		// Records the new provider lists that dnsparity cannot read, or
		// serves as its own kind where git has nothing (servedBeyond),
		// are in no listing git is compared with; git lacks them all the
		// same, and they appear at the flip.
		g.Detail = fmt.Sprintf("the new provider holds %s that git lacks and dnsparity cannot read or compare (records of its own kind that its servers answer, or zones of its own below the zone, which its servers answer for), which would appear at the flip: %s", plural.N(len(l.newUnread), "record", "records"),
			examples(l.newUnread, 3, func(f provider.Feature) string { return fmt.Sprintf("%s %s (%s)", f.Name, f.Type, f.Detail) }))
		g.Plan = []string{"recreate them at the new provider in a form a zone file holds and put that in git, or delete them there", "run the step again"}
		return g
	}
	if p.Empty() {
		g.OK = true
		g.Detail = fmt.Sprintf("the new provider holds exactly the %d RRsets of git", p.Desired)
		return g
	}
	var ex []string
	for i, ch := range p.Changes {
		if i == 3 {
			break
		}
		ex = append(ex, ch.String())
	}
	g.Detail = fmt.Sprintf("the new provider differs from git in %d RRsets (a push would do: %s)", len(p.Changes), strings.Join(ex, ", "))
	g.Plan = []string{"`dnsparity plan --provider new` to see the drift", "`dnsparity push --provider new`", "run the step again"}
	return g
}

// gateDNSSECAfter runs the dnssec gate when the gate that shows the side
// answers (pre) passed; otherwise it is not met without being asked, so a
// side that is down is a refusal, not a gate that could not run.
func gateDNSSECAfter(ctx context.Context, c *Config, tr *Trail, s, other *Side, rep *Report, pre string) Gate {
	for _, g := range rep.Gates {
		if g.Name == pre && !g.OK {
			return Gate{Name: GateDNSSEC, Detail: fmt.Sprintf("not checked: the %s side must answer first (gate %s)", s.Name, pre)}
		}
	}
	return servedDSToo(ctx, c, tr, s, other, rep, gateDNSSEC(ctx, c, tr, s, other, rep.Delegation, nil), nil, rep.Delegation.DS)
}

// servedDSToo adds to g (the dnssec gate under the view's DS set, and
// the checked ones) the verdict under every other DS set a parent server
// serves while they disagree (Report.dsServed: a DS change half-published
// during a step out of an incident): resolvers that asked that server
// hold it, so the side the step moves to must validate under it too.
// target is the DS set the step sets (nil: left alone), for the CDS check.
func servedDSToo(ctx context.Context, c *Config, tr *Trail, s, other *Side, rep *Report, g Gate, target []string, checked ...[]string) Gate {
	for _, sd := range rep.dsServed {
		if slices.ContainsFunc(checked, func(ds []string) bool { return sameDSText(ds, sd.DS) }) {
			continue
		}
		d := rep.Delegation
		d.DS, d.DSTTL = sd.DS, sd.TTL
		h := gateDNSSEC(ctx, c, tr, s, other, d, target)
		g.Detail += fmt.Sprintf("; with the DS set %s serve (%d records, key tags %s): %s", strings.Join(sd.servers, " "), len(sd.DS), dsTagsText(sd.DS), h.Detail)
		g.OK = g.OK && h.OK
		g.Err = g.Err || h.Err
		g.Plan = append(g.Plan, h.Plan...)
		g.next = append(g.next, h.next...)
		g.warnings = append(g.warnings, h.warnings...)
	}
	return g
}

// gateDNSSEC runs the dnssec gate against side s, which the delegation is
// to point to, with the DS the parent serves; other is the side it points
// to now, whose cached DNSKEY set must hold every key s signs with, and
// have held them for the DNSKEY TTL since the trail first saw it so (the
// gate's record of both sides' key sets goes to the step's entry). A DS
// removed from the parent lately that resolvers may still hold (from the
// trail) is checked as if the parent still served it. Both sides' CDS and
// CDNSKEY must not ask the parent for another DS set than the step's:
// target (the DS set a rollback restores) or, when nil, d.DS.
func gateDNSSEC(ctx context.Context, c *Config, tr *Trail, s, other *Side, d DelegationView, target []string) Gate {
	in := dnssec.Input{Zone: c.Zone.Origin, DS: d.DS, DSTTL: d.DSTTL, Servers: s.Servers, Sample: sample(c.Zone, 20), EmptyNonTerminal: emptyNonTerminal(c.Zone),
		Timeout: c.Timeout, Now: c.Now(), Side: s.Name, NSTTL: d.NSTTL, MaxTTL: ZoneMaxTTL(c.Zone), OtherNSTTL: sideNSTTL(ctx, c, other),
		Other: other.Servers, TargetDS: target, NoIPv6: c.Delegation.NoIPv6}
	if tr != nil {
		in.Held = tr.CachedDS(d.DS, in.Now)
		in.UnseenDSSince, in.UnseenDSTTL = tr.noDSSince(in.Now), AssumedPreviousTTL
		in.WaitDNSKEY, in.OtherKeys = true, tr.KeysSeen(other.Name)
	}
	res, err := c.DNSSEC(ctx, in)
	g := Gate{Name: GateDNSSEC, keys: res.Seen}
	switch {
	case err != nil:
		g.Err = true
		g.Detail = fmt.Sprintf("could not run (DS at the parent: %d): %v", len(d.DS), err)
	default:
		g.OK = res.OK
		g.Detail = res.Situation + ": " + res.Detail
		g.Plan = res.Plan
		for _, w := range res.Warnings {
			g.warnings = append(g.warnings, "dnssec: "+w)
		}
		if len(res.Steps) > 0 {
			g.Plan = nil
			for _, st := range res.Steps {
				g.Plan = append(g.Plan, st.String())
				if !res.OK && !st.Earliest.IsZero() {
					g.next = append(g.next, Next{Step: fmt.Sprintf("dnssec (%s) %d", st.Route, st.N), Earliest: st.Earliest.UTC(), Detail: st.Text})
				}
			}
		}
	}
	return g
}

// sample picks up to n owner/type pairs of the zone, spread over it.
func sample(z *zone.Zone, n int) [][2]string {
	var out [][2]string
	step := max(1, len(z.Sets)/n)
	for i := 0; i < len(z.Sets) && len(out) < n; i += step {
		s := z.Sets[i]
		if provider.GeneratedTypes[s.Type] {
			continue
		}
		out = append(out, [2]string{s.Name, dns.Type(s.Type).String()})
	}
	return out
}

// sideNSTTL is the largest apex NS TTL the servers of s served in the
// step (apexNSSeen, which the old side's observation asks anyway), for
// the dnssec plan's route (a): the new DS waits for it after the change,
// as old_delegation_expires counts it. 0 outside a step, or when no
// server answered.
func sideNSTTL(ctx context.Context, c *Config, s *Side) uint32 {
	if c.apexSeen == nil || len(s.Servers) == 0 {
		return 0
	}
	var ttl uint32
	for _, a := range c.apexSeen.apexNSOf(ctx, c, s.Servers) {
		if a.err == nil {
			ttl = max(ttl, a.ttl)
		}
	}
	return ttl
}

// emptyNonTerminal is the zone's first empty non-terminal (View.ENTs)
// that its servers answer from its own data (not below a delegation or a
// DNAME), for the dnssec gate's NODATA probe of one; "" when it has none.
func emptyNonTerminal(z *zone.Zone) string {
	v := z.View()
	for _, n := range v.ENTs() {
		if owner, _ := v.Occluder(n); owner == "" {
			return n
		}
	}
	return ""
}

// gateOverlap is finish's overlap gate: the last step was a flip at
// least policy.overlap ago, the last cached copy of the delegation it
// replaced has expired (resolvers holding that delegation still ask the
// old provider), and so has the last apex NS set the old side's servers
// served naming a server of the old side only (oldNSNamesOld, cur the
// step's own observation): resolvers that took such a set prefer it to
// the parent's referral and keep asking the old servers. One rule counts
// the old side's apex NS: a push that gave it a set naming only new
// servers sends the resolvers that take it to the new side, and holds
// nothing.
func (c *Config) gateOverlap(ctx context.Context, tr *Trail, cur *OldApexNS, now time.Time) (Gate, time.Time) {
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
	at := flipTime(e).Add(c.Overlap)
	g.Detail = fmt.Sprintf("flipped at %s; policy.overlap %s ends at %s", flipTime(e).UTC().Format(time.RFC3339), c.Overlap, deadline.Format(at))
	if exp := oldDelegationExpires(e); exp.After(at) {
		at = exp
		g.Detail += fmt.Sprintf("; the last cached copy of the old delegation expires later, at %s (the parent's NS TTL and the old side's own NS TTL after the change): until then resolvers may still ask the old provider", deadline.Format(exp))
	}
	if seen, exp := tr.oldSeenAfter(e, now); exp.After(at) {
		at = exp
		g.Detail += fmt.Sprintf("; a parent server still sent resolvers to the old side after the change (the trail's entry at %s: a server that took the change late), so the last cached copy of the old delegation expires at %s (from when the parent's servers were first seen all on the new side, or now, plus the parent's NS TTL and the old side's own NS TTL)", seen.UTC().Format(time.RFC3339), deadline.Format(exp))
	}
	names, _ := c.oldOnly(ctx)
	heldByOldNS := false
	if last, exp, ttl := tr.oldNSNamesOld(e, cur, names, now); exp.After(at) {
		at, heldByOldNS = exp, true
		g.Detail += fmt.Sprintf("; the old side's servers served an apex NS set naming old servers (%s) at %s, with a TTL of %d s: resolvers that took it prefer it to the parent's referral (RFC 2181 section 5.4.1) and fetch it again from those servers, so they keep asking the old provider until it has expired, at %s (counted from the first observation after it that saw none, else now)",
			strings.Join(slices.Sorted(maps.Keys(names)), " "), last.UTC().Format(time.RFC3339), ttl, deadline.Format(exp))
	}
	g.OK = !now.Before(at)
	if g.OK {
		return g, at
	}
	g.Detail += fmt.Sprintf(" (in %s)", at.Sub(now).Round(time.Second))
	g.Plan = []string{"keep both providers identical until " + deadline.Format(at) + " (the drift workflow)", "run `dnsparity finish` then"}
	if heldByOldNS {
		g.Plan = []string{
			"make the old provider's apex NS name the new servers only (git's apex NS, providers.old.manage_apex: true, `dnsparity push --provider old`), or delete the zone there, if not done yet",
			"run `dnsparity status` once it is (each observation that sees no old server there counts), keep both providers identical until " + deadline.Format(at) + " (the drift workflow)",
			"run `dnsparity finish` then",
		}
	}
	return g, at
}

// oldDelegationExpires is when the last cached copy of the delegation
// the step e replaced expires at the latest: its watch's figure (the
// change + the parent's NS TTL + the previous side's own apex NS TTL,
// which resolvers that took that side's NS set keep, RFC 2181 §5.4.1),
// else the change + the replaced delegation's NS TTL (or, unrecorded, the
// parent's NS TTL the step read) + the previous side's own NS TTL as the
// entry recorded it (leftNSTTL, as the trail's spans count it).
func oldDelegationExpires(e *Entry) time.Time {
	if e.Watch != nil && !e.Watch.OldDelegationExpires.IsZero() {
		return e.Watch.OldDelegationExpires
	}
	from, _ := MoveSides(e.Command)
	return flipTime(e).Add(time.Duration(movedNSTTL(e)+leftNSTTL(e, from)) * time.Second)
}

// movedNSTTL is how long a resolver may keep the parent's referral to the
// side the move e left, the one rule for that figure: the larger of the
// parent's NS TTL recorded before the change (Before) and the one the
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
// watch recorded no time of its own, and oldSeenAfter), ttl-expired
// (delegated), status's propagation (SettledAt) and a re-run that
// confirms a pending move (pendingExpires) count this figure; the watch's
// own time (OldDelegationExpires) counts Watch.NSTTL. Taking the
// recorded TTL alone, ttl-expired ended the old side's delegation after
// an unconfirmed move at the registrar's TTL from the entry that saw
// every parent server moved, while the overlap gate still counted the
// watch's, and status called the move settled before the watch did.
func movedNSTTL(e *Entry, seen ...uint32) uint32 {
	var watched uint32
	if e.Watch != nil {
		watched = e.Watch.NSTTL
	}
	if e.Before != nil && e.Before.NSTTL > 0 {
		return max(e.Before.NSTTL, watched)
	}
	ttl := max(e.ParentNSTTL, watched)
	if e.After != nil {
		ttl = max(ttl, e.After.NSTTL)
	}
	for _, s := range seen {
		ttl = max(ttl, s)
	}
	return ttl
}

// oldSeenAfter is what the trail saw of the old delegation after the
// flip e: the last entry after it whose parent servers still sent
// resolvers to the old side (delegated_to: a server that took the change
// late, an anycast node lagging), and when the last cached copy of that
// delegation expires: from the first entry after it that saw them all on
// the new side (none: now, when the step asking sees them so), plus the
// largest NS TTL the parent served meanwhile (the flip's, movedNSTTL, and
// what each entry that saw the old side read) and the old side's own NS
// TTL (leftNSTTL). Zero times: no entry after the flip saw the old side.
func (t *Trail) oldSeenAfter(e *Entry, now time.Time) (seen, expires time.Time) {
	i := t.index(e)
	if i < 0 {
		return time.Time{}, time.Time{}
	}
	var last *Entry
	nsTTL := max(e.ParentNSTTL, movedNSTTL(e))
	end, closed := now, false
	// From the flip itself: one not confirmed at every parent server
	// records the old side as still delegated to.
	for f := range t.from(i) {
		switch {
		case len(f.DelegatedTo) == 0:
		case slices.Contains(f.DelegatedTo, "old"):
			last, end, closed = f, now, false
			nsTTL = max(nsTTL, f.ParentNSTTL)
		case last != nil && !closed:
			end, closed = f.Time, true
		}
	}
	if last == nil {
		return time.Time{}, time.Time{}
	}
	return last.Time, end.Add(time.Duration(nsTTL+leftNSTTL(e, "old")) * time.Second)
}

func flipTime(e *Entry) time.Time {
	if e.ChangedAt != nil {
		return *e.ChangedAt
	}
	return e.Time
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
