package delegation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// nsSource is the ns-source check of name, an NS name of the step's set,
// when git decides that set (t.NSFromGit; ok false otherwise, and for a
// rollback's recorded set, which the parent served before the flip).
//
// A name outside the zone has addresses its own zone's holder sets,
// whenever they like: the check of its addresses (glue, ns-resolves) sees
// them only as they are at the step. Taken from git's apex NS, such a
// name is one a zone-file change chose, not the config: whoever may edit
// the zone file (a merged pull request, a CODEOWNERS rule covering zones/
// and not dnsparity.yaml) points it at the side's servers for the step,
// then anywhere, and the registry keeps it after the zone file is
// reverted. A name inside the zone is glued to the side's configured
// addresses (glue holds every address it has to providers.SIDE.nameservers,
// and the side's own answers to the glue), so it passes: what it names
// moves with the zone's data, which git decides anyway.
func (t *Target) nsSource(name string) (Check, bool) {
	if t.NSFromGit == "" || t.Recorded {
		return Check{}, false
	}
	c := Check{Name: CheckNSSource, Server: name, Ref: "RFC 1034 §4.2.2; docs/ARCHITECTURE.md#the-delegation-gate",
		Asked:    "where the NS set the step installs comes from",
		Expected: fmt.Sprintf("names the config lists (providers.%s.delegation), or names inside %s glued to the side's servers", t.Side, t.Zone),
		Got:      t.NSFromGit}
	if _, own := slices.BinarySearch(t.ProviderNS, zone.Fold(name)); own {
		c.OK = true
		c.Detail = fmt.Sprintf("%s is one of the name servers the %s side's provider assigns and answers whatever git says: git's apex NS copies it, no zone-file change chose it", name, t.Side)
		return c, true
	}
	if inBailiwick(name, t.Zone) {
		c.OK = true
		c.Detail = fmt.Sprintf("%s is inside %s: glued to the %s side's configured servers, whatever git names", name, t.Zone, t.Side)
		return c, true
	}
	c.Detail = fmt.Sprintf("%s, outside %s, comes from %s, not from the config: a zone-file change chose the registry's nameserver, whose address its own zone's holder can move after the step (and which stays at the registry after the zone file is reverted)", name, t.Zone, t.NSFromGit)
	c.Fix = fmt.Sprintf("list the NS names the parent should get in providers.%s.delegation (the provider's names for its servers), so that the zone file's apex NS must match them (child-ns)", t.Side)
	return c, true
}

// nsMoved is the ns-moved check of nr, a name outside the zone of a
// rollback's recorded set (t.Recorded; ok false otherwise, and for a
// name with glue, whose addresses the step installs, or with none, which
// ns-resolves fails).
//
// The rollback restores the names the parent served before the flip,
// and resolvers look each up as its own zone's holder serves it then,
// not as it was: a name whose holder pointed it at another server since
// (an expired domain re-registered, a provider's account taken over, a
// DNS hijack) sends every resolver the rollback moves there, and that
// server, answering with a copy of the zone, passes old-parity. So each
// address it resolves to must be one it had when the flip recorded the
// set (t.RecordedAddrs, the trail's before_ns_addrs) or a server of the
// side's configuration (t.Configured: a renumbering the config was
// changed for, reviewed). A refusal, not a warning: the way out of an
// incident must not hand the zone to whoever moved the name, and the fix
// is a config change or the name's address set back. A name the trail
// recorded no addresses for (written before they were recorded) cannot
// be told from an unlisted secondary: not-checked, named, refusing
// nothing, as the rollback did before.
func (t *Target) nsMoved(nr nameResult) (Check, bool) {
	if !t.Recorded || nr.glue || len(nr.addrs) == 0 {
		return Check{}, false
	}
	configured := hosts(t.Configured)
	then, recorded := t.RecordedAddrs[nr.name]
	c := Check{Name: CheckNSMoved, Server: nr.name, Ref: "RFC 1034 §4.2.2; docs/ARCHITECTURE.md#the-delegation-gate",
		Asked:    "the addresses " + nr.name + " resolves to now",
		Expected: fmt.Sprintf("the addresses it had when the flip recorded the delegation (%s) or servers of providers.%s.nameservers (%s)", orNone(then), t.Side, orNone(configured)),
		Got:      strings.Join(nr.addrs, " ")}
	known := map[string]bool{}
	for _, a := range append(slices.Clone(configured), then...) {
		known[registrar.CanonicalAddr(strings.Trim(a, "[]"))] = true
	}
	var elsewhere []string
	for _, a := range nr.addrs {
		if !known[registrar.CanonicalAddr(a)] {
			elsewhere = append(elsewhere, a)
		}
	}
	switch {
	case len(elsewhere) == 0:
		c.OK = true
		c.Detail = fmt.Sprintf("%s resolves to %s: where it led at the flip, or the %s side's configured servers", nr.name, c.Got, t.Side)
	case !recorded:
		c.Severity = SevNotChecked
		c.Expected = fmt.Sprintf("servers of providers.%s.nameservers (%s); the audit trail recorded no addresses for it at the flip", t.Side, orNone(configured))
		c.Detail = fmt.Sprintf("%s, outside %s, resolves to %s, not a configured server of the %s side (%s), and the audit trail recorded no addresses for it at the flip (written before they were recorded): whether it still leads where it did then is not known; the rollback sends resolvers there", nr.name, t.Zone, strings.Join(elsewhere, " "), t.Side, orNone(configured))
	default:
		c.Detail = fmt.Sprintf("%s, outside %s, resolved to %s when the flip recorded the delegation, and resolves to %s now: %s neither then nor a configured server of the %s side (%s); whoever holds its zone moved it since (a hijack until proven otherwise), and the rollback would send every resolver there", nr.name, t.Zone, orNone(then), c.Got, strings.Join(elsewhere, " "), t.Side, orNone(configured))
		c.Fix = fmt.Sprintf("find out who moved %s; if %s are the %s provider's servers now, list them in providers.%s.nameservers; otherwise have its addresses set back (or set the delegation at the registrar by hand)", nr.name, strings.Join(elsewhere, " "), t.Side, t.Side)
	}
	return c, true
}
