package push

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// newZone decides what the zone's creation writes and shows it in the
// plan: the apex NS names (the provider's configured nameservers, else,
// with manage_apex false, the names a flip delegates to it, else the zone
// file's, which is reported: with manage_apex false the file's apex NS are
// never written silently) and, for a provider that takes them, the zone
// file's SOA with the side's own primary name as its MNAME (mname), as the
// rest of its apex is: git's SOA names the provider it was written for.
func (t *Target) newZone() {
	d, pc := t.Desired, t.Config
	origin := d.Origin
	fileNS := d.Get(origin, dns.TypeNS)
	ttl := uint32(3600)
	if fileNS != nil {
		ttl = fileNS.TTL
	}
	names := pc.NameserverNames()
	switch {
	case len(names) > 0:
		t.Plan.WithZoneNote = fmt.Sprintf("providers.%s.nameservers (%s)", pc.Name, strings.Join(names, ", "))
	case pc.ManageApex:
		names = provider.ApexNS(d)
		t.Plan.WithZoneNote = "the zone file (manage_apex: true)"
	case len(pc.Delegation) > 0:
		// Its own servers, as the delegation gate will want them.
		for _, n := range pc.Delegation {
			names = append(names, dns.Fqdn(n))
		}
		t.Plan.WithZoneNote = fmt.Sprintf("providers.%s.delegation (%s)", pc.Name, strings.Join(names, ", "))
	default:
		names = provider.ApexNS(d)
		t.Plan.WithZoneNote = "the zone file (providers." + pc.Name + " has no nameservers names and manage_apex is false)"
		t.Warnings = append(t.Warnings, fmt.Sprintf("the new zone gets the zone file's apex NS (%s): providers.%s names no nameservers of its own; set providers.%s.nameservers to the provider's NS names to use those instead",
			strings.Join(names, ", "), pc.Name, pc.Name))
	}
	t.NSForNew = names
	var withZone []plan.Change
	if _, ok := t.Prov.(provider.ApexCreator); ok {
		if soa := d.Get(origin, dns.TypeSOA); soa != nil {
			withZone = append(withZone, plan.Change{Action: provider.Create, Name: origin, Type: dns.TypeSOA, New: withMNAME(soa, mname(pc, names))})
		}
	}
	if len(names) > 0 {
		var rrs []dns.RR
		for _, n := range names {
			rrs = append(rrs, &dns.NS{Hdr: dns.RR_Header{Name: origin, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl}, Ns: zone.CanonicalName(n)})
		}
		if ns, err := zone.NewRRSet(rrs); err == nil {
			if fileNS != nil && ns.SameData(fileNS) {
				ns = fileNS // with its file:line
			}
			withZone = append(withZone, plan.Change{Action: provider.Create, Name: origin, Type: dns.TypeNS, New: ns})
		}
	}
	t.Plan.WithZone = withZone
	// With manage_apex the plan also creates the apex NS; when the zone is
	// created with exactly those, that change is already done.
	if pc.ManageApex && fileNS != nil && len(withZone) > 0 && withZone[len(withZone)-1].New.SameData(fileNS) {
		kept := t.Plan.Changes[:0]
		for _, c := range t.Plan.Changes {
			if !(c.Name == origin && c.Type == dns.TypeNS) {
				kept = append(kept, c)
			}
		}
		t.Plan.Changes = kept
	}
}

// mname is the SOA MNAME a zone created at the provider gets: the side's
// primary name, its first delegation name (what a flip puts at the
// parent), else the first of its configured nameserver names; "" (the
// zone file's) when the side names no server of its own.
func mname(pc *config.Provider, names []string) string {
	if len(pc.Delegation) > 0 {
		return zone.CanonicalName(pc.Delegation[0])
	}
	if len(pc.NameserverNames()) > 0 && len(names) > 0 {
		return zone.CanonicalName(names[0])
	}
	return ""
}

// withMNAME is soa with its MNAME replaced (soa itself when name is "" or
// already its MNAME), keeping the zone file's position for the rest.
func withMNAME(soa *zone.RRSet, name string) *zone.RRSet {
	rrs := soa.RRs()
	if name == "" || len(rrs) != 1 {
		return soa
	}
	v, ok := rrs[0].(*dns.SOA)
	if !ok || zone.Fold(v.Ns) == zone.Fold(name) {
		return soa
	}
	v.Ns = name
	out, err := zone.NewRRSet(rrs)
	if err != nil {
		return soa
	}
	out.Records[0].Pos = soa.Records[0].Pos
	return out
}
