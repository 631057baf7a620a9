package cutover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// parentCopyNS is another server of the review lab's parent zone test.,
// delegating example.test. to the in-zone names ns (each glued to its
// address) whatever the registrar does: a parent server that has not
// taken a change yet, or has taken a part of it.
func parentCopyNS(t *testing.T, ns map[string]string) string {
	t.Helper()
	text := "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\n"
	for _, n := range slices.Sorted(maps.Keys(ns)) {
		text += fmt.Sprintf("example 5 NS %s\n", n)
		if ip := ns[n]; ip != "" {
			text += fmt.Sprintf("%s 5 A %s\n", strings.TrimSuffix(n, ".test."), ip)
		}
	}
	return lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}}).Addr
}

// The review lab's NS names of each side, and a third party's.
const (
	labOldNS       = "ns1.old.example.test."
	labNewNS       = "ns1.new.example.test."
	labElsewhereNS = "ns1.elsewhere.example.test."
)

// setDelegation has the registrar set the lab parent's delegation to ns,
// each name glued to its address in ip.
func setDelegation(t *testing.T, l *reviewLab, ns []string, ip map[string]string) {
	t.Helper()
	d := registrar.Delegation{NS: ns, Glue: map[string][]string{}}
	for _, n := range ns {
		d.Glue[n] = []string{ip[n]}
	}
	if err := l.reg.SetDelegation(context.Background(), "example.test.", d); err != nil {
		t.Fatal(err)
	}
}

// copyServing is a parent server (parentCopyNS) serving ns, each name
// glued to its address in ip; nil ns: an address nothing answers on.
func copyServing(t *testing.T, ns []string, ip map[string]string) string {
	t.Helper()
	if ns == nil {
		return silent(t)
	}
	m := map[string]string{}
	for _, n := range ns {
		m[n] = ip[n]
	}
	return parentCopyNS(t, m)
}

// labIPs are the addresses of the review lab's NS names, a third
// party's at an address nothing answers on.
func labIPs(t *testing.T, l *reviewLab) map[string]string {
	return map[string]string{labOldNS: l.oldIP, labNewNS: l.newIP, labElsewhereNS: strings.TrimSuffix(silent(t), ":53")}
}

// A step out of an incident made half-way while its change still
// spreads: one parent server serves both sides' names (the add of an
// add-then-remove), another still only the names the step moves from,
// or already only those it moves to, or does not answer. Each server is
// read by the rule that reads the whole set (stepShare, partlyMoved):
// the re-run completes the step at the registrar; before, readParent
// called the mix "someone else is changing the delegation" (exit 2),
// leaving the on-call user no way out. A server serving a third name
// still stops it, the parent untouched; a server that does not answer
// is named, and the change is not confirmed without it (it is not read
// as serving anything). The emergency flip reads the parent the same
// way (its mirror rows), and records the old delegation, not the mixed
// set, as the one a rollback restores.
func TestHalfMadeSpreadingLab(t *testing.T) {
	for _, tc := range []struct {
		name string
		// flip: the emergency flip (the old side down) instead of a
		// rollback after a flip.
		flip bool
		// here is the NS set the registrar's parent server is given
		// (nil: as the step before left it); there the other server's
		// (nil: it does not answer).
		here, there []string
		// done: the registrar change is made (the parent the
		// registrar changes then serves the side moved to); confirmed
		// with it: every parent server serves it.
		done, confirmed bool
	}{
		{name: "rollback: both here, new only there", here: []string{labNewNS, labOldNS}, there: []string{labNewNS}, done: true},
		{name: "rollback: new only here, both there", there: []string{labNewNS, labOldNS}, done: true},
		{name: "rollback: both here, old only there", here: []string{labNewNS, labOldNS}, there: []string{labOldNS}, done: true, confirmed: true},
		{name: "rollback: both here, there down", here: []string{labNewNS, labOldNS}, done: true},
		{name: "rollback: both here, a third name there", here: []string{labNewNS, labOldNS}, there: []string{labElsewhereNS, labNewNS, labOldNS}},
		{name: "emergency flip: both here, old only there", flip: true, here: []string{labNewNS, labOldNS}, there: []string{labOldNS}, done: true},
		{name: "emergency flip: both here, new only there", flip: true, here: []string{labNewNS, labOldNS}, there: []string{labNewNS}, done: true, confirmed: true},
		{name: "emergency flip: both here, a third name there", flip: true, here: []string{labNewNS, labOldNS}, there: []string{labElsewhereNS, labOldNS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			if !tc.flip {
				l.flip(t, ctx)
			}
			ip := labIPs(t, l)
			if tc.here != nil {
				setDelegation(t, l, tc.here, ip)
			}
			other := copyServing(t, tc.there, ip)
			served := nsAt(t, l)
			c := l.mk()
			c.ParentServers = []string{l.parent.Addr, other}
			var rep *Report
			to, moved := labOldNS, "a rollback made half-way"
			if tc.flip {
				l.old.Stop()
				rep = Flip(ctx, c, false, true)
				to, moved = labNewNS, "a flip made half-way"
			} else {
				rep = Rollback(ctx, c, false, false)
			}
			if !tc.done {
				if rep.ExitCode() != 2 || !has(rep.Errors, "someone else is changing the delegation", other, labElsewhereNS) {
					t.Errorf("a third name at a parent server: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
				}
				if ns := nsAt(t, l); ns != served {
					t.Errorf("the refused step changed the parent: %s, was %s", ns, served)
				}
				return
			}
			if rep.Change == nil || rep.Change.At.IsZero() {
				t.Fatalf("the step made no registrar change: %s (exit %d) errors %v gates %+v warnings %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates, rep.Warnings)
			}
			if !has(rep.Warnings, moved) {
				t.Errorf("no warning names %s: %q", moved, rep.Warnings)
			}
			if !has(rep.Warnings, other) {
				t.Errorf("no warning names the other parent server %s: %q", other, rep.Warnings)
			}
			if ns := nsAt(t, l); ns != to {
				t.Errorf("the parent after the step: %s, want %s", ns, to)
			}
			if tc.confirmed {
				if !rep.Change.Confirmed || rep.Result != ResultDone || rep.ExitCode() != 0 {
					t.Errorf("every parent server serves the change: %s (exit %d) confirmed %v %v", rep.Result, rep.ExitCode(), rep.Change.Confirmed, rep.Errors)
				}
			} else if rep.Change.Confirmed || rep.ExitCode() != 2 || !has(rep.Errors, "not every parent server serves it", other) {
				// The other server, lagging or down, is not read as
				// serving the change.
				t.Errorf("confirmed without the other parent server: %s (exit %d) confirmed %v %v", rep.Result, rep.ExitCode(), rep.Change.Confirmed, rep.Errors)
			}
			if tc.flip {
				if r := readTrail(t, c.TrailPath).Restore(); r == nil || strings.Join(r.NS, " ") != labOldNS {
					t.Errorf("recorded as what a rollback restores: %+v, want the old delegation", r)
				}
			}
		})
	}
}

// status over a flip or rollback made half-way (the parent serving both
// sides' names only, at one server or while the change still spreads)
// names the step whose re-run completes it, as that step now does,
// instead of "find out who changed the delegation"; a name of neither
// side keeps that advice.
func TestStatusHalfMadeAdviceLab(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flipped bool
		ns      []string
		there   []string // a second parent server's NS set (nil: none)
		step    string   // the step named ("": someone else's delegation)
		// emergency: the trail's newest flip is an emergency one that
		// failed (its re-run is a flip --emergency).
		emergency bool
	}{
		{name: "a flip made half-way", ns: []string{labNewNS, labOldNS}, step: "flip"},
		{name: "an emergency flip made half-way", ns: []string{labNewNS, labOldNS}, step: "flip --emergency", emergency: true},
		{name: "a rollback made half-way", flipped: true, ns: []string{labNewNS, labOldNS}, step: "rollback"},
		{name: "a rollback made half-way, still spreading", flipped: true, ns: []string{labNewNS, labOldNS}, there: []string{labNewNS}, step: "rollback"},
		{name: "a third name", flipped: true, ns: []string{labElsewhereNS, labNewNS, labOldNS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			if tc.flipped {
				l.flip(t, ctx)
			}
			ip := labIPs(t, l)
			setDelegation(t, l, tc.ns, ip)
			c := l.mk()
			if tc.there != nil {
				c.ParentServers = append(c.ParentServers, copyServing(t, tc.there, ip))
			}
			if tc.emergency {
				tr, err := ReadTrail(c.TrailPath, "example.test.")
				if err != nil {
					t.Fatal(err)
				}
				if err := tr.Append(c.TrailPath, Entry{Time: time.Now(), Command: "flip", Emergency: true, Result: ResultError, Error: "registrar: the answer was lost"}); err != nil {
					t.Fatal(err)
				}
			}
			rep := Status(ctx, c)
			if tc.step == "" {
				if !has(rep.Errors, "find out who changed the delegation") {
					t.Errorf("status over a third name: %v", rep.Errors)
				}
				return
			}
			made, _, _ := strings.Cut(tc.step, " ")
			if !has(rep.Errors, "a "+made+" made half-way", "`dnsparity "+tc.step+" --zone example.test.` again") {
				t.Errorf("status names no %s to run again: %v", tc.step, rep.Errors)
			}
			if has(rep.Errors, "find out who changed the delegation") {
				t.Errorf("status calls the %s made half-way someone else's change: %v", tc.step, rep.Errors)
			}
		})
	}
}
