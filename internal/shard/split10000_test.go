package shard

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// write10000 writes 10,000 zone files of 4 to 63 RRsets (their sizes
// vary, so the split has something to balance), half named by $ORIGIN and
// half by their file name, and a config with one glob; it returns the
// config's path.
func write10000(t testing.TB) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 10000 {
		name := fmt.Sprintf("z%05d.example", i)
		var b strings.Builder
		if i%2 == 0 {
			fmt.Fprintf(&b, "$ORIGIN %s.\n", name)
		}
		b.WriteString("$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
		for k := range (i*7919)%60 + 1 {
			fmt.Fprintf(&b, "h%d A 192.0.2.%d\nh%d TXT \"v=spf1 -all\"\n", k, k%250, k)
		}
		if err := os.WriteFile(filepath.Join(dir, "zones", name+".zone"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(p, []byte("zones:\n  - files: zones/*.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSplit10000: the split of 10,000 zones is the one their files'
// sizes give (Weights: each file's size, as none has a CR or an $INCLUDE), the
// same on every run (each shard job and the merge compute it again), and
// it parses no zone file (it scans their bytes): every --shard run splits before its own work, and
// the split by RRset count parsed every zone of every shard in every job
// (then the job's own again). Allocations count what the split does per
// zone (a check, an open, the hash; a parsed zone of 4 to 63 RRsets is hundreds).
func TestSplit10000(t *testing.T) {
	cfg, err := config.Load(write10000(t))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, len(cfg.Zones))
	names := make([]string, len(cfg.Zones))
	for i, z := range cfg.Zones {
		names[i] = z.Name
		st, err := os.Stat(cfg.ZoneFile(z))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = st.Size()
	}
	if got := Weights(cfg); !reflect.DeepEqual(got, want) {
		t.Fatalf("Weights differ from the files' sizes")
	}
	split := Split(cfg, 16)
	for s, idx := range Assign(names, want, 16) {
		var names []string
		for _, i := range idx {
			names = append(names, cfg.Zones[i].Name)
		}
		var got []string
		for _, z := range split[s].Zones {
			got = append(got, z.Name)
		}
		if !reflect.DeepEqual(got, names) {
			t.Errorf("shard %d: %d zones, want %d (or others)", s+1, len(got), len(names))
		}
	}
	if again := Split(cfg, 16); !reflect.DeepEqual(again, split) {
		t.Error("a second split differs from the first")
	}
	perZone := testing.AllocsPerRun(1, func() { Split(cfg, 16) }) / float64(len(cfg.Zones))
	if perZone > 20 {
		t.Errorf("the split allocates %.0f times per zone: it parses the zone files", perZone)
	}
}

// BenchmarkSplit10000 is what every shard job of a matrix of 16 repeats
// before its work: the config of 10,000 zones loaded and split.
func BenchmarkSplit10000(b *testing.B) {
	path := write10000(b)
	for b.Loop() {
		cfg, err := config.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		if s := Split(cfg, 16); len(s) != 16 {
			b.Fatalf("%d shards", len(s))
		}
	}
}

// BenchmarkSizes10000 is the split's part of it: the RRset count of each
// of the 10,000 zones.
func BenchmarkSizes10000(b *testing.B) {
	cfg, err := config.Load(write10000(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if s, _ := loadSizes(cfg); len(s) != 10000 {
			b.Fatalf("%d sizes", len(s))
		}
	}
}
