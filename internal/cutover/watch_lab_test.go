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
	lame := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "other.", Text: "$TTL 60\n@ SOA ns.other. h.other. 1 60 60 1209600 60\n@ NS ns.other.\nns A 192.0.2.1\n"}}})
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

// Providers that serve the same apex SOA are told apart by their apex NS
// set; with neither differing, the watch says it cannot tell.
func TestClassifierByNSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	text := func(ns string) string {
		return "$ORIGIN example.test.\n$TTL 2\n@ SOA ns.example.test. h.example.test. 1 60 60 1209600 2\n@ NS " + ns + "\nns1.old A 192.0.2.1\nns1.new A 192.0.2.2\n"
	}
	oldIP := lab.Addr(t)
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.old.example.test.")}}})
	nw := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.new.example.test.")}}})
	same := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.old.example.test.")}}})
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns1.old.example.test.\nns1.old.example A " + oldIP + "\n"}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	z, err := zone.Parse(strings.NewReader(text("ns1.old.example.test.")), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := &Config{Zone: z, Timeout: 2 * time.Second, Old: Side{Name: "old", Servers: []string{old.Addr}}, New: Side{Name: "new", Servers: []string{nw.Addr}}}
	cl, err := newClassifier(ctx, c)
	if err != nil || cl.bySOA {
		t.Fatalf("classifier: %+v %v", cl, err)
	}
	if side, detail := cl.which(ctx, c, u.Addr); side != "old" || !strings.Contains(detail, "apex NS ns1.old.example.test.") {
		t.Errorf("which = %s (%s), want old by its apex NS", side, detail)
	}
	c.New.Servers = []string{same.Addr}
	if _, err := newClassifier(ctx, c); err == nil || !strings.Contains(err.Error(), "nothing legitimate tells them apart") {
		t.Errorf("identical providers: %v", err)
	}
}

// A wildcard CNAME at the apex pointing out of the zone (a CDN's name,
// *.example.test. CNAME www.cdn.test.) answers every fresh name under the
// apex with a chain into another zone and none of this zone's SOA: the
// watch took every resolver for one whose side "fails" and waited out its
// whole bound after every flip. The fresh names then go under an owner
// of the zone that no wildcard covers, where they are NXDOMAIN with the
// answering side's SOA.
func TestWatchWildcardCNAMELab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	text := func(mname string) string {
		return "$ORIGIN example.test.\n$TTL 2\n@ SOA " + mname + " h.example.test. 1 60 60 1209600 2\n@ NS ns1.old.example.test.\nns1.old A 192.0.2.1\n* CNAME www.cdn.test.\n"
	}
	oldIP, cdnIP := lab.Addr(t), lab.Addr(t)
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.old.example.test.")}}})
	nw := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: text("ns1.new.example.test.")}}})
	lab.Knot(t, lab.Options{IP: cdnIP, Zones: []lab.Zone{{Origin: "cdn.test.", Text: "$TTL 2\n@ SOA ns.cdn.test. h.cdn.test. 1 60 60 1209600 2\n@ NS ns.cdn.test.\nns A " + cdnIP + "\nwww A 192.0.2.80\n"}}})
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns1.old.example.test.\nns1.old.example A " + oldIP + "\ncdn NS ns.cdn\nns.cdn A " + cdnIP + "\n"}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}})
	z, err := zone.Parse(strings.NewReader(text("ns1.old.example.test.")), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := &Config{Zone: z, Timeout: 2 * time.Second, Old: Side{Name: "old", Servers: []string{old.Addr}}, New: Side{Name: "new", Servers: []string{nw.Addr}}}
	cl, err := newClassifier(ctx, c)
	if err != nil || !cl.bySOA {
		t.Fatalf("classifier: %+v %v", cl, err)
	}
	if side, detail := cl.which(ctx, c, u.Addr); side != "old" {
		t.Errorf("which = %s (%s), want old (the parent delegates to it)", side, detail)
	}
}
