package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
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

// TestEmergencyUpSideCopySameSerialLab: flip --emergency (the old side
// wholly down) to a new side whose provider lists its hidden primary
// (providers.new.server, not among its nameservers), while its public
// server serves another copy at the same serial with a record git lacks
// (extra.example.test. TXT). new-matches-git asks git's names only, and
// new-complete judged the primary's listing: the record appears for every
// resolver at the flip, unseen. The emergency's new-complete must judge
// what the public servers serve, as the planned flip's completeness gates
// do (listingServed): refused, naming it. On the code before, the
// emergency flip went ahead.
func TestEmergencyUpSideCopySameSerialLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	primary := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("new", ip)}}})
	l.nw.Reload(t, lab.Zone{Origin: "example.test.", Text: ownNSZone("new", ip) + "extra TXT \"only on the public server\"\n"})
	c := l.mk()
	c.Old.Servers = []string{silent(t)}
	c.New.Provider, c.New.Primary = rfc2136Provider(t, primary.Addr, nil), primary.Addr
	rep := Flip(ctx, c, true, true)
	g := gateNamed(rep, GateNewComplete)
	t.Logf("flip --emergency: %s; new-complete %+v", rep.Result, g)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "extra.example.test.") {
		t.Errorf("flip --emergency to a new side whose public server serves extra.example.test. TXT beyond its primary's listing, at the same serial: %s, new-complete %+v", rep.Result, g)
	}
	if d := gateNamed(rep, GateOldDown); d == nil || !d.OK {
		t.Errorf("old-down %+v, want met (the old side wholly down)", d)
	}
}
