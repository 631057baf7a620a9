package delegation

import (
	"fmt"
	"slices"

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
	c := Check{Name: CheckNSSource, Server: name, Ref: "RFC 1034 §4.2.2; DESIGN.md gate delegation",
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
