package cutover

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Shared is what the steps of one run over several zones (a wave) share,
// each read once for all of them, not once per zone: the zone files
// finish's git-target checks read (GitZones) and the list of the
// config's zones they are read from (configZones: each zone's setup
// listed every other zone, N lists of N-1 in a wave of N), the parent
// zones' servers found through the resolvers when cutover.parent_servers
// is not set (each zone asked the resolvers for its parent's NS and their
// addresses again: a wave of 1,000 zones under one parent, 1,000 times
// the same questions), and the referrals followed from the root hints
// cutover.parent_servers may be (walk: each zone walked from the root
// again). The zero value is ready; safe for concurrent use.
type Shared struct {
	GitZones GitZones

	mu      sync.Mutex
	parents map[string][]string // parent zone and resolvers → its servers
	asked   int                 // parent lookups made (a test counts them)
	zones   []GitZone           // the zones of zonesOf
	zonesOf *config.Config
	walk    registrar.Walker
}

// configZones are the zones of cfg, each with its file (GitZone), listed
// once for every step that shares sh; a step skips its own where it
// reads them (Config.ConfigZones).
func (sh *Shared) configZones(cfg *config.Config) []GitZone {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.zonesOf != cfg || len(sh.zones) != len(cfg.Zones) {
		sh.zones = make([]GitZone, 0, len(cfg.Zones))
		for _, o := range cfg.Zones {
			sh.zones = append(sh.zones, GitZone{Origin: o.Name, File: cfg.ZoneFile(o)})
		}
		sh.zonesOf = cfg
	}
	return sh.zones
}

// parentServers is findParentServers, asked once per parent zone and
// resolvers for every step that shares sh. A lookup that failed is not
// kept: the next zone asks again (as parity's Engine.lookupAddrs). A
// step that asks while another looks the same parent up waits for it.
func (sh *Shared) parentServers(ctx context.Context, parent string, resolvers []string) ([]string, error) {
	key := parent + " " + strings.Join(resolvers, " ")
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if s, ok := sh.parents[key]; ok {
		return slices.Clone(s), nil
	}
	sh.asked++
	s, err := findParentServers(ctx, parent, resolvers)
	if err != nil {
		return nil, err
	}
	if sh.parents == nil {
		sh.parents = map[string][]string{}
	}
	sh.parents[key] = s
	return slices.Clone(s), nil
}
