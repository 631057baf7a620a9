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

// TestNSAddressPrivateParentLab (Zonemaster ADDRESS01): the new side's
// second server is a real Knot server at ::1, the IPv6 loopback address,
// and the parent's server is on the IPv4 loopback (the lab). A parent
// that is not globally reachable itself is followed by resolvers of a
// private network, whose reach no address tells: ns-address passes for
// both servers, saying it did not judge them, and the run fails on no
// ns-address check. (The refusal of a private address under a public
// parent: TestNSAddressParentNetwork; no public parent is asked here.)
func TestNSAddressPrivateParentLab(t *testing.T) {
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
	for _, ns := range []string{"ns1.example.test.", "ns2.example.test."} {
		c := find(r, delegation.CheckNSAddress, ns)
		if c == nil || !c.OK || !strings.Contains(c.Detail, "not judged: the parent's servers ("+parent.Addr+") are not globally reachable either") {
			t.Errorf("ns-address of %s under a parent on the loopback: %+v; %s", ns, c, r.Summary())
		}
	}
	for _, f := range r.Failed() {
		if f.Name == delegation.CheckNSAddress {
			t.Errorf("%s at %s fails: %s", f.Name, f.Server, f.Detail)
		}
	}
}
