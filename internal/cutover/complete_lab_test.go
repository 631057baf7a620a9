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

// A record of the old provider's own kind (PowerDNS's LUA here; an
// ALIAS, a web redirect, a Route 53 alias, a flattened apex CNAME, a
// located answer elsewhere) at a name git does not have: the provider's
// servers answer it, its listing leaves it out (a zone file cannot hold
// it: a feature, "omitted"), parity asks only git's names (a feature's
// name only from client subnets), and old-complete counted only the
// records dnsparity cannot read and the zones below: every gate passed
// and the name vanished at the flip. Now a served feature counts where
// git holds nothing it answers with at its name (its type, or an
// address for an alias-like type); one git answers for (git's A at the
// name) is a choice made in git, and a record the provider does not
// serve (disabled) is none.
func TestCompleteServedFeatureLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	srv := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: origin, Text: text + "app LUA A \"'192.0.2.99'\"\n"}}})
	r, err := query.Msg(context.Background(), srv.Addr, "app.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second})
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("the old server does not answer app.example.test. A: %v %v", r, err)
	}
	p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: srv.APIURL, APIKey: config.Secret(srv.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gate := func(text string) Gate {
		git, err := zone.Parse(strings.NewReader(text), "example.test.zone", origin, "")
		if err != nil {
			t.Fatal(err)
		}
		cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
		held, unread, _, err := list(context.Background(), cfg, &cfg.Old)
		return gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	}
	g := gate(text)
	t.Logf("%s: ok=%v %s; plan %q", g.Name, g.OK, g.Detail, g.Plan)
	if g.OK || g.Err || !strings.Contains(g.Detail, "app.example.test. LUA") {
		t.Errorf("old-complete with a LUA record the old servers answer at a name git lacks: ok=%v %s", g.OK, g.Detail)
	}
	if !strings.Contains(strings.Join(g.Plan, " "), "no zone-file form") {
		t.Errorf("the plan does not say what to do with a record of the provider's own kind: %q", g.Plan)
	}
	// git answers at the name: the choice is git's.
	if g := gate(text + "app A 192.0.2.99\n"); !g.OK {
		t.Errorf("old-complete with git's A at the LUA record's name: %s", g.Detail)
	}
}

// A zone of the old provider below a delegation git makes (git delegates
// deleg.example.test.; the provider holds a.deleg.example.test.):
// resolvers follow git's delegation and never ask the old side for its
// names, so nothing vanishes at the flip; old-complete counted it as a
// zone below that git does not delegate (it checked git's NS at the
// zone's own name only) and refused the flip. One below no delegation of
// git still counts.
func TestCompleteNestedBelowCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\ndeleg NS ns1.elsewhere.example.\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{
		{Origin: origin, Text: text},
		{Origin: "a.deleg.example.test.", Text: "$ORIGIN a.deleg.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\nwww A 192.0.2.81\n"},
		{Origin: "b.free.example.test.", Text: "$ORIGIN b.free.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\nwww A 192.0.2.82\n"},
	}})
	cfg := pdnsOldConfig(t, srv, origin, text)
	g := cfg.oldComplete(t)
	t.Logf("%s: ok=%v %s", g.Name, g.OK, g.Detail)
	if g.OK || !strings.Contains(g.Detail, "b.free.example.test. zone") || strings.Contains(g.Detail, "a.deleg.example.test.") {
		t.Errorf("old-complete: ok=%v %s; want b.free.example.test. (below no delegation of git) and not a.deleg.example.test. (below git's delegation deleg)", g.OK, g.Detail)
	}
}

// pdnsOldConfig is a Config whose git zone is text and whose old side is
// the PowerDNS srv, through its API.
func pdnsOldConfig(t *testing.T, srv *lab.PowerDNS, origin, text string) *Config {
	t.Helper()
	p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: srv.APIURL, APIKey: config.Secret(srv.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	git, err := zone.Parse(strings.NewReader(text), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
}

// oldComplete lists c's old side and judges it as gate old-complete.
func (c *Config) oldComplete(t *testing.T) Gate {
	t.Helper()
	held, unread, _, err := list(context.Background(), c, &c.Old)
	return gateComplete(c, GateOldComplete, &c.Old, held, unread, err, "vanish at the flip", nil)
}
