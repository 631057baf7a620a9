package delegation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestAAAAQueryLab (Zonemaster NAMESERVER05, RFC 4074): a real PowerDNS
// server of the side whose apex AAAA is a LUA record that fails answers
// the apex A, and SERVFAIL to the apex AAAA (AAAA_UNEXPECTED_RCODE,
// ERROR): every resolver asking for the zone's IPv6 address, as dual-stack
// clients do with each lookup, gets a failure. The aaaa check fails as an
// error at that server, and passes at a Knot server that answers NODATA.
func TestAAAAQueryLab(t *testing.T) {
	lab.Require(t, "knotd", "pdns_server")
	ctx := context.Background()
	kIP, pIP := lab.Addr(t), lab.Addr(t)
	text := `$ORIGIN example.test.
$TTL 60
@   SOA ns1 hostmaster 1 3600 600 604800 60
@   NS  ns1
@   NS  ns2
@   A   192.0.2.80
ns1 A   ` + kIP + `
ns2 A   ` + pIP + `
`
	k := lab.Knot(t, lab.Options{IP: kIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text}}})
	p := lab.PDNS(t, lab.Options{IP: pIP, LUA: true, Zones: []lab.Zone{{Origin: "example.test.", Text: text + "@ LUA AAAA \"error('no IPv6 pool')\"\n"}}})
	target := delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test.", "ns2.example.test."},
		Glue:    map[string][]string{"ns1.example.test.": {kIP}, "ns2.example.test.": {pIP}},
		Servers: []string{k.Addr, p.Addr}, ParentServers: quietParent(t), Timeout: time.Second,
		Policy: delegation.Policy{Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}}}
	r := delegation.Run(ctx, target)
	c := find(r, delegation.CheckAAAA, p.Addr)
	if r.OK() || c == nil || c.OK || c.Severity != delegation.SevError || !strings.Contains(c.Got, "SERVFAIL") || c.Fix == "" {
		t.Fatalf("a server answering the apex AAAA with SERVFAIL passes: OK %v, aaaa check %+v; %s", r.OK(), c, r.Summary())
	}
	for _, f := range r.Failed() {
		if f.Name != delegation.CheckAAAA {
			t.Errorf("%s at %s fails too (the case must fail on aaaa alone): %s", f.Name, f.Server, f.Detail)
		}
	}
	if c := find(r, delegation.CheckAAAA, k.Addr); c == nil || !c.OK {
		t.Errorf("Knot answering NODATA to the apex AAAA: %+v", c)
	}
	t.Logf("%s", c.Detail)
}
