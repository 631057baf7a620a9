// Command scale measures how parity's cost grows with the zone: for each
// size (1,000 to 1,000,000 RRsets) it serves a generated zone from Knot
// (old) and BIND (new), measures each server with dnsperf, runs
// `dnsparity parity` under /usr/bin/time -v, and prints per size the query
// rate against the slower server's dnsperf rate, the peak memory, and the
// cost per RRset against the 10,000-RRset run. It writes the figures as
// JSON and draws them in a PNG (plot.go). Run it through run.sh.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

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
	bin := flag.String("dnsparity", "dnsparity", "the dnsparity binary")
	perfSecs := flag.Int("l", 5, "dnsperf run length in seconds, per server and size")
	jsonOut := flag.String("json", "", "write the figures here as JSON")
	pngOut := flag.String("png", "", "draw the figures into this PNG")
	flag.Parse()

	var pts []point
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 {
			fmt.Fprintf(os.Stderr, "scale: bad size %q\n", f)
			os.Exit(2)
		}
		pts = append(pts, measure(n, *bin, *perfSecs))
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
	s := lab.Standalone()
	defer s.Close()
	dir := s.TempDir()
	text, qs := benchzone.Zone(origin, n)
	zfile := filepath.Join(dir, "scale.test.zone")
	qfile := filepath.Join(dir, "queries.txt")
	must(s, os.WriteFile(zfile, []byte(text), 0o644))
	must(s, os.WriteFile(qfile, []byte(strings.Join(qs, "\n")+"\n"), 0o644))
	t0 := time.Now()
	z := lab.Zone{Origin: origin, Text: text}
	knot := lab.Knot(s, lab.Options{Zones: []lab.Zone{z}})
	bind := lab.BIND(s, lab.Options{Zones: []lab.Zone{z}})
	fmt.Fprintf(os.Stderr, "scale: %d RRsets (%d MB): Knot %s, BIND %s up in %.1fs; dnsperf %ds each\n", n, len(text)>>20, knot.Addr, bind.Addr, time.Since(t0).Seconds(), perfSecs)
	p := point{RRsets: n}
	p.KnotQPS = dnsperf(s, knot.IP, knot.Port, qfile, perfSecs)
	p.BINDQPS = dnsperf(s, bind.IP, bind.Port, qfile, perfSecs)
	fmt.Fprintf(os.Stderr, "scale: %d RRsets: dnsperf Knot %.0f qps, BIND %.0f qps; parity…\n", n, p.KnotQPS, p.BINDQPS)
	parityRun(s, &p, bin, zfile, knot.Addr, bind.Addr)
	p.ParityQPS = float64(p.Queries) / p.Seconds
	p.RatioSlower = p.ParityQPS / min(p.KnotQPS, p.BINDQPS)
	fmt.Fprintf(os.Stderr, "scale: %d RRsets: parity %d queries in %.2fs = %.0f qps, peak RSS %.1f MiB, CPU %.2fs, exit %d\n", n, p.Queries, p.Seconds, p.ParityQPS, p.RSSMiB, p.CPUSeconds, p.Exit)
	return p
}

var (
	rssRE  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	userRE = regexp.MustCompile(`User time \(seconds\): ([0-9.]+)`)
	sysRE  = regexp.MustCompile(`System time \(seconds\): ([0-9.]+)`)
)

// parityRun runs the binary under /usr/bin/time -v; exit 2 is fatal.
func parityRun(s *lab.Script, p *point, bin, zfile, old, new string) {
	cmd := exec.Command("/usr/bin/time", "-v", bin, "parity", "--zone", zfile, "--origin", origin,
		"--old", old, "--new", new, "--format", "json")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	p.Exit = cmd.ProcessState.ExitCode()
	if err != nil && p.Exit == 2 {
		s.Fatalf("scale: parity could not run: %v\n%s", err, tail(errb.String()))
	}
	if d := os.Getenv("SCALE_REPORT_DIR"); d != "" { // keep the report for a look at its findings
		_ = os.WriteFile(filepath.Join(d, fmt.Sprintf("parity-%d.json", p.RRsets)), out.Bytes(), 0o644)
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
		Queries  int               `json:"queries"`
		Seconds  float64           `json:"seconds"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		s.Fatalf("scale: parity JSON: %v\n%s", err, tail(errb.String()))
	}
	p.Queries, p.Seconds, p.Findings = rep.Queries, rep.Seconds, len(rep.Findings)
	p.RSSMiB = num(rssRE, errb.String()) / 1024
	p.CPUSeconds = num(userRE, errb.String()) + num(sysRE, errb.String())
}

func num(re *regexp.Regexp, s string) float64 {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
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
				p.RatioSlower, verdict(p.RatioSlower >= 0.5), p.RSSMiB, verdict(p.RSSMiB < 1024))
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
