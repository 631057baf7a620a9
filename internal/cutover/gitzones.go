package cutover

import (
	"maps"
	"slices"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// GitZones are zone files as finish's git-target checks read them
// (gitTargetChecks: their NS, MX, SRV and CNAME targets, and their
// addresses), each loaded once for every step that shares them: the
// steps of one run over several zones (a wave), where each zone's finish
// read every other zone of the config again (N² loads at N zones) and
// held them all, whole, while it ran. Each is kept as an index of what
// those checks look up (targetIndex), so that a step asks each other
// zone for the few old-only names and addresses it has, not every record
// of every zone again. The zero value is ready; safe for concurrent use.
type GitZones struct {
	mu    sync.Mutex
	byKey map[GitZone]loadedZone
}

type loadedZone struct {
	idx *targetIndex
	err error
}

// targetIndex is what gitTargetChecks reads of another zone of the
// config: its NS targets outside it, its NS, MX, SRV and CNAME records by
// target, and its A and AAAA owner names by address.
type targetIndex struct {
	origin  string
	nsOut   []string
	targets map[string][]targetRecord // folded target → the records naming it, in zone order
	addrs   map[string][]string       // address (net.IP's String) → the names holding it
}

// targetRecord is one NS, MX, SRV or CNAME record (its set, its place in
// the zone's order, its position and folded target).
type targetRecord struct {
	set    *zone.RRSet
	ord    int
	pos    zone.Pos
	target string
}

// load gives each of zs's index (or the error its load gave), loading
// those not loaded yet, a few at once (zone.LoadEach); the zone skip
// (the step's own, in a list shared by a wave's steps) is neither loaded
// nor given (nil, nil). A step that asks while another loads waits for
// it, then takes what it loaded.
func (g *GitZones) load(zs []GitZone, skip string) ([]*targetIndex, []error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byKey == nil {
		g.byKey = map[GitZone]loadedZone{}
	}
	var missing []GitZone
	for _, k := range zs {
		if _, ok := g.byKey[k]; !ok && k.Origin != skip {
			missing = append(missing, k)
			g.byKey[k] = loadedZone{} // a zone named twice is loaded once
		}
	}
	got := make([]loadedZone, len(missing))
	zone.LoadEach(len(missing), func(i int) (string, zone.Options) {
		return missing[i].File, zone.Options{Origin: missing[i].Origin}
	}, func(i int, z *zone.Zone, err error) {
		got[i] = loadedZone{err: err}
		if err == nil {
			got[i].idx = indexTargets(z)
		}
	})
	for i, k := range missing {
		g.byKey[k] = got[i]
	}
	out, errs := make([]*targetIndex, len(zs)), make([]error, len(zs))
	for i, k := range zs {
		if k.Origin != skip {
			out[i], errs[i] = g.byKey[k].idx, g.byKey[k].err
		}
	}
	return out, errs
}

// indexTargets is z's targetIndex.
func indexTargets(z *zone.Zone) *targetIndex {
	x := &targetIndex{origin: z.Origin, targets: map[string][]targetRecord{}, addrs: map[string][]string{}}
	ord := 0
	for _, s := range z.Sets {
		switch s.Type {
		case dns.TypeA, dns.TypeAAAA:
			for _, rr := range s.RRs() {
				var a string
				switch v := rr.(type) {
				case *dns.A:
					a = v.A.String()
				case *dns.AAAA:
					a = v.AAAA.String()
				}
				if ns := x.addrs[a]; len(ns) == 0 || ns[len(ns)-1] != s.Name {
					x.addrs[a] = append(ns, s.Name)
				}
			}
		case dns.TypeNS, dns.TypeMX, dns.TypeSRV, dns.TypeCNAME:
			for _, rec := range s.Records {
				rr, err := zone.FromRdata(s.Header(), rec.Rdata)
				if err != nil {
					continue
				}
				target, _ := zone.Target(rr)
				if ns, ok := rr.(*dns.NS); ok && !registrar.InBailiwick(ns.Ns, z.Origin) {
					x.nsOut = append(x.nsOut, ns.Ns)
				}
				t := zone.Fold(target)
				x.targets[t] = append(x.targets[t], targetRecord{set: s, ord: ord, pos: rec.Pos, target: t})
				ord++
			}
		}
	}
	return x
}

// checks are gitTargetChecks' failed checks of the zone x indexes (own:
// the step's zone, else another zone of the config): one per record
// whose target is one of names, or a name the zone itself gives an
// old-only address (ips; not one of skip, the new side's), in zone
// order. It looks up each name and address, not each record.
func (x *targetIndex) checks(c *Config, own bool, names, ips, skip map[string]bool) []delegation.Check {
	zoneNames := names
	for a := range ips {
		for _, n := range x.addrs[a] {
			if !skip[n] && !zoneNames[n] {
				if len(zoneNames) == len(names) {
					zoneNames = maps.Clone(names)
				}
				zoneNames[n] = true
			}
		}
	}
	var recs []targetRecord
	for n := range zoneNames {
		recs = append(recs, x.targets[n]...)
	}
	slices.SortFunc(recs, func(a, b targetRecord) int { return a.ord - b.ord })
	var out []delegation.Check
	for _, r := range recs {
		out = append(out, targetCheck(c, x.origin, own, r.set, r.pos, r.target))
	}
	return out
}
