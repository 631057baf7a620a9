package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
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
	const oldNS = "ns1.oldprovider.test."
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t), "evil": lab.Addr(t)}
	// Each side's zone names its own NS; the parent holds the old
	// name's address, and the old side's delegation is that name alone,
	// without glue.
	apexed := func(ns string) []lab.Zone { return exampleWith("ns1.new A "+ip["new"]+"\n", "192.0.2.80", ns) }
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample NS ns1.oldprovider\nns1.oldprovider A %s\n", ip["parent"], ip["old"])
	parentSrv, parentProv, base := parentRegistrarLab(t, ip, parentText, gitZone(t, apexed("ns1.new.example.test.")[0].Text),
		lab.Knot(t, lab.Options{IP: ip["old"], Zones: apexed(oldNS)}), lab.Knot(t, lab.Options{IP: ip["new"], Zones: apexed("ns1.new.example.test.")}), prestagedTrail(t, 60))
	mk := func() *Config {
		c := base()
		c.Old.Delegation, c.Old.Glue = []string{oldNS}, nil
		return c
	}
	ctx := context.Background()
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The trail says where the name led at the flip.
	var flipped *Entry
	for _, e := range readTrail(t, mk().TrailPath).Entries {
		if e.Command == "flip" && e.Result == ResultDone {
			flipped = &e
		}
	}
	if flipped == nil || strings.Join(flipped.BeforeNSAddrs[oldNS], " ") != ip["old"] {
		t.Fatalf("the flip's trail entry does not record %s at %s: %+v", oldNS, ip["old"], flipped)
	}
	// Nothing moved: the rollback passes.
	if rep := Rollback(ctx, mk(), true, false); rep.Result != ResultDryRun {
		t.Fatalf("rollback --dry-run, %s still at %s: %s %+v %v", oldNS, ip["old"], rep.Result, rep.Gates, rep.Errors)
	}

	// The name is pointed at another server serving a copy of the zone.
	lab.Knot(t, lab.Options{IP: ip["evil"], Zones: apexed(oldNS)})
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
	// status says so before a rollback is needed: its delegation gate
	// for the old side, the side a rollback would point to, judges the
	// set the rollback would restore.
	st := Status(ctx, mk())
	var seen bool
	for _, sg := range st.Gates {
		for _, ch := range sg.Checks {
			seen = seen || sg.Name == GateDelegation && sg.Side == "old" && ch.Name == delegation.CheckNSMoved && !ch.OK && strings.Contains(ch.Detail, ip["evil"])
		}
	}
	if !seen {
		t.Errorf("status after %s moved to %s: no failed ns-moved check in the old side's delegation gate: %+v", oldNS, ip["evil"], st.Gates)
	}
	if ns := nsAtParent(t, parentSrv.Addr); ns != "ns1.new.example.test." {
		t.Fatalf("the refused rollback changed the parent: %s", ns)
	}
}
