package cutover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// Steps are serialized by the zone's lock, so each step's entry comes
// after every entry already in the trail; a machine whose clock is behind
// dated its entry before them, and Append put it there by time: a
// rollback run minutes after a flip from a laptop ten minutes behind was
// recorded before the flip, and the trail said flipped while the parent
// delegated to the old side (status: "find out who changed the
// delegation"; push and LeftBehind read the flip as the last move). Now a
// clock behind the trail's last entry by more than TrailClockSkew stops
// the step before anything is asked (exit 2, naming both times), and one
// within it dates the step's times at that entry's at the earliest.
func TestStepClockBehindTrailLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	behind := func(d time.Duration) *Config {
		c := l.mk()
		c.Now = func() time.Time { return time.Now().Add(-d) }
		return c
	}
	rep := Rollback(ctx, behind(10*time.Minute), false, false)
	t.Logf("rollback 10 min behind: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	if rep.ExitCode() != 2 || !has(rep.Errors, "clock") || nsAt(t, l) != "ns1.new.example.test." {
		t.Errorf("rollback from a clock 10 minutes behind the trail: %s (exit %d), parent NS %s: want exit 2 naming the clock, the parent untouched", rep.Result, rep.ExitCode(), nsAt(t, l))
	}
	rep = Rollback(ctx, behind(2*time.Minute), false, false)
	tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if stage, e := tr.Stage(); rep.Result != ResultDone || stage != StageRolledBack || e.ChangedAt == nil {
		t.Errorf("rollback from a clock 2 minutes behind the trail: %s %v, trail stage %s: want done and recorded after the flip", rep.Result, rep.Errors, stage)
	}
}

// The parent's servers serve one delegation with different NS TTLs (a
// registry changing its NS TTL, published server by server): resolvers
// that took the referral from the server with the longer TTL keep it that
// long. The view, the trail (what finish and ttl-expired count) and the
// flip's old_delegation_expires took the first server's TTL.
func TestParentNSTTLLargestLab(t *testing.T) {
	l := newReviewLab(t, 5)
	text := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 90 NS ns1.old.example\nns1.old.example 90 A %s\n", l.oldIP)
	p2 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}})
	c := l.mk()
	c.ParentServers = append(c.ParentServers, p2.Addr)
	rep := Status(context.Background(), c)
	if rep.Delegation.NSTTL != 90 {
		t.Errorf("status with parent servers serving NS TTL 5 and 90: ns_ttl %d, want 90", rep.Delegation.NSTTL)
	}
	tr, err := ReadTrail(c.TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if e := tr.Entries[len(tr.Entries)-1]; e.ParentNSTTL != 90 {
		t.Errorf("recorded parent_ns_ttl %d, want 90", e.ParentNSTTL)
	}
	// The flip's watch counts the 90 s, though the registrar holds 5 s
	// (the second server, a fixed copy, never takes the change: the flip
	// ends unconfirmed, the watch runs).
	rep = Flip(context.Background(), c, false, false)
	if rep.Change == nil || rep.Watch == nil {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if want := rep.Change.At.Add(90 * time.Second); rep.Watch.OldDelegationExpires.Before(want) {
		t.Errorf("old_delegation_expires %s, before the change + the 90 s NS TTL a parent server served (%s)", rep.Watch.OldDelegationExpires.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}
