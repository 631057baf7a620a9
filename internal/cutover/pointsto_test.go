package cutover

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestRestoreAndTarget: the delegation a rollback restores is the one
// recorded before the last flip that changed the registrar (not a dry run,
// not a refusal); the DS set comes back only when the parent's differs
// from it, and a parent that had none loses the one it has now.
func TestRestoreAndTarget(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	first := &registrar.Delegation{NS: []string{"ns2.old.example.test.", "NS1.old.example.test."}, NSTTL: 3600,
		Glue: map[string][]string{"ns2.old.example.test.": {"2001:db8:0::53", "192.0.2.2"}}, DS: []string{"1 13 2 AA"}}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{
		{Time: t0, Command: "flip", Result: ResultDone, Before: first},
		{Time: t0.Add(time.Hour), Command: "rollback", Result: ResultDone},
		{Time: t0.Add(2 * time.Hour), Command: "flip", Result: ResultDryRun, DryRun: true, Before: &registrar.Delegation{NS: []string{"x."}}},
		{Time: t0.Add(3 * time.Hour), Command: "flip", Result: ResultRefused, Before: &registrar.Delegation{NS: []string{"y."}}},
	}}
	r := tr.Restore()
	if r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test. ns2.old.example.test." || r.NSTTL != 3600 {
		t.Fatalf("Restore = %+v", r)
	}
	if (&Trail{}).Restore() != nil {
		t.Error("an empty trail restores something")
	}
	c := &Config{Zone: zone.New("example.test."), restore: r}
	if d := c.rollbackTarget(DelegationView{DS: []string{"1 13 2 AA"}}); d == nil || d.DS != nil {
		t.Errorf("the same DS set is left alone: %+v", d)
	}
	if d := c.rollbackTarget(DelegationView{DS: []string{"9 13 2 BB"}}); d == nil || strings.Join(d.DS, " ") != "1 13 2 AA" {
		t.Errorf("another DS set is restored: %+v", d)
	}
	c.restore.DS = nil
	if d := c.rollbackTarget(DelegationView{DS: []string{"9 13 2 BB"}}); d == nil || d.DS == nil || len(d.DS) != 0 {
		t.Errorf("a parent that had no DS loses the one it has: %+v", d)
	}
	// Glue compares by address, whatever its spelling and order.
	same := registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."},
		Glue: map[string][]string{"ns2.old.example.test.": {"192.0.2.2", "2001:db8::53"}}}
	if !sameDelegation("example.test.", same, *first) {
		t.Errorf("the same delegation spelled otherwise differs")
	}
	same.Glue["ns2.old.example.test."] = []string{"192.0.2.2"}
	if sameDelegation("example.test.", same, *first) {
		t.Errorf("a delegation without the AAAA glue is the same")
	}
}

// TestPointsToInMotion: the rollback's points-to-new on a view in motion
// (readParent's rollbackView): a server that already serves the old
// delegation the rollback sets, or does not answer, is named and refuses
// nothing while one server delegates exactly to the new side; another
// delegation still refuses, and so does a view where no server is on the
// new side. Without the motion (a planned flip's points-to-old), every
// server must serve the delegation.
func TestPointsToInMotion(t *testing.T) {
	c := &Config{Zone: zone.New("example.test."),
		Old: Side{Name: "old", Delegation: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {"192.0.2.1"}}},
		New: Side{Name: "new", Delegation: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.2"}}}}
	m, ok := c.moves(rollbackView)
	if !ok || strings.Join(m.from.NS, " ") != "ns1.new.example.test." || strings.Join(m.to.NS, " ") != "ns1.old.example.test." {
		t.Fatalf("moves(rollbackView) = %+v, %v", m, ok)
	}
	at := func(server string, d registrar.Delegation) registrar.AtServer {
		return registrar.AtServer{Server: server, Delegation: d}
	}
	down := registrar.AtServer{Server: "192.0.2.9:53", Err: "timeout"}
	evil := registrar.Delegation{NS: []string{"ns1.evil.example.test."}, Glue: map[string][]string{"ns1.evil.example.test.": {"192.0.2.66"}}}
	for _, tc := range []struct {
		name  string
		views []registrar.AtServer
		ok    bool
		named string
	}{
		{"all new", []registrar.AtServer{at("a", m.from), at("b", m.from)}, true, "every parent server (2)"},
		{"one took the rollback", []registrar.AtServer{at("a", m.from), at("b", m.to)}, true, "b already serves the old side's delegation"},
		{"one down", []registrar.AtServer{at("a", m.from), down}, true, "192.0.2.9:53 does not answer"},
		{"a third party", []registrar.AtServer{at("a", m.from), at("b", evil)}, false, "b delegates to NS ns1.evil.example.test."},
		{"none new", []registrar.AtServer{at("a", m.to), down}, false, "no parent server delegates to it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := gatePointsTo(c, GatePointsToNew, tc.views, m.from, "the new side", false, &m)
			if g.OK != tc.ok || !strings.Contains(g.Detail, tc.named) {
				t.Errorf("points-to-new = %v %q, want %v naming %q", g.OK, g.Detail, tc.ok, tc.named)
			}
		})
	}
	old, _ := c.expectedOld()
	if g := gatePointsTo(c, GatePointsToOld, []registrar.AtServer{at("a", old), down}, old, "the old side", false, nil); g.OK {
		t.Errorf("points-to-old with a server down: %+v", g)
	}
	if g := gatePointsTo(c, GatePointsToOld, []registrar.AtServer{at("a", old), at("b", m.from)}, old, "the old side", false, nil); g.OK {
		t.Errorf("points-to-old with a server on the new side: %+v", g)
	}
}
