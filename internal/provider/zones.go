package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Zones finds a hosted provider's zones at its API and keeps what it
// found for the provider's life (a zone's id and assigned nameservers do
// not change under a push): by the zone id the config gives, checking
// that it is the zone asked for, else by name. Z is the API's zone
// object. Its Nameservers is the provider's: the configured ones, else
// the zone's as the API assigns them.
type Zones[Z any] struct {
	// Type names the provider in errors ("cloudflare").
	Type string
	// ID is the configured zone id (zone_id); "" looks zones up by name.
	ID string
	// Configured are the configured nameservers.
	Configured []string
	// ByID reads the zone of an id; ByName finds the zone of an absolute,
	// canonical name (an error wrapping ErrZoneNotFound when the API has
	// none). Their errors say what failed, with the provider's name.
	ByID, ByName func(ctx context.Context, key string) (Z, error)
	// Name is the zone's name as the API gives it; Servers the names of
	// the nameservers it assigns the zone (nil: Nameservers is not used).
	Name    func(Z) string
	Servers func(Z) []string
	// Reread reads a zone found before anew, for Read (nil: Read is not
	// used).
	Reread func(ctx context.Context, z Z) (Z, error)

	mu    sync.Mutex
	found map[string]Z
}

// Find is the zone of origin.
func (zs *Zones[Z]) Find(ctx context.Context, origin string) (Z, error) {
	origin = zone.CanonicalName(origin)
	if z, ok := zs.known(origin); ok {
		return z, nil
	}
	return zs.find(ctx, origin)
}

// Read is the zone of origin as the API has it now: the zone found
// before read anew (Reread), else found as Find finds it. What it reads
// is kept for Find.
func (zs *Zones[Z]) Read(ctx context.Context, origin string) (Z, error) {
	origin = zone.CanonicalName(origin)
	z, ok := zs.known(origin)
	if !ok {
		return zs.find(ctx, origin)
	}
	z, err := zs.Reread(ctx, z)
	if err != nil {
		return z, err
	}
	zs.keep(origin, z)
	return z, nil
}

// Known is the zone found before for origin (no request: ok false
// when it was not looked up yet).
func (zs *Zones[Z]) Known(origin string) (Z, bool) {
	return zs.known(zone.CanonicalName(origin))
}

// known is the zone found before for origin (canonical).
func (zs *Zones[Z]) known(origin string) (Z, bool) {
	zs.mu.Lock()
	defer zs.mu.Unlock()
	z, ok := zs.found[origin]
	return z, ok
}

// keep keeps z as origin's zone.
func (zs *Zones[Z]) keep(origin string, z Z) {
	zs.mu.Lock()
	defer zs.mu.Unlock()
	if zs.found == nil {
		zs.found = map[string]Z{}
	}
	zs.found[origin] = z
}

// find finds the zone of origin (canonical) at the API and keeps it.
func (zs *Zones[Z]) find(ctx context.Context, origin string) (Z, error) {
	var z Z
	var err error
	if zs.ID != "" {
		if z, err = zs.ByID(ctx, zs.ID); err != nil {
			return z, err
		}
		if name := zs.Name(z); FQDN(name) != origin {
			return z, fmt.Errorf("%s: zone_id %s is %s, not %s: %w", zs.Type, zs.ID, name, origin, ErrZoneNotFound)
		}
	} else if z, err = zs.ByName(ctx, origin); err != nil {
		return z, err
	}
	zs.keep(origin, z)
	return z, nil
}

// Nameservers are the configured ones, else the zone's.
func (zs *Zones[Z]) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return Nameservers(ctx, zs.Configured, func(ctx context.Context) ([]string, error) {
		z, err := zs.Find(ctx, origin)
		if err != nil {
			return nil, err
		}
		return zs.Servers(z), nil
	})
}

// Nameservers is what a provider's Nameservers is: the configured ones,
// else those assigned reports (the API's names, made absolute and
// canonical).
func Nameservers(ctx context.Context, configured []string, assigned func(ctx context.Context) ([]string, error)) ([]string, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	names, err := assigned(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = FQDN(n)
	}
	return out, nil
}
