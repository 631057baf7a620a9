// Command flipcost times `dnsparity flip` on a zone of many RRsets with
// two binaries (before and after a change), each on a fresh lab: a
// parent zone test. on BIND, example.test. on two Knot servers (old and
// new, listed by AXFR: rfc2136), one Unbound resolver. The flip's wall
// time is measured around the command; the watch ends once the resolver
// follows the new delegation (parent NS TTL 1 s). It prints each wall
// time and their ratio, after/before. Run it through run.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/fliplab"
)

func main() {
	before := flag.String("before", "", "the dnsparity binary before the change")
	rrsets := flag.Int("rrsets", 10000, "RRsets of the zone")
	oldKind := flag.String("old", "knot", "the old provider: knot (rfc2136, listed by AXFR) or powerdns (listed through its HTTP API)")
	after := benchrun.ParseFlags()
	if *before == "" {
		fmt.Fprintln(os.Stderr, "flipcost: -before BIN is required")
		os.Exit(2)
	}
	b, okb := measure(*before, *rrsets, *oldKind)
	a, oka := measure(after, *rrsets, *oldKind)
	if !okb || !oka {
		os.Exit(1)
	}
	fmt.Printf("flip of a %d-RRset zone (old provider %s): before %.2f s wall, after %.2f s wall, ratio after/before %.2f\n", *rrsets, *oldKind, b, a, a/b)
}

// measure sets up a fresh lab, pre-stages the zone, waits for the flip
// to be allowed and flips with bin; the flip's wall time.
func measure(bin string, n int, oldKind string) (float64, bool) {
	s := benchrun.New("flipcost", bin)
	defer s.Close()
	l := fliplab.New(s, fliplab.Options{NSTTL: 1, Resolvers: 1, RRsets: n, Old: oldKind, Watch: 20 * time.Second})
	if !l.Ready() {
		return 0, false
	}
	var rep fliplab.Report
	res := l.Run(&rep, "flip")
	if res.Exit != 0 {
		fmt.Fprintf(os.Stderr, "flipcost: %s: flip exited %d, gates %+v\n%s\n", bin, res.Exit, rep.Gates, res.Err)
		return 0, false
	}
	fmt.Fprintf(os.Stderr, "flipcost: %s: flip %.2f s wall (watch %.1f s)\n%s", bin, res.Wall, rep.Watch.Seconds, res.Err)
	return res.Wall, true
}
