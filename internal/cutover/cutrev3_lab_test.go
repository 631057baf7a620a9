package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A zone the old provider holds below the zone (dev.example.test., made at
// the provider's UI), with no delegation in example.test.: the old
// provider's servers answer for its names (authoritatively, from that
// zone), and no listing of example.test. shows them, so old-complete
// passed and parity never asked them: they vanished at the flip. The
// gate now asks a provider that can list its zones (PowerDNS) for those
// below the zone, and counts each that git does not delegate; one git
// delegates is left to the delegation.
func TestCompleteNestedZoneLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	git, err := zone.Parse(strings.NewReader(text), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{
		{Origin: origin, Text: text},
		{Origin: "dev.example.test.", Text: "$ORIGIN dev.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\nwww A 192.0.2.81\n"},
		{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\n"},
	}})
	// What resolvers asking the old provider's server get.
	r, err := query.Msg(context.Background(), srv.Addr, "www.dev.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second})
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("the old server does not answer for www.dev.example.test.: %v %v", r, err)
	}
	p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: srv.APIURL, APIKey: config.Secret(srv.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gate := func(git *zone.Zone) Gate {
		cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
		held, unread, _, err := list(context.Background(), cfg, &cfg.Old)
		return gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	}
	g := gate(git)
	t.Logf("%s: ok=%v %s; plan %q", g.Name, g.OK, g.Detail, g.Plan)
	if g.OK || g.Err || !strings.Contains(g.Detail, "dev.example.test. zone") || strings.Contains(g.Detail, "other.test") {
		t.Errorf("old-complete with a zone of the old provider below the zone, not delegated in git: ok=%v %s", g.OK, g.Detail)
	}
	// Delegated in git: the delegation's business, not a vanishing name.
	delegated, err := zone.Parse(strings.NewReader(text+"dev NS ns1.elsewhere.example.\n"), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	if g := gate(delegated); !g.OK {
		t.Errorf("old-complete with the zone below delegated in git: %s", g.Detail)
	}
}
