package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/zone"
	yaml "go.yaml.in/yaml/v3"
)

// expandZones replaces each `- files: GLOB` entry of zones by one entry
// per matching file (sorted by path), named by the file's $ORIGIN or
// absolute SOA owner, else by the file name without .zone or .db. An entry
// with a name (`- name: N, file: F`) overrides a file the glob names N.
// lines are the zones entries' lines in the file (0 when unknown).
func (c *Config) expandZones(lines []int) []error {
	var (
		errs     []error
		out      []Zone
		explicit = map[string]bool{}
		globbed  = map[string]string{} // zone name → the file a glob named it from
	)
	line := func(i int) int { return entryLine(lines, i) }
	for _, z := range c.Zones {
		if z.Files == "" && z.Name != "" {
			explicit[zone.CanonicalName(z.Name)] = true
		}
	}
	for i, z := range c.Zones {
		if z.Files == "" {
			if i < len(lines) {
				z.Line = lines[i]
			}
			out = append(out, z)
			continue
		}
		if z.Name != "" || z.File != "" {
			errs = append(errs, atLine(line(i), nil, "zones[%d]: files is an entry of its own (a glob); name and file go in an entry per zone, which overrides the glob's", i))
			continue
		}
		files, err := c.glob(z.Files)
		if err != nil {
			errs = append(errs, atLine(line(i), err, "zones[%d].files: %q: %v", i, z.Files, err))
			continue
		}
		if len(files) == 0 {
			errs = append(errs, atLine(line(i), nil, "zones[%d].files: %q matches no file (relative to %s)", i, z.Files, c.dirName()))
			continue
		}
		names, err := namesOf(c.Root, c.Dir, files)
		if err != nil {
			errs = append(errs, atLine(line(i), err, "zones[%d].files: %q: %v", i, z.Files, err))
			continue
		}
		for k, f := range files {
			n := names[k]
			if explicit[n] {
				continue // the entry by name wins
			}
			if prev, dup := globbed[n]; dup {
				if prev != f {
					errs = append(errs, atLine(line(i), nil, "zones[%d]: files %q: %s and %s are both zone %s (add an entry `- name: %s` with the file to use)", i, z.Files, prev, f, n, n))
				}
				continue
			}
			globbed[n] = f
			out = append(out, Zone{Name: n, File: f, Pattern: z.Files})
		}
	}
	c.SetZones(out)
	return errs
}

func (c *Config) dirName() string {
	if c.Dir == "" {
		return "the current directory"
	}
	return c.Dir
}

// glob returns the files a pattern names, relative to the config's
// directory (as `file:` is) and sorted: path.Match per path segment,
// with `**` for any number of directories. Hidden directories are not
// entered.
func (c *Config) glob(pattern string) ([]string, error) {
	if pattern == "" || strings.HasPrefix(pattern, "/") || filepath.IsAbs(pattern) {
		return nil, errors.New("a glob relative to the config's directory is needed")
	}
	pattern = path.Clean(filepath.ToSlash(pattern))
	segs := strings.Split(pattern, "/")
	for _, s := range segs {
		if s == ".." {
			return nil, errors.New("a glob may not leave the config's directory (..)")
		}
		if _, err := path.Match(s, ""); err != nil {
			return nil, fmt.Errorf("bad pattern: %w", err)
		}
	}
	// The literal directories before the first pattern segment.
	base := 0
	for base < len(segs)-1 && !hasMeta(segs[base]) {
		base++
	}
	dir := c.Dir
	if dir == "" {
		dir = "."
	}
	start := filepath.Join(append([]string{dir}, segs[:base]...)...)
	rest := segs[base:]
	var out []string
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(start, p)
		if rel == "." {
			if !d.IsDir() {
				return filepath.SkipAll
			}
			return nil
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && !strings.HasPrefix(rest[min(len(parts)-1, len(rest)-1)], ".") {
				return filepath.SkipDir
			}
			if !matchPrefix(rest, parts) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if matchSegs(rest, parts) {
			r, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(r))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// matchSegs reports whether the path segments match the pattern's.
func matchSegs(pat, parts []string) bool {
	if len(pat) == 0 {
		return len(parts) == 0
	}
	if pat[0] == "**" {
		for k := 0; k <= len(parts); k++ {
			if matchSegs(pat[1:], parts[k:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], parts[0])
	return ok && matchSegs(pat[1:], parts[1:])
}

// matchPrefix reports whether a directory's segments can still lead to a
// match.
func matchPrefix(pat, parts []string) bool {
	if len(parts) == 0 {
		return true
	}
	if len(pat) == 0 {
		return false
	}
	if pat[0] == "**" {
		return true
	}
	if len(pat) == 1 { // the last segment names files
		return false
	}
	ok, _ := path.Match(pat[0], parts[0])
	return ok && matchPrefix(pat[1:], parts[1:])
}

// namesOf names each file's zone (PeekOrigin, else the file name), a few
// files at a time; a file outside the repository at root is an error, not
// read.
func namesOf(root, dir string, files []string) ([]string, error) {
	names := make([]string, len(files))
	errs := make([]error, len(files))
	// The repository and each folder are resolved once (confine.Tree), not
	// per file: the root given, else the git work tree holding each file.
	var trees confine.Trees
	tree := func(p string) *confine.Tree { return trees.Of(p) }
	if root != "" {
		t := confine.NewTree(root)
		tree = func(string) *confine.Tree { return t }
	}
	// Files to open: a few more at once than cores.
	fanout.Each(len(files), 2*runtime.GOMAXPROCS(0)+2, func(_, k int) {
		names[k], errs[k] = zoneName(tree, dir, files[k])
	})
	return names, errors.Join(errs...)
}

// zoneName names the zone in dir/file: its $ORIGIN or absolute SOA owner,
// else the file name without .zone or .db; tree checks the file.
func zoneName(tree func(path string) *confine.Tree, dir, file string) (string, error) {
	p := file
	if dir != "" && !filepath.IsAbs(file) {
		p = filepath.Join(dir, file)
	}
	o, _, err := zone.PeekOriginIn(p, tree(p))
	if err != nil {
		return "", err
	}
	if o != "" {
		return o, nil
	}
	b := filepath.Base(file)
	for _, suf := range []string{".zone", ".db"} {
		if len(b) > len(suf) && strings.EqualFold(b[len(b)-len(suf):], suf) {
			b = b[:len(b)-len(suf)]
			break
		}
	}
	if _, ok := dns.IsDomainName(b); !ok || b == "" || b == "." {
		return "", fmt.Errorf("%s: no $ORIGIN or absolute SOA owner, and the file name %q is not a domain name", file, filepath.Base(file))
	}
	return zone.CanonicalName(b), nil
}

// entryLine is the line of zones entry i (lines: zoneLines), 0 when
// unknown.
func entryLine(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// zoneLines returns the line of each entry of zones in the file's YAML
// tree (nil: none known).
func zoneLines(root *yaml.Node) []int {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "zones" && m.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, n := range m.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}
