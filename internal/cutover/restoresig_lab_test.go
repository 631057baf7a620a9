package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
)

// TestRollbackRestoreDSSignaturesExpireLab: the old side is a BIND
// secondary of a hidden primary that served a presigned zone (signed by
// KSK a, signatures ending in a day); the primary is gone, the
// secondary's copy lasts two weeks (SOA expire), the parent's NS TTL is
// two days. The rollback would send resolvers to that secondary for two
// days at least, and its signatures end in one: every answer bogus for
// validating resolvers. With the parent's DS set the one the flip found
// (nothing to restore), the dnssec gate (gateDNSSECAfter, judgeSignatures)
// refuses. When the parent's DS set changed during the overlap (here a
// SHA-384 DS of the same key added), the rollback restores the recorded
// set and its dnssec gate is gateDNSSECRestore: on the code before, it
// judged no signature validity and the rollback passed (dry run done).
func TestRollbackRestoreDSSignaturesExpireLab(t *testing.T) {
	for _, tc := range []struct {
		name    string
		changed bool
	}{
		{"DS unchanged since the flip", false},
		{"DS changed since the flip: restored", true},
	} {
		t.Run(tc.name, func(t *testing.T) { restoreDSSignatures(t, tc.changed) })
	}
}

func restoreDSSignatures(t *testing.T, changed bool) {
	lab.Require(t, "named", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ctx := context.Background()
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	zoneText := func(side string) string {
		return replaced(t, msZone(side, ip), " 1 60 60 1209600 2", " 1 60 60 1209600 2")
	}
	recorded := []string{a.ds(t)}
	now := recorded
	if changed {
		now = []string{a.ds(t), a.DS(t, "4")}
	}
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 172800 NS ns1.new.example\nns1.new.example 172800 A %s\n", ip["new"])
	for _, d := range now {
		parentText += "example 5 DS " + d + "\n"
	}
	p := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	primary := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, zoneText("old"), labsign.Opts{End: "now+86400"})}}})
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Primary: primary.Addr}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, zoneText("new"), labsign.Opts{})}}})

	path := TrailPath(t.TempDir(), "example.test.")
	flip := signedFlipEntry(ip["old"], recorded)
	flip.After.NSTTL, flip.Before.NSTTL = 172800, 172800
	seen := flip.ChangedAt.Add(30 * time.Minute)
	appendTrail(t, path, flip, Entry{Time: seen, Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: now, TTL: 5}, DelegatedTo: []string{"new"},
		DNSKEY: map[string]dnssec.KeySet{"new": {Tags: keyTags(a), TTL: 2}, "old": {Tags: keyTags(a), TTL: 2}}})
	c := signedConfig(t, gitZone(t, zoneText("old")), ip, old, nw, p, path, 5)
	primary.Stop()
	waitCounting(t, old.Addr, 1209600)

	rep := Rollback(ctx, c, true, false)
	g := gateNamed(rep, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v", rep.Gates)
	}
	t.Logf("rollback --dry-run: %s (exit %d); dnssec ok=%v: %s", rep.Result, rep.ExitCode(), g.OK, g.Detail)
	for _, o := range rep.Gates {
		if o.Name != GateDNSSEC && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if changed && (rep.Change == nil || len(rep.Change.After.DS) != len(recorded)) {
		t.Errorf("the rollback does not restore the recorded DS set: %+v", rep.Change)
	}
	if rep.ExitCode() != 1 || g.OK || !strings.Contains(g.Detail, "bogus") {
		t.Fatalf("rollback onto a secondary whose signatures end in a day, parent NS TTL two days (DS changed since the flip: %v): %s (exit %d), dnssec ok=%v", changed, rep.Result, rep.ExitCode(), g.OK)
	}
}
