package cutover

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestPropagationLameOtherSideBound: after a flip whose watch found no
// authoritative old answer (only a lame old server) and so counted the
// trail's bound (7200 s) as the old side's own NS TTL, status's
// propagation counts the same for it, and never sets settled_at before
// the watch's old_delegation_expires: a resolver still on old is not an
// error while the step itself said it may legitimately be. Before,
// status counted 0 s for the lame side (servedNSTTL, none
// authoritative): "status: child NS TTL 300, settled at 00:06:00; the
// flip's watch: child NS TTL 7200, old_delegation_expires 02:01:00".
func TestPropagationLameOtherSideBound(t *testing.T) {
	newAA := nsTTLServer(t, true, "ns1.new.example.test.", 300)
	oldLame := nsTTLServer(t, false, "ns1.old.example.test.", 86400)
	flipped := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second, Now: func() time.Time { return flipped.Add(time.Hour) }}
	c.Old = Side{Name: "old", Servers: []string{oldLame}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Servers: []string{newAA}, Delegation: []string{"ns1.new.example.test."}}
	c.apexSeen = newApexNSSeen()
	// What the flip's watch recorded (the same lame old server: the bound).
	w := watch(context.Background(), c, "new", flipped, time.Time{}, heldTTLs{ns: 60}, func() uint32 { return 7200 })
	tr := &Trail{Entries: []Entry{{Command: "flip", Result: ResultDone, Time: flipped, ParentNSTTL: 60, Watch: w}}}
	c.apexSeen = newApexNSSeen()
	rep := &Report{}
	p := propagation(context.Background(), c, tr, rep, c.Now())
	if p.SettledAt.Before(w.OldDelegationExpires) || p.ChildNSTTL != 7200 || p.Settled {
		t.Errorf("status: child NS TTL %d, settled at %s (settled %v); the flip's watch: child NS TTL %d, old_delegation_expires %s", p.ChildNSTTL, p.SettledAt, p.Settled, w.ChildNSTTL, w.OldDelegationExpires)
	}
	if !has(rep.Warnings, "settled_at counts 7200 s") {
		t.Errorf("warnings %q: want the NS TTL counted for the lame old side", rep.Warnings)
	}

	// A flip the trail recorded no watch for: the trail's bound, as the
	// watch would have counted (the old side observed at 3600 s).
	c.apexSeen = newApexNSSeen()
	tr = &Trail{Entries: []Entry{
		{Command: "status", Result: ResultDone, Time: flipped.Add(-time.Hour), TTL: &TTLs{OldMax: 3600, NewMax: 300}},
		{Command: "flip", Result: ResultDone, Time: flipped, ParentNSTTL: 60},
	}}
	p = propagation(context.Background(), c, tr, &Report{}, c.Now())
	if want := flipped.Add(3660 * time.Second); p.ChildNSTTL != 3600 || p.SettledAt.Before(want) {
		t.Errorf("no watch recorded: child NS TTL %d, settled at %s; want 3600 s, not before %s", p.ChildNSTTL, p.SettledAt, want)
	}
}
