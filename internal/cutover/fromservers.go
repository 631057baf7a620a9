package cutover

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// delegationAddrs are the addresses delegation d sends resolvers to that
// servers lacks (compared by IP: glue carries no port), each IP:53: the
// glue of its names inside the zone, the A and AAAA of the others through
// the resolvers the delegation gate uses (a name that does not resolve
// adds nothing, and is one of unresolved).
func (c *Config) delegationAddrs(ctx context.Context, d registrar.Delegation, servers []string) (out []string, unresolved []unresolvedName) {
	have := map[string]bool{}
	for _, s := range servers {
		if ip := net.ParseIP(strings.Trim(query.Host(s), "[]")); ip != nil {
			have[ip.String()] = true
		}
	}
	outside, unresolved := c.outsideAddrs(ctx, d)
	for _, n := range d.NS {
		addrs := d.Glue[n]
		if !registrar.InBailiwick(n, c.Zone.Origin) {
			addrs = outside[n]
		}
		for _, a := range addrs {
			ip := net.ParseIP(a)
			if ip == nil || have[ip.String()] {
				continue
			}
			have[ip.String()] = true
			if hp, err := query.ParseAddr(ip.String()); err == nil {
				out = append(out, hp)
			}
		}
	}
	return out, unresolved
}

// outsideAddrs are the addresses each NS name of d outside the zone
// resolves to now, by name (the A and AAAA through the resolvers the
// delegation gate uses, delegation.Via; sorted, one spelling each; a
// name that resolves to none has an empty list, one whose lookup failed
// for one family what the other gave), and the names that
// resolved to none or whose lookup failed. A flip records them
// (Entry.BeforeNSAddrs): such a name's addresses are its own zone's
// holder's to move, and a rollback restoring the name judges where it
// leads then against where it led at the flip (check ns-moved).
func (c *Config) outsideAddrs(ctx context.Context, d registrar.Delegation) (addrs map[string][]string, unresolved []unresolvedName) {
	via := delegation.Via{Resolvers: c.nameResolvers(), ParentZone: c.ParentZone, ParentServers: c.ParentServers, Timeout: c.Timeout}
	for _, n := range d.NS {
		if registrar.InBailiwick(n, c.Zone.Origin) {
			continue
		}
		as, why, failed := via.Lookup(ctx, n)
		if failed || len(as) == 0 {
			unresolved = append(unresolved, unresolvedName{name: n, why: why, failed: failed})
		}
		if addrs == nil {
			addrs = map[string][]string{}
		}
		addrs[n] = canonicalAddrs(as)
	}
	return addrs, unresolved
}

// recordBeforeAddrs records in e, a flip's entry that moved the
// delegation, where the NS names outside the zone of the delegation it
// replaced (e.Before, which a rollback restores) lead now
// (Entry.BeforeNSAddrs).
func (c *Config) recordBeforeAddrs(ctx context.Context, e *Entry) {
	if e.Command != "flip" || e.Before == nil {
		return
	}
	addrs, unresolved := c.outsideAddrs(ctx, *e.Before)
	for _, u := range unresolved {
		if u.failed {
			// Not known whole (the A or the AAAA question failed): no
			// list, rather than a part a rollback would take for all.
			delete(addrs, u.name)
		}
	}
	e.BeforeNSAddrs = addrs
}

// canonicalAddrs are addresses as, each in one spelling
// (registrar.CanonicalAddr), sorted, without repeats; never nil.
func canonicalAddrs(as []string) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, registrar.CanonicalAddr(a))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// unresolvedName is a delegation's NS name outside the zone whose lookup
// found no address (why), or failed (a resolver did not answer, or
// answered with an error: it may have addresses).
type unresolvedName struct {
	name, why string
	failed    bool
}

// askFromServers adds to side s, which the step moves the delegation away
// from, the servers the parent's delegation (rep.Delegation: the one the
// step moves from) sends resolvers to that providers.<s>.nameservers does
// not list. Every gate that proves something about s (parity, the TTLs
// served, old-down and new-down, the serial re-check) asks s.Servers,
// while resolvers holding that delegation ask its servers: a config that
// names other servers (a typo, a renumbered provider, a pull request
// pointing them at the other side's servers or at an address nothing
// listens on) would make parity compare a side with itself and the
// emergency's down gate see an outage that is not there. Those this
// machine cannot send to are named and left out, as parity leaves out a
// recorded server (old-parity), in an emergency too: the address family
// this machine has no route for (IPv6 on most hosted runners; nearly every
// provider's NS names have AAAA) would otherwise make every emergency
// step impossible from it, while the addresses it can ask still show a
// provider that is up. A warning names what was added and what was not.
// With ask false (status, which only reports) they are named, not asked:
// a status whose parity passes without them may still see the step
// away from s refused.
func (c *Config) askFromServers(ctx context.Context, rep *Report, s *Side, ask bool) {
	d := registrar.Delegation{NS: rep.Delegation.NS, Glue: rep.Delegation.Glue}
	c.askFromDelegations(ctx, rep, s, ask, "the parent's delegation", []registrar.Delegation{d})
}

// askFromHeld is askFromServers for a step made half-way (the parent
// already names the side it moves to, or both sides' names), whose
// parent's delegation is no longer the one resolvers hold of side s, the
// side the step moves away from: the delegations the trail recorded for
// s are (heldDelegations). Resolvers that cached one still ask its
// servers until it expires, so the step's gates ask them as a whole
// step's gates ask those of the parent's delegation; before, a step made
// half-way asked providers.<s>.nameservers alone, and parity passed
// between the side moved to and a configured server resolvers never ask.
func (c *Config) askFromHeld(ctx context.Context, tr *Trail, rep *Report, s *Side) {
	c.askFromDelegations(ctx, rep, s, true, "the delegation the audit trail recorded for the "+s.Name+" side", c.heldDelegations(tr, s))
}

// heldDelegations are the delegations resolvers may still hold of side s
// (c.Old or c.New) while a step made half-way moves away from it, as
// the trail recorded them: the old side's are the one a flip starts from
// (expectedOld: recorded before the last flip, else configured) and the
// one the parent served when a flip since tried the registrar, as that
// attempt recorded it, every name included (lastAttempt: a --from-current
// set naming a secondary the config does not list too, which
// attemptedBefore would not restore but resolvers hold all the same),
// the new side's those that sent resolvers to it before the rollback
// (newDelegations).
func (c *Config) heldDelegations(tr *Trail, s *Side) []registrar.Delegation {
	if s == &c.Old {
		d, _ := c.expectedOld()
		out := []registrar.Delegation{d}
		if e := c.lastAttempt(tr); e != nil {
			out = append(out, *e.Before)
		}
		return out
	}
	return c.newDelegations(tr, nil)
}

// askFromDelegations adds to side s the servers delegations ds (whose:
// where they come from, for the warning) send resolvers to that
// providers.<s>.nameservers does not list, as askFromServers says.
func (c *Config) askFromDelegations(ctx context.Context, rep *Report, s *Side, ask bool, whose string, ds []registrar.Delegation) {
	for _, d := range ds {
		extra, unresolved := c.delegationAddrs(ctx, d, s.Servers)
		// A name whose lookup failed leads resolvers to servers no gate
		// asks: said, as status says it of a side's recorded delegation.
		rep.Warnings = append(rep.Warnings, unresolvedWarnings(unresolved, whose, fmt.Sprintf("the step away from the %s side does not ask the servers it leads to (parity, the TTLs served, the down gate)", s.Name))...)
		if len(extra) == 0 {
			continue
		}
		w := fmt.Sprintf("%s (%s) sends resolvers to %s, which providers.%s.nameservers does not list: ",
			whose, describeDelegation(c.Zone.Origin, d), strings.Join(extra, " "), s.Name)
		if !ask {
			rep.Warnings = append(rep.Warnings, w+fmt.Sprintf("the step away from the %s side asks them as its servers too (parity, the TTLs served, the down gate); list them, or make the delegation name the provider's servers", s.Name))
			continue
		}
		asked, notAsked := notFromHere(ctx, c, extra)
		s.Servers = append(s.Servers[:len(s.Servers):len(s.Servers)], asked...)
		s.fromDelegation = append(s.fromDelegation[:len(s.fromDelegation):len(s.fromDelegation)], asked...)
		c.sidesChanged() // the old side's servers, and those of it only, read the sides' servers
		w += fmt.Sprintf("the gates ask them as %s servers too", s.Name)
		if len(notAsked) > 0 {
			w += "; not asked from here: " + strings.Join(notAsked, "; ")
		}
		rep.Warnings = append(rep.Warnings, w)
	}
}
