package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCompleteUnreadableAPIs: a record NS1, DNS Made Easy or ClouDNS
// lists that dnsparity cannot read (made by hand at the provider) no
// longer makes the old-complete gate "could not run": the listing goes
// on, and the gate counts the record as one git lacks (it would vanish
// at the flip), as it does Cloudflare's and Route 53's.
func TestCompleteUnreadableAPIs(t *testing.T) {
	for _, c := range []struct {
		name string
		// make starts the vendor's fake holding example.test with an A
		// record at www and one record the provider cannot read.
		make func(t *testing.T) provider.Provider
		says string
	}{
		{"ns1", func(t *testing.T) provider.Provider { return ns1Unreadable(t, "old") }, "legacy.example.test. A (dnsparity cannot read this record"},
		{"dnsmadeeasy", func(t *testing.T) provider.Provider {
			s := dmetest.New("key", "secret")
			t.Cleanup(s.Close)
			id := s.AddZone("example.test")
			s.Seed(id, dmetest.Record{Name: "www", Type: "A", Value: "192.0.2.1", TTL: 300})
			s.Seed(id, dmetest.Record{Name: "legacy", Type: "A", Value: "192.0.2.010", TTL: 300})
			p, err := dnsmadeeasy.New(&config.Provider{Name: "old", Type: "dnsmadeeasy", Settings: &dnsmadeeasy.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "key"}, SecretKey: "secret"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}, "legacy.example.test. A (dnsparity cannot read this record"},
		{"cloudns", func(t *testing.T) provider.Provider {
			s := cloudnstest.New("1", "", "pw")
			t.Cleanup(s.Close)
			s.AddZone("example.test")
			s.Seed("example.test", cloudnstest.Record{Type: "A", Host: "www", Record: "192.0.2.1", TTL: "300"})
			// A type ClouDNS lists and this provider does not map (an
			// OPENPGPKEY was one until providers19 mapped it).
			s.Seed("example.test", cloudnstest.Record{Type: "HTTPS", Host: "x", Record: "svc.example.net", Priority: "1", TTL: "3600"})
			p, err := cloudns.New(&config.Provider{Name: "old", Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: s.URL, APIKey: "pw"}, AuthID: "1"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}, "x.example.test. HTTPS (dnsparity cannot read this record"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.make(t)
			// git holds what the provider lists it can read.
			git, err := p.Records(context.Background(), "example.test.")
			if err != nil {
				t.Fatalf("a record it cannot read stopped the listing: %v", err)
			}
			cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
			held, unread, _, _, err := list(context.Background(), cfg, &cfg.Old)
			g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
			if g.OK || g.Err {
				t.Fatalf("%s met (or could not run): %s", g.Name, g.Detail)
			}
			if !strings.Contains(g.Detail, "holds 1 RRset that git lacks") || !strings.Contains(g.Detail, c.says) {
				t.Errorf("%s: %s; want it to name %s", g.Name, g.Detail, c.says)
			}
		})
	}
}

// TestDriftUnreadable: a record the new provider lists that dnsparity
// cannot read is in no listing git is compared with, so the flip's drift
// gate said "holds exactly git" and the record appeared at the flip
// (neither git nor the old side serves it, and parity asks only git's
// names). The gate names it; and git holding an RRset at its name and
// type is refused as a push would refuse it.
func TestDriftUnreadable(t *testing.T) {
	p := ns1Unreadable(t, "new")
	for _, tc := range []struct {
		name, extra, says string
	}{
		{"git lacks it", "", "holds 1 record that git lacks and dnsparity cannot read"},
		{"git holds its name and type", "legacy.example.test. 300 IN A 192.0.2.10", "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// git holds what the provider lists it can read, and extra.
			z, err := p.Records(context.Background(), "example.test.")
			if err != nil {
				t.Fatal(err)
			}
			if tc.extra != "" {
				rr, err := dns.NewRR(tc.extra)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := z.AddRR(rr, zone.Pos{}); err != nil {
					t.Fatal(err)
				}
			}
			c := &Config{Zone: z, New: Side{Name: "new", Provider: p}}
			l := &listing{}
			l.new, l.newUnread, l.newBlocks, _, l.newErr = list(context.Background(), c, &c.New)
			g := gateDrift(c, l)
			if g.OK || g.Err || !strings.Contains(g.Detail, tc.says) || !strings.Contains(g.Detail, "legacy.example.test.") {
				t.Fatalf("%s: ok %v, %s; want it refused naming legacy.example.test. (%q)", g.Name, g.OK, g.Detail, tc.says)
			}
		})
	}
}

// ns1Unreadable is providers.NAME of type ns1, on NS1's fake holding
// example.test with an A record at www and one dnsparity cannot read
// (legacy A 192.0.2.010, zero-padded octets).
func ns1Unreadable(t *testing.T, name string) provider.Provider {
	t.Helper()
	s := ns1test.New("key")
	t.Cleanup(s.Close)
	s.AddZone("example.test")
	s.Seed(ns1test.Record{Zone: "example.test", Domain: "www.example.test", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.1"}}}})
	s.Seed(ns1test.Record{Zone: "example.test", Domain: "legacy.example.test", Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.010"}}}})
	p, err := ns1.New(&config.Provider{Name: name, Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "key"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompleteServedFeatures: the records of a provider's own kind that
// its servers answer where git has nothing (an ALIAS, a web redirect)
// count as held beyond git; one the provider does not serve (inactive)
// does not, nor one git answers for at its name.
func TestCompleteServedFeatures(t *testing.T) {
	s := cloudnstest.New("1", "", "pw")
	t.Cleanup(s.Close)
	s.AddZone("example.test")
	s.Seed("example.test", cloudnstest.Record{Type: "A", Host: "www", Record: "192.0.2.1", TTL: "300"})
	s.Seed("example.test", cloudnstest.Record{Type: "ALIAS", Host: "app", Record: "lb.example.net", TTL: "300"})
	s.Seed("example.test", cloudnstest.Record{Type: "WR", Host: "go", Record: "https://example.net/", TTL: "300"})
	s.Seed("example.test", cloudnstest.Record{Type: "ALIAS", Host: "cdn", Record: "cdn.example.net", TTL: "300"})
	s.SetStatus("example.test", s.Seed("example.test", cloudnstest.Record{Type: "A", Host: "retired", Record: "192.0.2.9", TTL: "300"}), 0)
	p, err := cloudns.New(&config.Provider{Name: "old", Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: s.URL, APIKey: "pw"}, AuthID: "1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	git, err := p.Records(context.Background(), "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	// git answers at cdn: the ALIAS there is git's choice.
	cdn, _ := dns.NewRR("cdn.example.test. 300 IN A 192.0.2.7")
	if _, err := git.AddRR(cdn, zone.Pos{}); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
	held, unread, _, _, err := list(context.Background(), cfg, &cfg.Old)
	g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	t.Logf("%s: %s; plan %q", g.Name, g.Detail, g.Plan)
	if g.OK || !strings.Contains(g.Detail, "holds 2 RRsets that git lacks") || !strings.Contains(g.Detail, "app.example.test. ALIAS") || !strings.Contains(g.Detail, "go.example.test. WR") {
		t.Errorf("%s: ok=%v %s; want the ALIAS at app and the redirect at go, not the inactive record nor the ALIAS where git answers", g.Name, g.OK, g.Detail)
	}
}
