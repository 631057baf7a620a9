// Package parityrun is what dnsparity parity does between its flags and
// its report: which zone files a run compares (files, or the zones of
// dnsparity.yaml, those of a shard), the servers of each side (given, or
// each provider's nameservers), the options (parity.FromConfig), and one
// zone loaded, checked (a zone that fails check is its own report) and
// compared, with the report's paths relative to the repository.
package parityrun

import (
	"context"
	"errors"
	"fmt"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Input is a parity command line, checked.
type Input struct {
	Names             []string // --zone names, absolute
	Files, Olds, News []string
	Origin, Config    string
	AXFR              bool        // --axfr given true (a config is then read)
	Shard             *shard.Spec // --shard
	Set               parity.Settings
	// Masked are the values the caller masks, by variable (cli.IO.Masked):
	// the config takes them as its secrets (config.Config.Mask).
	Masked map[string]string
	// Configs loads the config (nil: config.Load).
	Configs *config.Loads
}

// Job is one zone file to compare, with the origin to load it at ("": its
// $ORIGIN or SOA owner); Name, for a zone of the config, the name its file
// must give (config.Config.OriginChecked; "" for --file).
type Job struct {
	File, Origin, Name string
	Named              *zone.NamedIn // where the config names File (zone.Options)
}

// Setup is what a parity run compares: the zone files, both sides'
// servers and the options, from the command line and dnsparity.yaml.
type Setup struct {
	Cfg        *config.Config // nil: none needed or found
	Shard      *shard.Spec
	ShardZones []config.Zone // the config's zones of the shard
	Jobs       []Job
	Olds, News []string // each side's servers, as parity.Targets takes them
	Opts       parity.Options
	Root       string        // the repository root: report paths are relative to it
	trees      confine.Trees // each folder's repository resolved once
	// shown is the config whose secrets Load refuses in a zone's
	// records: Cfg, else for files named without one those files with
	// the values the caller masks (config.MaskedFiles; nil: none).
	shown *config.Config
}

// New finds the zone files (--file, or the config's zones, those of
// --shard), the servers of each side (--old/--new, or each side's
// nameservers: the config's, else those its provider names, with secrets
// from getenv) and the options (parity.FromConfig: the flags given win
// over the config). After --shard has limited the zones, an error comes
// with the setup so far.
func New(ctx context.Context, in Input, getenv func(string) string) (*Setup, error) {
	r := &Setup{Olds: in.Olds, News: in.News, Shard: in.Shard}
	// The flags' own errors before the config's (parity.Settings.Check).
	if err := in.Set.Check(); err != nil {
		return nil, err
	}
	if err := errors.Join(parity.CheckTargets("--old", "old", in.Olds), parity.CheckTargets("--new", "new", in.News)); err != nil {
		return nil, err
	}
	for _, f := range in.Files {
		o := in.Origin
		if o == "" && len(in.Names) == 1 && len(in.Files) == 1 {
			o = in.Names[0] // --zone NAME --file FILE: the file's origin
		}
		r.Jobs = append(r.Jobs, Job{File: f, Origin: o})
	}
	needZones := len(in.Files) == 0
	needCfg := needZones || len(in.Olds) == 0 || len(in.News) == 0
	path := in.Config
	if path == "" && (needCfg || in.AXFR) {
		path = config.Find(".")
	}
	if needCfg && path == "" {
		if len(in.Names) > 0 && needZones {
			return nil, fmt.Errorf("--zone %s: a zone name needs %s to find its file (none found from the current directory up); give the file with --file", in.Names[0], config.FileName)
		}
		return nil, fmt.Errorf("need --file (or --zone), --old and --new, or a %s", config.FileName)
	}
	if path != "" {
		var err error
		if r.Cfg, err = in.Configs.LoadMasked(path, in.Masked); err != nil {
			return nil, err
		}
	}
	r.shown = r.Cfg
	if r.Cfg == nil {
		zs := make([]config.Zone, len(r.Jobs))
		for i, j := range r.Jobs {
			zs[i] = config.Zone{Name: j.Origin, File: j.File}
		}
		var err error
		if r.shown, err = config.MaskedFiles(zs, in.Masked); err != nil {
			return nil, err
		}
	}
	if r.Shard != nil && (!needZones || r.Cfg == nil) {
		return nil, fmt.Errorf("--shard takes the zones of %s: no --file", config.FileName)
	}
	if needZones {
		if err := r.zoneJobs(in.Names); err != nil {
			return r, err
		}
	}
	// One function builds the options, for this command and for the
	// cutover's gates. They and the query log come before the sides'
	// servers, whose provider may need its secrets (nameservers from its
	// API): a bad --resolver or a missing --queries file is that error,
	// not a variable to set first. (FromConfig reads the TSIG secrets a
	// transfer signs with last, after its own checks, the query log's
	// file among them.)
	var err error
	if r.Opts, err = parity.FromConfig(r.Cfg, in.Set, getenv); err != nil {
		return r, err
	}
	if needCfg {
		if err := r.sideServers(ctx, getenv); err != nil {
			return r, err
		}
	}
	if len(r.Jobs) == 0 && r.Shard == nil {
		return r, fmt.Errorf("no zone to check")
	}
	first := ""
	if len(r.Jobs) > 0 {
		first = r.Jobs[0].File
	}
	r.Root = report.RepoRoot(path, first)
	return r, nil
}

// zoneJobs adds a job for each of the config's zones named (every zone
// when names is empty), within the shard when there is one: shard.Select,
// the one choice check, plan and push make. The config keeps only the
// zones taken (its nameservers are looked up for them), and with --shard
// they are the zones the shard's report claims, as check's.
func (r *Setup) zoneJobs(names []string) error {
	for _, n := range names {
		if _, err := r.Cfg.Zone(n); err != nil {
			return err // FILE:LINE: zone ... is not under zones: (config.Config.Zone)
		}
	}
	zs, err := shard.Select(r.Cfg, r.Shard, names)
	if err != nil {
		return err // a zone of another shard: the error names both
	}
	r.Cfg.SetZones(zs)
	if r.Shard != nil {
		r.ShardZones = zs
	}
	for _, z := range zs {
		file, opt := r.Cfg.ZoneLoad(z)
		r.Jobs = append(r.Jobs, Job{File: file, Origin: z.Name, Name: z.Name, Named: opt.Named})
	}
	return nil
}

// sideServers fills the servers of a side not given on the command line
// with the config's nameservers of that side, else those its provider
// names (none: config.Config.NoNameservers).
func (r *Setup) sideServers(ctx context.Context, getenv func(string) string) error {
	cfg := r.Cfg
	for _, side := range []struct {
		name string
		dst  *[]string
	}{{"old", &r.Olds}, {"new", &r.News}} {
		if len(*side.dst) > 0 {
			continue
		}
		// A nameserver given as a name with no resolver to look it up:
		// refused at its line, before the provider (and its secrets).
		if named := cfg.ServerNames(r.Opts.Resolver, side.name); len(named) > 0 {
			errs := make([]error, len(named))
			for i, p := range named {
				errs[i] = fmt.Errorf("%s:%d: %s", p.Pos.File, p.Pos.Line, p.Message)
			}
			return errors.Join(errs...)
		}
		var ns []string
		if cfg.Providers[side.name] != nil {
			sides, err := provider.Sides(cfg, getenv, side.name)
			if err == nil {
				ns, err = sides[0].Nameservers(ctx, cfg.ZoneNames())
			}
			if err != nil {
				return err
			}
		}
		if len(ns) == 0 {
			return cfg.NoNameservers(side.name)
		}
		*side.dst = append(*side.dst, ns...)
	}
	return nil
}
