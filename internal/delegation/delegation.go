// Package delegation checks the delegation a cutover step would install —
// an NS set, its glue and the DS — before the registrar is touched, at the
// level of Zonemaster's test cases (the pre-delegation checks registries
// such as Afnic and DENIC run): every server of the side the delegation is
// to point to answers authoritatively, over UDP and TCP, with and without
// EDNS, answering AAAA questions as A ones, with exactly that NS set and
// one SOA serial; every name resolves to that side's servers, at globally
// reachable addresses (one of them IPv4); the parent's referral fits 1232 octets; enough
// servers in more than one network; no open recursion or zone transfer; and
// a registry's own rules when a profile is named. Every question goes to an
// address through query.Msg (zone transfers through internal/transfer);
// names outside the zone are resolved only through the resolvers the user
// configured, never the system resolver.
package delegation

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plural"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Check names, as in docs/ARCHITECTURE.md's delegation gate (checks[] of gate delegation).
const (
	CheckChildNS        = "child-ns"
	CheckNSResolves     = "ns-resolves"
	CheckNSSyntax       = "ns-syntax"
	CheckGlue           = "glue"
	CheckNSAddress      = "ns-address"
	CheckSerial         = "serial"
	CheckSOAFields      = "soa-fields"
	CheckAA             = "aa"
	CheckTCP            = "tcp"
	CheckEDNS           = "edns"
	CheckEDNSUnknown    = "edns-unknown"
	CheckEDNSTruncated  = "edns-truncated"
	CheckRecursion      = "recursion"
	CheckAXFROpen       = "axfr-open"
	CheckUpwardReferral = "upward-referral"
	CheckQNameCase      = "qname-case"
	CheckAAAA           = "aaaa"
	CheckReferralSize   = "referral-size"
	CheckNSCount        = "ns-count"
	CheckNSDiversity    = "ns-diversity"
	CheckNSIPv4         = "ns-ipv4"
	CheckRegistry       = "registry"
	// CheckNSSource: the NS set is git's (NSFromGit), and a name of it
	// lies outside the zone.
	CheckNSSource = "ns-source"
	// CheckNSMoved: a name outside the zone of a rollback's recorded set
	// leads elsewhere than it did at the flip and than the side's
	// configured servers.
	CheckNSMoved = "ns-moved"
	// CheckSharedHost is judged at the registrar step, not by this
	// gate: a step that gives an in-bailiwick nameserver host another
	// address at a registrar that cannot say which other zones name it
	// (Route 53 Domains, manual; registrar.SharedHostMoved) is refused
	// unless policy.delegation.accept lists it (vanity nameservers
	// moved to the new provider's addresses, named by no other zone).
	CheckSharedHost = "shared-host"
)

// Checks lists every check name in the order reports show them: the
// checks of the delegation as a whole, then those of each name, then those
// of each server.
var Checks = []string{CheckNSCount, CheckNSDiversity, CheckNSIPv4, CheckReferralSize, CheckRegistry,
	CheckNSSyntax, CheckNSSource, CheckNSResolves, CheckNSMoved, CheckGlue, CheckNSAddress,
	CheckAA, CheckChildNS, CheckSerial, CheckSOAFields, CheckTCP, CheckEDNS, CheckEDNSUnknown, CheckEDNSTruncated, CheckQNameCase, CheckAAAA, CheckRecursion, CheckAXFROpen, CheckUpwardReferral}

// Severities of a check's result: a passing check is info; a failing one
// is an error or a warning (the check's level). A check of a server this
// machine cannot send to at all (no route: a runner without IPv6), or
// whose address family policy.delegation.ipv6 turns off, is not-checked:
// neither passed nor failed, it refuses nothing and the gate's detail
// names the server (as Zonemaster's --no-ipv6 leaves IPv6 out).
const (
	SevError      = "error"
	SevWarning    = "warning"
	SevInfo       = "info"
	SevNotChecked = "not-checked"
)

// levels is each check's severity when it fails.
var levels = map[string]string{
	CheckChildNS: SevError, CheckNSSyntax: SevError, CheckNSResolves: SevError, CheckGlue: SevError, CheckNSAddress: SevError, CheckSerial: SevError,
	CheckAA: SevError, CheckTCP: SevError, CheckEDNS: SevError, CheckQNameCase: SevError, CheckAAAA: SevError,
	CheckSOAFields: SevWarning, CheckRecursion: SevWarning, CheckAXFROpen: SevWarning, CheckUpwardReferral: SevWarning, CheckEDNSUnknown: SevWarning, CheckEDNSTruncated: SevWarning,
	CheckReferralSize: SevError, CheckNSCount: SevError, CheckNSDiversity: SevWarning, CheckNSIPv4: SevWarning,
	CheckRegistry: SevError, CheckSharedHost: SevWarning, CheckNSSource: SevError, CheckNSMoved: SevError,
}

// Check is one check's result: which server (IP:port), name or, for the
// delegation as a whole, nothing; what was asked, what was expected and
// what came back; and what to do when it failed.
type Check struct {
	Name     string `json:"name"`
	Server   string `json:"server"`
	OK       bool   `json:"ok"`
	Severity string `json:"severity"`
	Detail   string `json:"detail"`
	Asked    string `json:"asked,omitempty"`
	Expected string `json:"expected,omitempty"`
	Got      string `json:"got,omitempty"`
	Fix      string `json:"fix,omitempty"`
	// Ref is the test case or rule followed (Zonemaster's test case ID,
	// the RFC, the registry's rule).
	Ref string `json:"ref,omitempty"`
	// Accepted: a failed warning the config accepts
	// (policy.delegation.accept); it does not refuse the step.
	Accepted bool `json:"accepted,omitempty"`
}

// Other is another side: its NS names and servers, so that a name or an
// address of the wrong side is named as such.
type Other struct {
	Name    string
	NS      []string
	Servers []string // IP:port
}

// Policy is what the config says about the checks.
type Policy struct {
	// MinNS is the least number of NS names (and distinct addresses);
	// 0 means 2 (RFC 1034 §4.1, RFC 2182 §5).
	MinNS int
	// Accept are warning checks that do not refuse a step when they fail
	// (policy.delegation.accept); they are still reported.
	Accept []string
	// Registry is the registry's pre-delegation profile (policy.registry).
	Registry *Profile
	// NoIPv6 skips the servers with an IPv6 address on purpose
	// (policy.delegation.ipv6: false): their checks are not-checked.
	NoIPv6 bool
}

func (p Policy) minNS() int {
	if p.MinNS <= 0 {
		return 2
	}
	return p.MinNS
}

// Target is the delegation a step would install and the side it points to.
type Target struct {
	Zone string // the child zone, absolute, lower case
	Side string // "old" or "new"
	// NS are the NS names the step installs at the parent; Glue the
	// addresses it installs for the names in the zone's bailiwick; DS the
	// DS set the parent will serve.
	NS   []string
	Glue map[string][]string
	DS   []string
	// Recorded: NS and Glue are the delegation recorded before the last
	// flip, which a rollback restores, not the side's configuration.
	Recorded bool
	// RecordedAddrs, with Recorded, are the addresses each NS name of
	// the recorded set outside the zone resolved to when the flip
	// recorded it (the trail's before_ns_addrs); Configured the side's
	// servers as the config lists them (Servers adds those the recorded
	// names lead to now). ns-moved judges each such name against both;
	// a name RecordedAddrs lacks (a trail written before they were
	// recorded) is not-checked.
	RecordedAddrs map[string][]string
	Configured    []string
	// NSFromGit, when not "", says where NS comes from when no config
	// names it and git decides it: the side's apex NS, which push writes
	// from git's zone file (manage_apex) or which is git's set as
	// written, e.g. "the apex NS 192.0.2.1:53 serves, which push writes
	// from git's apex NS (zones/example.com.zone:3; ...)". Each name
	// outside the zone then fails ns-source (nsSource).
	NSFromGit string
	// ProviderNS are the names the side's provider answers at the apex
	// whatever git's records say (provider.Capabilities.ServedApexNS:
	// Cloudflare's and DNS Made Easy's assigned name servers; folded,
	// sorted): push never writes nor removes them, so git's apex NS
	// naming one chose nothing, and ns-source passes it; child-ns, when
	// the side serves one the step does not install, tells the config to
	// name them, not to push.
	ProviderNS []string
	// ProviderNSOnly, when not "", says why the side's provider answers
	// no apex NS but ProviderNS's, whatever push writes
	// (provider.Capabilities.OwnApexNSOnly: Cloudflare without
	// multi-provider DNS).
	ProviderNSOnly string
	// Servers are the side's authoritative servers (IP:port) as configured
	// (providers.SIDE.nameservers): the servers asked.
	Servers []string
	Others  []Other
	// ParentZone and ParentServers (IP:port): the parent's referral is
	// measured with what they serve (the RRSIG over the DS), and names in
	// the parent zone are asked of them when no resolver is configured.
	ParentZone    string
	ParentServers []string
	// Resolvers resolve NS names outside the zone (parity.resolver,
	// cutover.resolvers), IP:port.
	Resolvers []string
	Policy    Policy
	Timeout   time.Duration // per query (default 2 s)
	// ApexNS, when set, is a server's answer to the zone's apex NS
	// query (RD=0) that the caller's step already has: a step asks each
	// server once, so that its gates judge one answer (child-ns reads
	// it). nil: the probe asks.
	ApexNS func(ctx context.Context, server string) (*dns.Msg, error)
}

// Server is what one of the side's servers answered, for the table and the
// registry rules.
type Server struct {
	Addr   string   `json:"server"`
	NS     []string `json:"ns,omitempty"`
	Serial *uint32  `json:"serial,omitempty"`
	// SOA timers as served: refresh, retry, expire, minimum.
	Timers *[4]uint32 `json:"soa_timers,omitempty"`
	// NotChecked says why the server was not asked anything: this
	// machine has no route to it, or policy.delegation.ipv6 is false.
	NotChecked string `json:"not_checked,omitempty"`
	soa        *dns.SOA
}

// Result is every check of one target.
type Result struct {
	Zone string   `json:"zone"`
	Side string   `json:"side"`
	NS   []string `json:"ns"`
	// Addrs are the addresses each NS name resolves to (glue, or through
	// the resolvers); missing when it does not resolve.
	Addrs map[string][]string `json:"addresses"`
	// ReferralSize is the parent's referral with the NS set, glue and DS,
	// in octets (see CheckReferralSize).
	ReferralSize int      `json:"referral_size"`
	Servers      []Server `json:"servers"`
	Checks       []Check  `json:"checks"`
	Seconds      float64  `json:"seconds"`
}

// Failed are the failed checks that refuse a step (accepted warnings and
// checks not made from here left out).
func (r *Result) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK && !c.Accepted && c.Severity != SevNotChecked {
			out = append(out, c)
		}
	}
	return out
}

// NotChecked are the servers that were not asked anything, each with why.
func (r *Result) NotChecked() []Server {
	var out []Server
	for _, s := range r.Servers {
		if s.NotChecked != "" {
			out = append(out, s)
		}
	}
	return out
}

// NoneChecked reports whether the target has servers and none of them
// could be asked: nothing the side serves was checked, so the gate
// cannot say whether the delegation is sound.
func (r *Result) NoneChecked() bool {
	return len(r.Servers) > 0 && len(r.NotChecked()) == len(r.Servers)
}

// OK reports whether no check refuses the step.
func (r *Result) OK() bool { return len(r.Failed()) == 0 }

// Summary says in one line what failed (or that nothing did), and which
// servers were not checked from here.
func (r *Result) Summary() string {
	failed := r.Failed()
	accepted, notChecked := 0, 0
	for _, c := range r.Checks {
		switch {
		case c.Accepted:
			accepted++
		case c.Severity == SevNotChecked:
			notChecked++
		}
	}
	tail := ""
	if accepted > 0 {
		tail = fmt.Sprintf(" (%d accepted warnings)", accepted)
	}
	note := ""
	if ns := r.NotChecked(); len(ns) > 0 {
		var parts []string
		for _, s := range ns {
			parts = append(parts, s.Addr+" ("+s.NotChecked+")")
		}
		note = fmt.Sprintf("; not checked from here (%d checks of %d of the %d servers, refusing nothing): %s", notChecked, len(ns), len(r.Servers), strings.Join(parts, "; "))
	}
	checked := len(r.Servers) - len(r.NotChecked())
	if len(failed) == 0 {
		return fmt.Sprintf("the %s side's delegation (NS %s) passes all %d checks on %d servers%s%s", r.Side, strings.Join(r.NS, " "), len(r.Checks)-notChecked, checked, tail, note)
	}
	return fmt.Sprintf("%d of %d checks of the %s side's delegation (NS %s) fail%s: %s%s", len(failed), len(r.Checks)-notChecked, r.Side, strings.Join(r.NS, " "), tail, strings.Join(failedParts(failed), "; "), note)
}

// failedParts says what each failed check found, a server that does not
// answer (its aa check's answer is "no answer: ERR") once for all its
// checks, and the servers that do not answer for the same reason (ERR's
// last part: "connection refused", "i/o timeout") together, where the
// first of them failed: they were asked nothing else that could tell.
func failedParts(failed []Check) []string {
	down := map[string]string{} // server: why
	for _, c := range failed {
		if c.Name == CheckAA && c.Server != "" && strings.HasPrefix(c.Got, "no answer: ") {
			down[c.Server] = c.Got[strings.LastIndex(c.Got, ": ")+2:]
		}
	}
	type part struct {
		text    string
		why     string // a group of servers that do not answer
		servers []string
		names   []string // the other checks of theirs that fail
		checks  int
	}
	var parts []*part
	groups := map[string]*part{}
	for _, c := range failed {
		why, ok := down[c.Server]
		if !ok {
			where := cmp.Or(c.Server, "delegation")
			parts = append(parts, &part{text: fmt.Sprintf("%s %s at %s: %s", c.Severity, c.Name, where, c.Detail)})
			continue
		}
		g := groups[why]
		if g == nil {
			g = &part{why: why}
			groups[why] = g
			parts = append(parts, g)
		}
		if c.Name == CheckAA {
			g.servers = append(g.servers, c.Server)
			continue
		}
		g.checks++
		if !slices.Contains(g.names, c.Name) {
			g.names = append(g.names, c.Name)
		}
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p.why == "" {
			out = append(out, p.text)
			continue
		}
		text := fmt.Sprintf("%s %s at %s: %s (%s)", SevError, CheckAA, strings.Join(p.servers, ", "),
			plural.N(len(p.servers), "server does not answer", "servers do not answer"), p.why)
		if p.checks > 0 {
			whose := "theirs"
			if len(p.servers) == 1 {
				whose = "its"
			}
			text += fmt.Sprintf("; %s of %s fail for it (%s)", plural.N(p.checks, "other check", "other checks"), whose, strings.Join(p.names, ", "))
		}
		out = append(out, text)
	}
	return out
}

// Fixes are the failed checks' fixes, each once, in order.
func (r *Result) Fixes() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range r.Failed() {
		if c.Fix != "" && !seen[c.Fix] {
			seen[c.Fix] = true
			out = append(out, c.Fix)
		}
	}
	return out
}

// Run checks the target: the delegation as a whole, each name and each
// server (the servers at the same time).
func Run(ctx context.Context, t Target) *Result {
	start := time.Now()
	if t.Timeout <= 0 {
		t.Timeout = 2 * time.Second
	}
	t.Zone = zone.Fold(dns.Fqdn(t.Zone))
	ns := make([]string, 0, len(t.NS))
	for _, n := range t.NS {
		ns = append(ns, zone.Fold(dns.Fqdn(n)))
	}
	sort.Strings(ns)
	t.NS = ns
	r := &Result{Zone: t.Zone, Side: t.Side, NS: ns, Addrs: map[string][]string{}, Checks: []Check{}}

	var wg sync.WaitGroup
	names := make([]nameResult, len(ns))
	for i, n := range ns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			names[i] = t.resolve(ctx, n)
		}()
	}
	probes := make([]*probe, len(t.Servers))
	for i, s := range t.Servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			probes[i] = t.probe(ctx, s)
		}()
	}
	wg.Wait()
	for _, nr := range names {
		if len(nr.addrs) > 0 {
			r.Addrs[nr.name] = nr.addrs
		}
	}

	r.Checks = append(r.Checks, t.nsCount(r), t.nsDiversity(r), t.nsIPv4(r))
	size, c := t.referralSize(ctx, r)
	r.ReferralSize = size
	r.Checks = append(r.Checks, c)
	skip := map[string]bool{}
	for _, p := range probes {
		if p.notChecked != "" {
			skip[p.server] = true
		}
	}
	for _, nr := range names {
		r.Checks = append(r.Checks, nsSyntax(nr.name))
		if c, ok := t.nsSource(nr.name); ok {
			r.Checks = append(r.Checks, c)
		}
		r.Checks = append(r.Checks, nr.check)
		if c, ok := t.nsMoved(nr, probes); ok {
			r.Checks = append(r.Checks, c)
		}
		r.Checks = append(r.Checks, t.glue(ctx, nr, skip)...)
		if len(nr.addrs) > 0 {
			r.Checks = append(r.Checks, t.nsAddress(nr))
		}
	}
	r.Checks = append(r.Checks, t.probeChecks(probes)...)
	for _, p := range probes {
		s := Server{Addr: p.server, NS: p.ns, NotChecked: p.notChecked, soa: p.soa}
		if p.soa != nil {
			serial := p.soa.Serial
			s.Serial = &serial
			s.Timers = &[4]uint32{p.soa.Refresh, p.soa.Retry, p.soa.Expire, p.soa.Minttl}
		}
		r.Servers = append(r.Servers, s)
	}
	if t.Policy.Registry != nil {
		r.Checks = append(r.Checks, t.Policy.Registry.evaluate(&t, r)...)
	}
	accept := map[string]bool{}
	for _, a := range t.Policy.Accept {
		accept[a] = true
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Severity == SevNotChecked {
			continue
		}
		if c.OK {
			c.Severity = SevInfo
			continue
		}
		if c.Severity == "" {
			c.Severity = levels[c.Name]
		}
		if c.Severity == SevWarning && accept[c.Name] {
			c.Accepted = true
			c.Detail += " (accepted by policy.delegation.accept)"
		}
	}
	r.Seconds = time.Since(start).Seconds()
	return r
}

// ValidatePolicy checks the names policy.delegation.accept lists: each
// must be a check whose failure is a warning.
func ValidatePolicy(p Policy) error {
	for _, a := range p.Accept {
		lvl, ok := levels[a]
		switch {
		case !ok:
			return fmt.Errorf("policy.delegation.accept: %q is not a check (known: %s)", a, strings.Join(Checks, ", "))
		case lvl != SevWarning && a != CheckRegistry:
			return fmt.Errorf("policy.delegation.accept: %q fails as an error and cannot be accepted (warnings: %s)", a, strings.Join(warningChecks(), ", "))
		}
	}
	if p.MinNS < 0 {
		return fmt.Errorf("policy.delegation.min_ns: %d is negative", p.MinNS)
	}
	return nil
}

func warningChecks() []string {
	var out []string
	for _, c := range Checks {
		if levels[c] == SevWarning {
			out = append(out, c)
		}
	}
	return append(out, CheckRegistry+" (its warning rules)", CheckSharedHost+" (at the registrar step)")
}

// isIPv6 reports whether ip is an IPv6 address (not IPv4-mapped).
func isIPv6(ip string) bool {
	a := net.ParseIP(ip)
	return a != nil && a.To4() == nil
}

// sideOf names the side an address or a name belongs to: "" when it is
// the target's, else the other side's name, else "none".
func (t *Target) sideOfAddr(ip string) string {
	for _, s := range t.Servers {
		if query.Host(s) == ip {
			return ""
		}
	}
	for _, o := range t.Others {
		for _, s := range o.Servers {
			if query.Host(s) == ip {
				return o.Name
			}
		}
	}
	return "none"
}

func (t *Target) sideOfName(n string) string {
	for _, x := range t.NS {
		if x == n {
			return ""
		}
	}
	for _, o := range t.Others {
		for _, x := range o.NS {
			if zone.Fold(dns.Fqdn(x)) == n {
				return o.Name
			}
		}
	}
	return "none"
}

// inBailiwick reports whether name is zone or below it.
func inBailiwick(name, z string) bool { return dns.IsSubDomain(dns.Fqdn(z), dns.Fqdn(name)) }
