// Command delegation measures what the delegation gate adds to a flip:
// a parent zone test. on BIND, the old side on one Knot, the new side on
// eight Knot servers (four in each of two /24s) named in the parent zone,
// an Unbound resolver. It runs the real `dnsparity flip --dry-run` (every
// gate, nothing changed) several times and reads the delegation gate's
// own time from its progress line. Run it through run.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/lab"
)

const origin = "example.test."

// gateLine is the gate's progress line on stderr.
var gateLine = regexp.MustCompile(`gate delegation \(new\): (\d+) checks in ([0-9.]+) s, (\d+) failing`)

func main() {
	servers := flag.Int("servers", 8, "servers of the new side")
	runs := flag.Int("runs", 5, "dry runs to measure")
	s := benchrun.Start("delegation")
	defer s.Close()
	parentIP, oldIP := lab.Addr(s), lab.Addr(s)
	var newIPs []string
	for i := 0; i < *servers; i++ {
		if i < *servers/2 {
			newIPs = append(newIPs, lab.Addr(s))
		} else {
			newIPs = append(newIPs, lab.AddrOtherNet(s, newIPs[0]))
		}
	}
	var pz, apex strings.Builder
	fmt.Fprintf(&pz, "$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 3600 5\n@ NS ns.test.\nns A %s\nexample NS ns.oldprov.test.\nns.oldprov A %s\n", parentIP, oldIP)
	var names []string
	for i, ip := range newIPs {
		n := fmt.Sprintf("ns%d.newprov.test.", i+1)
		names = append(names, n)
		fmt.Fprintf(&pz, "ns%d.newprov A %s\n", i+1, ip)
		fmt.Fprintf(&apex, "@ NS %s\n", n)
	}
	zone := func(mname, ns string, ttl int) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL %d\n@ SOA %s h.example.test. 1 3600 600 604800 %d\n%swww A 192.0.2.80\nmail A 192.0.2.25\n@ MX 10 mail.example.test.\n", ttl, mname, ttl, ns)
	}
	lab.BIND(s, lab.Options{IP: parentIP, TSIG: benchrun.Key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: pz.String()}}})
	old := lab.Knot(s, lab.Options{IP: oldIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: origin, Text: zone("ns.oldprov.test.", "@ NS ns.oldprov.test.\n", 60)}}})
	var addrs []string
	for _, ip := range newIPs {
		k := lab.Knot(s, lab.Options{IP: ip, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: origin, Text: zone("ns1.newprov.test.", apex.String(), 60)}}})
		addrs = append(addrs, k.IP)
	}
	res := lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}})
	s.Write("example.test.zone", zone("ns.oldprov.test.", "@ NS ns.oldprov.test.\n", 60))
	// The trail: TTLs seen above the cap long ago, then at it, so that the
	// TTL gates pass and the dry run runs every gate.
	now := time.Now().UTC()
	trail := fmt.Sprintf(`{"zone":"example.test.","entries":[{"time":%q,"actor":"bench","command":"status","result":"observed","ttl":{"old_max":3600,"new_max":3600}},{"time":%q,"actor":"bench","command":"status","result":"observed","ttl":{"old_max":60,"new_max":60}}]}`,
		now.Add(-3*time.Hour).Format(time.RFC3339), now.Add(-2*time.Hour).Format(time.RFC3339))
	s.Write("state/example.test.json", trail)
	cfg := s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - {name: example.test., file: example.test.zone}
providers:
  old: {type: rfc2136, server: "%[1]s:53", nameservers: [%[1]s], delegation: [ns.oldprov.test.],
        tsig: %[4]s}
  new: {type: rfc2136, server: "%[2]s:53", nameservers: [%[5]s], delegation: [%[6]s],
        tsig: %[4]s}
  parent: {type: rfc2136, server: "%[3]s:53", tsig: %[4]s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: 60, overlap: 1h}
cutover:
  resolvers: ["%[7]s"]
  parent_servers: ["%[3]s:53"]
  state_dir: state
`, oldIP, addrs[0], parentIP, benchrun.KeyConfig, strings.Join(addrs, ", "), strings.Join(names, ", "), res.Addr))
	_ = old

	var gate, total []float64
	checks := 0
	for i := 0; i < *runs; i++ {
		r := s.Run("flip", "--dry-run", "--zone", origin, "--config", cfg, "--format", "json")
		var rep struct {
			Result string `json:"result"`
			Gates  []struct {
				Name, Detail string
				OK           bool
			} `json:"gates"`
		}
		s.Decode(r, &rep)
		if rep.Result != "dry-run" {
			s.Fatalf("delegation: dry run %d: result %q, gates %+v\n%s", i+1, rep.Result, rep.Gates, r.Err)
		}
		m := gateLine.FindSubmatch(r.Err)
		if m == nil {
			s.Fatalf("delegation: no gate progress line in:\n%s", r.Err)
		}
		g, _ := strconv.ParseFloat(string(m[2]), 64)
		checks, _ = strconv.Atoi(string(m[1]))
		gate, total = append(gate, g), append(total, r.Wall)
	}
	g, tot := median(gate), median(total)
	gmax := gate[0]
	for _, x := range gate {
		gmax = max(gmax, x)
	}
	fmt.Printf("| new servers | checks | delegation gate s, median of %d (max) | flip --dry-run s, median (first run) | gate / dry run | goal: the gate adds < 2 s |\n|---:|---:|---:|---:|---:|---|\n", *runs)
	fmt.Printf("| %d | %d | %.3f (%.3f) | %.3f (%.3f) | %.2f | %s |\n", *servers, checks, g, gmax, tot, total[0], g/tot, benchrun.YesNo(gmax < 2))
	fmt.Fprintf(os.Stderr, "delegation: gate %v s, dry runs %v s\n", gate, total)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
