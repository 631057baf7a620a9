package action

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// scaleConfigs are configs of 10,000 and 50,000 zones (scaleConfig),
// made at first need for every workflow one TestWorkflowsMany run holds
// to them, and the matrices made of them.
type scaleConfigs struct {
	cfgs     map[int]*config.Config
	huge     string
	matrices map[[2]int]shard.Matrix // by zones and shards
}

// scaleConfig gives a config of n zones (10,000 or 50,000) of 60-byte
// names, one of them huge (zone.Weigher counts its $GENERATEs: 4 of
// 60,000 records each, several times an average shard's weight),
// and the huge zone's name. t is the test that holds sc: the files are
// removed when it ends.
func (sc *scaleConfigs) scaleConfig(t *testing.T, n int) (*config.Config, string) {
	t.Helper()
	if sc.cfgs == nil {
		dir := t.TempDir()
		if err := writeScaleZones(dir, 50000); err != nil {
			t.Fatal(err)
		}
		all, err := config.Load(filepath.Join(dir, "dnsparity.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		sc.huge = scaleZone(0)
		ten := *all
		ten.SetZones(all.Zones[:10000])
		sc.cfgs = map[int]*config.Config{10000: &ten, 50000: all}
		sc.matrices = map[[2]int]shard.Matrix{}
	}
	return sc.cfgs[n], sc.huge
}

// scaleZone is the name of zone i of scaleConfig (60 characters with
// its dot).
func scaleZone(i int) string {
	return fmt.Sprintf("customer-%05d.zones.example-dns-hosting-company-name.com.", i)
}

func writeScaleZones(dir string, n int) error {
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		return err
	}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ SOA ns1 hm 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n", scaleZone(i))
		if i == 0 {
			for k := range 4 {
				fmt.Fprintf(&b, "$GENERATE %d-%d h$ A 192.0.2.1\n", k*60000, k*60000+59999)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "zones", strings.TrimSuffix(scaleZone(i), ".")+".zone"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones:\n  - files: zones/*.zone\n"), 0o644)
}

// checkMatrixAtScale holds a many-zone workflow's matrix (its matrix
// job's --shards N, matrixJob and shardJob its jobs) to GitHub's limits
// at 10,000 and 50,000 zones: at most 256 jobs (and at most N), the
// output matrix within a job's outputs (1 MB in UTF-16; the zones left
// out when they do not fit, so no job may read matrix.zones), one
// artifact per shard that the merge's download pattern takes and
// upload-artifact accepts, every zone in exactly one shard, and the huge
// zone alone in its shard (zone.Weigher: its weight, not its file's size,
// is what the split balances).
func checkMatrixAtScale(t *testing.T, sc *scaleConfigs, name string, shards int, w workflow, matrixJob, shardJob string) {
	t.Helper()
	for jn, j := range w.Jobs {
		b, _ := json.Marshal(j)
		if strings.Contains(string(b), "matrix.zones") {
			t.Errorf("%s.yml: job %s reads matrix.zones: the output matrix leaves the zones out when they pass GitHub's 1 MB of a job's outputs (each shard job computes its own with --shard)", name, jn)
		}
	}
	if outs := w.Jobs[matrixJob].Outputs; len(outs) != 1 {
		t.Errorf("%s.yml: job %s maps outputs %v: want the matrix alone (matrixOutputMax leaves 64 KiB of the job's 1 MB for others)", name, matrixJob, outs)
	}
	if p, _ := w.Jobs[shardJob].Strategy["max-parallel"].(int); p > shards {
		t.Errorf("%s.yml: max-parallel %d over the %d shards", name, p, shards)
	}
	for _, n := range []int{10000, 50000} {
		cfg, huge := sc.scaleConfig(t, n)
		m, ok := sc.matrices[[2]int{n, shards}]
		if !ok {
			m = shard.NewMatrix(cfg, shards)
			sc.matrices[[2]int{n, shards}] = m
		}
		js, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := matrixOutput(string(js), m)
		// GitHub's limit on the job's outputs, less the room the other
		// outputs of the Action's step take (result, exit-code, counts,
		// the report's path: a few hundred bytes).
		if size := github.OutputSize(out); size > github.MaxJobOutputs-4<<10 {
			t.Errorf("%s.yml at %d zones: the output matrix is %d bytes in UTF-16, over GitHub's %d for a job's outputs: the matrix job fails and no shard runs", name, n, size, github.MaxJobOutputs)
		}
		var got struct {
			Include []map[string]any `json:"include"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s.yml at %d zones: output matrix: %v", name, n, err)
		}
		if len(got.Include) == 0 || len(got.Include) > min(shards, shard.Max) || len(got.Include) != len(m.Include) {
			t.Errorf("%s.yml at %d zones: %d jobs in the output matrix (%d in the split), want 1 to %d", name, n, len(got.Include), len(m.Include), min(shards, shard.Max))
		}
		seen, artifacts := map[string]int{}, map[string]bool{}
		for i, e := range m.Include {
			spec := shard.Spec{I: i + 1, N: len(m.Include)}
			art, _ := got.Include[i]["artifact"].(string)
			if e.Shard != spec.String() || got.Include[i]["shard"] != spec.String() || art != shard.ArtifactName(spec) || artifacts[art] {
				t.Errorf("%s.yml at %d zones: entry %d: shard %v, artifact %q: want %s, %s, once", name, n, i, got.Include[i]["shard"], art, spec, shard.ArtifactName(spec))
			}
			artifacts[art] = true
			// upload-artifact refuses " : < > | * ? \r \n \ / in a name.
			if ok, _ := filepath.Match(shard.ArtifactPrefix+"*", art); !ok || strings.ContainsAny(art, "\":<>|*?\r\n\\/") {
				t.Errorf("%s.yml at %d zones: artifact %q: not one upload-artifact takes and the merge downloads (%s*)", name, n, art, shard.ArtifactPrefix)
			}
			for _, z := range e.Zones {
				seen[z]++
			}
			if len(e.Zones) > 1 && slices.Contains(e.Zones, huge) {
				t.Errorf("%s.yml at %d zones: shard %s holds the huge zone and %d others: the split did not weigh its $GENERATEs", name, n, e.Shard, len(e.Zones)-1)
			}
		}
		if len(seen) != n {
			t.Errorf("%s.yml at %d zones: the shards hold %d zones", name, n, len(seen))
		}
		for z, k := range seen {
			if k != 1 {
				t.Errorf("%s.yml at %d zones: zone %s in %d shards", name, n, z, k)
			}
		}
		t.Logf("%s.yml at %d zones: %d shards, output matrix %s bytes in UTF-16 (with the zones %s)", name, n, len(m.Include), strconv.Itoa(github.OutputSize(out)), strconv.Itoa(github.OutputSize(string(js))))
	}
}
