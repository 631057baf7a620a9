package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
)

const mergeHelp = `
Combine the JSON reports of the shards of one matrix (each a command run
with --shard I/N --format json) into one report of the same shape: every
list (problems, plans, parity reports) in shard order, "error" joined,
and

  "shards": {"expected": N, "reported": R, "missing": ["3/16"], "failed": ["5/16"],
             "duplicates": [{"zone", "shards"}], "missing_zones": [...],
             "mismatched": ["1/16"], "foreign": ["zone (shard 2/16)"],
             "misplaced": ["artifact dnsparity-shard-3 holds shard 2/16's report ..."],
             "contradicted": ["4/16"]},
  "exit": the worst shard's exit code, 2 when a shard is missing or failed

A shard whose report is absent (its job died, its artifact is gone) is
missing and named; with the config (found as usual, or --config) the zones
it held are named too (a config found that cannot be read is an error,
exit 2: the reports' zones are checked against its split). --expect N says how many shards there were when no
report may be left to say it. Two reports of one shard, or of matrices of
different sizes, cannot be merged (exit 2). A report that gives no
"exit" (or gives it twice), or one no command returns, is a failed
shard, never a passed one. A zone that two shards report
(the jobs split different commits) is a duplicate: the first shard's
report of it is kept. With the config, a report whose zones are not
those the split gives its shard, leaving out a zone no other report
claims, is named in "mismatched" (exit 2: it is not that shard's whole
run; zones that moved between shards, when a push during the run changed
the split, are no mismatch as long as some report has each); results a report has for a zone it does not
claim are left out and named in "foreign" (exit 2). A report found in
the artifact of another shard's job (a directory below the working
directory named dnsparity-shard-I-of-N, as actions/download-artifact
writes the example workflows' artifacts; the older dnsparity-shard-J, J
the job index, stands for shard J+1) counts as no shard's and is named in
"misplaced" ("artifact X holds shard Y's report"; exit 2). A report
whose "exit" is better than its results (exit 0 with a parity error
finding, a check error, a plan that failed or is blocked, or, in a
parity or plan report without an "error", a zone it claims and has no
report or plan for) is not taken at its word: it is named in
"contradicted" (exit 2).

Without --format json, a summary goes to stdout; -o FILE writes the merged
JSON report there, once whole (a merge that fails leaves FILE as it was).

Exit: the merged report's "exit": 0 every shard reported and passed, 1
problems found, 2 a shard is missing or failed, or the merge could not run.`

func runMerge(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("merge", "[--expect N] [--config FILE] [--format text|json] [-o FILE] REPORT.json...", mergeHelp)
	expect := fl.Int("expect", 0, "the number of shards (default: the N the reports name)")
	cfgPath := fl.String("config", "", "config file, to name the zones of missing shards (default: dnsparity.yaml found from the current directory up, if any)")
	format := textJSONFlag{"text"}
	fl.Var(&format, "format", "output: text or json (the merged report)")
	outPath := fl.String("o", "", "write the merged JSON report to this file")
	paths, code, ok := a.parseInterspersed(fl, args)
	if !ok {
		if code != exitOK && formatIn(args) == "json" { // the flag's error is said
			_ = shard.WriteFailure(a.stdout, badCommandLine(args))
		}
		return code
	}
	failed := func(msg string) int {
		fmt.Fprintf(a.stderr, "dnsparity merge: %s\n", msg)
		if format.formatFlag == "json" {
			_ = shard.WriteFailure(a.stdout, msg)
		}
		return exitError
	}
	fail := failed
	if err := shard.CheckExpect(*expect); err != nil {
		return fail(err.Error())
	}
	if len(paths) == 0 && *expect == 0 {
		return fail("no report given (and no --expect N)")
	}
	res, err := a.missingZones(*cfgPath)
	if err != nil {
		return fail(err.Error())
	}
	// The merged JSON goes to stdout, to a.jsonOut and to -o FILE only
	// once whole: a merge failing half-way writes its one failure object
	// to stdout instead, and leaves FILE as it was (not opened). FILE is
	// then written as os.WriteFile does: through a link or a device
	// (-o /dev/stdout), keeping an existing file's mode, a new one's
	// under the umask.
	var w io.Writer = io.Discard
	var merged bytes.Buffer
	if format.formatFlag == "json" || a.jsonOut != nil || *outPath != "" {
		w = &merged
	}
	if *outPath != "" {
		fail = func(msg string) int {
			return failed(fmt.Sprintf("%s (-o %s not written: left as it was)", msg, redact.Name(*outPath)))
		}
	}
	// Each report's path relative to the working directory, where the
	// artifacts were gathered: only its own directories say which shard
	// job's artifact it came from (shard.Artifact).
	for i, p := range paths {
		paths[i] = report.RelPath(".", p)
	}
	sh, exit, err := shard.Merge(w, paths, *expect, res)
	if err != nil {
		return fail(err.Error())
	}
	if *outPath != "" {
		if err := os.WriteFile(*outPath, merged.Bytes(), 0o644); err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is said once, as given
			}
			return failed(fmt.Sprintf("write -o %s: %v", redact.Name(*outPath), err))
		}
	}
	if a.jsonOut != nil {
		_, _ = a.jsonOut.Write(merged.Bytes())
	}
	if format.formatFlag == "json" {
		_, _ = a.stdout.Write(merged.Bytes())
	} else {
		fmt.Fprintln(a.stdout, sh.Summary(exit))
	}
	for _, s := range sh.Missing {
		fmt.Fprintf(a.stderr, "dnsparity merge: shard %s is missing: no report (did its job die?)\n", s)
	}
	for _, s := range sh.Failed {
		fmt.Fprintf(a.stderr, "dnsparity merge: shard %s failed (its report's exit is 2, or none a command gives)\n", s)
	}
	for _, m := range sh.Misplaced {
		fmt.Fprintf(a.stderr, "dnsparity merge: %s\n", m)
	}
	if len(sh.Unreported) > 0 {
		fmt.Fprintf(a.stderr, "dnsparity merge: %s claimed and not reported (not compared or planned): %s\n", plural.N(len(sh.Unreported), "zone", "zones"), strings.Join(plural.FirstN(sh.Unreported, 20), ", "))
	}
	for _, s := range sh.Contradicted {
		fmt.Fprintf(a.stderr, "dnsparity merge: shard %s's report gives an exit code better than its results (an error finding, a check error or a plan that failed under exit 0, or a zone it claims without a result): refused\n", s)
	}
	return exit
}

// missingZones names the zones of a missing shard: the split of the
// config's zones, when a config is there (nil otherwise).
func (a *app) missingZones(cfgPath string) (func(shard.Spec) []string, error) {
	if cfgPath == "" {
		if cfgPath = config.Find("."); cfgPath == "" {
			return nil, nil // no config here: missing shards are named without their zones
		}
	}
	// A config that is there but cannot be read is an error, not "no
	// config": without its split, a report that leaves some of its
	// shard's zones out would merge as whole.
	cfg, err := a.loadConfig(cfgPath)
	if err != nil {
		return nil, fmt.Errorf("%w (the shards' zones are checked against its split: fix it, or run the merge where there is none)", err)
	}
	return shard.ZonesOf(cfg), nil
}
