package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const checkHelp = `
Check zone files the way named-checkzone does: syntax (with BIND's TTL,
$INCLUDE and $GENERATE rules; $INCLUDE only inside the repository), then the
zone's semantics: SOA and NS at the apex, CNAME and other data, DNAME, NS, MX
and SRV targets, glue, DS, out-of-zone data, TTLs within an RRset, duplicates,
TXT strings over 255 octets.

PATH is a zone file or a folder (every *.zone and *.db file below it). With no
PATH: the zones of dnsparity.yaml, else the folder zones/.
The origin is the file's $ORIGIN, else --origin (or the zone's name in
dnsparity.yaml), else the file name (example.com.zone → example.com.).

Exit: 0 no errors (warnings allowed), 1 errors found, 2 could not run.`

// checkTarget is one file to check and the origin to use when the file has
// no $ORIGIN.
type checkTarget struct {
	path   string
	origin string
}

// jsonProblem is one problem in --format json.
type jsonProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func runCheck(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("check", "[--origin NAME] [--format text|json|markdown] [PATH...]", checkHelp)
	origin := fl.String("origin", "", "origin for files without $ORIGIN (default: from the file name)")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	paths, code, ok := parseInterspersed(fl, args)
	if !ok {
		return code
	}
	if *origin != "" {
		if _, ok := dns.IsDomainName(*origin); !ok {
			fmt.Fprintf(a.stderr, "dnsparity check: --origin %q is not a domain name\n", *origin)
			return exitError
		}
	}

	targets, err := checkTargets(paths, *origin)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
		return exitError
	}

	var (
		problems []zone.Problem
		failed   bool
		records  int
	)
	for _, t := range targets {
		z, err := zone.Load(t.path, zone.Options{Origin: t.origin})
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
			failed = true
			continue
		}
		records += z.Records()
		problems = append(problems, zone.Check(z)...)
	}

	if a.jsonOut != nil {
		writeCheckJSON(a.jsonOut, problems)
	}
	switch format {
	case "json":
		if err := writeCheckJSON(a.stdout, problems); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
			return exitError
		}
	case "markdown":
		writeCheckMarkdown(a, problems, len(targets))
	default:
		for _, p := range problems {
			fmt.Fprintln(a.stdout, checkLine(p))
		}
		errs, warns := countSeverities(problems)
		fmt.Fprintf(a.stderr, "dnsparity check: %d zone file(s), %d records: %d error(s), %d warning(s)\n", len(targets), records, errs, warns)
	}

	switch {
	case failed:
		return exitError
	case zone.HasErrors(problems):
		return exitProblem
	}
	return exitOK
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

// checkLine is FILE:LINE: message, with "warning: " before a warning's
// message (as named-checkzone prints them).
func checkLine(p zone.Problem) string {
	msg := p.Message
	if p.Severity == zone.Warning {
		msg = "warning: " + msg
	}
	return fmt.Sprintf("%s:%d: %s", p.Pos.File, p.Pos.Line, msg)
}

func countSeverities(ps []zone.Problem) (errs, warns int) {
	for _, p := range ps {
		if p.Severity == zone.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func writeCheckMarkdown(a *app, ps []zone.Problem, files int) {
	errs, warns := countSeverities(ps)
	if len(ps) == 0 {
		fmt.Fprintf(a.stdout, "### Zone check: no problems in %d zone file(s)\n", files)
		return
	}
	icon := "✅"
	if errs > 0 {
		icon = "❌"
	}
	fmt.Fprintf(a.stdout, "### Zone check %s: %d error(s), %d warning(s) in %d zone file(s)\n\n", icon, errs, warns, files)
	fmt.Fprintln(a.stdout, "| File | Line | Severity | Message |")
	fmt.Fprintln(a.stdout, "|---|---:|---|---|")
	esc := strings.NewReplacer("|", `\|`, "\n", " ", "`", "'")
	for _, p := range ps {
		fmt.Fprintf(a.stdout, "| `%s` | %d | %s | %s |\n", esc.Replace(p.Pos.File), p.Pos.Line, p.Severity, esc.Replace(p.Message))
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

// writeCheckJSON writes {"problems":[{"file","line","severity","message"}]}.
func writeCheckJSON(w io.Writer, problems []zone.Problem) error {
	out := struct {
		Problems []jsonProblem `json:"problems"`
	}{Problems: []jsonProblem{}}
	for _, p := range problems {
		out.Problems = append(out.Problems, jsonProblem{p.Pos.File, p.Pos.Line, string(p.Severity), p.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
