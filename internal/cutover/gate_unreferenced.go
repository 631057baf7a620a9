package cutover

import (
	"context"
	"fmt"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Checks of gate old-unreferenced, one per place that names the old side.
const (
	CheckParentNS  = "parent-ns"  // a parent server's NS set or glue
	CheckApexNS    = "apex-ns"    // a side's apex NS at one of its servers
	CheckGitTarget = "git-target" // an NS, MX, SRV or CNAME target in git
	CheckNSZone    = "ns-zone"    // the zone of a new delegation name, served by the old side only
	CheckOtherNS   = "other-ns"   // another NS RRset of the parent zone (the parent registrar)
	CheckParentDS  = "parent-ds"  // a DS at the parent for a key the new side does not sign its DNSKEY set with (the old provider's)
	CheckNewFeed   = "new-feed"   // a new server whose copy counts down, fed by an old server (its SOA's primary, or the new side's configured primary)
	CheckCutZone   = "cut-zone"   // a zone git delegates below the zone, held by the old provider
	CheckOldKey    = "old-key"    // a key of the new side's DNSKEY set the old side signs with and the new side does not
	CheckNewCDS    = "new-cds"    // a CDS or CDNSKEY of the new side asking the parent for a DS of the old provider's key (one the new side does not sign its DNSKEY set with)
)

// sideOnlySet is what oldOnlyOf (newOnlyOf) found for a side, once a
// step, and the names an NS set the step read led it to (sideNamesIn).
type sideOnlySet struct {
	names, ips map[string]bool
	// other are the other side's names: never this side's only.
	other map[string]bool
	// looked are the names sideNamesIn looked up, each once a step; why
	// says how each it added to names counts as the side's.
	looked map[string]bool
	why    map[string]string
}

// oldOnly is oldOnlyOf for the step, found the first time a gate needs
// it: what it reads (the sides' configuration, git's zone, restore and
// the addresses its names resolved to, oldServers) does
// not change while the step asks servers, so the step's gates judge one
// set (finish's two observations of the old side's apex NS, its overlap
// gate and old-unreferenced). sidesChanged drops it: as the step starts,
// where restore is read, and when askFromServers adds servers to a side.
// The maps are the step's: read them, do not change them (oldNamesIn
// adds to names the other names of old servers an NS set shows).
func (c *Config) oldOnly(ctx context.Context) (names, ips map[string]bool) {
	o := c.onlySet(ctx, "old")
	return o.names, o.ips
}

// onlySet is the step's sideOnlySet of side (old: oldOnlyOf, new:
// newOnlyOf), found the first time a reader needs it.
func (c *Config) onlySet(ctx context.Context, side string) *sideOnlySet {
	at := &c.oldOnlyNow
	if side == "new" {
		at = &c.newOnlyNow
	}
	if *at == nil {
		o := &sideOnlySet{looked: map[string]bool{}, why: map[string]string{}}
		if side == "new" {
			o.names, o.ips = newOnlyOf(c, c.oldServers(ctx).servers)
			o.other = c.oldSideNames()
		} else {
			o.names, o.ips = oldOnlyOf(c, c.oldServers(ctx).servers)
			o.other = c.newNames()
		}
		*at = o
	}
	return *at
}

// oldNamesIn are the names of ns (an apex NS set a side's server served,
// or a push gave the old side) that name a server of the old side only:
// one of the step's old-only names (oldOnly), or another name of an old
// server (sideNamesIn). A provider's servers go by more than one name
// (its own beside the vanity names a registrar holds), and an apex NS
// set naming an old server by a name neither providers.old.delegation
// nor the delegation recorded before the flip spells keeps the resolvers
// that take it on the old provider all the same (RFC 2181 §5.4.1).
func (c *Config) oldNamesIn(ctx context.Context, ns []string) []string {
	return c.sideNamesIn(ctx, "old", ns, true)
}

// sideNamesIn are the names of ns that name a server of side only, the
// one rule for both sides (the old side's after a flip, oldNamesIn; the
// new side's after a rollback, observeNewNS): one of the step's names of
// that side only (onlySet), or a name that is neither those nor the
// other side's, lies outside the zone (the zone's own names get their
// addresses from git, oldOnlyOf, newOnlyOf), and, looked up once a step
// through the resolvers the delegation gate uses (delegation.Via),
// resolves to an address of that side only; with hold, one whose lookup
// failed counts too (it may name one: the wait is held, not passed, on
// what this machine cannot tell); without, it does not count (the NS
// targets git delegates other zones to, gitTargetChecks: an unrelated
// zone's server this machine cannot resolve is no old server), and is
// looked up again by a later reader. Each is added to the step's names, so
// that every reader of them (the overlap gate, the trail's old_apex_ns
// and new_apex_ns, old-unreferenced) judges it so; oldNameWhy says why.
// Before, the new side's names after a rollback were matched by spelling
// alone.
func (c *Config) sideNamesIn(ctx context.Context, side string, ns []string, hold bool) []string {
	o := c.onlySet(ctx, side)
	names, ips := o.names, o.ips
	via := delegation.Via{Resolvers: c.nameResolvers(), ParentZone: c.ParentZone, ParentServers: c.ParentServers, Timeout: c.Timeout}
	for _, n := range ns {
		n = zone.Fold(dns.Fqdn(n))
		if names[n] || o.other[n] || o.looked[n] || registrar.InBailiwick(n, c.Zone.Origin) {
			continue
		}
		addrs, why, failed := via.Lookup(ctx, n)
		if ctx.Err() != nil {
			break // interrupted: nothing concluded, asked again by a later reader
		}
		if failed && !hold {
			continue
		}
		o.looked[n] = true
		if failed {
			names[n] = true
			o.why[n] = fmt.Sprintf("%s could not be looked up (%s): it may name a server of the %s side", n, why, side)
			continue
		}
		for _, a := range addrs {
			if ips[a] {
				names[n] = true
				o.why[n] = fmt.Sprintf("%s resolves to %s, the address of a server of the %s side only", n, a, side)
				break
			}
		}
	}
	return namesIn(ns, names)
}

// oldNameWhy says how each of names that oldNamesIn added counts as an
// old server's ("" when none did).
func (c *Config) oldNameWhy(names []string) string {
	if c.oldOnlyNow == nil {
		return ""
	}
	var out []string
	for _, n := range names {
		if w := c.oldOnlyNow.why[zone.Fold(dns.Fqdn(n))]; w != "" {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " (" + strings.Join(out, "; ") + ")"
}

// oldOnlyOf are the names and addresses of the old side's servers that
// are not also the new side's: its delegation names (configured, and the
// set recorded before the last flip: a secondary the config does not list
// is the old side's too), its addresses (servers: configured, and what
// that set's names lead to, oldServers), and the names git gives one of
// its addresses.
func oldOnlyOf(c *Config, servers []string) (names map[string]bool, ips map[string]bool) {
	newNames := c.newNames()
	names, ips = map[string]bool{}, onlyIPs(servers, c.New.Servers)
	for _, n := range append(append([]string(nil), c.Old.Delegation...), c.oldNames()...) {
		if n = zone.Fold(dns.Fqdn(n)); !newNames[n] {
			names[n] = true
		}
	}
	for _, n := range addrNames(c.Zone, ips, newNames) {
		names[n] = true
	}
	return names, ips
}

// newOnlyOf is oldOnlyOf's mirror for the new side after a rollback:
// its delegation names that are not the old side's (newOnlyNames), the
// addresses of its servers that are not an old server's (olds, the old
// side's servers as oldServers finds them), and the names git gives one
// of those addresses.
func newOnlyOf(c *Config, olds []string) (names map[string]bool, ips map[string]bool) {
	names, ips = c.newOnlyNames(), onlyIPs(c.New.Servers, olds)
	for _, n := range addrNames(c.Zone, ips, c.oldSideNames()) {
		names[n] = true
	}
	return names, ips
}

// onlyIPs are the addresses of servers (ADDR[:PORT], canonical) that are
// not one of others'.
func onlyIPs(servers, others []string) map[string]bool {
	host := func(s string) string {
		ip := query.Host(s)
		if a := net.ParseIP(ip); a != nil {
			ip = a.String()
		}
		return ip
	}
	other, out := map[string]bool{}, map[string]bool{}
	for _, s := range others {
		other[host(s)] = true
	}
	for _, s := range servers {
		if ip := host(s); !other[ip] {
			out[ip] = true
		}
	}
	return out
}

// addrNames are the names zone z gives one of the addresses ips, but
// those of skip.
func addrNames(z *zone.Zone, ips, skip map[string]bool) []string {
	var out []string
	for _, s := range z.Sets {
		if s.Type != dns.TypeA && s.Type != dns.TypeAAAA || skip[s.Name] {
			continue
		}
		for _, rr := range s.RRs() {
			var ip net.IP
			switch v := rr.(type) {
			case *dns.A:
				ip = v.A
			case *dns.AAAA:
				ip = v.AAAA
			}
			if ip != nil && ips[ip.String()] {
				out = append(out, s.Name)
				break
			}
		}
	}
	return out
}

func namesIn(ns []string, set map[string]bool) []string {
	var out []string
	for _, n := range ns {
		if set[zone.Fold(dns.Fqdn(n))] {
			out = append(out, n)
		}
	}
	return out
}

// gateOldUnreferenced: no parent server, no apex NS of either side, and no
// NS, MX, SRV or CNAME target in git names a server of the old side only,
// and no DS at the parent (rep.Delegation.DS), nor one validating
// resolvers may still hold (tr's, Trail.CachedDS), vouches for a key the
// new side does not sign its DNSKEY set with (staleDS: the old
// provider's). Each place that still does is a failed check; staleDS's
// warnings go to rep, and the end of the last cached DS it waits for to
// the gate's next finish. oldAsked is until when resolvers may still ask
// the old side (the overlap gate's time), for staleDS's advice.
func gateOldUnreferenced(ctx context.Context, c *Config, tr *Trail, rep *Report, oldAsked time.Time) Gate {
	names, ips := c.oldOnly(ctx)
	oldList := strings.Join(slices.Sorted(maps.Keys(names)), " ")
	g := Gate{Name: GateOldUnreferenced}
	g.Checks = parentNSChecks(c, rep, names, ips, oldList)
	g.Checks = append(g.Checks, apexNSChecks(ctx, c, oldList)...)
	g.Checks = append(g.Checks, gitTargetChecks(ctx, c, names, ips)...)
	held := &oldHeldZones{c: c}
	g.Checks = append(g.Checks, nsZoneChecks(ctx, c, names, ips, held)...)
	g.Checks = append(g.Checks, cutZoneChecks(ctx, c, held)...)
	other, otherRead := otherNSChecks(ctx, c, names, ips, oldList)
	g.Checks = append(g.Checks, other...)
	g.Checks = append(g.Checks, newFeedChecks(ctx, c, names, ips)...)
	var cachedDS []dnssec.HeldDS
	if tr != nil {
		cachedDS = tr.CachedDS(rep.Delegation.DS, c.Now())
	}
	ds, warnings, dsUntil := staleDS(ctx, c, rep.Delegation.DS, cachedDS, oldAsked)
	g.Checks = append(g.Checks, ds...)
	g.Checks = append(g.Checks, oldKeyChecks(ctx, c, tr, oldAsked)...)
	g.Checks = append(g.Checks, newCDSChecks(ctx, c, tr)...)
	rep.Warnings = append(rep.Warnings, warnings...)
	if !dsUntil.IsZero() {
		g.next = append(g.next, Next{Step: "finish", Earliest: dsUntil.UTC(), Detail: "the DS of a key the new side does not sign with, gone from the parent, has left validating resolvers' caches"})
	}
	if ctx.Err() != nil {
		// An ask the end of the run cut short passes as a server
		// that did not answer: nothing is concluded.
		g.Err = true
		g.Detail = fmt.Sprintf("interrupted before every place was asked: %v", ctx.Err())
		return g
	}
	var bad []string
	seen := map[string]bool{}
	for _, ch := range g.Checks {
		if ch.OK {
			continue
		}
		bad = append(bad, ch.Detail)
		if !seen[ch.Fix] {
			seen[ch.Fix] = true
			g.Plan = append(g.Plan, ch.Fix)
		}
	}
	if len(bad) == 0 {
		g.OK = true
		g.Detail = fmt.Sprintf("nothing names a server of the old side only (%s): no parent server, no apex NS of either side, no target in git, no zone of a new delegation name, no DS at the parent for a key the new side does not sign its DNSKEY set with, no key the old side signs with in the new side's DNSKEY set, no CDS or CDNSKEY of the new side for a key it does not sign with", dash(oldList))
		if otherRead {
			g.Detail += ", no other delegation of the parent zone"
		} else if len(names) > 0 {
			g.Detail += fmt.Sprintf("; delegations of other zones to these servers were not checked (the registrar cannot read the parent zone %s, and other parents are not known): make sure no other zone is delegated to them before decommissioning the old provider", dash(c.ParentZone))
		}
		return g
	}
	// The apex NS sets may have shown other names of old servers
	// (oldNamesIn): the list says every name judged old.
	oldList = strings.Join(slices.Sorted(maps.Keys(names)), " ")
	g.Detail = fmt.Sprintf("%d places still name a server of the old side only (%s): %s", len(bad), oldList, strings.Join(bad, "; "))
	g.Plan = append(g.Plan, "run "+zoneCmd(c.Zone.Origin, "finish")+" again")
	return g
}

// failed and passed are ch as a failed and as a passed check.
func failed(ch delegation.Check) delegation.Check {
	ch.Severity = delegation.SevError
	return ch
}

func passed(ch delegation.Check) delegation.Check {
	ch.OK, ch.Severity = true, delegation.SevInfo
	return ch
}

// parentNSChecks: each parent server's NS set and glue (read earlier in
// rep) name none of the old-only names and addresses.
func parentNSChecks(c *Config, rep *Report, names, ips map[string]bool, oldList string) []delegation.Check {
	var checks []delegation.Check
	for _, v := range rep.Parent {
		ch := delegation.Check{Name: CheckParentNS, Server: v.Server, Asked: "NS " + c.Zone.Origin + " at the parent, RD=0", Expected: "no old-only server (" + oldList + ")",
			Got: strings.Join(v.Delegation.NS, " ")}
		bad := namesIn(v.Delegation.NS, names)
		for n, as := range v.Delegation.Glue {
			for _, a := range as {
				if ips[a] {
					bad = append(bad, fmt.Sprintf("glue %s %s", n, a))
				}
			}
		}
		switch {
		case v.Err != "":
			ch.Detail = "cannot read the delegation: " + v.Err
			ch.Fix = "run finish again when every parent server answers"
			checks = append(checks, failed(ch))
		case len(bad) > 0:
			ch.Detail = fmt.Sprintf("parent server %s still delegates to the old side: %s", v.Server, strings.Join(bad, ", "))
			ch.Fix = "flip again (" + zoneCmd(c.Zone.Origin, "flip") + ") so that every parent server delegates to the new side only"
			checks = append(checks, failed(ch))
		default:
			ch.Detail = fmt.Sprintf("parent server %s names no old server", v.Server)
			checks = append(checks, passed(ch))
		}
	}
	return checks
}

// apexNSChecks: the apex NS each server of the new, then the old side
// served in the step (apexNSSeen) names no old-only server. The old
// side's are the servers observeOldNS asks (oldServers): its configured
// ones and those the delegation recorded before the last flip sends
// resolvers to that the config does not list, whose apex NS keeps the
// resolvers that reach them on the old provider as any other's (RFC 2181
// §5.4.1). A server that does not serve the zone any more passes, and so
// does one that did not answer (nothing it serves was seen), each saying
// which. A recorded name whose lookup failed fails (its servers were not
// asked); one that does not exist, or has no address, passes (resolvers
// cannot reach it either), saying so.
func apexNSChecks(ctx context.Context, c *Config, oldList string) []delegation.Check {
	var checks []delegation.Check
	olds := c.oldServers(ctx)
	for _, s := range []*Side{&c.New, &c.Old} {
		servers := s.Servers
		if s == &c.Old {
			servers = olds.servers
		}
		answers := c.apexSeen.apexNSOf(ctx, c, servers)
		for i, srv := range servers {
			ch := delegation.Check{Name: CheckApexNS, Server: srv, Asked: "NS " + c.Zone.Origin + " at the " + s.Name + " side, RD=0", Expected: "no old-only server (" + oldList + ")"}
			which := fmt.Sprintf("the %s side's %s", s.Name, srv)
			if i >= len(s.Servers) {
				which += fmt.Sprintf(" (an address of the delegation recorded before the flip, its glue or a name of it resolved, that providers.%s.nameservers does not list)", s.Name)
			}
			ns, err := answers[i].ns, answers[i].err
			if err != nil {
				ch.Got = err.Error()
				ch.Detail = fmt.Sprintf("%s does not serve the zone (%v): nothing to follow there", which, err)
				if !answers[i].noApexNS() {
					ch.Detail = fmt.Sprintf("%s did not answer (%v): no apex NS of it was seen", which, err)
				}
				checks = append(checks, passed(ch))
				continue
			}
			ch.Got = strings.Join(ns, " ")
			if bad := c.oldNamesIn(ctx, ns); len(bad) > 0 {
				ch.Detail = fmt.Sprintf("the %s side's apex NS at %s lists %s, a server of the old side only%s: resolvers that reach it (RFC 2181 §5.4.1) keep going to the old provider", s.Name, srv, strings.Join(bad, " "), c.oldNameWhy(bad))
				if i >= len(s.Servers) {
					ch.Detail = fmt.Sprintf("%s serves an apex NS listing %s, a server of the old side only%s: resolvers that reach it (RFC 2181 §5.4.1) keep going to the old provider", which, strings.Join(bad, " "), c.oldNameWhy(bad))
				}
				if s.Name == "new" {
					ch.Fix = "make the new provider's apex NS its own servers only (providers.new.manage_apex false, or git's apex NS), then " + providerCmd("push", "new", c.Zone.Origin)
				} else {
					ch.Fix = "point the old provider's apex NS at the new servers (git's apex NS naming the new servers, providers.old.manage_apex: true, " + providerCmd("push", "old", c.Zone.Origin) + "), or delete the zone at the old provider"
				}
				checks = append(checks, failed(ch))
				continue
			}
			ch.Detail = fmt.Sprintf("the %s side's apex NS at %s names no old server", s.Name, srv)
			checks = append(checks, passed(ch))
		}
	}
	for _, u := range olds.unresolved {
		ch := delegation.Check{Name: CheckApexNS, Server: u.name, Asked: "A and AAAA " + u.name + " (a name of the delegation recorded before the flip), then NS " + c.Zone.Origin + " at its addresses, RD=0",
			Expected: "its addresses, whose apex NS names no old-only server", Got: u.why}
		if u.failed {
			ch.Detail = fmt.Sprintf("%s, a name of the delegation recorded before the flip, could not be resolved (%s): resolvers that cached that delegation may still ask its servers, whose apex NS was not asked", u.name, u.why)
			ch.Fix = fmt.Sprintf("make cutover.resolvers (or parity.resolver) resolve %s (or list its addresses in providers.old.nameservers), then run finish again", u.name)
			checks = append(checks, failed(ch))
			continue
		}
		ch.Detail = fmt.Sprintf("%s, a name of the delegation recorded before the flip, resolves to no address (%s): resolvers cannot reach it either", u.name, u.why)
		checks = append(checks, passed(ch))
	}
	return checks
}

// gitTargetChecks: no NS, MX, SRV or CNAME target in git, in the zone
// or any other zone of the config (ConfigZones but its own: a zone delegated to an old
// server, or mailing through one, goes dark with it), is an old-only name
// (in another zone, a name that zone gives an old-only address counts as
// one too); one failed check per record that is (its file relative to
// the workspace), one per zone git cannot read, one passed check when
// none is.
func gitTargetChecks(ctx context.Context, c *Config, names, ips map[string]bool) []delegation.Check {
	var checks []delegation.Check
	newNames := c.newNames()
	gz := c.GitZones
	if gz == nil {
		gz = &GitZones{}
	}
	// The config's zones but the step's own (read as Zone), which the
	// list shared by a wave's steps holds too.
	own := zone.CanonicalName(c.Zone.Origin)
	others := 0
	idxs, errs := gz.load(c.ConfigZones, own)
	for i, err := range errs {
		if c.ConfigZones[i].Origin == own {
			continue
		}
		others++
		if err != nil {
			checks = append(checks, failed(delegation.Check{Name: CheckGitTarget, Server: c.ConfigZones[i].Origin, Asked: "NS, MX, SRV and CNAME targets of " + c.ConfigZones[i].Origin + " in git",
				Expected: "a zone git can read", Got: err.Error(),
				Detail: fmt.Sprintf("cannot read %s, another zone of the config, to check that none of its targets names an old-only server: %v", c.ConfigZones[i].Origin, err),
				Fix:    fmt.Sprintf("fix %s (dnsparity check), then run finish again", c.ConfigZones[i].File)}))
		}
	}
	// A zone git delegates to an old server by another name than the
	// old side's (a provider's own name for it) goes dark with it too:
	// the NS targets outside the zones that name them are looked up
	// (sideNamesIn without hold, adding those at an old-only address to names).
	ownIdx := indexTargets(c.Zone)
	targets := slices.Clone(ownIdx.nsOut)
	for _, x := range idxs {
		if x != nil {
			targets = append(targets, x.nsOut...)
		}
	}
	c.sideNamesIn(ctx, "old", targets, false)
	checks = append(checks, ownIdx.checks(c, true, names, nil, nil)...)
	// Each other zone is asked for names and ips (targetIndex), not
	// scanned record by record: a finish over a wave of thousands of
	// zones scanned every record of every zone for each zone.
	for _, x := range idxs {
		if x != nil {
			checks = append(checks, x.checks(c, false, names, ips, newNames)...)
		}
	}
	if len(checks) == 0 {
		what := "in git"
		if others > 0 {
			what = fmt.Sprintf("in git (%s and the config's %s)", c.Zone.Origin, plural.N(others, "other zone", "other zones"))
		}
		checks = append(checks, passed(delegation.Check{Name: CheckGitTarget, Asked: "NS, MX, SRV and CNAME targets " + what, Expected: "none an old-only server", Detail: "no NS, MX, SRV or CNAME target " + what + " names an old-only server"}))
	}
	return checks
}

// targetCheck is the failed check of a record of set s at pos naming
// target (folded), an old-only server, in the zone origin (own: the
// step's zone, else another zone of the config).
func targetCheck(c *Config, origin string, own bool, s *zone.RRSet, pos zone.Pos, target string) delegation.Check {
	if rel, err := filepath.Rel(c.Root, pos.File); c.Root != "" && err == nil && !strings.HasPrefix(rel, "..") {
		pos.File = rel
	}
	fix := fmt.Sprintf("change %s to name a server of the new side (for the apex NS: %s), commit, push", pos, strings.Join(c.New.Delegation, " "))
	if !own {
		fix = fmt.Sprintf("change %s to name a server that stays (%s is another zone: move it off the old provider first if it is served there), commit, push", pos, origin)
	}
	return failed(delegation.Check{Name: CheckGitTarget, Server: pos.String(), Asked: fmt.Sprintf("%s %s in git", s.Name, dns.TypeToString[s.Type]),
		Expected: "a target that is not an old-only server", Got: target,
		Detail: fmt.Sprintf("%s: %s %s points to %s, a server of the old side only", pos, s.Name, dns.TypeToString[s.Type], target),
		Fix:    fix})
}

// otherNSChecks: where the registrar reads the parent zone itself
// (registrar.OtherNSReader: the parent registrar), no NS RRset there
// other than the zone's (a sibling delegation, the parent's own NS set)
// reaches an old-only server: that zone goes dark with the old provider
// (the parent registrar keeps such a name's glue at the flip). A name is
// judged by the addresses resolvers reach, not by its spelling: an
// old-only name, an address the parent zone holds for it (the glue its
// referrals carry, which resolvers follow whatever the name's own A and
// AAAA say) that is an old-only address, or a name outside the zone that
// resolves to one (sideNamesIn without hold: the old provider's own name for its
// server, two names on one address). A name whose lookup fails counts
// only by its glue, as git's NS targets do (an unrelated zone's server
// this machine cannot resolve is no old server). read is false when the
// registrar cannot (no check made).
func otherNSChecks(ctx context.Context, c *Config, names, ips map[string]bool, oldList string) (checks []delegation.Check, read bool) {
	r, ok := c.Registrar.(registrar.OtherNSReader)
	if !ok {
		return nil, false
	}
	ch := delegation.Check{Name: CheckOtherNS, Server: c.ParentZone, Asked: "the NS RRsets of the parent zone " + c.ParentZone + " other than " + c.Zone.Origin + "'s, at the registrar", Expected: "no old-only server (" + oldList + ")"}
	other, err := r.OtherNS(ctx, c.Zone.Origin)
	if err != nil {
		ch.Got = err.Error()
		ch.Detail = "cannot read the other delegations of the parent zone: " + err.Error()
		ch.Fix = "run finish again when the registrar can read the parent zone"
		return []delegation.Check{failed(ch)}, true
	}
	var targets []string
	for _, ns := range other.NS {
		targets = append(targets, ns...)
	}
	c.sideNamesIn(ctx, "old", targets, false) // adds to names those at an old-only address
	for _, owner := range slices.Sorted(maps.Keys(other.NS)) {
		bad := namesIn(other.NS[owner], names)
		why := c.oldNameWhy(bad)
		for _, n := range other.NS[owner] {
			for _, a := range other.Glue[n] {
				if ips[a] && !slices.Contains(bad, n) {
					bad = append(bad, n)
					why += fmt.Sprintf(" (the parent zone's glue for %s is %s, an old server's address)", n, a)
				}
			}
		}
		if len(bad) == 0 {
			continue
		}
		ch := ch
		ch.Server, ch.Asked, ch.Got = owner, "NS "+owner+" in the parent zone "+c.ParentZone+" and the addresses it holds for those names, at the registrar", strings.Join(other.NS[owner], " ")
		ch.Detail = fmt.Sprintf("the parent zone delegates %s to %s, a server of the old side only%s: %s goes dark with the old provider", owner, strings.Join(bad, " "), why, owner)
		ch.Fix = fmt.Sprintf("move %s off the old provider's servers (its NS in the parent zone naming servers that stay), then run finish again", owner)
		checks = append(checks, failed(ch))
	}
	if len(checks) == 0 {
		ch.Got = plural.N(len(other.NS), "other NS RRset", "other NS RRsets")
		ch.Detail = "no other delegation of the parent zone names an old-only server"
		checks = append(checks, passed(ch))
	}
	return checks, true
}

// nsZoneChecks: each name of the new side's delegation outside the zone
// lives in a zone (found through the resolvers: its SOA owner, then its
// NS) with a server that is not the old side's only, and, where the old
// side's provider lists its zones (provider.ZoneLister), that the old
// provider does not hold. A name whose zone only the old provider serves
// (a vanity name kept there) resolves today and stops when the old
// provider goes, and the zone with it; so does one whose zone the old
// provider serves under other nameserver names (Route 53 and Cloudflare
// give each zone its own), which server names and addresses alone do not
// show.
func nsZoneChecks(ctx context.Context, c *Config, names, ips map[string]bool, held *oldHeldZones) []delegation.Check {
	v := delegation.Via{Resolvers: c.nameResolvers(), ParentZone: c.ParentZone, ParentServers: c.ParentServers, Timeout: c.Timeout}
	var checks []delegation.Check
	for _, n := range c.New.Delegation {
		n = zone.Fold(dns.Fqdn(n))
		if registrar.InBailiwick(n, c.Zone.Origin) {
			continue // glue at the parent, addresses in the zone itself
		}
		ch := delegation.Check{Name: CheckNSZone, Server: n, Asked: "the zone holding " + n + " (SOA) and its NS, and their addresses", Expected: "a server that is not the old side's only"}
		z, ns, why := v.ZoneNS(ctx, n)
		if why != "" {
			ch.Got = why
			ch.Detail = fmt.Sprintf("cannot tell which servers serve the zone of %s, a nameserver of the new side: %s", n, why)
			ch.Fix = "set cutover.resolvers (or parity.resolver) to a resolver that reaches it, and run finish again"
			checks = append(checks, failed(ch))
			continue
		}
		var via, other []string
		for _, m := range ns {
			addrs, _ := v.Addrs(ctx, m)
			via = append(via, m+" "+dash(strings.Join(addrs, " ")))
			for _, a := range addrs {
				if !names[m] && !ips[a] {
					other = append(other, m)
					break
				}
			}
		}
		ch.Got = fmt.Sprintf("%s: NS %s", z, strings.Join(via, ", "))
		if len(other) == 0 {
			ch.Detail = fmt.Sprintf("%s, a nameserver of the new side, lives in %s, whose nameservers are the old side's servers or resolve to nothing (%s): once the old provider goes, %s stops resolving and %s with it", n, z, strings.Join(via, ", "), n, c.Zone.Origin)
			ch.Fix = fmt.Sprintf("move %s to a provider that stays (or give the new side nameserver names in a zone that stays), then run finish again", z)
			checks = append(checks, failed(ch))
			continue
		}
		ch.Expected += ", in a zone the old provider does not hold"
		at, note, err := held.holds(ctx, z)
		switch {
		case err != nil:
			ch.Detail = fmt.Sprintf("%s lives in %s, served by %s; cannot list the old provider's zones to tell whether it holds %s under other nameserver names: %v", n, z, strings.Join(other, " "), z, err)
			ch.Fix = "run finish again when the old provider's API answers"
			checks = append(checks, failed(ch))
			continue
		case at:
			ch.Detail = fmt.Sprintf("%s, a nameserver of the new side, lives in %s, which the old provider holds (providers.old lists it; its nameservers %s may be the old provider's under other names): once the old provider goes, %s may stop resolving and %s with it", n, z, strings.Join(other, " "), n, c.Zone.Origin)
			ch.Fix = fmt.Sprintf("move %s to a provider that stays (or delete it at the old provider, if that copy is not the one the parent delegates to), then run finish again", z)
			checks = append(checks, failed(ch))
			continue
		}
		ch.Detail = fmt.Sprintf("%s lives in %s, served by %s%s", n, z, strings.Join(other, " "), note)
		checks = append(checks, passed(ch))
	}
	return checks
}

// cutZoneChecks: where the old side's provider lists its zones
// (listsZones, held), no zone git delegates below the zone (an
// NS owner below the apex) is one it holds. An API provider serves each
// zone under nameserver names of its own, so the delegation's names and
// addresses need not be the old side's for that zone to live there (as
// ns-zone judges the new side's nameserver names): decommissioning the old
// provider may take it with it. One failed check per such zone (or one
// when the listing fails); nothing when none is, or the provider cannot
// list its zones (ns-zone's detail says only names and addresses were
// compared).
func cutZoneChecks(ctx context.Context, c *Config, held *oldHeldZones) []delegation.Check {
	if !listsZones(c.Old.Provider) {
		return nil
	}
	var checks []delegation.Check
	for _, s := range c.Zone.Sets {
		if s.Type != dns.TypeNS || s.Name == c.Zone.Origin {
			continue
		}
		ch := delegation.Check{Name: CheckCutZone, Server: s.Name, Asked: "the zones the old provider holds", Expected: "not " + s.Name + ", which git delegates (NS " + strings.Join(s.Strings(), ", ") + ")"}
		at, _, err := held.holds(ctx, s.Name)
		switch {
		case err != nil:
			ch.Got = err.Error()
			ch.Detail = fmt.Sprintf("cannot list the old provider's zones to tell whether it holds %s, which git delegates: %v", s.Name, err)
			ch.Fix = "run finish again when the old provider's API answers"
			return append(checks, failed(ch))
		case at:
			ch.Got = "held"
			ch.Detail = fmt.Sprintf("git delegates %s (NS %s), and the old provider holds it as a zone of its own (its nameservers may be the old provider's under other names): decommissioning the old provider may take %s with it", s.Name, strings.Join(s.Strings(), ", "), s.Name)
			ch.Fix = fmt.Sprintf("move %s to a provider that stays (and its delegation in git), or delete it at the old provider if that copy is not the one the delegation points to, then run finish again", s.Name)
			checks = append(checks, failed(ch))
		}
	}
	return checks
}

// oldHeldZones are the zones the old side's provider holds, listed once
// (listOldZones: every page where it is a provider.AccountLister) when
// nsZoneChecks or cutZoneChecks first needs them.
type oldHeldZones struct {
	c      *Config
	listed bool
	zones  oldZoneListing
}

// holds reports whether the old side's provider holds zone z; note says
// what was not compared when it cannot tell for sure: it cannot list its
// zones, it lists only a page of them (a provider.ZoneLister without
// provider.AccountLister: a zone past that page is not seen), or its
// credentials see only some (provider.ZoneListPartial). Before, ns-zone
// decided from ZoneNames' first page: a zone sorting past it read as not
// held.
func (h *oldHeldZones) holds(ctx context.Context, z string) (held bool, note string, err error) {
	if !h.listed {
		h.zones = listOldZones(ctx, h.c.Old.Provider)
		h.listed = ctx.Err() == nil
	}
	ls := h.zones
	switch {
	case !ls.can:
		return false, fmt.Sprintf(" (only server names and addresses were compared: providers.old cannot list its zones, so whether it holds %s under other nameserver names was not checked)", z), nil
	case ls.err != nil:
		return false, "", ls.err
	case slices.Contains(ls.names, zone.CanonicalName(z)):
		return true, "", nil
	case !ls.allPages:
		return false, fmt.Sprintf(" (not among the %s of the page of its zones the old provider lists; it lists only a page, so any others were not compared)", plural.N(len(ls.names), "zone", "zones")), nil
	case ls.partialWhy != "":
		return false, fmt.Sprintf(" (not among the zones the old provider lists for these credentials, %s: the account may hold more, not compared)", ls.partialWhy), nil
	}
	return false, ", which the old provider does not hold", nil
}

// newFeedChecks: the new side's data does not come from the old side.
// A server of the new side whose copy of the zone counts down (a
// secondary, copyExpiry) refreshes it from its primary; one whose SOA
// names an old-only server as that primary (MNAME: the source of NOTIFY
// and, usually, of transfers, RFC 1996; oldNamesIn, so another name of
// an old server counts too, and so does a name that cannot be looked
// up: finish is held on it), or a new side whose configured primary
// (providers.new.server, Side.Primary) is an old-only address, loses it
// with the old provider: at the SOA expire after its last refresh it
// answers SERVFAIL for every name (RFC 1035 §3.3.13). A server whose SOA
// names another host is passed, its copy's expiry in the detail.
func newFeedChecks(ctx context.Context, c *Config, names, ips map[string]bool) []delegation.Check {
	var checks []delegation.Check
	if p := c.New.Primary; p != "" {
		host := query.Host(p)
		ch := delegation.Check{Name: CheckNewFeed, Server: p, Asked: "providers.new's primary (server)", Expected: "not an old-only server", Got: p}
		if ips[host] {
			ch.Detail = fmt.Sprintf("the new side's primary %s is a server of the old side only: its secondaries lose their source with the old provider", p)
			ch.Fix = "give the new side a primary of its own (and its secondaries that source), then run finish again"
			checks = append(checks, failed(ch))
		} else {
			ch.Detail = fmt.Sprintf("the new side's primary %s is not a server of the old side only", p)
			checks = append(checks, passed(ch))
		}
	}
	// Any secondary of an old primary strands the zone.
	oldFeed := func(mname string) bool { return names[mname] || len(c.oldNamesIn(ctx, []string{mname})) > 0 }
	// A server answering its SOA expire whose SOA names an old primary
	// is told apart from a primary (a secondary refreshed that second).
	ce := c.copyExpiry(ctx, &c.New, c.New.Servers, c.now(), func(sc ServerCopy) bool { return oldFeed(sc.MName) })
	if ce == nil {
		return checks
	}
	for _, sc := range ce.Servers {
		ch := delegation.Check{Name: CheckNewFeed, Server: sc.Server, Asked: "SOA " + c.Zone.Origin + " with EDNS EXPIRE (RFC 7314), RD=0",
			Expected: "a primary, or a secondary whose primary is not an old-only server", Got: fmt.Sprintf("a copy counting down (EDNS EXPIRE %d s), SOA primary %s", sc.Expire, sc.MName)}
		if oldFeed(sc.MName) {
			// How it counts as one (looked up: resolved to an old
			// address, or not resolved: finish is held on it).
			what, fix := "a server of the old side only", ""
			if why := c.oldNameWhy([]string{sc.MName}); why != "" {
				what = "counted as a server of the old side only" + why
				fix = fmt.Sprintf(" (when %s is no old server: a resolver in cutover.resolvers that looks it up lets finish see it)", sc.MName)
			}
			ch.Detail = fmt.Sprintf("%s is a secondary whose SOA names %s, %s, as its primary: once the old provider is gone it cannot refresh, and its copy expires at %s (answering SERVFAIL for every name)", sc.Server, sc.MName, what, deadline.Format(sc.Expires))
			ch.Fix = fmt.Sprintf("make %s transfer the zone from a primary of the new side (and serve that primary's SOA), or load the zone there as a primary%s; then run finish again", sc.Server, fix)
			checks = append(checks, failed(ch))
			continue
		}
		ch.Detail = fmt.Sprintf("%s is a secondary whose SOA names %s as its primary, not an old-only server; its copy expires at %s unless refreshed", sc.Server, sc.MName, deadline.Format(sc.Expires))
		checks = append(checks, passed(ch))
	}
	return checks
}
