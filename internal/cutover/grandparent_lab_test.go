package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// TestFlipConfirmsGrandparentListedServerLab: the parent zone p.test. is
// served by ns1.p.test. (real BIND, the registrar's, listed in
// cutover.parent_servers) and, as the grandparent test. still delegates
// it, by ns2.p.test. too: a server of the parent zone's previous
// provider, another real BIND with a copy that no longer changes, which
// the parent zone's own apex NS no longer names (the registrar left it
// in test.'s delegation). Resolvers start from the grandparent's
// referral (RFC 1034 §5.3.3), so some ask ns2 and get the delegation of
// example.p.test. the flip replaced. The confirmation and parent-unlisted
// read only the parent zone's own NS set (from the listed server, and
// through the resolvers, which answer that same set), so the flip said
// "confirmed at every parent server" (exit 0) while ns2 served the old
// delegation. Now they read the grandparent's referral too (its NS names
// and glue, asked of the grandparent's servers found through the
// resolvers): the change stays unconfirmed, ns2 named, both sides
// recorded as delegated to, as for any parent server that has not taken
// it.
func TestFlipConfirmsGrandparentListedServerLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	ctx := context.Background()
	const origin = "example.p.test."
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3Ny1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	p1IP, p2IP, gpIP, oldIP, newIP := lab.Addr(t), lab.Addr(t), lab.Addr(t), lab.Addr(t), lab.Addr(t)
	gp := lab.BIND(t, lab.Options{IP: gpIP, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf(
		"$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\np NS ns1.p\np NS ns2.p\nns1.p A %s\nns2.p A %s\n", gpIP, p1IP, p2IP)}}})
	parentText := fmt.Sprintf("$ORIGIN p.test.\n$TTL 5\n@ SOA ns1.p.test. h.test. 1 60 60 1209600 5\n@ NS ns1.p.test.\nns1 A %s\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", p1IP, oldIP)
	p1 := lab.BIND(t, lab.Options{IP: p1IP, TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "p.test.", Text: parentText}}})
	lab.BIND(t, lab.Options{IP: p2IP, Zones: []lab.Zone{{Origin: "p.test.", Text: parentText}}})
	side := func(name string) string {
		return fmt.Sprintf("$ORIGIN %s\n$TTL 60\n@ SOA ns1.%s h 1 60 60 1209600 60\n@ NS ns1.%s\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\n", origin, name, name, oldIP, newIP)
	}
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: origin, Text: side("old")}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: origin, Text: side("new")}}})
	res := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {gp.Addr}}})

	z := gitZone(t, side("new"))
	if z.Origin != origin {
		t.Fatalf("git's zone is %s", z.Origin)
	}
	path := TrailPath(t.TempDir(), origin)
	tr, err := ReadTrail(path, origin)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, e := range []Entry{
		{Time: now.Add(-2 * time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 3600, NewMax: 3600}},
		{Time: now.Add(-time.Hour), Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 60, NewMax: 60}},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	c := &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old." + origin}, Glue: map[string][]string{"ns1.old." + origin: {oldIP}}, Provider: rfc2136Provider(t, old.Addr, nil)},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns1.new." + origin}, Glue: map[string][]string{"ns1.new." + origin: {newIP}}, Provider: rfc2136Provider(t, nw.Addr, nil)},
		Registrar:     &parent.Parent{Zone: "p.test.", Provider: rfc2136Provider(t, p1.Addr, key)},
		ParentZone:    "p.test.",
		ParentServers: []string{p1.Addr},
		Resolvers:     []string{res.Addr},
		PrestageTTL:   60,
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Delegation:    delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
		Watch:         time.Second, Confirm: 3 * time.Second, Log: io.Discard,
	}
	rep := Flip(ctx, c, false, false)
	unmetGates(t, "flip", rep)
	if rep.Change == nil || rep.Change.At.IsZero() {
		t.Fatalf("flip: %s %q: the registrar was not changed (gates %+v)", rep.Result, rep.Errors, rep.Gates)
	}
	// What ns2.p.test., a server the grandparent's referral names, serves.
	d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{p2IP + ":53"}, origin, time.Second))
	if !ok || strings.Join(d.NS, " ") != "ns1.old."+origin {
		t.Fatalf("the grandparent-listed parent server serves %v (ok %v), want the delegation before the flip", d.NS, ok)
	}
	if rep.Change.Confirmed || rep.ExitCode() != 2 || !strings.Contains(strings.Join(append(rep.Errors, rep.Warnings...), " "), p2IP) {
		t.Errorf("flip while %s (a parent server the grandparent test. names) serves the old delegation: %s, exit %d, confirmed %v, errors %q, warnings %q; want unconfirmed, exit 2, the server named",
			p2IP, rep.Result, rep.ExitCode(), rep.Change.Confirmed, rep.Errors, rep.Warnings)
	}
}
