package cutover

import (
	"context"
	"testing"
)

// TestStatusAfterEmergencyOldDownLab: after an emergency flip with the old
// side down, status judges the dnssec gate as that flip did (the side
// that is down asked for CDS and CDNSKEY as the other side: its silence a
// warning), not as "could not run" because the down side could not be
// asked; and the report says which side the emergency step left down
// (LeftDown), which "what now" speaks from.
func TestStatusAfterEmergencyOldDownLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	l.old.Stop()
	flip := Flip(ctx, l.mk(), false, true)
	if flip.Result != ResultDone {
		t.Fatalf("emergency flip: %s %+v %v", flip.Result, flip.Gates, flip.Errors)
	}
	fg := gateNamed(flip, GateDNSSEC)
	rep := Status(ctx, l.mk())
	g := gateNamed(rep, GateDNSSEC)
	t.Logf("flip's dnssec: %+v; status's dnssec: %+v", fg, g)
	if fg == nil || !fg.OK {
		t.Fatalf("the emergency flip's dnssec gate: %+v", fg)
	}
	if g == nil || g.Err || g.OK != fg.OK {
		t.Errorf("status's dnssec gate after the emergency flip, the old side down: %+v, want it judged as the flip judged it (ok %v)", g, fg.OK)
	}
	if rep.LeftDown != "old" {
		t.Errorf("LeftDown = %q, want old", rep.LeftDown)
	}
}
