// Package shard splits a repository's zones into balanced shards for a
// GitHub Actions matrix (each job runs one shard: `--shard I/N`) and merges
// the shards' JSON reports back into one. The split is by what loading
// each zone reads (Weights: its file and $INCLUDEs, scanned, not parsed), deterministic (the matrix job and every shard job compute the same one
// from the same config and zone files) and stable (a push between them
// moves few zones: Assign).
package shard

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
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

// Slack is how far above the average shard a shard may fill, in percent:
// 105, a shard takes at most 1.05 times the average shard's weight (the
// cap) while a zone fits in one below it.
const Slack = 105

// Assign splits named items (zones) of the given weights into n shards of
// about equal total weight, and stably: each item has its own order of
// preference over the shards, from a hash of its name (rendezvous
// hashing), and goes to the first shard of it that it fits in below the
// cap (Slack); the heaviest items are placed first (equal weights: by
// name), so the large ones find room. An item that fits in no shard goes
// to the lightest (ties: the one it prefers). A push between two splits
// (a zone grown, added or removed) so moves few items between shards:
// each stays in the shard it prefers while that has room, whatever the
// others weigh, where a split by load alone reshuffles nearly all of them
// (TestAssignStable). Each shard's items are in their original order; a
// shard is empty only when there are fewer items than shards (the last
// items placed take the empty shards when they must: every shard job has
// work).
func Assign(names []string, weights []int64, n int) [][]int {
	n = max(n, 1)
	weight := func(i int) int64 { return max(weights[i], 1) }
	var total int64
	keys := make([]uint64, len(weights))
	order := make([]int, len(weights))
	for i := range weights {
		total += weight(i)
		sum := sha256.Sum256([]byte(names[i]))
		keys[i] = binary.BigEndian.Uint64(sum[:8])
		order[i] = i
	}
	limit := capOf(total, n)
	sort.Slice(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if weight(i) != weight(j) {
			return weight(i) > weight(j)
		}
		return names[i] < names[j]
	})
	load := make([]int64, n)
	out := make([][]int, n)
	empty := n // shards with no item yet
	for k, i := range order {
		w := weight(i)
		// As many items left as empty shards: each takes an empty one
		// (every shard has work when there are as many items as shards).
		onlyEmpty := len(order)-k <= empty
		best, lightest := -1, -1
		var bestScore, lightestScore uint64
		for s := range n {
			score := prefer(keys[i], s)
			if onlyEmpty && len(out[s]) > 0 {
				continue
			}
			if load[s]+w <= limit && (best < 0 || score > bestScore) {
				best, bestScore = s, score
			}
			if lightest < 0 || load[s] < load[lightest] || load[s] == load[lightest] && score > lightestScore {
				lightest, lightestScore = s, score
			}
		}
		if best < 0 {
			best = lightest
		}
		if len(out[best]) == 0 {
			empty--
		}
		load[best] += w
		out[best] = append(out[best], i)
	}
	for s := range out {
		sort.Ints(out[s])
	}
	return out
}

// capOf is the most weight a shard takes while a zone fits below it:
// Slack percent of the average shard, rounded up to a step (a power of
// two, at most 1/128 of it). The step keeps the cap where it was when a
// zone is added or removed (most of the time): a cap moved by a few records
// moves zones out of every shard filled to it.
func capOf(total int64, n int) int64 {
	limit := (total*Slack + int64(n)*100 - 1) / (int64(n) * 100)
	step := int64(1)
	for step*2 <= limit/128 {
		step *= 2
	}
	return (limit + step - 1) / step * step
}

// prefer is how much an item of the given key prefers shard s (the higher,
// the more): the key and the shard mixed (SplitMix64's finalizer), so
// each item ranks the shards in an order of its own.
func prefer(key uint64, s int) uint64 {
	z := key + uint64(s+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// loadSizes are the RRset counts of the config's zones (a zone file that
// cannot be read counts 1: its shard reports why), read a few at a time:
// what `dnsparity matrix` prints of each shard ("rrsets"; the split itself
// is by Weights, which reads no file); and, for each zone whose file could
// not be loaded, why (nil for the others).
func loadSizes(cfg *config.Config) ([]int64, []error) {
	sizes := make([]int64, len(cfg.Zones))
	errs := make([]error, len(cfg.Zones))
	cfg.LoadEach(func(i int, z *zone.Zone, err error) {
		sizes[i], errs[i] = 1, err
		if err == nil {
			sizes[i] = int64(max(len(z.Sets), 1))
		}
	})
	return sizes, errs
}

// Weights are what the split balances: what loading each zone reads, in
// bytes (zone.Weigher: the zone file and every file its $INCLUDEs read,
// confined as the loader confines them, a line end one byte whether the
// checkout wrote LF or CRLF); a zone file that cannot be read weighs 1
// (its shard reports why). No record is parsed: every --shard I/N run
// splits the config's zones before its own work, and the RRset counts
// (loadSizes) parsed every zone of every shard, in every shard job, before
// the job read its own zones again; a zone's bytes are scanned once, and
// only a file with an $INCLUDE line is read as the loader reads lines.
// The weight follows the records closely (a record is a line), is the
// same in every job of one commit, whatever the runner's line endings (a
// split that differed would give a zone to two shards, or to none), and
// moves as little as a record count when a push edits a zone, so the
// split stays as stable (Assign; TestAssignStable). A zone that is a
// few lines including a large file weighs that file.
func Weights(cfg *config.Config) []int64 {
	ws := make([]int64, len(cfg.Zones))
	var trees confine.Trees
	var w zone.Weigher
	for i, z := range cfg.Zones {
		path := cfg.ZoneFile(z)
		n, err := w.Weight(path, trees.Of(path))
		ws[i] = 1
		if err == nil {
			ws[i] = max(n, 1)
		}
	}
	return ws
}

// Shard is one shard of a split: its name and its zones.
type Shard struct {
	Spec  Spec
	Zones []config.Zone
}

// Split splits the config's zones into n shards by weight (Weights):
// no zone is parsed.
func Split(cfg *config.Config, n int) []Shard {
	names := make([]string, len(cfg.Zones))
	for i, z := range cfg.Zones {
		names[i] = z.Name
	}
	parts := Assign(names, Weights(cfg), n)
	out := make([]Shard, len(parts))
	for s, idx := range parts {
		out[s].Spec = Spec{I: s + 1, N: len(parts)}
		for _, i := range idx {
			out[s].Zones = append(out[s].Zones, cfg.Zones[i])
		}
	}
	return out
}

// Select is the zones a run takes: those names (each a zone of cfg, named
// once: config.ZoneNamedTwice; none: every zone), limited to shard spec
// when there is one. The shard is
// always shard spec.I of the split of all the config's zones, the split
// dnsparity matrix prints; names narrow the run within it, and a name
// that is not the shard's is an error (split after the names, the run
// would take other zones than the matrix gave the shard: none, or another
// shard's). A name given twice or not in the config is refused from the
// names alone, before the split weighs every zone file of the config.
func Select(cfg *config.Config, spec *Spec, names []string) ([]config.Zone, error) {
	if err := config.ZoneNamedTwice(names); err != nil {
		return nil, fmt.Errorf("--zone: %w", err)
	}
	var out []config.Zone
	for _, want := range names {
		z, err := cfg.Zone(want)
		if err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	if spec == nil || spec.N == 1 {
		// One shard holds every zone, in the config's order (Assign):
		// its split needs no zone's size, so --shard 1/1 reads none.
		if len(names) == 0 {
			return cfg.Zones, nil
		}
		return out, nil
	}
	zs := Split(cfg, spec.N)[spec.I-1].Zones
	if len(names) == 0 {
		return zs, nil
	}
	inShard := make(map[string]bool, len(zs)) // the shard's zones, by name
	for _, z := range zs {
		inShard[z.Name] = true
	}
	for i, z := range out {
		if !inShard[z.Name] {
			return nil, fmt.Errorf("--zone %s: zone %s is not in shard %s of the config's zones (dnsparity matrix): run it with its own shard, or without --shard", names[i], z.Name, spec)
		}
	}
	return out, nil
}

// Matrix is the JSON `dnsparity matrix` prints for strategy.matrix:
// {"include": [{"shard": "I/N", "zones": [...], "rrsets": R, "artifact":
// "dnsparity-shard-I-of-N"}]}.
type Matrix struct {
	Include []Entry `json:"include"`
	// Unreadable are the zones whose file could not be loaded (missing,
	// outside the repository, ...): the split still gives each a shard,
	// whose job fails on it; the matrix's one job that reads every zone
	// says so (not in the JSON, which strategy.matrix takes).
	Unreadable []Unreadable `json:"-"`
}

// Unreadable is a zone of the matrix whose file could not be loaded.
type Unreadable struct {
	Zone, Shard string
	Err         error
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
	// The RRsets each shard holds, for the matrix's readers: the one job
	// that reads every zone.
	sizes := map[string]int64{}
	unread := map[string]error{}
	counts, errs := loadSizes(cfg)
	for i, s := range counts {
		sizes[cfg.Zones[i].Name] = s
		if errs[i] != nil {
			unread[cfg.Zones[i].Name] = errs[i]
		}
	}
	for _, s := range Split(cfg, n) {
		e := Entry{Shard: s.Spec.String(), Zones: []string{}, Artifact: ArtifactName(s.Spec)}
		for _, z := range s.Zones {
			e.Zones = append(e.Zones, z.Name)
			e.RRsets += sizes[z.Name]
			if err := unread[z.Name]; err != nil {
				m.Unreadable = append(m.Unreadable, Unreadable{Zone: z.Name, Shard: e.Shard, Err: err})
			}
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
