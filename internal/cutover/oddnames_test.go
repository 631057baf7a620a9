package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// plainNamesProv holds what it lists and, as the JSON APIs do
// (provider.PlainNames), no owner name with an escape.
type plainNamesProv struct{ held *zone.Zone }

func (p plainNamesProv) Nameservers(context.Context, string) ([]string, error) { return nil, nil }
func (p plainNamesProv) Records(context.Context, string) (*zone.Zone, error)   { return p.held, nil }
func (p plainNamesProv) Apply(context.Context, string, []provider.Change, progress.Updater) (provider.Result, error) {
	return provider.Result{}, nil
}
func (p plainNamesProv) Capabilities() provider.Capabilities {
	return provider.Capabilities{CheckName: provider.PlainNames("Plain", ""), CheckDeleteName: provider.PlainNames("Plain", "")}
}

// TestDriftOddOwners: the drift gate ("the new provider holds exactly
// git") is not met when git has an RRset at a name the new provider
// cannot hold (plan refuses it, so an empty list of changes proves
// nothing), nor when the provider holds one it cannot delete; it is met
// when the provider holds git's odd names exactly.
func TestDriftOddOwners(t *testing.T) {
	const origin = "example.test."
	head := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	for _, c := range []struct {
		name, git, held string
		ok              bool
		says            string
	}{
		{"plain names", "www TXT \"w\"\n", "www TXT \"w\"\n", true, "holds exactly"},
		{"odd names it holds", "MiXeD TXT \"m\"\na.* TXT \"s\"\n_dmarc TXT \"d\"\n", "mixed TXT \"m\"\na.* TXT \"s\"\n_dmarc TXT \"d\"\n", true, "holds exactly"},
		{"git's escaped dot", "a\\.b TXT \"x\"\n", "", false, `a\.b.example.test. TXT: Plain's API cannot hold`},
		{"git's escaped dot, the provider's plain dot", "a\\.b TXT \"x\"\n", "a.b TXT \"x\"\n", false, `a\.b.example.test. TXT`},
		{"one it cannot delete", "", "x\\.y TXT \"by hand\"\n", false, `x\.y.example.test. TXT: cannot delete it`},
	} {
		t.Run(c.name, func(t *testing.T) {
			git := zonetest.Load(t, head+c.git, origin)
			held := zonetest.Load(t, head+c.held, origin)
			cfg := &Config{Zone: git, New: Side{Name: "new", Provider: plainNamesProv{held}}}
			g := gateDrift(cfg, &listing{new: held})
			if g.OK != c.ok || !strings.Contains(g.Detail, c.says) {
				t.Errorf("%s: ok=%v %q; want ok=%v saying %q", g.Name, g.OK, g.Detail, c.ok, c.says)
			}
		})
	}
}

// TestCompleteByHandAtAPI: records added by hand at a JSON API provider
// (Cloudflare's fake) beyond git, at names holding characters a zone file
// escapes (the API writes them raw) and one dnsparity cannot read at all,
// are what the old-complete gate names: read as another name, or not
// read, they were left out of the listing, the gate passed, and the flip
// lost them.
func TestCompleteByHandAtAPI(t *testing.T) {
	const origin = "example.test."
	git := zonetest.Load(t, zonetest.OddZone(origin), origin)
	for _, c := range []struct {
		name  string
		seed  []cftest.Record
		lacks []string
	}{
		{"nothing beyond git", nil, nil},
		{"';' in a name", []cftest.Record{{Name: "semi;colon2.example.test", Type: "TXT", Content: `"by hand"`, TTL: 300}}, []string{`semi\;colon2.example.test. TXT`}},
		{"'(' in a name", []cftest.Record{{Name: "paren(2.example.test", Type: "TXT", Content: `"by hand"`, TTL: 300}}, []string{`paren\(2.example.test. TXT`}},
		{"'\"' in a name", []cftest.Record{{Name: `quote"2.example.test`, Type: "TXT", Content: `"by hand"`, TTL: 300}}, []string{`quote\"2.example.test. TXT`}},
		// Cloudflare documents no escapes in names: one label "x.y", or
		// "x\" below "y"? Read as neither, and counted.
		{"a backslash in a name", []cftest.Record{{Name: `x\.y.example.test`, Type: "TXT", Content: `"by hand"`, TTL: 300}}, []string{`x\.y.example.test. TXT (dnsparity cannot read this record`}},
		{"a record it cannot read", []cftest.Record{{Name: "bad.example.test", Type: "A", Content: "192.0.2.300", TTL: 300}}, []string{"bad.example.test. A (dnsparity cannot read this record"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := cftest.New("tok")
			defer s.Close()
			id := s.AddZone("example.test")
			// The odd names Cloudflare's API can write (PlainNames), as
			// a push would leave them.
			for _, set := range git.Sets {
				if set.Type != dns.TypeTXT || strings.Contains(set.Name, `\`) {
					continue
				}
				for _, rr := range set.RRs() {
					s.Seed(id, cftest.Record{Name: strings.TrimSuffix(set.Name, "."), Type: "TXT", Content: zone.RdataString(rr), TTL: 300})
				}
			}
			for _, r := range c.seed {
				s.Seed(id, r)
			}
			p, err := cloudflare.New(&config.Provider{Name: "old", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: s.APIURL(), APIKey: "tok"}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			// git without the names Cloudflare cannot hold: what the
			// old side was pushed.
			cfg := &Config{Zone: without(git, `\`), Old: Side{Name: "old", Provider: p}}
			held, unread, _, _, err := list(context.Background(), cfg, &cfg.Old)
			g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
			if c.lacks == nil {
				if !g.OK {
					t.Fatalf("%s: %s", g.Name, g.Detail)
				}
				return
			}
			if g.OK || g.Err {
				t.Fatalf("%s met (or could not run): %s", g.Name, g.Detail)
			}
			for _, l := range c.lacks {
				if !strings.Contains(g.Detail, l) {
					t.Errorf("%s does not name %s: %s", g.Name, l, g.Detail)
				}
			}
		})
	}
}

// without is z without the RRsets whose owner holds s.
func without(z *zone.Zone, s string) *zone.Zone {
	out := zone.New(z.Origin)
	for _, set := range z.Sets {
		if !strings.Contains(set.Name, s) {
			out.AddSet(set)
		}
	}
	out.Sort()
	return out
}
