package provider

import (
	"context"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
)

// Side is a provider of dnsparity.yaml (old, new, or another name under
// providers:): the one way from the config to a provider, its secrets and
// its servers, for parity, plan and push, import and the cutover. Nothing
// is read until asked for: parity with the servers written in the config
// needs no secret.
type Side struct {
	Name   string
	Config *config.Provider

	cfg     *config.Config
	getenv  func(string) string
	secrets bool // read
	p       Provider
}

// Sides looks the providers named up under providers:, in the order
// named; a name that is not there is an error naming the config.
func Sides(cfg *config.Config, getenv func(string) string, names ...string) ([]*Side, error) {
	out := make([]*Side, 0, len(names))
	for _, n := range names {
		pc := cfg.Providers[n]
		if pc == nil {
			return nil, cfg.NoProvider(n)
		}
		out = append(out, &Side{Name: n, Config: pc, cfg: cfg, getenv: getenv})
	}
	return out, nil
}

// Open makes the provider named name (Sides, then Side.Provider).
func Open(cfg *config.Config, getenv func(string) string, name string) (Provider, error) {
	sides, err := Sides(cfg, getenv, name)
	if err != nil {
		return nil, err
	}
	return sides[0].Provider()
}

// ReadSecrets reads the secrets of every side from the environment at
// once, so that one error names every variable that is missing (never a
// value).
func ReadSecrets(sides ...*Side) error {
	if len(sides) == 0 {
		return nil
	}
	names := make([]string, len(sides))
	for i, s := range sides {
		names[i] = s.Name
	}
	if err := sides[0].cfg.Resolve(sides[0].getenv, names...); err != nil {
		return err
	}
	for _, s := range sides {
		s.secrets = true
	}
	return nil
}

// Provider reads the side's secrets (unless ReadSecrets did) and makes
// its provider, once.
func (s *Side) Provider() (Provider, error) {
	if s.p != nil {
		return s.p, nil
	}
	if !s.secrets {
		if err := ReadSecrets(s); err != nil {
			return nil, err
		}
	}
	p, err := New(s.Config)
	if err != nil {
		return nil, err
	}
	s.p = p
	return p, nil
}

// Servers are the side's authoritative servers from
// providers.NAME.nameservers, each an IP address (port 53 unless given);
// a name is an error naming the key, since the cutover never looks a
// server up.
func (s *Side) Servers() ([]string, error) {
	return query.ParseAddrs("providers."+s.Name+".nameservers", s.Config.Nameservers)
}

// Nameservers are the servers parity asks for the zones:
// providers.NAME.nameservers as written (a name is looked up through
// parity's resolver, never the system's), else the names the provider
// gives for each zone (its API's assigned nameservers, else its apex NS),
// each once.
func (s *Side) Nameservers(ctx context.Context, zones []string) ([]string, error) {
	if len(s.Config.Nameservers) > 0 {
		return s.Config.Nameservers, nil
	}
	p, err := s.Provider()
	if err != nil {
		return nil, err
	}
	// Every zone is looked up: a provider that finds them all from one
	// listing of the account's zones does (as plan and push tell it),
	// the others are asked a few zones at once (the account's limiter
	// paces them), not one after the other.
	if a, ok := p.(ZonesAhead); ok {
		a.ExpectZones(len(zones))
	}
	type found struct {
		ns  []string
		err error
	}
	var out []string
	var ferr error
	seen := map[string]bool{}
	fanout.Ordered(ctx, len(zones), fanout.Options{Limit: nameserverLookups}, func(ctx context.Context, i int) found {
		ns, err := p.Nameservers(ctx, zones[i])
		return found{ns, err}
	}, func(i int, f found) bool {
		if f.err != nil {
			ferr = fmt.Errorf("providers.%s: nameservers of %s: %w", s.Name, zones[i], f.err)
			return false
		}
		for _, n := range f.ns {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		return true
	})
	if ferr == nil {
		ferr = ctx.Err()
	}
	if ferr != nil {
		return nil, ferr
	}
	return out, nil
}

// nameserverLookups is how many zones' nameservers Side.Nameservers asks
// a provider for at once (as plan reads zones: fanout's 8).
const nameserverLookups = 8
