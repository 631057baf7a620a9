package check

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// unnamedFiles warns about each zone file (*.zone, *.db) in a folder that
// holds a zone file of cfg (every zone of the config, not a shard's) that
// no zones entry names and none of the zones $INCLUDEs (included: the
// Zone.Includes of the zones loaded): plan, push and parity never see it,
// and whoever added it without a zones entry takes it for managed. Line 1
// of the file: the warning is about the whole file.
func unnamedFiles(cfg *config.Config, included []string) []zone.Problem {
	known := map[string]bool{}
	mark := func(p string) {
		if abs, err := filepath.Abs(p); err == nil {
			known[abs] = true
		}
	}
	folders := map[string]bool{}
	for _, z := range cfg.Zones {
		f := cfg.ZoneFile(z)
		mark(f)
		folders[filepath.Dir(f)] = true
	}
	for _, p := range included {
		mark(p)
	}
	var ps []zone.Problem
	for dir := range folders {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue // a folder that cannot be listed: its zones' own errors say why
		}
		for _, e := range entries {
			n := strings.ToLower(e.Name())
			if !e.Type().IsRegular() || !strings.HasSuffix(n, ".zone") && !strings.HasSuffix(n, ".db") {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if abs, err := filepath.Abs(p); err != nil || known[abs] {
				continue
			}
			ps = append(ps, zone.Problem{Pos: zone.Pos{File: p, Line: 1}, Severity: zone.Warning,
				Message: "no zones entry of " + redact.Name(cfg.Path) + " names this zone file, and no zone $INCLUDEs it: plan, push and parity never see it; add it under zones: (or remove it)"})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Pos.File < ps[j].Pos.File })
	return ps
}
