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
