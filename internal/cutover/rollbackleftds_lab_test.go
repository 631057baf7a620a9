package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestRollbackRestoredDSStrandsNewSideLab: an RFC 8901 flip with both DS
// (old KSK a, new KSK b) at the parent; during the overlap the new
// provider rolled its KSK to b2 and the parent's DS followed (a, b2),
// each side publishing the other's keys. The DS set recorded before the
// flip is (a, b). The old side satisfies it (a), so on the code before
// the rollback restored it; but resolvers that hold the new delegation
// keep asking the new side until the rollback's old delegation expires
// (the parent's NS TTL plus the new side's own), and once their cached
// DS set (a, b2) expires they validate the new side under (a, b), which
// it no longer signs its DNSKEY set for (b2 only): every answer bogus,
// SERVFAIL, for those resolvers. Leaving the parent's DS (a, b2), which
// both sides satisfy, strands no one: the rollback now does that and
// says why, as it does when the old side rolled its keys
// (TestRollbackRolledKeysLab).
//
// When the parent's DS set fits the new side neither (a alone: the new
// side is bogus now, the incident the rollback is the way out of), the
// rollback is not refused for it: it restores the recorded set, as
// before, and a warning says what it costs.
func TestRollbackRestoredDSStrandsNewSideLab(t *testing.T) {
	for _, tc := range []struct {
		name  string
		leave bool
	}{
		{"the parent's DS fits both sides: left", true},
		{"the parent's DS fits the new side neither: restored", false},
	} {
		t.Run(tc.name, func(t *testing.T) { restoredDSStrands(t, tc.leave) })
	}
}

func restoredDSStrands(t *testing.T, leave bool) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b, b2 := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	recorded := []string{a.ds(t), b.ds(t)}
	now := []string{a.ds(t), b2.ds(t)}
	if !leave {
		now = now[:1]
	}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", now)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), b2.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b2.sign(t, msZone("new", ip), a.keys(t))}}})

	path := TrailPath(t.TempDir(), "example.test.")
	flip := signedFlipEntry(ip["old"], recorded)
	rolled := flip.ChangedAt.Add(30 * time.Minute)
	appendTrail(t, path, flip, Entry{Time: rolled, Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: now, TTL: 5}, DelegatedTo: []string{"new"},
		DNSKEY: map[string]dnssec.KeySet{"new": {Tags: keyTags(a, b2), TTL: 2}, "old": {Tags: keyTags(a, b2), TTL: 2}}})
	c := signedConfig(t, gitZone(t, msZone("old", ip)), ip, old, nw, parent, path, 5)
	rep := Rollback(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v", rep.Gates)
	}
	t.Logf("rollback --dry-run: %s; dnssec ok=%v: %s; change %+v", rep.Result, g.OK, g.Detail, rep.Change)
	if rep.Result != ResultDryRun || !g.OK {
		t.Fatalf("rollback --dry-run after the new side's KSK roll: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
	if !leave {
		if rep.Change == nil || len(rep.Change.After.DS) != len(recorded) || !strings.Contains(strings.Join(rep.Warnings, "\n"), "those resolvers fail") {
			t.Fatalf("the rollback does not restore the recorded DS set with a warning: %+v, warnings %q", rep.Change, rep.Warnings)
		}
		return
	}
	if rep.Change == nil || rep.Change.After.DS != nil {
		t.Fatalf("the rollback would set the DS set (a, b), under which the new side, still asked by resolvers holding its delegation, is bogus: %+v", rep.Change)
	}
	if !strings.Contains(g.Detail, "leaves the DS as it is") || !strings.Contains(g.Detail, "new side") {
		t.Errorf("the dnssec gate does not say why it leaves the DS: %s", g.Detail)
	}
}
