package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"path/filepath"
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
	warnings []string // about the plan (where a new zone's NS come from)
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
		provs = cfg.ProviderNames()
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
			cur, err := p.Records(ctx, d.Origin)
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
			t.plan = plan.Compute(d, cur, plan.Options{ManageApex: pc.ManageApex, Caps: p.Capabilities()})
			t.plan.Provider = n
			t.plan.NewZone = newZone
			if newZone {
				t.newZone()
			}
			targets = append(targets, t)
		}
	}
	return targets, cfg, nil
}

// newZone decides what the zone's creation writes and shows it in the
// plan: the apex NS names (the provider's configured nameservers, else
// the zone file's, which is reported: with manage_apex false the file's
// apex NS are never written silently) and, for a provider that takes
// them, the zone file's SOA.
func (t *target) newZone() {
	d, pc := t.desired, t.pcfg
	origin := d.Origin
	fileNS := d.Get(origin, dns.TypeNS)
	ttl := uint32(3600)
	if fileNS != nil {
		ttl = fileNS.TTL
	}
	names := configuredNames(pc.Nameservers)
	switch {
	case len(names) > 0:
		t.plan.WithZoneNote = fmt.Sprintf("providers.%s.nameservers (%s)", pc.Name, strings.Join(names, ", "))
	case pc.ManageApex:
		names = provider.ApexNS(d)
		t.plan.WithZoneNote = "the zone file (manage_apex: true)"
	default:
		names = provider.ApexNS(d)
		t.plan.WithZoneNote = "the zone file (providers." + pc.Name + " has no nameservers names and manage_apex is false)"
		t.warnings = append(t.warnings, fmt.Sprintf("the new zone gets the zone file's apex NS (%s): providers.%s names no nameservers of its own; set providers.%s.nameservers to the provider's NS names to use those instead",
			strings.Join(names, ", "), pc.Name, pc.Name))
	}
	t.nsForNew = names
	var withZone []plan.Change
	if _, ok := t.prov.(provider.ApexCreator); ok {
		if soa := d.Get(origin, dns.TypeSOA); soa != nil {
			withZone = append(withZone, plan.Change{Action: provider.Create, Name: origin, Type: dns.TypeSOA, New: soa})
		}
	}
	if len(names) > 0 {
		var rrs []dns.RR
		for _, n := range names {
			rrs = append(rrs, &dns.NS{Hdr: dns.RR_Header{Name: origin, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl}, Ns: zone.CanonicalName(n)})
		}
		if ns, err := zone.NewRRSet(rrs); err == nil {
			if fileNS != nil && ns.SameData(fileNS) {
				ns = fileNS // with its file:line
			}
			withZone = append(withZone, plan.Change{Action: provider.Create, Name: origin, Type: dns.TypeNS, New: ns})
		}
	}
	t.plan.WithZone = withZone
	// With manage_apex the plan also creates the apex NS; when the zone is
	// created with exactly those, that change is already done.
	if pc.ManageApex && fileNS != nil && len(withZone) > 0 && withZone[len(withZone)-1].New.SameData(fileNS) {
		kept := t.plan.Changes[:0]
		for _, c := range t.plan.Changes {
			if !(c.Name == origin && c.Type == dns.TypeNS) {
				kept = append(kept, c)
			}
		}
		t.plan.Changes = kept
	}
}

// configuredNames are the configured nameservers that are names (not
// addresses), absolute.
func configuredNames(configured []string) []string {
	var out []string
	for _, n := range configured {
		host := n
		if h, _, err := net.SplitHostPort(n); err == nil {
			host = h
		}
		if net.ParseIP(host) != nil || strings.Contains(host, ":") {
			continue
		}
		out = append(out, dns.Fqdn(host))
	}
	return out
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

// relPath is file relative to root, when it lies below it.
func relPath(root, file string) string {
	if file == "" || root == "" {
		return file
	}
	ar, err1 := filepath.Abs(root)
	af, err2 := filepath.Abs(file)
	if err1 != nil || err2 != nil {
		return file
	}
	rel, err := filepath.Rel(ar, af)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return filepath.ToSlash(rel)
}

// writeFailure writes the JSON report of a command that stopped in setup.
func (a *app) writeFailure(format formatFlag, f *failure) {
	if a.jsonOut != nil {
		report.WritePlanJSONError(a.jsonOut, nil, f.msg, f.problems)
	}
	if format == "json" {
		report.WritePlanJSONError(a.stdout, nil, f.msg, f.problems)
	}
}

func (a *app) writePlans(format formatFlag, entries []report.PlanEntry) {
	a.writePlansError(format, entries, "")
}

// writePlansError writes the plans in the format, with msg as the JSON
// report's error.
func (a *app) writePlansError(format formatFlag, entries []report.PlanEntry, msg string) {
	if a.jsonOut != nil {
		report.WritePlanJSONError(a.jsonOut, entries, msg, nil)
	}
	w := a.stdout
	switch format {
	case "json":
		report.WritePlanJSONError(w, entries, msg, nil)
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
	targets, cfg, f := a.setup(ctx, "plan", &o)
	if f != nil {
		a.writeFailure(o.format, f)
		return f.code
	}
	pol := policy(cfg, o.force)
	var entries []report.PlanEntry
	exit := exitOK
	for _, t := range targets {
		e := report.PlanEntry{Plan: t.plan, Applied: -1, Warnings: t.warnings}
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
