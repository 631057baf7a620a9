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
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/lab"
)

const (
	origin   = "example.test."
	prestage = 2 // policy.prestage_ttl and the zone's TTL at the flip
	highTTL  = 4 // the zone's TTL before pre-staging
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

// childZone is the zone as a side serves it: n RRsets in all.
func childZone(side, oldIP, newIP string, ttl, serial, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `$ORIGIN example.test.
$TTL %[1]d
@        IN SOA ns1.%[2]s.example.test. hostmaster.example.test. ( %[5]d 60 60 3600 %[1]d )
@        IN NS   ns1.%[2]s.example.test.
ns1.old  IN A    %[3]s
ns1.new  IN A    %[4]s
www      IN A    192.0.2.10
`, ttl, side, oldIP, newIP, serial)
	for i := 5; i < n; i++ {
		fmt.Fprintf(&b, "h%d IN A 192.0.%d.%d\n", i, 2+i/250%200, 1+i%250)
	}
	return b.String()
}

// measure sets up a fresh lab, pre-stages the zone, waits for the flip
// to be allowed and flips with bin; the flip's wall time.
func measure(bin string, n int, oldKind string) (float64, bool) {
	s := benchrun.New("flipcost", bin)
	defer s.Close()
	parentIP, oldIP, newIP := lab.Addr(s), lab.Addr(s), lab.Addr(s)
	parent := fmt.Sprintf("$ORIGIN test.\n$TTL 3600\n@ IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 1 )\n@ IN NS ns.test.\nns IN A %[1]s\nexample 1 IN NS ns1.old.example.test.\nns1.old.example 1 IN A %[2]s\n", parentIP, oldIP)
	lab.BIND(s, lab.Options{IP: parentIP, TSIG: benchrun.Key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parent}}})
	oldZones := []lab.Zone{{Origin: origin, Text: childZone("old", oldIP, newIP, highTTL, 1, n)}}
	oldProvider := fmt.Sprintf(`{type: rfc2136, server: "%[1]s:53", nameservers: [%[1]s], delegation: [ns1.old.example.test.], tsig: %[2]s}`, oldIP, benchrun.KeyConfig)
	var old *lab.Server
	if oldKind == "powerdns" {
		// A zone loaded, not made through the API: no SOA-EDIT-API, its
		// serial moves only when the zone is loaded again.
		p := lab.PDNS(s, lab.Options{IP: oldIP, Zones: oldZones})
		old = p.Server
		oldProvider = fmt.Sprintf(`{type: powerdns, url: %s, server_id: %s, api_key_env: OLD_KEY, nameservers: [%s], delegation: [ns1.old.example.test.]}`, p.APIURL, p.ServerID, oldIP)
		s.Env = append(s.Env, "OLD_KEY="+p.APIKey)
	} else {
		old = lab.Knot(s, lab.Options{IP: oldIP, TSIG: benchrun.Key, Zones: oldZones})
	}
	nw := lab.Knot(s, lab.Options{IP: newIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: origin, Text: childZone("new", oldIP, newIP, highTTL, 1, n)}}})
	r := lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}}).Addr
	s.Write("example.test.zone", childZone("old", oldIP, newIP, highTTL, 1, n))
	cfg := s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - {name: example.test., file: example.test.zone}
providers:
  old: %[7]s
  new: {type: rfc2136, server: "%[2]s:53", nameservers: [%[2]s], delegation: [ns1.new.example.test.], tsig: %[4]s}
  parent: {type: rfc2136, server: "%[3]s:53", tsig: %[4]s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: %[5]d, overlap: 1h, delegation: {min_ns: 1, accept: [ns-diversity]}}
cutover:
  resolvers: [%[6]s]
  parent_servers: ["%[3]s:53"]
  state_dir: state
  watch: 20s
`, oldIP, newIP, parentIP, benchrun.KeyConfig, prestage, r, oldProvider))
	var st report
	run(s, cfg, &st, "status")
	s.Write("example.test.zone", childZone("old", oldIP, newIP, prestage, 2, n))
	old.Reload(s, lab.Zone{Origin: origin, Text: childZone("old", oldIP, newIP, prestage, 2, n)})
	nw.Reload(s, lab.Zone{Origin: origin, Text: childZone("new", oldIP, newIP, prestage, 2, n)})
	run(s, cfg, &st, "status")
	for _, x := range st.Next {
		if t, err := time.Parse(time.RFC3339, x.Earliest); err == nil && x.Step == "flip" {
			if time.Until(t) > time.Minute {
				fmt.Fprintf(os.Stderr, "flipcost: status says flip at %s, more than a minute away\n", x.Earliest)
				return 0, false
			}
			time.Sleep(time.Until(t) + 200*time.Millisecond)
		}
	}
	var rep report
	res := s.Run("flip", "--zone", origin, "--config", cfg, "--format", "json")
	s.Decode(res, &rep)
	if res.Exit != 0 {
		fmt.Fprintf(os.Stderr, "flipcost: %s: flip exited %d, gates %+v\n%s\n", bin, res.Exit, rep.Gates, res.Err)
		return 0, false
	}
	fmt.Fprintf(os.Stderr, "flipcost: %s: flip %.2f s wall (watch %.1f s)\n%s", bin, res.Wall, rep.Watch.Seconds, res.Err)
	return res.Wall, true
}

type report struct {
	Gates []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"gates"`
	Next []struct {
		Step     string `json:"step"`
		Earliest string `json:"earliest"`
	} `json:"next"`
	Watch *struct {
		Seconds float64 `json:"seconds"`
	} `json:"watch"`
}

// run runs `dnsparity ARGS --zone origin --config cfg --format json` and
// decodes its report into into.
func run(s *benchrun.Bench, cfg string, into *report, args ...string) {
	r := s.Run(append(args, "--zone", origin, "--config", cfg, "--format", "json")...)
	s.Decode(r, into)
}
