package cutover

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestStatusStaleGlueLab: after a flip to ns1.new.example.test., another
// writer sets that name's glue at the parent (BIND) to an address that
// is not what the new side's own zone (Knot) serves for it: here the old
// side's server, where resolvers taking the glue keep going. On the code
// before, status said nothing (points_to "new": it judges NS names, not
// their glue). Now stale_glue names the glue, the parent server serving
// it, the addresses the child serves and the side the glue's address
// belongs to, and a warning says so; with the glue put back, it is
// empty.
func TestStatusStaleGlueLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	l.flip(t, ctx)
	rep := Status(ctx, l.mk())
	if rep.Delegation.PointsTo != "new" || len(rep.StaleGlue) != 0 {
		t.Fatalf("status after a clean flip: points_to %s, stale_glue %+v", rep.Delegation.PointsTo, rep.StaleGlue)
	}
	setGlue := func(addr string) {
		t.Helper()
		z, err := l.reg.Provider.Records(ctx, "test.")
		if err != nil {
			t.Fatal(err)
		}
		old := z.Get("ns1.new.example.test.", 1)
		n, err := zone.NewRRSet(transfertest.RRs(t, "ns1.new.example.test. 5 IN A "+addr))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.reg.Provider.(provider.RRsetConditional).ApplyRRsets(ctx, "test.", []provider.Change{{Action: provider.Replace, Name: old.Name, Type: 1, Old: old, New: n}}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	setGlue(l.oldIP)
	rep = Status(ctx, l.mk())
	if len(rep.StaleGlue) != 1 {
		t.Fatalf("status with the new name glued to the old side's server: stale_glue %+v, warnings %q", rep.StaleGlue, rep.Warnings)
	}
	g := rep.StaleGlue[0]
	if g.Name != "ns1.new.example.test." || g.Server != l.parent.Addr || strings.Join(g.Glue, " ") != l.oldIP || strings.Join(g.Child, " ") != l.newIP || g.Side != "old" {
		t.Errorf("stale_glue %+v: want ns1.new.example.test. glued to %s at %s, the child serving %s, the glue a server of the old side", g, l.oldIP, l.parent.Addr, l.newIP)
	}
	if !has(rep.Warnings, "ns1.new.example.test.", "glue") {
		t.Errorf("warnings %q: want the stale glue named", rep.Warnings)
	}
	b, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(b), `"stale_glue":[{"name":"ns1.new.example.test."`) {
		t.Errorf("JSON: %s %v", b, err)
	}
	if rep.ExitCode() != 0 {
		t.Errorf("status exit %d: status reports, it does not fail", rep.ExitCode())
	}
	setGlue(l.newIP)
	if rep = Status(ctx, l.mk()); len(rep.StaleGlue) != 0 {
		t.Errorf("status with the glue put back: %+v", rep.StaleGlue)
	}
}

// TestStatusUnreferencedGlueLab: after a flip, the parent zone (real
// BIND, giving a transfer to anyone) still holds glue under the names
// the delegation left: the old side's in-bailiwick name (a registrar
// change cut short, put back by another writer) and a second old name
// at another address. No NS set names them, so the parent serves them in
// no referral and no question to it shows them. On the code before,
// status said nothing (stale_glue judged only the glue served with the
// delegation). Now stale_glue names each, "unreferenced", with the
// addresses, the parent server transferred from and the side an address
// belongs to, and a warning says how it goes; a parent that gives no
// transfer leaves it unsaid, as before.
//
// A refusal is the parent operator's answer for all its servers: status
// asks no other after it (dbc54183). A second parent server (BIND, the
// same zone, transfers open) follows the refusing one: its transfer
// would show the glue, so status saying nothing shows it was not asked.
// Before, this case had one server and passed whatever status did after
// a refusal; the copy asked first shows its transfer does give the glue.
func TestStatusUnreferencedGlueLab(t *testing.T) {
	for _, tc := range []struct {
		what string
		open bool // the registrar's parent server gives a transfer without a key
		// servers are the parent servers status asks, in order
		// (the registrar's and the second); from is the one
		// stale_glue says it transferred from, "" for no stale_glue.
		servers func(parent, second string) []string
		from    string
	}{
		{"transfer given", true, func(p, _ string) []string { return []string{p} }, "parent"},
		{"transfer refused, the next server not asked", false, func(p, c string) []string { return []string{p, c} }, ""},
		{"transfer given by the second server first", false, func(p, c string) []string { return []string{c, p} }, "copy"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			l := newReviewLabParent(t, 5, func(o *lab.Options) { o.OpenTransfer = tc.open })
			ctx := context.Background()
			l.flip(t, ctx)
			if rep := Status(ctx, l.mk()); len(rep.StaleGlue) != 0 {
				t.Fatalf("status after a clean flip: stale_glue %+v", rep.StaleGlue)
			}
			glue := []string{"ns1.old.example.test. 5 IN A " + l.oldIP, "ns2.old.example.test. 5 IN A 192.0.2.222"}
			var cs []provider.Change
			for _, rr := range glue {
				n, err := zone.NewRRSet(transfertest.RRs(t, rr))
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, provider.Change{Action: provider.Create, Name: n.Name, Type: n.Type, New: n})
			}
			if _, err := l.reg.Provider.Apply(ctx, "test.", cs, nil); err != nil {
				t.Fatal(err)
			}
			// The second server: the zone as the registrar's holds it
			// now (the flip made, the glue left), no key needed.
			text := delegatingParent(2, "ns1.new", l.newIP) + strings.Join(glue, "\n") + "\n"
			cp := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}}).Addr
			addr := map[string]string{"parent": l.parent.Addr, "copy": cp}
			c := l.mk()
			c.ParentServers = tc.servers(l.parent.Addr, cp)
			c.Old.Delegation = append(c.Old.Delegation, "ns2.old.example.test.")
			rep := Status(ctx, c)
			if tc.from == "" {
				if len(rep.StaleGlue) != 0 {
					t.Errorf("status, the first parent server refusing transfers: stale_glue %+v; want none, no other server asked", rep.StaleGlue)
				}
				return
			}
			got := map[string]StaleGlue{}
			for _, g := range rep.StaleGlue {
				got[g.Name] = g
			}
			g1, g2 := got["ns1.old.example.test."], got["ns2.old.example.test."]
			if len(rep.StaleGlue) != 2 || !g1.Unreferenced || strings.Join(g1.Glue, " ") != l.oldIP || g1.Side != "old" || g1.Server != addr[tc.from] ||
				!g2.Unreferenced || strings.Join(g2.Glue, " ") != "192.0.2.222" || g2.Side != "" || g2.Server != addr[tc.from] {
				t.Fatalf("stale_glue %+v: want ns1.old (the old side's server) and ns2.old (192.0.2.222), both unreferenced, transferred from %s", rep.StaleGlue, addr[tc.from])
			}
			if !has(rep.Warnings, "ns1.old.example.test.", "no NS set") {
				t.Errorf("warnings %q: want the unreferenced glue named", rep.Warnings)
			}
			b, err := json.Marshal(rep)
			if err != nil || !strings.Contains(string(b), `"unreferenced":true`) {
				t.Errorf("JSON: %s %v", b, err)
			}
			if rep.ExitCode() != 0 {
				t.Errorf("status exit %d: status reports, it does not fail", rep.ExitCode())
			}
		})
	}
}
