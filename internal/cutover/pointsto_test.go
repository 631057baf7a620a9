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
