package cutover

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestDriftLeavesCutoverCuts: when the migrated zone is also the
// registrar's parent zone, the delegations of the configured zones below
// it are the cutover's (config.CutoverCuts): a child's flip changes its NS
// there, and push leaves them as served. The drift gate shows the plan a
// push would make, so it must leave them too; it counted the flipped
// child's NS as drift that no push ever removes, and `status` of the
// parent zone told the user to push the new side, which changed nothing.
func TestDriftLeavesCutoverCuts(t *testing.T) {
	const origin = "example.test."
	head := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	git := zonetest.Load(t, head+"child NS ns1.old-dns.example.net.\n", origin)
	held := zonetest.Load(t, head+"child NS ns1.new-dns.example.net.\n", origin)
	for _, c := range []struct {
		name string
		cuts []string
		ok   bool
		says string
	}{
		{"the child's delegation is the cutover's", []string{"child.example.test."}, true, "holds exactly"},
		{"a delegation git owns", nil, false, "child.example.test."},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := &Config{Zone: git, Cuts: c.cuts, New: Side{Name: "new", Provider: plainNamesProv{held}}}
			g := gateDrift(cfg, &listing{new: held})
			if g.OK != c.ok || !strings.Contains(g.Detail, c.says) {
				t.Errorf("ok=%v %q; want ok=%v saying %q", g.OK, g.Detail, c.ok, c.says)
			}
		})
	}
}
