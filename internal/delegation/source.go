package delegation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
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
// recorded no addresses for (a trail written before they were recorded,
// a lookup that failed at the flip) is judged by what each address it
// leads to now serves (sameSOA, from the probes of t.Servers, which hold
// those addresses): one that does not serve, with authority, the SOA a
// configured server of the side serves (serial and every field) is not
// the side's copy of the zone (a lame server, another zone's holder, a
// hijacker without a copy) and refuses; one that does cannot be told
// from an unlisted secondary of the side (nor from a server serving a
// copy): not-checked, named, refusing nothing. With no configured
// server answering its SOA there is nothing to compare: not-checked.
func (t *Target) nsMoved(nr nameResult, probes []*probe) (Check, bool) {
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
		c.Expected = fmt.Sprintf("servers of providers.%s.nameservers (%s), or a server serving the SOA they serve; the audit trail recorded no addresses for it at the flip", t.Side, orNone(configured))
		same, differ, unsure, judged := t.sameSOA(elsewhere, probes)
		unknown := fmt.Sprintf("%s, outside %s, resolves to %s, not a configured server of the %s side (%s), and the audit trail recorded no addresses for it at the flip (a trail written before they were recorded, or its lookup failed then)", nr.name, t.Zone, strings.Join(elsewhere, " "), t.Side, orNone(configured))
		switch {
		case !judged:
			c.Severity = SevNotChecked
			c.Detail = unknown + ": no configured server of the side answered its SOA to compare with, so whether it still leads where it did then is not known; the rollback sends resolvers there"
		case len(differ) == 0 && len(unsure) > 0:
			c.Severity = SevNotChecked
			c.Detail = unknown + "; " + strings.Join(unsure, "; ") + ": whether it serves the side's copy of the zone is not known; the rollback sends resolvers there"
		case len(differ) == 0:
			c.Severity = SevNotChecked
			c.Detail = unknown + "; " + same + ": an unlisted server of the side, or one serving a copy of the zone (which old-parity cannot tell apart); the rollback sends resolvers there"
		default:
			c.Detail = unknown + "; " + strings.Join(differ, "; ") + ": not the side's copy of the zone (a lame server, another holder, a hijack until proven otherwise), and the rollback would send every resolver there"
			c.Fix = fmt.Sprintf("find out where %s leads and why; if %s are the %s provider's servers, list them in providers.%s.nameservers; otherwise have its addresses set back (or set the delegation at the registrar by hand)", nr.name, strings.Join(elsewhere, " "), t.Side, t.Side)
		}
	default:
		c.Detail = fmt.Sprintf("%s, outside %s, resolved to %s when the flip recorded the delegation, and resolves to %s now: %s neither then nor a configured server of the %s side (%s); whoever holds its zone moved it since (a hijack until proven otherwise), and the rollback would send every resolver there", nr.name, t.Zone, orNone(then), c.Got, strings.Join(elsewhere, " "), t.Side, orNone(configured))
		c.Fix = fmt.Sprintf("find out who moved %s; if %s are the %s provider's servers now, list them in providers.%s.nameservers; otherwise have its addresses set back (or set the delegation at the registrar by hand)", nr.name, strings.Join(elsewhere, " "), t.Side, t.Side)
	}
	return c, true
}

// sameSOA compares the SOA each address of addrs serves (its probe among
// probes, t.Servers') with the SOA the side's configured servers serve
// (t.Configured's probes): same says those that serve, with authority,
// one of the configured servers' SOA records, serial and every field
// (soaFieldsOf); differ names each that does not, and what it served;
// unsure names each that cannot be judged either way: one serving the
// configured servers' SOA with an older serial (an unlisted secondary of
// the side that lags; a copy with the same serial was never told apart
// either). An address not asked from here differs: nothing else asked
// it, and a name taken over could gain one (an AAAA alone). judged is
// false when no configured server answered its SOA with authority:
// nothing to compare with.
func (t *Target) sameSOA(addrs []string, probes []*probe) (same string, differ, unsure []string, judged bool) {
	byHost := map[string]*probe{}
	for _, p := range probes {
		byHost[registrar.CanonicalAddr(query.Host(p.server))] = p
	}
	var want []*dns.SOA
	for _, h := range hosts(t.Configured) {
		if p := byHost[registrar.CanonicalAddr(strings.Trim(h, "[]"))]; p != nil && p.soa != nil && authoritativeSOA(p.soaMsg, t.Zone) == "" {
			want = append(want, p.soa)
		}
	}
	if len(want) == 0 {
		return "", nil, nil, false
	}
	var ok []string
	for _, a := range addrs {
		p := byHost[registrar.CanonicalAddr(a)]
		switch {
		case p == nil || p.notChecked != "":
			// Not asked, by nothing (old-parity lists it as not
			// asked): an address a taken-over name gained (an AAAA
			// alone, on a runner without IPv6) would pass unseen.
			differ = append(differ, a+" was not asked for the zone's SOA from here")
		case p.soaMsg == nil:
			differ = append(differ, a+" does not answer the zone's SOA ("+p.soaErr+")")
		case authoritativeSOA(p.soaMsg, t.Zone) != "":
			differ = append(differ, a+" does not serve the zone: "+authoritativeSOA(p.soaMsg, t.Zone))
		case slices.ContainsFunc(want, func(w *dns.SOA) bool { return sameSOARecord(w, p.soa) }):
			ok = append(ok, a)
		case slices.ContainsFunc(want, func(w *dns.SOA) bool {
			return serialLess(p.soa.Serial, w.Serial) && slices.Equal(soaFieldsOf(w), soaFieldsOf(p.soa))
		}):
			unsure = append(unsure, fmt.Sprintf("%s serves the %s side's SOA with an older serial, %d (%s): a secondary that lags, or a copy left behind", a, t.Side, p.soa.Serial, soasText(want)))
		default:
			differ = append(differ, fmt.Sprintf("%s serves SOA serial %d %s, which no configured server of the %s side serves (%s)", a, p.soa.Serial, strings.Join(soaFieldsOf(p.soa), " "), t.Side, soasText(want)))
		}
	}
	return fmt.Sprintf("%s serves the SOA a configured server of the %s side serves (%s)", strings.Join(ok, " "), t.Side, soasText(want)), differ, unsure, true
}

// sameSOARecord: a and b have the same serial and every other field.
func sameSOARecord(a, b *dns.SOA) bool {
	return a.Serial == b.Serial && slices.Equal(soaFieldsOf(a), soaFieldsOf(b))
}

// soasText is each SOA of soas as "serial N FIELDS", once.
func soasText(soas []*dns.SOA) string {
	var out []string
	for _, s := range soas {
		if x := fmt.Sprintf("serial %d %s", s.Serial, strings.Join(soaFieldsOf(s), " ")); !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return strings.Join(out, "; ")
}
