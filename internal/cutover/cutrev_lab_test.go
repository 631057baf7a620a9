package cutover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

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
