package delegation

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Apex is one side's apex NS after a push, for the apex trap: what plan
// compares with the side's delegation.
type Apex struct {
	Zone string
	Side string // the provider's name under providers:
	// After are the apex NS names the side serves after the push, and
	// From where they come from.
	After []string
	From  Source
	// Git is git's apex NS (the zone file's), whatever manage_apex says.
	Git []string
	// Delegation is the NS set a flip installs for this side
	// (providers.SIDE.delegation); empty when not configured (then the
	// side's apex NS is its delegation by definition).
	Delegation []string
	Others     []Other
	// Side is "old" or "new"; Delegated is the side the parent delegates
	// to now, from the audit trail ("" when unknown).
	Delegated string
	// Resolve gives a name's addresses, or why it has none.
	Resolve func(name string) (addrs []string, why string)
	// Addrs gives the addresses the zone holds at a name after the push
	// (nil: not known).
	Addrs func(name string) []string
}

// Source is where a side's apex NS after the push come from.
type Source struct {
	// Git: git's apex NS (manage_apex: true); otherwise the provider
	// keeps its own, and setting manage_apex: false changes nothing.
	Git bool
	// Created: the push creates the zone, its apex NS from
	// providers.SIDE.delegation unless Git.
	Created bool
	// At is where: git's apex NS's place in the zone file
	// (zones/x.zone:15), or, Created, how the zone is created.
	At string
}

// Says is the source as a warning names it, for side (the provider's
// name under providers:).
func (s Source) Says(side string) string {
	switch {
	case s.Created:
		return "the zone's creation: " + s.At
	case s.Git && s.At != "":
		return fmt.Sprintf("git's apex NS, providers.%s.manage_apex: true, %s", side, s.At)
	case s.Git:
		return fmt.Sprintf("git's apex NS, providers.%s.manage_apex: true", side)
	}
	return "the provider's own, kept: manage_apex is false"
}

// ApexTrap says, for one side, where the apex NS it will serve after the
// push is not its own delegation: the consequence, and what to change.
// Notes are fine states worth knowing (the side not delegated to naming
// the delegated side's servers after a flip sends stragglers there).
func ApexTrap(a Apex) (warnings, notes []string) {
	after := foldSorted(a.After)
	if len(after) == 0 {
		return nil, nil
	}
	own := foldSorted(a.Delegation)
	from := a.From.Says(a.Side)
	if len(own) > 0 && strings.Join(after, " ") != strings.Join(own, " ") {
		var named []string
		otherName := ""
		for _, n := range after {
			for _, o := range a.Others {
				if slices.Contains(foldSorted(o.NS), n) && !slices.Contains(own, n) {
					named = append(named, fmt.Sprintf("%s (providers.%s's)", n, o.Name))
					otherName = o.Name
				}
			}
		}
		// After the flip, the old side naming the new side's servers is
		// what a migration wants (resolvers still asking it are sent
		// over); the new side naming the old one's is always the trap.
		if a.Side == "old" && a.Delegated == "new" && otherName == "new" && len(named) == len(after) {
			notes = append(notes, fmt.Sprintf("provider %s serves apex NS %s (%s), the servers of %s, to which the parent now delegates: resolvers still asking %s are sent there (a rollback to %s needs its own NS back first)",
				a.Side, strings.Join(after, " "), from, a.Delegated, a.Side, a.Side))
		} else {
			w := fmt.Sprintf("apex trap, provider %s: after the push it serves apex NS %s (%s), but a flip to it installs NS %s (providers.%s.delegation).",
				a.Side, strings.Join(after, " "), from, strings.Join(own, " "), a.Side)
			if len(named) > 0 {
				w += fmt.Sprintf(" It names %s.", strings.Join(named, ", "))
			}
			w += fmt.Sprintf(" Consequence: once the parent points to %s, resolvers that trust the child's NS set (RFC 2181 §5.4.1; BIND and Unbound do) follow the apex NS instead of the delegation", a.Side)
			if len(named) > 0 {
				w += " and go back to the other provider"
			}
			if a.From.Git {
				w += fmt.Sprintf("; the delegation gate (child-ns) refuses the flip. Change: let each provider serve its own NS: set providers.%s.manage_apex: false (the provider keeps the NS it created the zone with), or make git's apex NS %s; then push.", a.Side, strings.Join(own, " "))
			} else {
				// manage_apex is already false: the provider's own names
				// are either its servers (the config's delegation is
				// wrong) or not (git must set them).
				w += fmt.Sprintf("; the delegation gate (child-ns) refuses the flip. Change: if %s are provider %s's servers, make providers.%s.delegation name them (and nameservers their addresses); else ", strings.Join(after, " "), a.Side, a.Side)
				if git := foldSorted(a.Git); slices.Equal(git, own) {
					w += fmt.Sprintf("set providers.%s.manage_apex: true (git's apex NS already names %s), then push.", a.Side, strings.Join(own, " "))
				} else {
					// git's apex NS names other servers (the other
					// side's, pushed there with its manage_apex): one
					// file cannot give both sides their own.
					w += fmt.Sprintf("make the apex NS at the provider %s by hand (its API or control panel): push keeps the provider's own while manage_apex is false, and git's apex NS (%s) names other servers.", strings.Join(own, " "), strings.Join(git, " "))
				}
			}
			warnings = append(warnings, w)
		}
	}
	for _, n := range after {
		if a.Addrs != nil && inBailiwick(n, a.Zone) && len(a.Addrs(n)) == 0 {
			// BIND refuses such an UPDATE ("post update name server
			// sanity check failed"); other servers take it.
			warnings = append(warnings, fmt.Sprintf("apex NS without an address, provider %s: it serves apex NS %s (%s), a name inside the zone, but after the push the zone holds no address for it (no A or AAAA at %s in git): the provider's servers answer their own name without an address, and resolvers that trust the child's NS set (RFC 2181 §5.4.1) cannot reach them once their copy of the parent's glue expires. Change: keep %s's A/AAAA records in git, then push.", a.Side, n, from, n, n))
		}
	}
	if a.Resolve != nil {
		for _, n := range after {
			if inBailiwick(n, a.Zone) {
				continue // needs glue: the delegation gate checks it
			}
			if addrs, why := a.Resolve(n); len(addrs) == 0 {
				change := "name only servers that exist in the apex NS, then push"
				switch {
				case a.From.Created && !a.From.Git:
					change = fmt.Sprintf("name only servers that exist in providers.%s.delegation, which the zone is created with, then push", a.Side)
				case !a.From.Git:
					// push does not write the provider's own NS.
					change = "name only servers that exist in the apex NS at the provider (its API or control panel: push keeps the provider's own while manage_apex is false)"
				}
				warnings = append(warnings, fmt.Sprintf("apex trap, provider %s: apex NS %s (%s) does not resolve (%s): resolvers that trust the child's NS set try a server that does not exist. Change: %s.", a.Side, n, from, why, change))
			}
		}
	}
	return warnings, notes
}

func foldSorted(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, zone.Fold(dns.Fqdn(x)))
	}
	sort.Strings(out)
	return out
}
