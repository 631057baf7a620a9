package delegation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestInBailiwickAliasLab: an NS name inside the zone that the side serves
// as a CNAME (RFC 2181 §10.3: an NS name must not be an alias) refuses,
// although the step installs glue for it and the alias ends at the glue's
// address: resolvers that replace the glue with the child's answer find an
// alias (BIND skips such a server), and registries that run Zonemaster
// (DELEGATION05) reject the change. The same name as an A record passes.
func TestInBailiwickAliasLab(t *testing.T) {
	lab.Require(t, "knotd")
	key := &lab.TSIGKey{Name: "alias-key.", Secret: "YWxpYXMta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNDU="}
	ip := lab.Addr(t)
	zoneText := func(ns1 string) string {
		return fmt.Sprintf(`$ORIGIN example.test.
$TTL 60
@    SOA host hostmaster 1 3600 600 604800 60
@    NS  ns1
ns1  %s
host A %s
`, ns1, ip)
	}
	k := lab.Knot(t, lab.Options{IP: ip, TSIG: key, Zones: []lab.Zone{{Origin: "example.test.", Text: zoneText("CNAME host")}}})
	target := delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
		Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{k.Addr}, Timeout: time.Second,
		Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}}}

	r := delegation.Run(context.Background(), target)
	c := find(r, delegation.CheckGlue, "ns1.example.test.")
	if r.OK() || c == nil || c.OK || !strings.Contains(c.Detail, "CNAME") || !strings.Contains(c.Detail, "RFC 2181") || c.Fix == "" {
		t.Fatalf("an in-bailiwick NS name served as a CNAME passes: OK %v, glue check %+v; %s", r.OK(), c, r.Summary())
	}
	t.Logf("%s", c.Detail)

	k.Reload(t, lab.Zone{Origin: "example.test.", Text: zoneText("A " + ip)})
	r = delegation.Run(context.Background(), target)
	if c := find(r, delegation.CheckGlue, "ns1.example.test."); !r.OK() || c == nil || !c.OK {
		t.Fatalf("the name as an A record should pass: %+v; %s", c, r.Summary())
	}
}
