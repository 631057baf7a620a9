package delegation_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestEDNSUnknownLab (Zonemaster NAMESERVER10-12; RFC 6891 §6.1.2-§6.1.4):
// real BIND, Knot and PowerDNS servers answer EDNS version 1 with
// BADVERS and ignore an option and a flag they do not know, so the
// edns-unknown check passes at each (a false refusal of a flip to any of
// them would show here); the faults it refuses are TestServerFaults'.
func TestEDNSUnknownLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server")
	ctx := context.Background()
	bIP, kIP, pIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
	text := `$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
@   NS  ns2
@   NS  ns3
ns1 A   ` + bIP + `
ns2 A   ` + kIP + `
ns3 A   ` + pIP + `
`
	zones := []lab.Zone{{Origin: "example.test.", Text: text}}
	b := lab.BIND(t, lab.Options{IP: bIP, Zones: zones})
	k := lab.Knot(t, lab.Options{IP: kIP, Zones: zones})
	p := lab.PDNS(t, lab.Options{IP: pIP, Zones: zones})
	r := delegation.Run(ctx, delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test.", "ns2.example.test.", "ns3.example.test."},
		Glue:    map[string][]string{"ns1.example.test.": {bIP}, "ns2.example.test.": {kIP}, "ns3.example.test.": {pIP}},
		Servers: []string{b.Addr, k.Addr, p.Addr}, ParentServers: quietParent(t), Timeout: time.Second,
		Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}})
	for name, addr := range map[string]string{"BIND": b.Addr, "Knot": k.Addr, "PowerDNS": p.Addr} {
		c := find(r, delegation.CheckEDNSUnknown, addr)
		t.Logf("%s: %s", name, c.Detail)
		if c == nil || !c.OK || c.Got != "BADVERS to EDNS version 1; an unknown option and flag ignored" {
			t.Errorf("%s at %s: %+v", name, addr, c)
		}
	}
	if !r.OK() {
		t.Errorf("%s", r.Summary())
	}
}
