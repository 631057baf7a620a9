package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// planOpts are the flags plan and push share.
type planOpts struct {
	config    string
	providers multiFlag
	zones     multiFlag
	format    formatFlag
	force     bool
}

func (o *planOpts) register(a *app, name, synopsis, help, forceHelp string) *flag.FlagSet {
	fs := a.newFlags(name, synopsis, help)
	o.format = "text"
	fs.StringVar(&o.config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fs.Var(&o.providers, "provider", "provider name under providers: in the config (repeatable; default: all)")
	fs.Var(&o.zones, "zone", "zone name from the config (repeatable; default: all)")
	fs.Var(&o.format, "format", "output format: text, json or markdown")
	fs.BoolVar(&o.force, "force", false, forceHelp)
	return fs
}

// parse parses the flags of plan or push, which take no arguments; ok is
// false when the command is to stop with code.
func (o *planOpts) parse(a *app, fs *flag.FlagSet, args []string) (code int, ok bool) {
	if code, ok := parseFlags(fs, args); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "dnsparity %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitError, false
	}
	return exitOK, true
}

// target is one provider × zone to plan.
type target struct {
	prov     provider.Provider
	pcfg     *config.Provider
	desired  *zone.Zone
	plan     *plan.Plan
	nsForNew []string // NS names to create the zone with
	features []provider.Feature
}

// setup loads the config, the zones and the providers and computes every
// plan. It prints its own errors and returns an exit code when it fails.
func (a *app) setup(ctx context.Context, cmd string, o *planOpts) ([]*target, *config.Config, int) {
	path := o.config
	if path == "" {
		path = config.Find(".")
		if path == "" {
			fmt.Fprintf(a.stderr, "dnsparity %s: no %s found (use --config)\n", cmd, config.FileName)
			return nil, nil, exitError
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
		return nil, nil, exitError
	}
	provs := []string(o.providers)
	if len(provs) == 0 {
		provs = cfg.ProviderNames()
	}
	if len(provs) == 0 {
		fmt.Fprintf(a.stderr, "dnsparity %s: %s lists no providers\n", cmd, path)
		return nil, nil, exitError
	}
	for _, n := range provs {
		if cfg.Providers[n] == nil {
			fmt.Fprintf(a.stderr, "dnsparity %s: no provider %q in %s\n", cmd, n, path)
			return nil, nil, exitError
		}
	}
	if err := cfg.Resolve(a.getenv, provs...); err != nil {
		fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
		return nil, nil, exitError
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
				fmt.Fprintf(a.stderr, "dnsparity %s: zone %q is not in %s\n", cmd, want, path)
				return nil, nil, exitError
			}
		}
	}
	if len(zs) == 0 {
		fmt.Fprintf(a.stderr, "dnsparity %s: %s lists no zones\n", cmd, path)
		return nil, nil, exitError
	}
	// Zone files first: nothing is asked of a provider for a broken zone.
	desired := make([]*zone.Zone, 0, len(zs))
	bad := false
	for _, zc := range zs {
		file := cfg.ZoneFile(zc)
		z, err := zone.Load(file, zone.Options{Origin: zc.Name})
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
			return nil, nil, exitError
		}
		for _, p := range z.Problems {
			if p.Severity == zone.Error {
				fmt.Fprintln(a.stderr, p.String())
				bad = true
			}
		}
		if z.Origin != zc.Name {
			fmt.Fprintf(a.stderr, "%s: origin %s does not match the zone %s in %s\n", file, z.Origin, zc.Name, path)
			bad = true
		}
		desired = append(desired, z)
	}
	if bad {
		fmt.Fprintf(a.stderr, "dnsparity %s: zone files have errors; nothing was planned or pushed\n", cmd)
		return nil, nil, exitProblem
	}
	var targets []*target
	for _, n := range provs {
		pc := cfg.Providers[n]
		p, err := provider.New(pc)
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity %s: %v\n", cmd, err)
			return nil, nil, exitError
		}
		for _, d := range desired {
			t := &target{prov: p, pcfg: pc, desired: d}
			cur, err := p.Records(ctx, d.Origin)
			newZone := false
			if errors.Is(err, provider.ErrZoneNotFound) {
				if _, ok := p.(provider.ZoneCreator); !ok {
					fmt.Fprintf(a.stderr, "dnsparity %s: provider %s: %v (create the zone there first)\n", cmd, n, err)
					return nil, nil, exitError
				}
				cur, err, newZone = nil, nil, true
			}
			if err != nil {
				fmt.Fprintf(a.stderr, "dnsparity %s: provider %s: %v\n", cmd, n, err)
				return nil, nil, exitError
			}
			if fr, ok := p.(provider.FeatureReporter); ok && !newZone {
				if t.features, err = fr.Features(ctx, d.Origin); err != nil {
					fmt.Fprintf(a.stderr, "dnsparity %s: provider %s: %v\n", cmd, n, err)
					return nil, nil, exitError
				}
			}
			t.plan = plan.Compute(d, cur, plan.Options{ManageApex: pc.ManageApex, Caps: p.Capabilities()})
			t.plan.Provider = n
			t.plan.NewZone = newZone
			if newZone {
				t.nsForNew = nsNames(pc.Nameservers, d)
			}
			targets = append(targets, t)
		}
	}
	return targets, cfg, exitOK
}

// nsNames are the NS names to create a zone with: the configured
// nameservers that are names, else the zone file's apex NS.
func nsNames(configured []string, d *zone.Zone) []string {
	var out []string
	for _, n := range configured {
		host := n
		if h, _, err := net.SplitHostPort(n); err == nil {
			host = h
		}
		if net.ParseIP(host) != nil || strings.Contains(n, ":") {
			continue
		}
		out = append(out, dns.Fqdn(host))
	}
	if len(out) > 0 {
		return out
	}
	return provider.ApexNS(d)
}

func (a *app) writePlans(format formatFlag, entries []report.PlanEntry) {
	if a.jsonOut != nil {
		report.WritePlanJSON(a.jsonOut, entries)
	}
	w := a.stdout
	switch format {
	case "json":
		report.WritePlanJSON(w, entries)
	case "markdown":
		report.WritePlanMarkdown(w, entries)
	default:
		report.WritePlanText(w, entries)
	}
}

func policy(cfg *config.Config, force bool) plan.Policy {
	return plan.Policy{MaxChangePercent: cfg.Policy.MaxChange(), Force: force}
}

func runPlan(ctx context.Context, a *app, args []string) int {
	var o planOpts
	fs := o.register(a, "plan", "[--provider NAME] [--zone NAME] [--format text|json|markdown] [--detect-drift] [--force]",
		`Show what push would change at each provider: every RRset to create (+),
replace (~) or delete (-), with old and new values and the zone file line.
The apex SOA (and the apex NS unless manage_apex) are never changed.

Exit 0 when the plan can be pushed, 1 when the zone has errors, a provider
cannot hold a record, or the plan is unsafe (over policy.max_change_percent or
touching apex NS) without --force (and with --detect-drift: when a provider
differs from git), 2 when it could not run.`, "accept a plan the safety policy would refuse")
	drift := fs.Bool("detect-drift", false, "exit 1 when any provider differs from the zone files")
	if code, ok := o.parse(a, fs, args); !ok {
		return code
	}
	targets, cfg, code := a.setup(ctx, "plan", &o)
	if targets == nil {
		return code
	}
	pol := policy(cfg, o.force)
	var entries []report.PlanEntry
	exit := exitOK
	for _, t := range targets {
		e := report.PlanEntry{Plan: t.plan, Applied: -1, Features: t.features}
		for _, u := range t.plan.Unsupported {
			e.Blocked = append(e.Blocked, u.String())
			exit = exitProblem
		}
		for _, r := range t.plan.Unsafe(pol) {
			if o.force {
				e.Warnings = append(e.Warnings, "forced: "+r)
				continue
			}
			e.Warnings = append(e.Warnings, "push needs --force: "+r)
			exit = exitProblem
		}
		if *drift && !t.plan.Empty() {
			exit = exitProblem
		}
		entries = append(entries, e)
	}
	a.writePlans(o.format, entries)
	if *drift {
		for _, e := range entries {
			if !e.Plan.Empty() {
				fmt.Fprintf(a.stderr, "drift: provider %s, zone %s differs from git (%s)\n", e.Plan.Provider, e.Plan.Zone, strings.TrimSpace(describeCount(e.Plan)))
			}
		}
	}
	return exit
}

func describeCount(p *plan.Plan) string {
	c, r, d := p.Count()
	return fmt.Sprintf("%d to create, %d to replace, %d to delete", c, r, d)
}
