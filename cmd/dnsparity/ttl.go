package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/ttlcap"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const ttlHelp = `
Rewrite zone files in place so that no TTL is above SECONDS: $TTL lines,
explicit record TTLs (in $GENERATE too) and the SOA's negative-caching
(minimum) field, in the file and the files it $INCLUDEs (inside the
repository). Comments, layout, parentheses and every other byte stay as they
are; each change is reported as FILE:LINE. The zone is loaded before and
after: an invalid zone is not touched, and a rewrite that would change more
than TTLs is undone. Commit the result as a pull request; restoring the TTLs
is reverting that commit.

PATH is a zone file or a folder (every *.zone and *.db file below it). With no
PATH: the zones of dnsparity.yaml, else the folder zones/.

Exit: 0 done (or nothing to do), 1 a zone file is invalid, 2 could not run.`

func runTTL(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("ttl", "--cap SECONDS [--dry-run] [--origin NAME] [--format text|json] [PATH...]", ttlHelp)
	capStr := fl.String("cap", "", "the highest TTL to allow, in seconds (or with units: 5m)")
	dry := fl.Bool("dry-run", false, "report the changes, write nothing")
	origin := fl.String("origin", "", "origin for files without $ORIGIN (default: from the file name)")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text or json")
	paths, code, ok := parseInterspersed(fl, args)
	if !ok {
		return code
	}
	limit, err := parseCap(*capStr)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity ttl: --cap: %v\n", err)
		return exitError
	}
	targets, _, err := checkTargets(paths, *origin, configScope{})
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity ttl: %v\n", err)
		return exitError
	}
	var (
		all             []ttlcap.Change
		invalid, failed bool
		problems        []string
	)
	for _, t := range targets {
		cs, err := ttlcap.Cap(t.path, limit, ttlcap.Options{Origin: t.origin, DryRun: *dry})
		var inv *ttlcap.InvalidError
		switch {
		case errors.As(err, &inv):
			invalid = true
			problems = append(problems, err.Error())
		case err != nil:
			failed = true
			problems = append(problems, err.Error())
		}
		all = append(all, cs...)
	}
	// Errors first.
	for _, p := range problems {
		fmt.Fprintf(a.stderr, "dnsparity ttl: %s\n", p)
	}
	if format == "json" {
		out := struct {
			Cap      uint32          `json:"cap"`
			DryRun   bool            `json:"dry_run"`
			Changes  []ttlcap.Change `json:"changes"`
			Problems []string        `json:"problems"`
		}{limit, *dry, all, problems}
		if out.Changes == nil {
			out.Changes = []ttlcap.Change{}
		}
		if out.Problems == nil {
			out.Problems = []string{}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity ttl: %v\n", err)
			return exitError
		}
	} else {
		for _, c := range all {
			fmt.Fprintf(a.stdout, "%s:%d: %s %s → %d\n", c.File, c.Line, c.What, c.Old, limit)
		}
		verb := "lowered"
		if *dry {
			verb = "would lower"
		}
		fmt.Fprintf(a.stderr, "dnsparity ttl: %s %d TTL(s) to %d s in %d zone file(s)\n", verb, len(all), limit, len(targets))
	}
	switch {
	case failed:
		return exitError
	case invalid:
		return exitProblem
	}
	return exitOK
}

// parseCap reads --cap: seconds or BIND units, 1 to 2^31-1 (RFC 2181 §8).
func parseCap(s string) (uint32, error) {
	if s == "" {
		return 0, errors.New("required (the highest TTL to allow, e.g. --cap 300)")
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		u, ok := zone.ParseTTL(s)
		if !ok {
			return 0, fmt.Errorf("%q is not a TTL", s)
		}
		v = uint64(u)
	}
	if v < 1 || v > 1<<31-1 {
		return 0, fmt.Errorf("%s is out of range (1 to 2147483647 seconds)", s)
	}
	return uint32(v), nil
}
