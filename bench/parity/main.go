// Command parity-bench measures the parity engine against a generated
// 100,000-RRset zone served by PowerDNS (old) and Knot (new) on loopback,
// next to dnsperf against each server and a sequential dig loop, and prints
// the figures and ratios. Run it through run.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plural"
)

const origin = "bench.test."

func main() {
	sets := flag.Int("rrsets", 100000, "RRsets in the generated zone")
	bin := flag.String("dnsparity", "dnsparity", "the dnsparity binary")
	perfSecs := flag.Int("l", 10, "dnsperf run length in seconds")
	digSecs := flag.Float64("dig", 5, "seconds of the sequential dig loop")
	profile := flag.String("profile", "", "instead of the comparison: run parity in-process, write cpu.pprof and heap.pprof (at the peak of the live heap) to this directory")
	ab := flag.String("ab", "", "instead of the comparison: alternate parity runs of -dnsparity (A) and this binary (B) against the same servers")
	abRuns := flag.Int("runs", 3, "runs of each binary with -ab")
	flag.Parse()

	s := lab.Standalone()
	defer s.Close()
	dir := s.TempDir()
	zoneText, queries := benchzone.Zone(origin, *sets)
	zfile := filepath.Join(dir, "bench.test.zone")
	qfile := filepath.Join(dir, "queries.txt")
	must(s, os.WriteFile(zfile, []byte(zoneText), 0o644))
	must(s, os.WriteFile(qfile, []byte(strings.Join(queries, "\n")+"\n"), 0o644))
	fmt.Printf("zone: %d RRsets, %d bytes; dnsperf query file: %d questions\n", *sets, len(zoneText), len(queries))

	t0 := time.Now()
	z := lab.Zone{Origin: origin, Text: zoneText}
	pdns := lab.PDNS(s, lab.Options{Zones: []lab.Zone{z}})
	knot := lab.Knot(s, lab.Options{Zones: []lab.Zone{z}})
	fmt.Printf("servers up in %.1fs: PowerDNS (old) %s, Knot (new) %s\n", time.Since(t0).Seconds(), pdns.Addr, knot.Addr)

	if *profile != "" {
		profileRun(s, zfile, pdns.Addr, knot.Addr, *profile)
		return
	}
	if *ab != "" {
		for i := 0; i < *abRuns; i++ {
			for _, b := range []struct{ name, bin string }{{"A", *bin}, {"B", *ab}} {
				r := parityRun(s, b.bin, zfile, pdns.Addr, knot.Addr)
				fmt.Printf("%s run %d: %d queries in %.2fs = %.0f qps, peak RSS %.1f MiB\n", b.name, i+1, r.queries, r.seconds, float64(r.queries)/r.seconds, r.rss)
			}
		}
		return
	}

	perfP := dnsperf(s, pdns.IP, pdns.Port, qfile, *perfSecs)
	perfK := dnsperf(s, knot.IP, knot.Port, qfile, *perfSecs)
	fmt.Printf("dnsperf -c 10 -T 2 -l %d: PowerDNS %.0f qps, Knot %.0f qps\n", *perfSecs, perfP, perfK)

	digQPS := digLoop(knot.IP, knot.Port, queries, *digSecs)
	fmt.Printf("sequential dig loop (%.0fs): %.1f qps\n", *digSecs, digQPS)

	r := parityRun(s, *bin, zfile, pdns.Addr, knot.Addr)
	rep, rss, wall := r.rep, r.rss, r.wall
	qps := float64(rep.Queries) / rep.Seconds
	slower := min(perfP, perfK)
	fmt.Printf("parity: %d queries in %.2fs = %.0f qps, %s, exit %d, peak RSS %.1f MiB, wall %s\n",
		rep.Queries, rep.Seconds, qps, plural.N(len(rep.Findings), "finding", "findings"), r.exit, rss, wall)
	fmt.Println()
	fmt.Printf("ratio parity / slower dnsperf (%.0f): %.2f   (goal >= 0.50)\n", slower, qps/slower)
	fmt.Printf("ratio parity / dig loop: %.0fx   (goal >= 500x)\n", qps/digQPS)
	fmt.Printf("peak RSS: %.1f MiB   (goal < 300 MiB)\n", rss)
}

type result struct {
	rep struct {
		Zone     string            `json:"zone"`
		Findings []json.RawMessage `json:"findings"`
		Queries  int               `json:"queries"`
		Seconds  float64           `json:"seconds"`
	}
	queries int
	seconds float64
	rss     float64
	wall    string
	exit    int
}

// parityRun runs the dnsparity binary under /usr/bin/time -v.
func parityRun(s *lab.Script, bin, zfile, old, new string) *result {
	r := &result{}
	var err error
	r.exit, r.rss, r.wall, err = benchzone.ParityTimed(bin, &r.rep, "--zone", zfile, "--origin", origin, "--old", old, "--new", new)
	must(s, err)
	r.queries, r.seconds = r.rep.Queries, r.rep.Seconds
	return r
}

// dnsperf is benchzone.Dnsperf's rate, or the end of the script.
func dnsperf(s *lab.Script, ip string, port int, qfile string, secs int) float64 {
	v, err := benchzone.Dnsperf(ip, port, qfile, secs)
	must(s, err)
	return v
}

func must(s *lab.Script, err error) {
	if err != nil {
		s.Fatalf("%v", err)
	}
}

// digLoop runs dig sequentially for secs seconds, the way a shell loop
// would, and returns queries per second.
func digLoop(ip string, port int, qs []string, secs float64) float64 {
	start := time.Now()
	n := 0
	for time.Since(start).Seconds() < secs {
		f := strings.Fields(qs[n%len(qs)])
		_ = exec.Command("dig", "+norec", "+tries=1", "+time=1", "-p", strconv.Itoa(port), "@"+ip, f[0], f[1]).Run()
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}
