// Package fliplab is the lab the flip benchmarks share: a parent zone
// test. on BIND, example.test. on an old and a new provider (Knot servers
// changed by RFC 2136 and listed by AXFR, or a PowerDNS listed through its
// HTTP API for the old one), Unbound resolvers that follow the
// delegation, and the config and zone file a real `dnsparity flip` reads.
// Ready pre-stages the zone and waits until status allows the flip.
package fliplab

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/lab"
)

const (
	// Origin is the zone flipped.
	Origin = "example.test."
	// Prestage is policy.prestage_ttl and the zone's TTL at the flip.
	Prestage = 2
	// HighTTL is the zone's TTL before pre-staging, above the cap, so
	// that the audit trail records the previous maximum.
	HighTTL = 4
)

// Options shape the lab.
type Options struct {
	// NSTTL is the parent's NS (and glue) TTL, seconds.
	NSTTL int
	// Resolvers is how many Unbound resolvers the watch asks.
	Resolvers int
	// RRsets is the zone's size (at least the 7 the zone always has).
	RRsets int
	// Old is the old provider: "knot" (rfc2136, listed by AXFR) or
	// "powerdns" (listed through its HTTP API).
	Old string
	// Watch is cutover.watch.
	Watch time.Duration
}

// Lab is one lab set up by New.
type Lab struct {
	// Config is the dnsparity.yaml's path; Resolvers the resolvers'
	// addresses.
	Config    string
	Resolvers []string

	s              *benchrun.Bench
	o              Options
	oldIP, newIP   string
	oldSrv, newSrv *lab.Server
}

// Report is what the benchmarks read of a cutover step's JSON report.
type Report struct {
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
		Seconds  float64 `json:"seconds"`
		AllMoved bool    `json:"all_moved"`
		NSTTL    uint32  `json:"ns_ttl"`
	} `json:"watch"`
}

// New starts the lab's servers in s and writes the zone file (the old
// side's zone at HighTTL) and the config.
func New(s *benchrun.Bench, o Options) *Lab {
	l := &Lab{s: s, o: o}
	parentIP := lab.Addr(s)
	l.oldIP, l.newIP = lab.Addr(s), lab.Addr(s)
	parent := fmt.Sprintf(`$ORIGIN test.
$TTL 3600
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 %[1]d )
@        IN NS  ns.test.
ns       IN A   %[2]s
example %[1]d IN NS  ns1.old.example.test.
ns1.old.example %[1]d IN A %[3]s
`, o.NSTTL, parentIP, l.oldIP)
	lab.BIND(s, lab.Options{IP: parentIP, TSIG: benchrun.Key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parent}}})
	oldZones := []lab.Zone{{Origin: Origin, Text: l.Zone("old", HighTTL, 1)}}
	oldProvider := fmt.Sprintf(`{type: rfc2136, server: "%[1]s:53", nameservers: [%[1]s], delegation: [ns1.old.example.test.], tsig: %[2]s}`, l.oldIP, benchrun.KeyConfig)
	if o.Old == "powerdns" {
		// A zone loaded, not made through the API: no SOA-EDIT-API, its
		// serial moves only when the zone is loaded again.
		p := lab.PDNS(s, lab.Options{IP: l.oldIP, Zones: oldZones})
		l.oldSrv = p.Server
		oldProvider = fmt.Sprintf(`{type: powerdns, url: %s, server_id: %s, api_key_env: OLD_KEY, nameservers: [%s], delegation: [ns1.old.example.test.]}`, p.APIURL, p.ServerID, l.oldIP)
		s.Env = append(s.Env, "OLD_KEY="+p.APIKey)
	} else {
		l.oldSrv = lab.Knot(s, lab.Options{IP: l.oldIP, TSIG: benchrun.Key, Zones: oldZones})
	}
	l.newSrv = lab.Knot(s, lab.Options{IP: l.newIP, TSIG: benchrun.Key, Zones: []lab.Zone{{Origin: Origin, Text: l.Zone("new", HighTTL, 1)}}})
	for i := 0; i < max(o.Resolvers, 1); i++ {
		l.Resolvers = append(l.Resolvers, lab.Unbound(s, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parentIP}}}).Addr)
	}
	s.Write("example.test.zone", l.Zone("old", HighTTL, 1))
	l.Config = s.Write("dnsparity.yaml", fmt.Sprintf(`zones:
  - {name: example.test., file: example.test.zone}
providers:
  old: %[7]s
  new: {type: rfc2136, server: "%[2]s:53", nameservers: [%[2]s], delegation: [ns1.new.example.test.], tsig: %[4]s}
  parent: {type: rfc2136, server: "%[3]s:53", tsig: %[4]s}
registrar: {type: parent, zone: test., provider: parent}
policy: {prestage_ttl: %[5]d, overlap: 1h, delegation: {min_ns: 1, accept: [ns-diversity]}}  # one server a side
cutover:
  resolvers: [%[6]s]
  parent_servers: ["%[3]s:53"]
  state_dir: state
  watch: %[8]s
`, l.oldIP, l.newIP, parentIP, benchrun.KeyConfig, Prestage, strings.Join(l.Resolvers, ", "), oldProvider, o.Watch))
	return l
}

// Zone is the zone as side ("old" or "new") serves it, with the given
// TTL and serial: Options.RRsets RRsets in all.
func (l *Lab) Zone(side string, ttl, serial int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `$ORIGIN example.test.
$TTL %[1]d
@        IN SOA ns1.%[2]s.example.test. hostmaster.example.test. ( %[5]d 60 60 3600 %[1]d )
@        IN NS   ns1.%[2]s.example.test.
ns1.old  IN A    %[3]s
ns1.new  IN A    %[4]s
www      IN A    192.0.2.10
@        IN MX   10 mail.example.test.
mail     IN A    192.0.2.25
`, ttl, side, l.oldIP, l.newIP, serial)
	for i := 7; i < l.o.RRsets; i++ {
		fmt.Fprintf(&b, "h%d IN A 192.0.%d.%d\n", i, 2+i/250%200, 1+i%250)
	}
	return b.String()
}

// Ready records the zone at HighTTL in the audit trail (status), pre-stages
// it to Prestage on git and both sides, and sleeps until status says the
// flip is allowed; false (said on stderr) when that is more than a minute
// away.
func (l *Lab) Ready() bool {
	var st Report
	l.Run(&st, "status")
	l.s.Write("example.test.zone", l.Zone("old", Prestage, 2))
	l.oldSrv.Reload(l.s, lab.Zone{Origin: Origin, Text: l.Zone("old", Prestage, 2)})
	l.newSrv.Reload(l.s, lab.Zone{Origin: Origin, Text: l.Zone("new", Prestage, 2)})
	l.Run(&st, "status")
	for _, n := range st.Next {
		if t, err := time.Parse(time.RFC3339, n.Earliest); err == nil && n.Step == "flip" {
			if time.Until(t) > time.Minute {
				fmt.Fprintf(os.Stderr, "%s: status says flip at %s, more than a minute away\n", l.s.Name, n.Earliest)
				return false
			}
			time.Sleep(time.Until(t) + 200*time.Millisecond)
		}
	}
	return true
}

// Run runs `dnsparity ARGS --zone Origin --config Config --format json`
// and decodes its report into into.
func (l *Lab) Run(into *Report, args ...string) benchrun.Result {
	r := l.s.Run(append(args, "--zone", Origin, "--config", l.Config, "--format", "json")...)
	l.s.Decode(r, into)
	return r
}
