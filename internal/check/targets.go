// Package check is what dnsparity check (and ttl) does between its flags
// and its report: which zone files a run covers (files, folders, or the
// zones of dnsparity.yaml) and checking them in parallel, one zone in
// memory per core, their problems in the files' order. Besides the zone
// checks (zone.CheckCount) each zone's SPF, DKIM and DMARC records are
// judged with internal/mailauth (mail.go; SPF lookups counted through the
// zone's own data, mailzone.go), and the delegations the cutover owns
// compared with their audit trails (held.go).
package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/shard"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Target is one file to check and the origin to use when the file has no
// $ORIGIN.
type Target struct {
	Path   string
	Origin string
	// held: the cuts of a config's zone whose delegation the cutover
	// owns, compared with their audit trails (nil: none).
	held *heldCuts
	// cfg: the config the zone is of (for files named, one of them
	// alone), whose secrets (Scope.Masked) must not stand in its records
	// (ShownSecret; nil: none to look for).
	cfg *config.Config
	// name: the config's name of the zone, which the file's origin must
	// be (config.Config.OriginChecked); "" for files named, or with --origin.
	name string
	// named: where the config names the file (zone.Options.Named).
	named *zone.NamedIn
	// every: the config all of whose zones the run takes (not a shard or
	// --zone), whose folders are looked at for files no entry names
	// (unnamedFiles); nil: none.
	every *config.Config
}

// Named is where the config names the target's file (zone.Options.Named;
// nil: a file named alone).
func (t Target) Named() *zone.NamedIn { return t.named }

// OriginChecked is ps, z's problems, with the error of a config's zone
// whose file z names another origin first, and ok false
// (config.Config.OriginChecked: without the problems that error
// explains); ps and true for a file named alone or with --origin.
func (t Target) OriginChecked(z *zone.Zone, ps []zone.Problem) (out []zone.Problem, ok bool) {
	return t.cfg.OriginChecked(z, t.name, t.Path, ps)
}

// Scope says which zones of which config a run takes when no PATH is
// given: the config (default: found from the current directory up), some
// zones by name, one shard.
type Scope struct {
	// Config is loaded by Configs (nil: config.Load).
	Config  string
	Configs *config.Loads
	Zones   []string
	Shard   *shard.Spec
	// Masked are the values the caller masks in all the run shows, by
	// variable (cli.IO.Masked): the config's zones are refused where one
	// stands in their names, paths (config.Config.Mask) or records.
	Masked map[string]string
}

func (s Scope) limited() bool { return s.Shard != nil || len(s.Zones) > 0 }

// Targets expands the arguments (files and folders: every *.zone and *.db
// file below, hidden folders skipped) or, with none, the zones of
// dnsparity.yaml (those the scope names), else the folder zones/. zones
// are the config's zones taken (nil when the targets do not come from a
// config).
func Targets(args []string, origin string, scope Scope) (targets []Target, zones []config.Zone, err error) {
	if len(args) == 0 {
		ts, zs, fromConfig, err := configTargets(origin, scope)
		if err == nil && fromConfig && origin != "" {
			// Every zone of the config checked at one origin, not the
			// name zones: gives it: a check that passes zones their
			// names would fail (and skips the origin's own check).
			return nil, nil, fmt.Errorf("--origin %s: the config's zones are named by their zones: entries (each its own origin); --origin is for zone files named as PATH without $ORIGIN", origin)
		}
		if err != nil || fromConfig {
			return ts, zs, err
		}
		if _, err := os.Stat("zones"); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nothingToCheck(scope)
		}
		args = []string{"zones"}
	}
	for _, arg := range args {
		found, err := zoneFiles(arg)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range found {
			targets = append(targets, Target{Path: p, Origin: origin})
		}
	}
	// Files named, no config read: the values the caller masks are
	// refused in their paths and records all the same.
	zs := make([]config.Zone, len(targets))
	for i, t := range targets {
		zs[i] = config.Zone{Name: t.Origin, File: t.Path}
	}
	files, err := config.MaskedFiles(zs, scope.Masked)
	if err != nil {
		return nil, nil, err
	}
	for i := range targets {
		targets[i].cfg = files
	}
	return targets, nil, nil
}

// nothingToCheck is the error of a run given no PATH where neither a
// config's zones nor the folder zones/ are found: it says where it looked
// and what to give instead (not "zones: no such file or directory").
func nothingToCheck(scope Scope) error {
	cfg := scope.Config
	if cfg == "" {
		cfg = config.Find(".")
	}
	looked := "no " + config.FileName + " found from the current directory up"
	if cfg != "" {
		looked = "no zone under zones: in " + cfg
	}
	return fmt.Errorf("nothing to check: no PATH given, %s, and no folder zones/ here: name zone files or folders (e.g. zones/example.com.zone), or run it in the repository that holds %s", looked, config.FileName)
}

// configTargets are the zones of the scope's config; fromConfig is false
// when there is no config (or it names no zone and the scope does not
// limit them): the caller then takes zones/.
func configTargets(origin string, scope Scope) (targets []Target, zones []config.Zone, fromConfig bool, err error) {
	path := scope.Config
	if path == "" {
		path = config.Find(".")
	}
	if path == "" {
		if scope.limited() {
			return nil, nil, false, fmt.Errorf("--shard and --zone need %s (none found from the current directory up)", config.FileName)
		}
		return nil, nil, false, nil
	}
	cfg, err := scope.Configs.Load(path)
	if err != nil {
		return nil, nil, false, err
	}
	if err := cfg.Mask(scope.Masked); err != nil {
		return nil, nil, false, err
	}
	// The cuts come from every zone of the config, not only those taken.
	all := *cfg
	all.SetZones(slices.Clone(cfg.Zones))
	// The shard of the split of every zone (the matrix's), then the
	// zones named within it; a name not in the config said at the line
	// of its zones: as every command says it (config.Config.Zone).
	zs, err := shard.Select(cfg, scope.Shard, scope.Zones)
	if err != nil {
		return nil, nil, false, err
	}
	cfg.SetZones(zs)
	if len(cfg.Zones) == 0 && !scope.limited() {
		return nil, nil, false, nil
	}
	for _, z := range cfg.Zones {
		o := origin
		if o == "" {
			o = z.Name
		}
		file, opt := cfg.ZoneLoad(z)
		t := Target{Path: file, Origin: o, cfg: cfg, named: opt.Named}
		if origin == "" {
			t.name = z.Name
		}
		if !scope.limited() {
			t.every = &all
		}
		if cuts := all.CutoverCuts(z.Name); len(cuts) > 0 {
			t.held = &heldCuts{cfg: &all, cuts: cuts}
		}
		targets = append(targets, t)
	}
	return targets, cfg.Zones, true, nil
}

// zoneFiles is arg when it is a file, else the *.zone and *.db files
// below the folder arg (hidden folders skipped), sorted.
func zoneFiles(arg string) ([]string, error) {
	st, err := os.Stat(arg)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w%s", arg, unwrapPath(err), zone.Near(arg, true))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, unwrapPath(err))
	}
	if !st.IsDir() {
		return []string{arg}, nil
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
	return found, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// FirstPath is the first target's path ("" when there is none).
func FirstPath(ts []Target) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0].Path
}
