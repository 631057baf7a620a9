package shard

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/openwatch"
)

// TestSelectRefusesArgumentsFirst: with --shard, a --zone named twice or
// not in the config is refused from the arguments alone, before the
// split weighs every zone file of the config (Weights reads each, and
// its $INCLUDEs: thousands of files for a large config). A --zone of
// another shard needs the split, which the control row shows opens the
// files. On the code before, Select split first: every row opened all
// eight files.
func TestSelectRefusesArgumentsFirst(t *testing.T) {
	cfg := writeCfg(t, []int{100, 1, 1, 1, 50, 50, 1, 1})
	a := cfg.Zones[0].Name
	spec := &Spec{I: 2, N: 3}
	opened := openwatch.Watch(t, filepath.Join(filepath.Dir(cfg.Path), "zones"))
	for _, tt := range []struct {
		name  string
		names []string
		err   string
	}{
		{"named twice", []string{a, strings.ToUpper(a)}, "is given twice"},
		{"not in the config", []string{"exmaple.test."}, "exmaple.test."},
		{"one known, then one twice", []string{cfg.Zones[1].Name, a, a}, "is given twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Select(cfg, spec, tt.names)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Select(%q) error %v, want one naming %q", tt.names, err, tt.err)
			}
			if files := opened(); len(files) > 0 {
				t.Errorf("Select(%q) opened %v before refusing the arguments, want none", tt.names, files)
			}
		})
	}
	// The control: a run of the shard weighs every zone file, so the
	// watch sees them (the rows above would pass on a dead watch).
	if _, err := Select(cfg, spec, nil); err != nil {
		t.Fatal(err)
	}
	if files := opened(); len(files) != len(cfg.Zones) {
		t.Errorf("the shard's split opened %v, want each of the %d zone files", files, len(cfg.Zones))
	}
}
