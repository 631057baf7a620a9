package cutover

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// TestRollbackHijackedRecordedNameLab: the old side's delegation names
// ns1.oldprovider.test., outside the zone (its address in the parent
// zone test., real BIND). The flip records that set, and now the
// addresses the name had then (before_ns_addrs). After the flip the
// name's A record is pointed at another server (a real Knot) serving a
// copy of the zone: a rollback restoring the name would send every
// resolver there, and that server passes old-parity. The rollback's
// delegation gate must refuse it (check ns-moved, naming the address
// recorded at the flip and the one now). On the code before, the
// trail kept no addresses for the name, and the rollback passed.
func TestRollbackHijackedRecordedNameLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t), "evil": lab.Addr(t)}
	key := &lab.TSIGKey{Name: "k.", Secret: "aGlqYWNrZWQtbmFtZS1rZXktZm9yLWRuc3Bhcml0eS0xMjM0NQ=="}
	const oldNS = "ns1.oldprovider.test."
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample NS ns1.oldprovider\nns1.oldprovider A %s\n", ip["parent"], ip["old"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	glue := fmt.Sprintf("ns1.new A %s\n", ip["new"])
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: exampleWith(glue, "192.0.2.80", oldNS)})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: exampleWith(glue, "192.0.2.80", "ns1.new.example.test.")})
	z := gitZone(t, exampleWith(glue, "192.0.2.80", "ns1.new.example.test.")[0].Text)
	path := prestagedTrail(t, 60)
	parentProv := rfc2136Provider(t, parentSrv.Addr, key)
	mk := func() *Config {
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.Old.Delegation, c.Old.Glue = []string{oldNS}, nil
		c.ParentZone, c.Log = "test.", io.Discard
		c.Registrar = &parent.Parent{Zone: "test.", Provider: parentProv}
		c.Watch, c.Confirm = time.Second, 2*time.Second
		return c
	}
	ctx := context.Background()
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The trail says where the name led at the flip.
	var flipped *Entry
	for _, e := range readTrail(t, path).Entries {
		if e.Command == "flip" && e.Result == ResultDone {
			flipped = &e
		}
	}
	if flipped == nil || !slices.Equal(flipped.BeforeNSAddrs[oldNS], []string{ip["old"]}) {
		t.Fatalf("the flip's trail entry does not record %s at %s: %+v", oldNS, ip["old"], flipped)
	}
	// Nothing moved: the rollback passes.
	if rep := Rollback(ctx, mk(), true, false); rep.Result != ResultDryRun {
		t.Fatalf("rollback --dry-run, %s still at %s: %s %+v %v", oldNS, ip["old"], rep.Result, rep.Gates, rep.Errors)
	}

	// The name is pointed at another server serving a copy of the zone.
	lab.Knot(t, lab.Options{IP: ip["evil"], Zones: exampleWith(glue, "192.0.2.80", oldNS)})
	setRRsIn(t, parentProv, "test.", "ns1.oldprovider.test. 5 IN A "+ip["evil"])
	rep := Rollback(ctx, mk(), true, false)
	g := gateNamed(rep, GateDelegation)
	var moved *delegation.Check
	if g != nil {
		for i, ch := range g.Checks {
			if ch.Name == delegation.CheckNSMoved && !ch.OK {
				moved = &g.Checks[i]
			}
		}
	}
	if g != nil {
		t.Logf("rollback: %s; delegation: %s", rep.Result, g.Detail)
	}
	if rep.Result != ResultRefused || moved == nil || moved.Severity != delegation.SevError || !strings.Contains(moved.Detail, ip["evil"]) || !strings.Contains(moved.Detail, ip["old"]) {
		t.Errorf("rollback to %s, now at %s (recorded at %s at the flip): %s, ns-moved %+v; want refused naming both addresses", oldNS, ip["evil"], ip["old"], rep.Result, moved)
	}
	if ns := nsAtParent(t, parentSrv.Addr); ns != "ns1.new.example.test." {
		t.Fatalf("the refused rollback changed the parent: %s", ns)
	}
}
