package parity

import (
	"fmt"
	"os"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer"
)

// Settings are choices made on a command line; each one given (not nil)
// wins over dnsparity.yaml.
type Settings struct {
	Resolver    *string
	Rate        *float64
	Concurrency *int
	Timeout     *time.Duration
	Retries     *int
	AXFR        *bool
	// Features false: the providers' own features are not read (a run
	// without the providers' secrets: a fork's pull request).
	Features *bool
	// Subnets replace parity.client_subnets when not empty; Queries and
	// MaxQueries replace parity.queries and parity.max_queries when set.
	Subnets    []Subnet
	Queries    *string
	MaxQueries *int
	// checked: Check passed (FromConfig does not look again); a
	// Settings edited after Check must be checked again.
	checked bool
}

// Check is what the flags alone say is wrong with them, no config read:
// a --resolver that is no address, a --queries file that is not there.
// A command checks them before it
// loads its config, so that a mistyped flag is the error it reports
// first, as a command line's usage errors come first, not a config
// error, such as a url: password the config refuses, that the user
// would fix only to be told of the flag next (TestFlagsBeforeConfig).
// FromConfig checks them when Check has not (each flag is looked at
// once: the resolver parsed once, the query log's file looked up once).
func (set *Settings) Check() error {
	if set.checked {
		return nil
	}
	if set.Resolver != nil && *set.Resolver != "" {
		if _, err := query.ParseAddr(*set.Resolver); err != nil {
			return fmt.Errorf("--resolver: %w", err)
		}
	}
	if set.Queries != nil {
		if err := queryLogThere(*set.Queries); err != nil {
			return err
		}
	}
	set.checked = true
	return nil
}

// queryLogThere is the error for a query log (--queries, parity.queries)
// that is not there, or nil.
func queryLogThere(path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("queries: %w", err)
	}
	return nil
}

// DefaultRetries is the retries after a timeout when neither a command
// line nor parity.retries says.
const DefaultRetries = 2

// FromConfig builds a run's options from dnsparity.yaml (cfg; nil when
// there is none) and the command line (set): the resolver, rate,
// concurrency, timeout, retries, the client subnets and query log
// (SetTraffic), whether to transfer each side (AXFR) and its bounds, and,
// when transferring, the old and new providers' TSIG keys with their
// secrets (and names, with name_env) from getenv, and the providers'
// own features (Features: the old and new providers whose type reports
// them, made when a run first asks). It is the one place `dnsparity
// parity` and the cutover's gates get their options, so that a gate asks
// exactly what `dnsparity parity` asks. cfg is as config.Load or
// config.Parse gave it: parity.resolver is checked there, on its line.
func FromConfig(cfg *config.Config, set Settings, getenv func(string) string) (Options, error) {
	o := Options{Retries: DefaultRetries}
	where := "parity"
	if cfg != nil {
		pc := cfg.Parity
		where = cfg.Path + ": parity"
		o.Resolver, o.Rate, o.Concurrency, o.Timeout, o.AXFR = pc.Resolver, pc.RateLimit, pc.Concurrency, pc.Timeout.Duration, pc.AXFR
		if pc.Retries != nil {
			o.Retries = *pc.Retries
		}
		o.AXFRLimits = transfer.Limits{MaxRecords: pc.AXFRMaxRecords, MaxBytes: pc.AXFRMaxBytes, MaxTime: pc.AXFRMaxTime.Duration}
		if err := o.SetTraffic(cfg); err != nil {
			return o, err
		}
		if set.Features == nil || *set.Features {
			o.Features = newFeatures(cfg, getenv)
		}
		o.NoIPv6 = cfg.Policy.Delegation.IPv6 != nil && !*cfg.Policy.Delegation.IPv6
	}
	if err := set.Check(); err != nil {
		return o, err
	}
	if set.Resolver != nil {
		o.Resolver = *set.Resolver
	}
	if set.Rate != nil {
		o.Rate = *set.Rate
	}
	if set.Concurrency != nil {
		o.Concurrency = *set.Concurrency
	}
	if set.Timeout != nil {
		o.Timeout = *set.Timeout
	}
	if set.Retries != nil {
		o.Retries = *set.Retries
	}
	if set.AXFR != nil { // --axfr=false overrides parity.axfr (a fork PR has no TSIG secret)
		o.AXFR = *set.AXFR
	}
	if len(set.Subnets) > 0 {
		o.Subnets = set.Subnets
	}
	if set.Queries != nil {
		o.Queries = *set.Queries
	}
	if set.MaxQueries != nil {
		o.MaxQueries = *set.MaxQueries
	}
	if o.Retries < 0 || o.Concurrency < 0 || o.Rate < 0 || o.Timeout < 0 || o.MaxQueries < 0 {
		return o, fmt.Errorf("%s: retries, concurrency, rate, timeout and max_queries must not be negative", where)
	}
	// A query log that is not there is that error, before any secret is
	// read (the TSIG secrets below); --queries' file Check looked up.
	if set.Queries == nil {
		if err := queryLogThere(o.Queries); err != nil {
			return o, err
		}
	}
	if !o.AXFR || cfg == nil {
		return o, nil
	}
	// Transfers are signed with each provider's TSIG key, when it has one.
	for _, side := range []struct {
		name string
		dst  **TSIG
	}{{"old", &o.OldTSIG}, {"new", &o.NewTSIG}} {
		p := cfg.Providers[side.name]
		if p == nil || p.TSIG == nil {
			continue
		}
		if err := p.TSIG.Resolve(getenv, "providers."+side.name+".tsig", cfg); err != nil {
			return o, fmt.Errorf("%s.axfr: %w (the transfer is signed with it; --axfr=false turns the transfer off)", where, err)
		}
		*side.dst = &TSIG{Name: p.TSIG.Name, Algorithm: p.TSIG.TSIGAlgorithm(), Secret: p.TSIG.Secret.Value()}
	}
	return o, nil
}

// SetTraffic sets the options that make parity ask what clients really get
// from the config's parity section: Subnets from parity.client_subnets (in
// the file's order; the first two are the first probe's), Queries from
// parity.queries (relative to the config's directory) and MaxQueries from
// parity.max_queries. FromConfig calls it, so `dnsparity parity` and the
// cutover's parity gate ask the same probes; flags given override it.
func (o *Options) SetTraffic(cfg *config.Config) error {
	o.Subnets = nil
	for _, cs := range cfg.Parity.ClientSubnets {
		p, err := query.ParseSubnet(cs.CIDR)
		if err != nil {
			return fmt.Errorf("%s:%d: parity.client_subnets: %w", cfg.Path, cs.Line, err)
		}
		o.Subnets = append(o.Subnets, Subnet{Prefix: p, Region: cs.Region})
	}
	o.Queries = cfg.QueriesFile()
	o.MaxQueries = cfg.Parity.MaxQueries
	return nil
}
