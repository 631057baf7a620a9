package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestDNSSECNotCheckedSaysWhy: the dnssec gate is not asked when the gate
// before it (old-parity for a rollback, old-matches-git for an emergency
// one, new-authoritative for a flip) failed, and its detail gives that
// gate's real reason: a side whose servers answer with other data is not
// told to "answer first" (found after an emergency flip, a push to the new
// side, and the old side restarted with its old data), while a side that
// did not answer still is.
func TestDNSSECNotCheckedSaysWhy(t *testing.T) {
	c := &Config{Old: Side{Name: "old"}, New: Side{Name: "new"}}
	differ := Gate{Name: GateOldParity, differs: true, Detail: "3 errors, 0 warnings, 0 info findings in 40 queries; e.g. www.example.test. A value: differs"}
	down := Gate{Name: GateOldParity, Detail: "parity cannot be proven: 127.0.0.1:53: connection refused", unproven: true}
	stale := Gate{Name: GateOldMatchesGit, differs: true, Detail: "2 findings where the old side does not serve exactly what git says (40 queries)"}
	expiring := Gate{Name: GateOldParity, Detail: "0 errors, 0 warnings, 0 info findings in 40 queries; but its copy expires at 2026-12-06T22:00:00Z"}
	for _, tc := range []struct {
		pre          Gate
		want, absent string
	}{
		{differ, "the old side answers, with other data than the new side", "must answer first"},
		{down, "the old side must answer first", "other data"},
		{stale, "the old side answers, with other data than git", "must answer first"},
		{expiring, "must meet that gate first, as its plan says (gate old-parity)", "other data"},
	} {
		rep := &Report{Gates: []Gate{tc.pre}}
		for name, g := range map[string]Gate{
			"after":    gateDNSSECAfter(context.Background(), c, nil, &c.Old, &c.New, rep, tc.pre.Name),
			"rollback": gateDNSSECRollback(context.Background(), c, nil, rep, &c.Old, &registrar.Delegation{DS: []string{"1 8 2 AA"}}, tc.pre.Name),
		} {
			if g.OK || !strings.HasPrefix(g.Detail, "not checked") || !strings.Contains(g.Detail, tc.want) || strings.Contains(g.Detail, tc.absent) {
				t.Errorf("%s, gate %s %q: dnssec detail %q, want one with %q, without %q", name, tc.pre.Name, tc.pre.Detail, g.Detail, tc.want, tc.absent)
			}
		}
	}
}

// TestRollbackDNSSECAfterEmergencyOldBackStaleLab: walk7's case on real
// servers: an emergency flip with the old side down, then the old side
// back with the data it held, which git has changed since. The rollback's
// old-parity fails with the old side answering, and its dnssec gate must
// say so, not "the old side must answer first".
func TestRollbackDNSSECAfterEmergencyOldBackStaleLab(t *testing.T) {
	l := newReviewLab(t, 3000)
	ctx := context.Background()
	l.old.Stop()
	if rep := Flip(ctx, l.mk(), false, true); rep.Result != ResultDone {
		t.Fatalf("emergency flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	stale := fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.old h.example.test. 1 60 60 1209600 60\n@ NS ns1.old\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.81\n", l.oldIP, l.newIP)
	l.old = lab.Knot(t, lab.Options{IP: l.oldIP, AllowUpdate: true, Zones: []lab.Zone{{Origin: "example.test.", Text: stale}}})
	rep := Rollback(ctx, l.mk(), true, false)
	p, g := gateNamed(rep, GateOldParity), gateNamed(rep, GateDNSSEC)
	t.Logf("rollback (dry run): %s; old-parity %+v; dnssec %+v", rep.Result, p, g)
	if p == nil || p.OK || g == nil || g.OK {
		t.Fatalf("rollback onto the stale old side: old-parity %+v, dnssec %+v", p, g)
	}
	if strings.Contains(g.Detail, "must answer first") || !strings.Contains(g.Detail, "answers, with other data than the new side") {
		t.Errorf("dnssec detail %q, want the old side's other data named, not that it must answer", g.Detail)
	}
}

// TestFlipDNSSECNewDownSaysAnswerFirstLab (ux8's case): a planned flip
// with the new side's one server down. Its dnssec gate is not asked, and
// its detail said "the new side must meet that gate first, as its plan
// says (gate new-authoritative)": new-authoritative did not record that
// the server gave no answer, where the rollback's and emergency's gates
// before it say "must answer first". A new server that answers without
// serving the zone (lame) still gets the plan's wording.
func TestFlipDNSSECNewDownSaysAnswerFirstLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dnssecDetail := func(rep *Report) string {
		for _, g := range rep.Gates {
			if g.Name == GateDNSSEC {
				return g.Detail
			}
		}
		return ""
	}
	l.nw.Stop()
	rep := Flip(ctx, l.mk(), false, false)
	if d := dnssecDetail(rep); rep.ExitCode() == 0 || d != "not checked: the new side must answer first (gate new-authoritative)" {
		t.Errorf("flip with the new side down: %s, dnssec %q", rep.Result, d)
	}
	// A server that answers, for no zone of its own: lame.
	lab.Knot(t, lab.Options{IP: l.newIP, Zones: []lab.Zone{{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns h 1 60 60 1209600 60\n@ NS ns\nns A 192.0.2.1\n"}}})
	rep = Flip(ctx, l.mk(), false, false)
	if d := dnssecDetail(rep); rep.ExitCode() == 0 || !strings.Contains(d, "must meet that gate first") {
		t.Errorf("flip with the new server lame: %s, dnssec %q", rep.Result, d)
	}
}
