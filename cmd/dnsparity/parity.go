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
	var zones, files, olds, news multiFlag
	fl.Var(&zones, "zone", "zone name, as in plan (repeatable; its file from dnsparity.yaml; default: every zone there)")
	fl.Var(&files, "file", "zone file (repeatable)")
	fl.Var(&olds, "old", "an old provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	fl.Var(&news, "new", "a new provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	origin := fl.String("origin", "", "origin for a zone file without $ORIGIN")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	resolver := fl.String("resolver", "", "resolver ADDR[:PORT] (an IP address) for out-of-zone SPF includes (default: config parity.resolver; none: reported as unknown)")
	rateQPS := fl.Float64("rate", 0, "queries per second over all servers (0: unlimited)")
	conc := fl.Int("concurrency", 0, "queries in flight per server (default 32)")
	timeout := fl.Duration("timeout", 0, "timeout per try (default 2s)")
	retries := fl.Int("retries", 2, "retries after a timeout (or config parity.retries)")
	axfr := fl.Bool("axfr", false, "also AXFR the zone from each side and compare every (owner, type) found there, so records not in git are reported (TSIG from providers.old/new.tsig; default: config parity.axfr; --axfr=false turns it off, e.g. where no TSIG secret is available)")
	var subnets multiFlag
	fl.Var(&subnets, "client-subnet", "a client subnet CIDR, or REGION=CIDR, to ask client-dependent questions from with EDNS Client Subnet (repeatable; replaces config parity.client_subnets)")
	queries := fl.String("queries", "", "a query log (dnstap, or BIND query-log text) whose questions are asked too (default: config parity.queries)")
	maxQueries := fl.Int("max-queries", 0, "at most this many distinct questions from --queries (default: config parity.max_queries, else 100000)")
	cfgPath := fl.String("config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	var sh shardFlag
	fl.Var(&sh, "shard", shardUsage+"; JSON: {\"shard\", \"reports\": [...], \"exit\"}")
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
			if sh.spec == nil {
				report.WriteParityJSON(w, reps)
				continue
			}
			st := newShardStream(w, sh.spec, shardZones)
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
	var set parity.Settings
	fl.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "resolver":
			set.Resolver = resolver
		case "rate":
			set.Rate = rateQPS
		case "concurrency":
			set.Concurrency = conc
		case "timeout":
			set.Timeout = timeout
		case "retries":
			set.Retries = retries
		case "axfr":
			set.AXFR = axfr
		}
	})
	if *retries < 0 || *conc < 0 || *rateQPS < 0 || *timeout < 0 || *maxQueries < 0 {
		return failf("--retries, --concurrency, --rate, --timeout and --max-queries must not be negative")
	}
	var flagSubnets []parity.Subnet
	for _, s := range subnets {
		region, cidr, ok := strings.Cut(s, "=")
		if !ok {
			region, cidr = "", s
		}
		p, err := query.ParseSubnet(cidr)
		if err != nil {
			return failf("--client-subnet: %v", err)
		}
		flagSubnets = append(flagSubnets, parity.Subnet{Prefix: p, Region: region})
	}
	if *origin != "" {
		if _, ok := dns.IsDomainName(*origin); !ok {
			return failf("--origin %q is not a domain name", *origin)
		}
	}
	// --zone FILE (the old spelling): a value that is a file is a --file.
	var names []string
	for _, z := range zones {
		if st, err := os.Stat(z); err == nil && !st.IsDir() {
			fmt.Fprintf(a.stderr, "dnsparity parity: note: --zone %s is a file; taking it as --file %s (--zone now takes a zone name, as in plan)\n", z, z)
			files = append(files, z)
			continue
		}
		if _, ok := dns.IsDomainName(z); !ok {
			return failf("--zone %q is neither a zone name nor a file", z)
		}
		names = append(names, dns.Fqdn(z))
	}
	type job struct{ file, origin string }
	var jobs []job
	for _, f := range files {
		o := *origin
		if o == "" && len(names) == 1 && len(files) == 1 {
			o = names[0] // --zone NAME --file FILE: the file's origin
		}
		jobs = append(jobs, job{f, o})
	}
	needZones := len(files) == 0
	needCfg := needZones || len(olds) == 0 || len(news) == 0
	path := *cfgPath
	if path == "" && (needCfg || *axfr) {
		path = config.Find(".")
	}
	var cfg *config.Config
	if needCfg && path == "" {
		if len(names) > 0 && needZones {
			return failf("--zone %s: a zone name needs %s to find its file (none found from the current directory up); give the file with --file", names[0], config.FileName)
		}
		return failf("need --file (or --zone), --old and --new, or a %s", config.FileName)
	}
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return failf("%v", err)
		}
	}
	if sh.spec != nil {
		if !needZones || cfg == nil {
			return failf("--shard takes the zones of %s: no --file", config.FileName)
		}
		shard.Limit(cfg, *sh.spec)
		shardZones = cfg.Zones
	}
	if needZones {
		for _, z := range cfg.Zones {
			if len(names) > 0 && !containsFold(names, dns.Fqdn(z.Name)) {
				continue
			}
			jobs = append(jobs, job{cfg.ZoneFile(z), z.Name})
		}
		for _, n := range names {
			found := false
			for _, z := range cfg.Zones {
				found = found || zone.Fold(dns.Fqdn(z.Name)) == zone.Fold(n)
			}
			if !found {
				return failf("--zone %s: no such zone in %s (zones: %s)", n, path, zoneNames(cfg))
			}
		}
	}
	if needCfg {
		for _, side := range []struct {
			name string
			dst  *multiFlag
		}{{"old", &olds}, {"new", &news}} {
			if len(*side.dst) > 0 {
				continue
			}
			p := cfg.Providers[side.name]
			ns := []string(nil)
			if p != nil {
				ns = p.Nameservers
			}
			if p != nil && len(ns) == 0 {
				// The nameservers the provider's API names for the zones.
				var err error
				if ns, err = a.apiNameservers(ctx, cfg, side.name, configZones(cfg)); err != nil {
					return failf("%v", err)
				}
			}
			if len(ns) == 0 {
				return failf("no --%s and no providers.%s.nameservers in %s", side.name, side.name, path)
			}
			*side.dst = append(*side.dst, ns...)
		}
	}
	// Flags given win over dnsparity.yaml (parity.client_subnets,
	// parity.queries, ...): one function builds the options, for this
	// command and for the cutover's gates.
	if len(flagSubnets) > 0 {
		set.Subnets = flagSubnets
	}
	if *queries != "" {
		set.Queries = queries
	}
	if *maxQueries > 0 {
		set.MaxQueries = maxQueries
	}
	opts, err := parity.FromConfig(cfg, set, a.getenv)
	if err != nil {
		return failf("%v", err)
	}
	if opts.Queries != "" {
		if _, err := os.Stat(opts.Queries); err != nil {
			return failf("queries: %v", err)
		}
	}
	if len(jobs) == 0 && sh.spec == nil {
		return failf("no zone to check")
	}
	var old, new []parity.Target
	for _, s := range olds {
		old = append(old, parity.Target{Addr: s})
	}
	for _, s := range news {
		new = append(new, parity.Target{Addr: s})
	}
	first := ""
	if len(jobs) > 0 {
		first = jobs[0].file
	}
	root := repoRoot(path, first)
	many := len(jobs) > 1
	if many {
		// The zones share the sockets of each server and one rate limit,
		// and several are compared at once.
		eng := parity.NewEngine(opts)
		defer eng.Close()
		opts.Engine = eng
		fmt.Fprintf(a.stderr, "parity: %d zones; old %s, new %s\n", len(jobs), strings.Join(olds, " "), strings.Join(news, " "))
	}
	// The JSON report is written as the zones finish, in their order.
	var streams []*shardStream
	for _, w := range []io.Writer{a.jsonOut, a.stdout} {
		if w == nil || w == a.stdout && format != "json" {
			continue
		}
		if sh.spec != nil {
			streams = append(streams, newShardStream(w, sh.spec, shardZones))
		} else {
			streams = append(streams, &shardStream{ParityStream: report.NewParityStream(w, many)})
		}
	}
	var reps []*parity.Report // kept for the Markdown report only
	bad, interrupted, failed := false, false, false
	var mp zprogress.Task
	var compared atomic.Int64
	if many {
		mp = zprogress.Printer{W: a.stderr, Cmd: "parity", Unit: "zones"}.Start("compared", len(jobs))
	}
	type result struct {
		rep     *parity.Report
		err     error // could not run: the report is an error report
		checked bool  // the zone fails check
	}
	var trees confine.Trees // each folder's repository resolved once
	fanout.Ordered(ctx, len(jobs), parityFanout(jobs, func(i int) string { return jobs[i].file }), func(ctx context.Context, i int) result {
		j := jobs[i]
		if mp != nil {
			defer func() { mp.Update(int(compared.Add(1))) }()
		}
		// Without $ORIGIN and --origin the loader takes the origin from an
		// absolute SOA owner, and says so in an info problem.
		z, err := zone.Load(j.file, zone.Options{Origin: j.origin, Tree: trees.Of(j.file)})
		if err != nil {
			return result{rep: &parity.Report{Zone: j.origin, Findings: []parity.Finding{}}, err: err}
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
			return result{rep: rep, checked: true}
		}
		o := opts
		// Provider features (geo, weighted, … records) are asked from
		// every client subnet without waiting for the first probe.
		feats := a.featureFindings(ctx, cfg, z.Origin)
		o.ClientDependent = nil
		for _, f := range feats {
			o.ClientDependent = append(o.ClientDependent, f.Name)
		}
		var pr *progress
		if !many {
			pr = newProgress(a.stderr, z.Origin)
			fmt.Fprintf(a.stderr, "parity %s: old %s, new %s\n", z.Origin, strings.Join(olds, " "), strings.Join(news, " "))
			o.Progress = pr.update
			o.ProgressEvery = pr.every()
		}
		rep, err := parity.Run(ctx, z, old, new, o)
		if pr != nil {
			pr.done()
		}
		if err != nil && (rep == nil || !rep.Partial) {
			return result{rep: &parity.Report{Zone: z.Origin, Findings: []parity.Finding{}}, err: fmt.Errorf("%s: %w", z.Origin, err)}
		}
		rep.Findings = append(rep.Findings, feats...)
		relReport(rep, root)
		return result{rep: rep}
	}, func(i int, r result) bool {
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

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if zone.Fold(x) == zone.Fold(s) {
			return true
		}
	}
	return false
}

func zoneNames(cfg *config.Config) string {
	var out []string
	for _, z := range cfg.Zones {
		out = append(out, z.Name)
	}
	return strings.Join(out, ", ")
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
