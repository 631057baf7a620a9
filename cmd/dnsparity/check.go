package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/report"
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
PATH: the zones of dnsparity.yaml, else the folder zones/.
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
	fl := a.newFlags("check", "[--origin NAME] [--format text|json|markdown] [--max-problems N] [PATH...]", checkHelp)
	origin := fl.String("origin", "", "origin for files without $ORIGIN (default: from the file name)")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	maxProblems := fl.Int("max-problems", defaultMaxProblems, "problems kept per zone file, errors first (0: all; bounds memory on zones with very many warnings)")
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

	targets, err := checkTargets(paths, *origin)
	if err != nil {
		return fail(err.Error())
	}

	var (
		problems []zone.Problem
		failed   []string
		records  int
		tally    zone.Tally
	)
	for _, t := range targets {
		z, err := zone.Load(t.path, zone.Options{Origin: t.origin, MaxProblems: *maxProblems})
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
			failed = append(failed, err.Error())
			continue
		}
		records += z.Records()
		ps, t := zone.CheckCount(z)
		problems = append(problems, ps...)
		tally.Errors += t.Errors
		tally.Warnings += t.Warnings
		tally.Hidden += t.Hidden
	}
	root := repoRoot("", firstPath(targets))
	for i := range problems {
		problems[i].Pos.File = relPath(root, problems[i].Pos.File)
	}
	report.ErrorsFirst(problems)

	if a.jsonOut != nil {
		report.WriteCheckJSON(a.jsonOut, problems, failed)
	}
	sum := report.CheckSummary{Files: len(targets), Records: records, Tally: tally, Failed: len(failed)}
	switch format {
	case "json":
		if err := report.WriteCheckJSON(a.stdout, problems, failed); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
			return exitError
		}
	case "markdown":
		report.WriteCheckMarkdown(a.stdout, problems, sum)
	default:
		report.WriteCheckText(a.stdout, problems, sum)
	}

	switch {
	case len(failed) > 0:
		return exitError
	case zone.HasErrors(problems):
		return exitProblem
	}
	return exitOK
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

// checkTargets expands the arguments (files and folders) or, with none, the
// zones of dnsparity.yaml, else zones/.
func checkTargets(args []string, origin string) ([]checkTarget, error) {
	if len(args) == 0 {
		if path := config.Find("."); path != "" {
			cfg, err := config.Load(path)
			if err != nil {
				return nil, err
			}
			if len(cfg.Zones) > 0 {
				var out []checkTarget
				for _, z := range cfg.Zones {
					o := origin
					if o == "" {
						o = z.Name
					}
					out = append(out, checkTarget{path: cfg.ZoneFile(z), origin: o})
				}
				return out, nil
			}
		}
		args = []string{"zones"}
	}
	var out []checkTarget
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, unwrapPath(err))
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
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.zone or *.db files in this folder", arg)
		}
		sort.Strings(found)
		for _, p := range found {
			out = append(out, checkTarget{path: p, origin: origin})
		}
	}
	return out, nil
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
