package delegation_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestTCPDroppedLab (Zonemaster CONNECTIVITY02; RFC 7766 §5): a real
// Unbound serving the zone authoritatively (auth-zone) over UDP only
// (do-tcp: no: TCP connections refused), and the same with a listener on
// its TCP port that takes connections and never answers (a firewall or
// middlebox that swallows TCP), both answering every UDP question. The
// tcp check fails at each, as an error that refuses the step and says
// what to open; the same Unbound with TCP passes (its recursion offered
// beside the zone, a warning of its own, is accepted here). (dnsdist 1.7.3 ignores
// setLocal's doTCP=false and listens on TCP all the same.) A server that drops TCP breaks
// every truncated answer (a signed zone's DNSKEY set, a large referral)
// and resolvers that retry over TCP.
func TestTCPDroppedLab(t *testing.T) {
	lab.Require(t, "unbound")
	cases := []struct {
		what    string
		noTCP   bool
		silent  bool // a TCP listener that never answers
		failing bool
	}{
		{what: "with TCP"},
		{what: "UDP only", noTCP: true, failing: true},
		{what: "TCP taken and never answered", noTCP: true, silent: true, failing: true},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			ip := lab.Addr(t)
			zones := []lab.Zone{{Origin: "example.test.", Text: "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 1209600 60\n@ NS ns1\nns1 A " + ip + "\n"}}
			addr := lab.Unbound(t, lab.UnboundOptions{IP: ip, Auth: zones, NoTCP: tc.noTCP}).Addr
			if tc.silent {
				l, err := net.Listen("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { l.Close() })
				go func() {
					for {
						conn, err := l.Accept()
						if err != nil {
							return
						}
						t.Cleanup(func() { conn.Close() }) // held open, never answered
					}
				}()
			}
			r := delegation.Run(context.Background(), delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
				Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{addr}, ParentServers: quietParent(t), Timeout: time.Second,
				Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen, delegation.CheckRecursion}}})
			c := find(r, delegation.CheckTCP, addr)
			if c == nil {
				t.Fatalf("no tcp check: %s", r.Summary())
			}
			if aa := find(r, delegation.CheckAA, addr); aa == nil || !aa.OK {
				t.Fatalf("the server does not answer over UDP (%+v): the case proves nothing", aa)
			}
			if c.OK == tc.failing || (tc.failing && (c.Severity != delegation.SevError || !strings.Contains(c.Fix, "open TCP port 53"))) {
				t.Errorf("tcp check %+v, want failing %v, an error naming what to open", c, tc.failing)
			}
			if r.OK() == tc.failing {
				t.Errorf("gate ok=%v: %s", r.OK(), r.Summary())
			}
		})
	}
}
