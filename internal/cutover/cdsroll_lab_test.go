package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFinishNewCDSKSKRolloverLab: TestFinishNewCDSNamesOldKeyLab's lab
// (the old provider signed with a, the new one with b, a's DS gone from
// the parent) while the new provider rolls its own KSK to c by the
// double-DS method (RFC 6781 section 4.1.2): its CDS set asks for b's DS
// and c's, and c is not in its DNSKEY set yet (pre-published DS), or is
// there but signs nothing yet. c's private half is the new provider's:
// the old side never published or signed with it, and its DS was never
// at the parent before the flip. On the code before, new-cds took every
// CDS of a key that does not sign the new side's DNSKEY set for the old
// provider's and refused finish. Now it refuses only one of a key the
// old side signs with or publishes, or the trail saw as the old side's
// (its DNSKEY key tags, the parent's DS before the flip): a's CDS is
// still refused when the old side no longer signs (it serves the zone
// unsigned), known from the DS the trail saw at the parent.
func TestFinishNewCDSKSKRolloverLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	for _, tc := range []struct {
		name string
		// cKey: c's DNSKEY in the new side's set; aCDS: a CDS of a's
		// key too; oldUnsigned: the old side serves the zone unsigned.
		cKey, aCDS, oldUnsigned bool
	}{
		{name: "double-DS, c's DS pre-published"},
		{name: "c published, not signing yet", cKey: true},
		{name: "a's CDS, the old side no longer signing", aCDS: true, oldUnsigned: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
			p, a, b, cs := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
			dsA, dsB, dsC := a.ds(t), b.ds(t), cs.ds(t)
			parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", []string{dsB})}}})
			cds := "@ CDS " + dsB + "\n@ CDS " + dsC + "\n"
			if tc.aCDS {
				cds += "@ CDS " + dsA + "\n"
			}
			var extra []string
			if tc.cKey {
				extra = cs.keys(t)[:1] // c's KSK
			}
			oldText := a.sign(t, msZone("new", ip), b.keys(t))
			if tc.oldUnsigned {
				oldText = msZone("new", ip)
			}
			old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: oldText}}})
			nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip)+cds, extra)}}})
			path := TrailPath(t.TempDir(), "example.test.")
			before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
			after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: []string{dsA, dsB}, DSTTL: 5}
			appendTrail(t, path, flipEntry(time.Now().UTC().Add(-time.Hour), before, after))
			c := signedConfig(t, gitZone(t, msZone("new", ip)), ip, old, nw, parent, path, 5)
			c.Overlap = time.Minute
			rep := Finish(context.Background(), c)
			g := gateNamed(rep, GateOldUnreferenced)
			if g == nil {
				t.Fatalf("no old-unreferenced gate: %+v", rep.Gates)
			}
			var cdsChecks []delegation.Check
			for _, ch := range g.Checks {
				if ch.Name == CheckNewCDS {
					cdsChecks = append(cdsChecks, ch)
				}
			}
			t.Logf("finish %s; new-cds %+v", rep.Result, cdsChecks)
			if len(cdsChecks) != 1 {
				t.Fatalf("new-cds checks: %+v", cdsChecks)
			}
			ch := cdsChecks[0]
			if tc.aCDS {
				if ch.OK || !strings.Contains(ch.Detail, "key tag "+a.KSKTag()) || strings.Contains(ch.Got, dsC) {
					t.Fatalf("a CDS of the old provider's key (tag %s), the old side no longer signing: new-cds %+v", a.KSKTag(), ch)
				}
				return
			}
			if !ch.OK {
				t.Fatalf("the new provider's double-DS rollover to its own key c (tag %s): new-cds refused: %s", cs.KSKTag(), ch.Detail)
			}
			if rep.Result != ResultDone {
				t.Errorf("finish %s: gates %+v", rep.Result, rep.Gates)
			}
		})
	}
}
