package lab

import (
	"fmt"
	"path/filepath"
	"strings"
)

// DnsdistOptions configure a dnsdist load balancer in front of one
// authoritative server, as a provider runs its servers behind one.
type DnsdistOptions struct {
	IP   string // default Addr(t)
	Port int    // default 53
	// Backend is the server it forwards every question to ("IP:port").
	Backend string
	// Zones are the origins it must pass the backend's authoritative SOA
	// for before it counts as started.
	Zones []string
	// Lua are configuration lines added after the listener and the
	// backend: rules and settings, the way a test makes it misbehave,
	// e.g. `addAction(QTypeRule(DNSQType.DNSKEY), TCAction())` with
	// `setAddEDNSToSelfGeneratedResponses(false)`: a truncated answer
	// without the OPT record the query had (RFC 6891 §7).
	Lua []string
}

// Dnsdist starts dnsdist (`dnsdist --supervised --disable-syslog -C CONF`)
// on o.IP:o.Port in front of o.Backend, health-checked with the first
// zone's SOA; no console, no security polling (which would ask the
// system's resolver: setSecurityPollSuffix("")).
func Dnsdist(t T, o DnsdistOptions) *Server {
	t.Helper()
	Require(t, "dnsdist")
	s := newServer(t, "dnsdist", o.IP, o.Port)
	if o.Backend == "" {
		t.Fatalf("lab: dnsdist needs a backend")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "setSecurityPollSuffix(\"\")\n")
	fmt.Fprintf(&b, "setLocal(%q)\n", s.Addr)
	check := ""
	if len(o.Zones) > 0 {
		check = fmt.Sprintf(", checkName=%q, checkType=\"SOA\"", o.Zones[0])
	}
	fmt.Fprintf(&b, "newServer({address=%q%s})\n", o.Backend, check)
	for _, l := range o.Lua {
		fmt.Fprintf(&b, "%s\n", l)
	}
	conf := filepath.Join(s.Dir, "dnsdist.conf")
	writeFile(t, conf, b.String())
	s.Conf = conf
	var zones []Zone
	for _, z := range o.Zones {
		zones = append(zones, Zone{Origin: z})
	}
	start(t, s, "dnsdist", "--supervised", "--disable-syslog", "-C", conf)
	waitReady(t, s, zones)
	return s
}
