package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// TestFinishOtherNSByAddressLab: the parent zone delegates two sibling
// zones to the old server under names that are not the old side's:
// alias.test. to ns.oldalias.test. (the old provider's own name for its
// server, an A record of the parent zone at the old address: two names on
// one address), and glued.test. to ns.glued.test., whose glue in the
// parent zone is the old server's address while the name's own A record
// (which the old server serves in glued.test.) is another address.
// Resolvers follow the referral's glue (RFC 1034 §4.2.1), so both zones
// go dark with the old provider: finish's other-ns must judge each
// delegation by the addresses resolvers reach, the glue the parent zone
// holds and what the name resolves to, not by its name alone. A sibling
// delegated to the new server under its own name stays passed.
func TestFinishOtherNSByAddressLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	key := &lab.TSIGKey{Name: "k.", Secret: "c2libGluZy1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0"}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 1\n@ SOA ns.test. h.test. 1 60 60 1209600 1\n@ NS ns.test.\nns A %s\n"+
		"example NS ns1.newhost.test.\nns1.newhost A %s\n"+
		"alias NS ns.oldalias.test.\nns.oldalias A %s\n"+
		"glued NS ns.glued.test.\nns.glued.glued A %s\n"+
		"kept NS ns.keep.test.\nns.keep A %s\n", ip["parent"], ip["new"], ip["old"], ip["old"], ip["new"])
	// The glue's owner: ns.glued.test. (in glued.test., so glue).
	parentText = strings.Replace(parentText, "ns.glued.glued A", "ns.glued A", 1)
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	example := "$ORIGIN example.test.\n$TTL 1\n@ SOA ns1.newhost.test. h.example.test. 1 60 60 1209600 1\n@ NS ns1.newhost.test.\nns1.old A " + ip["old"] + "\nwww A 192.0.2.80\n"
	aliasText := "$ORIGIN alias.test.\n$TTL 1\n@ SOA ns.oldalias.test. h 1 60 60 1209600 1\n@ NS ns.oldalias.test.\nwww A 192.0.2.81\n"
	// The server's own A for ns.glued.test. is not the glue's address.
	gluedText := "$ORIGIN glued.test.\n$TTL 1\n@ SOA ns.glued.test. h 1 60 60 1209600 1\n@ NS ns.glued.test.\nns A 192.0.2.99\nwww A 192.0.2.82\n"
	keptText := "$ORIGIN kept.test.\n$TTL 1\n@ SOA ns.keep.test. h 1 60 60 1209600 1\n@ NS ns.keep.test.\nwww A 192.0.2.83\n"
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, {Origin: "alias.test.", Text: aliasText}, {Origin: "glued.test.", Text: gluedText}}})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: example}, {Origin: "kept.test.", Text: keptText}}})
	resolver := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {ip["parent"]}}})
	c := flippedOutOfZone(t, gitZone(t, example), ip, old, nw, parentSrv, resolver.Addr, "ns1.newhost.test.")()
	c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
	rep := Finish(context.Background(), c)
	g := gateNamed(rep, GateOldUnreferenced)
	if g == nil {
		t.Fatalf("no gate %s", GateOldUnreferenced)
	}
	other := map[string]bool{} // owner: passed
	for _, ch := range g.Checks {
		t.Logf("%s %s ok=%v: %s", ch.Name, ch.Server, ch.OK, ch.Detail)
		if ch.Name == CheckOtherNS {
			other[ch.Server] = ch.OK
		}
	}
	for _, owner := range []string{"alias.test.", "glued.test."} {
		if ok, seen := other[owner]; !seen || ok {
			t.Errorf("other-ns: no failed check for %s, which the parent zone delegates to the old server %s under another name (checks by owner, true = passed: %v)", owner, ip["old"], other)
		}
	}
	if ok, seen := other["kept.test."]; seen && !ok {
		t.Errorf("other-ns failed kept.test., delegated to the new server %s", ip["new"])
	}
	if rep.Result == ResultDone {
		t.Errorf("finish %s (the old provider \"safe to decommission\") while the parent zone delegates alias.test. and glued.test. to its server %s", rep.Result, ip["old"])
	}
}
