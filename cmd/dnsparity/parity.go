package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/parityrun"
	"github.com/dnsparity/dnsparity/internal/plural"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const parityHelp = `
Prove that the old and the new provider's authoritative nameservers answer the
zone identically: every owner and type of the zone file, a type each owner
lacks (NODATA), a random label under the apex, every wildcard and empty
non-terminal (NXDOMAIN vs synthesis), asked of every address of both sides;
answers compared old vs new and each side vs the zone file. SPF lookup
counts, DKIM keys and DMARC are checked on both sides, and the TXT records
each side serves get check's mail-record rules: an SPF record split unquoted
(v=spf1 mx -all read as v=spf1mx-all) is an error, a DMARC, DKIM, MTA-STS or
TLSRPT record at a name receivers never ask a warning.

--zone NAME is a zone's name, as in plan, status and flip (its file from
dnsparity.yaml); --file FILE is a zone file (its origin from $ORIGIN, else
--origin, else --zone, else the file name). "--zone FILE" still works: a
value that is an existing file is taken as --file, with a note on stderr.
--old and --new are repeatable (addresses, port 53 by default; a server name
only with --resolver, which looks it up: never the system resolver).
Without --zone/--file/--old/--new they come from dnsparity.yaml (zones and
each provider's nameservers). What lies outside the zone is asked only
through --resolver (config parity.resolver), an IP address[:port], never a
name: SPF includes, a flattened CNAME chain that leaves the zone, a DKIM
selector CNAMEd to an ESP, a DMARC report domain (dmarc-report), and
nameserver names. Without it such a chain is a flattened error, the DKIM
key and the report domain info (not asked), an include spf-unknown info;
no public server is ever asked.

Progress goes to stderr (a bar on a terminal, plain lines otherwise);
Ctrl-C stops the run and prints the report of what was compared (exit 2).
A zone file with errors is not compared: its problems are the report.
--axfr (config parity.axfr) also transfers the zone from each side (signed
with providers.old/new.tsig from dnsparity.yaml when set) and asks every
(owner, type) found there, so records that are not in git are reported; a
side that refuses the transfer (its rcode named), or whose transfer passes
a bound (parity.axfr_max_records, _bytes, _time), is exit 2.
A server that is lame or fails for most questions, and a difference found
on most questions, are reported once with a count and examples.

--client-subnet CIDR (or REGION=CIDR; repeatable; config
parity.client_subnets, a list or a map region → CIDR) asks every
client-dependent question again with an EDNS Client Subnet option from each
subnet, of every server of both sides: provider-feature records, and names
whose answer, in a first probe from the first two subnets, has a scope over
0 or differs. A difference names the subnet (region), both answers and the
scope; a server that ignores ECS is noted once. --queries FILE (config
parity.queries; dnstap, or BIND query-log text) asks the questions a log
holds too (name case kept, with the logged client subnet), at most
--max-queries distinct ones; their findings are grouped by the rule git
answers them by (a wildcard, NXDOMAIN under a name, ...). Every query asks
for NSID; findings name the node (nsid_old, nsid_new) of each answer.

Exit: 0 parity holds (no error finding), 1 errors found (or the zone file
has errors), 2 could not run (bad flags, a server that does not answer, a
transfer asked for and not given).`

func runParity(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("parity", "[--zone NAME | --file FILE] --old ADDR[:PORT] --new ADDR[:PORT] [flags]", parityHelp)
	var in parityrun.Input
	var zones, subnets multiFlag
	var sh shardFlag
	fl.Var(&zones, "zone", "zone name, as in plan (repeatable; its file from dnsparity.yaml; default: every zone there)")
	fl.Var((*multiFlag)(&in.Files), "file", "zone file (repeatable)")
	fl.Var((*multiFlag)(&in.Olds), "old", "an old provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	fl.Var((*multiFlag)(&in.News), "new", "a new provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	origin := fl.String("origin", "", "origin for a zone file without $ORIGIN")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	resolver := fl.String("resolver", "", "resolver ADDR[:PORT] (an IP address) for what lies outside the zone: SPF includes, CNAME chains, DKIM selectors, DMARC report domains (default: config parity.resolver; none: a chain leaving the zone is a flattened error, the others info)")
	rateQPS := fl.Float64("rate", 0, "queries per second over all servers (0: unlimited)")
	conc := fl.Int("concurrency", 0, "queries in flight per server (default 32)")
	timeout := fl.Duration("timeout", 0, "timeout per try (default 2s)")
	retries := fl.Int("retries", 2, "retries after a timeout (or config parity.retries)")
	axfr := fl.Bool("axfr", false, "also AXFR the zone from each side and compare every (owner, type) found there, so records not in git are reported (TSIG from providers.old/new.tsig; default: config parity.axfr; --axfr=false turns it off, e.g. where no TSIG secret is available)")
	features := fl.Bool("features", true, "read each side's provider-only features (geo routing, aliases, proxying: hosted providers' APIs, PowerDNS LUA) through its API, which needs its secret; --features=false reads none, e.g. in a fork's pull request, which gets no secrets")
	fl.Var(&subnets, "client-subnet", "a client subnet CIDR, or REGION=CIDR, to ask client-dependent questions from with EDNS Client Subnet (repeatable; replaces config parity.client_subnets)")
	queries := fl.String("queries", "", "a query log (dnstap, or BIND query-log text) whose questions are asked too (default: config parity.queries)")
	maxQueries := fl.Int("max-queries", 0, "at most this many distinct questions from --queries (default: config parity.max_queries, else 100000)")
	fl.StringVar(&in.Config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fl.Var(&sh, "shard", shardUsage+"; JSON: {\"shard\", \"reports\": [...], \"exit\"}")
	var shardZones []config.Zone
	var failReport func(format string, err error, rep *parity.Report) int
	// fail reports a run that could not be done: on stderr, and in JSON
	// (with an "error" field) when JSON was asked for.
	fail := func(format string, err error) int {
		return failReport(format, err, &parity.Report{Findings: []parity.Finding{}, Error: err.Error()})
	}
	failReport = func(format string, err error, rep *parity.Report) int {
		fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
		for _, w := range []io.Writer{a.jsonOut, a.stdout} {
			if w == nil || w == a.stdout && format != "json" {
				continue
			}
			if sh.spec == nil {
				report.WriteParityJSON(w, []*parity.Report{rep})
				continue
			}
			st := newShardStream(w, sh.spec, shardZones)
			st.Add(rep)
			st.close(exitError)
		}
		return exitError
	}
	failf := func(f string, args ...any) int { return fail(string(format), fmt.Errorf(f, args...)) }
	if code, ok := a.parseFlags(fl, args); !ok {
		if code == exitError { // the flag package said what is wrong on stderr
			fail(string(formatIn(args)), errors.New(badCommandLine(args)))
		}
		return code
	}
	if msg := strayArgs(fl); msg != "" {
		return failf("%s", msg)
	}
	// The flags given win over dnsparity.yaml's parity settings.
	in.Set.Resolver = given(fl, "resolver", resolver)
	in.Set.Rate = given(fl, "rate", rateQPS)
	in.Set.Concurrency = given(fl, "concurrency", conc)
	in.Set.Timeout = given(fl, "timeout", timeout)
	in.Set.Retries = given(fl, "retries", retries)
	in.Set.AXFR = given(fl, "axfr", axfr)
	in.Set.Features = given(fl, "features", features)
	if *retries < 0 || *conc < 0 || *rateQPS < 0 || *timeout < 0 || *maxQueries < 0 {
		return failf("--retries, --concurrency, --rate, --timeout and --max-queries must not be negative")
	}
	for _, s := range subnets {
		region, cidr, ok := strings.Cut(s, "=")
		if !ok {
			region, cidr = "", s
		}
		p, err := query.ParseSubnet(cidr)
		if err != nil {
			return failf("--client-subnet: %v", err)
		}
		in.Set.Subnets = append(in.Set.Subnets, parity.Subnet{Prefix: p, Region: region})
	}
	if *queries != "" {
		in.Set.Queries = queries
	}
	if *maxQueries > 0 {
		in.Set.MaxQueries = maxQueries
	}
	if in.Origin = *origin; in.Origin != "" {
		if _, ok := dns.IsDomainName(in.Origin); !ok {
			return failf("--origin %q is not a domain name", in.Origin)
		}
	}
	// --zone FILE (the old spelling): a value that is a file is a --file.
	for _, z := range zones {
		if st, err := os.Stat(z); err == nil && !st.IsDir() {
			fmt.Fprintf(a.stderr, "dnsparity parity: note: --zone %s is a file; taking it as --file %s (--zone now takes a zone name, as in plan)\n", z, z)
			in.Files = append(in.Files, z)
			continue
		}
		if _, ok := dns.IsDomainName(z); !ok {
			return failf("--zone %q is neither a zone name nor a file", z)
		}
		in.Names = append(in.Names, dns.Fqdn(z))
	}
	in.AXFR, in.Shard = *axfr, sh.spec
	in.Masked, in.Configs = a.masked, a.configs
	run, err := parityrun.New(ctx, in, a.getenv)
	if run != nil {
		shardZones = run.ShardZones
	}
	if err != nil && run != nil && config.OnlyUnset(err) {
		return a.parityUnset(run, err, func(err error, rep *parity.Report) int { return failReport(string(format), err, rep) })
	}
	if err != nil {
		return failf("%v", err)
	}
	return a.parityRun(ctx, run, string(format))
}

// parityUnset is a run whose only error is a variable unset (a value
// refused stops at once): the zone files' errors, which need no secret,
// come first on stderr, as plan's and push's (parityrun.UnsetReport);
// then the variable, through fail (exit 2); a zone refused (a secret in
// its records) is that error instead.
func (a *app) parityUnset(run *parityrun.Setup, unset error, fail func(error, *parity.Report) int) int {
	rep, ps, err := run.UnsetReport(unset)
	if err != nil {
		return fail(err, &parity.Report{Findings: []parity.Finding{}, Error: err.Error()})
	}
	for _, p := range ps {
		fmt.Fprintln(a.stderr, p.String())
	}
	return fail(unset, rep)
}

// parityRun compares the zones (a zone file that fails check is its own
// report; several zones at once, sharing each server's sockets and one
// rate limit), with progress on stderr, and writes the reports as they
// finish.
func (a *app) parityRun(ctx context.Context, r *parityrun.Setup, format string) int {
	opts := r.Opts
	many := len(r.Jobs) > 1
	if many {
		// The zones share the sockets of each server and one rate limit,
		// and several are compared at once.
		eng := parity.NewEngine(opts)
		defer eng.Close()
		opts.Engine = eng
		fmt.Fprintf(a.stderr, "parity: %s; old %s, new %s\n", plural.N(len(r.Jobs), "zone", "zones"), strings.Join(r.Olds, " "), strings.Join(r.News, " "))
	}
	// The JSON report is written as the zones finish, in their order.
	var streams []*shardStream
	for _, w := range []io.Writer{a.jsonOut, a.stdout} {
		if w == nil || w == a.stdout && format != "json" {
			continue
		}
		if r.Shard != nil {
			streams = append(streams, newShardStream(w, r.Shard, r.ShardZones))
		} else {
			streams = append(streams, &shardStream{ParityStream: report.NewParityStream(w, many)})
		}
	}
	var reps []*parity.Report          // kept for the Markdown report only
	byOutcome := map[string][]string{} // the zones written, by outcome: the closing line of a text run over several
	var outcome parityrun.Outcome
	var mp prog.Task
	var compared, failedZones atomic.Int64
	if many {
		mp = prog.StartUnits(a.progressTo("parity"), "compared", len(r.Jobs), "zones")
	}
	fanout.Ordered(ctx, len(r.Jobs), r.Fanout(), func(ctx context.Context, i int) parityResult {
		res := a.parityZone(ctx, r, opts, r.Jobs[i], many)
		switch {
		case mp == nil:
		case res.err != nil:
			// A zone that could not be compared is not compared: the
			// progress counts it apart, as plan's does.
			prog.Failed(mp, int(failedZones.Add(1)))
		default:
			mp.Update(int(compared.Add(1)))
		}
		return res
	}, func(i int, r parityResult) bool {
		rep := r.rep
		if r.err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", r.err)
			rep.Error = r.err.Error()
		}
		rep = redact.Plain(a.secrets, rep) // before a report escapes it
		for _, st := range streams {
			st.Add(rep)
		}
		if format == "markdown" {
			reps = append(reps, rep)
		} else if format == "text" {
			a.inBlocks(func(w io.Writer) { report.WriteParityText(w, []*parity.Report{rep}) })
			o := report.ParityOutcome(rep)
			byOutcome[o] = append(byOutcome[o], rep.Zone)
		}
		if r.err == nil && !r.checked && rep.Partial {
			fmt.Fprintf(a.stderr, "dnsparity parity: %s: %s\n", rep.Zone, rep.Error)
		}
		return outcome.Add(rep, r.err, r.checked)
	})
	if mp != nil {
		mp.Stop()
	}
	exit := outcome.Exit()
	for _, st := range streams {
		if err := st.close(exit); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
			return exitError
		}
	}
	if format == "markdown" {
		a.inBlocks(func(w io.Writer) { report.WriteParityMarkdown(w, reps) })
	}
	if format == "text" && many {
		fmt.Fprintln(a.stdout, report.ParityClosing(len(r.Jobs), byOutcome))
	}
	return exit
}

// parityResult is one zone's comparison.
type parityResult struct {
	rep     *parity.Report
	err     error // could not run: the report is an error report
	checked bool  // the zone fails check
}

// parityZone compares one zone (parityrun: a zone file that fails check is
// its own report), its info problems as notes and progress on stderr when
// it is the only zone.
func (a *app) parityZone(ctx context.Context, r *parityrun.Setup, opts parity.Options, j parityrun.Job, many bool) parityResult {
	z, ps, rep, err := r.Load(j)
	if err != nil {
		return parityResult{rep: rep, err: err}
	}
	for _, p := range ps {
		if p.Severity == zone.Info {
			fmt.Fprintf(a.stderr, "dnsparity parity: note: %s:%d: %s\n", report.RelPath(r.Root, p.Pos.File), p.Pos.Line, p.Message)
		}
	}
	if rep != nil {
		return parityResult{rep: rep, checked: true} // exit 1
	}
	if !many {
		fmt.Fprintf(a.stderr, "parity %s: old %s, new %s\n", z.Origin, strings.Join(r.Olds, " "), strings.Join(r.News, " "))
		opts.Progress = a.progressTo("parity") // the zone's answers, then each client subnet's
	}
	rep, err = r.Compare(ctx, z, opts)
	return parityResult{rep: rep, err: err}
}

// shardStream is the JSON report of parity as it is written: the reports'
// stream, wrapped with --shard in {"shard": {...}, "reports": [...], "exit"}.
type shardStream struct {
	*report.ParityStream
	w    io.Writer
	info *shard.Info
}

func newShardStream(w io.Writer, spec *shard.Spec, zones []config.Zone) *shardStream {
	info := shard.InfoOf(spec, zones)
	b, _ := json.Marshal(info)
	fmt.Fprintf(w, "{\"shard\": %s,\n\"reports\": ", b)
	return &shardStream{ParityStream: report.NewParityStream(w, true), w: w, info: info}
}

func (s *shardStream) close(exit int) error {
	if err := s.Close(); err != nil {
		return err
	}
	if s.info == nil {
		return nil
	}
	_, err := fmt.Fprintf(s.w, ",\n\"exit\": %d}\n", exit)
	return err
}
