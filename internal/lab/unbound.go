package lab

import (
	"fmt"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// UnboundOptions configure a resolver.
type UnboundOptions struct {
	// Stubs: zone → addresses ("IP" or "IP:port") of its authoritative
	// servers, e.g. {"test.": {"127.53.0.7"}}: Unbound follows delegations
	// from there.
	Stubs map[string][]string
	IP    string // default Addr(t)
	Port  int    // default 53
	// TrustAnchors, when set, turn on DNSSEC validation ("validator
	// iterator") with these anchors: DS or DNSKEY records in presentation
	// form ("test. 3600 IN DS 12345 13 2 ABCD..."). Answers that validate
	// carry AD; bogus ones are SERVFAIL.
	TrustAnchors []string
	// HardenAlgoDowngrade sets Unbound's harden-algo-downgrade: yes
	// (default no): with validation, every algorithm the DS set names
	// must sign the zone's DNSKEY set and its answers, instead of any one.
	HardenAlgoDowngrade bool
	// OutgoingIP is the address Unbound sends its queries from (default
	// 127.0.0.1). Another one, which no other query of this machine
	// leaves from, lets a firewall rule that drops every query to a
	// server but those from it (iptables "! -s OutgoingIP") time the
	// test's own queries out while the resolver still reaches the
	// server. A rule naming the test's source instead would match only
	// sometimes: the kernel sends a query to an address on lo (where
	// the lab puts a BIND server's) from that address itself, and to
	// another 127/8 address from 127.0.0.1.
	OutgoingIP string
	// MaxNegativeTTL is Unbound's cache-max-negative-ttl in seconds
	// (default 5 here, Unbound's own 3600): how long at most a negative
	// answer is cached, the SOA in its authority section capped to it,
	// and so how long an NXDOMAIN synthesised from cached NSEC records
	// (aggressive-nsec, RFC 8198, on by default) can be given.
	MaxNegativeTTL int
	// Auth are zones Unbound serves itself, authoritatively (auth-zone,
	// for-downstream: yes), from their text.
	Auth []Zone
	// Wildcard listens on 0.0.0.0@Port (queries only from 127.0.0.0/8,
	// Port one PortWildcard found free, IP not on lo: NotOnLo) without
	// interface-automatic: Unbound
	// then answers a query to IP:Port from the address the kernel picks
	// for the way back (127.0.0.1 on the loopback), not from IP, as a
	// server on a wildcard socket of a host with several addresses does
	// (Zonemaster NAMESERVER04; the unbound.conf manual,
	// interface-automatic). Resolvers drop those answers.
	Wildcard bool
	// NoTCP answers over UDP only (do-tcp: no): with Auth, an
	// authoritative server that takes no TCP (Zonemaster
	// CONNECTIVITY02's failure); its TCP port stays free for a test's
	// own listener.
	NoTCP bool
}

// notLoopback lists every IPv4 netblock outside 127.0.0.0/8, and all of
// IPv6: Unbound must never send a packet off the machine.
var notLoopback = []string{
	"0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/4", "112.0.0.0/5", "120.0.0.0/6",
	"124.0.0.0/7", "126.0.0.0/8", "128.0.0.0/1", "::/0",
}

// Unbound starts an iterating resolver (`unbound -d -c CONF`, iterator
// module only, no validation unless o.TrustAnchors) whose only way into the
// DNS is o.Stubs. Its root hints point at the lab's refusing root
// (refusingRoot) and every address outside 127/8 is in
// do-not-query-address, so names outside the stubs fail (SERVFAIL, at
// once) instead of leaving the machine. Caches
// are small; the negative cache lasts at most 5 s (o.MaxNegativeTTL).
func Unbound(t T, o UnboundOptions) *Server {
	t.Helper()
	Require(t, "unbound")
	s := newServer(t, "unbound", o.IP, o.Port)

	hints := filepath.Join(s.Dir, "root.hints")
	writeFile(t, hints, ".\t3600000\tIN\tNS\tlab-root.invalid.\nlab-root.invalid.\t3600000\tIN\tA\t"+refusingRoot(t)+"\n")

	var b strings.Builder
	fmt.Fprintf(&b, "server:\n")
	listen := s.IP
	if o.Wildcard {
		if o.Port == 0 || o.Port == 53 {
			t.Fatalf("lab: a wildcard Unbound needs a free port of its own (PortV6), not %d", o.Port)
		}
		if !NotOnLo(s.IP) {
			t.Fatalf("lab: a wildcard Unbound at %s, an address on lo, answers from it: take one with AddrWhere(t, NotOnLo)", s.IP)
		}
		listen = "0.0.0.0"
	}
	fmt.Fprintf(&b, "\tinterface: %s@%d\n", listen, s.Port)
	fmt.Fprintf(&b, "\tport: %d\n", s.Port)
	out := "127.0.0.1"
	if o.OutgoingIP != "" {
		out = o.OutgoingIP
	}
	fmt.Fprintf(&b, "\toutgoing-interface: %s\n", out)
	fmt.Fprintf(&b, "\tusername: \"\"\n\tchroot: \"\"\n")
	fmt.Fprintf(&b, "\tdirectory: %q\n", s.Dir)
	fmt.Fprintf(&b, "\tpidfile: %q\n", filepath.Join(s.Dir, "u.pid"))
	fmt.Fprintf(&b, "\tuse-syslog: no\n\tlogfile: \"\"\n\tverbosity: 1\n")
	doTCP := "yes"
	if o.NoTCP {
		doTCP = "no"
	}
	fmt.Fprintf(&b, "\tdo-ip6: no\n\tdo-ip4: yes\n\tdo-udp: yes\n\tdo-tcp: %s\n", doTCP)
	fmt.Fprintf(&b, "\tdo-not-query-localhost: no\n")
	for _, n := range notLoopback {
		fmt.Fprintf(&b, "\tdo-not-query-address: %s\n", n)
	}
	fmt.Fprintf(&b, "\taccess-control: 127.0.0.0/8 allow\n")
	if len(o.TrustAnchors) == 0 {
		fmt.Fprintf(&b, "\tmodule-config: \"iterator\"\n")
	} else {
		fmt.Fprintf(&b, "\tmodule-config: \"validator iterator\"\n")
		fmt.Fprintf(&b, "\tval-log-level: 2\n")
		if o.HardenAlgoDowngrade {
			fmt.Fprintf(&b, "\tharden-algo-downgrade: yes\n")
		}
		for _, a := range o.TrustAnchors {
			fmt.Fprintf(&b, "\ttrust-anchor: %q\n", a)
		}
	}
	fmt.Fprintf(&b, "\troot-hints: %q\n", hints)
	fmt.Fprintf(&b, "\tqname-minimisation: no\n")
	fmt.Fprintf(&b, "\tnum-threads: 2\n")
	fmt.Fprintf(&b, "\tmsg-cache-size: 4m\n\trrset-cache-size: 8m\n\tkey-cache-size: 1m\n\tneg-cache-size: 1m\n")
	maxNeg := 5
	if o.MaxNegativeTTL > 0 {
		maxNeg = o.MaxNegativeTTL
	}
	fmt.Fprintf(&b, "\tcache-max-negative-ttl: %d\n", maxNeg)
	fmt.Fprintf(&b, "\tinfra-host-ttl: 10\n")
	fmt.Fprintf(&b, "\tprefetch: no\n")
	fmt.Fprintf(&b, "\tminimal-responses: no\n")

	zones := make([]string, 0, len(o.Stubs))
	for z := range o.Stubs {
		zones = append(zones, z)
	}
	sort.Strings(zones)
	for _, z := range zones {
		fmt.Fprintf(&b, "\tlocal-zone: %q nodefault\n", dns.Fqdn(z))
	}
	for _, z := range o.Auth {
		// Unbound's default local zones (test., invalid., …, RFC
		// 6761) would answer NXDOMAIN before the auth-zone.
		labels := dns.SplitDomainName(z.Origin)
		fmt.Fprintf(&b, "\tlocal-zone: %q nodefault\n", dns.Fqdn(labels[len(labels)-1]))
	}
	fmt.Fprintf(&b, "remote-control:\n\tcontrol-enable: no\n")
	for i, z := range o.Auth {
		f := filepath.Join(s.Dir, fmt.Sprintf("auth-%d.db", i))
		writeFile(t, f, z.Text)
		fmt.Fprintf(&b, "auth-zone:\n\tname: %q\n\tzonefile: %q\n\tfor-downstream: yes\n\tfor-upstream: no\n", dns.Fqdn(z.Origin), f)
	}
	for _, z := range zones {
		fmt.Fprintf(&b, "stub-zone:\n\tname: %q\n", dns.Fqdn(z))
		if len(o.Stubs[z]) == 0 {
			t.Fatalf("lab: unbound stub %s has no addresses", z)
		}
		for _, a := range o.Stubs[z] {
			addr, err := stubAddr(a)
			if err != nil {
				t.Fatalf("lab: unbound stub %s: %v", z, err)
			}
			fmt.Fprintf(&b, "\tstub-addr: %s\n", addr)
		}
	}
	conf := filepath.Join(s.Dir, "unbound.conf")
	writeFile(t, conf, b.String())
	s.Conf = conf

	start(t, s, "unbound", "-d", "-c", conf)
	if o.Wildcard {
		// Its answers come from elsewhere: a started process that
		// reads its configuration is all there is to wait for.
		waitWildcard(t, s)
		return s
	}
	waitReady(t, s, o.Auth)
	return s
}

// stubAddr turns "IP" or "IP:port" into Unbound's "IP@port", refusing
// anything outside 127.0.0.0/8.
func stubAddr(a string) (string, error) {
	host, port := a, ""
	if h, p, err := net.SplitHostPort(a); err == nil {
		host, port = h, p
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("%q is not an IPv4 loopback address", a)
	}
	if port == "" {
		return host, nil
	}
	return host + "@" + port, nil
}

// waitWildcard polls a wildcard Unbound (UnboundOptions.Wildcard) from an
// unconnected socket, which reads its answers from whichever address
// they come, until one comes.
func waitWildcard(t T, s *Server) {
	t.Helper()
	to, err := net.ResolveUDPAddr("udp4", s.Addr) // an address literal: no lookup
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	c, err := net.ListenUDP("udp4", nil)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	defer c.Close()
	m := new(dns.Msg)
	m.SetQuestion("version.bind.", dns.TypeTXT)
	m.Question[0].Qclass = dns.ClassCHAOS
	q, _ := m.Pack()
	buf := make([]byte, 4096)
	for deadline := time.Now().Add(startTimeout); time.Now().Before(deadline); {
		if s.Exited() {
			t.Fatalf("lab: unbound on %s exited while starting\n%s", s.Addr, s.LogTail(40))
		}
		if _, err := c.WriteToUDP(q, to); err != nil {
			t.Fatalf("lab: %v", err)
		}
		_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, _, err := c.ReadFromUDP(buf); err == nil {
			return
		}
	}
	s.Stop()
	t.Fatalf("lab: unbound on %s (wildcard) did not answer within %v\n%s", s.Addr, startTimeout, s.LogTail(40))
}
