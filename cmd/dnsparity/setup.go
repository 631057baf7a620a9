package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// target is one provider × zone to plan.
type target struct {
	prov     provider.Provider
	pcfg     *config.Provider
	desired  *zone.Zone
	plan     *plan.Plan
	nsForNew []string // NS names to create the zone with
	warnings []string // about the plan (where a new zone's NS come from)
	features []provider.Feature
}

// failure is why setup stopped: the exit code, the message (already on
// stderr) and the zone files' problems, for the JSON report.
type failure struct {
	code     int
	msg      string
	problems []zone.Problem
}

// setup loads the config, the zones and the providers and computes every
// plan. It prints its own errors; on failure the targets are nil.
func (a *app) setup(ctx context.Context, cmd string, o *planOpts) ([]*target, *config.Config, *failure) {
	fail := func(code int, format string, args ...any) ([]*target, *config.Config, *failure) {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(a.stderr, "dnsparity %s: %s\n", cmd, msg)
		return nil, nil, &failure{code: code, msg: msg}
	}
	path := o.config
	if path == "" {
		path = config.Find(".")
		if path == "" {
			return fail(exitError, "no %s found (use --config)", config.FileName)
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return fail(exitError, "%v", err)
	}
	provs := []string(o.providers)
	if len(provs) == 0 {
		provs = cfg.ZoneProviders()
	}
	if len(provs) == 0 {
		return fail(exitError, "%s lists no providers", path)
	}
	for _, n := range provs {
		if cfg.Providers[n] == nil {
			return fail(exitError, "no provider %q in %s", n, path)
		}
	}
	if err := cfg.Resolve(a.getenv, provs...); err != nil {
		return fail(exitError, "%v", err)
	}
	zs := cfg.Zones
	if len(o.zones) > 0 {
		zs = nil
		for _, want := range o.zones {
			var found bool
			for _, z := range cfg.Zones {
				if z.Name == zone.CanonicalName(want) {
					zs = append(zs, z)
					found = true
				}
			}
			if !found {
				return fail(exitError, "zone %q is not in %s", want, path)
			}
		}
	}
	if len(zs) == 0 {
		return fail(exitError, "%s lists no zones", path)
	}
	// Zone files first: nothing is asked of a provider for a broken zone.
	desired := make([]*zone.Zone, 0, len(zs))
	var bad []zone.Problem
	for _, zc := range zs {
		file := cfg.ZoneFile(zc)
		z, err := zone.Load(file, zone.Options{Origin: zc.Name})
		if err != nil {
			return fail(exitError, "%v", err)
		}
		relativize(cfg.Dir, z)
		for _, p := range z.Problems {
			if p.Severity == zone.Error {
				fmt.Fprintln(a.stderr, p.String())
				bad = append(bad, p)
			}
		}
		if z.Origin != zc.Name {
			p := zone.Problem{Pos: zone.Pos{File: relPath(cfg.Dir, file)}, Severity: zone.Error,
				Message: fmt.Sprintf("origin %s does not match the zone %s in %s", z.Origin, zc.Name, path)}
			fmt.Fprintln(a.stderr, p.String())
			bad = append(bad, p)
		}
		desired = append(desired, z)
	}
	if len(bad) > 0 {
		_, _, f := fail(exitProblem, "zone files have errors; nothing was planned or pushed")
		f.problems = bad
		return nil, nil, f
	}
	var targets []*target
	for _, n := range provs {
		pc := cfg.Providers[n]
		p, err := provider.New(pc)
		if err != nil {
			return fail(exitError, "%v", err)
		}
		for _, d := range desired {
			t := &target{prov: p, pcfg: pc, desired: d}
			pr := newPushProgress(a.stderr, cmd, fmt.Sprintf("reading zone %s from provider %s", d.Origin, n), 0)
			cur, err := p.Records(ctx, d.Origin)
			pr.stop()
			newZone := false
			if errors.Is(err, provider.ErrZoneNotFound) {
				if _, ok := p.(provider.ZoneCreator); !ok {
					return fail(exitError, "provider %s: %v (create the zone there first)", n, err)
				}
				cur, err, newZone = nil, nil, true
			}
			if err != nil {
				return fail(exitError, "provider %s: %v", n, err)
			}
			if fr, ok := p.(provider.FeatureReporter); ok && !newZone {
				if t.features, err = fr.Features(ctx, d.Origin); err != nil {
					return fail(exitError, "provider %s: %v", n, err)
				}
			}
			t.plan = plan.Compute(d, cur, plan.Options{ManageApex: pc.ManageApex, Caps: p.Capabilities()})
			t.plan.Provider = n
			t.plan.NewZone = newZone
			t.warnings = append(t.warnings, t.plan.Warnings...)
			if newZone {
				t.newZone()
			}
			targets = append(targets, t)
		}
	}
	return targets, cfg, nil
}

// relativize makes the zone's file names relative to the repository root
// (the config's directory), as in annotations.
func relativize(root string, z *zone.Zone) {
	for _, s := range z.Sets {
		for i := range s.Records {
			s.Records[i].Pos.File = relPath(root, s.Records[i].Pos.File)
		}
	}
	for i := range z.Problems {
		z.Problems[i].Pos.File = relPath(root, z.Problems[i].Pos.File)
	}
}
