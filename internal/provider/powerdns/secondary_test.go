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

// TestApplyZoneMissingNotApplied: a push to a zone the real PowerDNS does
// not hold stops at its first read (the disabled records a PATCH must
// send back), before any PATCH: every change is listed not applied in
// Result.Left, and the error says so. On the code before, Left was empty
// (the changes in no list).
func TestApplyZoneMissingNotApplied(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	var cs []provider.Change
	for _, s := range providertest.Desired(t, origin, "$ORIGIN example.com.\n@ 300 SOA ns h 1 2 3 4 5\na 300 A 192.0.2.1\nb 300 TXT \"b\"\n").Sets {
		if s.Name != origin {
			cs = append(cs, provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s})
		}
	}
	res, err := p.Apply(context.Background(), origin, cs, nil)
	if err == nil {
		t.Fatal("a push to a zone the server does not hold succeeded")
	}
	t.Logf("%v", err)
	if len(res.Applied) != 0 || len(res.Left.NotApplied) != len(cs) || provider.PerhapsApplied(err) {
		t.Errorf("the Result's left: %+v (applied %d), PerhapsApplied %v; want all %d not applied", res.Left, len(res.Applied), provider.PerhapsApplied(err), len(cs))
	}
	if want := "not applied: " + provider.ChangeNames(cs); !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not say %q: %v", want, err)
	}
}
