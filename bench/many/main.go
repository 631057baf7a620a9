// Command many measures dnsparity on many zones, from one run: for N zones
// of 30 RRsets (1,000 and 10,000) served by Knot (old) and BIND (new),
// `parity` and `check` over all of them against one zone holding the same
// RRsets (the per-zone overhead), the peak RSS of each, what --shard pays
// for the split (split), what a pull
// request changing one zone runs of it in the config of every zone
// against a config of that zone alone (pr), a 16-shard
// sweep (matrix, 16 parity processes at once, merge) against one process,
// (cutover.go) status and flip --dry-run of many zones in one run, and
// (cloud.go) 10,000 zones planned against the cloud providers' fakes
// with their rate windows enforced and the account limiters on.
// Run it through run.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// perZone is the RRsets of each small zone (the measurement).
const perZone = 30

func main() {
	sizes := flag.String("zones", "1000,10000", "zone counts")
	only := flag.String("only", "parity,check,ttl,plan,split,pr,shards,cloud", "phases to run")
	shards := flag.Int("shards", 16, "shards of the simulated sweep")
	shardAt := flag.Int("shard-zones", 1000, "the zone count the sweep runs at")
	cloudZones := flag.Int("cloud-zones", 10000, "the zones the cloud phase plans")
	cloudSpeed := flag.String("cloud-speed", defaultSpeeds, "how many times faster each vendor's rate window and its limiter run in the cloud phase")
	cutoverZones := flag.Int("cutover-zones", 200, "the zones the cutover phase runs status and flip --dry-run of")
	cutoverRRsets := flag.Int("cutover-rrsets", perZone, "the RRsets of each zone of the cutover phase")
	cutoverSteps := flag.String("cutover-steps", "status,status --wave 8,flip --dry-run,flip --dry-run --wave 8,action", "the cutover phase's runs, each the command's arguments (action: the Action's status)")
	cutoverDelay := flag.Duration("cutover-delay", 10*time.Millisecond, "what the relays in front of the cutover phase's servers add to each message, each way")
	before := flag.String("before", "", "another build of dnsparity (another commit's) the cutover phase's action step runs too, for ratios")
	repeat := flag.Int("repeat", 3, "runs of each parity and check command, one after the other in turn (the median is kept)")
	growthZones := flag.Int("growth-zones", 250, "N of the growth phase, which runs every command at N and 4N zones")
	mergeReports := flag.String("merge-reports", "", "only write the shard reports of a pr-many.yml run of -shards shards of -shard-zones zones into this folder, for the Action's merge (merge-rss.sh)")
	bin := benchrun.ParseFlags()
	if *mergeReports != "" {
		if err := writeMergeReports(*mergeReports, *shards, *shardAt); err != nil {
			fmt.Fprintln(os.Stderr, "many:", err)
			os.Exit(2)
		}
		return
	}
	want := map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		want[strings.TrimSpace(p)] = true
	}
	fmt.Printf("bench/many: %d cores, load average %s at the start\n", numCPU(), loadavg())
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "many: bad zone count %q\n", f)
			os.Exit(2)
		}
		if want["parity"] || want["check"] || want["ttl"] || want["plan"] || want["split"] || want["pr"] || (want["shards"] && n == *shardAt) {
			measure(n, bin, want, *shards, *shardAt, *repeat)
		}
	}
	if want["cutover"] {
		cutoverPhase(*cutoverZones, *cutoverRRsets, bin, *repeat, *cutoverDelay, strings.Split(*cutoverSteps, ","), *before)
	}
	if want["growth"] {
		growth(*growthZones, bin)
	}
	if want["cloud"] {
		cloud(*cloudZones, *cloudSpeed)
	}
	fmt.Printf("load average at the end: %s\n", loadavg())
}

// measure runs the phases at n zones with fresh servers.
func measure(n int, bin string, want map[string]bool, shards, shardAt, repeat int) {
	s := benchrun.New("many", bin)
	defer s.Close()
	zones := writeZones(s, n)
	const bigOrigin = "big.many.test."
	bigText, _ := benchzone.Zone(bigOrigin, n*perZone)
	bigFile := s.Write("big.zone", bigText)
	zones = append(zones, lab.Zone{Origin: bigOrigin, Text: bigText})

	t0 := time.Now()
	knot := lab.Knot(s, lab.Options{Zones: zones})
	bind := lab.BIND(s, lab.Options{Zones: zones})
	fmt.Printf("\n## %d zones of %d RRsets (%d RRsets) against one zone of %d RRsets\n\n", n, perZone, n*perZone, n*perZone)
	fmt.Printf("servers: Knot (old) %s, BIND (new) %s, up in %.0f s\n", knot.Addr, bind.Addr, time.Since(t0).Seconds())
	cfg := fmt.Sprintf("zones:\n  - files: zones/*.zone\nproviders:\n  old:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\n  new:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\n",
		knot.Addr, knot.Addr, bind.Addr, bind.Addr)
	cfgPath := s.Write("dnsparity.yaml", cfg)

	if want["parity"] {
		many, one := pair(s, repeat, []string{"parity", "--config", cfgPath, "--format", "json"},
			[]string{"parity", "--file", bigFile, "--old", knot.Addr, "--new", bind.Addr, "--format", "json"})
		ratio := many.wall / one.wall
		fmt.Printf("parity, %d zones:  %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, %d queries, exit %d\n", n, many.wall, many.walls, many.cpu, many.rss, many.queries, many.exit)
		fmt.Printf("parity, one zone:  %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, %d queries, exit %d\n", one.wall, one.walls, one.cpu, one.rss, one.queries, one.exit)
		fmt.Printf("parity per-zone overhead: %.2fx wall (goal within 1.25x: %s), %.2fx CPU, %.2fx RSS, %.2fx queries\n", ratio, benchrun.Verdict(ratio <= 1.25), many.cpu/one.cpu, many.rss/one.rss, float64(many.queries)/float64(max(one.queries, 1)))
	}
	if want["check"] {
		many, one := pair(s, repeat, []string{"check", "--format", "json"}, []string{"check", "--format", "json", bigFile})
		ratio := many.wall / one.wall
		fmt.Printf("check, %d zones:   %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", n, many.wall, many.walls, many.cpu, many.rss, many.exit)
		fmt.Printf("check, one zone:   %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", one.wall, one.walls, one.cpu, one.rss, one.exit)
		fmt.Printf("check per-zone overhead: %.2fx wall (goal within 1.5x: %s), %.2fx CPU, %.2fx RSS\n", ratio, benchrun.Verdict(ratio <= 1.5), many.cpu/one.cpu, many.rss/one.rss)
	}
	if want["ttl"] {
		// ttl --cap over every zone (a dry run: the files stay as they
		// are for the next phase) against the one zone of as many RRsets.
		ttl := []string{"ttl", "--cap", "60", "--dry-run", "--format", "json"}
		many, one := pair(s, repeat, ttl, append(slices.Clone(ttl), bigFile))
		ratio := many.wall / one.wall
		fmt.Printf("ttl --cap, %d zones: %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", n, many.wall, many.walls, many.cpu, many.rss, many.exit)
		fmt.Printf("ttl --cap, one zone:  %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", one.wall, one.walls, one.cpu, one.rss, one.exit)
		fmt.Printf("ttl per-zone overhead: %.2fx wall (goal within 1.5x, as check: %s), %.2fx CPU, %.2fx RSS\n", ratio, benchrun.Verdict(ratio <= 1.5), many.cpu/one.cpu, many.rss/one.rss)
	}
	if want["plan"] {
		// plan over every zone (each read from both servers by AXFR, as
		// rfc2136 does; git and the servers agree: nothing to change)
		// against the config of the one zone of as many RRsets.
		bigCfg := s.Write("big.yaml", strings.Replace(cfg, "  - files: zones/*.zone\n", "  - name: "+bigOrigin+"\n    file: big.zone\n", 1))
		many, one := pair(s, repeat, []string{"plan", "--config", cfgPath, "--format", "json"}, []string{"plan", "--config", bigCfg, "--format", "json"})
		ratio := many.wall / one.wall
		fmt.Printf("plan, %d zones:    %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", n, many.wall, many.walls, many.cpu, many.rss, many.exit)
		fmt.Printf("plan, one zone:    %6.2f s wall%s, %6.2f s CPU, peak RSS %6.1f MiB, exit %d\n", one.wall, one.walls, one.cpu, one.rss, one.exit)
		fmt.Printf("plan per-zone overhead: %.2fx wall, %.2fx CPU, %.2fx RSS\n", ratio, many.cpu/one.cpu, many.rss/one.rss)
	}
	if want["split"] {
		splitCost(s, zones[:n], shards, repeat)
	}
	if want["pr"] {
		pr(s, cfgPath, zones[n/2].Origin, cfg, repeat)
	}
	if want["shards"] && n == shardAt {
		sweep(s, cfgPath, n, shards)
	}
}

// pr measures what a pull request that changes one zone runs of it (the
// Action's pr takes the changed zones only: check and parity with --zone)
// in the config of every zone, against the same commands in a config of
// that zone alone: the cost of the config's size.
func pr(s *benchrun.Bench, cfgPath, origin, cfg string, repeat int) {
	file := "zones/" + strings.TrimSuffix(origin, ".") + ".zone"
	onePath := s.Write("one.yaml", strings.Replace(cfg, "  - files: zones/*.zone\n", "  - name: "+origin+"\n    file: "+file+"\n", 1))
	for _, c := range [][]string{{"check", "--format", "json", "--zone", origin}, {"parity", "--format", "json", "--zone", origin}} {
		many, one := pair(s, repeat, append([]string{c[0], "--config", cfgPath}, c[1:]...), append([]string{c[0], "--config", onePath}, c[1:]...))
		fmt.Printf("pr of one zone, %s --zone: %6.2f s wall%s, %6.2f s CPU in the config of every zone; %6.2f s wall, %6.2f s CPU in a config of that zone alone: %.2fx wall, %.2fx CPU (exit %d, %d)\n",
			c[0], many.wall, many.walls, many.cpu, one.wall, one.cpu, many.wall/one.wall, many.cpu/max(one.cpu, 0.01), many.exit, one.exit)
	}
}

// splitCost measures what a --shard run pays for the split (every zone's
// RRsets counted, in every shard job): check of one shard of the sweep's
// against check unsharded, and check --zone for every other zone with
// --shard 1/1 (the split, then the names within it) against without.
func splitCost(s *benchrun.Bench, zones []lab.Zone, shards, repeat int) {
	check := []string{"check", "--format", "json"}
	spec := fmt.Sprintf("1/%d", shards)
	one, all := pair(s, repeat, append(slices.Clone(check), "--shard", spec), check)
	fmt.Printf("split, check --shard %s: %6.2f s wall%s, %6.2f s CPU; unsharded: %6.2f s wall%s, %6.2f s CPU: %.2fx CPU for 1/%d of the zones (exit %d, %d)\n",
		spec, one.wall, one.walls, one.cpu, all.wall, all.walls, all.cpu, one.cpu/max(all.cpu, 0.01), shards, one.exit, all.exit)
	named := slices.Clone(check)
	for i := 0; i < len(zones); i += 2 {
		named = append(named, "--zone", zones[i].Origin)
	}
	with, without := pair(s, repeat, append(slices.Clone(named), "--shard", "1/1"), named)
	fmt.Printf("split, check of %d zones by --zone: --shard 1/1 %6.2f s wall%s, %6.2f s CPU; without --shard %6.2f s wall%s, %6.2f s CPU: %.2fx wall, %.2fx CPU (exit %d, %d)\n",
		(len(zones)+1)/2, with.wall, with.walls, with.cpu, without.wall, without.walls, without.cpu, with.wall/without.wall, with.cpu/max(without.cpu, 0.01), with.exit, without.exit)
}

// writeZones writes n zones of perZone RRsets into zones/ (the config's
// zones/*.zone) and returns them.
func writeZones(s *benchrun.Bench, n int) []lab.Zone {
	zones := make([]lab.Zone, n)
	for i := range zones {
		origin := fmt.Sprintf("z%05d.many.test.", i)
		text, _ := benchzone.Zone(origin, perZone)
		s.Write("zones/"+strings.TrimSuffix(origin, ".")+".zone", text)
		zones[i] = lab.Zone{Origin: origin, Text: text}
	}
	return zones
}

// result is one process's figures.
type result struct {
	wall, cpu, rss float64
	queries, exit  int
	out            []byte
	walls          string // the walls of the runs it is the median of
}

// pair runs the many-zone and the one-zone command repeat times each, one
// after the other in turn (a load that comes and goes on this shared
// machine falls on both), and returns each one's median run by wall time.
func pair(s *benchrun.Bench, repeat int, many, one []string) (result, result) {
	var ms, ones []result
	for range max(repeat, 1) {
		ms = append(ms, run(s, many...))
		ones = append(ones, run(s, one...))
	}
	return median(ms), median(ones)
}

func median(rs []result) result {
	sort.Slice(rs, func(i, j int) bool { return rs[i].wall < rs[j].wall })
	m := rs[len(rs)/2]
	if len(rs) > 1 {
		var ws []string
		for _, r := range rs {
			ws = append(ws, fmt.Sprintf("%.2f", r.wall))
		}
		m.walls = fmt.Sprintf(" (median of %s)", strings.Join(ws, ", "))
	}
	return m
}

// run runs the dnsparity binary in the lab's folder under /usr/bin/time
// -v; exit 2 is fatal.
func run(s *benchrun.Bench, args ...string) result {
	r := s.Timed(args...)
	return result{wall: r.Wall, cpu: r.CPU, rss: r.RSSMiB, exit: r.Exit, out: r.Out, queries: queries(r.Out)}
}

// queries sums "queries" over a parity report (one object or an array).
func queries(b []byte) int {
	type rep struct {
		Queries int `json:"queries"`
	}
	var many []rep
	if json.Unmarshal(b, &many) == nil {
		n := 0
		for _, r := range many {
			n += r.Queries
		}
		return n
	}
	var one rep
	_ = json.Unmarshal(b, &one)
	return one.Queries
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(1, strings.Count(string(b), "processor\t:"))
}

// sweep runs the matrix workflow on this machine: matrix, one parity
// process per shard all at once (the jobs of a matrix), merge; against
// one process over every zone.
func sweep(s *benchrun.Bench, cfgPath string, n, shards int) {
	one := run(s, "parity", "--config", cfgPath, "--format", "json")
	t0 := time.Now()
	mx := run(s, "matrix", "--config", cfgPath, "--shards", strconv.Itoa(shards))
	var m struct {
		Include []struct {
			Shard string   `json:"shard"`
			Zones []string `json:"zones"`
		} `json:"include"`
	}
	s.Must(json.Unmarshal(mx.out, &m))
	type job struct {
		r    result
		file string
	}
	jobs := make([]job, len(m.Include))
	done := make(chan int)
	for i, e := range m.Include {
		go func() {
			jobs[i].r = run(s, "parity", "--config", cfgPath, "--shard", e.Shard, "--format", "json")
			jobs[i].file = s.Write(fmt.Sprintf("shard-%d.json", i+1), string(jobs[i].r.out))
			done <- i
		}()
	}
	for range m.Include {
		<-done
	}
	shardsWall := time.Since(t0).Seconds()
	args := []string{"merge", "--config", cfgPath, "--format", "json"}
	var cpu, rss, slowest float64
	for _, j := range jobs {
		args = append(args, j.file)
		cpu += j.r.cpu
		rss = max(rss, j.r.rss)
		slowest = max(slowest, j.r.wall)
	}
	mg := run(s, args...)
	total := time.Since(t0).Seconds()
	var merged struct {
		Reports []json.RawMessage `json:"reports"`
		Exit    int               `json:"exit"`
	}
	s.Must(json.Unmarshal(mg.out, &merged))
	fmt.Printf("sweep, one process:  %6.2f s wall, %6.2f s CPU, peak RSS %6.1f MiB\n", one.wall, one.cpu, one.rss)
	fmt.Printf("sweep, %s:    %6.2f s wall (matrix %.2f s, the %d processes at once %.2f s (slowest %.2f s), merge %.2f s), %6.2f s CPU in all, peak RSS %.1f MiB per process; merged %d zone reports, exit %d\n",
		plural.N(len(m.Include), "shard", "shards"), total, mx.wall, len(m.Include), shardsWall-mx.wall, slowest, mg.wall, cpu+mx.cpu+mg.cpu, rss, len(merged.Reports), merged.Exit)
	fmt.Printf("sweep: %s / one process = %.2fx wall on this %d-core machine (each shard recomputes the split: %.2f s CPU per shard for it)\n",
		plural.N(len(m.Include), "shard", "shards"), total/one.wall, numCPU(), mx.cpu)
}
