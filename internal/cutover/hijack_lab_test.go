package cutover

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
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
	h := flippedFromOutsideName(t)
	ip, mk, parentProv, parentSrv, apexed := h.ip, h.mk, h.parentProv, h.parentSrv, h.apexed
	ctx := context.Background()
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

const oldNS = "ns1.oldprovider.test."

// outsideNameLab is a zone flipped away from an old side whose
// delegation is one name outside the zone, ns1.oldprovider.test., its
// address in the parent zone test. (real BIND, a registrar through
// RFC 2136), the old and new sides real Knot servers.
type outsideNameLab struct {
	ip         map[string]string
	mk         func() *Config
	parentProv provider.Provider
	parentSrv  *lab.Server
	apexed     func(ns string) []lab.Zone
}

// flippedFromOutsideName starts outsideNameLab and flips it.
func flippedFromOutsideName(t *testing.T) outsideNameLab {
	t.Helper()
	h := newOutsideNameLab(t)
	if rep := Flip(context.Background(), h.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	return h
}

// newOutsideNameLab starts outsideNameLab, not flipped.
func newOutsideNameLab(t *testing.T) outsideNameLab {
	t.Helper()
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
	return outsideNameLab{ip: ip, mk: mk, parentProv: parentProv, parentSrv: parentSrv, apexed: apexed}
}

// TestRollbackUnrecordedNameLab: the flip's trail entry holds no
// addresses for ns1.oldprovider.test. (a trail written before they were
// recorded, or a lookup that failed at the flip: before_ns_addrs taken
// out), and the name now leads to another server. ns-moved was
// not-checked whatever that server served, and the rollback went on.
// Now the server is asked for the zone's SOA and compared with the old
// side's configured server: one serving another SOA (another serial, a
// zone of its own) or none refuses the rollback; one serving the same
// SOA cannot be told from an unlisted secondary (nor from a copy) and
// stays not-checked.
func TestRollbackUnrecordedNameLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	for _, c := range []struct {
		what    string
		serves  func(h outsideNameLab) []lab.Zone // nil: nothing listens there
		refused bool
	}{
		{"another serial", func(h outsideNameLab) []lab.Zone {
			z := h.apexed(oldNS)
			z[0].Text = strings.Replace(z[0].Text, " 1 60 60 ", " 7 60 60 ", 1)
			return z
		}, true},
		{"another zone only", func(h outsideNameLab) []lab.Zone {
			return []lab.Zone{{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns h 1 60 60 1209600 60\n@ NS ns\nns A 192.0.2.1\n"}}
		}, true},
		{"the same SOA", func(h outsideNameLab) []lab.Zone { return h.apexed(oldNS) }, false},
	} {
		t.Run(c.what, func(t *testing.T) {
			h := flippedFromOutsideName(t)
			path := h.mk().TrailPath
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			stripped := regexp.MustCompile(`"before_ns_addrs":\s*\{[^}]*\}`).ReplaceAll(raw, []byte(`"before_ns_addrs": {}`))
			if len(stripped) >= len(raw) {
				t.Fatalf("the flip recorded no before_ns_addrs to take out: %s", raw)
			}
			if err := os.WriteFile(path, stripped, 0o644); err != nil {
				t.Fatal(err)
			}
			lab.Knot(t, lab.Options{IP: h.ip["evil"], Zones: c.serves(h)})
			setRRsIn(t, h.parentProv, "test.", oldNS+" 5 IN A "+h.ip["evil"])
			rep := Rollback(context.Background(), h.mk(), true, false)
			var moved *delegation.Check
			if g := gateNamed(rep, GateDelegation); g != nil {
				for i, ch := range g.Checks {
					if ch.Name == delegation.CheckNSMoved {
						moved = &g.Checks[i]
					}
				}
			}
			if moved == nil {
				t.Fatalf("rollback: %s, no ns-moved check: %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			t.Logf("rollback: %s; ns-moved: %s %s", rep.Result, moved.Severity, moved.Detail)
			switch {
			case c.refused && (rep.Result != ResultRefused || moved.OK || moved.Severity != delegation.SevError || !strings.Contains(moved.Detail, h.ip["evil"])):
				t.Errorf("want the rollback refused by ns-moved naming %s; got %s, %+v", h.ip["evil"], rep.Result, moved)
			case !c.refused && (rep.Result != ResultDryRun || moved.Severity != delegation.SevNotChecked):
				t.Errorf("want the rollback to pass with ns-moved not-checked; got %s, %+v %v", rep.Result, moved, rep.Errors)
			}
		})
	}
}

// TestHalfMadeFlipRecordsAddrsLab: a flip completing one made half-way
// (the parent serving the old name, outside the zone, and the new one)
// with no flip in the trail before it records the configured old
// delegation as the one a rollback restores, and where its name outside
// the zone leads (before_ns_addrs), as a flip from it does: without them
// a later rollback could judge the name only by the SOA it serves.
func TestHalfMadeFlipRecordsAddrsLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	h := newOutsideNameLab(t)
	ctx := context.Background()
	setRRsIn(t, h.parentProv, "test.", "ns1.new.example.test. 5 IN A "+h.ip["new"])
	setRRsIn(t, h.parentProv, "test.", "example.test. 5 IN NS "+oldNS, "example.test. 5 IN NS ns1.new.example.test.")
	c := h.mk()
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("re-run of a half-made flip: %s %+v %v %v", rep.Result, rep.Gates, rep.Errors, rep.Warnings)
	}
	// Said once, as a flip made half-way it completes: not also "find
	// out who changed the delegation".
	if len(rep.Errors) > 0 {
		t.Errorf("the completed half-made flip reports errors: %v", rep.Errors)
	}
	var flipped *Entry
	for _, e := range readTrail(t, c.TrailPath).Entries {
		if e.Command == "flip" && e.Result == ResultDone {
			flipped = &e
		}
	}
	if flipped == nil || flipped.Before == nil || strings.Join(flipped.Before.NS, " ") != oldNS || strings.Join(flipped.BeforeNSAddrs[oldNS], " ") != h.ip["old"] {
		t.Errorf("the completing flip's trail entry: %+v; want before %s at %s", flipped, oldNS, h.ip["old"])
	}
}
