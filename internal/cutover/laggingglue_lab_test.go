package cutover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestFinishWaitsUnlistedParentGlueTTLLab: TestFinishWaitsUnlistedParentServerLab
// with the unlisted parent server (an address of the parent zone's own NS
// set that cutover.parent_servers leaves out, which resolvers ask too)
// serving the old delegation's NS at TTL 5 s but its glue, the old
// server's address, at an hour, until it takes the flip late. A resolver
// that asked it keeps that address of ns1.old.example.test. for the hour
// (the figure the change's own old_delegation_expires counts: the
// parent's NS TTL or glue TTL, the larger, movedNSTTL) and asks the old
// provider there. The entries that saw the lagging server recorded only
// NS TTLs, so finish, ten minutes after the parent's servers were
// first seen all on the new side, called the
// old provider safe to decommission while those resolvers still held its
// address for fifty minutes. Now each entry records the largest glue TTL
// the parent's servers served (parent_glue_ttl), and the spans counted
// from such a sighting count it as they count the NS TTL.
func TestFinishWaitsUnlistedParentGlueTTLLab(t *testing.T) {
	l := newReviewLab(t, 5)
	tp := newTwoParents(t, l)
	lagged := tp.head + fmt.Sprintf("example 5 NS ns1.old.example\nns1.old.example 3600 A %s\n", l.oldIP)
	lag := lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: lagged}}}) // takes the flip late
	ctx := context.Background()
	mk := func(shift time.Duration) *Config {
		c := tp.mk()
		c.Overlap = time.Second
		c.Now = func() time.Time { return time.Now().Add(shift) }
		return c
	}
	if rep := Flip(ctx, mk(0), false, false); rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	setAt(t, &l.mk().Old, "example.test. 60 IN NS ns1.old.example.test.", "example.test. 60 IN NS ns1.new.example.test.")
	// An hour on, it still serves the old delegation: status records it.
	if rep := Status(ctx, mk(time.Hour)); rep.Delegation.PointsTo == "" {
		t.Fatalf("status an hour later: %v", rep.Errors)
	}
	// It catches up.
	lag.Stop()
	lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.head + fmt.Sprintf("example 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
	// The first run after it caught up counts from now; ten minutes on,
	// from that run (the first to see every parent server on the new
	// side): the NS TTL (5 s) and the old side's own NS TTL (60 s) have
	// long passed, the glue's hour has not.
	if rep := Finish(ctx, mk(time.Hour+10*time.Minute)); rep.ExitCode() != 1 {
		t.Errorf("finish right after the unlisted parent server caught up: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	rep := Finish(ctx, mk(time.Hour+20*time.Minute))
	if rep.ExitCode() != 1 {
		t.Errorf("finish 10 minutes after the parent's servers were first seen all on the new side, one of them having served the old delegation with glue at TTL 3600: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), gateNamed(rep, GateOverlap), rep.Errors)
	}
	t.Logf("overlap: %+v", gateNamed(rep, GateOverlap))
	// Once the glue has expired too, finish is done.
	if rep = Finish(ctx, mk(2*time.Hour+20*time.Minute)); rep.Result != ResultDone {
		t.Errorf("finish after the lagging server's glue has expired: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
}
