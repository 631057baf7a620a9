package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// foreignOld reads the trail for what vouches for a name as the old
// side's: the configured delegation, and the sets planned flips recorded
// (their points-to-old checked them: exactly as expected, or with
// --from-current every parent server's set); never a set an emergency
// flip found (no points-to-old), and never a name of the new side alone.
func TestForeignOld(t *testing.T) {
	const (
		old   = labOldNS
		nw    = labNewNS
		other = "ns.elsewhere.test."
	)
	flip := func(emergency bool, ns ...string) Entry {
		at := time.Now().UTC()
		e := flipEntry(at, registrar.Delegation{NS: ns}, registrar.Delegation{NS: []string{nw}})
		e.Emergency = emergency
		return e
	}
	for _, tc := range []struct {
		name    string
		entries []Entry
		ns      []string
		want    []string
	}{
		{name: "the configured set, no trail", ns: []string{old}},
		{name: "a third name, no trail", ns: []string{old, other}, want: []string{other}},
		{name: "a new side's name", ns: []string{old, nw}, want: []string{nw}},
		{name: "spelled otherwise", ns: []string{"NS1.Old.Example.Test"}},
		{name: "recorded by a planned flip (--from-current)", entries: []Entry{flip(false, old, other)}, ns: []string{old, other}},
		{name: "recorded by an emergency flip", entries: []Entry{flip(true, old, other)}, ns: []string{old, other}, want: []string{other}},
		{name: "an emergency flip after a planned one that recorded it", entries: []Entry{flip(false, old, other), flip(true, old, other)}, ns: []string{old, other}},
		{name: "a planned flip's record never vouches for a new side's name", entries: []Entry{flip(false, old, nw)}, ns: []string{old, nw}, want: []string{nw}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Old: Side{Name: "old", Delegation: []string{old}}, New: Side{Name: "new", Delegation: []string{nw}}}
			got := c.foreignOld(&Trail{Entries: tc.entries}, tc.ns)
			if !slices.Equal(got, tc.want) {
				t.Errorf("foreignOld(%v) = %v, want %v", tc.ns, got, tc.want)
			}
		})
	}
}

// flip --emergency checks no points-to-old (the old side is down): a
// parent serving the old name beside a third party's (a hijack while the
// old side failed) was recorded as the delegation a rollback restores,
// and the rollback would then send resolvers to a server nobody
// configured. The emergency flip still flips, and records the configured
// old delegation instead, saying so. A trail an earlier release wrote
// that way is not restored: the rollback's delegation gate refuses it,
// naming the name and what to do, the parent untouched.
func TestEmergencyForeignBeforeLab(t *testing.T) {
	const elsewhere = labElsewhereNS
	t.Run("emergency flip", func(t *testing.T) {
		l := newReviewLab(t, 5)
		ctx := context.Background()
		setDelegation(t, l, []string{labOldNS, elsewhere}, labIPs(t, l))
		l.old.Stop()
		c := l.mk()
		rep := Flip(ctx, c, false, true)
		if rep.Result != ResultDone {
			t.Fatalf("emergency flip over a third party's name: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
		}
		if !has(rep.Warnings, elsewhere, "nothing vouches for") {
			t.Errorf("no warning names %s as not recorded: %q", elsewhere, rep.Warnings)
		}
		r := readTrail(t, c.TrailPath).Restore()
		if r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
			t.Errorf("recorded as what a rollback restores: %+v, want the configured old delegation", r)
		}
		if ns := nsAt(t, l); ns != "ns1.new.example.test." {
			t.Errorf("the parent after the emergency flip: %s", ns)
		}
	})
	t.Run("rollback of a trail an earlier release wrote", func(t *testing.T) {
		l, c := emergencyForeignTrail(t, func(l *reviewLab) string { return strings.TrimSuffix(silent(t), ":53") })
		ctx := context.Background()
		after := c.New.Want("example.test.", 5)
		if err := l.reg.SetDelegation(ctx, "example.test.", after); err != nil {
			t.Fatal(err)
		}
		rep := Rollback(ctx, c, false, false)
		g := gateNamed(rep, GateDelegation)
		if rep.Result != ResultRefused || rep.ExitCode() != 1 || g == nil || g.OK || !strings.Contains(g.Detail, elsewhere) || !strings.Contains(g.Detail, "nothing vouches for") {
			t.Fatalf("rollback restoring a set naming %s: %s (exit %d), delegation gate %+v", elsewhere, rep.Result, rep.ExitCode(), g)
		}
		if !has(g.Plan, "providers.old.delegation") || !has(g.Plan, "by hand", "ns1.old.example.test.") {
			t.Errorf("the plan does not say what to do: %q", g.Plan)
		}
		if ns := nsAt(t, l); ns != "ns1.new.example.test." {
			t.Errorf("the refused rollback changed the parent: %s", ns)
		}
	})
	t.Run("rollback finding the parent at that set", func(t *testing.T) {
		// Recorded as a rollback done, the stage would say rolled back
		// to a set nobody configured, no gate run.
		l, c := emergencyForeignTrail(t, func(l *reviewLab) string { return l.oldIP })
		ctx := context.Background()
		ip := labIPs(t, l)
		ip[elsewhere] = l.oldIP
		setDelegation(t, l, []string{labOldNS, elsewhere}, ip)
		rep := Rollback(ctx, c, false, false)
		if rep.Result != ResultRefused || rep.ExitCode() != 1 || !has(rep.Errors, elsewhere, "nothing vouches for", "providers.old.delegation") {
			t.Fatalf("rollback over a parent at the foreign set: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
		}
		if st, _ := readTrail(t, c.TrailPath).Stage(); st != StageFlipped {
			t.Errorf("the stage after the refused rollback: %s, want %s", st, StageFlipped)
		}
	})
}

// emergencyForeignTrail is a lab whose trail holds an emergency flip (an
// earlier release's) that recorded {old, elsewhere} as the set a rollback
// restores, elsewhere's glue at addr(l).
func emergencyForeignTrail(t *testing.T, addr func(*reviewLab) string) (*reviewLab, *Config) {
	t.Helper()
	l := newReviewLab(t, 5)
	c := l.mk()
	before := registrar.Delegation{NS: []string{labOldNS, labElsewhereNS}, NSTTL: 5, Glue: map[string][]string{
		labOldNS: {l.oldIP}, labElsewhereNS: {addr(l)}}}
	e := flipEntry(time.Now().UTC().Add(-time.Minute), before, c.New.Want("example.test.", 5))
	e.Emergency = true
	appendTrail(t, c.TrailPath, e)
	return l, c
}

// A planned flip's points-to-old checks the parent against the set the
// trail recorded before the last flip: when that set is one an emergency
// flip of an earlier release recorded as it found it (a name nothing
// vouches for in it), the planned flip passes on it but records the
// configured old delegation as the one a rollback restores, so that a
// plain flip does not make the foreign name vouched for.
func TestPlannedFlipForeignRestoreLab(t *testing.T) {
	t.Run("the recorded set", func(t *testing.T) { plannedFlipForeign(t, false) })
	// Any other set is refused by points-to-old, as without a foreign
	// trail: replacing what is recorded must not skip the gate.
	t.Run("another set", func(t *testing.T) { plannedFlipForeign(t, true) })
}

func plannedFlipForeign(t *testing.T, other bool) {
	ctx, l := context.Background(), newReviewLab(t, 5)
	c := l.mk()
	// ns1.elsewhere leads to the old server itself: every gate passes,
	// only the name is not the old side's.
	ip := labIPs(t, l)
	ip[labElsewhereNS] = l.oldIP
	foreign := registrar.Delegation{NS: []string{labOldNS, labElsewhereNS}, NSTTL: 5, Glue: map[string][]string{labOldNS: {l.oldIP}, labElsewhereNS: {l.oldIP}}}
	foreign.Normalize()
	newD := c.New.Want("example.test.", 5)
	flipped, rolled := time.Now().UTC().Add(-50*time.Minute), time.Now().UTC().Add(-40*time.Minute)
	e := flipEntry(flipped, foreign, newD)
	e.Emergency = true
	rb := Entry{Time: rolled, Command: "rollback", Result: ResultDone, Before: &newD, After: &foreign, ChangedAt: &rolled, DelegatedTo: []string{"old"}, ParentNSTTL: 5}
	appendTrail(t, c.TrailPath, e, rb)
	if other {
		const third = "ns9.elsewhere.test."
		ip[third] = l.oldIP
		setDelegation(t, l, []string{labOldNS, third}, ip)
		rep := Flip(ctx, c, false, false)
		if g := gateNamed(rep, GatePointsToOld); rep.Result != ResultRefused || g == nil || g.OK {
			t.Fatalf("planned flip from a set neither recorded nor configured: %s, points-to-old %+v %v", rep.Result, g, rep.Errors)
		}
		if ns := nsAt(t, l); !strings.Contains(ns, third) {
			t.Errorf("the refused flip changed the parent: %s", ns)
		}
		return
	}
	setDelegation(t, l, foreign.NS, ip)
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("planned flip from the recorded set: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if !has(rep.Warnings, labElsewhereNS, "nothing vouches for") {
		t.Errorf("no warning names %s: %q", labElsewhereNS, rep.Warnings)
	}
	if r := readTrail(t, c.TrailPath).Restore(); r == nil || strings.Join(r.NS, " ") != labOldNS {
		t.Errorf("recorded as what a rollback restores: %+v, want the configured old delegation", r)
	}
}

// TestStepShareForeign: a name of the recorded set nothing vouches for
// (restoreForeign) is no old side's name, so a parent serving it beside
// the new side's is no rollback made half-way (status would advise a
// rollback the delegation gate refuses).
func TestStepShareForeign(t *testing.T) {
	const other = "ns.elsewhere.test."
	c := &Config{Old: Side{Name: "old", Delegation: []string{labOldNS}}, New: Side{Name: "new", Delegation: []string{labNewNS}},
		restore: &registrar.Delegation{NS: []string{labOldNS, other}}, restoreForeign: []string{other}}
	for _, tc := range []struct {
		ns   []string
		want share
	}{
		{[]string{labNewNS, other}, shareOther},
		{[]string{labNewNS, labOldNS}, shareHalf},
	} {
		if got := c.stepShare("rollback", tc.ns); got != tc.want {
			t.Errorf("stepShare(rollback, %v) = %v, want %v", tc.ns, got, tc.want)
		}
	}
}

// TestAttemptedBeforeForeign: a flip re-run that finds the parent moved
// records the delegation an earlier attempt replaced (attemptedBefore);
// a set that attempt found and no gate vouched for (a refused flip's
// hijacked set, an emergency flip's) is not that: the configured old
// delegation is recorded instead, or a later planned flip would trust
// the name and a rollback restore it.
func TestAttemptedBeforeForeign(t *testing.T) {
	const other = "ns.elsewhere.test."
	at := time.Now().UTC()
	refused := Entry{Time: at, Command: "flip", Result: ResultRefused, Before: &registrar.Delegation{NS: []string{labOldNS, other}, NSTTL: 5}}
	kept := Entry{Time: at, Command: "flip", Result: ResultError, Before: &registrar.Delegation{NS: []string{labOldNS}, NSTTL: 5}}
	c := &Config{Old: Side{Name: "old", Delegation: []string{labOldNS}}, New: Side{Name: "new", Delegation: []string{labNewNS}}, Zone: gitZone(t, ownNSZone("old", map[string]string{}))}
	for _, tc := range []struct {
		name string
		e    Entry
	}{{"a hijacked set a refused flip found", refused}, {"the configured set", kept}} {
		d := c.attemptedBefore(&Trail{Entries: []Entry{tc.e}})
		if d == nil || strings.Join(d.NS, " ") != labOldNS {
			t.Errorf("%s: attemptedBefore = %+v, want the configured old delegation (NS %s)", tc.name, d, labOldNS)
		}
	}
}
