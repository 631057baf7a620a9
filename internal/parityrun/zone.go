package parityrun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/push"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Fanout bounds a run over the setup's zones: up to 32 zones at once, and
// zone files of at most 8 MiB in all (a zone's run takes about twenty
// times its file's size in memory): the memory of a run is that of its
// largest zone or of a few small ones, plus the findings, never of all the
// zones.
func (r *Setup) Fanout() fanout.Options {
	return fanout.Options{Limit: 32, Budget: 8 << 20, Weight: func(i int) int64 {
		if st, err := os.Stat(r.Jobs[i].File); err == nil {
			return st.Size()
		}
		return 1
	}}
}

// Load loads a job's zone file and checks it: the zone, its problems, and
// the report of a zone that fails check (nil when it has no errors: every
// problem, errors first, as a "check" finding; such a zone is not
// compared). A file that cannot be read is an error, with an empty report
// of the job's origin and file. Without $ORIGIN and an origin the loader
// takes the origin from an absolute SOA owner, and says so in an info
// problem.
func (r *Setup) Load(j Job) (*zone.Zone, []zone.Problem, *parity.Report, error) {
	z, err := zone.Load(j.File, zone.Options{Origin: j.Origin, Tree: r.trees.Of(j.File), Named: j.Named})
	if err != nil {
		// The file named too: a --file's origin is not known.
		return nil, nil, &parity.Report{Zone: j.Origin, Findings: []parity.Finding{}, File: report.RelPath(r.Root, j.File)}, err
	}
	// A secret the run read (a TSIG key that signs the transfers, a
	// value the caller masks) that stands in a record would be shown by
	// where its mask falls: refused before the zone is compared or shown.
	if r.shown != nil {
		if err := r.shown.ShownSecret(z.Texts()); err != nil {
			return nil, nil, &parity.Report{Zone: j.Origin, Findings: []parity.Finding{}}, fmt.Errorf("zone %s: %w", z.Origin, err)
		}
	}
	ps, _ := r.Cfg.OriginChecked(z, j.Name, j.File, zone.Check(z))
	return z, ps, r.checkReport(z, ps), nil
}

// Compare compares a zone loaded with Load on both sides (parity.Run with
// opts), its report's paths relative to the repository. A run that ends
// early (ctx) gives its partial report and no error; a run that could not
// be done gives an empty report and the error.
func (r *Setup) Compare(ctx context.Context, z *zone.Zone, opts parity.Options) (*parity.Report, error) {
	rep, err := parity.Run(ctx, z, parity.Targets(r.Olds), parity.Targets(r.News), opts)
	if err != nil && (rep == nil || !rep.Partial) {
		return &parity.Report{Zone: z.Origin, Findings: []parity.Finding{}}, fmt.Errorf("%s: %w", z.Origin, err)
	}
	r.relReport(rep)
	return rep, nil
}

// checkReport is the report of a zone that fails check (nil when it has
// no errors).
func (r *Setup) checkReport(z *zone.Zone, ps []zone.Problem) *parity.Report {
	if !zone.HasErrors(ps) {
		return nil
	}
	rep := &parity.Report{Zone: z.Origin, File: report.RelPath(r.Root, z.File), Findings: []parity.Finding{},
		Error: "the zone file has errors (see dnsparity check); nothing was compared"}
	for _, p := range ps {
		rep.Findings = append(rep.Findings, checkFinding(z.Origin, report.RelPath(r.Root, p.Pos.File), p))
	}
	parity.SortFindings(rep.Findings)
	return rep
}

// checkFinding is a zone file's problem as a "check" finding of the zone
// name, at file.
func checkFinding(name, file string, p zone.Problem) parity.Finding {
	sev := parity.SevError
	switch p.Severity {
	case zone.Warning:
		sev = parity.SevWarning
	case zone.Info:
		sev = parity.SevInfo
	}
	return parity.Finding{Name: name, Severity: sev, Kind: "check", Detail: p.Message, File: file, Line: p.Pos.Line}
}

// UnsetReport is what a run reports when a secret the sides need is
// unset (config.OnlyUnset(unset)): the zone files' errors, which need no
// secret, as plan and push report them (push.ZoneFileErrors: a zone
// whose records hold a secret the run read is refused, the error,
// before any problem is shown), and the variable as the report's error.
// Nothing is compared. The problems come back for stderr, errors first.
func (r *Setup) UnsetReport(unset error) (*parity.Report, []zone.Problem, error) {
	if r.Cfg == nil {
		return nil, nil, unset
	}
	zs := make([]config.Zone, len(r.Jobs))
	origin := map[string]string{} // a file as problems name it → its zone
	for i, j := range r.Jobs {
		abs, err := filepath.Abs(j.File)
		if err != nil {
			return nil, nil, fmt.Errorf("zone file %s: %w", j.File, err)
		}
		zs[i] = config.Zone{Name: j.Origin, File: abs}
		origin[report.RelPath(r.Cfg.Dir, abs)] = j.Origin
	}
	ps, err := push.ZoneFileErrors(r.shown, r.Cfg.Path, zs, &r.trees)
	if err != nil {
		return nil, nil, err
	}
	rep := &parity.Report{Findings: []parity.Finding{}, Error: unset.Error()}
	if len(r.Jobs) == 1 {
		rep.Zone = r.Jobs[0].Origin
	}
	for _, p := range ps {
		rep.Findings = append(rep.Findings, checkFinding(origin[p.Pos.File], p.Pos.File, p))
	}
	parity.SortFindings(rep.Findings)
	return rep, ps, nil
}

// relReport makes the report's file paths relative to the repository.
func (r *Setup) relReport(rep *parity.Report) {
	// A finding's detail may name positions too ("deviates from git
	// (FILE:LINE)"): the same files, made relative the same way.
	repl := map[string]string{}
	rel := func(p string) string {
		s := report.RelPath(r.Root, p)
		if s != p {
			repl[p+":"] = s + ":"
		}
		return s
	}
	rep.File = rel(rep.File)
	for i := range rep.Findings {
		rep.Findings[i].File = rel(rep.Findings[i].File)
	}
	if len(repl) == 0 {
		return
	}
	var pairs []string
	for k, v := range repl {
		pairs = append(pairs, k, v)
	}
	rp := strings.NewReplacer(pairs...)
	for i := range rep.Findings {
		rep.Findings[i].Detail = rp.Replace(rep.Findings[i].Detail)
	}
}

// Outcome is what a run over the setup's zones comes to, zone by zone in
// their order (Add), and its exit code (Exit).
type Outcome struct{ bad, interrupted, failed bool }

// Add counts a zone's report: err is its comparison's error (the report
// is then an error report), checked says its zone file fails check. It
// says whether the run goes on: it stops at a zone that could not be
// compared (parity.StopsRun), and goes on past one whose own transfer
// was refused.
func (o *Outcome) Add(rep *parity.Report, err error, checked bool) (goOn bool) {
	switch {
	case err != nil:
		o.failed = true
		return !parity.StopsRun(err)
	case checked:
		o.bad = true
	case rep.Partial: // interrupted (Ctrl-C): what was compared
		o.interrupted = true
	case !rep.OK():
		o.bad = true
	}
	return true
}

// Exit is the run's exit code: 2 when a zone could not be compared or
// the run was interrupted, else 1 when a zone fails check or parity does
// not hold, else 0.
func (o *Outcome) Exit() int {
	switch {
	case o.failed, o.interrupted:
		return cli.ExitError
	case o.bad:
		return cli.ExitProblem
	}
	return cli.ExitOK
}
