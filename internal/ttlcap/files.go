package ttlcap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Options for Cap.
type Options struct {
	// Origin for a file with no $ORIGIN (default: from the file name).
	Origin string
	// DryRun reports the changes without writing.
	DryRun bool
}

// InvalidError is returned for a zone file that does not load cleanly:
// nothing of it is rewritten.
type InvalidError struct {
	File     string
	Problems []zone.Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: invalid zone, not rewritten", e.File)
	for _, p := range e.Problems {
		if p.Severity == zone.Error {
			fmt.Fprintf(&b, "\n  %s", p)
		}
	}
	return b.String()
}

// file is one file of a zone (the top one or an $INCLUDEd one).
type file struct {
	path     string
	old, new []byte
	mode     os.FileMode
	changes  []Change // the TTLs new lowers (rewriteFile)
}

// Cap rewrites the zone file at path and the files it includes so that no
// TTL is above limit: Prepare, then Write unless opt.DryRun.
func Cap(path string, limit uint32, opt Options) ([]Change, error) {
	p, err := Prepare(path, limit, opt)
	if err != nil {
		return nil, err
	}
	if opt.DryRun {
		return p.Changes, nil
	}
	if err := p.Write(); err != nil {
		return nil, err
	}
	return p.Changes, nil
}

// Prepared is a checked zone file's rewrite, held in memory until Write.
type Prepared struct {
	// Changes are the TTLs the rewrite lowers, each with FILE:LINE.
	Changes []Change

	path   string
	limit  uint32
	opt    Options
	before *zone.Zone
	files  []*file
}

// Prepare loads and checks the zone at path as `check` does (syntax and
// semantics: a CNAME beside other data is as invalid as a syntax error;
// any error is an *InvalidError) and computes the rewrite of it and of the
// files it includes; nothing is written.
func Prepare(path string, limit uint32, opt Options) (*Prepared, error) {
	before, err := zone.Load(path, zone.Options{Origin: opt.Origin})
	return prepareLoaded(path, limit, opt, before, err)
}

// prepareLoaded is Prepare of the zone at path once loaded (before, or
// the error its load gave): several zones are loaded by zone.LoadEach.
func prepareLoaded(path string, limit uint32, opt Options, before *zone.Zone, err error) (*Prepared, error) {
	if errors.Is(err, zone.ErrNoOrigin) {
		return nil, &InvalidError{File: path, Problems: []zone.Problem{{Pos: zone.Pos{File: path}, Severity: zone.Error, Message: err.Error()}}}
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if ps := zone.Check(before); zone.HasErrors(ps) {
		return nil, &InvalidError{File: path, Problems: ps}
	}
	files, err := collect(path, limit)
	if err != nil {
		return nil, err
	}
	p := &Prepared{path: path, limit: limit, opt: opt, before: before, files: files}
	for _, f := range files {
		p.Changes = append(p.Changes, f.changes...) // rewritten by collect
	}
	return p, nil
}

// Write writes the rewrite, loads the zone again and puts the files back
// if anything but TTLs changed or a TTL is still above the cap.
func (p *Prepared) Write() error {
	if len(p.Changes) == 0 {
		return nil
	}
	written, err := writeAll(p.files)
	if err != nil {
		restore(written)
		return err
	}
	after, err := zone.Load(p.path, zone.Options{Origin: p.opt.Origin})
	if err == nil {
		err = same(p.before, after, p.limit)
	}
	if err != nil {
		if rerr := restore(written); rerr != nil {
			return fmt.Errorf("%s: %w; restoring the original failed: %v", p.path, err, rerr)
		}
		return fmt.Errorf("%s: the rewrite would change more than TTLs, original kept: %w", p.path, err)
	}
	return nil
}

// rewriteFile caps f.old into f.new.
func rewriteFile(f *file, limit uint32) ([]Change, []string, bool) {
	out, cs, inc := rewrite(f.old, limit)
	f.new = out
	for i := range cs {
		cs[i].File = f.path
	}
	f.changes = cs
	return cs, inc, len(cs) > 0
}

// collect reads the zone file and every file it includes (inside the
// repository, resolved as the loader does).
func collect(path string, limit uint32) ([]*file, error) {
	root := confine.Root(filepath.Dir(path))
	seen := map[string]bool{}
	var files []*file
	var visit func(p string, depth int) error
	visit = func(p string, depth int) error {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if seen[abs] {
			return nil
		}
		seen[abs] = true
		if depth > 8 {
			return fmt.Errorf("%s: $INCLUDE nested too deeply", p)
		}
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("read zone file: %w", err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read zone file: %w", err)
		}
		f := &file{path: p, old: b, mode: st.Mode().Perm()}
		files = append(files, f)
		_, incs, _ := rewriteFile(f, limit)
		for _, name := range incs {
			ip, err := resolveInclude(root, p, name)
			if err != nil {
				return err
			}
			if err := visit(ip, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return files, visit(path, 0)
}

// resolveInclude finds an $INCLUDEd file as the loader does
// (zone.ResolveInclude): never outside the repository.
func resolveInclude(root, from, name string) (string, error) {
	cf, err := zone.ResolveInclude(root, from, name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", from, err)
	}
	if !cf.Exists {
		return "", fmt.Errorf("%s: $INCLUDE %s: no such file or directory", from, name)
	}
	return cf.Path, nil
}

// writeAll writes every changed file (temporary file and rename); it returns
// the files written so far.
func writeAll(files []*file) ([]*file, error) {
	var written []*file
	for _, f := range files {
		if string(f.new) == string(f.old) {
			continue
		}
		if err := writeFile(f.path, f.new, f.mode); err != nil {
			return written, err
		}
		written = append(written, f)
	}
	return written, nil
}

func restore(files []*file) error {
	var errs []error
	for _, f := range files {
		if err := writeFile(f.path, f.old, f.mode); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// writeFile replaces path with b (confine.WriteFile: a temporary file
// renamed over it, never written through a symlink).
func writeFile(path string, b []byte, mode os.FileMode) error {
	return confine.WriteFile(filepath.Dir(path), path, b, mode)
}

// same checks that two loads of a zone hold the same RRsets with the same
// RDATA, and that no TTL of after is above limit.
func same(before, after *zone.Zone, limit uint32) error {
	if zone.HasErrors(after.Problems) {
		return &InvalidError{File: after.File, Problems: after.Problems}
	}
	if len(before.Sets) != len(after.Sets) {
		return fmt.Errorf("%d RRsets before, %d after", len(before.Sets), len(after.Sets))
	}
	for i, b := range before.Sets {
		a := after.Sets[i]
		if !sameData(b, a, limit) {
			return fmt.Errorf("%s: RDATA changed", b.Key())
		}
		for _, r := range a.Records {
			if r.TTL > limit || a.TTL > limit {
				return fmt.Errorf("%s: %s: TTL %d still above %d", r.Pos, a.Key(), max(r.TTL, a.TTL), limit)
			}
		}
	}
	return nil
}

// sameData compares RDATA; for the SOA every field but the minimum, which
// must be min(before, limit) after.
func sameData(b, a *zone.RRSet, limit uint32) bool {
	if b.Type != dns.TypeSOA {
		return b.SameData(a)
	}
	br, ar := b.RRs(), a.RRs()
	if b.Name != a.Name || len(br) != 1 || len(ar) != 1 {
		return false
	}
	bs, as := *br[0].(*dns.SOA), *ar[0].(*dns.SOA)
	if as.Minttl != min(bs.Minttl, limit) {
		return false
	}
	bs.Minttl, bs.Hdr, as.Hdr = as.Minttl, dns.RR_Header{}, dns.RR_Header{}
	return dns.IsDuplicate(&bs, &as)
}
