package ttlcap

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Target is one zone file to cap and the origin for it when it has no
// $ORIGIN ("": from the file name).
type Target struct {
	Path   string
	Origin string
	// Named is where a config names the file (zone.Options.Named: a
	// missing file's error names that line); nil: a file named alone.
	Named *zone.NamedIn
	// Mismatch gives a zone's problems with the error of a config's zone
	// whose file names another origin first, ok false
	// (config.Config.OriginChecked, as check refuses it); nil: none to
	// look for.
	Mismatch func(z *zone.Zone, ps []zone.Problem) (out []zone.Problem, ok bool)
}

// Result is what capping several zone files did.
type Result struct {
	// Changes are the TTLs lowered (or, dry, to lower) in every file; none
	// when a file is invalid or cannot be read.
	Changes []Change
	// Problems are the files that are invalid (*InvalidError) or cannot
	// be read, then the rewrites that failed (each file put back), in
	// order; Invalid, Failed and Unwritten count them.
	Problems                   []error
	Invalid, Failed, Unwritten int
}

// CapAll caps several zone files all or nothing: every file is checked
// and its rewrite prepared (Prepare; loaded by zone.LoadEach, one file
// per core at a time, as check reads them) before any is written, so one invalid zone file, or
// one that cannot be read, and nothing is written; else, unless dry, each
// file is written (Write). What is kept until then is each file's
// changes, and, to be written, the rewrite of the files that change: a
// dry run, or a file already at the cap, holds no zone.
func CapAll(targets []Target, limit uint32, dry bool) Result {
	prepared := make([]*Prepared, len(targets))
	errs := make([]error, len(targets))
	zone.LoadEach(len(targets), func(i int) (string, zone.Options) {
		return targets[i].Path, zone.Options{Origin: targets[i].Origin, Named: targets[i].Named}
	}, func(i int, z *zone.Zone, err error) {
		if m := targets[i].Mismatch; err == nil && m != nil {
			// Checked in full only when the origin is wrong: prepareLoaded
			// checks the zone otherwise, once.
			if _, ok := m(z, nil); !ok {
				ps, _ := m(z, zone.Check(z))
				errs[i] = &InvalidError{File: targets[i].Path, Problems: ps}
				return
			}
		}
		p, err := prepareLoaded(targets[i].Path, limit, Options{Origin: targets[i].Origin}, z, err)
		if p != nil && (dry || len(p.Changes) == 0) {
			p.before, p.files = nil, nil // nothing of it is written
		}
		prepared[i], errs[i] = p, err
	})
	var res Result
	for i, err := range errs {
		var inv *InvalidError
		switch {
		case errors.As(err, &inv):
			res.Invalid++
			res.Problems = append(res.Problems, err)
		case err != nil:
			res.Failed++
			res.Problems = append(res.Problems, err)
		default:
			res.Changes = append(res.Changes, prepared[i].Changes...)
		}
	}
	if res.Invalid+res.Failed > 0 {
		res.Changes = nil // nothing is lowered, nothing is listed as lowered
		return res
	}
	if dry {
		return res
	}
	for _, p := range prepared {
		if err := p.Write(); err != nil {
			res.Unwritten++
			res.Problems = append(res.Problems, err)
		}
	}
	return res
}

// AbovePrestage warns when limit (ttl --cap) is above the
// policy.prestage_ttl of the config of the repository holding first (a
// zone file): the flip's ttl-prestaged gate refuses TTLs over it, which
// the user would otherwise learn after pushing and waiting out the old
// TTLs. "" when it is not, or when there is no config (ttl with PATHs
// needs none); a config that does not load is a warning that the cap was
// not compared (the flip would refuse to run on it anyway). The config is
// loaded by loads (nil: config.Load).
func AbovePrestage(loads *config.Loads, first string, limit uint32) string {
	path := config.Find(filepath.Dir(first))
	if path == "" {
		return ""
	}
	cfg, err := loads.Load(path)
	if err != nil {
		return fmt.Sprintf("warning: --cap %d was not compared with policy.prestage_ttl (the flip's ttl-prestaged gate refuses TTLs over it): %v", limit, err)
	}
	if p := cfg.Policy.Prestage(); limit > p {
		return fmt.Sprintf("warning: --cap %d is above policy.prestage_ttl %d (%s): the flip's ttl-prestaged gate refuses a TTL over %d s; cap at %d or less before the flip (a higher cap is only a step on the way down)", limit, p, path, p, p)
	}
	return ""
}

// ParseCap reads a cap (ttl --cap): seconds or BIND units, 1 to 2^31-1 (RFC 2181 §8).
func ParseCap(s string) (uint32, error) {
	if s == "" {
		return 0, errors.New("required (the highest TTL to allow, e.g. --cap 300)")
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		u, ok := zone.ParseTTL(s)
		if !ok {
			return 0, fmt.Errorf("%q is not a TTL", s)
		}
		v = uint64(u)
	}
	if v < 1 || v > 1<<31-1 {
		return 0, fmt.Errorf("%s is out of range (1 to 2147483647 seconds)", s)
	}
	return uint32(v), nil
}
