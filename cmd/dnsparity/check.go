package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/check"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const checkHelp = `
Check zone files the way named-checkzone does: syntax (with BIND's TTL,
$INCLUDE and $GENERATE rules; $INCLUDE only inside the repository), then the
zone's semantics: SOA and NS at the apex, CNAME and other data, DNAME, NS, MX
and SRV targets (wildcards included), glue, DS, out-of-zone data, TTLs within
an RRset (RRSIGs per covered type), duplicates, TXT strings over 255 octets,
and each type's RDATA against its RFC (digest lengths, CAA tags, SVCB/HTTPS
keys, \DDD escapes). Beyond BIND, a name written with the zone's name but
no final dot (www.example.com in example.com.'s file: an owner, a CNAME,
DNAME, PTR, MX, NS or SRV target) is a warning saying what to write; an
indented line's first word that is no type is an error saying what the
blank does. Types BIND knows and miekg/dns does not (NSAP, WKS, ATMA,
A6, SINK, DSYNC, HHIT, BRID, DOA, WALLET) are read and kept as RFC 3597 data.

The zone's own mail records are judged as parity judges what the providers
serve: an SPF record that does not parse, two at one name, more than 10 DNS
lookups or 2 void lookups through the zone's own names (names outside the
zone or below a cut are not asked: check asks no server); a DKIM key record
verifiers ignore (a key cut short, an unknown k=); a DMARC record receivers
ignore, or two at one name, and an SPF record written unquoted (its words
joined without blanks: v=spf1mx-all is no SPF record) are errors; a DMARC,
DKIM, MTA-STS or TLSRPT record at a name receivers never ask (not under
_dmarc, SELECTOR._domainkey, _mta-sts, _smtp._tls) and no CNAME of the zone
leads to is a warning (another zone's CNAME may), and so is what receivers
apply anyway in a DMARC record (a report URI that is not one, p= not right
after v=), and an SPF record receivers evaluate otherwise than meant
(include= for include:, ptr, +all, mechanisms after all, redirect= next to
all, the p macro: RFC 7208 sections 5.1, 5.5, 6, 6.1 and 7.2).

With the zones of dnsparity.yaml, in the registrar's parent zone (registrar
type parent) a delegation of a configured child whose NS, glue or DS in git is
not what the child's last flip or rollback set (its audit trail) is a warning
on the cut's NS record: a push leaves it as served, so commit what it set.
A nameserver of providers.old or providers.new given as a name while
parity.resolver is unset is a warning on its line of the config: parity
cannot look it up (the system resolver is never used) and refuses.

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

// checkFlags is a check command line, parsed.
type checkFlags struct {
	origin      string
	format      formatFlag
	maxProblems int
	paths       []string
	scope       check.Scope
}

func runCheck(_ context.Context, a *app, args []string) int {
	// A check holds the whole zone while its short-lived parsing garbage
	// comes and goes: a tighter GC target keeps the peak at or under
	// named-checkzone's on 1,000,000 records (bench/check) for ~10% more
	// CPU. GOGC set by the user wins.
	if a.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(70))
	}
	f, code, ok := a.checkFlags(args)
	if !ok {
		return code
	}
	fail := func(msg string) int {
		fmt.Fprintf(a.stderr, "dnsparity check: %s\n", msg)
		writeCheckError(a, string(f.format), msg)
		return exitError
	}
	if msg := f.invalid(); msg != "" {
		return fail(msg)
	}
	// Many files: one small zone per core in memory, a live heap of a
	// few MiB that the default target collects every few MiB parsed (170
	// times over 10,000 zones of 30 RRsets, each time preempting the
	// parsers); a target of 5× it collects a third as often and peaks far
	// below one large zone (bench/many). The deferred reset above still
	// restores the caller's.
	manyFiles := func() {
		if a.getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
	}
	targets, zones, err := check.Targets(f.paths, f.origin, f.scope)
	if err != nil {
		return fail(err.Error())
	}
	if len(targets) > 1 {
		manyFiles()
	}
	res := check.Run(targets, f.maxProblems)
	var failed []string
	for _, err := range res.Failed {
		fmt.Fprintf(a.stderr, "dnsparity check: %v\n", err)
		failed = append(failed, err.Error())
	}
	root := report.RepoRoot("", check.FirstPath(targets))
	for i := range res.Problems {
		res.Problems[i].Pos.File = report.RelPath(root, res.Problems[i].Pos.File)
	}
	report.ErrorsFirst(res.Problems)
	sum := report.CheckSummary{Files: len(targets), Records: res.Records, Tally: res.Tally, Failed: len(failed)}
	return a.writeCheck(f.format, res.Problems, failed, sum, shard.InfoOf(f.scope.Shard, zones))
}

// checkFlags parses check's command line; ok is false when the command is
// to stop with code.
func (a *app) checkFlags(args []string) (f checkFlags, code int, ok bool) {
	fl := a.newFlags("check", "[--origin NAME] [--format text|json|markdown] [--max-problems N] [--config FILE] [--zone NAME]... [--shard I/N] [PATH...]", checkHelp)
	fl.StringVar(&f.origin, "origin", "", "origin for files without $ORIGIN (default: from the file name)")
	f.format = "text"
	fl.Var(&f.format, "format", "output: text, json or markdown")
	fl.IntVar(&f.maxProblems, "max-problems", defaultMaxProblems, "problems kept per zone file, errors first (0: all; bounds memory on zones with very many warnings)")
	var sh shardFlag
	fl.Var(&sh, "shard", shardUsage+" (no PATH)")
	fl.StringVar(&f.scope.Config, "config", "", "config file whose zones to check when no PATH is given (default: dnsparity.yaml found from the current directory up)")
	var zoneNames multiFlag
	fl.Var(&zoneNames, "zone", "check only this zone of the config (repeatable; no PATH)")
	if f.paths, code, ok = a.parseInterspersed(fl, args); !ok {
		if code == exitError {
			// The flag package said what is wrong on stderr.
			writeCheckError(a, string(formatIn(args)), badCommandLine(args))
		}
		return f, code, false
	}
	f.scope.Zones, f.scope.Shard, f.scope.Masked, f.scope.Configs = zoneNames, sh.spec, a.masked, a.configs
	return f, 0, true
}

// invalid says what is wrong with the flags' values ("": nothing).
func (f *checkFlags) invalid() string {
	if f.origin != "" {
		if _, ok := dns.IsDomainName(f.origin); !ok {
			return fmt.Sprintf("--origin %q is not a domain name", f.origin)
		}
	}
	if f.maxProblems < 0 {
		return "--max-problems must be 0 (all) or more"
	}
	if (f.scope.Shard != nil || len(f.scope.Zones) > 0) && len(f.paths) > 0 {
		return "--shard and --zone take the zones of " + config.FileName + ": give no PATH"
	}
	return ""
}

// writeCheck writes the check's report in the format asked for (with
// --shard, the shard and the exit code in JSON) and returns its exit code:
// 2 when a file could not be read, 1 on errors.
func (a *app) writeCheck(format formatFlag, problems []zone.Problem, failed []string, sum report.CheckSummary, info *shard.Info) int {
	exit := exitOK
	switch {
	case len(failed) > 0:
		exit = exitError
	case zone.HasErrors(problems):
		exit = exitProblem
	}
	var extra any
	if info != nil {
		extra = &shard.Report{Shard: info, Exit: exit}
		sum.Shard = info.Name
	}
	problems, failed, sum = redact.Plain(a.secrets, problems), redact.Plain(a.secrets, failed), redact.Plain(a.secrets, sum)
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
		a.inBlocks(func(w io.Writer) { report.WriteCheckMarkdown(w, problems, sum) })
	default:
		a.inBlocks(func(w io.Writer) { report.WriteCheckText(w, problems, sum) })
	}
	return exit
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

// badCommandLine is the JSON report's error for a command line the flags
// refused, its words quoted as a shell reads them (shell.Line).
func badCommandLine(args []string) string {
	return "bad command line: " + shell.Line(args...)
}

// parseInterspersed parses flags before and after the paths
// ("check zones/ --format json"); "--" ends the flags.
func (a *app) parseInterspersed(fl *flag.FlagSet, args []string) ([]string, int, bool) {
	var paths []string
	for {
		if code, ok := a.parseFlags(fl, args); !ok {
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
