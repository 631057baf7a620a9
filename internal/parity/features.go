package parity

import (
	"context"
	"fmt"
	"sync"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// Features reads the provider-only features (geo, latency, weighted, LUA,
// ALIAS… records: provider.FeatureReporter) the providers old and new hold
// in a zone. FromConfig sets it (Options.Features), so `dnsparity parity`
// and the cutover's parity gates ask the same probes: Run reports each
// feature as a provider-feature warning and asks its owner name from every
// client subnet without waiting for the first probe (ClientDependent).
// Only a side whose type is a FeatureReporter (provider.Has) is made, once
// (provider.Side): no other side's secret is read.
type Features struct {
	sides []*featureSide
}

type featureSide struct {
	side *provider.Side
	once sync.Once
	fr   provider.FeatureReporter
	err  error
}

// newFeatures is the feature source of cfg's providers old and new (nil
// when neither type reports features).
func newFeatures(cfg *config.Config, getenv func(string) string) *Features {
	f := &Features{}
	for _, name := range []string{"old", "new"} {
		pc := cfg.Providers[name]
		if pc == nil || !provider.Has[provider.FeatureReporter](pc.Type) {
			continue // no provider-only features there: not made, no secret read
		}
		sides, err := provider.Sides(cfg, getenv, name)
		if err != nil {
			continue // cannot happen: pc is under providers
		}
		f.sides = append(f.sides, &featureSide{side: sides[0]})
	}
	if len(f.sides) == 0 {
		return nil
	}
	return f
}

// Only is f limited to the sides named (the emergency's new side against
// git asks nothing of a provider that is down); nil when none is left.
func (f *Features) Only(names ...string) *Features {
	if f == nil {
		return nil
	}
	out := &Features{}
	for _, s := range f.sides {
		for _, n := range names {
			if s.side.Name == n {
				out.sides = append(out.sides, s)
			}
		}
	}
	if len(out.sides) == 0 {
		return nil
	}
	return out
}

// reporter makes the side's provider, once.
func (s *featureSide) reporter() (provider.FeatureReporter, error) {
	s.once.Do(func() {
		p, err := s.side.Provider()
		if err != nil {
			s.err = err
			return
		}
		s.fr, _ = p.(provider.FeatureReporter)
	})
	return s.fr, s.err
}

// Findings are the features of each side in the zone origin, as
// provider-feature warnings (Old or New holds the record's value), and the
// owner names they are at. A side that cannot be made or read is itself a
// warning naming it: its client-dependent names are then found by the
// first probe only.
func (f *Features) Findings(ctx context.Context, origin string) (fs []Finding, names []string) {
	if f == nil {
		return nil, nil
	}
	for _, s := range f.sides {
		pc := s.side.Config
		fr, err := s.reporter()
		var got []provider.Feature
		if err == nil && fr != nil {
			got, err = fr.Features(ctx, origin)
		}
		if err != nil {
			fs = append(fs, Finding{Name: origin, Type: "ANY", Severity: SevWarning, Kind: "provider-feature",
				Detail: fmt.Sprintf("providers.%s (%s): provider-only features not read: %v; names that answer by the client there are found only by the first probe from the client subnets", s.side.Name, pc.Type, err)})
			continue
		}
		for _, x := range got {
			fd := Finding{Name: x.Name, Type: x.Type, Severity: SevWarning, Kind: "provider-feature",
				Detail: fmt.Sprintf("providers.%s (%s): %s: %s; decide: %s", s.side.Name, pc.Type, x.Feature, x.Detail, x.Advice)}
			if s.side.Name == "old" {
				fd.Old = x.Value
			} else {
				fd.New = x.Value
			}
			fs = append(fs, fd)
			names = append(names, x.Name)
		}
	}
	return fs, names
}
