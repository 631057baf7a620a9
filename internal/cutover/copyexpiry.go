package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// CopyExpiry is when a side's copy of the zone stops being served: a
// secondary whose primary has not refreshed it answers SERVFAIL for every
// name once the SOA expire has passed since its last successful refresh
// (RFC 1035 §3.3.13), and says how long it has left when asked with the
// EDNS EXPIRE option (RFC 7314). Only servers whose copy counts down
// (EXPIRE other than their SOA's expire field: BIND counts from its own
// timers, the SOA's clamped to its min-refresh-time and min-retry-time)
// are listed: a primary answers its SOA expire field (RFC 7314 §4), and
// so does a secondary refreshed in the second it was asked, which
// copyExpiry therefore asks again once a second has passed
// (apexSOASeen.again) when taking it for a primary would change what the
// step concludes: a copy counting down then answers less; a server that
// does not know the option (PowerDNS) says nothing.
type CopyExpiry struct {
	Side string `json:"side"`
	// At is the earliest expiry of Servers, Server's.
	At     time.Time `json:"at"`
	Server string    `json:"server"`
	// NeededUntil is until when a step moving the delegation to Side
	// now needs it to answer (copyNeeded): resolvers that take the new
	// delegation keep asking it that long, whatever a later step does.
	NeededUntil time.Time `json:"needed_until"`
	// Servers: every server whose copy counts down, earliest first.
	Servers []ServerCopy `json:"servers"`
}

// ServerCopy is one server's copy counting down.
type ServerCopy struct {
	Server  string    `json:"server"`
	Expires time.Time `json:"expires"`
	// Expire is the EDNS EXPIRE it answered (seconds left), SOAExpire
	// its SOA's expire field.
	Expire    uint32 `json:"expire"`
	SOAExpire uint32 `json:"soa_expire"`
	// MName is the primary its SOA names (RFC 1035 §3.3.13; the source
	// of its NOTIFY and, usually, of its transfers, RFC 1996).
	MName string `json:"mname"`
}

// copyExpiry reads, from the step's apex SOA answers of servers (side
// s's), each copy counting down (CopyExpiry); nil when none does.
// needed is until when the step needs s to answer (copyNeeded). It is
// the one reading of "a primary, or a copy refreshed in the second it
// was asked" for every step: flip's and the emergency's
// new-authoritative and the planned rollback's old-parity (judgeCopy),
// the dnssec gate (judgeSignatures), status's copy_expires (servedCopy)
// and finish's new-feed (newFeedChecks). A server answering its SOA's
// expire field is asked again a second later (apexSOASeen.again, all
// such servers at once, once a step) only when it matters: when, taken
// for a copy refreshed that second (expiring at the SOA expire from
// now), it would expire before needed, or matters (nil: never) says so
// of that copy (new-feed: its SOA names an old primary; the dnssec
// gate: its signatures end before needed). It counts if its copy then
// counts down. A server whose SOA expire outlasts the need, the usual
// case (a week or more against a parent's NS TTL of a day or two), is
// taken for a primary without the second's wait: refreshed that second
// or not, it changes nothing the step concludes.
func (c *Config) copyExpiry(ctx context.Context, s *Side, servers []string, needed time.Time, matters func(ServerCopy) bool) *CopyExpiry {
	var out []ServerCopy
	var atSOA []string // EXPIRE at the SOA expire that matters: a primary, or a copy refreshed that second
	var atSOAFirst []apexSOAAnswer
	read := func(server string, a apexSOAAnswer, first bool) {
		if a.err != nil || a.msg.Rcode != dns.RcodeSuccess || !a.msg.Authoritative {
			return
		}
		left, ok := query.Expire(a.msg)
		soa := zoneSOA(a.msg.Answer, c.Zone.Origin)
		if !ok || soa == nil {
			return
		}
		sc := ServerCopy{Server: server, Expires: toSecond(a.at.Add(time.Duration(left) * time.Second)).UTC(), Expire: left, SOAExpire: soa.Expire, MName: zone.CanonicalName(soa.Ns)}
		switch {
		case left != soa.Expire:
			out = append(out, sc)
		case first && (sc.Expires.Before(needed) || matters != nil && matters(sc)):
			atSOA, atSOAFirst = append(atSOA, server), append(atSOAFirst, a)
		}
	}
	for i, a := range c.soaSeen.apexSOAOf(ctx, c, servers) {
		read(servers[i], a, true)
	}
	// Taken for primaries, a secondary refreshed in that second passed
	// new-feed while it transferred from the old provider's primary
	// (TestFinishNewFeedRefreshedThisSecondLab), and the other readers
	// a copy expiring before their need (TestCopyReadInRefreshSecondLab).
	if first := atSOA; len(first) > 0 {
		for i, a := range c.soaSeen.again(ctx, c, first, atSOAFirst) {
			read(first[i], a, false)
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b ServerCopy) int { return a.Expires.Compare(b.Expires) })
	return &CopyExpiry{Side: s.Name, At: out[0].Expires, Server: out[0].Server, NeededUntil: needed.UTC(), Servers: out}
}

// copyNeeded is until when a step that moves the delegation to side s
// now needs s's servers to answer, and how that is counted: now + the
// parent's NS TTL or glue TTL, the larger (a resolver that takes the new
// referral right after the change keeps it that long: the parent's NS
// TTL as its servers serve it, the same record the registrar changes),
// + s's own apex NS TTL (such a resolver then takes s's NS set, RFC 2181
// §5.4.1, and keeps it). No step can move such a resolver away sooner: a
// copy expiring before then answers it SERVFAIL for every name, and
// neither the primary coming back late nor a rollback reaches it in
// time. A TTL that cannot be read counts AssumedPreviousTTL.
func (c *Config) copyNeeded(ctx context.Context, rep *Report, s *Side) (time.Time, string) {
	parent, how := max(rep.Delegation.NSTTL, rep.Delegation.GlueTTL), "the parent's NS TTL"
	if parent == 0 {
		parent, how = AssumedPreviousTTL, "the parent's NS TTL (not read: assumed)"
	}
	own, ok := servedNSTTL(c.apexSeen.apexNSOf(ctx, c, s.Servers))
	ownHow := fmt.Sprintf("the %s side's own NS TTL", s.Name)
	if !ok {
		own, ownHow = AssumedPreviousTTL, ownHow+" (not read: assumed)"
	}
	return c.now().Add(time.Duration(parent+own) * time.Second), fmt.Sprintf("now + %s %d s + %s %d s", how, parent, ownHow, own)
}

// judgeCopy is gate g (an authoritative gate of side s, met; a planned
// rollback's old-parity, which has none) with s's
// copies counting down judged: one that expires before the step's need
// (copyNeeded) makes it unmet, a false refusal rather than a step that
// strands resolvers on a server about to answer SERVFAIL for every name;
// one that expires later is named in the detail and a warning. rep's
// CopyExpires records what was read.
func (c *Config) judgeCopy(ctx context.Context, rep *Report, g Gate, s *Side, servers []string) Gate {
	needed, how := c.copyNeeded(ctx, rep, s)
	ce := c.copyExpiry(ctx, s, servers, needed, nil)
	if ce == nil {
		return g
	}
	rep.CopyExpires = ce
	short, later := ce.split()
	if len(short) > 0 {
		g.OK = false
		g.Detail = fmt.Sprintf("%d of %d %s nameservers serve a copy that expires (answering SERVFAIL for every name, RFC 1035 §3.3.13) before %s (%s), until when resolvers that take the delegation now may keep asking them: %s", len(short), len(servers), s.Name, deadline.Format(needed), how, strings.Join(short, "; "))
		g.Plan = []string{
			fmt.Sprintf("bring back the primary the %s side's secondaries transfer from (or point them at one that is up), and check that they refresh (their EDNS EXPIRE goes back to the SOA expire)", s.Name),
			fmt.Sprintf("or load the zone on those servers as a primary (from git: `dnsparity push --provider %s --zone %s` where the provider takes pushes)", shell.Quote(s.Name), shell.Quote(c.Zone.Origin)),
			"run the step again",
		}
		return g
	}
	g.Detail += "; " + strings.Join(later, "; ")
	if rep.Emergency {
		// The side left is down: it may be the primary they
		// transfer from.
		rep.Warnings = append(rep.Warnings, copyWarning(g.Name, later))
	}
	return g
}

// split says each copy of ce ("SERVER's copy expires at ..."): short,
// those that expire before ce.NeededUntil; later, the others.
func (ce *CopyExpiry) split() (short, later []string) {
	for _, sc := range ce.Servers {
		what := fmt.Sprintf("%s's copy expires at %s unless its primary refreshes it (EDNS EXPIRE %d s; SOA expire %d s)", sc.Server, deadline.Format(sc.Expires), sc.Expire, sc.SOAExpire)
		if sc.Expires.Before(ce.NeededUntil) {
			short = append(short, what)
		} else {
			later = append(later, what)
		}
	}
	return short, later
}

// copyWarning says which copies expire when (each "SERVER's copy
// expires at ..."), and what then.
func copyWarning(what string, copies []string) string {
	return fmt.Sprintf("%s: %s; after that they answer SERVFAIL for every name: bring their primary back before then", what, strings.Join(copies, "; "))
}

// servedCopy is status's reading of the copies the side the delegation
// points to serves (copyExpiry; rep.CopyExpires, that side's only): one
// expiring before resolvers now taking the delegation could leave that
// side (copyNeeded) is the report's first error; one expiring later, while the trail's
// last move was an emergency step (its primary may be the side left
// behind, down), a warning.
func (c *Config) servedCopy(ctx context.Context, rep *Report, tr *Trail) {
	// Status's copy_expires is that side's, or none: new-authoritative
	// (judgeCopy) may have written the new side's.
	rep.CopyExpires = nil
	var s *Side
	switch rep.Delegation.PointsTo {
	case "new":
		s = &c.New
	case "old":
		s = &c.Old
	default:
		return
	}
	needed, how := c.copyNeeded(ctx, rep, s)
	ce := c.copyExpiry(ctx, s, s.Servers, needed, nil)
	if ce == nil {
		return
	}
	rep.CopyExpires = ce
	short, later := ce.split()
	if len(short) > 0 {
		rep.Errors = append([]string{fmt.Sprintf("the %s side, where the parent delegates, serves copies that expire before %s (%s), which resolvers holding the delegation may keep asking: %s; then they answer SERVFAIL for every name: bring their primary back, or load the zone on them as a primary", s.Name, deadline.Format(needed), how, strings.Join(short, "; "))}, rep.Errors...)
	}
	if len(later) > 0 {
		if left, _ := tr.LeftBehind(); left != "" {
			rep.Warnings = append(rep.Warnings, copyWarning(fmt.Sprintf("the %s side, where the parent delegates", s.Name), later))
		}
	}
}

// judgeSignatures is the dnssec gate g of side s (met) with the
// signatures of s's servers whose copy counts down (copyExpiry: a
// secondary, which re-signs nothing) held to the same need as the copy
// itself (copyNeeded): once the first RRset of such a server loses its
// last valid signature (g.signedUntil, dnssec.Result.SignedUntil),
// validating resolvers find every answer it gives bogus (SERVFAIL), and
// only its signing primary, refreshing it, moves that time. A false
// refusal rather than a false pass, as for the copy's own expiry: a
// primary that is up re-signs in time.
func (c *Config) judgeSignatures(ctx context.Context, rep *Report, g Gate, s *Side) Gate {
	if !g.OK || len(g.signedUntil) == 0 {
		return g
	}
	needed, how := c.copyNeeded(ctx, rep, s)
	signedShort := func(sc ServerCopy) bool {
		until, ok := g.signedUntil[sc.Server]
		return ok && until.Before(needed)
	}
	ce := c.copyExpiry(ctx, s, s.Servers, needed, signedShort)
	if ce == nil {
		return g
	}
	var short []string
	for _, sc := range ce.Servers {
		if signedShort(sc) {
			short = append(short, fmt.Sprintf("%s, a secondary (its copy counts down: EDNS EXPIRE %d s), serves signatures the first of whose RRsets expire at %s", sc.Server, sc.Expire, deadline.Format(g.signedUntil[sc.Server])))
		}
	}
	if len(short) == 0 {
		return g
	}
	g.OK = false
	g.Detail = fmt.Sprintf("%s; but validating resolvers would find every answer bogus (SERVFAIL) before %s (%s), until when resolvers that take the delegation now may keep asking these servers, unless their signing primary re-signs and they refresh: %s", g.Detail, deadline.Format(needed), how, strings.Join(short, "; "))
	g.Plan = []string{
		fmt.Sprintf("bring back the signing primary the %s side's secondaries transfer from, and check that they refresh (new signatures, EDNS EXPIRE back at the SOA expire)", s.Name),
		fmt.Sprintf("or sign the zone on those servers themselves (online signing, or load a zone signed for longer than %s)", how),
		"run the step again",
	}
	return g
}
