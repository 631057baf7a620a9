package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestRollbackRecordedServerOtherCopyLab: the rollback restores the
// delegation recorded before the flip, ns1.old (providers.old) and
// ns2.old, a server the config does not list. ns2.old serves another copy
// of the zone: git's names as git has them, and gone.example.test. TXT,
// which git deleted during the overlap (the old provider, pushed, no
// longer holds it). Parity asks git's names and finds nothing; old-complete
// reads the provider's listing. After the rollback resolvers that pick
// ns2.old get gone.example.test. again and the others NXDOMAIN. The flip
// judges such servers of the side it leaves (listingServed: their serial,
// and their transfer). At another serial the delegation gate's serial
// check refuses the rollback; at the same serial (a copy edited apart, a
// secondary restored from a backup), on the code before, the rollback
// judged none of the servers its recorded delegation adds, and passed
// (dry run done).
func TestRollbackRecordedServerOtherCopyLab(t *testing.T) {
	lab.Require(t, "named")
	ctx := context.Background()
	ip := map[string]string{"old": lab.Addr(t), "old2": lab.Addr(t), "new": lab.Addr(t)}
	text := func(serial string, apex ...string) string {
		s := fmt.Sprintf("$ORIGIN example.test.\n$TTL 5\n@ SOA %s h.example.test. %s 60 60 604800 5\n", apex[0], serial)
		for _, n := range apex {
			s += "@ NS " + n + "\n"
		}
		return s + fmt.Sprintf("ns1.old A %s\nns2.old A %s\nns1.new A %s\nwww A 192.0.2.80\n", ip["old"], ip["old2"], ip["new"])
	}
	oldText := text("2", "ns1.old.example.test.", "ns2.old.example.test.")
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.new.example\nns1.new.example 5 A %s\n", ip["new"])
	p := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.BIND(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: oldText}}})
	lab.BIND(t, lab.Options{IP: ip["old2"], Zones: []lab.Zone{{Origin: "example.test.", Text: text("2", "ns1.old.example.test.", "ns2.old.example.test.") + "gone TXT \"deleted from git during the overlap\"\n"}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: text("7", "ns1.new.example.test.")}}})

	path := prestagedTrail(t, 5)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}, "ns2.old.example.test.": {ip["old2"]}}}
	before.Normalize()
	appendTrail(t, path, flipEntry(time.Now().UTC().Add(-30*time.Minute), before, registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5}))
	c := signedConfig(t, gitZone(t, oldText), ip, old, nw, p, path, 5)

	rep := Rollback(ctx, c, true, false)
	g := gateNamed(rep, GateOldComplete)
	if g == nil {
		t.Fatalf("no old-complete gate: %+v", rep.Gates)
	}
	t.Logf("rollback --dry-run: %s (exit %d); old-complete ok=%v: %s", rep.Result, rep.ExitCode(), g.OK, g.Detail)
	for _, o := range rep.Gates {
		if o.Name != GateOldComplete && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	if rep.ExitCode() != 1 || g.OK || !strings.Contains(g.Detail, "gone.example.test.") || !strings.Contains(g.Detail, ip["old2"]) {
		t.Fatalf("rollback restoring a recorded server that serves gone.example.test. (deleted from git): %s (exit %d), old-complete ok=%v", rep.Result, rep.ExitCode(), g.OK)
	}
}
