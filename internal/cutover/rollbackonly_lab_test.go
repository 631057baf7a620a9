package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestRollbackOnlyGateWarnedLab: the old side's apex NS pointed at the
// new servers before the flip makes status's gate delegation (old) fail;
// that gate holds no flip back, only a rollback after it, and status
// says so in a warning (text and JSON), with RollbackUnmet naming it.
// Status showed "FAIL delegation (old)" with no error or warning saying
// what it blocks.
func TestRollbackOnlyGateWarnedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	text := strings.Replace(strings.Replace(ownNSZone("old", ip), "@ NS ns1.old", "@ NS ns1.new", 1), "h.example.test. 1 ", "h.example.test. 2 ", 1)
	l.old.Reload(t, lab.Zone{Origin: "example.test.", Text: text})
	rep := Status(context.Background(), l.mk())
	var g *Gate
	for i := range rep.Gates {
		if rep.Gates[i].Label() == "delegation (old)" {
			g = &rep.Gates[i]
		}
	}
	if g == nil || g.OK {
		t.Fatalf("gate delegation (old) with the old side's apex NS at the new servers: %+v", g)
	}
	if got := rep.RollbackUnmet(); len(got) != 1 || got[0] != "delegation (old)" {
		t.Errorf("RollbackUnmet = %q, want [delegation (old)]", got)
	}
	found := false
	for _, w := range rep.Warnings {
		if strings.Contains(w, "delegation (old)") && strings.Contains(w, "rollback") && strings.Contains(w, "not a flip") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning says delegation (old) blocks only a rollback: %q", rep.Warnings)
	}
}
