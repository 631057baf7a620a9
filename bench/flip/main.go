// Command flip measures the time from the registrar change to the last
// resolver answering from the new provider, against the parent's NS TTL:
// a parent zone test. on BIND, example.test. on two Knot servers (old and
// new, each on port 53 of its own address), four Unbound resolvers that
// follow the delegation. For each NS TTL it runs the real `dnsparity flip`
// and reads the watch's result from its JSON. Run it through run.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/fliplab"
)

// resolvers is how many Unbound resolvers the watch asks.
const resolvers = 4

func main() {
	ttls := flag.String("ns-ttl", "5,10", "parent NS TTLs to measure, seconds")
	bin := benchrun.ParseFlags()
	fmt.Printf("| parent NS TTL s | registrar change → last of 4 resolvers on new, s | ratio to NS TTL | within NS TTL + 1 s |\n|---:|---:|---:|---|\n")
	fail := false
	for _, f := range strings.Split(*ttls, ",") {
		ttl, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || ttl < 1 {
			fmt.Fprintf(os.Stderr, "flip: bad NS TTL %q\n", f)
			os.Exit(2)
		}
		secs, ok := measure(bin, ttl)
		within := secs <= float64(ttl)+1
		fail = fail || !ok
		fmt.Printf("| %d | %.1f | %.2f | %s |\n", ttl, secs, secs/float64(ttl), benchrun.YesNo(within))
	}
	if fail {
		os.Exit(1)
	}
}

// measure sets up a fresh lab with the delegation's NS TTL and flips.
func measure(bin string, nsTTL int) (float64, bool) {
	s := benchrun.New("flip", bin)
	defer s.Close()
	l := fliplab.New(s, fliplab.Options{NSTTL: nsTTL, Resolvers: resolvers, Watch: time.Duration(nsTTL*3+10) * time.Second})
	if !l.Ready() {
		return 0, false
	}
	rs := l.Resolvers
	// Clients keep asking every resolver, so each learns the delegation
	// again as soon as its copy expires; their first questions are spread
	// over one NS TTL, so at the change their copies have different times
	// left, and the last one has most of an NS TTL to go.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { clients(rs, time.Duration(nsTTL)*time.Second, stop); close(done) }()
	time.Sleep(time.Duration(nsTTL) * time.Second)
	var rep fliplab.Report
	code := l.Run(&rep, "flip").Exit
	close(stop)
	<-done
	if code != 0 || rep.Watch == nil || !rep.Watch.AllMoved {
		fmt.Fprintf(os.Stderr, "flip: NS TTL %d: flip exited %d, watch %+v, gates %+v\n", nsTTL, code, rep.Watch, rep.Gates)
		return 0, false
	}
	fmt.Fprintf(os.Stderr, "flip: NS TTL %d s: last resolver on new after %.1f s\n", nsTTL, rep.Watch.Seconds)
	return rep.Watch.Seconds, true
}

// clients asks each resolver for www every 50 ms until stop, resolver i
// starting i/len(rs) of the NS TTL after the first.
func clients(rs []string, ttl time.Duration, stop chan struct{}) {
	c := &dns.Client{Timeout: time.Second}
	start := time.Now()
	for {
		for i, r := range rs {
			if time.Since(start) < ttl*time.Duration(i)/time.Duration(len(rs)) {
				continue
			}
			m := new(dns.Msg)
			m.SetQuestion("www."+fliplab.Origin, dns.TypeA)
			_, _, _ = c.Exchange(m, r)
		}
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}
