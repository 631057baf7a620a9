package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const parityHelp = `
Prove that the old and the new provider's authoritative nameservers answer the
zone identically: every owner and type of the zone file, a type each owner
lacks (NODATA), a random label under the apex, every wildcard and empty
non-terminal (NXDOMAIN vs synthesis), asked of every address of both sides;
answers compared old vs new and each side vs the zone file. SPF lookup
counts, DKIM keys and DMARC are checked on both sides.

--old and --new are repeatable (names or addresses, port 53 by default).
Without --zone/--old/--new they come from dnsparity.yaml (zones and each
provider's nameservers). Out-of-zone SPF includes are resolved only through
--resolver (config parity.resolver); no public server is ever asked.
--axfr (config parity.axfr) also transfers the zone from each side (signed
with providers.old/new.tsig from dnsparity.yaml when set) and asks every
(owner, type) found there, so records that are not in git are reported.
A server that is lame or fails for most questions, and a difference found
on most questions, are reported once with a count and examples.

Exit: 0 parity holds (no error finding), 1 errors found (or the zone file
has errors), 2 could not run (bad flags, a server that does not answer).`

func runParity(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("parity", "--zone FILE --old ADDR[:PORT] --new ADDR[:PORT] [flags]", parityHelp)
	var zones, olds, news multiFlag
	fl.Var(&zones, "zone", "zone file (repeatable; default: the zones of dnsparity.yaml)")
	fl.Var(&olds, "old", "an old provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	fl.Var(&news, "new", "a new provider nameserver, NAME|ADDR[:PORT] (repeatable)")
	origin := fl.String("origin", "", "origin for a zone file without $ORIGIN")
	format := formatFlag("text")
	fl.Var(&format, "format", "output: text, json or markdown")
	resolver := fl.String("resolver", "", "resolver ADDR[:PORT] for out-of-zone SPF includes (default: config parity.resolver; none: reported as unknown)")
	rateQPS := fl.Float64("rate", 0, "queries per second over all servers (0: unlimited)")
	conc := fl.Int("concurrency", 0, "queries in flight per server (default 32)")
	timeout := fl.Duration("timeout", 0, "timeout per try (default 2s)")
	retries := fl.Int("retries", 2, "retries after a timeout (or config parity.retries)")
	axfr := fl.Bool("axfr", false, "also AXFR the zone from each side and compare every (owner, type) found there, so records not in git are reported (TSIG from providers.old/new.tsig; default: config parity.axfr)")
	cfgPath := fl.String("config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(a.stderr, "dnsparity parity: unexpected arguments %v\n", fl.Args())
		return exitError
	}
	retriesSet := false
	fl.Visit(func(f *flag.Flag) { retriesSet = retriesSet || f.Name == "retries" })
	if *retries < 0 || *conc < 0 || *rateQPS < 0 || *timeout < 0 {
		fmt.Fprintln(a.stderr, "dnsparity parity: --retries, --concurrency, --rate and --timeout must not be negative")
		return exitError
	}
	if *origin != "" {
		if _, ok := dns.IsDomainName(*origin); !ok {
			fmt.Fprintf(a.stderr, "dnsparity parity: --origin %q is not a domain name\n", *origin)
			return exitError
		}
	}

	type job struct{ file, origin string }
	var jobs []job
	for _, z := range zones {
		jobs = append(jobs, job{z, *origin})
	}
	opts := parity.Options{Rate: *rateQPS, Concurrency: *conc, Timeout: *timeout, Retries: 2, Resolver: *resolver, AXFR: *axfr}
	needCfg := len(zones) == 0 || len(olds) == 0 || len(news) == 0
	path := *cfgPath
	if path == "" && (needCfg || *axfr) {
		path = config.Find(".")
	}
	var cfg *config.Config
	if needCfg && path == "" {
		fmt.Fprintf(a.stderr, "dnsparity parity: need --zone, --old and --new, or a %s\n", config.FileName)
		return exitError
	}
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
			return exitError
		}
	}
	if needCfg {
		if len(zones) == 0 {
			for _, z := range cfg.Zones {
				jobs = append(jobs, job{cfg.ZoneFile(z), z.Name})
			}
		}
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
					fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
					return exitError
				}
			}
			if len(ns) == 0 {
				fmt.Fprintf(a.stderr, "dnsparity parity: no --%s and no providers.%s.nameservers in %s\n", side.name, side.name, path)
				return exitError
			}
			*side.dst = append(*side.dst, ns...)
		}
	}
	if cfg != nil {
		// The config's parity settings are defaults for the flags.
		pc := cfg.Parity
		if opts.Resolver == "" {
			opts.Resolver = pc.Resolver
		}
		if opts.Rate == 0 {
			opts.Rate = pc.RateLimit
		}
		if opts.Concurrency == 0 {
			opts.Concurrency = pc.Concurrency
		}
		if opts.Timeout == 0 {
			opts.Timeout = pc.Timeout.Duration
		}
		if !retriesSet && pc.Retries != nil {
			opts.Retries = *pc.Retries
		}
		opts.AXFR = opts.AXFR || pc.AXFR
	}
	if opts.AXFR && cfg != nil {
		// Transfers are signed with each provider's TSIG key, when it has one.
		for _, side := range []struct {
			name string
			dst  **parity.TSIG
		}{{"old", &opts.OldTSIG}, {"new", &opts.NewTSIG}} {
			p := cfg.Providers[side.name]
			if p == nil || p.TSIG == nil {
				continue
			}
			secret := a.getenv(p.TSIG.SecretEnv)
			if secret == "" {
				fmt.Fprintf(a.stderr, "dnsparity parity: --axfr: providers.%s.tsig.secret_env: environment variable %s is not set (%s)\n", side.name, p.TSIG.SecretEnv, path)
				return exitError
			}
			*side.dst = &parity.TSIG{Name: p.TSIG.Name, Algorithm: p.TSIG.TSIGAlgorithm(), Secret: secret}
		}
	}
	if retriesSet {
		opts.Retries = *retries
	}
	if len(jobs) == 0 {
		fmt.Fprintln(a.stderr, "dnsparity parity: no zone to check")
		return exitError
	}
	var old, new []parity.Target
	for _, s := range olds {
		old = append(old, parity.Target{Addr: s})
	}
	for _, s := range news {
		new = append(new, parity.Target{Addr: s})
	}

	var reps []*parity.Report
	bad := false
	for _, j := range jobs {
		z, err := zone.Load(j.file, zone.Options{Origin: j.origin})
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
			return exitError
		}
		errs := 0
		for _, p := range z.Problems {
			if p.Severity == zone.Error {
				fmt.Fprintln(a.stderr, p.String())
				errs++
			}
		}
		if errs > 0 {
			fmt.Fprintf(a.stderr, "dnsparity parity: %s has %d errors; fix them first\n", j.file, errs)
			bad = true
			continue
		}
		rep, err := parity.Run(ctx, z, old, new, opts)
		if err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %s: %v\n", z.Origin, err)
			return exitError
		}
		rep.Findings = append(rep.Findings, a.featureFindings(ctx, cfg, z.Origin)...)
		reps = append(reps, rep)
		if !rep.OK() {
			bad = true
		}
	}
	if a.jsonOut != nil {
		report.WriteParityJSON(a.jsonOut, reps)
	}
	switch format {
	case "json":
		if err := report.WriteParityJSON(a.stdout, reps); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity parity: %v\n", err)
			return exitError
		}
	case "markdown":
		report.WriteParityMarkdown(a.stdout, reps)
	default:
		report.WriteParityText(a.stdout, reps)
	}
	if bad {
		return exitProblem
	}
	return exitOK
}
