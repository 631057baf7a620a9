package cutover

import (
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// GitZones are zone files as finish's git-target checks read them
// (gitTargetChecks: their NS, MX, SRV and CNAME targets, and their
// addresses), each loaded once for every step that shares them: the
// steps of one run over several zones (a wave), where each zone's finish
// read every other zone of the config again (N² loads at N zones) and
// held them all, whole, while it ran. Only the RRsets those checks read
// are kept. The zero value is ready; safe for concurrent use.
type GitZones struct {
	mu    sync.Mutex
	byKey map[GitZone]loadedZone
	loads int // zone files loaded (a test counts them)
}

type loadedZone struct {
	z   *zone.Zone
	err error
}

// load gives each of zs loaded (or the error its load gave), loading
// those not loaded yet, a few at once (zone.LoadEach). A step that asks
// while another loads waits for it, then takes what it loaded.
func (g *GitZones) load(zs []GitZone) ([]*zone.Zone, []error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byKey == nil {
		g.byKey = map[GitZone]loadedZone{}
	}
	var missing []GitZone
	for _, k := range zs {
		if _, ok := g.byKey[k]; !ok {
			missing = append(missing, k)
			g.byKey[k] = loadedZone{} // a zone named twice is loaded once
		}
	}
	got := make([]loadedZone, len(missing))
	zone.LoadEach(len(missing), func(i int) (string, zone.Options) {
		return missing[i].File, zone.Options{Origin: missing[i].Origin}
	}, func(i int, z *zone.Zone, err error) { got[i] = loadedZone{targetsOnly(z), err} })
	for i, k := range missing {
		g.byKey[k] = got[i]
	}
	g.loads += len(missing)
	out, errs := make([]*zone.Zone, len(zs)), make([]error, len(zs))
	for i, k := range zs {
		out[i], errs[i] = g.byKey[k].z, g.byKey[k].err
	}
	return out, errs
}

// targetsOnly is z with only the RRsets gitTargetChecks reads: NS, MX,
// SRV, CNAME, A and AAAA.
func targetsOnly(z *zone.Zone) *zone.Zone {
	if z == nil {
		return nil
	}
	slim := &zone.Zone{Origin: z.Origin, File: z.File}
	for _, s := range z.Sets {
		switch s.Type {
		case dns.TypeNS, dns.TypeMX, dns.TypeSRV, dns.TypeCNAME, dns.TypeA, dns.TypeAAAA:
			slim.Sets = append(slim.Sets, s)
		}
	}
	return slim
}
