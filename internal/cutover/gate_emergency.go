package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
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
// the planned flip's drift gate does). With down only partly down, its
// completeness too, where its provider can be listed (downComplete). The
// summary is the matches-git gate's parity.
func emergencyGates(ctx context.Context, c *Config, down, up *Side, servers []string, note, effect string) ([]Gate, *ParitySummary) {
	auth, complete := GateNewAuthoritative, GateNewComplete
	if up == &c.Old {
		auth, complete = GateOldAuthoritative, GateOldComplete
	}
	j := judgeDown(ctx, c, down)
	gates := []Gate{j.gate}
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
	gates = append(gates, gateComplete(c, complete, up, held, unread, err, effect, &g))
	if j.partly {
		gates = append(gates, downComplete(ctx, c, down, up, j.up))
	}
	return gates, sum
}

// emergencyListWait bounds the listing of a side an emergency leaves
// partly down (downComplete): its API is usually down too.
const emergencyListWait = time.Minute

// downComplete is the completeness of side down in an emergency step
// that leaves it only partly down, its servers answering (those of
// answering) serving git's answers: what its provider holds that git
// lacks (added at its UI, say) those servers serve too, and it would
// vanish at the step, unseen by the down gate (its comparison asks git's
// names only). Where the provider can be listed (its API, or for rfc2136
// its AXFR, answers), the planned step's gate judges it (old-complete
// for flip --emergency, as the planned flip's; new-complete for rollback
// --emergency, as the planned rollback's), refusing with its plan
// (import them into git, or delete them). Where it cannot (the usual
// emergency: its API is down too), the step is not held back: the gate
// passes, saying it was not checked, and a warning says what may be
// lost. A side wholly down serves nothing any more: not judged.
func downComplete(ctx context.Context, c *Config, down, up *Side, answering []string) Gate {
	name := GateOldComplete
	if down == &c.New {
		name = GateNewComplete
	}
	step := c.emergencyStep(down)
	// An API that is down may answer nothing at all: each try waits out
	// the HTTP client and the retries back off (httpretry.Default, six
	// tries); an emergency does not wait on it longer than this.
	lctx, cancel := context.WithTimeout(ctx, emergencyListWait)
	defer cancel()
	held, unread, _, err := list(lctx, c, down)
	if err != nil && ctx.Err() == nil {
		what := fmt.Sprintf("the %s provider cannot be listed within %s (%v), so whether it holds RRsets git lacks was not checked: any it holds (added at its UI, say), which the %s nameservers still answering (%s) serve, vanish at the %s (the %s side serves git); once its API answers, `dnsparity import --provider %s --zone %s -o %s.%s.zone` writes what it holds",
			down.Name, emergencyListWait, err, down.Name, strings.Join(answering, " "), step, up.Name, down.Name, c.Zone.Origin, strings.TrimSuffix(c.Zone.Origin, "."), down.Name)
		return Gate{Name: name, OK: true, Detail: "not checked, refusing nothing: " + what, warnings: []string{name + ": " + what}}
	}
	effect := fmt.Sprintf("vanish at the %s (the %s nameservers still answering, %s, serve them; the %s side does not)", step, down.Name, strings.Join(answering, " "), up.Name)
	return gateComplete(c, name, down, held, unread, err, effect, nil)
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
// the apex SOA with AA (the step's answer, apexSOASeen). A server it does
// not ask (notFromHere) is named as not asked from here and refuses
// nothing, as in the delegation gate; with none left to ask the gate
// could not run.
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
	for i, a := range c.soaSeen.apexSOAOf(ctx, c, asked) {
		if why, _ := a.authoritative(c.Zone.Origin); why != "" {
			bad = append(bad, asked[i]+" "+why)
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
