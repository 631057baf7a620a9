// Command ecs-bench measures what client-subnet (ECS) probing costs: a
// generated 100,000-RRset zone whose A records at 10% of the RRsets are
// geo-routed for 8 client subnets, served by PowerDNS with LUA records
// (old) and Knot with mod-geoip (new), the same policy on both; one plain
// parity run and one with the 8 subnets, each timed with /usr/bin/time -v,
// in one run of the script. Prints both and the ratios. Run it through
// run.sh.
package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
)

func main() {
	sets := benchzone.RRsets()
	share := flag.Float64("geo", 0.10, "share of the RRsets that are geo-routed A records")
	nSubnets := flag.Int("subnets", 8, "client subnets (198.18.K.0/24)")
	s := benchrun.Start("ecs")
	defer s.Close()
	zoneText, _ := benchzone.Zone(benchzone.Origin, *sets)
	geoNames := *share * float64(*sets)

	// The geo names: owners h<i> with an A record (every fourth owner),
	// as many as the share asks. Git and Knot's zone keep the default
	// answer; PowerDNS's zone has a LUA record instead; Knot's mod-geoip
	// answers each subnet.
	var subnets []string
	for k := 0; k < *nSubnets; k++ {
		subnets = append(subnets, fmt.Sprintf("198.18.%d.0/24", k))
	}
	var pdnsZone, geo strings.Builder
	n := 0
	for _, line := range strings.Split(strings.TrimSuffix(zoneText, "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) == 4 && f[1] == "IN" && f[2] == "A" && strings.HasPrefix(f[0], "h") && float64(n) < geoNames {
			n++
			var view []string
			fmt.Fprintf(&geo, "%s.%s:\n", f[0], strings.TrimSuffix(benchzone.Origin, "."))
			for k, sn := range subnets {
				a := fmt.Sprintf("198.19.%d.%d", k, n%250+1)
				view = append(view, fmt.Sprintf("{{'%s'}, {'%s'}}", sn, a))
				fmt.Fprintf(&geo, "  - net: %s\n    A: %s\n", sn, a)
			}
			view = append(view, fmt.Sprintf("{{'0.0.0.0/0', '::/0'}, {'%s'}}", f[3]))
			fmt.Fprintf(&pdnsZone, "%s IN LUA A \"view({%s})\"\n", f[0], strings.Join(view, ", "))
			continue
		}
		pdnsZone.WriteString(line + "\n")
	}
	zfile := s.Write("bench.test.zone", zoneText)
	fmt.Printf("zone: %d RRsets, %d of them geo-routed A records (%.0f%%), %d client subnets\n", *sets, n, 100*float64(n)/float64(*sets), len(subnets))

	t0 := time.Now()
	pdns := lab.PDNS(s, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: benchzone.Origin, Text: pdnsZone.String()}}})
	knot := lab.Knot(s, lab.Options{GeoIP: geo.String(), GeoIPTTL: 300, Zones: []lab.Zone{{Origin: benchzone.Origin, Text: zoneText}}})
	fmt.Printf("servers up in %.1fs: PowerDNS with LUA records (old) %s, Knot with mod-geoip (new) %s\n", time.Since(t0).Seconds(), pdns.Addr, knot.Addr)

	plain := parityRun(s, zfile, pdns.Addr, knot.Addr)
	var flags []string
	for _, sn := range subnets {
		flags = append(flags, "--client-subnet", sn)
	}
	ecs := parityRun(s, zfile, pdns.Addr, knot.Addr, flags...)
	for _, r := range []struct {
		name string
		r    *result
	}{{"plain parity", plain}, {fmt.Sprintf("parity with %d subnets", len(subnets)), ecs}} {
		fmt.Printf("%-24s %8d queries in %7.2fs = %6.0f qps, %s (%s), exit %d, peak RSS %6.1f MiB\n",
			r.name+":", r.r.rep.Queries, r.r.rep.Seconds, float64(r.r.rep.Queries)/r.r.rep.Seconds, plural.N(len(r.r.rep.Findings), "finding", "findings"), plural.N(r.r.errors, "error", "errors"), r.r.exit, r.r.rss)
	}
	fmt.Println()
	fmt.Printf("ECS probing / plain: queries %.2fx, time %.2fx, peak RSS %.2fx\n",
		float64(ecs.rep.Queries)/float64(plain.rep.Queries), ecs.rep.Seconds/plain.rep.Seconds, ecs.rss/plain.rss)
}

type result struct {
	rep    *parity.Report
	errors int
	rss    float64
	exit   int
}

// parityRun runs the dnsparity binary under /usr/bin/time -v.
func parityRun(s *benchrun.Bench, zfile, old, new string, extra ...string) *result {
	run, rep := s.Parity(zfile, benchzone.Origin, old, new, extra...)
	r := &result{rep: rep, rss: run.RSSMiB, exit: run.Exit}
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError {
			r.errors++
		}
	}
	return r
}
