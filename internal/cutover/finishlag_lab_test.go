package cutover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// A parent server that takes the flip late (an anycast node or a
// secondary of the registry that lags for an hour) keeps handing out the
// old delegation after the flip's change: resolvers asking it then cache
// it for the parent's NS TTL, and follow the old side's own NS set for
// its TTL after that. The flip's old_delegation_expires counts from its
// change; a status run saw the server still serving the old delegation
// an hour later (delegated_to: old and new, in the trail). finish, with
// an overlap shorter than the lag, must wait from that observation.
func TestFinishWaitsLaggingParentServerLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	lagIP := lab.Addr(t)
	copyText := func(side, ip string) []lab.Zone {
		return []lab.Zone{{Origin: "test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.%s.example\nns1.%s.example 5 A %s\n", side, side, ip)}}
	}
	lag := lab.BIND(t, lab.Options{IP: lagIP, Zones: copyText("old", l.oldIP)})
	mk := func(shift time.Duration) *Config {
		c := l.mk()
		c.ParentServers = []string{l.parent.Addr, lag.Addr}
		c.Overlap = time.Second
		c.Now = func() time.Time { return time.Now().Add(shift) }
		return c
	}
	// The flip: made at the registrar, not confirmed at the lagging server.
	rep := Flip(ctx, mk(0), false, false)
	if rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Change, rep.Errors)
	}
	// An hour later status sees the lagging server still on the old
	// delegation, and records it.
	if rep := Status(ctx, mk(time.Hour)); rep.Delegation.PointsTo != "mixed" {
		t.Fatalf("status an hour later: points to %s %v", rep.Delegation.PointsTo, rep.Errors)
	}
	// Then it catches up, and the old side no longer names itself.
	lag.Stop()
	lag = lab.BIND(t, lab.Options{IP: lagIP, Zones: copyText("new", l.newIP)})
	setAt(t, &l.mk().Old, "example.test. 60 IN NS ns1.old.example.test.", "example.test. 60 IN NS ns1.new.example.test.")

	// 30 s after that observation, resolvers that asked the lagging
	// server then still hold the old delegation (NS TTL 5 s, the old
	// side's own NS TTL 60 s).
	rep = Finish(ctx, mk(time.Hour+30*time.Second))
	if rep.ExitCode() != 1 {
		t.Errorf("finish 30 s after the old delegation was last seen at a parent server: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	// Once that has passed, finish is done.
	if rep = Finish(ctx, mk(time.Hour+10*time.Minute)); rep.Result != ResultDone {
		t.Errorf("finish after the last sighting has expired: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
}
