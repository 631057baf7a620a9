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
	"github.com/dnsparity/dnsparity/internal/plural"
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
	// directory up), loaded by Configs (nil: config.Load).
	Config  string
	Configs *config.Loads
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
	if unset != nil {
		// Nothing is read or sent without the secret: the zone files'
		// errors, then the variable (exit 2, could not run).
		problems, err := ZoneFileErrors(cfg, pl.path, zs, &pl.trees)
		if err != nil {
			return fail(cli.ExitError, "%v", err)
		}
		for _, p := range problems {
			fmt.Fprintln(o.Stderr, p.String())
		}
		_, _, f := fail(cli.ExitError, "%v", unset)
		f.Problems = problems
		return nil, nil, f
	}
	// The providers are opened (no request is made) before the zones are
	// read, so that each zone is planned as soon as it is checked; one
	// that cannot be opened is reported after the zone files' errors.
	var openErr error
	for _, side := range sides {
		p, err := side.Provider()
		if err != nil {
			openErr = err
			break
		}
		pl.opened = append(pl.opened, p)
		// Every zone of the run is looked up there: a provider that can
		// find them all from one listing of the account's does.
		if a, ok := p.(provider.ZonesAhead); ok {
			a.ExpectZones(len(zs))
		}
	}
	r := pl.checkAndPlan(ctx, zs, openErr == nil)
	for _, p := range r.problems {
		fmt.Fprintln(o.Stderr, p.String())
	}
	if r.err != nil {
		// A zone file that could not be read, after every other zone
		// file's errors (errors first: one run says all there is to fix).
		_, _, f := fail(cli.ExitError, "%v", r.err)
		f.Problems = r.problems
		return nil, nil, f
	}
	if len(r.problems) == 0 {
		// check's warnings, which plan and push do not refuse on, said
		// all the same: a user who only plans sees them too.
		for _, p := range r.warnings {
			fmt.Fprintln(o.Stderr, report.CheckLine(p))
		}
		if r.moreWarnings > 0 {
			fmt.Fprintf(o.Stderr, "%s in the zone files: `dnsparity check` lists every one\n", plural.N(r.moreWarnings, "more warning", "more warnings"))
		}
	}
	if len(r.problems) > 0 {
		_, _, f := fail(cli.ExitProblem, "zone files have errors; nothing was planned or pushed")
		f.Problems = r.problems
		return nil, nil, f
	}
	if openErr != nil {
		return fail(cli.ExitError, "%v", openErr)
	}
	if r.planErr != nil {
		return fail(cli.ExitError, "%v", r.planErr)
	}
	perZone := r.perZone
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
	cfg, err := o.Configs.LoadMasked(o.Config, o.Masked)
	if err != nil {
		return nil, nil, err
	}
	path := cfg.Path
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
	bad := make([][]zone.Problem, len(zs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, zc := range zs {
		g.Go(func() error {
			_, ps, _, err := checkedZone(cfg, zc, trees)
			bad[i] = ps
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var problems []zone.Problem
	for _, ps := range bad {
		problems = append(problems, ps...)
	}
	return problems, nil
}

// checkedZone reads zc's file and returns the zone, its errors and its
// warnings (loadDesired); a zone whose records hold one of cfg's secrets,
// which would be shown by where its mask falls, is refused (the error)
// before anything of it is printed.
func checkedZone(cfg *config.Config, zc config.Zone, trees *confine.Trees) (*zone.Zone, []zone.Problem, []zone.Problem, error) {
	z, ps, warns, err := loadDesired(cfg, zc, trees)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cfg.ShownSecret(z.Texts()); err != nil {
		return nil, nil, nil, fmt.Errorf("zone %s: %w", z.Origin, err)
	}
	return z, ps, warns, nil
}

// shownWarnings is how many of the zone files' warnings plan and push
// print (check's, which they do not refuse on); the rest are counted.
const shownWarnings = 20

// checked is what checkAndPlan found: each zone's targets by provider,
// in zone order; the zone files' errors, in zone order; err, the first
// zone file that could not be read (or holds a secret): the run stops,
// once every zone file is checked, without planning another zone; and
// planErr, why the zones could not all be planned (a provider down, the
// run interrupted), which counts only when the zone files have no error.
type checked struct {
	perZone  []map[string]*Target
	problems []zone.Problem
	// warnings are the first shownWarnings of the zone files' warnings,
	// in zone order; moreWarnings counts the rest.
	warnings     []zone.Problem
	moreWarnings int
	err          error
	planErr      error
}

// checkAndPlan reads and checks each zone file of zs once and, with
// plan, plans the zone as soon as it is checked (planZone), several zones
// at once within Fanout's bounds: the zones held are those in flight and
// those with changes (a push needs them), not every zone checked until
// the last file is read (10,000 zones of 30 RRsets: 153 MiB peak where
// checking alone takes 83; bench/many's plan phase). Once a zone file is
// found with errors, or a provider down, no zone more is planned: the
// rest are only checked, so that every zone file's errors are reported
// (errors first: nothing is planned or pushed then) and nothing more is
// asked of a provider.
func (pl *planner) checkAndPlan(ctx context.Context, zs []config.Zone, plan bool) checked {
	var r checked
	type zoneResult struct {
		ts    map[string]*Target
		ps    []zone.Problem
		warns []zone.Problem
		err   error
	}
	var (
		noPlan               atomic.Bool // a zone file with errors, or a provider down: check only
		planned, failedZones atomic.Int64
	)
	noPlan.Store(!plan)
	tally := progress.StartUnits(orNone(pl.o.Progress), "planned", len(zs), "zones")
	fanout.Ordered(ctx, len(zs), Fanout(pl.cfg, zs), func(ctx context.Context, i int) zoneResult {
		z, ps, warns, err := checkedZone(pl.cfg, zs[i], &pl.trees)
		switch {
		case err != nil:
			return zoneResult{err: err}
		case len(ps) > 0:
			noPlan.Store(true)
			return zoneResult{ps: ps}
		case noPlan.Load():
			return zoneResult{warns: warns} // checked; not planned: let go
		}
		ts := pl.planZone(ctx, zs[i], z)
		if Unplanned(slices.Collect(maps.Values(ts))) != "" {
			// A zone that could not be planned is not planned: the
			// progress counts it apart, not as done.
			progress.Failed(tally, int(failedZones.Add(1)))
		} else {
			tally.Update(int(planned.Add(1)))
		}
		return zoneResult{ts: ts, warns: warns}
	}, func(i int, zr zoneResult) bool {
		if zr.err != nil {
			// The run stops at it, once every zone file is checked: the
			// first such file is the failure, no zone more is planned.
			if r.err == nil {
				r.err = zr.err
			}
			noPlan.Store(true)
			return true
		}
		r.problems = append(r.problems, zr.ps...)
		n := min(len(zr.warns), max(shownWarnings-len(r.warnings), 0))
		r.warnings = append(r.warnings, zr.warns[:n]...)
		r.moreWarnings += len(zr.warns) - n
		if zr.ts == nil || r.planErr != nil {
			return true
		}
		for _, n := range pl.provs {
			if t := zr.ts[n]; t != nil && t.Failed != nil && !t.Step.IfUp && provider.Down(t.Failed) {
				// The provider is down (unreachable, timed out, an API
				// 5xx): every zone would wait out its retries for it.
				r.planErr = t.Failed
				noPlan.Store(true)
				return true
			}
		}
		r.perZone = append(r.perZone, zr.ts)
		return true
	})
	tally.Stop()
	if err := ctx.Err(); err != nil && r.err == nil && r.planErr == nil {
		r.planErr = err
	}
	return r
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
// (config.Config.OriginChecked); and check's warnings, which stop nothing.
func loadDesired(cfg *config.Config, zc config.Zone, trees *confine.Trees) (z *zone.Zone, bad, warns []zone.Problem, err error) {
	file, opt := cfg.ZoneLoad(zc)
	opt.Tree = trees.Of(file)
	z, err = zone.Load(file, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	relativize(cfg.Dir, z)
	ps, _ := check.Zone(z, 0)
	ps, ok := cfg.OriginChecked(z, zc.Name, file, ps)
	if !ok {
		ps[0].Pos.File = report.RelPath(cfg.Dir, file) // the mismatch, first
	}
	for _, p := range ps {
		switch p.Severity {
		case zone.Error:
			bad = append(bad, p)
		case zone.Warning:
			warns = append(warns, p)
		}
	}
	return z, bad, warns, nil
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
