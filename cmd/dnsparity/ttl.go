package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/check"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/ttlcap"
)

const ttlHelp = `
Rewrite zone files in place so that no TTL is above SECONDS: $TTL lines,
explicit record TTLs (in $GENERATE too) and the SOA's negative-caching
(minimum) field, in the file and the files it $INCLUDEs (inside the
repository). Comments, layout, parentheses and every other byte stay as they
are; each change is reported as FILE:LINE on stdout, problems and the
summary line on stderr (--format json: the report on stdout, its problems
on stderr too). Every zone is checked first as 'dnsparity check' does: if
any file has an error (a syntax error, a CNAME beside other data, ...),
nothing is written. Each zone is loaded again after
the rewrite, and a rewrite that would change more than TTLs is undone.
Commit the result as a pull request; restoring the TTLs is reverting that
commit.

PATH is a zone file or a folder (every *.zone and *.db file below it). With no
PATH: the zones of dnsparity.yaml, else the folder zones/. A cap above that
config's policy.prestage_ttl (default 300) is a warning on stderr: the flip's
ttl-prestaged gate refuses TTLs over it.

Exit: 0 done (or nothing to do), 1 a zone file is invalid (nothing written),
2 could not run.`

func runTTL(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("ttl", "--cap SECONDS [--dry-run] [--origin NAME] [--format text|json] [PATH...]", ttlHelp)
	capStr := fl.String("cap", "", "the highest TTL to allow, in seconds (or with units: 5m)")
	dry := fl.Bool("dry-run", false, "report the changes, write nothing")
	origin := fl.String("origin", "", "origin for files without $ORIGIN (default: from the file name)")
	format := textJSONFlag{"text"}
	fl.Var(&format, "format", "output: text or json")
	// What stops the run before any file is read: said, and with
	// --format json a report with its "error" and the cap once read.
	var limit uint32
	fail := func(msg string) int {
		fmt.Fprintf(a.stderr, "dnsparity ttl: %s\n", msg)
		if format.formatFlag == "json" {
			_ = ttlcap.Report{Error: msg, Cap: limit, DryRun: *dry}.Write(a.stdout)
		}
		return exitError
	}
	paths, code, ok := a.parseInterspersed(fl, args)
	if !ok {
		if code != exitOK && formatIn(args) == "json" { // the flag's error is said
			_ = ttlcap.Report{Error: badCommandLine(args)}.Write(a.stdout)
		}
		return code
	}
	limit, err := ttlcap.ParseCap(*capStr)
	if err != nil {
		return fail("--cap: " + err.Error())
	}
	targets, _, err := check.Targets(paths, *origin, check.Scope{Masked: a.masked, Configs: a.configs})
	if err != nil {
		return fail(err.Error())
	}
	// Every file is checked and its rewrite prepared before any is
	// written: one invalid zone file (or one that cannot be read) and
	// nothing is written.
	caps := make([]ttlcap.Target, len(targets))
	for i, t := range targets {
		caps[i] = ttlcap.Target{Path: t.Path, Origin: t.Origin, Named: t.Named(), Mismatch: t.OriginChecked}
	}
	res := ttlcap.CapAll(caps, limit, *dry)
	all, invalid, failed, unwritten := res.Changes, res.Invalid, res.Failed, res.Unwritten
	// Paths as check prints them: relative to the repository root.
	root := report.RepoRoot("", check.FirstPath(targets))
	for i := range all {
		all[i].File = report.RelPath(root, all[i].File)
	}
	var problems []string
	for _, err := range res.Problems {
		var inv *ttlcap.InvalidError
		if errors.As(err, &inv) {
			inv.File = report.RelPath(root, inv.File)
			for i := range inv.Problems {
				inv.Problems[i].Pos.File = report.RelPath(root, inv.Problems[i].Pos.File)
			}
		}
		problems = append(problems, err.Error())
	}
	// Errors first.
	for _, p := range problems {
		fmt.Fprintf(a.stderr, "dnsparity ttl: %s\n", p)
	}
	if w := ttlcap.AbovePrestage(a.configs, check.FirstPath(targets), limit); w != "" {
		fmt.Fprintf(a.stderr, "dnsparity ttl: %s\n", w)
	}
	if format.formatFlag == "json" {
		if err := (ttlcap.Report{Cap: limit, DryRun: *dry, Changes: all, Problems: problems}).Write(a.stdout); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity ttl: %v\n", err)
			return exitError
		}
	} else {
		for _, c := range all {
			fmt.Fprintf(a.stdout, "%s:%d: %s %s → %d\n", c.File, c.Line, c.What, c.Old, limit)
		}
		files := plural.N(len(targets), "zone file", "zone files")
		switch {
		case unwritten > 0:
			fmt.Fprintf(a.stderr, "dnsparity ttl: %d of %s could not be rewritten (kept as they were); the others were\n", unwritten, files)
		case invalid+failed > 0:
			why := "invalid"
			if failed > 0 {
				why = "could not be read"
			}
			fmt.Fprintf(a.stderr, "dnsparity ttl: nothing written: %d of %s %s\n", invalid+failed, files, why)
		case *dry:
			fmt.Fprintf(a.stderr, "dnsparity ttl: would lower %s to %d s in %s\n", plural.N(len(all), "TTL", "TTLs"), limit, files)
		default:
			fmt.Fprintf(a.stderr, "dnsparity ttl: lowered %s to %d s in %s\n", plural.N(len(all), "TTL", "TTLs"), limit, files)
		}
	}
	switch {
	case failed+unwritten > 0:
		return exitError
	case invalid > 0:
		return exitProblem
	}
	return exitOK
}
