// Command cutover-bench times `dnsparity status` on a generated zone of
// 100,000 RRsets served by PowerDNS (old) and Knot (new), delegated from a
// parent zone on BIND, with two Unbound resolvers, and prints the figures.
// Run it through run.sh.
package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plural"
)

func main() {
	sets := benchzone.RRsets()
	runs := flag.Int("runs", 2, "status runs")
	s := benchrun.Start("status")
	defer s.Close()
	parentIP, oldIP, newIP := lab.Addr(s), lab.Addr(s), lab.Addr(s)
	git := generate(*sets, "old", oldIP, newIP)
	s.Write("bench.test.zone", git)

	t0 := time.Now()
	parent := lab.BIND(s, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(
		"$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 60\n@ NS ns.test.\nns A %s\nbench NS ns1.old.bench.test.\nns1.old.bench A %s\n", parentIP, oldIP)}}})
	pdns := lab.PDNS(s, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: benchzone.Origin, Text: git}}})
	knot := lab.Knot(s, lab.Options{IP: newIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: benchzone.Origin, Text: generate(*sets, "new", oldIP, newIP)}}})
	var rs []string
	for i := 0; i < 2; i++ {
		rs = append(rs, lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}}).Addr)
	}
	fmt.Printf("zone: %d RRsets, %d bytes; servers up in %.1f s: parent BIND %s, PowerDNS (old) %s, Knot (new) %s\n",
		*sets, len(git), time.Since(t0).Seconds(), parent.Addr, pdns.Addr, knot.Addr)

	cfg := s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - {name: %s, file: bench.test.zone}
providers:
  old: {type: powerdns, url: %s, server_id: localhost, api_key_env: OLD_KEY, nameservers: [%s], delegation: [ns1.old.bench.test.]}
  new: {type: rfc2136, server: %s, tsig: %s, nameservers: [%s], delegation: [ns1.new.bench.test.]}
  parent: {type: rfc2136, server: %s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: 300, overlap: 168h}
cutover: {resolvers: [%s], parent_servers: [%s], state_dir: state}
`, benchzone.Origin, pdns.APIURL, oldIP, knot.Addr, benchrun.KeyConfig, newIP, parent.Addr, strings.Join(rs, ", "), parent.Addr))
	s.Env = append(s.Env, "OLD_KEY="+pdns.APIKey)

	for i := 0; i < *runs; i++ {
		r := s.Run("status", "--zone", benchzone.Origin, "--config", cfg, "--format", "json")
		if r.Exit != 0 {
			s.Fatalf("status: exit %d\n%s\n%s", r.Exit, r.Out, r.Err)
		}
		var rep cutover.Report
		s.Decode(r, &rep)
		p := rep.Parity
		if p == nil {
			s.Fatalf("status: no parity summary\n%s", r.Out)
		}
		failed := []string{}
		for _, g := range rep.Gates {
			if !g.OK {
				failed = append(failed, g.Name)
			}
		}
		fmt.Printf("status run %d: %.2f s wall (goal < 10 s); parity %d queries in %.2f s (%s); stage %s, points to %s, TTL old %d new %d, unmet gates %v, errors %v\n",
			i+1, r.Wall, p.Queries, p.Seconds, plural.N(p.Errors, "error", "errors"), rep.Stage, rep.Delegation.PointsTo, rep.TTL.OldMax, rep.TTL.NewMax, failed, rep.Errors)
		fmt.Printf("  its progress lines: %s\n", strings.ReplaceAll(strings.TrimSpace(string(r.Err)), "\n", " | "))
	}
}

// generate writes the zone as one side serves it (SOA MNAME and apex NS
// are the side's own): n RRsets of A, AAAA, TXT, MX, CNAME and SRV.
func generate(n int, side, oldIP, newIP string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n", benchzone.Origin)
	fmt.Fprintf(&b, "@ IN SOA ns1.%s hostmaster 1 3600 600 1209600 300\n@ IN NS ns1.%s\nns1.old IN A %s\nns1.new IN A %s\n", side, side, oldIP, newIP)
	benchzone.Body(&b, benchzone.Origin, 4, n)
	return b.String()
}
