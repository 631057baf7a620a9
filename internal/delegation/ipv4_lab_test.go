package delegation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestNoIPv4Lab (Zonemaster DELEGATION01 NO_IPV4_NS_DEL; RFC 3901): an
// IPv6-only world on ::1, a parent and the side's server both real Knot
// servers there, the NS name with an AAAA record only. Every other check
// passes, but IPv4-only resolvers (RFC 3901: every zone should have an
// IPv4-reachable server) cannot reach the zone at all: ns-ipv4 fails as a
// warning, which refuses the step unless policy.delegation.accept names
// it (an IPv6-only zone on purpose).
func TestNoIPv4Lab(t *testing.T) {
	lab.Require(t, "knotd")
	ctx := context.Background()
	parent := lab.Knot(t, lab.Options{IP: "::1", Port: lab.PortV6(t), Zones: []lab.Zone{{Origin: "test.", Text: `$ORIGIN test.
$TTL 60
@   SOA ns.test. h.test. 1 3600 600 604800 60
@   NS  ns.test.
ns  AAAA ::1
example NS ns1.example.test.
ns1.example AAAA ::1
`}}})
	child := lab.Knot(t, lab.Options{IP: "::1", Port: lab.PortV6(t), Zones: []lab.Zone{{Origin: "example.test.", Text: `$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
ns1 AAAA ::1
`}}})
	target := delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
		Glue: map[string][]string{"ns1.example.test.": {"::1"}}, Servers: []string{child.Addr},
		ParentZone: "test.", ParentServers: []string{parent.Addr}, Timeout: time.Second,
		Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}}
	r := delegation.Run(ctx, target)
	c := find(r, delegation.CheckNSIPv4, "")
	if r.OK() || c == nil || c.OK || c.Severity != delegation.SevWarning || !strings.Contains(c.Detail, "IPv4-only resolvers") || c.Fix == "" {
		t.Fatalf("an IPv6-only delegation passes: OK %v, ns-ipv4 %+v; %s", r.OK(), c, r.Summary())
	}
	for _, f := range r.Failed() {
		if f.Name != delegation.CheckNSIPv4 {
			t.Errorf("%s at %s fails too (the case must fail on ns-ipv4 alone): %s", f.Name, f.Server, f.Detail)
		}
	}
	t.Logf("%s", c.Detail)

	target.Policy.Accept = append(target.Policy.Accept, delegation.CheckNSIPv4)
	if r := delegation.Run(ctx, target); !r.OK() {
		t.Errorf("an IPv6-only zone on purpose (accept: [ns-ipv4]) is refused: %s", r.Summary())
	}
}

// TestIPv4CountLab (Zonemaster DELEGATION01 NOT_ENOUGH_IPV4_NS_DEL,
// ERROR): the new side's two names are served by real Knot servers,
// ns1 on an IPv4 loopback address, ns2 on ::1 only. IPv4-only resolvers
// then have one server where the delegation needs two (min_ns), so
// ns-count fails as an error naming the IPv6-only name; it passed
// before, counting two names and two distinct addresses whatever their
// family. With ns2 on an IPv4 address too, it passes, though only ns2
// has IPv6 (dual-stack resolvers fall back to IPv4: the fr profile's
// NOT_ENOUGH_IPV6_NS_DEL is not the default's).
func TestIPv4CountLab(t *testing.T) {
	lab.Require(t, "knotd")
	// ns2 with an IPv4 address too passes; IPv6 only, it fails.
	for name, ns2IPv4 := range map[string]bool{"ns2 IPv6 only": false, "ns2 IPv4 and IPv6": true} {
		tc := struct{ ns2IPv4, ok bool }{ns2IPv4, ns2IPv4}
		t.Run(name, func(t *testing.T) {
			ip1, ip2 := lab.Addr(t), lab.Addr(t)
			text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster 1 3600 600 604800 60\n@ NS ns1\n@ NS ns2\nns1 A " + ip1 + "\nns2 AAAA ::1\n"
			glue2 := []string{"::1"}
			if tc.ns2IPv4 {
				text += "ns2 A " + ip2 + "\n"
				glue2 = append(glue2, ip2)
			}
			zones := []lab.Zone{{Origin: "example.test.", Text: text}}
			servers := []string{lab.Knot(t, lab.Options{IP: ip1, Zones: zones}).Addr,
				lab.Knot(t, lab.Options{IP: "::1", Port: lab.PortV6(t), Zones: zones}).Addr}
			if tc.ns2IPv4 {
				servers = append(servers, lab.Knot(t, lab.Options{IP: ip2, Zones: zones}).Addr)
			}
			r := delegation.Run(context.Background(), delegation.Target{Zone: "example.test.", Side: "new",
				NS:   []string{"ns1.example.test.", "ns2.example.test."},
				Glue: map[string][]string{"ns1.example.test.": {ip1}, "ns2.example.test.": glue2}, Servers: servers,
				ParentServers: quietParent(t), Timeout: time.Second,
				Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}})
			c := find(r, delegation.CheckNSCount, "")
			if c == nil {
				t.Fatalf("no ns-count: %s", r.Summary())
			}
			t.Logf("ns-count ok=%v: %s", c.OK, c.Detail)
			if c.OK != tc.ok {
				t.Errorf("ns-count ok=%v, want %v", c.OK, tc.ok)
			}
			if !tc.ok && (c.Severity != delegation.SevError || !strings.Contains(c.Detail, "IPv6 only: ns2.example.test.") || !strings.Contains(c.Detail, "NOT_ENOUGH_IPV4_NS_DEL")) {
				t.Errorf("ns-count %s %q, want an error naming ns2 IPv6 only", c.Severity, c.Detail)
			}
			if r.OK() != tc.ok {
				t.Errorf("gate ok=%v: %s", r.OK(), r.Summary())
			}
		})
	}
}
