package cutover

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestCompleteShowsFive: a side holding more RRsets than git lacks, and
// features it cannot read, is shown by its first five (the RRsets, then
// the features) and how many more, and counted whole (one in the
// singular).
func TestCompleteShowsFive(t *testing.T) {
	const origin = "example.test."
	head := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	git := zonetest.Load(t, head, origin)
	for _, c := range []struct {
		name   string
		extra  string
		unread []provider.Feature
		count  string
		shown  []string
		more   string
	}{
		{"four and a feature", "a TXT \"1\"\nb TXT \"2\"\nc TXT \"3\"\nd TXT \"4\"\n", []provider.Feature{{Name: "geo.example.test.", Type: "ALIAS", Detail: "geo"}},
			"holds 5 RRsets", []string{"a.example.test. TXT", "geo.example.test. ALIAS (geo)"}, ""},
		{"six and a feature", "a TXT \"1\"\nb TXT \"2\"\nc TXT \"3\"\nd TXT \"4\"\ne TXT \"5\"\nf TXT \"6\"\n", []provider.Feature{{Name: "geo.example.test.", Type: "ALIAS", Detail: "geo"}},
			"holds 7 RRsets", []string{"a.example.test. TXT", "e.example.test. TXT"}, "; and 2 more"},
		// One is one RRset (it read "holds 1 RRsets").
		{"one", "a TXT \"1\"\n", nil, "holds 1 RRset that git lacks", []string{"a.example.test. TXT"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			held := zonetest.Load(t, head+c.extra, origin)
			cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: plainNamesProv{held}}}
			g := gateComplete(cfg, GateOldComplete, &cfg.Old, held, c.unread, nil, "vanish at the flip", nil)
			if g.OK || !strings.Contains(g.Detail, c.count) {
				t.Fatalf("ok=%v %q; want refused, %q", g.OK, g.Detail, c.count)
			}
			for _, s := range c.shown {
				if !strings.Contains(g.Detail, s) {
					t.Errorf("%q lacks %q", g.Detail, s)
				}
			}
			if got := strings.Contains(g.Detail, "more"); got != (c.more != "") || !strings.Contains(g.Detail, c.more) {
				t.Errorf("%q: want %q", g.Detail, c.more)
			}
		})
	}
}
