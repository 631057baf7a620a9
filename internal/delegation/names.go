package delegation

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// nameResult is one NS name resolved: its addresses and the ns-resolves
// check.
type nameResult struct {
	name  string
	addrs []string
	glue  bool // from the glue the step installs
	check Check
}

// resolve finds the addresses of an NS name (Zonemaster NAMESERVER06, and
// DELEGATION05: not an alias): the glue the step installs for a name in
// the zone's bailiwick; otherwise A and AAAA through the configured
// resolvers; without resolvers, a name in the parent zone is asked of the
// parent's servers. Never the system resolver.
func (t *Target) resolve(ctx context.Context, name string) nameResult {
	nr := nameResult{name: name}
	c := Check{Name: CheckNSResolves, Server: name, Ref: "Zonemaster NAMESERVER06, DELEGATION05; RFC 1034 §4.2.2"}
	if inBailiwick(name, t.Zone) {
		c.Asked = "the glue the step installs for " + name
		c.Expected = "at least one address"
		nr.addrs = sortedCopy(t.Glue[name])
		nr.glue = true
		if len(nr.addrs) == 0 {
			c.Got = "no glue"
			c.Detail = fmt.Sprintf("%s is inside %s and needs glue at the parent, but the step installs none: nothing can reach it", name, t.Zone)
			c.Fix = fmt.Sprintf("list the %s side's server addresses in providers.%s.nameservers (one per delegation name, in order), or give %s an A/AAAA record in the zone file", t.Side, t.Side, name)
		} else {
			c.OK = true
			c.Got = strings.Join(nr.addrs, " ")
			c.Detail = fmt.Sprintf("%s: glue %s", name, c.Got)
		}
		nr.check = c
		return nr
	}
	v := Via{Resolvers: t.Resolvers, ParentZone: t.ParentZone, ParentServers: t.ParentServers, Timeout: t.Timeout}
	servers, _ := v.servers(name)
	if len(servers) == 0 {
		c.Asked = "A and AAAA " + name
		c.Detail = fmt.Sprintf("%s is outside %s and there is no resolver to look it up with (the system resolver is never used)", name, t.Zone)
		c.Fix = "set cutover.resolvers (or parity.resolver) to a resolver you run, by address"
		nr.check = c
		return nr
	}
	c.Asked = fmt.Sprintf("A and AAAA %s at %s", name, strings.Join(servers, " "))
	c.Expected = "at least one address, not through a CNAME"
	var why []string
	nr.addrs, why, _ = v.lookupAll(ctx, name)
	if len(nr.addrs) == 0 {
		c.Got = strings.Join(why, "; ")
		if c.Got == "" {
			c.Got = "no A or AAAA records"
		}
		c.Detail = fmt.Sprintf("%s does not resolve: %s", name, c.Got)
		c.Fix = fmt.Sprintf("give %s an address (A/AAAA) where its zone is served, or remove it from providers.%s.delegation", name, t.Side)
		nr.check = c
		return nr
	}
	for _, w := range why {
		if strings.Contains(w, "CNAME") {
			c.Got = w
			c.Detail = fmt.Sprintf("%s is an alias: %s (an NS name must not be a CNAME, RFC 2181 §10.3)", name, w)
			c.Fix = fmt.Sprintf("use the canonical name in providers.%s.delegation instead of %s", t.Side, name)
			nr.check = c
			return nr
		}
	}
	if cycle := t.cycle(ctx, v, name); cycle != "" {
		c.Got = strings.Join(nr.addrs, " ") + " (now)"
		c.Detail = cycle
		c.Fix = fmt.Sprintf("give the zone of %s a nameserver outside %s (or one with glue that stays at its parent), or use nameserver names the step glues (inside %s, with providers.%s.nameservers)", name, t.Zone, t.Zone, t.Side)
		nr.check = c
		return nr
	}
	c.OK = true
	c.Got = strings.Join(nr.addrs, " ")
	c.Detail = fmt.Sprintf("%s resolves to %s", name, c.Got)
	nr.check = c
	return nr
}

// cycle says why name, outside the zone, resolves now only through the
// delegation the step replaces ("" when it does not, or when it cannot be
// told): every nameserver of the zone holding it is inside the zone, not
// glued by the step, and without glue at the parent that stays (a name of
// another side loses its glue when the delegation moves away from it).
// After the step, resolvers need the zone to find the zone's servers: a
// cycle that fails with a cold cache (Zonemaster DELEGATION05's
// "name server resolvable only through the zone").
func (t *Target) cycle(ctx context.Context, v Via, name string) string {
	holder, ns, why := v.ZoneNS(ctx, name)
	if why != "" {
		return ""
	}
	for _, m := range ns {
		if !inBailiwick(m, t.Zone) || len(t.Glue[m]) > 0 || t.keptGlue(ctx, holder, m) {
			return ""
		}
	}
	return fmt.Sprintf("%s lives in %s, whose nameservers (%s) are inside %s with no glue that stays once the step changes the delegation: resolvers then need %s to find %s's servers, and %s's to find %s (a cycle: it resolves now only through the delegation being replaced)",
		name, holder, strings.Join(ns, " "), t.Zone, t.Zone, holder, t.Zone, name)
}

// keptGlue reports whether the parent's referral for holder (a zone the
// parent's servers delegate) carries an address for m that stays after
// the step, at every parent server that answers (registrar.Lookup: a
// resolver may ask any of them): m is not a name of another side, whose
// glue goes with its delegation.
func (t *Target) keptGlue(ctx context.Context, holder, m string) bool {
	if t.ParentZone == "" || zone.Parent(holder) != zone.Fold(dns.Fqdn(t.ParentZone)) {
		return false // another parent cannot glue a name inside this zone
	}
	for _, o := range t.Others {
		if slices.Contains(foldSorted(o.NS), m) {
			return false
		}
	}
	answered := 0
	for _, v := range registrar.Lookup(ctx, t.ParentServers, holder, t.Timeout) {
		if v.Err != "" && v.Silent {
			continue
		}
		if v.Err != "" {
			return false // it answers without the referral: resolvers asking it get no glue
		}
		answered++
		if len(v.Sibling[m]) == 0 && len(v.Delegation.Glue[m]) == 0 {
			return false
		}
	}
	return answered > 0
}

// Via is how names outside a zone are resolved: through the configured
// resolvers (RD=1); without any, a name in the parent zone is asked of the
// parent's servers (RD=0). Never the system resolver.
type Via struct {
	Resolvers     []string
	ParentZone    string
	ParentServers []string
	Timeout       time.Duration
}

// servers are the servers name is asked of, and whether with RD.
func (v Via) servers(name string) ([]string, bool) {
	switch {
	case len(v.Resolvers) > 0:
		return v.Resolvers, true
	case v.ParentZone != "" && inBailiwick(name, v.ParentZone) && len(v.ParentServers) > 0:
		return v.ParentServers, false
	}
	return nil, false
}

// Addrs resolves name to its A and AAAA addresses, or says why not.
func (v Via) Addrs(ctx context.Context, name string) ([]string, string) {
	addrs, why, _ := v.Lookup(ctx, name)
	return addrs, why
}

// Lookup is Addrs, and whether a lookup failed (failed: no resolver to
// ask, or none answered the A or the AAAA query with NOERROR or
// NXDOMAIN), as opposed to a name that does not exist or has no
// address, which resolvers cannot reach either.
func (v Via) Lookup(ctx context.Context, name string) (addrs []string, why string, failed bool) {
	name = zone.Fold(dns.Fqdn(name))
	if s, _ := v.servers(name); len(s) == 0 {
		return nil, "no resolver configured (cutover.resolvers or parity.resolver) to look it up with", true
	}
	addrs, whys, failed := v.lookupAll(ctx, name)
	if len(addrs) == 0 && len(whys) == 0 {
		whys = []string{"no A or AAAA records"}
	}
	return addrs, strings.Join(whys, "; "), failed
}

// ZoneNS finds the zone that holds name (the owner of the SOA the servers
// give for it, in the answer or the authority section) and that zone's NS
// names, or says why not.
func (v Via) ZoneNS(ctx context.Context, name string) (string, []string, string) {
	name = zone.Fold(dns.Fqdn(name))
	servers, rd := v.servers(name)
	if len(servers) == 0 {
		return "", nil, "no resolver configured (cutover.resolvers or parity.resolver) to look it up with"
	}
	if v.Timeout <= 0 {
		v.Timeout = 2 * time.Second
	}
	var last string
	for _, s := range servers {
		r, err := query.Msg(ctx, s, name, dns.TypeSOA, query.MsgOptions{Timeout: v.Timeout, RD: rd})
		if err != nil {
			last = err.Error()
			continue
		}
		apex := ""
		for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
			if soa, ok := rr.(*dns.SOA); ok && dns.IsSubDomain(zone.Fold(soa.Hdr.Name), name) {
				apex = zone.Fold(soa.Hdr.Name)
				break
			}
		}
		if apex == "" {
			last = fmt.Sprintf("no SOA for %s from %s (%s)", name, s, dns.RcodeToString[r.Rcode])
			continue
		}
		r, err = query.Msg(ctx, s, apex, dns.TypeNS, query.MsgOptions{Timeout: v.Timeout, RD: rd})
		if err != nil {
			last = err.Error()
			continue
		}
		var ns []string
		for _, rr := range r.Answer {
			if n, ok := rr.(*dns.NS); ok && zone.Fold(n.Hdr.Name) == apex {
				ns = append(ns, zone.Fold(n.Ns))
			}
		}
		if len(ns) == 0 {
			last = fmt.Sprintf("no NS for %s from %s (%s)", apex, s, dns.RcodeToString[r.Rcode])
			continue
		}
		sort.Strings(ns)
		return apex, ns, ""
	}
	return "", nil, last
}

func (v Via) lookupAll(ctx context.Context, name string) (addrs, why []string, failed bool) {
	servers, rd := v.servers(name)
	if v.Timeout <= 0 {
		v.Timeout = 2 * time.Second
	}
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		as, err, f := lookup(ctx, servers, name, qt, rd, v.Timeout)
		if err != "" {
			why = append(why, err)
		}
		addrs = append(addrs, as...)
		failed = failed || f
	}
	sort.Strings(addrs)
	return addrs, uniqueSorted(why), failed
}

// lookup asks the servers (the first that answers) for name's records of
// type qt; a reason when it found none that was not just NODATA, and
// failed when no server answered with NOERROR or NXDOMAIN.
func lookup(ctx context.Context, servers []string, name string, qt uint16, rd bool, timeout time.Duration) (addrs []string, why string, failed bool) {
	var last string
	for _, s := range servers {
		r, err := query.Msg(ctx, s, name, qt, query.MsgOptions{Timeout: timeout, RD: rd})
		if err != nil {
			last = err.Error()
			continue
		}
		switch {
		case r.Rcode == dns.RcodeNameError:
			return nil, fmt.Sprintf("NXDOMAIN from %s", s), false
		case r.Rcode != dns.RcodeSuccess:
			last = fmt.Sprintf("%s from %s", dns.RcodeToString[r.Rcode], s)
			continue
		case !rd && !r.Authoritative:
			last = fmt.Sprintf("%s does not answer %s authoritatively (delegated further: set cutover.resolvers)", s, name)
			continue
		}
		var out []string
		why := ""
		for _, rr := range r.Answer {
			if a, ok := zone.AddrOf(rr); ok {
				out = append(out, a)
			} else if v, ok := rr.(*dns.CNAME); ok && zone.Fold(v.Hdr.Name) == name {
				why = fmt.Sprintf("%s CNAME %s (from %s)", name, zone.Fold(v.Target), s)
			}
		}
		return out, why, false
	}
	return nil, last, true
}

// glue checks that a name's addresses are the side's own servers (the
// flip sends resolvers there), and for a name in the zone that the side's
// servers serve the same addresses as the glue (Zonemaster CONSISTENCY05),
// asking every server but those not checked from here (skip).
func (t *Target) glue(ctx context.Context, nr nameResult, skip map[string]bool) []Check {
	if len(nr.addrs) == 0 {
		return nil
	}
	c := Check{Name: CheckGlue, Server: nr.name, Ref: "Zonemaster CONSISTENCY05; docs/ARCHITECTURE.md#the-delegation-gate"}
	how := "resolves to"
	if nr.glue {
		how = "has glue"
	}
	c.Asked = fmt.Sprintf("the addresses of %s", nr.name)
	c.Expected = fmt.Sprintf("servers of the %s side (%s)", t.Side, strings.Join(hosts(t.Servers), " "))
	c.Got = strings.Join(nr.addrs, " ")
	var wrong []string
	for _, a := range nr.addrs {
		switch side := t.sideOfAddr(a); side {
		case "":
		case "none":
			wrong = append(wrong, fmt.Sprintf("%s is not a server of the %s side", a, t.Side))
		default:
			wrong = append(wrong, fmt.Sprintf("%s is a server of the %s side", a, side))
		}
	}
	if len(wrong) > 0 {
		c.Detail = fmt.Sprintf("%s %s %s: %s; resolvers following the delegation would ask servers the step does not point to", nr.name, how, c.Got, strings.Join(wrong, "; "))
		c.Fix = fmt.Sprintf("make %s's addresses the %s side's servers (providers.%s.nameservers, the zone file's A/AAAA for it, or its own zone), or list those servers in providers.%s.nameservers", nr.name, t.Side, t.Side, t.Side)
		return []Check{c}
	}
	if !nr.glue {
		if held, srv := t.parentHeldAddrs(ctx, nr.name, nr.addrs); srv != "" {
			// The parent's copy of the host's address (at a registry,
			// the host object's) goes into the referral the step
			// installs as sibling glue, and resolvers that take it
			// ask that address, whatever the name resolves to.
			var whose []string
			for _, a := range held {
				switch side := t.sideOfAddr(a); side {
				case "":
					whose = append(whose, a+" (a server of the "+t.Side+" side)")
				case "none":
					whose = append(whose, a+" (not a server of the "+t.Side+" side)")
				default:
					whose = append(whose, a+" (a server of the "+side+" side)")
				}
			}
			c.Got = fmt.Sprintf("%s holds %s", srv, orNone(held))
			c.Detail = fmt.Sprintf("%s %s %s, but the parent's server %s holds %s for it (OUT_OF_BAILIWICK_ADDR_MISMATCH): the referral the step installs carries that address as sibling glue (at a registry: the host object's address, shared by every domain naming it), and resolvers that take it ask it instead",
				nr.name, how, strings.Join(nr.addrs, " "), srv, strings.Join(whose, " "))
			c.Fix = fmt.Sprintf("have the address the parent holds for %s (the host object at the registry, or its glue in the parent zone) set to %s, or delegate to another name", nr.name, strings.Join(nr.addrs, " "))
			return []Check{c}
		}
		c.OK = true
		c.Detail = fmt.Sprintf("%s %s %s, servers of the %s side", nr.name, how, c.Got, t.Side)
		return []Check{c}
	}
	// The child's own addresses for the name must be the glue.
	for _, s := range t.Servers {
		if skip[s] {
			continue
		}
		var got []string
		failed, alias := "", ""
		for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
			r, err := query.Msg(ctx, s, nr.name, qt, query.MsgOptions{Timeout: t.Timeout, Tries: 1})
			if err != nil {
				failed = err.Error()
				break
			}
			for _, rr := range r.Answer {
				if a, ok := zone.AddrOf(rr); ok {
					got = append(got, a)
				} else if v, ok := rr.(*dns.CNAME); ok && zone.Fold(v.Hdr.Name) == nr.name {
					alias = fmt.Sprintf("%s CNAME %s (from %s)", nr.name, zone.Fold(v.Target), s)
				}
			}
		}
		if failed != "" {
			continue // aa and tcp report a server that does not answer
		}
		if alias != "" {
			// The glue ends where the alias does, but resolvers that
			// replace the glue with the child's answer find an alias.
			c.Got = alias
			c.Detail = fmt.Sprintf("%s is an alias at the %s side: %s (an NS name must not be a CNAME, RFC 2181 §10.3; the glue hides it until resolvers ask the child)", nr.name, t.Side, alias)
			c.Fix = fmt.Sprintf("give %s its own A/AAAA records in the zone (the addresses in providers.%s.nameservers) instead of the CNAME, and push; or use the canonical name in providers.%s.delegation", nr.name, t.Side, t.Side)
			return []Check{c}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(nr.addrs, " ") {
			c.Detail = fmt.Sprintf("the glue for %s is %s but %s serves %s for it: resolvers replace the glue with the child's answer (IN_BAILIWICK_ADDR_MISMATCH)", nr.name, c.Got, s, orNone(got))
			c.Got = fmt.Sprintf("%s serves %s", s, orNone(got))
			c.Fix = fmt.Sprintf("make the zone's A/AAAA records for %s the addresses in providers.%s.nameservers, and push", nr.name, t.Side)
			return []Check{c}
		}
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%s has glue %s, servers of the %s side, and the side serves the same addresses", nr.name, c.Got, t.Side)
	return []Check{c}
}

// parentHeldAddrs is, for a name outside the zone inside the parent
// zone, the first parent server (and the addresses) whose referral for
// the parent zone's delegation holding the name (the label below the
// parent zone) carries addresses for it other than addrs, the ones it
// resolves to: the parent zone's glue for the host, which every referral
// naming it carries (sibling glue). srv is "" when every server that
// answers holds the same addresses, or none (a host that is not among
// that delegation's NS names: its glue is not seen from here).
func (t *Target) parentHeldAddrs(ctx context.Context, name string, addrs []string) (held []string, srv string) {
	if t.ParentZone == "" || len(t.ParentServers) == 0 {
		return nil, ""
	}
	parentZone := zone.Fold(dns.Fqdn(t.ParentZone))
	if !inBailiwick(name, parentZone) || zone.Fold(name) == parentZone {
		return nil, ""
	}
	labels := dns.SplitDomainName(name)
	cut := dns.Fqdn(strings.Join(labels[len(labels)-dns.CountLabel(parentZone)-1:], "."))
	for _, v := range registrar.Lookup(ctx, t.ParentServers, cut, t.Timeout) {
		if v.Err != "" {
			continue
		}
		h := append(append([]string(nil), v.Delegation.Glue[name]...), v.Sibling[name]...)
		if len(h) > 0 && !registrar.SameGlue(map[string][]string{"": h}, map[string][]string{"": addrs}) {
			return sortedCopy(h), v.Server
		}
	}
	return nil, ""
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "no address"
	}
	return strings.Join(xs, " ")
}

func hosts(servers []string) []string {
	out := make([]string, len(servers))
	for i, s := range servers {
		out[i] = query.Host(s)
	}
	return out
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
