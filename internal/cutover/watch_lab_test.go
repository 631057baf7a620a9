package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A resolver that fails (SERVFAIL: what it reaches does not serve the zone) answers
// from neither side, even while the down side's own fingerprint is empty.
func TestWhichFailingResolverLab(t *testing.T) {
	lab.Require(t, "knotd", "unbound")
	// The "parent" serves another zone only: refused, so Unbound fails.
	lame := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "other.", Text: "$TTL 60\n@ SOA ns.other. h.other. 1 60 60 60 60\n@ NS ns.other.\nns A 192.0.2.1\n"}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {lame.IP}}})
	z, err := zone.Parse(strings.NewReader(sideText("old", 1)), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, Timeout: 5 * time.Second}
	cl := &classifier{old: fingerprint{}, new: fingerprint{soa: "ns1.new.example.test. 1"}, bySOA: true}
	side, detail := cl.which(context.Background(), c, u.Addr)
	if side != "unknown" || !strings.Contains(detail, "SERVFAIL") {
		t.Errorf("which = %s (%s), want unknown with SERVFAIL", side, detail)
	}
}
