package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// plainNamesProv holds what it lists and, as the JSON APIs do
// (provider.PlainNames), no owner name with an escape.
type plainNamesProv struct{ held *zone.Zone }

func (p plainNamesProv) Nameservers(context.Context, string) ([]string, error) { return nil, nil }
func (p plainNamesProv) Records(context.Context, string) (*zone.Zone, error)   { return p.held, nil }
func (p plainNamesProv) Apply(context.Context, string, []provider.Change) (provider.Result, error) {
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
