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

	mu    sync.Mutex
	found map[string]Z
}

// Find is the zone of origin.
func (zs *Zones[Z]) Find(ctx context.Context, origin string) (Z, error) {
	origin = zone.CanonicalName(origin)
	zs.mu.Lock()
	z, ok := zs.found[origin]
	zs.mu.Unlock()
	if ok {
		return z, nil
	}
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
	zs.mu.Lock()
	if zs.found == nil {
		zs.found = map[string]Z{}
	}
	zs.found[origin] = z
	zs.mu.Unlock()
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
