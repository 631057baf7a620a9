// Command parity-bench measures the parity engine against a generated
// 100,000-RRset zone served by PowerDNS (old) and Knot (new) on loopback,
// next to dnsperf against each server and a sequential dig loop, and prints
// the figures and ratios. Run it through run.sh.
package main

import (
	"flag"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plural"
)

func main() {
	sets := benchzone.RRsets()
	perfSecs := flag.Int("l", 10, "dnsperf run length in seconds")
	digSecs := flag.Float64("dig", 5, "seconds of the sequential dig loop")
	profile := flag.String("profile", "", "instead of the comparison: run parity in-process, write cpu.pprof and heap.pprof (at the peak of the live heap) to this directory")
	ab := flag.String("ab", "", "instead of the comparison: alternate parity runs of -dnsparity (A) and this binary (B) against the same servers")
	abRuns := flag.Int("runs", 3, "runs of each binary with -ab")
	s := benchrun.Start("parity")
	defer s.Close()
	zoneText, queries := benchzone.Zone(benchzone.Origin, *sets)
	zfile := s.Write("bench.test.zone", zoneText)
	qfile := s.Write("queries.txt", strings.Join(queries, "\n")+"\n")
	fmt.Printf("zone: %d RRsets, %d bytes; dnsperf query file: %d questions\n", *sets, len(zoneText), len(queries))

	t0 := time.Now()
	z := lab.Zone{Origin: benchzone.Origin, Text: zoneText}
	pdns := lab.PDNS(s, lab.Options{Zones: []lab.Zone{z}})
	knot := lab.Knot(s, lab.Options{Zones: []lab.Zone{z}})
	fmt.Printf("servers up in %.1fs: PowerDNS (old) %s, Knot (new) %s\n", time.Since(t0).Seconds(), pdns.Addr, knot.Addr)

	if *profile != "" {
		profileRun(s, zfile, pdns.Addr, knot.Addr, *profile)
		return
	}
	if *ab != "" {
		bins := []struct{ name, bin string }{{"A", s.Bin}, {"B", *ab}}
		for i := 0; i < *abRuns; i++ {
			for _, b := range bins {
				s.Bin = b.bin
				r, rep := s.Parity(zfile, benchzone.Origin, pdns.Addr, knot.Addr)
				fmt.Printf("%s run %d: %d queries in %.2fs = %.0f qps, peak RSS %.1f MiB\n", b.name, i+1, rep.Queries, rep.Seconds, float64(rep.Queries)/rep.Seconds, r.RSSMiB)
			}
		}
		return
	}

	perfP := benchzone.Dnsperf(s, pdns.IP, pdns.Port, qfile, *perfSecs)
	perfK := benchzone.Dnsperf(s, knot.IP, knot.Port, qfile, *perfSecs)
	fmt.Printf("dnsperf -c 10 -T 2 -l %d: PowerDNS %.0f qps, Knot %.0f qps\n", *perfSecs, perfP, perfK)

	digQPS := digLoop(knot.IP, knot.Port, queries, *digSecs)
	fmt.Printf("sequential dig loop (%.0fs): %.1f qps\n", *digSecs, digQPS)

	r, rep := s.Parity(zfile, benchzone.Origin, pdns.Addr, knot.Addr)
	rss, wall := r.RSSMiB, r.TimeWall
	qps := float64(rep.Queries) / rep.Seconds
	slower := min(perfP, perfK)
	fmt.Printf("parity: %d queries in %.2fs = %.0f qps, %s, exit %d, peak RSS %.1f MiB, wall %s\n",
		rep.Queries, rep.Seconds, qps, plural.N(len(rep.Findings), "finding", "findings"), r.Exit, rss, wall)
	fmt.Println()
	fmt.Printf("ratio parity / slower dnsperf (%.0f): %.2f   (goal >= 0.50)\n", slower, qps/slower)
	fmt.Printf("ratio parity / dig loop: %.0fx   (goal >= 500x)\n", qps/digQPS)
	fmt.Printf("peak RSS: %.1f MiB   (goal < 300 MiB)\n", rss)
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
