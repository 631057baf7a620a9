package cutover

import (
	"context"
	"strings"
	"testing"
)

// TestEmergencyServedBeyondGitRefusedLab: the old provider is partly
// down (one server silent) and the server still answering serves git and
// extra.example.test. A, which git lacks (added at its UI). flip
// --emergency would make that record vanish for every resolver: the
// completeness gate (old-complete) must refuse, naming it, both when the
// provider lists it and when its API is down (a 503): then the surviving
// server, which allows the transfer, shows it by AXFR. On the code
// before, the first was a warning ("not refused in an emergency") and the
// second was not checked at all (the names asked came from the listing
// only): both flips went ahead and the record vanished.
func TestEmergencyServedBeyondGitRefusedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	setRRs(t, &l.mk().Old, "extra.example.test. 60 IN A 192.0.2.55")
	for _, tc := range []struct {
		name      string
		unlisted  bool
		wantInDet string
	}{
		{"listed", false, "extra.example.test. A"},
		{"API down, survivor transfers", true, "extra.example.test. A"},
	} {
		c := l.mk()
		c.Old.Servers = append(c.Old.Servers, dead)
		if tc.unlisted {
			c.Old.Provider = unlistable{c.Old.Provider}
		}
		rep := Flip(ctx, c, true, true)
		g := gateNamed(rep, GateOldComplete)
		t.Logf("%s: %s; old-complete %+v; warnings %q", tc.name, rep.Result, g, rep.Warnings)
		if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, tc.wantInDet) || !strings.Contains(g.Detail, l.old.Addr) {
			t.Errorf("%s: flip --emergency while the surviving old server %s serves extra.example.test. A (git lacks it): %s, old-complete %+v", tc.name, l.old.Addr, rep.Result, g)
		}
		if d := gateNamed(rep, GateOldDown); d == nil || !d.OK || !strings.Contains(d.Detail, "partly down") {
			t.Errorf("%s: old-down %+v, want partly down", tc.name, d)
		}
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("a dry run moved the delegation: %s", ns)
	}
}
