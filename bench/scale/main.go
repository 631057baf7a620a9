// Command scale measures how parity's cost grows with the zone: for each
// size (1,000 to 1,000,000 RRsets) it serves a generated zone from Knot
// (old) and BIND (new), measures each server with dnsperf, runs
// `dnsparity parity` under /usr/bin/time -v, and prints per size the query
// rate against the slower server's dnsperf rate, the peak memory, and the
// cost per RRset against the 10,000-RRset run. It writes the figures as
// JSON and draws them in a PNG (plot.go). Run it through run.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
)

const origin = "scale.test."

// point is one size's figures.
type point struct {
	RRsets      int     `json:"rrsets"`
	Queries     int     `json:"queries"`
	Seconds     float64 `json:"seconds"`
	ParityQPS   float64 `json:"parity_qps"`
	KnotQPS     float64 `json:"knot_dnsperf_qps"`
	BINDQPS     float64 `json:"bind_dnsperf_qps"`
	RatioSlower float64 `json:"ratio_to_slower_dnsperf"`
	RSSMiB      float64 `json:"peak_rss_mib"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	Findings    int     `json:"findings"`
	Exit        int     `json:"exit"`
}

// CPU microseconds and peak KiB per RRset.
func (p point) cpuPerRRset() float64 { return p.CPUSeconds * 1e6 / float64(p.RRsets) }
func (p point) rssPerRRset() float64 { return p.RSSMiB * 1024 / float64(p.RRsets) }

func main() {
	sizes := flag.String("sizes", "1000,10000,100000,1000000", "zone sizes in RRsets")
	perfSecs := flag.Int("l", 5, "dnsperf run length in seconds, per server and size")
	jsonOut := flag.String("json", "", "write the figures here as JSON")
	pngOut := flag.String("png", "", "draw the figures into this PNG")
	bin := benchrun.ParseFlags()

	var pts []point
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 {
			fmt.Fprintf(os.Stderr, "scale: bad size %q\n", f)
			os.Exit(2)
		}
		pts = append(pts, measure(n, bin, *perfSecs))
	}
	printTable(pts)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(pts, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "scale: %v\n", err)
			os.Exit(2)
		}
	}
	if *pngOut != "" {
		if err := drawPNG(pts, *pngOut); err != nil {
			fmt.Fprintf(os.Stderr, "scale: plot: %v\n", err)
			os.Exit(2)
		}
		fmt.Printf("plot: %s\n", *pngOut)
	}
}

// measure runs one size with fresh servers.
func measure(n int, bin string, perfSecs int) point {
	s := benchrun.New("scale", bin)
	defer s.Close()
	text, qs := benchzone.Zone(origin, n)
	zfile := s.Write("scale.test.zone", text)
	qfile := s.Write("queries.txt", strings.Join(qs, "\n")+"\n")
	t0 := time.Now()
	z := lab.Zone{Origin: origin, Text: text}
	knot := lab.Knot(s, lab.Options{Zones: []lab.Zone{z}})
	bind := lab.BIND(s, lab.Options{Zones: []lab.Zone{z}})
	fmt.Fprintf(os.Stderr, "scale: %d RRsets (%d MB): Knot %s, BIND %s up in %.1fs; dnsperf %ds each\n", n, len(text)>>20, knot.Addr, bind.Addr, time.Since(t0).Seconds(), perfSecs)
	p := point{RRsets: n}
	p.KnotQPS = benchzone.Dnsperf(s, knot.IP, knot.Port, qfile, perfSecs)
	p.BINDQPS = benchzone.Dnsperf(s, bind.IP, bind.Port, qfile, perfSecs)
	fmt.Fprintf(os.Stderr, "scale: %d RRsets: dnsperf Knot %.0f qps, BIND %.0f qps; parity…\n", n, p.KnotQPS, p.BINDQPS)
	parityRun(s, &p, zfile, knot.Addr, bind.Addr)
	p.ParityQPS = float64(p.Queries) / p.Seconds
	p.RatioSlower = p.ParityQPS / min(p.KnotQPS, p.BINDQPS)
	fmt.Fprintf(os.Stderr, "scale: %d RRsets: parity %d queries in %.2fs = %.0f qps, peak RSS %.1f MiB, CPU %.2fs, exit %d\n", n, p.Queries, p.Seconds, p.ParityQPS, p.RSSMiB, p.CPUSeconds, p.Exit)
	return p
}

// parityRun runs the binary under /usr/bin/time -v into p.
func parityRun(s *benchrun.Bench, p *point, zfile, old, new string) {
	r, rep := s.Parity(zfile, origin, old, new)
	if d := os.Getenv("SCALE_REPORT_DIR"); d != "" { // keep the report for a look at its findings
		_ = os.WriteFile(filepath.Join(d, fmt.Sprintf("parity-%d.json", p.RRsets)), r.Out, 0o644)
	}
	p.Exit, p.RSSMiB, p.CPUSeconds = r.Exit, r.RSSMiB, r.CPU
	p.Queries, p.Seconds, p.Findings = rep.Queries, rep.Seconds, len(rep.Findings)
}

// printTable prints the figures and the ratios against their anchors.
func printTable(pts []point) {
	var anchor *point
	for i := range pts {
		if pts[i].RRsets == 10000 {
			anchor = &pts[i]
		}
	}
	fmt.Printf("| RRsets | queries | parity qps | Knot dnsperf | BIND dnsperf | parity / slower dnsperf | peak RSS MiB | CPU µs / RRset | KiB / RRset | CPU per RRset vs 10k | RSS per RRset vs 10k |\n")
	fmt.Printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range pts {
		rc, rr := "–", "–"
		if anchor != nil {
			rc = fmt.Sprintf("%.2f", p.cpuPerRRset()/anchor.cpuPerRRset())
			rr = fmt.Sprintf("%.2f", p.rssPerRRset()/anchor.rssPerRRset())
		}
		fmt.Printf("| %d | %d | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f | %.2f | %s | %s |\n", p.RRsets, p.Queries, p.ParityQPS, p.KnotQPS, p.BINDQPS, p.RatioSlower, p.RSSMiB, p.cpuPerRRset(), p.rssPerRRset(), rc, rr)
	}
	for _, p := range pts {
		if p.RRsets == 1000000 {
			fmt.Printf("\ngoal at 1,000,000 RRsets: parity / slower dnsperf %.2f (goal >= 0.50): %s; peak RSS %.0f MiB (goal < 1024): %s\n",
				p.RatioSlower, benchrun.Verdict(p.RatioSlower >= 0.5), p.RSSMiB, benchrun.Verdict(p.RSSMiB < 1024))
		}
	}
}
