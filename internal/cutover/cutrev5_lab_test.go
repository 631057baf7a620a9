package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// A record changed at the new provider during the overlap, outside git
// (its UI or API), answered resolvers; old-parity refused the rollback
// and planned "push every record changed on the new side (git is the
// truth) to the old one: `dnsparity push --provider old`", which pushes
// git, not the change: the old side still differed, and the way to make
// parity hold (push git to the new side) threw the change away unsaid.
// Now the plan names the RRsets where the new provider differs from git
// and says to import them into git to keep them, or push to drop them.
func TestRollbackNewChangedOutsideGitLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c := l.mk()
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The new side's www changed by hand during the overlap.
	l.nw.Reload(t, lab.Zone{Origin: "example.test.", Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 60 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.99\n", l.oldIP, l.newIP)})
	rep := Rollback(ctx, l.mk(), false, false)
	var g *Gate
	for i := range rep.Gates {
		if rep.Gates[i].Name == GateOldParity {
			g = &rep.Gates[i]
		}
	}
	if rep.Result != ResultRefused || g == nil || g.OK {
		t.Fatalf("rollback with the new side's www changed outside git: %s, old-parity %+v", rep.Result, g)
	}
	plans := strings.Join(g.Plan, "\n")
	t.Logf("old-parity: %s\nplan:\n%s", g.Detail, plans)
	if !strings.Contains(plans, "import --provider new") || !strings.Contains(plans, "www.example.test. A") {
		t.Errorf("old-parity's plan does not name the new side's change outside git and how to keep it: %q", g.Plan)
	}
	if strings.Contains(plans, "push --provider old") {
		t.Errorf("old-parity's plan offers a push to the old side, which holds git already: %q", g.Plan)
	}
}
