package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/parity"
	zprogress "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
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
counts, DKIM keys and DMARC are checked on both sides.

--zone NAME is a zone's name, as in plan, status and flip (its file from
dnsparity.yaml); --file FILE is a zone file (its origin from $ORIGIN, else
--origin, else --zone, else the file name). "--zone FILE" still works: a
value that is an existing file is taken as --file, with a note on stderr.
--old and --new are repeatable (addresses, port 53 by default; a server name
only with --resolver, which looks it up: never the system resolver).
Without --zone/--file/--old/--new they come from dnsparity.yaml (zones and
each provider's nameservers). Out-of-zone SPF includes are resolved only
through --resolver (config parity.resolver), an IP address[:port], never a
name; no public server is ever asked.

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
	var in parityInput
	var zones, subnets multiFlag
	fl.Var(&zones, "zone", "zone name, as in plan (repeatable; its file from dnsparity.yaml; default: every zone there)")
	fl.Var(&in.files, "file", "zone file (repeatable)")
	fl.Var(&in.olds, "old", "an old provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	fl.Var(&in.news, "new", "a new provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	origin := fl.String("origin", "", "origin for a zone file without $ORIGIN")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	resolver := fl.String("resolver", "", "resolver ADDR[:PORT] (an IP address) for out-of-zone SPF includes (default: config parity.resolver; none: reported as unknown)")
	rateQPS := fl.Float64("rate", 0, "queries per second over all servers (0: unlimited)")
	conc := fl.Int("concurrency", 0, "queries in flight per server (default 32)")
	timeout := fl.Duration("timeout", 0, "timeout per try (default 2s)")
	retries := fl.Int("retries", 2, "retries after a timeout (or config parity.retries)")
	axfr := fl.Bool("axfr", false, "also AXFR the zone from each side and compare every (owner, type) found there, so records not in git are reported (TSIG from providers.old/new.tsig; default: config parity.axfr; --axfr=false turns it off, e.g. where no TSIG secret is available)")
	fl.Var(&subnets, "client-subnet", "a client subnet CIDR, or REGION=CIDR, to ask client-dependent questions from with EDNS Client Subnet (repeatable; replaces config parity.client_subnets)")
	queries := fl.String("queries", "", "a query log (dnstap, or BIND query-log text) whose questions are asked too (default: config parity.queries)")
	maxQueries := fl.Int("max-queries", 0, "at most this many distinct questions from --queries (default: config parity.max_queries, else 100000)")
	fl.StringVar(&in.config, "config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	fl.Var(&in.shard, "shard", shardUsage+"; JSON: {\"shard\", \"reports\": [...], \"exit\"}")
	var shardZones []config.Zone
	// fail reports a run that could not be done: on stderr, and in JSON
	// (with an "error" field) when JSON was asked for.
	fail := func(zoneName string, done []*parity.Report, format string, err error) int {
		fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
		rep := &parity.Report{Zone: zoneName, Findings: []parity.Finding{}, Error: err.Error()}
		reps := append(append([]*parity.Report{}, done...), rep)
		for _, w := range []io.Writer{a.jsonOut, a.stdout} {
			if w == nil || w == a.stdout && format != "json" {
				continue
			}
			if in.shard.spec == nil {
				report.WriteParityJSON(w, reps)
				continue
			}
			st := newShardStream(w, in.shard.spec, shardZones)
			for _, r := range reps {
				st.Add(r)
			}
			st.close(exitError)
		}
		return exitError
	}
	failf := func(f string, args ...any) int { return fail("", nil, string(format), fmt.Errorf(f, args...)) }
	if code, ok := parseFlags(fl, args); !ok {
		if code == exitError { // the flag package said what is wrong on stderr
			fail("", nil, string(formatIn(args)), fmt.Errorf("bad command line: %s", strings.Join(args, " ")))
		}
		return code
	}
	if fl.NArg() > 0 {
		return failf("unexpected arguments %v", fl.Args())
	}
	// The flags given win over dnsparity.yaml's parity settings.
	fl.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "resolver":
			in.set.Resolver = resolver
		case "rate":
			in.set.Rate = rateQPS
		case "concurrency":
			in.set.Concurrency = conc
		case "timeout":
			in.set.Timeout = timeout
		case "retries":
			in.set.Retries = retries
		case "axfr":
			in.set.AXFR = axfr
		}
	})
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
		in.set.Subnets = append(in.set.Subnets, parity.Subnet{Prefix: p, Region: region})
	}
	if *queries != "" {
		in.set.Queries = queries
	}
	if *maxQueries > 0 {
		in.set.MaxQueries = maxQueries
	}
	if in.origin = *origin; in.origin != "" {
		if _, ok := dns.IsDomainName(in.origin); !ok {
			return failf("--origin %q is not a domain name", in.origin)
		}
	}
	// --zone FILE (the old spelling): a value that is a file is a --file.
	for _, z := range zones {
		if st, err := os.Stat(z); err == nil && !st.IsDir() {
			fmt.Fprintf(a.stderr, "dnsparity parity: note: --zone %s is a file; taking it as --file %s (--zone now takes a zone name, as in plan)\n", z, z)
			in.files = append(in.files, z)
			continue
		}
		if _, ok := dns.IsDomainName(z); !ok {
			return failf("--zone %q is neither a zone name nor a file", z)
		}
		in.names = append(in.names, dns.Fqdn(z))
	}
	in.axfr = *axfr
	run, err := a.setupParity(ctx, in)
	if run != nil {
		shardZones = run.shardZones
	}
	if err != nil {
		return failf("%v", err)
	}
	return a.parityRun(ctx, run, string(format))
}

// parityInput is a parity command line, checked.
type parityInput struct {
	names             []string // --zone names, absolute
	files, olds, news multiFlag
	origin, config    string
	axfr              bool // --axfr given true (a config is then read)
	shard             shardFlag
	set               parity.Settings
}

// parityJob is one zone file to compare, with the origin to load it at
// ("": its $ORIGIN or SOA owner).
type parityJob struct{ file, origin string }

// paritySetup is what a parity run compares: the zone files, both sides'
// servers and the options, from the command line and dnsparity.yaml.
type paritySetup struct {
	cfg        *config.Config // nil: none needed or found
	shard      *shard.Spec
	shardZones []config.Zone // the config's zones of the shard
	jobs       []parityJob
	olds, news []string
	old, new   []parity.Target
	opts       parity.Options
	root       string
	trees      confine.Trees // each folder's repository resolved once
}

// setupParity finds the zone files (--file, or the config's zones, those
// of --shard), the servers of each side (--old/--new, or each side's
// nameservers: the config's, else those its provider names) and the
// options (parity.FromConfig: the flags given win over the config). After
// --shard has limited the zones, an error comes with the setup so far.
func (a *app) setupParity(ctx context.Context, in parityInput) (*paritySetup, error) {
	r := &paritySetup{olds: in.olds, news: in.news, shard: in.shard.spec}
	for _, f := range in.files {
		o := in.origin
		if o == "" && len(in.names) == 1 && len(in.files) == 1 {
			o = in.names[0] // --zone NAME --file FILE: the file's origin
		}
		r.jobs = append(r.jobs, parityJob{f, o})
	}
	needZones := len(in.files) == 0
	needCfg := needZones || len(in.olds) == 0 || len(in.news) == 0
	path := in.config
	if path == "" && (needCfg || in.axfr) {
		path = config.Find(".")
	}
	if needCfg && path == "" {
		if len(in.names) > 0 && needZones {
			return nil, fmt.Errorf("--zone %s: a zone name needs %s to find its file (none found from the current directory up); give the file with --file", in.names[0], config.FileName)
		}
		return nil, fmt.Errorf("need --file (or --zone), --old and --new, or a %s", config.FileName)
	}
	if path != "" {
		var err error
		if r.cfg, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	cfg := r.cfg
	if r.shard != nil {
		if !needZones || cfg == nil {
			return nil, fmt.Errorf("--shard takes the zones of %s: no --file", config.FileName)
		}
		shard.Limit(cfg, *r.shard)
		r.shardZones = cfg.Zones
	}
	if needZones {
		want := map[string]bool{}
		for _, n := range in.names {
			z, err := cfg.Zone(n)
			if err != nil {
				return r, fmt.Errorf("--zone: %w", err)
			}
			want[z.Name] = true
		}
		for _, z := range cfg.Zones {
			if len(want) == 0 || want[z.Name] {
				r.jobs = append(r.jobs, parityJob{cfg.ZoneFile(z), z.Name})
			}
		}
	}
	if needCfg {
		for _, side := range []struct {
			name string
			dst  *[]string
		}{{"old", &r.olds}, {"new", &r.news}} {
			if len(*side.dst) > 0 {
				continue
			}
			var ns []string
			if cfg.Providers[side.name] != nil {
				// The config's nameservers, else those the provider names.
				sides, err := provider.Sides(cfg, a.getenv, side.name)
				if err == nil {
					ns, err = sides[0].Nameservers(ctx, cfg.ZoneNames())
				}
				if err != nil {
					return r, err
				}
			}
			if len(ns) == 0 {
				return r, fmt.Errorf("no --%s and no providers.%s.nameservers in %s", side.name, side.name, path)
			}
			*side.dst = append(*side.dst, ns...)
		}
	}
	// One function builds the options, for this command and for the
	// cutover's gates.
	var err error
	if r.opts, err = parity.FromConfig(cfg, in.set, a.getenv); err != nil {
		return r, err
	}
	if r.opts.Queries != "" {
		if _, err := os.Stat(r.opts.Queries); err != nil {
			return r, fmt.Errorf("queries: %w", err)
		}
	}
	if len(r.jobs) == 0 && r.shard == nil {
		return r, fmt.Errorf("no zone to check")
	}
	for _, s := range r.olds {
		r.old = append(r.old, parity.Target{Addr: s})
	}
	for _, s := range r.news {
		r.new = append(r.new, parity.Target{Addr: s})
	}
	first := ""
	if len(r.jobs) > 0 {
		first = r.jobs[0].file
	}
	r.root = repoRoot(path, first)
	return r, nil
}

// parityRun compares the zones (a zone file that fails check is its own
// report; several zones at once, sharing each server's sockets and one
// rate limit), with progress on stderr, and writes the reports as they
// finish.
func (a *app) parityRun(ctx context.Context, r *paritySetup, format string) int {
	opts := r.opts
	many := len(r.jobs) > 1
	if many {
		// The zones share the sockets of each server and one rate limit,
		// and several are compared at once.
		eng := parity.NewEngine(opts)
		defer eng.Close()
		opts.Engine = eng
		fmt.Fprintf(a.stderr, "parity: %d zones; old %s, new %s\n", len(r.jobs), strings.Join(r.olds, " "), strings.Join(r.news, " "))
	}
	// The JSON report is written as the zones finish, in their order.
	var streams []*shardStream
	for _, w := range []io.Writer{a.jsonOut, a.stdout} {
		if w == nil || w == a.stdout && format != "json" {
			continue
		}
		if r.shard != nil {
			streams = append(streams, newShardStream(w, r.shard, r.shardZones))
		} else {
			streams = append(streams, &shardStream{ParityStream: report.NewParityStream(w, many)})
		}
	}
	var reps []*parity.Report // kept for the Markdown report only
	bad, interrupted, failed := false, false, false
	var mp zprogress.Task
	var compared atomic.Int64
	if many {
		mp = zprogress.Printer{W: a.stderr, Cmd: "parity", Unit: "zones"}.Start("compared", len(r.jobs))
	}
	fanout.Ordered(ctx, len(r.jobs), parityFanout(r.jobs, func(i int) string { return r.jobs[i].file }), func(ctx context.Context, i int) parityResult {
		if mp != nil {
			defer func() { mp.Update(int(compared.Add(1))) }()
		}
		return a.parityZone(ctx, r, opts, r.jobs[i], many)
	}, func(i int, r parityResult) bool {
		rep := r.rep
		if r.err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", r.err)
			rep.Error = r.err.Error()
			failed = true
		}
		for _, st := range streams {
			st.Add(rep)
		}
		if format == "markdown" {
			reps = append(reps, rep)
		} else if format == "text" {
			report.WriteParityText(a.stdout, []*parity.Report{rep})
		}
		switch {
		case r.err != nil:
			return false // the run stops at a zone that could not be compared
		case r.checked:
			bad = true
		case rep.Partial:
			fmt.Fprintf(a.stderr, "dnsparity parity: %s: %s\n", rep.Zone, rep.Error)
			interrupted = true
		case !rep.OK():
			bad = true
		}
		return true
	})
	if mp != nil {
		mp.Stop()
	}
	exit := exitOK
	switch {
	case failed, interrupted:
		exit = exitError
	case bad:
		exit = exitProblem
	}
	for _, st := range streams {
		if err := st.close(exit); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
			return exitError
		}
	}
	if format == "markdown" {
		report.WriteParityMarkdown(a.stdout, reps)
	}
	return exit
}

// parityResult is one zone's comparison.
type parityResult struct {
	rep     *parity.Report
	err     error // could not run: the report is an error report
	checked bool  // the zone fails check
}

// parityZone compares one zone: loaded and checked (a zone file that fails
// check is its own report), progress on stderr when it is the only zone
// (the providers' own features come with the options: parity.FromConfig).
func (a *app) parityZone(ctx context.Context, r *paritySetup, opts parity.Options, j parityJob, many bool) parityResult {
	root := r.root
	// Without $ORIGIN and --origin the loader takes the origin from an
	// absolute SOA owner, and says so in an info problem.
	z, err := zone.Load(j.file, zone.Options{Origin: j.origin, Tree: r.trees.Of(j.file)})
	if err != nil {
		return parityResult{rep: &parity.Report{Zone: j.origin, Findings: []parity.Finding{}}, err: err}
	}
	ps := zone.Check(z)
	for _, p := range ps {
		if p.Severity == zone.Info {
			fmt.Fprintf(a.stderr, "dnsparity parity: note: %s:%d: %s\n", relPath(root, p.Pos.File), p.Pos.Line, p.Message)
		}
	}
	if rep := checkReport(z, ps, root); rep != nil {
		// A zone that fails check is not compared: its problems are
		// the report (exit 1).
		return parityResult{rep: rep, checked: true}
	}
	o := opts
	var pr *progress
	if !many {
		pr = newProgress(a.stderr, z.Origin)
		fmt.Fprintf(a.stderr, "parity %s: old %s, new %s\n", z.Origin, strings.Join(r.olds, " "), strings.Join(r.news, " "))
		o.Progress = pr.update
		o.ProgressEvery = pr.every()
	}
	rep, err := parity.Run(ctx, z, r.old, r.new, o)
	if pr != nil {
		pr.done()
	}
	if err != nil && (rep == nil || !rep.Partial) {
		return parityResult{rep: &parity.Report{Zone: z.Origin, Findings: []parity.Finding{}}, err: fmt.Errorf("%s: %w", z.Origin, err)}
	}
	relReport(rep, root)
	return parityResult{rep: rep}
}

// shardStream is the JSON report of parity as it is written: the reports'
// stream, wrapped with --shard in {"shard": {...}, "reports": [...], "exit"}.
type shardStream struct {
	*report.ParityStream
	w    io.Writer
	info *shard.Info
}

func newShardStream(w io.Writer, spec *shard.Spec, zones []config.Zone) *shardStream {
	info := shardInfo(spec, zones)
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

// parityFanout bounds a parity run over many zones: up to 32 zones at
// once, and zone files of at most 8 MiB in all (a zone's run takes about
// twenty times its file's size in memory): the memory of a run is that of
// its largest zone or of a few small ones, plus the findings, never of all
// the zones.
func parityFanout[T any](jobs []T, file func(i int) string) fanout.Options {
	return fanout.Options{Limit: 32, Budget: 8 << 20, Weight: func(i int) int64 {
		if st, err := os.Stat(file(i)); err == nil {
			return st.Size()
		}
		return 1
	}}
}

// checkReport is the report of a zone that fails check (nil when it has
// no errors): every problem, errors first, as a "check" finding.
func checkReport(z *zone.Zone, ps []zone.Problem, root string) *parity.Report {
	if !zone.HasErrors(ps) {
		return nil
	}
	rep := &parity.Report{Zone: z.Origin, File: relPath(root, z.File), Findings: []parity.Finding{},
		Error: "the zone file has errors (see dnsparity check); nothing was compared"}
	for _, p := range ps {
		sev := parity.SevError
		switch p.Severity {
		case zone.Warning:
			sev = parity.SevWarning
		case zone.Info:
			sev = parity.SevInfo
		}
		rep.Findings = append(rep.Findings, parity.Finding{Name: z.Origin, Severity: sev, Kind: "check",
			Detail: p.Message, File: relPath(root, p.Pos.File), Line: p.Pos.Line})
	}
	parity.SortFindings(rep.Findings)
	return rep
}

func relReport(rep *parity.Report, root string) {
	// A finding's detail may name positions too ("deviates from git
	// (FILE:LINE)"): the same files, made relative the same way.
	repl := map[string]string{}
	rel := func(p string) string {
		r := relPath(root, p)
		if r != p {
			repl[p+":"] = r + ":"
		}
		return r
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
	r := strings.NewReplacer(pairs...)
	for i := range rep.Findings {
		rep.Findings[i].Detail = r.Replace(rep.Findings[i].Detail)
	}
}
