package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestCopyServedApexNSUnlistedLab: the old side is Cloudflare through its
// API, whose records listing holds neither the SOA nor the apex NS it
// serves (its own nameservers, kept in the zone's DNS settings:
// NoApexNSTTL), and the parent's delegation adds a server the config does
// not list that transfers the zone (Cloudflare's outgoing zone transfers,
// TSIG-signed as parity's are), serving git exactly at the listed
// server's serial. Its transfer holds the apex NS, which git holds too:
// no RRset vanishes at the step (the other side serves git's apex NS).
// On the code before, old-complete was unmet ("holds 1 RRset the listing
// lacks: example.test. NS"), and every flip refused. An RRset git lacks
// that only that server holds is still refused.
func TestCopyServedApexNSUnlistedLab(t *testing.T) {
	const origin = "example.test."
	listed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: pdnsGitText}}})
	ctx := context.Background()
	for _, tc := range []struct {
		name, extra string
		ok          bool
	}{
		{"the same copy", "", true},
		{"another copy", "extra A 192.0.2.7\n", false},
	} {
		second := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: pdnsGitText + tc.extra}}})
		s := cftest.New("tok")
		defer s.Close()
		id := s.AddZone("example.test")
		s.Seed(id, cftest.Record{Name: "ns1.example.test", Type: "A", Content: "192.0.2.53", TTL: 60})
		s.Seed(id, cftest.Record{Name: "www.example.test", Type: "A", Content: "192.0.2.80", TTL: 60})
		p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "tok"}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &Config{Zone: gitZone(t, pdnsGitText), Old: Side{Name: "old", Provider: p, Servers: []string{listed.Addr, second.Addr}, fromDelegation: []string{second.Addr}}, New: Side{Name: "new"}}
		c.defaults()
		held, unread, _, answered, err := list(ctx, c, &c.Old)
		if err != nil {
			t.Fatal(err)
		}
		if held.Get(origin, 2) != nil {
			t.Fatalf("the Cloudflare listing holds the apex NS (the case this test is about is one that does not)")
		}
		g := gateComplete(c, GateOldComplete, &c.Old, held, unread, nil, "vanish at the flip", nil)
		if !g.OK {
			t.Fatalf("%s: old-complete of the listing alone: %s", tc.name, g.Detail)
		}
		g = listingServed(ctx, c, g, &c.Old, held, answered)
		t.Logf("%s: old-complete ok=%v %s", tc.name, g.OK, g.Detail)
		if g.OK != tc.ok {
			t.Errorf("%s: old-complete ok=%v, want %v: %s", tc.name, g.OK, tc.ok, g.Detail)
		}
		if strings.Contains(g.Detail, "example.test. NS") {
			t.Errorf("%s: the apex NS git holds is named as an RRset beyond the listing: %s", tc.name, g.Detail)
		}
		if !tc.ok && !strings.Contains(g.Detail, "extra.example.test. A") {
			t.Errorf("%s: the refusal does not name extra.example.test. A: %s", tc.name, g.Detail)
		}
	}
}
