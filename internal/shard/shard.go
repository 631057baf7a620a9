// Package shard splits a repository's zones into balanced shards for a
// GitHub Actions matrix (each job runs one shard: `--shard I/N`) and merges
// the shards' JSON reports back into one. The split is by RRset count and
// deterministic: the matrix job and every shard job compute the same one
// from the same config and zone files.
package shard

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Max is the most shards: GitHub runs at most 256 jobs per matrix.
const Max = 256

// Spec names one shard: I of N, from 1.
type Spec struct{ I, N int }

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Parse reads "I/N" (1 ≤ I ≤ N ≤ 256).
func Parse(s string) (Spec, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return Spec{}, fmt.Errorf("shard %q: want I/N, e.g. 3/16", s)
	}
	if n < 1 || n > Max || i < 1 || i > n {
		return Spec{}, fmt.Errorf("shard %q: want 1 <= I <= N <= %d", s, Max)
	}
	return Spec{I: i, N: n}, nil
}

// Assign splits items of the given weights into n shards of about equal
// total weight: the heaviest item first, each to the lightest shard so
// far (ties: the lower shard; equal weights: the earlier item). Each
// shard's items are in their original order; a shard may be empty when
// there are fewer items than shards.
func Assign(weights []int64, n int) [][]int {
	n = max(n, 1)
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return weights[order[a]] > weights[order[b]] })
	load := make([]int64, n)
	out := make([][]int, n)
	for _, i := range order {
		best := 0
		for s := 1; s < n; s++ {
			if load[s] < load[best] {
				best = s
			}
		}
		load[best] += max(weights[i], 1)
		out[best] = append(out[best], i)
	}
	for s := range out {
		sort.Ints(out[s])
	}
	return out
}

// Sizes are the RRset counts of the config's zones (a zone file that
// cannot be read counts 1: its shard reports why), read a few at a time.
func Sizes(cfg *config.Config) []int64 {
	sizes := make([]int64, len(cfg.Zones))
	zone.LoadEach(len(cfg.Zones), func(i int) (string, zone.Options) {
		return cfg.ZoneFile(cfg.Zones[i]), zone.Options{Origin: cfg.Zones[i].Name, MaxProblems: 1}
	}, func(i int, z *zone.Zone, err error) {
		sizes[i] = 1
		if err == nil {
			sizes[i] = int64(max(len(z.Sets), 1))
		}
	})
	return sizes
}

// Shard is one shard of a split: its name and its zones.
type Shard struct {
	Spec   Spec
	Zones  []config.Zone
	RRsets int64
}

// Split splits the config's zones into n shards by RRset count.
func Split(cfg *config.Config, n int) []Shard {
	sizes := Sizes(cfg)
	parts := Assign(sizes, n)
	out := make([]Shard, len(parts))
	for s, idx := range parts {
		out[s].Spec = Spec{I: s + 1, N: len(parts)}
		for _, i := range idx {
			out[s].Zones = append(out[s].Zones, cfg.Zones[i])
			out[s].RRsets += sizes[i]
		}
	}
	return out
}

// Select is the zones a run takes: those names (each a zone of cfg; none:
// every zone), limited to shard spec when there is one. The shard is
// always shard spec.I of the split of all the config's zones, the split
// dnsparity matrix prints; names narrow the run within it, and a name
// that is not the shard's is an error (split after the names, the run
// would take other zones than the matrix gave the shard: none, or another
// shard's).
func Select(cfg *config.Config, spec *Spec, names []string) ([]config.Zone, error) {
	zs := cfg.Zones
	if spec != nil && spec.N > 1 {
		// One shard holds every zone, in the config's order (Assign):
		// its split needs no zone's size, so --shard 1/1 reads none.
		zs = Split(cfg, spec.N)[spec.I-1].Zones
	}
	if len(names) == 0 {
		return zs, nil
	}
	var inShard map[string]bool // the shard's zones, by name
	if spec != nil {
		inShard = make(map[string]bool, len(zs))
		for _, z := range zs {
			inShard[z.Name] = true
		}
	}
	var out []config.Zone
	for _, want := range names {
		z, err := cfg.Zone(want)
		if err != nil {
			return nil, err
		}
		if spec != nil && !inShard[z.Name] {
			return nil, fmt.Errorf("--zone %s: zone %s is not in shard %s of the config's zones (dnsparity matrix): run it with its own shard, or without --shard", want, z.Name, spec)
		}
		out = append(out, z)
	}
	return out, nil
}

// Matrix is the JSON `dnsparity matrix` prints for strategy.matrix:
// {"include": [{"shard": "I/N", "zones": [...], "rrsets": R, "artifact":
// "dnsparity-shard-I-of-N"}]}.
type Matrix struct {
	Include []Entry `json:"include"`
}

// Entry is one job of the matrix.
type Entry struct {
	Shard  string   `json:"shard"`
	Zones  []string `json:"zones"`
	RRsets int64    `json:"rrsets"`
	// Artifact names the job's report artifact (ArtifactName): the merge
	// reads which shard of which matrix an artifact stands for from it.
	Artifact string `json:"artifact"`
}

// NewMatrix splits the config's zones into at most n shards (at most 256,
// and never more than there are zones: no job without work).
func NewMatrix(cfg *config.Config, n int) Matrix {
	n = max(1, min(n, Max, len(cfg.Zones)))
	m := Matrix{Include: []Entry{}}
	for _, s := range Split(cfg, n) {
		e := Entry{Shard: s.Spec.String(), Zones: []string{}, RRsets: s.RRsets, Artifact: ArtifactName(s.Spec)}
		for _, z := range s.Zones {
			e.Zones = append(e.Zones, z.Name)
		}
		m.Include = append(m.Include, e)
	}
	return m
}

// ZonesOf names the zones of a shard of the config's split (for a missing
// shard's report); the split is made once, at the first call.
func ZonesOf(cfg *config.Config) func(Spec) []string {
	var split []Shard
	return func(s Spec) []string {
		if split == nil || len(split) != s.N {
			split = Split(cfg, s.N)
		}
		var out []string
		for _, z := range split[s.I-1].Zones {
			out = append(out, z.Name)
		}
		return out
	}
}
