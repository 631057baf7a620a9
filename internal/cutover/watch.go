package cutover

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// fingerprint is what tells the providers apart without a marker record:
// the apex SOA MNAME and serial each serves, and its apex NS set.
type fingerprint struct {
	soa string // "mname serial"
	ns  string // sorted apex NS names
}

// sideFingerprint takes the apex SOA of the side's servers (the first
// in order that answers with it) from answers, their SOAs asked now
// (fingerprints: the fingerprints and the classifier's refresh tell the
// sides apart by what they serve then), and the apex NS that server
// served in the step.
func sideFingerprint(ctx context.Context, c *Config, s *Side, answers []apexSOAAnswer) (fingerprint, error) {
	var last error
	for i, a := range answers {
		srv := s.Servers[i]
		if a.err != nil {
			last = a.err
			continue
		}
		soa := a.soa(c.Zone.Origin)
		if soa == "" {
			last = fmt.Errorf("%s: no SOA (rcode %s)", srv, dns.RcodeToString[a.msg.Rcode])
			continue
		}
		f := fingerprint{soa: soa}
		// The apex NS as the step saw it (apexNSSeen).
		if a := c.apexSeen.apexNSOf(ctx, c, []string{srv})[0]; a.err == nil {
			f.ns = strings.Join(a.ns, " ")
		}
		return f, nil
	}
	return fingerprint{}, fmt.Errorf("%s side: %w", s.Name, last)
}

// fingerprints are both sides' (sideFingerprint), the SOA of every server
// of both asked now, all at once (askSOAs): a server that does not answer
// costs its timeout once, not once per server one after the other, at
// every watch start, status run and classifier refresh.
func fingerprints(ctx context.Context, c *Config) (o, n fingerprint, errO, errN error) {
	servers := append(slices.Clip(c.Old.Servers), c.New.Servers...)
	answers := askSOAs(ctx, c, servers)
	k := len(c.Old.Servers)
	o, errO = sideFingerprint(ctx, c, &c.Old, answers[:k])
	n, errN = sideFingerprint(ctx, c, &c.New, answers[k:])
	return o, n, errO, errN
}

func soaOf(rrs []dns.RR, origin string) string {
	if soa := zoneSOA(rrs, origin); soa != nil {
		return fmt.Sprintf("%s %d", zone.Fold(soa.Ns), soa.Serial)
	}
	return ""
}

// zoneSOA is the zone's own SOA record among rrs (owner origin), nil
// when none.
func zoneSOA(rrs []dns.RR, origin string) *dns.SOA {
	for _, rr := range rrs {
		if soa, ok := rr.(*dns.SOA); ok && zone.Fold(soa.Hdr.Name) == origin {
			return soa
		}
	}
	return nil
}

// mname is the fingerprint's SOA MNAME ("" when it has no SOA).
func (f fingerprint) mname() string {
	m, _, _ := strings.Cut(f.soa, " ")
	return m
}

// classifier says which provider a resolver's answer came from.
type classifier struct {
	old, new fingerprint
	bySOA    bool // the SOAs differ: a fresh random name tells
	// refreshed is when the fingerprints were last asked for again
	// (changed): a side's serial goes up while the watch runs.
	refreshed time.Time
}

// refreshEvery bounds how often an SOA that is neither side's has the
// classifier ask the sides for their SOA again.
const refreshEvery = time.Second

// changed says which side an SOA that matches neither fingerprint comes
// from when only the serial differs: a side whose serial went up since
// the fingerprints were taken (a push, a provider that bumps it on every
// change, a signer that re-signs). With the sides' MNAMEs apart, the
// MNAME tells; else the sides are asked again (at most once per
// refreshEvery) and a fresh fingerprint that still tells them apart is
// kept. "" when neither side serves it.
func (cl *classifier) changed(ctx context.Context, c *Config, soa string) string {
	m, _, _ := strings.Cut(soa, " ")
	if om, nm := cl.old.mname(), cl.new.mname(); om != "" && nm != "" && om != nm {
		return sideOf(m, om, nm)
	}
	if time.Since(cl.refreshed) < refreshEvery {
		return ""
	}
	// Asked afresh (not the step's SOAs): a side's serial went up since.
	o, n, errO, errN := fingerprints(ctx, c)
	cl.refreshed = time.Now() // after the asks: a side that times out is asked no more often
	if errO != nil {
		o = cl.old
	}
	if errN != nil {
		n = cl.new
	}
	if o.soa == n.soa {
		return "" // the same SOA now: it tells nothing
	}
	cl.old.soa, cl.new.soa = o.soa, n.soa
	return sideOf(soa, cl.old.soa, cl.new.soa)
}

// sideOf is the side whose fingerprint (SOA, MNAME or apex NS) got is:
// "old" when it is oldFP, "new" when it is newFP, else "".
func sideOf(got, oldFP, newFP string) string {
	switch got {
	case oldFP:
		return "old"
	case newFP:
		return "new"
	}
	return ""
}

// newClassifier takes the sides' fingerprints from SOAs asked now: the
// step's (apexSOASeen) were read before parity, and a registrar change
// may have taken minutes since (the manual registrar waits up to
// cutover.confirm), a push meanwhile moving a serial. Every server of
// both sides is asked at once (fingerprints).
func newClassifier(ctx context.Context, c *Config) (*classifier, error) {
	o, n, errO, errN := fingerprints(ctx, c)
	if errO != nil && errN != nil {
		return nil, fmt.Errorf("neither side answers: %v; %v", errO, errN)
	}
	cl := &classifier{old: o, new: n}
	cl.bySOA = o.soa != n.soa
	if !cl.bySOA && o.ns == n.ns {
		return nil, fmt.Errorf("the providers serve the same apex SOA (%s) and NS (%s): nothing legitimate tells them apart", o.soa, o.ns)
	}
	return cl, nil
}

// randomLabel is a fresh label, random from its first octet and then
// "-dnsparity" (for whoever reads a server's query log): names in
// canonical order fall into any gap between the zone's names, not all
// into the one gap a fixed prefix sorts into, where one NSEC record a
// validating resolver holds would answer every probe (RFC 8198).
func randomLabel() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b) + "-dnsparity"
}

// freshParent is the name fresh random labels go under: the apex, unless
// a wildcard CNAME there (*.ORIGIN CNAME a CDN's name) answers every
// fresh name under it with a chain, into another zone, that carries none
// of this zone's SOA (the watch then told no resolver's side). Then it is
// the first owner of the zone (canonical order) whose fresh children are
// NXDOMAIN with the zone's SOA: no wildcard at it, no CNAME or DNAME at
// it, not at or below a delegation or DNAME. With none, the apex. (Under
// one owner every fresh name falls into one gap of a signed zone: a
// validating resolver holding that NSEC may answer from its cache, with
// the SOA it cached beside it, until the negative TTL ends.)
func freshParent(z *zone.Zone) string {
	wild := "*." + z.Origin
	if z.Get(wild, dns.TypeCNAME) == nil {
		return z.Origin
	}
	v := z.View()
	for _, s := range z.Sets {
		n := s.Name
		if n == z.Origin || strings.HasPrefix(n, "*.") || v.Exists("*."+n) ||
			z.Get(n, dns.TypeCNAME) != nil || z.Get(n, dns.TypeDNAME) != nil {
			continue
		}
		if cut, dname := v.Boundary(n); cut != "" || dname != "" {
			continue
		}
		return n
	}
	return z.Origin
}

// freshAnswer is a resolver's answer for a fresh random name under the
// zone, which no cache holds as an answer: the zone's SOA its negative
// answer carries ("mname serial", "" when none) is the answering
// server's, or, from a validating resolver, the SOA it cached beside
// NSEC records covering the name, which it may answer from without
// asking anyone for up to the zone's negative TTL (aggressive use of the
// DNSSEC-validated cache, RFC 8198). That answer looks the same whether
// the side that gave those records is up or down now: the down gates
// count it as the side answering (refusing until that TTL passes), never
// as a sign of an outage.
type freshAnswer struct {
	resolver string
	rcode    int
	soa      string
	// soaTTL is the SOA's TTL in the answer: how long the resolver may
	// go on answering from what it holds (RFC 2308 §5, RFC 8198 §5.1).
	soaTTL uint32
	err    error
}

// askFresh asks resolver (recursion desired) the SOA of a fresh random
// name under the zone: the watch's question (which) and the down gates'
// (resolversSeeDown).
func askFresh(ctx context.Context, c *Config, resolver string) freshAnswer {
	r, err := ask(ctx, resolver, randomLabel()+"."+freshParent(c.Zone), dns.TypeSOA, true, c.Timeout)
	if err != nil {
		return freshAnswer{resolver: resolver, err: err}
	}
	a := freshAnswer{resolver: resolver, rcode: r.Rcode}
	for _, rrs := range [][]dns.RR{r.Ns, r.Answer} {
		if soa := zoneSOA(rrs, c.Zone.Origin); soa != nil {
			a.soa, a.soaTTL = soaOf(rrs, c.Zone.Origin), soa.Hdr.Ttl
			break
		}
	}
	return a
}

// which asks resolver which provider it answers from: a fresh random name
// under the apex (never cached) whose negative answer carries the
// answering provider's SOA; or, when the SOAs are equal, the apex NS.
func (cl *classifier) which(ctx context.Context, c *Config, resolver string) (string, string) {
	if cl.bySOA {
		a := askFresh(ctx, c, resolver)
		if a.err != nil {
			return "unknown", a.err.Error()
		}
		soa := a.soa
		if soa == "" {
			return "unknown", fmt.Sprintf("no SOA in the answer (rcode %s): the side it reached fails", dns.RcodeToString[a.rcode])
		}
		if side := sideOf(soa, cl.old.soa, cl.new.soa); side != "" {
			return side, "SOA " + soa
		}
		if side := cl.changed(ctx, c, soa); side != "" {
			return side, "SOA " + soa + " (the " + side + " side's, its serial changed since the watch began)"
		}
		return "unknown", fmt.Sprintf("SOA %q (rcode %s) is neither side's", soa, dns.RcodeToString[a.rcode])
	}
	a := askNS(ctx, c, resolver, true)
	if a.askErr != nil {
		return "unknown", a.askErr.Error()
	}
	return cl.byNS(a.msg, c.Zone.Origin)
}

// byNS is the side whose apex NS set the resolver's answer r holds. The
// set is read as the sides' fingerprints read theirs (apexNSIn: the
// apex's names, folded and sorted), so that one set is one string.
func (cl *classifier) byNS(r *dns.Msg, origin string) (string, string) {
	names, _, err := apexNSIn(r, origin)
	if err != nil {
		return "unknown", fmt.Sprintf("no apex NS in the answer (rcode %s)", dns.RcodeToString[r.Rcode])
	}
	ns := strings.Join(names, " ")
	if side := sideOf(ns, cl.old.ns, cl.new.ns); side != "" {
		return side, "apex NS " + ns
	}
	return "unknown", fmt.Sprintf("apex NS %q is neither side's", ns)
}

// WatchResult is what the propagation watch saw.
type WatchResult struct {
	Target string    `json:"target"` // the side the delegation now points to
	Start  time.Time `json:"start"`  // the registrar change
	Bound  float64   `json:"bound_seconds"`
	// Interval between polls, seconds.
	Interval float64 `json:"interval_seconds"`
	NSTTL    uint32  `json:"ns_ttl"`
	// ChildNSTTL is the apex NS TTL the side left behind serves: a
	// resolver that took that side's own NS set (RFC 2181 §5.4.1) keeps
	// following it that long after its last refresh (of authoritative
	// answers only, servedNSTTL). When no server of that side answers
	// with authority (an emergency flip or rollback: its provider is
	// down; or only lame servers answering), the largest TTL the trail
	// recorded on it (Trail.nsTTLBound).
	ChildNSTTL uint32          `json:"child_ns_ttl"`
	Resolvers  []ResolverWatch `json:"resolvers"`
	AllMoved   bool            `json:"all_moved"`
	// Seconds from the registrar change to the last resolver answering
	// from the target (when all moved): the first answer of the run of
	// consecutive answers from the target that counted it as moved.
	Seconds float64 `json:"seconds"`
	// GlueTTL is the largest TTL of the glue the parent served with the
	// delegation before the change (0: none, or not read): resolvers
	// keep those addresses of the NS names that long, which may be
	// longer than the NS set.
	GlueTTL uint32 `json:"glue_ttl,omitempty"`
	// NSAddrTTL is the largest TTL of the A and AAAA records the left
	// side's servers serve, with authority, for its NS names inside the
	// zone (0: none): a resolver that took such a name's address from
	// the left side ranks it above the parent's glue (RFC 2181 §5.4.1)
	// and asks that address, the left side's server, until it expires,
	// even when the new NS set names the same host at another address.
	NSAddrTTL uint32 `json:"ns_addr_ttl,omitempty"`
	// DSTTL is the largest TTL of the DS set the parent served before a
	// move that changes it (0: the move leaves the DS set alone): a
	// resolver keeps validating the zone under the DS set it holds
	// (RFC 4035 §5.2) that long after its last referral.
	DSTTL uint32 `json:"ds_ttl,omitempty"`
	// DNSKEYTTL is the largest TTL of the DNSKEY set the left side's
	// servers serve with authority (0: none): a resolver that took it
	// validates with those keys until it expires.
	DNSKEYTTL uint32 `json:"dnskey_ttl,omitempty"`
	// NegativeTTL is the largest negative-caching TTL of the left
	// side's servers, the apex SOA's TTL or its MINIMUM, the smaller
	// (RFC 2308 §5): a resolver keeps a "no such name" or "no such
	// type" it took from that side that long.
	NegativeTTL uint32 `json:"negative_ttl,omitempty"`
	// OldDelegationExpires is when the last cached copy of the previous
	// delegation, and of what resolvers took from the side it sent them
	// to, expires at the latest: change + the parent's NS TTL, its
	// glue's TTL or, when the move changes it, its DS set's TTL, the
	// largest (a referral fetched just before the change) + the left
	// side's own NS TTL, the TTL of its in-zone NS names' addresses, of
	// its DNSKEY set, or its negative TTL, the largest (learnt from it
	// just before that referral expired).
	OldDelegationExpires time.Time `json:"old_delegation_expires"`
	Detail               string    `json:"detail,omitempty"`
}

// ResolverWatch is one resolver's move.
type ResolverWatch struct {
	Resolver string `json:"resolver"`
	Moved    bool   `json:"moved"`
	// Seconds after the change of the first answer from the target of
	// the run of consecutive ones that counted it as moved.
	Seconds float64 `json:"seconds,omitempty"`
	Last    string  `json:"last"` // the side it answered from last
	Detail  string  `json:"detail,omitempty"`
}

// interval suits the poll to the NS TTL: a hundredth of it, between a
// quarter of a second (lab TTLs of a few seconds) and a minute (a TLD's
// two days).
func interval(nsTTL uint32) time.Duration {
	d := time.Duration(nsTTL) * time.Second / 100
	return min(max(d, 250*time.Millisecond), time.Minute)
}

// DefaultMovedAfter is how many consecutive polls must find a resolver
// answering from the target before the watch counts it as moved. One
// answer is not enough: an anycast address, or a pool behind one address,
// is several caches, and each keeps the old delegation until its own copy
// expires. Three catches a pool of up to three caches taken in turn (a
// round-robin load balancer) every time, and makes one of two caches
// taken at random slip through a given run of polls with odds of 1 in 8;
// at the poll interval (a hundredth of the parent's NS TTL, at least a
// quarter of a second) it delays the verdict by at most 3% of that TTL.
// Answers keep being asked for until the end, so a cache that answers old
// again after a counted run takes the resolver back.
const DefaultMovedAfter = 3

// movedAfter is c.MovedAfter, else DefaultMovedAfter.
func (c *Config) movedAfter() int {
	if c.MovedAfter > 0 {
		return c.MovedAfter
	}
	return DefaultMovedAfter
}

// streak is one resolver's run of answers from the target side.
type streak struct {
	n     int       // consecutive polls answered from the target
	first time.Time // the first answer of the run
	flaps int       // times it answered from the other side after the target
	other string    // that side
}

// flapNote says that a resolver went back to the other side after
// answering from target, and how often.
func (st *streak) flapNote(target string) string {
	return fmt.Sprintf("answered from %s, then %s again: several caches behind one address (%s)", target, st.other, plural.N(st.flaps, "time", "times"))
}

// see records one poll of a resolver: side answered (from which(), with
// its detail) at now. It returns what to say in progress ("" for nothing
// new): the resolver counted as moved, or taken back from the target.
func (st *streak) see(rw *ResolverWatch, target, side, detail string, need int, start, now time.Time) string {
	rw.Last, rw.Detail = side, detail
	switch {
	case side == target:
		if st.n == 0 {
			st.first = now
		}
		st.n++
	case st.n > 0 && side != "unknown":
		// The target answered, and now the other side again: another
		// cache behind the same address still holds the old delegation.
		st.flaps++
		st.n, st.other = 0, side
		was := rw.Moved
		rw.Moved, rw.Seconds = false, 0
		rw.Detail = st.flapNote(target) + "; " + detail
		switch {
		case was:
			return fmt.Sprintf("%s %s; no longer counted as moved", rw.Resolver, rw.Detail)
		case st.flaps == 1: // said once; the detail counts the rest
			return rw.Resolver + " " + rw.Detail
		}
		return ""
	default:
		// No answer (or no side) breaks the run: the polls are not
		// consecutive answers from the target.
		st.n = 0
		was := rw.Moved
		rw.Moved, rw.Seconds = false, 0
		if was {
			return fmt.Sprintf("%s answered from neither side (%s): no longer counted as moved until %d consecutive answers from %s", rw.Resolver, detail, need, target)
		}
	}
	if st.flaps > 0 {
		rw.Detail = detail + "; " + st.flapNote(target)
	}
	if st.n < need {
		if side == target {
			rw.Detail = fmt.Sprintf("%s (%d of %d consecutive answers from %s)", rw.Detail, st.n, need, target)
		}
		return ""
	}
	rw.Detail = fmt.Sprintf("%s (%d consecutive answers from %s)", rw.Detail, st.n, target)
	if rw.Moved {
		return ""
	}
	rw.Moved = true
	rw.Seconds = roundTenth(st.first.Sub(start).Seconds())
	return fmt.Sprintf("%s answers from %s after %.1f s (%d consecutive answers; %s)", rw.Resolver, target, rw.Seconds, st.n, detail)
}

// watch polls every resolver, every interval, until each has answered
// from target on movedAfter consecutive polls or the bound passes,
// printing progress. Every resolver is asked at every poll, moved or not:
// an answer from the other side takes a moved one back. served is until
// when the parent may have served the delegation before (confirm's; the
// zero time: start), from which its NS TTL counts. unread, when not nil,
// is the NS TTL to count for the side left when none of its servers
// answers for its own NS set with authority (the old provider down at an
// emergency flip); nil: none. ref are the TTLs of the referral before the
// change.
func watch(ctx context.Context, c *Config, target string, start, served time.Time, ref heldTTLs, unread func() uint32) *WatchResult {
	nsTTL := ref.ns
	left := &c.Old
	if target == c.Old.Name {
		left = &c.New
	}
	// The left side's own apex NS TTL, of authoritative answers only
	// (servedNSTTL, as the dnssec plan's route (a) counts it): with
	// none (its servers down, or only lame ones answering), the bound.
	apex := c.apexSeen.apexNSOf(ctx, c, left.Servers)
	childTTL, aa := servedNSTTL(apex)
	if !aa && unread != nil {
		childTTL = unread()
	}
	addrTTL := nsAddrTTL(ctx, c, left, apex)
	keyTTL, negTTL := leftCachedTTLs(ctx, c, left)
	w := &WatchResult{Target: target, Start: start, Bound: c.Watch.Seconds(), NSTTL: nsTTL, ChildNSTTL: childTTL, GlueTTL: ref.glue, NSAddrTTL: addrTTL,
		DSTTL: ref.ds, DNSKEYTTL: keyTTL, NegativeTTL: negTTL,
		OldDelegationExpires: maxTime(start, served).Add(time.Duration(max(nsTTL, ref.glue, ref.ds))*time.Second + time.Duration(max(childTTL, addrTTL, keyTTL, negTTL))*time.Second)}
	every := c.Interval
	if every <= 0 {
		every = interval(nsTTL)
	}
	w.Interval = every.Seconds()
	for _, r := range c.Resolvers {
		w.Resolvers = append(w.Resolvers, ResolverWatch{Resolver: r})
	}
	if len(c.Resolvers) == 0 {
		w.Detail = "no cutover.resolvers configured: nothing to watch"
		return w
	}
	cl, err := newClassifier(ctx, c)
	if err != nil {
		w.Detail = "cannot tell the providers apart: " + err.Error()
		fmt.Fprintf(c.Log, "watch: %s\n", w.Detail)
		return w
	}
	need := c.movedAfter()
	fmt.Fprintf(c.Log, "watch: %s, every %s, for at most %s; moved after %d consecutive answers from %s (parent NS TTL %d s, the %s side's own NS TTL %d s)\n", plural.N(len(c.Resolvers), "resolver", "resolvers"), every, c.Watch, need, target, nsTTL, left.Name, childTTL)
	end := start.Add(c.Watch)
	lastPrint := time.Time{}
	streaks := make([]streak, len(w.Resolvers))
	for {
		pending := 0
		for i := range w.Resolvers {
			rw := &w.Resolvers[i]
			side, detail := cl.which(ctx, c, rw.Resolver)
			if say := streaks[i].see(rw, target, side, detail, need, start, c.Now()); say != "" {
				fmt.Fprintf(c.Log, "watch: %s\n", say)
			}
			if !rw.Moved {
				pending++
			}
		}
		if pending == 0 {
			w.AllMoved = true
			for _, rw := range w.Resolvers {
				w.Seconds = max(w.Seconds, rw.Seconds)
			}
			fmt.Fprintf(c.Log, "watch: %s from %s, the last %.1f s after the change (NS TTL %d s)\n", plural.All(len(w.Resolvers), "resolver", "resolvers", "answers", "answer"), target, w.Seconds, nsTTL)
			return w
		}
		now := c.Now()
		if now.After(end) {
			w.Detail = fmt.Sprintf("%d of %d resolvers have not answered from %s on %d consecutive polls after %s; the last cached copy of the old delegation expires by %s", pending, len(w.Resolvers), target, need, c.Watch, deadline.Format(w.OldDelegationExpires))
			fmt.Fprintf(c.Log, "watch: %s\n", w.Detail)
			return w
		}
		if now.Sub(lastPrint) >= 10*time.Second {
			fmt.Fprintf(c.Log, "watch: %.0f s: %d of %d resolvers not yet moved\n", now.Sub(start).Seconds(), pending, len(w.Resolvers))
			lastPrint = now
		}
		select {
		case <-ctx.Done():
			w.Detail = "interrupted: " + ctx.Err().Error()
			return w
		case <-time.After(every):
		}
	}
}

func roundTenth(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// noResolvers is the warning of status and of a step's watch when
// cutover.resolvers is empty: no resolver is asked which side it answers
// from, so nothing says resolvers moved.
const noResolvers = "no cutover.resolvers configured: which side resolvers answer from is not checked, and the watch of a flip or rollback has nothing to ask (it ends at once, without seeing resolvers move; the old delegation's expiry still counts); list a few public resolvers' addresses there"

// resolversNow is which provider each resolver answers from now, and a
// note when that could not be told (noResolvers without any).
func resolversNow(ctx context.Context, c *Config) ([]ResolverView, string) {
	if len(c.Resolvers) == 0 {
		return nil, noResolvers
	}
	cl, err := newClassifier(ctx, c)
	if err != nil {
		return nil, "cannot tell the providers apart: " + err.Error()
	}
	var out []ResolverView
	for _, r := range c.Resolvers {
		side, detail := cl.which(ctx, c, r)
		out = append(out, ResolverView{Resolver: r, Provider: side, Detail: detail})
	}
	return out, ""
}

// heldTTLs are the TTLs of the parent's referral to the side a move
// leaves, as resolvers may hold it: its NS set, its glue (0: none) and,
// when the move changes it, its DS set (0: left alone; dsChangeTTL).
type heldTTLs struct{ ns, glue, ds uint32 }

// dsChangeTTL is the DS TTL a move from before to want makes resolvers
// wait out: the larger of before's and the one the parent served (served)
// when want changes the DS set (a DS set given, not the one before), else
// 0: a resolver holding an unchanged DS set validates the side moved to
// as it did.
func dsChangeTTL(before, want registrar.Delegation, served uint32) uint32 {
	if want.DS == nil || sameDSText(want.DS, before.DS) {
		return 0
	}
	return max(before.DSTTL, served)
}

// leftCachedTTLs are the largest TTL of the DNSKEY set and the largest
// negative-caching TTL (RFC 2308 §5: the SOA's TTL or its MINIMUM, the
// smaller) that side s's servers serve with authority for the zone; 0
// for what none served.
func leftCachedTTLs(ctx context.Context, c *Config, s *Side) (dnskey, negative uint32) {
	type ttls struct{ dnskey, negative uint32 }
	got := fanout.All(len(s.Servers), func(i int) ttls {
		var out ttls
		for _, t := range []uint16{dns.TypeDNSKEY, dns.TypeSOA} {
			r, err := ask(ctx, s.Servers[i], c.Zone.Origin, t, false, c.Timeout)
			if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
				continue
			}
			for _, rr := range r.Answer {
				h := rr.Header()
				if h.Rrtype != t || !strings.EqualFold(h.Name, c.Zone.Origin) {
					continue
				}
				switch v := rr.(type) {
				case *dns.DNSKEY:
					out.dnskey = max(out.dnskey, h.Ttl)
				case *dns.SOA:
					out.negative = max(out.negative, min(h.Ttl, v.Minttl))
				}
			}
		}
		return out
	})
	for _, g := range got {
		dnskey, negative = max(dnskey, g.dnskey), max(negative, g.negative)
	}
	return dnskey, negative
}

// nsAddrTTL is the largest TTL of the A and AAAA records side s's servers
// serve with authority (NOERROR, AA) for its NS names inside the zone:
// those of the apex NS sets they served (apex, in s.Servers' order) and
// of its configured delegation. 0 when none is in the zone or none
// answered so.
func nsAddrTTL(ctx context.Context, c *Config, s *Side, apex []apexNSAnswer) uint32 {
	var names []string
	add := func(n string) {
		n = zone.CanonicalName(dns.Fqdn(n))
		if registrar.InBailiwick(n, c.Zone.Origin) && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, a := range apex {
		if a.err == nil && a.authoritative {
			for _, n := range a.ns {
				add(n)
			}
		}
	}
	for _, n := range s.Delegation {
		add(n)
	}
	if len(names) == 0 {
		return 0
	}
	ttls := fanout.All(len(s.Servers), func(i int) uint32 {
		var ttl uint32
		for _, n := range names {
			for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
				r, err := ask(ctx, s.Servers[i], n, t, false, c.Timeout)
				if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
					continue
				}
				for _, rr := range r.Answer {
					if h := rr.Header(); h.Rrtype == t && strings.EqualFold(h.Name, n) {
						ttl = max(ttl, h.Ttl)
					}
				}
			}
		}
		return ttl
	})
	var ttl uint32
	for _, t := range ttls {
		ttl = max(ttl, t)
	}
	return ttl
}
