package cutover

import (
	"context"
	"fmt"
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
	GitZones  GitZones
	Referrals Referrals

	mu      sync.Mutex
	parents map[string]*parentLookup // parent zone and resolvers → its servers
	zones   []GitZone                // the zones of zonesOf
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

// parentLookup is one lookup of a parent zone's servers: done is closed
// when servers and err are set.
type parentLookup struct {
	done    chan struct{}
	servers []string
	err     error
}

// parentServers is findParentServers, asked once per parent zone and
// resolvers for every step that shares sh. A lookup that failed is not
// kept: the next zone asks again (as parity's Engine.lookupAddrs). A
// step that asks while another looks the same parent up waits for it,
// or for its own context to end; sh is not held during the lookup, so
// the lookups of different parents run at once.
func (sh *Shared) parentServers(ctx context.Context, parent string, resolvers []string) ([]string, error) {
	key := parent + " " + strings.Join(resolvers, " ")
	for {
		sh.mu.Lock()
		l, ok := sh.parents[key]
		if !ok {
			l = &parentLookup{done: make(chan struct{})}
			if sh.parents == nil {
				sh.parents = map[string]*parentLookup{}
			}
			sh.parents[key] = l
		}
		sh.mu.Unlock()
		if !ok {
			l.servers, l.err = findParentServers(ctx, parent, resolvers)
			if l.err != nil {
				sh.mu.Lock()
				delete(sh.parents, key)
				sh.mu.Unlock()
			}
			close(l.done)
			if l.err != nil {
				return nil, l.err
			}
			return slices.Clone(l.servers), nil
		}
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for another step's lookup of %s's servers: %w", parent, ctx.Err())
		}
		if l.err == nil {
			return slices.Clone(l.servers), nil
		}
		// That lookup failed (another step's context may have ended):
		// ask again, as the first.
	}
}

// Referrals are the grandparent's referrals for parent zones (referralOf),
// each read once for the steps that share them, by parent zone and
// resolver. A read that could not ask every server it found is not kept:
// the next step asks again. The zero value is ready; safe for concurrent
// use.
type Referrals struct {
	mu   sync.Mutex
	kept map[string]referral
}

// referral is one parent zone's NS names and glue at the grandparent.
type referral struct {
	names []string
	glue  map[string][]string
}

func (r *Referrals) get(key string) (referral, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, ok := r.kept[key]
	return ref, ok
}

func (r *Referrals) put(key string, ref referral) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kept == nil {
		r.kept = map[string]referral{}
	}
	r.kept[key] = ref
}
