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
	Stages    TrailStages // the other zones' trails' stages, for finish

	parents onceEach[[]string] // parent zone and resolvers → its servers

	mu      sync.Mutex
	zones   []GitZone // the zones of zonesOf
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

// onceEach reads a value once per key for every caller sharing it. A
// caller that asks while another reads the same key waits for that read,
// or for its own context to end; no lock is held during a read, so the
// reads of different keys run at once. A read that failed is not kept:
// its caller gets what it read, and the callers waiting for it, and the
// next, read again. The zero value is ready; safe for concurrent use.
type onceEach[T any] struct {
	mu sync.Mutex
	m  map[string]*flight[T]
}

// flight is one read of onceEach: done is closed when v and err are set.
type flight[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// do is read's value for key, read once (onceEach); what names the read
// in the error of a caller whose context ended while it waited.
func (o *onceEach[T]) do(ctx context.Context, key, what string, read func() (T, error)) (T, error) {
	for {
		o.mu.Lock()
		f, ok := o.m[key]
		if !ok {
			f = &flight[T]{done: make(chan struct{})}
			if o.m == nil {
				o.m = map[string]*flight[T]{}
			}
			o.m[key] = f
		}
		o.mu.Unlock()
		if !ok {
			f.v, f.err = read()
			if f.err != nil {
				o.mu.Lock()
				delete(o.m, key)
				o.mu.Unlock()
			}
			close(f.done)
			return f.v, f.err
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			var zero T
			return zero, fmt.Errorf("waiting for another step's %s: %w", what, ctx.Err())
		}
		if f.err == nil {
			return f.v, nil
		}
		// That read failed (another step's context may have ended):
		// read again, as the first.
	}
}

// parentServers is findParentServers, asked once per parent zone and
// resolvers for every step that shares sh (onceEach: a lookup that
// failed is not kept, as parity's Engine.lookupAddrs; a step that asks
// while another looks the same parent up waits for it, or for its own
// context to end; the lookups of different parents run at once).
func (sh *Shared) parentServers(ctx context.Context, parent string, resolvers []string) ([]string, error) {
	key := parent + " " + strings.Join(resolvers, " ")
	servers, err := sh.parents.do(ctx, key, "lookup of "+parent+"'s servers", func() ([]string, error) {
		return findParentServers(ctx, parent, resolvers)
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(servers), nil
}

// Referrals are the grandparent's referrals for parent zones (referralOf),
// each read once for the steps that share them, by parent zone and
// resolver (onceEach: the steps of a wave under one parent wait for one
// read, not each its own). A read that could not ask every server it
// found is not kept: the next step asks again. The zero value is ready;
// safe for concurrent use.
type Referrals struct {
	reads onceEach[referral]
}

// referral is one parent zone's NS names and glue at the grandparent, and
// what could not be read of them (why: "" when every server was read).
type referral struct {
	names []string
	glue  map[string][]string
	why   string
}
