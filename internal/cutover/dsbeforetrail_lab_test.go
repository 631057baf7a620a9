package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// RFC 8901 route (b) step 3 (the new side's DS added beside the old
// one) made at the parent before dnsparity first looked: the trail's
// first record of the parent already sees both DS. Each side signs its
// DNSKEY set with its own KSK only, so a validating resolver that
// cached the DS set from before the addition (the old KSK's DS alone)
// finds every answer of the new side bogus until that DS expires
// (TestFlipRegistrarChangedDSLab shows it with Unbound: the old KSK's
// DS alone, the new side, SERVFAIL). When that set was replaced is not
// known here; the trail saw the current one first at its first record,
// so the flip must wait the DS TTL (5 s) from there. On the code
// before, the flip passed the moment the DNSKEY TTL (2 s) had run out.
func TestFlipDSAddedBeforeTrailLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip, _, a, _, _, parent, old, nw := multiSignerLab(t)
	clock := time.Now().UTC().Truncate(time.Second)
	c := signedConfig(t, gitZone(t, msZone("old", ip)), ip, old, nw, parent, prestagedTrail(t, 2), 5)
	c.Now = func() time.Time { return clock }
	ctx := context.Background()

	first := clock
	Status(ctx, c) // the trail's first record of the parent's DS set: both DS, TTL 5
	clock = first.Add(3 * time.Second)
	rep := Flip(ctx, c, true, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v %v", rep.Gates, rep.Errors)
	}
	t.Logf("flip 3 s after the first record of both DS: %s, dnssec ok=%v %s", rep.Result, g.OK, g.Detail)
	until := first.Add(5 * time.Second)
	if g.OK || !strings.Contains(g.Detail, "(key tags "+a.KSKTag()+")") || !strings.Contains(g.Detail, until.Format(time.RFC3339)) {
		t.Errorf("flip 3 s after the trail first saw the DS set (TTL 5 s): dnssec ok=%v; want refused until %s for the DS of key tag %s alone", g.OK, until.Format(time.RFC3339), a.KSKTag())
	}

	clock = until.Add(time.Second)
	rep = Flip(ctx, c, true, false)
	if g := findGate(rep.Gates, GateDNSSEC); g == nil || !g.OK {
		t.Errorf("flip the DS TTL after the first record: %s, dnssec %+v", rep.Result, g)
	}

	// No status first: the flip itself is the trail's first record of
	// the DS set (and of the DNSKEY sets). Refused at once (the DNSKEY
	// wait, 2 s, comes first); 3 s later still refused, until its own
	// time plus the DS TTL (its entry starts the wait); then passes.
	c.TrailPath = prestagedTrail(t, 2)
	first = clock
	if rep := Flip(ctx, c, true, false); rep.Result != ResultRefused {
		t.Errorf("flip with no record of the DS set nor the key sets yet: %s, want refused", rep.Result)
	}
	clock = first.Add(3 * time.Second)
	rep = Flip(ctx, c, true, false)
	g = findGate(rep.Gates, GateDNSSEC)
	if g == nil || g.OK || !strings.Contains(g.Detail, first.Add(5*time.Second).Format(time.RFC3339)) {
		t.Errorf("flip 3 s after the first flip's record of the DS set: %s, dnssec %+v; want refused until %s", rep.Result, g, first.Add(5*time.Second).Format(time.RFC3339))
	}
	clock = first.Add(6 * time.Second)
	rep = Flip(ctx, c, true, false)
	if g := findGate(rep.Gates, GateDNSSEC); g == nil || !g.OK {
		t.Errorf("flip the DS TTL after the first flip's record: %s, dnssec %+v", rep.Result, g)
	}
}
