package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// A step made half-way (the parent names the side it moves to already,
// or both sides' names) no longer finds in the parent's delegation the
// servers resolvers that cached the side it leaves still ask: its gates
// ask those of the delegation the trail recorded for that side
// (askFromHeld), as a whole step's ask those of the parent's
// (askFromServers). Here the config lists a server of the side left
// (a renumbered provider, a typo) that serves what the side moved to
// serves, while the server the recorded delegation sends resolvers to
// answers www otherwise: the step must see that difference and refuse,
// the parent untouched. Before, a half-made flip or rollback asked
// providers.<side>.nameservers alone, and parity passed between the side
// moved to and a server no resolver asks; and a rollback run again over
// a rollback the trail records (stage rolled back) found no delegation
// of the new side at all (newDelegations stopped at that rollback).
func TestHalfMadeAsksHeldDelegationLab(t *testing.T) {
	for _, tc := range []struct {
		name       string
		flipped    bool // the trail's flip made (else never flipped: a flip made half-way)
		rolledBack bool // and a rollback recorded after it (stage rolled back)
		// attempt: the delegation a flip that tried the registrar and
		// failed recorded as its before (nil: no such flip in the
		// trail); the config's glue names the stray server since, so
		// only that delegation leads resolvers to the old server
		attempt func(l *reviewLab, strayIP string) *registrar.Delegation
		// halfStray: the half-made delegation glues ns1.old to the
		// stray server (else as half says)
		halfStray bool
		half      func(l *reviewLab) registrar.Delegation
	}{
		{name: "flip, both sides' names", half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
		}},
		{name: "flip, both sides' names, after an attempt from the old server's glue", attempt: func(l *reviewLab, _ string) *registrar.Delegation {
			return &registrar.Delegation{NS: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP}}, NSTTL: 5}
		}, half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
		}},
		// A --from-current attempt from the old name plus a secondary
		// the config does not list (sec, at the old server's address,
		// answering www otherwise): a rollback would not restore that
		// set (attemptedBefore), but resolvers hold it and ask sec.
		{name: "flip, both sides' names, after a --from-current attempt naming an unlisted secondary", attempt: func(l *reviewLab, strayIP string) *registrar.Delegation {
			return &registrar.Delegation{NS: []string{"ns1.old.example.test.", "sec.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {strayIP}, "sec.example.test.": {l.oldIP}}, NSTTL: 5}
		}, halfStray: true, half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}}}
		}},
		{name: "rollback, both sides' names", flipped: true, half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
		}},
		{name: "rollback, the old name glued to the old server and a third address", flipped: true, half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP, lab.Addr(t)}}}
		}},
		{name: "rollback again over a recorded rollback, the old name glued to a third address too", flipped: true, rolledBack: true, half: func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP, lab.Addr(t)}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			ip := map[string]string{"old": l.oldIP, "new": l.newIP}
			if tc.flipped {
				l.flip(t, ctx)
			}
			if tc.rolledBack {
				if rep := Rollback(ctx, l.mk(), false, false); rep.Result != ResultDone {
					t.Fatalf("rollback: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
				}
			}
			// left is the side the step moves away from: its server at
			// the recorded delegation's address answers www otherwise
			// from now on; the config lists instead a server (stray)
			// serving what git and the other side serve.
			left, srv, addr := "old", &l.old, l.oldIP
			if tc.flipped {
				left, srv, addr = "new", &l.nw, l.newIP
			}
			(*srv).Stop()
			*srv = lab.Knot(t, lab.Options{IP: addr, Zones: []lab.Zone{{Origin: "example.test.", Text: replaced(t, ownNSZone(left, ip), "www A 192.0.2.80", "www A 192.0.2.99")}}})
			strayIP := lab.Addr(t)
			stray := lab.Knot(t, lab.Options{IP: strayIP, Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone(left, ip)}}})
			if tc.attempt != nil {
				tr := readTrail(t, l.mk().TrailPath)
				if err := tr.Append(l.mk().TrailPath, Entry{Time: time.Now().UTC(), Actor: "tester", Command: "flip", Result: ResultError, Before: tc.attempt(l, strayIP), Error: "registrar: the update timed out"}); err != nil {
					t.Fatal(err)
				}
			}
			half := tc.half(l)
			if tc.halfStray {
				half.Glue["ns1.old.example.test."] = []string{strayIP}
			}
			if err := l.reg.SetDelegation(ctx, "example.test.", half); err != nil {
				t.Fatal(err)
			}
			served := nsAt(t, l)
			c := l.mk()
			s := &c.Old
			if left == "new" {
				s = &c.New
			}
			s.Servers, s.Provider = []string{stray.Addr}, rfc2136Provider(t, stray.Addr, nil)
			if tc.attempt != nil {
				s.Glue = map[string][]string{"ns1.old.example.test.": {strayIP}}
			}
			var rep *Report
			gate := GateParity
			if tc.flipped {
				rep, gate = Rollback(ctx, c, false, false), GateOldParity
			} else {
				rep = Flip(ctx, c, false, false)
			}
			t.Logf("%s: %s, warnings %q, errors %q", rep.Command, rep.Result, rep.Warnings, rep.Errors)
			if !has(rep.Warnings, "made half-way") {
				t.Fatalf("no warning names the step made half-way: %q", rep.Warnings)
			}
			want := "the delegation the audit trail recorded for the " + left + " side"
			if !has(rep.Warnings, want, addr+":53") {
				t.Errorf("no warning says the gates ask %s (%q); warnings %q", addr, want, rep.Warnings)
			}
			g := gateNamed(rep, gate)
			if rep.Result == ResultDone || g == nil || g.OK || !strings.Contains(g.Detail+strings.Join(g.Plan, " "), "www.example.test.") {
				t.Errorf("%s over a half-made delegation, the %s side's recorded server answering www otherwise: %s, %s %+v; want it refused, %s naming www", rep.Command, left, rep.Result, gate, g, gate)
			}
			if ns := nsAt(t, l); ns != served {
				t.Errorf("the refused %s changed the parent: %s, was %s", rep.Command, ns, served)
			}
		})
	}
}
