package cutover

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// askResolversFresh asks every configured resolver (cutover.resolvers)
// the SOA of a fresh random name under the zone (the watch's question,
// with DO: askFreshDO), all at once.
func askResolversFresh(ctx context.Context, c *Config) []freshAnswer {
	return fanout.All(len(c.Resolvers), func(i int) freshAnswer { return askFreshDO(ctx, c, c.Resolvers[i]) })
}

// askFreshDO is askFresh with DNSSEC OK: a validating resolver then
// returns the NSEC (NSEC3) records of its denial with their RRSIGs,
// whose TTLs tell an answer from its cache (cacheSigns).
func askFreshDO(ctx context.Context, c *Config, resolver string) freshAnswer {
	r, err := query.Msg(ctx, resolver, randomLabel()+"."+c.Zone.Origin, dns.TypeSOA, query.MsgOptions{Timeout: c.Timeout, RD: true, DO: true})
	return readFresh(resolver, r, err, c.Zone.Origin)
}

// denialTTL is one NSEC or NSEC3 record of a negative answer: its TTL
// as given, and the original TTL its RRSIG carries (RFC 4034 §3.1.4; 0
// when the answer has no RRSIG over it).
type denialTTL struct {
	name     string
	ttl      uint32
	original uint32
}

// denialTTLs reads a negative answer's authority section (ns): the
// zone's SOA TTL and MINIMUM, and its NSEC and NSEC3 records' TTLs with
// their RRSIGs' original TTLs.
func denialTTLs(ns []dns.RR, origin string) (soaTTL, minimum uint32, denial []denialTTL) {
	orig := map[string]uint32{}
	for _, rr := range ns {
		if sig, ok := rr.(*dns.RRSIG); ok && (sig.TypeCovered == dns.TypeNSEC || sig.TypeCovered == dns.TypeNSEC3) {
			orig[zone.Fold(sig.Hdr.Name)+" "+dns.TypeToString[sig.TypeCovered]] = sig.OrigTtl
		}
	}
	for _, rr := range ns {
		h := rr.Header()
		switch rr := rr.(type) {
		case *dns.SOA:
			if zone.Fold(h.Name) == origin {
				soaTTL, minimum = h.Ttl, rr.Minttl
			}
		case *dns.NSEC, *dns.NSEC3:
			n := zone.Fold(h.Name)
			denial = append(denial, denialTTL{name: n + " " + dns.TypeToString[h.Rrtype], ttl: h.Ttl, original: orig[n+" "+dns.TypeToString[h.Rrtype]]})
		}
	}
	return soaTTL, minimum, denial
}

// maxNegTTL bounds the negative TTL a fresh answer is held to: the cap
// resolvers apply by default (Unbound cache-max-negative-ttl and
// PowerDNS Recursor max-negative-ttl 3600 s; BIND max-ncache-ttl is
// 3 hours), so that a server's answer a resolver capped to it is not
// taken for an aged one.
const maxNegTTL = 3600

// negTTL is the TTL a resolver gives a negative answer it got now, of
// SOA MINIMUM minimum (the answer's, as the answering server serves it):
// min(SOA TTL, MINIMUM) (RFC 2308 §3 and §5), the SOA TTL git's (gitTTL,
// 0: unknown), at most maxNegTTL.
func negTTL(gitTTL, minimum uint32) uint32 {
	return min(gitTTL, minimum, maxNegTTL)
}

// cacheSigns says whether a resolver's NXDOMAIN for a fresh name (a)
// bears the marks of an answer synthesised from its cache (RFC 8198
// §5.1: NXDOMAIN from cached NSEC records, with the SOA it cached with
// them), not one a server gave now, and what was seen ("" when it does):
//
//   - the SOA's TTL is below the negative TTL (negTTL): a server's
//     answer relayed at once carries min(SOA TTL, MINIMUM) (RFC 2308 §3),
//     a cached one that less its age (RFC 2308 §5);
//   - it holds NSEC or NSEC3 records (a validating resolver asked with
//     DO returns its denial), each with a TTL below both its RRSIG's
//     original TTL and the negative TTL: a copy that aged in a cache. A
//     server's answer relayed at once carries them whole, or cut to the
//     negative TTL (RFC 9077); Unbound's cap on negative answers
//     (cache-max-negative-ttl) cuts the SOA, not the NSEC records (BIND's
//     cuts both: fromCache's second answer tells).
//
// The fresh name was never asked before, so no cached answer for it
// exists (RFC 2308): only a synthesised one.
func (a freshAnswer) cacheSigns(gitTTL uint32) string {
	full := negTTL(gitTTL, a.minimum)
	switch {
	case a.err != nil || a.rcode != dns.RcodeNameError || a.soa == "":
		return "no NXDOMAIN with the zone's SOA"
	case gitTTL == 0:
		return "git's SOA TTL is not known"
	case a.soaTTL >= full:
		return fmt.Sprintf("SOA TTL %d, the zone's whole negative TTL (%d): as a server gives it now", a.soaTTL, full)
	case len(a.denial) == 0:
		return fmt.Sprintf("SOA TTL %d below the zone's negative TTL %d, but no NSEC records to show it aged in a cache", a.soaTTL, full)
	}
	for _, d := range a.denial {
		if d.original == 0 || d.ttl >= min(d.original, full) {
			return fmt.Sprintf("SOA TTL %d below the zone's negative TTL %d, but %s TTL %d, its RRSIG's original TTL %d: as a server gives it now", a.soaTTL, full, d.name, d.ttl, d.original)
		}
	}
	return ""
}

// againAfter is how long after a fresh answer that looks cached
// (cacheSigns) askAgainCached asks the resolver another fresh name: long
// enough for a cached copy's TTLs to have dropped by a second or more.
const againAfter = 2 * time.Second

// askAgainCached asks each resolver whose answer in ans has the marks of
// one from its cache (cacheSigns) and that explained does not account for
// another fresh name, againAfter after the first, into its again; every
// one at once.
func askAgainCached(ctx context.Context, c *Config, ans []freshAnswer, gitTTL uint32, explained func(freshAnswer) bool) []freshAnswer {
	var redo []int
	for i, a := range ans {
		if !explained(a) && a.cacheSigns(gitTTL) == "" {
			redo = append(redo, i)
		}
	}
	again := fanout.All(len(redo), func(k int) freshAnswer {
		a := ans[redo[k]]
		select {
		case <-time.After(time.Until(a.at.Add(againAfter))):
		case <-ctx.Done():
			return freshAnswer{resolver: a.resolver, err: ctx.Err(), at: time.Now()}
		}
		return askFreshDO(ctx, c, a.resolver)
	})
	out := slices.Clone(ans)
	for k, i := range redo {
		out[i].again = &again[k]
	}
	for i := range out {
		if !explained(out[i]) {
			out[i].cached, out[i].cacheHow = out[i].fromCache(gitTTL)
		}
	}
	return out
}

// fromCache says whether answer a was synthesised from the resolver's
// cache, and how it was seen, or else why it is not taken as such (the
// answer then counts as one a server gave now: when in doubt, counted).
// It must bear the marks of one (cacheSigns), and so must the same
// question for another fresh name asked later (again), with the same SOA
// and MINIMUM, its SOA TTL lower by the time between the two (within
// 1.5 s): one cached copy counting down, where answers a server gives now
// carry the same TTLs each time. A resolver's cap on negative answers
// below the zone's negative TTL is told apart as seen on real ones:
// Unbound 1.17 (cache-max-negative-ttl) cuts the SOA's TTL, not the NSEC
// records' (cacheSigns); BIND 9.18 (max-ncache-ttl) cuts both in the
// answer it got, but synthesises the next from the NSEC records it
// cached whole, whose TTL is then higher, not one copy counting down.
// What this cannot tell: a resolver that cuts a server's answer, NSEC
// records included, and then synthesises from the cut copy (none seen);
// an answer some other way lowered that keeps falling with time; a
// resolver address that is many caches, the first answer from one that
// reached a server and cached its cut copy, the second synthesised by
// another from records of the same age.
func (a freshAnswer) fromCache(gitTTL uint32) (bool, string) {
	if why := a.cacheSigns(gitTTL); why != "" {
		return false, why
	}
	b := a.again
	if b == nil {
		return false, "not asked again"
	}
	el := b.at.Sub(a.at).Seconds()
	switch {
	case b.err != nil:
		return false, fmt.Sprintf("another fresh name asked %.1f s later: %v", el, b.err)
	case b.soa != a.soa || b.minimum != a.minimum:
		return false, fmt.Sprintf("another fresh name asked %.1f s later: %s with SOA %q", el, dns.RcodeToString[b.rcode], b.soa)
	}
	if why := b.cacheSigns(gitTTL); why != "" {
		return false, fmt.Sprintf("another fresh name asked %.1f s later: %s", el, why)
	}
	drop := float64(a.soaTTL) - float64(b.soaTTL)
	if drop < 1 || math.Abs(drop-el) > 1.5 {
		return false, fmt.Sprintf("SOA TTL %d, then %d for another fresh name %.1f s later: not one cached copy counting down", a.soaTTL, b.soaTTL, el)
	}
	return true, fmt.Sprintf("SOA TTL %d then %d %.1f s later, below the zone's negative TTL %d, NSEC records aged (%s): synthesised from cached NSEC records (RFC 8198), not asked of a server", a.soaTTL, b.soaTTL, el, negTTL(gitTTL, a.minimum), a.denial[0].aged())
}

// aged is a denial record's TTL beside its original.
func (d denialTTL) aged() string {
	return fmt.Sprintf("%s TTL %d of %d", d.name, d.ttl, d.original)
}

// soasServed are the zone's SOAs ("mname serial", as soaOf) that servers
// serve in the step (apexSOASeen), each once; a server that does not
// answer adds none.
func soasServed(ctx context.Context, c *Config, servers []string) []string {
	var out []string
	for _, a := range c.soaSeen.apexSOAOf(ctx, c, servers) {
		if s := a.soa(c.Zone.Origin); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// resolversSeeDown judges what the resolvers answered for a fresh name
// under the zone (ans) while every server of side down that this machine
// asked fails, or, partly down, the ones that answer (survivors: their
// SOAs) serve git. An answer carrying an SOA that neither a survivor nor
// the up side serves (upSOAs), or an answer (NOERROR, NXDOMAIN) without
// the zone's SOA, came from a server of down that this machine does not
// see answering (its queries filtered, a route only the world has): the
// side is up for the world, and each such answer is in seen ("RESOLVER:
// what it got"). No answer (a timeout, SERVFAIL, REFUSED) is what a
// resolver gets from a side that is down. An answer with the up side's
// SOA is not counted: a resolver already sent there (a parent server
// in motion) or a down side serving that very SOA (the same primary)
// cannot be told apart, and the latter serves what the up side serves.
// Nor is an answer the resolver synthesised from NSEC records it cached
// before the outage (RFC 8198 aggressive use of the DNSSEC-validated
// cache: Unbound aggressive-nsec, BIND synth-from-dnssec, both on by
// default), with the SOA it cached with them, for up to the zone's
// negative TTL (RFC 2308 §5): it was given without asking the side
// (cached, as askAgainCached judged it: fromCache; when in doubt it is
// counted, naming what was seen). warn says what could not be checked:
// no resolver configured (configured 0), none answered, or the ones that
// answered did from their caches.
func resolversSeeDown(ans []freshAnswer, down string, survivors, upSOAs []string, configured int) (seen []string, warn string) {
	if configured == 0 {
		return nil, fmt.Sprintf("no resolver is configured (cutover.resolvers): whether the %s side still answers resolvers that this machine's queries do not reach (its queries filtered) could not be checked", down)
	}
	var silent, cached []string
	for _, a := range ans {
		switch {
		case a.err != nil:
			silent = append(silent, fmt.Sprintf("%s: %v", a.resolver, a.err))
		case explainedSOA(a, survivors, upSOAs):
		case a.soa != "":
			// An answer synthesised from the resolver's cache (RFC
			// 8198) was given without asking the side: it shows
			// neither that it answers nor that it is down.
			if a.cached {
				cached = append(cached, fmt.Sprintf("%s answered a fresh name with %s and the SOA %s from its cache (%s)", a.resolver, dns.RcodeToString[a.rcode], a.soa, a.cacheHow))
			} else {
				seen = append(seen, fmt.Sprintf("%s answered a fresh name with %s and the SOA %s, which no %s server answering here and no server of the side moved to serves%s", a.resolver, dns.RcodeToString[a.rcode], a.soa, down, parens(a.cacheHow)))
			}
		case a.rcode == dns.RcodeSuccess || a.rcode == dns.RcodeNameError:
			seen = append(seen, fmt.Sprintf("%s answered a fresh name with %s without the zone's SOA", a.resolver, dns.RcodeToString[a.rcode]))
		}
	}
	var warns []string
	if len(cached) > 0 {
		warns = append(warns, fmt.Sprintf("%s: not an answer of the %s side now, so neither a sign that it answers nor that it is down", strings.Join(cached, "; "), down))
	}
	if len(seen) == 0 && len(silent)+len(cached) == len(ans) && len(silent) > 0 {
		warns = append(warns, fmt.Sprintf("no resolver answered a fresh name under the zone (%s): consistent with the %s side down, not a confirmation of it", strings.Join(silent, "; "), down))
	}
	return seen, strings.Join(warns, "; ")
}

// explainedSOA: a's SOA is one a server of the side that still answers
// here (survivors) or of the side moved to (upSOAs) serves.
func explainedSOA(a freshAnswer, survivors, upSOAs []string) bool {
	return a.err == nil && a.soa != "" && (slices.Contains(survivors, a.soa) || slices.Contains(upSOAs, a.soa))
}

// parens is " (s)", or "" when s is.
func parens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// gitSOATTL is the TTL of git's apex SOA (0 when git has none).
func gitSOATTL(c *Config) uint32 {
	if s := c.Zone.Get(c.Zone.Origin, dns.TypeSOA); s != nil {
		return s.TTL
	}
	return 0
}
