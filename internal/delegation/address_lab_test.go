package delegation_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// quietParent is the address of a parent server on the lab's loopback
// where nothing listens, with the addresses of others: the cases that
// judge the side's servers name it so that ns-address (ADDRESS01) counts
// the lab's networks as those the delegation lives in, resolvers
// included. Asked for the DS's signatures (referral-size), it refuses at
// once.
func quietParent(t *testing.T, others ...string) []string {
	t.Helper()
	out := []string{net.JoinHostPort(lab.Addr(t), "53")}
	for _, ip := range others {
		out = append(out, net.JoinHostPort(ip, "53"))
	}
	return out
}

// TestNSAddressNotGloballyReachableLab (Zonemaster ADDRESS01): the new
// side's second server is a real Knot server that answers every question
// from here, at ::1, the IPv6 loopback address, as a server reached over a
// VPN or a private view answers at 10.x or fd00::/8. The parent's server
// is on the IPv4 loopback (the lab): resolvers following the delegation
// from it never reach ::1. ns-address fails as an error naming the block;
// ns1, on the parent's own loopback block, passes (the lab, an internal
// tree: the delegation lives in that network).
func TestNSAddressNotGloballyReachableLab(t *testing.T) {
	lab.Require(t, "knotd")
	ctx := context.Background()
	pIP, ip1 := lab.Addr(t), lab.Addr(t)
	parent := lab.Knot(t, lab.Options{IP: pIP, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(`$ORIGIN test.
$TTL 60
@   SOA ns.test. h.test. 1 3600 600 604800 60
@   NS  ns.test.
ns  A   %s
example NS ns1.example.test.
example NS ns2.example.test.
ns1.example A %s
ns2.example AAAA ::1
`, pIP, ip1)}}})
	child := lab.Zone{Origin: "example.test.", Text: `$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
@   NS  ns2
ns1 A    ` + ip1 + `
ns2 AAAA ::1
`}
	k1 := lab.Knot(t, lab.Options{IP: ip1, Zones: []lab.Zone{child}})
	k2 := lab.Knot(t, lab.Options{IP: "::1", Port: lab.PortV6(t), Zones: []lab.Zone{child}})
	target := delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test.", "ns2.example.test."},
		Glue:    map[string][]string{"ns1.example.test.": {ip1}, "ns2.example.test.": {"::1"}},
		Servers: []string{k1.Addr, k2.Addr}, ParentZone: "test.", ParentServers: []string{parent.Addr}, Timeout: time.Second,
		Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}}

	r := delegation.Run(ctx, target)
	c := find(r, delegation.CheckNSAddress, "ns2.example.test.")
	if r.OK() || c == nil || c.OK || c.Severity != delegation.SevError || !strings.Contains(c.Detail, "::1 is Loopback Address (::1/128, RFC 4291)") || c.Fix == "" {
		t.Fatalf("a delegation to ::1 under a parent on 127.0.0.0/8 passes: OK %v, ns-address of ns2 %+v; %s", r.OK(), c, r.Summary())
	}
	for _, f := range r.Failed() {
		if f.Name != delegation.CheckNSAddress {
			t.Errorf("%s at %s fails too (the case must fail on ns-address alone): %s", f.Name, f.Server, f.Detail)
		}
	}
	if c := find(r, delegation.CheckNSAddress, "ns1.example.test."); c == nil || !c.OK || !strings.Contains(c.Detail, "same block as the parent's servers") {
		t.Errorf("ns1, on the parent's loopback block, should pass: %+v", c)
	}
	t.Logf("%s", c.Detail)

	// Both on the parent's loopback block: the lab's delegation passes.
	target.NS, target.Glue, target.Servers = target.NS[:1], map[string][]string{"ns1.example.test.": {ip1}}, []string{k1.Addr}
	target.Policy.MinNS = 1
	if r := delegation.Run(ctx, target); find(r, delegation.CheckNSAddress, "ns1.example.test.") == nil || !find(r, delegation.CheckNSAddress, "ns1.example.test.").OK {
		t.Errorf("ns1 alone: %s", r.Summary())
	}
}
