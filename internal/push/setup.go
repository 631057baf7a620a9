package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/dnsparity/dnsparity/internal/check"
	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Target is one provider × zone to plan and push.
type Target struct {
	Prov     provider.Provider
	Config   *config.Provider
	Desired  *zone.Zone
	Plan     *plan.Plan
	NSForNew []string // NS names to create the zone with
	Warnings []string // about the plan (where a new zone's NS come from)
	Features []provider.Feature
	// Cuts are the child zones whose delegation in this zone the
	// cutover owns (config.CutoverCuts): the plan leaves them as served.
	Cuts []string
	// Step is the target's place in its zone's Steps: its rank (the order
	// the zone is pushed in) and whether its provider goes only if it
	// answers (Step.IfUp).
	Step Step
	Rank int
	// NotSynced says why an IfUp provider could not even be read (it is
	// still down): the plan is empty and nothing is sent; a note, not a
	// failure. Failed is any other reason it could not be planned, which
	// counts as a provider failure; an IfUp step's stops no other target,
	// any other's stops every push (Unplanned), while every other zone is
	// still planned and reported.
	NotSynced string
	Failed    error
}

// planOptions are the options of every plan of t: the first and the
// one recheck makes just before the push.
func (t *Target) planOptions() plan.Options {
	return plan.Options{ManageApex: t.Config.ManageApex, Caps: t.Prov.Capabilities(), Cuts: t.Cuts, Unreadable: t.Features}
}

// Failure is why Setup stopped: the exit code, the message (already on
// stderr) and the zone files' problems, for the JSON report.
type Failure struct {
	Code     int
	Msg      string
	Problems []zone.Problem
}

// Options say what to plan and push, and where messages go.
type Options struct {
	// Command is "plan" or "push": it names the messages.
	Command string
	// Config is the config file ("": dnsparity.yaml found from the working
	// directory up).
	Config string
	// Providers and Zones limit the run (none: the config's zone
	// providers, every zone).
	Providers, Zones []string
	// Getenv reads the secrets the config names.
	Getenv func(string) string
	// Masked are the values the caller masks, by variable (cli.IO.Masked):
	// the config takes them as its secrets (config.Config.Mask).
	Masked map[string]string
	// Stderr receives the problems and the failure.
	Stderr io.Writer
	// Progress shows the reads and pushes that take long (nil: none).
	Progress progress.Progress
	// BeforeApply, when set, runs just before a provider's zone is changed
	// (tests: another writer between plan and push).
	BeforeApply func(provider, zone string)
	// Shard, when set, limits the run to that shard of the zones (after
	// Zones).
	Shard *shard.Spec
	// IfUp: with the providers named, a zone moved in an emergency still
	// takes the side it left last and only if it answers (Steps), as
	// without them; the Action's sync passes it (`--if-up`).
	IfUp bool
}

// Setup loads the config, the zones and the providers and computes every
// plan. It prints its own errors; on failure the targets are nil.
func Setup(ctx context.Context, o Options) ([]*Target, *config.Config, *Failure) {
	fail := func(code int, format string, args ...any) ([]*Target, *config.Config, *Failure) {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(o.Stderr, "dnsparity %s: %s\n", o.Command, msg)
		return nil, nil, &Failure{Code: code, Msg: msg}
	}
	pl, sides, err := newPlanner(o)
	if err != nil {
		return fail(cli.ExitError, "%v", err)
	}
	cfg := pl.cfg
	zs, err := selectZones(cfg, o)
	if err != nil {
		return fail(cli.ExitError, "%v", err)
	}
	// The secrets once the names given are known good: a --zone the
	// config lacks is that error, not a variable to set first. A
	// variable unset is reported after the zone files' errors, which
	// need no secret (errors first); a value refused stops here, before
	// any record is printed.
	unset := provider.ReadSecrets(sides...)
	if unset != nil && !config.OnlyUnset(unset) {
		return fail(cli.ExitError, "%v", unset)
	}
	if len(zs) == 0 {
		if unset != nil {
			return fail(cli.ExitError, "%v", unset)
		}
		if o.Shard != nil {
			return nil, cfg, nil // an empty shard: nothing to plan
		}
		return fail(cli.ExitError, "%s lists no zones", pl.path)
	}
	// Zone files first, all of them: nothing is asked of a provider while
	// any zone file has errors. Each is read once: the zone checked is
	// the zone planned (a file changed since is not read again).
	desired, problems, err := loadZones(cfg, pl.path, zs, &pl.trees, true)
	if err != nil {
		return fail(cli.ExitError, "%v", err)
	}
	for _, p := range problems {
		fmt.Fprintln(o.Stderr, p.String())
	}
	if unset != nil {
		// Nothing is read or sent without the secret: exit 2 (could
		// not run), the zone files' errors in the report too.
		_, _, f := fail(cli.ExitError, "%v", unset)
		f.Problems = problems
		return nil, nil, f
	}
	if len(problems) > 0 {
		_, _, f := fail(cli.ExitProblem, "zone files have errors; nothing was planned or pushed")
		f.Problems = problems
		return nil, nil, f
	}
	for _, side := range sides {
		p, err := side.Provider()
		if err != nil {
			return fail(cli.ExitError, "%v", err)
		}
		pl.opened = append(pl.opened, p)
		// Every zone of the run is looked up there: a provider that can
		// find them all from one listing of the account's does.
		if a, ok := p.(provider.ZonesAhead); ok {
			a.ExpectZones(len(zs))
		}
	}
	perZone, err := pl.planZones(ctx, zs, desired)
	if err != nil {
		return fail(cli.ExitError, "%v", err)
	}
	// Targets provider by provider, each in zone order (as before).
	var targets []*Target
	for _, n := range pl.provs {
		for _, ts := range perZone {
			if t := ts[n]; t != nil {
				targets = append(targets, t)
			}
		}
	}
	return targets, cfg, nil
}

// planner is what planning the zones needs: the options, the config (and
// its path), the providers by name and, once the zone files pass, opened.
type planner struct {
	o      Options
	cfg    *config.Config
	path   string
	provs  []string            // the providers' names
	opened []provider.Provider // provs, opened
	trees  confine.Trees       // each folder's repository resolved once, for every read
}

// newPlanner loads the config and the sides of the providers the options
// name (default: the config's zone providers); their secrets are not read
// yet (Setup reads them once the zones named are known).
func newPlanner(o Options) (*planner, []*provider.Side, error) {
	path := o.Config
	if path == "" {
		path = config.Find(".")
		if path == "" {
			return nil, nil, config.NotFound(".")
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Mask(o.Masked); err != nil {
		return nil, nil, err
	}
	provs := o.Providers
	if len(provs) == 0 {
		provs = cfg.ZoneProviders()
	}
	if len(provs) == 0 {
		return nil, nil, fmt.Errorf("%s lists no providers", path)
	}
	sides, err := provider.Sides(cfg, o.Getenv, provs...)
	if err != nil {
		return nil, nil, err
	}
	return &planner{o: o, cfg: cfg, path: path, provs: provs}, sides, nil
}

// selectZones is the zones the options name (default: every zone of the
// config), within the shard (shard.Select).
func selectZones(cfg *config.Config, o Options) ([]config.Zone, error) {
	return shard.Select(cfg, o.Shard, o.Zones)
}

// ZoneFileErrors reads every zone file of zs (of cfg, loaded from path),
// a few at a time, each let go once read, and returns their errors in
// zone order: what plan, push and (with a secret unset) parity report
// before the variable, since they need no secret. A zone whose records
// hold one of cfg's secrets is refused (the error) before any of its
// problems, which may quote a record, is returned. A zone without a
// name (a file given alone) takes the origin the file gives.
func ZoneFileErrors(cfg *config.Config, path string, zs []config.Zone, trees *confine.Trees) ([]zone.Problem, error) {
	_, problems, err := loadZones(cfg, path, zs, trees, false)
	return problems, err
}

// loadZones reads every zone file of zs as ZoneFileErrors does and, with
// keep, returns the zones read too, in zone order (nil but for the
// problems when the files have errors): plan and push read each file
// once, and plan the zone checked.
func loadZones(cfg *config.Config, path string, zs []config.Zone, trees *confine.Trees, keep bool) ([]*zone.Zone, []zone.Problem, error) {
	bad := make([][]zone.Problem, len(zs))
	var zones []*zone.Zone
	if keep {
		zones = make([]*zone.Zone, len(zs))
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, zc := range zs {
		g.Go(func() error {
			z, ps, err := loadDesired(cfg, zc, trees)
			if err != nil {
				return err
			}
			// A secret that stands in a record would be shown by where
			// its mask falls: refused before anything is printed.
			if err := cfg.ShownSecret(z.Texts()); err != nil {
				return fmt.Errorf("zone %s: %w", z.Origin, err)
			}
			bad[i] = ps
			if keep {
				zones[i] = z
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	var problems []zone.Problem
	for _, ps := range bad {
		problems = append(problems, ps...)
	}
	if len(problems) > 0 {
		zones = nil // not planned: let go
	}
	return zones, problems, nil
}

// planZones computes the plans of zs (desired: each one's zone, as read
// and checked; each let go once planned), several zones at once (each provider's
// API budget is shared by them: one limiter per account), each zone to
// every provider in turn; it returns each zone's targets by provider, in
// zone order. A zone whose plans are empty is let go at once: once
// planned, the memory is that of the zones with changes, not of every
// zone (until its plan, each zone is held as checked: the files are read
// once, bench/many's plan phase measures the peak). A zone that
// could not be planned at a provider is that target's Failed (Unplanned):
// the other zones are planned and reported all the same. An interrupted
// run (ctx), or a provider down (provider.Down: unreachable, timed out,
// an API 5xx, which every zone would wait out its retries for), fails
// the whole.
func (pl *planner) planZones(ctx context.Context, zs []config.Zone, desired []*zone.Zone) ([]map[string]*Target, error) {
	perZone := make([]map[string]*Target, 0, len(zs))
	tally := progress.StartUnits(orNone(pl.o.Progress), "planned", len(zs), "zones")
	var planned, failedZones atomic.Int64
	var down error // a provider down: the run stops, as it did at any error
	fanout.Ordered(ctx, len(zs), Fanout(pl.cfg, zs), func(ctx context.Context, i int) map[string]*Target {
		ts := pl.planZone(ctx, zs[i], desired[i])
		desired[i] = nil // the targets keep it where a push needs it
		if Unplanned(slices.Collect(maps.Values(ts))) != "" {
			// A zone that could not be planned is not planned: the
			// progress counts it apart, not as done.
			progress.Failed(tally, int(failedZones.Add(1)))
		} else {
			tally.Update(int(planned.Add(1)))
		}
		return ts
	}, func(i int, ts map[string]*Target) bool {
		for _, n := range pl.provs {
			if t := ts[n]; t != nil && t.Failed != nil && !t.Step.IfUp && provider.Down(t.Failed) {
				// The provider is down (unreachable, timed out, an API
				// 5xx): every zone would wait out its retries for it.
				down = t.Failed
				return false
			}
		}
		perZone = append(perZone, ts)
		return true
	})
	tally.Stop()
	if down != nil {
		return nil, down
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return perZone, nil
}

// Unplanned says why the push of targets cannot go ahead when one of
// them could not be planned (its Failed, an IfUp step's aside: that one
// stops nothing): "zone Z could not be planned: ERROR" (the error names
// the provider), the first such target's; "" when every one was planned. Nothing is pushed to any
// provider then (Run), a false refusal rather than a half-pushed run:
// the other zones' plans are still reported, and the next run, with the
// zone readable again, converges.
func Unplanned(targets []*Target) string {
	for _, t := range targets {
		if t != nil && t.Failed != nil && !t.Step.IfUp {
			return fmt.Sprintf("zone %s could not be planned: %v", t.Plan.Zone, t.Failed)
		}
	}
	return ""
}

// planZone plans one zone, d (zc's file, read and checked), to every
// provider: each provider's zone read and planned, the apex trap said. A provider
// that cannot plan the zone gives a target whose Failed says why; the
// zone's other providers are planned all the same.
func (pl *planner) planZone(ctx context.Context, zc config.Zone, d *zone.Zone) map[string]*Target {
	out := map[string]*Target{}
	// failed is a target of provider n (the zone's step rank) that could
	// not be planned: err.
	failed := func(n string, origin string, rank int, st Step, err error) *Target {
		k := slices.Index(pl.provs, n)
		return &Target{Prov: pl.opened[k], Config: pl.cfg.Providers[n], Plan: &plan.Plan{Provider: n, Zone: origin}, Step: st, Rank: rank, Failed: err}
	}
	steps, err := Steps(pl.cfg, d.Origin, pl.provs, len(pl.o.Providers) > 0, pl.o.IfUp)
	if err != nil {
		for rank, n := range pl.provs {
			out[n] = failed(n, zc.Name, rank, Step{Provider: n}, err)
		}
		return out
	}
	kept, _ := ctx.Value(keptCtx{}).(*Kept) // nil: none (WithKept)
	for rank, st := range steps {
		n := st.Provider
		key := pl.keptKey(n, d.Origin, st)
		if t := kept.take(key); t != nil {
			// Planned by an earlier run of this process (Kept): pushed
			// as it was shown, not read and planned again.
			t.Step, t.Rank = st, rank
			out[n] = t
			continue
		}
		k := slices.Index(pl.provs, n)
		t, err := Prepare(ctx, n, pl.opened[k], pl.cfg.Providers[n], d, pl.cfg.CutoverCuts(d.Origin), pl.o.Progress)
		if err != nil && st.IfUp {
			// The side an emergency step left behind: down, it is a
			// note; any other failure is its own, and stops nothing.
			t = failed(n, d.Origin, rank, st, nil)
			if provider.Down(err) {
				t.NotSynced = notSynced(st, d.Origin, err)
				fmt.Fprintf(pl.o.Stderr, "dnsparity %s: %s\n", pl.o.Command, t.NotSynced)
			} else {
				t.Failed = err
			}
		} else if err != nil {
			t = failed(n, d.Origin, rank, st, err)
		} else if err := heldNotes(pl.cfg, zc, t); err != nil {
			t = failed(n, d.Origin, rank, st, err)
		} else {
			// The apex trap (issue 16): plan and push say where a side's
			// apex NS after the push is not its own delegation.
			w, notes := apexTrap(ctx, pl.cfg, t.Plan, t.Desired)
			t.Warnings = append(t.Warnings, w...)
			for _, note := range notes {
				fmt.Fprintf(pl.o.Stderr, "note: %s\n", note)
			}
		}
		t.Step, t.Rank = st, rank
		out[n] = t
		kept.keep(key, t)
	}
	for _, t := range out {
		if t.Plan.Empty() || t.Failed != nil {
			t.Desired = nil // push has nothing to do here: the zone is not kept for it
		}
	}
	return out
}

// Fanout bounds how many zones are planned or pushed at once: 8, and zone
// files of at most 8 MiB in all (a zone that big alone).
func Fanout(cfg *config.Config, zs []config.Zone) fanout.Options {
	return fanout.Options{Limit: 8, Budget: 8 << 20, Weight: func(i int) int64 {
		if st, err := os.Stat(cfg.ZoneFile(zs[i])); err == nil {
			return st.Size()
		}
		return 1
	}}
}

// loadDesired loads a zone file as push wants it (file names relative to
// the repository root) and returns its errors: those of `dnsparity check`,
// not only what stopped the parser (an empty file, no SOA, no NS, must not
// plan deletes), and an origin that is not the config's name for it
// (config.Config.OriginMismatch).
func loadDesired(cfg *config.Config, zc config.Zone, trees *confine.Trees) (*zone.Zone, []zone.Problem, error) {
	file := cfg.ZoneFile(zc)
	z, err := zone.Load(file, zone.Options{Origin: zc.Name, Tree: trees.Of(file)})
	if err != nil {
		return nil, nil, err
	}
	relativize(cfg.Dir, z)
	var bad []zone.Problem
	ps, _ := check.Zone(z, 0)
	for _, p := range ps {
		if p.Severity == zone.Error {
			bad = append(bad, p)
		}
	}
	if p := cfg.OriginMismatch(z, zc.Name, file); p != nil {
		p.Pos.File = report.RelPath(cfg.Dir, file)
		bad = append(bad, *p)
	}
	return z, bad, nil
}

// Prepare plans one provider × zone: it reads the provider's zone (a zone
// the provider lacks is planned as created, when it can create zones) and
// its provider-only features, and computes the plan. A long read shows
// on prog (nil: nothing). cuts are the child zones whose delegation in
// d the cutover owns (config.CutoverCuts), left as served.
func Prepare(ctx context.Context, name string, p provider.Provider, pc *config.Provider, d *zone.Zone, cuts []string, prog progress.Progress) (*Target, error) {
	t := &Target{Prov: p, Config: pc, Desired: d, Cuts: cuts}
	pr := orNone(prog).Start(fmt.Sprintf("reading zone %s from provider %s", d.Origin, name), 0)
	// The records and the provider-only features, from one listing where
	// the provider can (its API budget is shared by every zone).
	cur, features, err := provider.Read(ctx, p, d.Origin)
	if errors.Is(err, provider.ErrZoneNotFound) {
		pr.Stop() // read: the zone is not there yet
	} else {
		progress.End(pr, err)
	}
	newZone := false
	if errors.Is(err, provider.ErrZoneNotFound) {
		if _, ok := p.(provider.ZoneCreator); !ok {
			return nil, fmt.Errorf("provider %s: %w (create the zone there first)", name, err)
		}
		cur, err, newZone = nil, nil, true
	}
	if err != nil {
		return nil, fmt.Errorf("provider %s: %w", name, err)
	}
	t.Features = features
	if !newZone {
		// Whether the provider's servers answer git's (or the listing's)
		// apex NS names beyond its own: a setting, read only then.
		if err := provider.ReadApexNSSetting(ctx, p, d.Origin, append(provider.ApexNS(d), provider.ApexNS(cur)...)); err != nil {
			return nil, fmt.Errorf("provider %s: %w", name, err)
		}
	}
	t.Plan = plan.Compute(d, cur, t.planOptions())
	t.Plan.Provider = name
	t.Plan.NewZone = newZone
	t.Warnings = append(t.Warnings, t.Plan.Warnings...)
	if newZone {
		t.newZone()
	}
	return t, nil
}

// heldNotes adds to t's warnings, for each delegation its plan leaves
// as served while git's copy differs, what the cutover's audit trail
// says the parent should serve and what to do (cutover.HeldNote).
func heldNotes(cfg *config.Config, zc config.Zone, t *Target) error {
	for _, h := range t.Plan.Held {
		if !h.Differs() {
			continue
		}
		note, err := cutover.HeldNote(cfg, report.RelPath(cfg.Dir, cfg.ZoneFile(zc)), h)
		if err != nil {
			return err
		}
		t.Warnings = append(t.Warnings, note)
	}
	return nil
}

// relativize makes the zone's file names relative to the repository root
// (the config's directory), as in annotations.
func relativize(root string, z *zone.Zone) {
	for _, s := range z.Sets {
		for i := range s.Records {
			s.Records[i].Pos.File = report.RelPath(root, s.Records[i].Pos.File)
		}
	}
	for i := range z.Problems {
		z.Problems[i].Pos.File = report.RelPath(root, z.Problems[i].Pos.File)
	}
}

func orNone(p progress.Progress) progress.Progress {
	if p == nil {
		return progress.None
	}
	return p
}
