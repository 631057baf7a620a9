package ns1_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/push"
)

const secondaryGit = "$ORIGIN example.com.\n@ 3600 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nwww 300 A 192.0.2.80\nmail 300 A 192.0.2.25\n"

// TestSecondaryZoneRefused: a zone NS1 holds as a secondary ("secondary":
// {"enabled": true, "primary_ip": …}, ns1-go's Zone.MakeSecondary) is a
// read-only copy kept by zone transfers from its primary (IBM NS1
// Connect, "Creating a secondary zone"): each write failed at its first
// call. The plan refuses every change, saying the zone is a secondary
// there and to push to its primary; Apply sends nothing either. It is
// read and compared as any zone: in sync, the plan is empty.
func TestSecondaryZoneRefused(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddSecondaryZone("example.com", "192.0.2.53")
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "www.example.com", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.80"}}}})
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", secondaryGit)
	tg, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "ns1"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.Plan.Changes) != 0 {
		t.Errorf("planned %v for a secondary zone", tg.Plan.Changes)
	}
	refused := false
	for _, u := range tg.Plan.Unsupported {
		if u.Set.Name == "mail.example.com." && u.Set.Type == dns.TypeA && strings.Contains(u.Reason, "secondary") && strings.Contains(u.Reason, "192.0.2.53") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("mail A not refused as a change to a secondary zone: %v", tg.Plan.Unsupported)
	}
	// Apply alone sends nothing.
	mail := d.Get("mail.example.com.", dns.TypeA)
	if _, err := p.Apply(context.Background(), d.Origin, []provider.Change{{Action: provider.Create, Name: mail.Name, Type: mail.Type, New: mail}}, nil); err == nil || !strings.Contains(err.Error(), "secondary") {
		t.Errorf("Apply to a secondary zone: %v", err)
	}
	if len(s.Writes) != 0 {
		t.Errorf("writes sent to a secondary zone: %v", s.Writes)
	}
	// In sync with git: nothing to refuse.
	inSync := providertest.Desired(t, "example.com.", strings.Replace(secondaryGit, "mail 300 A 192.0.2.25\n", "", 1))
	tg, err = push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "ns1"}, inSync, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.Plan.Changes) != 0 || len(tg.Plan.Unsupported) != 0 {
		t.Errorf("a secondary zone in sync: changes %v, refused %v", tg.Plan.Changes, tg.Plan.Unsupported)
	}
}

// TestLinkedZoneRefused: a zone linked to another ("link": its name,
// ns1-go's Zone.LinkTo: it serves the other zone's records and "cannot
// have records added"): reading it for a plan is refused, naming the
// zone to push to; Apply sends nothing.
func TestLinkedZoneRefused(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.net")
	s.AddLinkedZone("example.com", "example.net")
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", secondaryGit)
	_, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "ns1"}, d, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "linked to example.net") {
		t.Errorf("plan for a linked zone: %v; want it refused, naming example.net", err)
	}
	www := d.Get("www.example.com.", dns.TypeA)
	if _, err := p.Apply(context.Background(), d.Origin, []provider.Change{{Action: provider.Create, Name: www.Name, Type: www.Type, New: www}}, nil); err == nil || !strings.Contains(err.Error(), "linked to example.net") {
		t.Errorf("Apply to a linked zone: %v", err)
	}
	if len(s.Writes) != 0 {
		t.Errorf("writes sent to a linked zone: %v", s.Writes)
	}
}
