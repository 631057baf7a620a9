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
	"github.com/dnsparity/dnsparity/internal/lab"
)

const (
	origin   = "example.test."
	prestage = 2 // policy.prestage_ttl and the zone's TTL at the flip
	highTTL  = 4 // the zone's TTL before pre-staging
	// resolvers is how many Unbound resolvers the watch asks.
	resolvers = 4
)

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

// childZone is the zone as a side serves it, with the given TTL and serial.
func childZone(side, oldIP, newIP string, ttl, serial int) string {
	return fmt.Sprintf(`$ORIGIN example.test.
$TTL %[1]d
@        IN SOA ns1.%[2]s.example.test. hostmaster.example.test. ( %[5]d 60 60 3600 %[1]d )
@        IN NS   ns1.%[2]s.example.test.
ns1.old  IN A    %[3]s
ns1.new  IN A    %[4]s
www      IN A    192.0.2.10
@        IN MX   10 mail.example.test.
mail     IN A    192.0.2.25
`, ttl, side, oldIP, newIP, serial)
}

// measure sets up a fresh lab with the delegation's NS TTL and flips.
func measure(bin string, nsTTL int) (float64, bool) {
	s := benchrun.New("flip", bin)
	defer s.Close()
	parentIP, oldIP, newIP := lab.Addr(s), lab.Addr(s), lab.Addr(s)
	parent := fmt.Sprintf(`$ORIGIN test.
$TTL 3600
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 %[1]d )
@        IN NS  ns.test.
ns       IN A   %[2]s
example %[1]d IN NS  ns1.old.example.test.
ns1.old.example %[1]d IN A %[3]s
`, nsTTL, parentIP, oldIP)
	lab.BIND(s, lab.Options{IP: parentIP, TSIG: benchrun.Key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parent}}})
	// The zone starts at a TTL above the cap, so that the audit trail
	// records the previous maximum; then it is pre-staged.
	old := lab.Knot(s, lab.Options{IP: oldIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: origin, Text: childZone("old", oldIP, newIP, highTTL, 1)}}})
	nw := lab.Knot(s, lab.Options{IP: newIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: origin, Text: childZone("new", oldIP, newIP, highTTL, 1)}}})
	var rs []string
	for i := 0; i < resolvers; i++ {
		rs = append(rs, lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}}).Addr)
	}
	s.Write("example.test.zone", childZone("old", oldIP, newIP, highTTL, 1))
	cfg := s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - {name: example.test., file: example.test.zone}
providers:
  old: {type: rfc2136, server: "%[1]s:53", nameservers: [%[1]s], delegation: [ns1.old.example.test.],
        tsig: %[4]s}
  new: {type: rfc2136, server: "%[2]s:53", nameservers: [%[2]s], delegation: [ns1.new.example.test.],
        tsig: %[4]s}
  parent: {type: rfc2136, server: "%[3]s:53", tsig: %[4]s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: %[5]d, overlap: 1h, delegation: {min_ns: 1, accept: [ns-diversity]}}  # one server a side
cutover:
  resolvers: [%[6]s]
  parent_servers: ["%[3]s:53"]
  state_dir: state
  watch: %[7]ds
`, oldIP, newIP, parentIP, benchrun.KeyConfig, prestage, strings.Join(rs, ", "), nsTTL*3+10))
	var st report
	run(s, cfg, &st, "status")
	s.Write("example.test.zone", childZone("old", oldIP, newIP, prestage, 2))
	old.Reload(s, lab.Zone{Origin: origin, Text: childZone("old", oldIP, newIP, prestage, 2)})
	nw.Reload(s, lab.Zone{Origin: origin, Text: childZone("new", oldIP, newIP, prestage, 2)})
	run(s, cfg, &st, "status")
	for _, n := range st.Next {
		if t, err := time.Parse(time.RFC3339, n.Earliest); err == nil && n.Step == "flip" {
			if time.Until(t) > time.Minute {
				fmt.Fprintf(os.Stderr, "flip: status says flip at %s, more than a minute away\n", n.Earliest)
				return 0, false
			}
			time.Sleep(time.Until(t) + 200*time.Millisecond)
		}
	}
	// Clients keep asking every resolver, so each learns the delegation
	// again as soon as its copy expires; their first questions are spread
	// over one NS TTL, so at the change their copies have different times
	// left, and the last one has most of an NS TTL to go.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { clients(rs, time.Duration(nsTTL)*time.Second, stop); close(done) }()
	time.Sleep(time.Duration(nsTTL) * time.Second)
	var rep report
	code := run(s, cfg, &rep, "flip")
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
			m.SetQuestion("www."+origin, dns.TypeA)
			_, _, _ = c.Exchange(m, r)
		}
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type report struct {
	Gates []struct {
		Name string `json:"name"`
		OK   bool   `json:"ok"`
	} `json:"gates"`
	Next []struct {
		Step     string `json:"step"`
		Earliest string `json:"earliest"`
	} `json:"next"`
	Watch *struct {
		Seconds  float64 `json:"seconds"`
		AllMoved bool    `json:"all_moved"`
		NSTTL    uint32  `json:"ns_ttl"`
	} `json:"watch"`
}

// run runs `dnsparity ARGS --zone origin --config cfg --format json`,
// decodes its report into into and returns its exit status.
func run(s *benchrun.Bench, cfg string, into *report, args ...string) int {
	r := s.Run(append(args, "--zone", origin, "--config", cfg, "--format", "json")...)
	s.Decode(r, into)
	return r.Exit
}
