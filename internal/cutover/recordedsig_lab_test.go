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
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestRollbackRecordedServerSignaturesLab: the delegation recorded before
// the flip names two old servers, ns1.old (providers.old.nameservers) and
// ns2.old, a server the config does not list (a secondary `flip
// --from-current` recorded). The rollback restores both, so resolvers ask
// both again. ns2.old serves the zone's data, with the same DNSKEY set, but
// its signatures have expired (a stale presigned copy nobody re-signs):
// parity compares no signatures and finds the keys alike, and validating
// resolvers that pick ns2.old after the rollback find every answer bogus
// (SERVFAIL). On the code before, the dnssec gate validated only the
// configured servers and the rollback passed (dry run done); it now
// validates every server the restored delegation sends resolvers to, the
// servers old-parity and the delegation gate ask; status's dnssec gate,
// which says whether a rollback would pass, too (it passed before).
func TestRollbackRecordedServerSignaturesLab(t *testing.T) {
	lab.Require(t, "named", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ctx := context.Background()
	ip := map[string]string{"old": lab.Addr(t), "old2": lab.Addr(t), "new": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	text := func(apex ...string) string {
		s := fmt.Sprintf("$ORIGIN example.test.\n$TTL 2\n@ SOA %s h.example.test. 1 60 60 1209600 2\n", apex[0])
		for _, n := range apex {
			s += "@ NS " + n + "\n"
		}
		return s + fmt.Sprintf("ns1.old A %s\nns2.old A %s\nns1.new A %s\nwww A 192.0.2.80\n", ip["old"], ip["old2"], ip["new"])
	}
	oldText := text("ns1.old.example.test.", "ns2.old.example.test.")
	ds := []string{a.ds(t)}
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.new.example\nns1.new.example 5 A %s\nexample 5 DS %s\n", ip["new"], ds[0])
	p := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, oldText, labsign.Opts{})}}})
	// The same keys, signatures that ended an hour ago.
	lab.BIND(t, lab.Options{IP: ip["old2"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, oldText, labsign.Opts{Start: "now-172800", End: "now-3600"})}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.Sign(t, text("ns1.new.example.test."), labsign.Opts{})}}})

	path := TrailPath(t.TempDir(), "example.test.")
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."}, NSTTL: 5, DS: ds, DSTTL: 5,
		Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}, "ns2.old.example.test.": {ip["old2"]}}}
	before.Normalize()
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: ds, DSTTL: 5}
	flip := flipEntry(flipped, before, after)
	flip.ParentDS = &DSSeen{DS: ds, TTL: 5}
	appendTrail(t, path, flip, Entry{Time: flipped.Add(30 * time.Minute), Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: ds, TTL: 5}, DelegatedTo: []string{"new"},
		DNSKEY: map[string]dnssec.KeySet{"new": {Tags: keyTags(a), TTL: 2}, "old": {Tags: keyTags(a), TTL: 2}}})
	c := signedConfig(t, gitZone(t, oldText), ip, old, nw, p, path, 5)

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
	if rep.ExitCode() != 1 || g.OK || !strings.Contains(g.Detail, ip["old2"]) {
		t.Fatalf("rollback restoring a server whose signatures expired an hour ago: %s (exit %d), dnssec ok=%v", rep.Result, rep.ExitCode(), g.OK)
	}
	// status judges a rollback's dnssec gate the same (its "what now"
	// says whether a rollback would be refused).
	st := Status(ctx, signedConfig(t, gitZone(t, oldText), ip, old, nw, p, path, 5))
	if sg := gateNamed(st, GateDNSSEC); sg == nil || sg.OK || !strings.Contains(sg.Detail, ip["old2"]) {
		t.Errorf("status in the overlap, a rollback restoring a server whose signatures expired: dnssec %+v", sg)
	}
}
