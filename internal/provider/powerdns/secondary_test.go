package powerdns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestSlaveZoneRefused: a zone the lab's PowerDNS holds as a secondary
// ("kind": "Slave", its masters set: POST zones) takes a PATCH of its
// RRsets (PowerDNS 4.7's API does not refuse it), and the next transfer
// from its master puts the master's data back: a push that reports
// success and is undone later. The plan refuses every change, saying the
// zone is a secondary and to push to its master; Apply sends nothing.
func TestSlaveZoneRefused(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	srv.API(t, "POST", "/zones", map[string]any{"name": origin, "kind": "Slave", "masters": []string{"192.0.2.53"}}, nil)
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	d := providertest.Desired(t, origin, "$ORIGIN example.com.\n@ 300 SOA ns1 h 1 2 3 4 5\n@ 300 NS ns1\nns1 300 A 192.0.2.1\nwww 300 A 192.0.2.80\n")
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Changes) != 0 {
		t.Errorf("planned %v for a secondary zone", pl.Changes)
	}
	refused := false
	for _, u := range pl.Unsupported {
		if u.Set.Name == "www.example.com." && strings.Contains(u.Reason, "secondary") && strings.Contains(u.Reason, "192.0.2.53") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("www A not refused as a change to a secondary zone: %v", pl.Unsupported)
	}
	www := d.Get("www.example.com.", dns.TypeA)
	_, err = p.Apply(ctx, origin, []provider.Change{{Action: provider.Create, Name: www.Name, Type: www.Type, New: www}}, nil)
	if err == nil || !strings.Contains(err.Error(), "secondary") {
		t.Errorf("Apply to a secondary zone: %v", err)
	}
	if n := p.Patches(); n != 0 {
		t.Errorf("%d PATCH requests sent to a secondary zone", n)
	}
}
