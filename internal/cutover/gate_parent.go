package cutover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Checks of gate parent-servers.
const (
	// CheckParentSOA: the server answers the parent zone's SOA with AA.
	CheckParentSOA = "parent-soa"
	// CheckParentReferral: the server answers the child's NS with a
	// referral, not as a zone of its own.
	CheckParentReferral = "parent-referral"
	// CheckParentRegistrar: the registrar holds the NS and DS set the
	// parent's servers serve (or the one the step sets).
	CheckParentRegistrar = "parent-registrar"
	// CheckParentUnlisted: a server the parent zone's own NS set names
	// (an address of one of its names) that cutover.parent_servers does
	// not list serves the same delegation.
	CheckParentUnlisted = "parent-unlisted"
)

// gateParentServers checks that cutover.parent_servers are what every
// parent-side gate takes them for, with nothing but the addresses the
// user named (no system resolver): each serves the parent zone (its SOA,
// authoritatively), each answers the zone with a referral (a server that
// answers it as its own zone serves the child's apex NS and no DS: the
// old provider's server, or one hosting both zones), and the registrar,
// the one place the step changes, holds the NS and DS set they serve (or,
// a change of an earlier run not published yet, the one the step sets:
// to, toDS; toDS nil when the step leaves the DS alone). A server that
// does not answer refuses nothing here (readParent judges it); one of
// them must be checked.
func gateParentServers(ctx context.Context, c *Config, rep *Report, to []string, toDS []string) Gate {
	g := Gate{Name: GateParentServers}
	parentZone := c.parentZone()
	opt := query.MsgOptions{Timeout: c.Timeout}
	var bad, down []string
	checked := 0
	for _, s := range c.ParentServers {
		soa := delegation.Check{Name: CheckParentSOA, Server: s, Asked: "SOA " + parentZone + ", RD=0", Expected: "NOERROR, AA, the SOA of " + parentZone, Severity: delegation.SevError}
		r, err := query.Msg(ctx, s, parentZone, dns.TypeSOA, opt)
		if err != nil {
			down = append(down, s+": "+err.Error())
			soa.Severity, soa.Detail = delegation.SevNotChecked, fmt.Sprintf("%s does not answer: %v", s, err)
			g.Checks = append(g.Checks, soa)
			continue
		}
		checked++
		var serves bool
		serves, soa.Got = servesZone(r, parentZone)
		if serves {
			soa.OK, soa.Severity = true, delegation.SevInfo
			soa.Detail = fmt.Sprintf("%s serves the parent zone %s", s, parentZone)
		} else {
			soa.Detail = fmt.Sprintf("%s does not serve the parent zone %s (SOA %s: %s): it is not one of that zone's authoritative servers, so what it says of the delegation is not the parent's word", s, parentZone, parentZone, soa.Got)
			bad = append(bad, soa.Detail)
		}
		g.Checks = append(g.Checks, soa)

		ref := delegation.Check{Name: CheckParentReferral, Server: s, Asked: "NS " + c.Zone.Origin + ", RD=0", Expected: "a referral (no AA)", Severity: delegation.SevError}
		r, err = query.Msg(ctx, s, c.Zone.Origin, dns.TypeNS, opt)
		switch {
		case err != nil:
			ref.Severity, ref.Detail = delegation.SevNotChecked, fmt.Sprintf("%s does not answer: %v", s, err)
		case r.Authoritative && r.Rcode == dns.RcodeSuccess && len(r.Answer) > 0:
			ref.Got = "an authoritative answer"
			ref.Detail = fmt.Sprintf("%s answers for %s itself (AA, NS in the answer): it serves the child zone, so the NS and DS read from it are the child's apex (its own NS set, no DS), not the parent's delegation; and were it a parent server, resolvers asking it would keep getting its own copy of the zone after any flip, never the referral (a server hosting both the parent and the child: move the child zone off the parent's servers first)", s, c.Zone.Origin)
			bad = append(bad, ref.Detail)
		default:
			ref.OK, ref.Severity = true, delegation.SevInfo
			ref.Got = fmt.Sprintf("%s, AA %v", dns.RcodeToString[r.Rcode], r.Authoritative)
			ref.Detail = fmt.Sprintf("%s answers %s with a referral", s, c.Zone.Origin)
		}
		g.Checks = append(g.Checks, ref)
	}
	if checked == 0 {
		g.Err = true
		g.Detail = "could not run: no parent server answers: " + strings.Join(down, "; ")
		g.Plan = []string{"run the step again once the parent's servers answer"}
		return g
	}
	if c.Registrar != nil {
		g.Checks = append(g.Checks, registrarCheck(ctx, c, rep, to, toDS, &bad))
	}
	unlisted := unlistedChecks(ctx, c, rep, parentZone, toDS, &bad)
	g.Checks = append(g.Checks, unlisted...)
	if len(bad) > 0 {
		g.Detail = strings.Join(bad, "; ")
		g.Plan = []string{
			fmt.Sprintf("make cutover.parent_servers the authoritative servers of the parent zone %s (the addresses of its NS set: `dig NS %s` at a server you trust), each serving the delegation of %s; every parent-side gate (points-to-old/new, the DS the dnssec gate checks against, the confirmation of the change) reads them", parentZone, parentZone, c.Zone.Origin),
			"when the registrar holds a change the registry has not published yet: wait until the parent's servers serve it",
			"run the step again",
		}
		return g
	}
	g.OK = true
	g.Detail = fmt.Sprintf("every parent server asked (%d) serves the parent zone %s and refers %s to its delegation", checked, parentZone, c.Zone.Origin)
	if len(down) > 0 {
		g.Detail += "; not answering: " + strings.Join(down, "; ")
	}
	for _, ch := range g.Checks {
		if (ch.Name == CheckParentRegistrar || ch.Name == CheckParentUnlisted) && ch.Detail != "" {
			g.Detail += "; " + ch.Detail
		}
	}
	return g
}

// unlistedChecks: resolvers ask every server the parent zone's own NS set
// names, not only those cutover.parent_servers lists. The addresses of
// those names (in the parent zone: as the listed servers serve them; else
// through the configured resolvers, never the system resolver) that are
// not listed are asked for the delegation: one serving another NS set or
// DS set than the listed servers (a stale secondary) is a failure, since
// the gates and the confirmation never read it; one serving the same is
// named (list it, so that a change is confirmed there too); one that does
// not answer, or does not serve the parent zone, is named and refuses
// nothing (asked once: each query of a silent address costs the timeout).
// A step out of an incident (rollback, flip --emergency) accepts either
// delegation it moves between, and names a DS set still spreading (toDS:
// the DS the step sets, nil when it leaves it alone).
func unlistedChecks(ctx context.Context, c *Config, rep *Report, parentZone string, toDS []string, bad *[]string) []delegation.Check {
	opt := query.MsgOptions{Timeout: c.Timeout}
	addrs := unlistedAddrs(ctx, c, parentZone)
	served := registrar.Delegation{NS: rep.Delegation.NS, Glue: rep.Delegation.Glue}
	moving := inMotion(c, rep)
	same := append([]registrar.Delegation{served}, moving...)
	sameAny := func(d registrar.Delegation) bool {
		for _, x := range same {
			if sameDelegation(c.Zone.Origin, d, x) {
				return true
			}
		}
		return false
	}
	var mu sync.Mutex // rep.unlisted, from every address at once
	rep.unlisted = nil
	// judge asks one address; refused says the check refuses the step.
	judge := func(srv string) (ch delegation.Check, refused bool) {
		ch = delegation.Check{Name: CheckParentUnlisted, Server: srv, Asked: "NS and DS " + c.Zone.Origin + ", RD=0", Severity: delegation.SevError,
			Expected: fmt.Sprintf("%s, DS %s (as cutover.parent_servers serve it)", describeDelegation(c.Zone.Origin, served), dsText(rep.Delegation.DS))}
		// Only a server of the parent zone is judged: another at that
		// address (the parent zone's NS set naming an address some
		// other server listens on, a lame one) gives resolvers no
		// delegation at all, and is named.
		// A silent address is asked once (its SOA), not again for the
		// delegation: each query costs the timeout.
		r, err := query.Msg(ctx, srv, parentZone, dns.TypeSOA, opt)
		if err != nil {
			ch.Severity = delegation.SevNotChecked
			ch.Detail = fmt.Sprintf("%s, a server of the parent zone's NS set that cutover.parent_servers does not list, does not answer: %v", srv, err)
			return ch, false
		}
		if serves, got := servesZone(r, parentZone); !serves {
			ch.Severity, ch.Got = delegation.SevNotChecked, got
			ch.Detail = fmt.Sprintf("%s, an address of the parent zone's NS set, does not serve the parent zone %s (SOA: %s): not judged (a lame server of the parent, or another server at that address)", srv, parentZone, got)
			return ch, false
		}
		v := registrar.Lookup(ctx, []string{srv}, c.Zone.Origin, c.Timeout)[0]
		if v.Err == "" {
			mu.Lock()
			rep.unlisted = append(rep.unlisted, v)
			mu.Unlock()
		}
		dsSame := sameDSText(v.Delegation.DS, rep.Delegation.DS) || toDS != nil && sameDSText(v.Delegation.DS, toDS)
		switch {
		case v.Err != "":
			ch.Severity = delegation.SevNotChecked
			ch.Detail = fmt.Sprintf("%s, a server of the parent zone's NS set that cutover.parent_servers does not list, does not answer: %s", srv, v.Err)
		case sameAny(v.Delegation) && !dsSame && len(moving) > 0:
			// A step out of an incident (rollback, flip --emergency)
			// while a DS change is still spreading: named, not refused.
			ch.OK, ch.Severity = true, delegation.SevWarning
			ch.Got = fmt.Sprintf("%s, DS %s", describeDelegation(c.Zone.Origin, v.Delegation), dsText(v.Delegation.DS))
			ch.Detail = fmt.Sprintf("%s, a server of the parent zone's NS set that cutover.parent_servers does not list, serves DS %s, the listed servers DS %s (a DS change still spreading): list it in cutover.parent_servers, so that the change is confirmed there too", srv, dsText(v.Delegation.DS), dsText(rep.Delegation.DS))
		case !sameAny(v.Delegation) || !dsSame:
			ch.Got = fmt.Sprintf("%s, DS %s", describeDelegation(c.Zone.Origin, v.Delegation), dsText(v.Delegation.DS))
			ch.Detail = fmt.Sprintf("%s, a server of the parent zone's NS set that cutover.parent_servers does not list, serves %s, not what the listed servers serve (%s): resolvers that ask it go elsewhere, and no gate reads it; list every server of the parent zone in cutover.parent_servers", srv, ch.Got, ch.Expected)
			refused = true
		default:
			ch.OK, ch.Severity = true, delegation.SevInfo
			ch.Got = ch.Expected
			ch.Detail = fmt.Sprintf("%s, a server of the parent zone's NS set, serves the same delegation but is not in cutover.parent_servers: list it, so that the change is confirmed there too", srv)
		}
		return ch, refused
	}
	// Every address at once: a silent one costs the timeout.
	type result struct {
		ch      delegation.Check
		refused bool
		skip    bool
	}
	results := fanout.All(len(addrs), func(i int) (r result) {
		srv, err := query.ParseAddr(addrs[i])
		if err != nil {
			return result{skip: true}
		}
		r.ch, r.refused = judge(srv)
		return r
	})
	slices.SortFunc(rep.unlisted, func(a, b registrar.AtServer) int { return strings.Compare(a.Server, b.Server) })
	var out []delegation.Check
	for _, r := range results {
		if r.skip {
			continue
		}
		if r.refused {
			*bad = append(*bad, r.ch.Detail)
		}
		out = append(out, r.ch)
	}
	return out
}

// parentZone is the zone holding the delegation: the registrar's, else
// (a Config not made by FromConfig) the zone's parent by name.
func (c *Config) parentZone() string {
	if c.ParentZone != "" {
		return c.ParentZone
	}
	labels := dns.SplitDomainName(c.Zone.Origin)
	return zone.CanonicalName(dns.Fqdn(strings.Join(labels[1:], ".")))
}

// unlistedAddrs are the addresses of the parent zone's own NS set (as
// the first listed server that answers with authority serves it: in the
// parent zone, from that server; else through the configured resolvers,
// never the system resolver; and the set and addresses the configured
// resolvers get, from the parent they reach, so that a listed copy
// naming only itself is not the one server judged) that
// cutover.parent_servers does not list, sorted. A parent found by the child's labels that is an empty
// non-terminal of an enclosing zone (no NS of its own: no data, and that
// zone's SOA) stands for the enclosing zone, whose servers hold the
// delegation.
func unlistedAddrs(ctx context.Context, c *Config, parentZone string) []string {
	addrs, _ := parentNSAddrs(ctx, c, parentZone)
	return addrs
}

// parentNSAddrs is unlistedAddrs, and what it could not see: the NS names
// of the parent zone with no address found (out of the parent zone with
// no resolver configured, or none answering), or that the parent zone's
// NS set could not be read at all.
func parentNSAddrs(ctx context.Context, c *Config, parentZone string) (addrs, unseen []string) {
	listed := map[string]bool{}
	for _, s := range c.ParentServers {
		listed[query.Host(s)] = true
	}
	opt := query.MsgOptions{Timeout: c.Timeout}
	var names []string
	var from string
	nsOf := func(r *dns.Msg, apex string) (out []string) {
		for _, rr := range r.Answer {
			if ns, ok := rr.(*dns.NS); ok && zone.Fold(ns.Hdr.Name) == apex {
				out = append(out, zone.Fold(ns.Ns))
			}
		}
		return out
	}
	for _, s := range c.ParentServers {
		r, err := query.Msg(ctx, s, parentZone, dns.TypeNS, opt)
		if err != nil || !r.Authoritative {
			continue
		}
		names = nsOf(r, parentZone)
		if len(names) == 0 && r.Rcode == dns.RcodeSuccess {
			for _, rr := range r.Ns {
				soa, ok := rr.(*dns.SOA)
				if !ok {
					continue
				}
				enclosing := zone.Fold(soa.Hdr.Name)
				if enclosing == parentZone || !dns.IsSubDomain(enclosing, parentZone) {
					continue
				}
				if r, err := query.Msg(ctx, s, enclosing, dns.TypeNS, opt); err == nil && r.Authoritative {
					parentZone, names = enclosing, nsOf(r, enclosing)
				}
				break
			}
		}
		from = s
		break
	}
	if from == "" {
		return nil, []string{fmt.Sprintf("the NS set of the parent zone %s (no listed server answers it with authority)", parentZone)}
	}
	// The listed servers' word for which servers the parent zone has is
	// not the only one: a listed copy naming only itself (stale, or not
	// the parent's at all) would be the one server judged. The parent
	// zone's NS set and its names' addresses as the configured resolvers
	// get them, from the parent resolvers are sent to, count too.
	resolver, outside := "", ""
	if rs := c.nameResolvers(); len(rs) > 0 {
		outside = rs[0] // names outside the parent zone, as before
		if r, err := query.Msg(ctx, rs[0], parentZone, dns.TypeNS, query.MsgOptions{Timeout: c.Timeout, RD: true}); err == nil {
			resolver = rs[0]
			for _, n := range nsOf(r, parentZone) {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	// Resolvers start from the grandparent's referral for the parent
	// zone (RFC 1034 §5.3.3), whose NS set need not be the parent
	// zone's own: a server it still names (the parent zone's previous
	// provider, say) is asked too, and serves whatever copy it holds.
	glue := map[string][]string{}
	if resolver != "" {
		refNames, refGlue, why := referralOf(ctx, c, resolver, parentZone)
		if why != "" {
			unseen = append(unseen, why)
		}
		for _, n := range refNames {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		glue = refGlue
	}
	addrsOf := func(r *dns.Msg, n string) (out []string) {
		for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Extra...) {
			if a, ok := zone.AddrOf(rr); ok && zone.Fold(rr.Header().Name) == n {
				out = append(out, a)
			}
		}
		return out
	}
	for _, n := range names {
		found := slices.Clone(glue[n])
		for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
			if dns.IsSubDomain(parentZone, n) {
				if r, err := query.Msg(ctx, from, n, qt, opt); err == nil {
					found = append(found, addrsOf(r, n)...)
				}
			}
			// A resolver that did not answer the NS set is asked names
			// outside the parent zone only (one timeout, not one a name).
			if via := map[bool]string{true: outside, false: resolver}[!dns.IsSubDomain(parentZone, n)]; via != "" {
				if r, err := query.Msg(ctx, via, n, qt, query.MsgOptions{Timeout: c.Timeout, RD: true}); err == nil {
					found = append(found, addrsOf(r, n)...)
				}
			}
		}
		if len(found) == 0 {
			unseen = append(unseen, fmt.Sprintf("%s (an NS name of the parent zone %s: no address found%s)", n, parentZone,
				map[bool]string{true: "; set cutover.resolvers, or list its addresses in cutover.parent_servers"}[len(c.nameResolvers()) == 0 && !dns.IsSubDomain(parentZone, n)]))
		}
		for _, a := range found {
			if !listed[a] && !slices.Contains(addrs, a) {
				addrs = append(addrs, a)
			}
		}
	}
	slices.Sort(addrs)
	return addrs, unseen
}

// referralOf is the parent-side NS set of parentZone: the NS names and
// glue the grandparent zone's servers refer resolvers to, asked of them
// directly (RD=0) at the addresses the resolver gives for the
// grandparent zone's NS names (the grandparent zone: the SOA owner the
// resolver answers for parentZone's parent). why says what could not be
// read ("" when every server was read; the root zone has no referral
// above it, and a zone above that the resolver does not reach is one its
// resolvers never start from). Only the resolver and those servers are
// asked; c.Referrals, when set, keeps what was read for every step
// sharing it (a step asks in its gate and again in its confirmation).
func referralOf(ctx context.Context, c *Config, resolver, parentZone string) (names []string, glue map[string][]string, why string) {
	if parentZone == "." {
		return nil, map[string][]string{}, ""
	}
	if c.Referrals == nil {
		return readReferral(ctx, c, resolver, parentZone)
	}
	ref, err := c.Referrals.reads.do(ctx, parentZone+" "+resolver, "read of the referral for "+parentZone, func() (referral, error) {
		var r referral
		r.names, r.glue, r.why = readReferral(ctx, c, resolver, parentZone)
		if r.why != "" || ctx.Err() != nil {
			return r, errNotKept
		}
		return r, nil
	})
	switch {
	case err == nil, errors.Is(err, errNotKept):
		return ref.names, ref.glue, ref.why
	}
	return nil, map[string][]string{}, fmt.Sprintf("the referral for %s (%v)", parentZone, err)
}

// errNotKept is a read onceEach keeps not (its caller uses what it read).
var errNotKept = errors.New("not every server was read")

// readReferral is referralOf, read.
func readReferral(ctx context.Context, c *Config, resolver, parentZone string) (names []string, glue map[string][]string, why string) {
	glue = map[string][]string{}
	rd := query.MsgOptions{Timeout: c.Timeout, RD: true}
	above := zone.Parent(parentZone)
	gp := ""
	// NOERROR only: a name the resolvers' tree lacks (a private parent
	// reached through a stub zone) gets NXDOMAIN with an SOA above it
	// (the root's), whose servers never refer to the parent.
	if r, err := query.Msg(ctx, resolver, above, dns.TypeSOA, rd); err == nil && r.Rcode == dns.RcodeSuccess {
		for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
			if soa, ok := rr.(*dns.SOA); ok && zone.Fold(soa.Hdr.Name) != parentZone && dns.IsSubDomain(zone.Fold(soa.Hdr.Name), parentZone) {
				gp = zone.Fold(soa.Hdr.Name)
				break
			}
		}
	}
	if gp == "" {
		// The resolvers do not reach the zone above (a stub or forward
		// zone for the parent, a private tree): they never start from
		// its referral.
		return nil, glue, ""
	}
	var servers []string
	if r, err := query.Msg(ctx, resolver, gp, dns.TypeNS, rd); err == nil {
		for _, rr := range r.Answer {
			ns, ok := rr.(*dns.NS)
			if !ok || zone.Fold(ns.Hdr.Name) != gp {
				continue
			}
			for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
				if a, err := query.Msg(ctx, resolver, ns.Ns, qt, rd); err == nil {
					for _, rr := range a.Answer {
						if ip, ok := zone.AddrOf(rr); ok && !slices.Contains(servers, ip) {
							servers = append(servers, ip)
						}
					}
				}
			}
		}
	}
	if len(servers) == 0 {
		return nil, glue, fmt.Sprintf("the grandparent zone %s's referral for %s (no address of its servers found through %s)", gp, parentZone, resolver)
	}
	// An address this machine cannot send to (IPv6 on a runner without
	// it; IPv6 left out by policy.delegation.ipv6) is not asked: each
	// would cost the step a timeout. The others are asked at once.
	asked := servers[:0:0]
	for _, a := range servers {
		if why, _ := query.NotFromHere(ctx, net.JoinHostPort(a, "53"), c.Delegation.NoIPv6); why == "" {
			asked = append(asked, net.JoinHostPort(a, "53"))
		}
	}
	if len(asked) == 0 {
		return nil, glue, fmt.Sprintf("the grandparent zone %s's referral for %s (none of the %d addresses of its servers can be asked from here)", gp, parentZone, len(servers))
	}
	opt := query.MsgOptions{Timeout: c.Timeout}
	read := 0
	for _, r := range fanout.All(len(asked), func(i int) *dns.Msg {
		r, err := query.Msg(ctx, asked[i], parentZone, dns.TypeNS, opt)
		if err != nil {
			return nil
		}
		return r
	}) {
		if r == nil {
			continue
		}
		read++
		for _, rr := range append(append([]dns.RR{}, r.Ns...), r.Answer...) {
			if ns, ok := rr.(*dns.NS); ok && zone.Fold(ns.Hdr.Name) == parentZone && !slices.Contains(names, zone.Fold(ns.Ns)) {
				names = append(names, zone.Fold(ns.Ns))
			}
		}
		for _, rr := range r.Extra {
			n := zone.Fold(rr.Header().Name)
			if ip, ok := zone.AddrOf(rr); ok && !slices.Contains(glue[n], ip) {
				glue[n] = append(glue[n], ip)
			}
		}
	}
	if read < len(asked) {
		why = fmt.Sprintf("the grandparent zone %s's referral for %s at %d of the %d addresses of its servers asked (they did not answer)", gp, parentZone, len(asked)-read, len(asked))
	}
	return names, glue, why
}

// confirmServers are the servers a registrar change is confirmed at:
// cutover.parent_servers and every address of the parent zone's own NS
// set they leave out that serves the parent zone (its SOA with AA, asked
// once: resolvers ask those too, and one still serving the delegation
// the change replaced sends them there). unseen names what the
// confirmation cannot see: an unlisted address that does not answer (one
// this machine cannot reach, say) or does not serve the parent zone, and
// what parentNSAddrs could not resolve. Only the addresses the user
// named, the parent zone's own data, the configured resolvers and the
// grandparent zone's servers found through them (referralOf) are asked.
func confirmServers(ctx context.Context, c *Config) (servers, unseen []string) {
	parentZone := c.parentZone()
	addrs, unseen := parentNSAddrs(ctx, c, parentZone)
	servers = slices.Clone(c.ParentServers)
	opt := query.MsgOptions{Timeout: c.Timeout}
	type seen struct{ serving, why string }
	for _, r := range fanout.All(len(addrs), func(i int) seen {
		srv, err := query.ParseAddr(addrs[i])
		if err != nil {
			return seen{why: fmt.Sprintf("%s: %v", addrs[i], err)}
		}
		r, err := query.Msg(ctx, srv, parentZone, dns.TypeSOA, opt)
		if err != nil {
			return seen{why: fmt.Sprintf("%s (an address of the parent zone's NS set) does not answer: %v", srv, err)}
		}
		if ok, got := servesZone(r, parentZone); !ok {
			return seen{why: fmt.Sprintf("%s (an address of the parent zone's NS set) does not serve %s (SOA: %s)", srv, parentZone, got)}
		}
		return seen{serving: srv}
	}) {
		if r.serving != "" {
			servers = append(servers, r.serving)
		} else {
			unseen = append(unseen, r.why)
		}
	}
	return servers, unseen
}

// registrarCheck compares the delegation the registrar holds with the one
// the parent's servers serve (rep.Delegation, as readParent settled it):
// the NS set, and the DS set, which the dnssec gate checks the keys
// against. The registrar holding the step's own target (to, toDS) is a
// change of an earlier run not published yet, which the step makes again.
// A registrar that cannot be read is named and refuses nothing (the
// manual registrar reads the parent's servers themselves).
func registrarCheck(ctx context.Context, c *Config, rep *Report, to, toDS []string, bad *[]string) delegation.Check {
	ch := delegation.Check{Name: CheckParentRegistrar, Asked: "the delegation of " + c.Zone.Origin + " at the registrar", Severity: delegation.SevError,
		Expected: fmt.Sprintf("NS %s, DS %s (as the parent's servers serve it)", strings.Join(rep.Delegation.NS, " "), dsText(rep.Delegation.DS))}
	held, err := c.Registrar.Delegation(ctx, c.Zone.Origin)
	if err != nil {
		ch.Severity, ch.Detail = delegation.SevNotChecked, "cannot read the delegation from the registrar: "+err.Error()
		return ch
	}
	held = copyDelegation(held)
	ch.Got = fmt.Sprintf("NS %s, DS %s", strings.Join(held.NS, " "), dsText(held.DS))
	served := copyDelegation(registrar.Delegation{NS: rep.Delegation.NS, DS: rep.Delegation.DS})
	target := copyDelegation(registrar.Delegation{NS: to})
	nsOK := registrar.SameNS(held.NS, served.NS) || registrar.SameNS(held.NS, target.NS) ||
		// a view in motion (readParent): the registrar holds the NS
		// set of the step made half-way that a parent server serves,
		// the change still spreading (the view is another server's)
		c.halfWaySpreading(rep, held.NS)
	dsOK := sameDSText(held.DS, served.DS) || toDS != nil && sameDSText(held.DS, toDS) ||
		// a DS change half-published (a step out of an incident): the
		// registrar holds one of the sets the servers serve
		slices.ContainsFunc(rep.dsServed, func(d servedDS) bool { return sameDSText(held.DS, d.DS) })
	var off, aside []string
	if !nsOK {
		off = append(off, fmt.Sprintf("NS %s, but the parent's servers serve NS %s", strings.Join(held.NS, " "), strings.Join(served.NS, " ")))
	}
	switch {
	case dsOK:
	case toDS == nil && dsSubset(held.DS, served.DS):
		// The servers serve every DS the registrar holds, and more: a
		// registry that takes DS from the child's CDS itself, or one
		// that publishes more digest types of a key than the registrar
		// lists. The dnssec gate checks the keys against what the
		// servers serve, what resolvers get: no lie makes it looser.
		aside = append(aside, fmt.Sprintf("DS %s, and the parent's servers serve DS %s (a DS the registry published itself: CDS, or more digest types; or a removal at the registrar the registry has not published yet, so the dnssec gate judges the side under the registrar's set too)", dsText(held.DS), dsText(served.DS)))
		// Which of the two cannot be told from here: a removal
		// published with or after the step's change would leave the
		// side moved to under the registrar's set, which no gate
		// judged. The dnssec gate judges it under that set too, as
		// under each set a parent server serves (servedDSToo): a
		// false refusal rather than a false pass where the registry
		// adds DS of its own.
		if !slices.ContainsFunc(rep.dsServed, func(d servedDS) bool { return sameDSText(d.DS, held.DS) }) {
			rep.dsServed = append(rep.dsServed, servedDS{DSSeen: DSSeen{DS: held.DS, TTL: rep.Delegation.DSTTL}, registrar: true})
		}
	default:
		off = append(off, fmt.Sprintf("DS %s, but the parent's servers serve DS %s (the dnssec gate would check the keys against a DS set resolvers do not get)", dsText(held.DS), dsText(served.DS)))
	}
	if rep.Emergency && len(off) > 0 {
		// An emergency step must go on while the parent is in motion
		// (a change not published yet): what the registrar holds is
		// named, and the step's own change replaces it.
		aside, off = append(aside, off...), nil
	}
	if len(off) > 0 {
		ch.Detail = "the registrar holds " + strings.Join(off, "; and ") + ": the servers in cutover.parent_servers are not the parent's (a stale copy, another view), or a change is not published yet"
		*bad = append(*bad, ch.Detail)
		return ch
	}
	if len(aside) > 0 {
		ch.OK, ch.Severity = true, delegation.SevWarning
		ch.Detail = "the registrar holds " + strings.Join(aside, "; and ")
		return ch
	}
	ch.OK, ch.Severity = true, delegation.SevInfo
	ch.Detail = "the registrar holds " + ch.Got
	return ch
}

// inMotion are the delegations a step whose view of the parent may be in
// motion (rollback, flip --emergency) moves between, which it accepts
// wherever readParent does; none for another step.
func inMotion(c *Config, rep *Report) []registrar.Delegation {
	view := agreedView
	switch {
	case rep.Command == "rollback":
		view = rollbackView
	case rep.Command == "flip" && rep.Emergency:
		view = emergencyView
	}
	if m, ok := c.moves(view); ok {
		return []registrar.Delegation{m.from, m.to}
	}
	return nil
}

// halfWaySpreading reports whether ns is an NS set of the step made
// half-way (stepShare: both sides' names only) that a parent server
// that answered the step's read (rep.Parent) serves: a registrar holding
// it holds the step's own change half-made and already published, at
// that server at least, while the view (readParent) is another server's.
// Any other set the registrar holds beside the view's is judged as
// before (a change not published yet, or someone else's).
func (c *Config) halfWaySpreading(rep *Report, ns []string) bool {
	return c.stepShare(rep.Command, ns) == shareHalf && slices.ContainsFunc(rep.Parent, func(v registrar.AtServer) bool {
		return v.Err == "" && registrar.SameNS(ns, v.Delegation.NS)
	})
}

// sameDSText reports whether two DS sets in presentation form hold the
// same records (case, and the spacing of the digest, aside).
func sameDSText(a, b []string) bool {
	return slices.Equal(dsNorm(a), dsNorm(b))
}

// dsSubset reports whether every DS of a is in b (as sameDSText compares
// them).
func dsSubset(a, b []string) bool {
	nb := dsNorm(b)
	for _, x := range dsNorm(a) {
		if !slices.Contains(nb, x) {
			return false
		}
	}
	return true
}

// dsNorm is a DS set in one form: upper case, the digest in one piece,
// sorted.
func dsNorm(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		f := strings.Fields(strings.ToUpper(x))
		if len(f) > 4 {
			f = append(f[:3:3], strings.Join(f[3:], ""))
		}
		out = append(out, strings.Join(f, " "))
	}
	slices.Sort(out)
	return out
}

func dsText(ds []string) string {
	if len(ds) == 0 {
		return "none"
	}
	return strings.Join(ds, ", ")
}

// servesZone judges a server's answer r to "SOA parentZone, RD=0": it
// serves the zone that holds the delegation when it answers with
// authority (NOERROR, AA) and the SOA of parentZone, or, when parentZone
// is no zone cut of its own but an empty non-terminal of an enclosing
// zone (a parent found by the child's labels: the delegation of
// example.b.test. in test.), with no data and the SOA of that enclosing
// zone in the authority section. got describes the answer.
func servesZone(r *dns.Msg, parentZone string) (ok bool, got string) {
	owner, inAuthority := "", false
	for _, rr := range r.Answer {
		if v, isSOA := rr.(*dns.SOA); isSOA {
			owner = zone.Fold(v.Hdr.Name)
		}
	}
	if owner == "" && len(r.Answer) == 0 {
		for _, rr := range r.Ns {
			if v, isSOA := rr.(*dns.SOA); isSOA {
				owner, inAuthority = zone.Fold(v.Hdr.Name), true
			}
		}
	}
	got = fmt.Sprintf("%s, AA %v, SOA %s", dns.RcodeToString[r.Rcode], r.Authoritative, orDash(owner))
	if inAuthority {
		got += " (authority section)"
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative || owner == "" {
		return false, got
	}
	if inAuthority {
		return owner != parentZone && dns.IsSubDomain(owner, parentZone), got
	}
	return owner == parentZone, got
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
