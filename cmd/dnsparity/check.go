package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/miekg/dns"
	"golang.org/x/sync/errgroup"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const checkHelp = `
Check zone files the way named-checkzone does: syntax (with BIND's TTL,
$INCLUDE and $GENERATE rules; $INCLUDE only inside the repository), then the
zone's semantics: SOA and NS at the apex, CNAME and other data, DNAME, NS, MX
and SRV targets (wildcards included), glue, DS, out-of-zone data, TTLs within
an RRset (RRSIGs per covered type), duplicates, TXT strings over 255 octets,
and each type's RDATA against its RFC (digest lengths, CAA tags, SVCB/HTTPS
keys, \DDD escapes). Types BIND knows and miekg/dns does not (NSAP, WKS, ATMA,
A6, SINK, DSYNC, HHIT, BRID, DOA, WALLET) are read and kept as RFC 3597 data.

PATH is a zone file or a folder (every *.zone and *.db file below it). With no
PATH: the zones of dnsparity.yaml (--config; --zone NAME for some of them,
--shard I/N for one shard of a matrix), else the folder zones/. Files are
checked in parallel, one per core.
The origin is the file's $ORIGIN, else --origin (or the zone's name in
dnsparity.yaml), else an absolute SOA owner on the first record (said in an
info line), else the file name (example.com.zone → example.com.).

Every problem is reported in one run (a broken line is skipped and the zone-wide
checks still run), as FILE:LINE: message with FILE relative to the repository
root, then a summary line, all on stdout. --max-problems keeps the first N
problems of each file (errors first) and counts the rest.

Exit: 0 no errors (warnings allowed), 1 errors found, 2 could not run
(--format json then writes {"problems": [], "error": "..."}).`

// checkTarget is one file to check and the origin to use when the file has
// no $ORIGIN.
type checkTarget struct {
	path   string
	origin string
}

func runCheck(_ context.Context, a *app, args []string) int {
	// A check holds the whole zone while its short-lived parsing garbage
	// comes and goes: a tighter GC target keeps the peak at or under
	// named-checkzone's on 1,000,000 records (bench/check) for ~10% more
	// CPU. GOGC set by the user wins.
	if a.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(70))
	}
	fl := a.newFlags("check", "[--origin NAME] [--format text|json|markdown] [--max-problems N] [--config FILE] [--zone NAME]... [--shard I/N] [PATH...]", checkHelp)
	origin := fl.String("origin", "", "origin for files without $ORIGIN (default: from the file name)")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	maxProblems := fl.Int("max-problems", defaultMaxProblems, "problems kept per zone file, errors first (0: all; bounds memory on zones with very many warnings)")
	var sh shardFlag
	fl.Var(&sh, "shard", shardUsage+" (no PATH)")
	cfgPath := fl.String("config", "", "config file whose zones to check when no PATH is given (default: dnsparity.yaml found from the current directory up)")
	var zoneNames multiFlag
	fl.Var(&zoneNames, "zone", "check only this zone of the config (repeatable; no PATH)")
	paths, code, ok := parseInterspersed(fl, args)
	if !ok {
		if code == exitError {
			// The flag package said what is wrong on stderr.
			writeCheckError(a, string(formatIn(args)), "bad command line: "+strings.Join(args, " "))
		}
		return code
	}
	fail := func(msg string) int {
		fmt.Fprintf(a.stderr, "dnsparity check: %s\n", msg)
		writeCheckError(a, string(format), msg)
		return exitError
	}
	if *origin != "" {
		if _, ok := dns.IsDomainName(*origin); !ok {
			return fail(fmt.Sprintf("--origin %q is not a domain name", *origin))
		}
	}
	if *maxProblems < 0 {
		return fail("--max-problems must be 0 (all) or more")
	}

	if (sh.spec != nil || len(zoneNames) > 0) && len(paths) > 0 {
		return fail("--shard and --zone take the zones of " + config.FileName + ": give no PATH")
	}
	targets, info, err := checkTargets(paths, *origin, configScope{path: *cfgPath, zones: zoneNames, shard: sh.spec})
	if err != nil {
		return fail(err.Error())
	}

	var (
		problems []zone.Problem
		failed   []string
		records  int
		tally    zone.Tally
	)
	if len(targets) > 1 && a.getenv("GOGC") == "" {
		// Many files: one small zone per core in memory, a live heap of
		// a few MiB that the default target collects every few MiB
		// parsed (170 times over 10,000 zones of 30 RRsets, each time
		// preempting the parsers); a target of 5× it collects a third
		// as often and peaks far below one large zone (bench/many). The
		// deferred reset above still restores the caller's.
		debug.SetGCPercent(400)
	}
	// Files are checked a few at a time (one zone in memory per core);
	// their problems are reported in the targets' order.
	type checked struct {
		problems []zone.Problem
		tally    zone.Tally
		records  int
		err      error
	}
	results := make([]checked, len(targets))
	var trees confine.Trees // each folder's repository (what $INCLUDE may read) resolved once
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, t := range targets {
		g.Go(func() error {
			z, err := zone.Load(t.path, zone.Options{Origin: t.origin, MaxProblems: *maxProblems, Tree: trees.Of(t.path)})
			if err != nil {
				results[i].err = err
				return nil
			}
			ps, tl := zone.CheckCount(z)
			results[i] = checked{problems: ps, tally: tl, records: z.Records()}
			return nil
		})
	}
	g.Wait()
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", r.err)
			failed = append(failed, r.err.Error())
			continue
		}
		records += r.records
		problems = append(problems, r.problems...)
		tally.Errors += r.tally.Errors
		tally.Warnings += r.tally.Warnings
		tally.Hidden += r.tally.Hidden
	}
	results = nil
	root := repoRoot("", firstPath(targets))
	for i := range problems {
		problems[i].Pos.File = relPath(root, problems[i].Pos.File)
	}
	report.ErrorsFirst(problems)

	exit := exitOK
	switch {
	case len(failed) > 0:
		exit = exitError
	case zone.HasErrors(problems):
		exit = exitProblem
	}
	var extra any
	sum := report.CheckSummary{Files: len(targets), Records: records, Tally: tally, Failed: len(failed)}
	if info != nil {
		extra = &shardReport{Shard: info, Exit: exit}
		sum.Shard = info.Name
	}
	if a.jsonOut != nil {
		report.WriteCheckJSONExtra(a.jsonOut, problems, failed, extra)
	}
	switch format {
	case "json":
		if err := report.WriteCheckJSONExtra(a.stdout, problems, failed, extra); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
			return exitError
		}
	case "markdown":
		report.WriteCheckMarkdown(a.stdout, problems, sum)
	default:
		report.WriteCheckText(a.stdout, problems, sum)
	}
	return exit
}

// shardReport is what a command run with --shard adds to its JSON report
// (dnsparity merge reads it): "shard": {"name", "zones"} and "exit".
type shardReport struct {
	Shard *shard.Info `json:"shard"`
	Exit  int         `json:"exit"`
}

// defaultMaxProblems keeps check's memory bounded on zones with hundreds of
// thousands of warnings (bench/check: 200,000 warnings in 1,000,000 records).
const defaultMaxProblems = 10000

// writeCheckError writes the report of a check that could not run, in the
// chosen format (JSON: {"problems": [], "error": MESSAGE}).
func writeCheckError(a *app, format, msg string) {
	if a.jsonOut != nil {
		report.WriteCheckJSON(a.jsonOut, nil, []string{msg})
	}
	if format == "json" {
		report.WriteCheckJSON(a.stdout, nil, []string{msg})
	}
}

// parseInterspersed parses flags before and after the paths
// ("check zones/ --format json"); "--" ends the flags.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, int, bool) {
	var paths []string
	for {
		if code, ok := parseFlags(fl, args); !ok {
			return nil, code, false
		}
		rest := fl.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(paths, rest...), 0, true
		}
		if len(rest) == 0 {
			return paths, 0, true
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

// configScope says which zones of which config a command takes when no
// PATH is given: the config (default: found from the current directory
// up), some zones by name, one shard.
type configScope struct {
	path  string
	zones []string
	shard *shard.Spec
}

func (s configScope) limited() bool { return s.shard != nil || len(s.zones) > 0 }

// checkTargets expands the arguments (files and folders) or, with none, the
// zones of dnsparity.yaml (those the scope names), else zones/.
func checkTargets(args []string, origin string, scope configScope) ([]checkTarget, *shard.Info, error) {
	spec := scope.shard
	if len(args) == 0 {
		path := scope.path
		if path == "" {
			path = config.Find(".")
		}
		if path != "" {
			cfg, err := config.Load(path)
			if err != nil {
				return nil, nil, err
			}
			if len(scope.zones) > 0 {
				var zs []config.Zone
				for _, n := range scope.zones {
					found := false
					for _, z := range cfg.Zones {
						if z.Name == zone.CanonicalName(n) {
							zs, found = append(zs, z), true
						}
					}
					if !found {
						return nil, nil, fmt.Errorf("--zone %s: no such zone in %s", n, path)
					}
				}
				cfg.Zones = zs
			}
			if spec != nil {
				shard.Limit(cfg, *spec)
			}
			if len(cfg.Zones) > 0 || scope.limited() {
				var out []checkTarget
				for _, z := range cfg.Zones {
					o := origin
					if o == "" {
						o = z.Name
					}
					out = append(out, checkTarget{path: cfg.ZoneFile(z), origin: o})
				}
				return out, shardInfo(spec, cfg.Zones), nil
			}
		} else if scope.limited() {
			return nil, nil, fmt.Errorf("--shard and --zone need %s (none found from the current directory up)", config.FileName)
		}
		args = []string{"zones"}
	}
	var out []checkTarget
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", arg, unwrapPath(err))
		}
		if !st.IsDir() {
			out = append(out, checkTarget{path: arg, origin: origin})
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != arg && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if n := strings.ToLower(d.Name()); strings.HasSuffix(n, ".zone") || strings.HasSuffix(n, ".db") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", arg, err)
		}
		if len(found) == 0 {
			return nil, nil, fmt.Errorf("%s: no *.zone or *.db files in this folder", arg)
		}
		sort.Strings(found)
		for _, p := range found {
			out = append(out, checkTarget{path: p, origin: origin})
		}
	}
	return out, nil, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// firstPath is the first target's path ("" when there is none).
func firstPath(ts []checkTarget) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0].path
}
