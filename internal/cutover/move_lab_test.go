package cutover

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// staleGlue is a registrar that takes the NS set but keeps a host
// object's address from before (a registry's host objects are separate
// from the domain: an NS name that existed keeps its old address unless
// that host is updated too).
type staleGlue struct {
	registrar.Registrar
	addr string
}

func (g staleGlue) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	stale := map[string][]string{}
	for n := range want.Glue {
		stale[n] = []string{g.addr}
	}
	want.Glue = stale
	return g.Registrar.SetDelegation(ctx, z, want)
}

// TestFlipConfirmsGlueLab: a flip to an in-bailiwick nameserver is
// confirmed only when every parent server serves its glue as set: a
// registrar that took the NS set but kept a stale address for
// ns1.example.test. sends resolvers to a server that is not the new side
// (the name is only inside the zone it serves: the glue is the only way
// to it), so the flip is an error, not done.
func TestFlipConfirmsGlueLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	key := &lab.TSIGKey{Name: "k.", Secret: "Z2x1ZS1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NTY="}
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	parentText := "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns.old.test.\nns.old A " + oldIP + "\n"
	sideZone := func(ns string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA %s h.example.test. 1 60 60 1209600 60\n@ NS %s\nns1 A %s\nwww A 192.0.2.80\n", ns, ns, newIP)
	}
	for _, tc := range []struct {
		name      string
		dropGlue  bool
		confirmed bool
	}{{"registrar sets glue", false, true}, {"registrar keeps stale glue", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
			old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("ns.old.test.")}}})
			new := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("ns1.example.test.")}}})
			z := gitZone(t, sideZone("ns.old.test."))
			var reg registrar.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
			if tc.dropGlue {
				reg = staleGlue{reg, "192.0.2.53"}
			}
			path := prestagedTrail(t, 60)
			c := &Config{
				Zone:          z,
				Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns.old.test."}, Provider: rfc2136Provider(t, old.Addr, nil)},
				New:           Side{Name: "new", Servers: []string{new.Addr}, Delegation: []string{"ns1.example.test."}, Glue: map[string][]string{"ns1.example.test.": {newIP}}, Provider: rfc2136Provider(t, new.Addr, nil)},
				ParentZone:    "test.",
				Registrar:     reg,
				ParentServers: []string{p.Addr},
				TrailPath:     path,
				Actor:         "tester",
				PrestageTTL:   60,
				Watch:         time.Second,
				Confirm:       2 * time.Second,
				Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
				Log:           io.Discard,
				Delegation:    delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
			}
			rep := Flip(context.Background(), c, false, false)
			if rep.Change.At.IsZero() {
				t.Fatalf("the flip did not reach the registrar: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			if rep.Change.Confirmed != tc.confirmed || (rep.Result == ResultDone) != tc.confirmed {
				t.Errorf("confirmed %v, result %s, want confirmed %v; errors %v", rep.Change.Confirmed, rep.Result, tc.confirmed, rep.Errors)
			}
			if !tc.confirmed && !strings.Contains(strings.Join(rep.Errors, " "), "glue") {
				t.Errorf("the error does not say the glue is missing: %v", rep.Errors)
			}
		})
	}
}

// A rollback whose registrar call failed after the registry took the
// change: the run says so (exit 2) and tells to run it again, "it
// converges". On the code before, the re-run found the parent on the old
// side and said "nothing to roll back" without recording anything: the
// trail still said flipped (status: "find out who changed the
// delegation", finish's and push's view of the last move wrong), as a
// flip re-run records a flip found in live DNS.
func TestRollbackAppliedButFailedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	c := l.mk()
	c.Registrar = appliedButFailed{l.reg}
	if rep := Rollback(ctx, c, false, false); rep.Result != ResultError {
		t.Fatalf("rollback with the registrar failing after the change: %s %v", rep.Result, rep.Errors)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Fatalf("parent after the failed call: NS %s", ns)
	}
	rep := Rollback(ctx, l.mk(), false, false)
	t.Logf("re-run: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if stage, _ := tr.Stage(); stage != StageRolledBack || rep.ExitCode() != 0 || !has(rep.Actions, "recorded the rollback found in live DNS") {
		t.Errorf("re-run: %s (exit %d), trail stage %s, actions %q: want the rollback recorded", rep.Result, rep.ExitCode(), stage, rep.Actions)
	}
	if st := Status(ctx, l.mk()); has(st.Errors, "the audit trail says") {
		t.Errorf("status after the re-run: %v", st.Errors)
	}
	// Recorded once: a third run has nothing to record.
	Rollback(ctx, l.mk(), false, false)
	tr = readTrail(t, l.mk().TrailPath)
	n := 0
	for _, e := range tr.Entries {
		if e.Command == "rollback" && e.Result == ResultDone {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d rollbacks recorded done, want 1", n)
	}
}

// A flip whose registrar call failed after the registry took the change
// is found in live DNS by the re-run, which records it; the delegation it
// replaced was only in the failed run's entry. flip --from-current took
// the parent's delegation (the old NS name glued to the one old server
// that answers; the config lists a second address) as the one a rollback
// restores. On the code before, the recorded flip had no "before": the
// rollback fell back to the configured delegation, glue to an address
// nothing answers on.
func TestFlipAppliedButFailedKeepsBeforeLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := lab.Addr(t)
	mk := func() *Config {
		c := l.mk()
		c.Old.Glue = map[string][]string{"ns1.old.example.test.": {l.oldIP, dead}}
		return c
	}
	c := mk()
	c.FromCurrent, c.Registrar = true, appliedButFailed{l.reg}
	if rep := Flip(ctx, c, false, false); rep.Result != ResultError {
		t.Fatalf("flip --from-current with the registrar failing after the change: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultNothing || !has(rep.Actions, "recorded the flip found in live DNS") || rep.Changed != 1 {
		t.Fatalf("re-run: %s %v %v, changed %d (the trail record is this run's one change)", rep.Result, rep.Actions, rep.Errors, rep.Changed)
	}
	tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Restore()
	if r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Errorf("the delegation a rollback restores after the re-run: %+v, want NS ns1.old.example.test. glued to %s alone (what the parent served before)", r, l.oldIP)
	}
}

// A flip found in live DNS (its registrar call reported a failure after
// the registry took it) is recorded with the delegation the parent serves,
// glue included: `dnsparity check` and plan compare git's copy of the
// delegation in the parent zone with it (HeldInGit). It was recorded
// without glue, so git's copy, exactly what the parent serves, was said
// to differ, with the advice to commit an in-bailiwick NS name unglued.
func TestFlipFoundRecordsGlueLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	c.Registrar = appliedButFailed{l.reg}
	if rep := Flip(ctx, c, false, false); rep.Result != ResultError {
		t.Fatalf("flip with the registrar failing after the change: %s %v", rep.Result, rep.Errors)
	}
	if rep := Flip(ctx, l.mk(), false, false); !has(rep.Actions, "recorded the flip found in live DNS") {
		t.Fatalf("re-run: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	}
	pz, err := zone.Parse(strings.NewReader(fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 2 60 60 1209600 5\n@ NS ns\nns A 127.0.0.1\nexample NS ns1.new.example\nns1.new.example A %s\n", l.newIP)), "test.zone", "test.", "")
	if err != nil {
		t.Fatal(err)
	}
	var sets []*zone.RRSet
	for _, s := range pz.Sets {
		if s.Name == "example.test." || strings.HasSuffix(s.Name, ".example.test.") {
			sets = append(sets, s)
		}
	}
	cfg := &config.Config{Cutover: config.Cutover{StateDir: filepath.Dir(l.mk().TrailPath)}}
	if note, differs, err := HeldInGit(cfg, "zones/test.zone", "example.test.", sets); err != nil || differs {
		t.Errorf("git's copy of the delegation the parent serves, against the trail after the found flip: differs=%v %v: %s", differs, err, note)
	}
}

// countingRegistrar counts the changes asked of a registrar.
type countingRegistrar struct {
	registrar.Registrar
	n *atomic.Int32
}

func (r countingRegistrar) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	r.n.Add(1)
	return r.Registrar.SetDelegation(ctx, z, want)
}

// A rollback, the way out of an incident, with one parent server down:
// the registrar change is made, and the step exits 2 after the
// confirmation window. Its report must say the change was made and which
// server has not served it; a re-run must not ask the registrar again
// (a registry operation in the middle of an incident, and a second
// "before" recorded from a view in motion) but confirm the change, and
// say done only once every parent server serves it; status must say what
// is happening, not "find out who changed the delegation". On the code
// before: the error named every parent server, not the one missing; the
// re-run while it was down said "nothing to roll back" (exit 0); once it
// was back with the new delegation (a secondary that missed the change)
// the re-run ran its gates and replaced the delegation at the registrar
// again, and status blamed someone else.
func TestRollbackUnconfirmedReRunLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	ip := lab.Addr(t)
	down := net.JoinHostPort(ip, "53")
	var calls atomic.Int32
	mk := func() *Config {
		c := l.mk()
		c.ParentServers = []string{l.parent.Addr, down}
		c.Registrar = countingRegistrar{l.reg, &calls}
		return c
	}
	lastEntry := func() Entry {
		t.Helper()
		tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		return tr.Entries[len(tr.Entries)-1]
	}

	rep := Rollback(ctx, mk(), false, false)
	t.Logf("rollback: %s %v %v", rep.Result, rep.Errors, rep.Actions)
	if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.Confirmed || calls.Load() != 1 || nsAt(t, l) != "ns1.old.example.test." {
		t.Fatalf("rollback with a parent server down: %s (exit %d), %d registrar calls, parent NS %s", rep.Result, rep.ExitCode(), calls.Load(), nsAt(t, l))
	}
	if !has(rep.Errors, down, "does not answer") || has(rep.Errors, l.parent.Addr) {
		t.Errorf("the error does not name the server that does not serve the change (and only it): %q", rep.Errors)
	}
	if !has(rep.Actions, "registrar: replaced") || !has(rep.Actions, "run `dnsparity rollback --zone example.test.` again", "without") {
		t.Errorf("the actions do not say the change was made and what a re-run does: %q", rep.Actions)
	}
	if e := lastEntry(); e.Command != "rollback" || e.Result != ResultDone || e.ChangedAt == nil || strings.Join(e.DelegatedTo, " ") != "old new" {
		t.Errorf("trail entry: %s %s changed_at %v delegated_to %v", e.Command, e.Result, e.ChangedAt, e.DelegatedTo)
	}

	// Re-run, the server still down: not confirmed, the registrar left alone.
	rep = Rollback(ctx, mk(), false, false)
	t.Logf("re-run, still down: %s %v %v", rep.Result, rep.Errors, rep.Actions)
	if rep.ExitCode() != 2 || calls.Load() != 1 || !has(rep.Errors, down) {
		t.Errorf("re-run with the server still down: %s (exit %d), %d registrar calls, errors %q: want exit 2 naming it, no second call", rep.Result, rep.ExitCode(), calls.Load(), rep.Errors)
	}

	// It comes back with the new delegation (it missed the change).
	stale := lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(1, "ns1.new", l.newIP)}}})
	st := Status(ctx, mk())
	t.Logf("status: %v", st.Errors)
	if has(st.Errors, "find out who changed the delegation") || !has(st.Errors, "rollback", down, "not") {
		t.Errorf("status while a parent server still serves the delegation the rollback replaced: %q", st.Errors)
	}
	rep = Rollback(ctx, mk(), false, false)
	t.Logf("re-run, stale: %s %v %v", rep.Result, rep.Errors, rep.Actions)
	if rep.ExitCode() != 2 || calls.Load() != 1 || !has(rep.Errors, down, "ns1.new.example.test.") {
		t.Errorf("re-run with the server serving the new delegation: %s (exit %d), %d registrar calls, errors %q: want exit 2 naming it, no second call", rep.Result, rep.ExitCode(), calls.Load(), rep.Errors)
	}

	// It takes the change: the re-run confirms it, and is done.
	stale.Stop()
	lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(2, "ns1.old", l.oldIP)}}})
	rep = Rollback(ctx, mk(), false, false)
	t.Logf("re-run, caught up: %s %v %v", rep.Result, rep.Errors, rep.Actions)
	if rep.ExitCode() != 0 || calls.Load() != 1 || !has(rep.Actions, "confirmed at every parent server") {
		t.Errorf("re-run once every parent server serves the change: %s (exit %d), %d registrar calls, actions %q", rep.Result, rep.ExitCode(), calls.Load(), rep.Actions)
	}
	if e := lastEntry(); strings.Join(e.DelegatedTo, " ") != "old" {
		t.Errorf("trail after the confirmation: delegated_to %v, want old", e.DelegatedTo)
	}
	if st := Status(ctx, mk()); len(st.Errors) > 0 {
		t.Errorf("status once confirmed: %q", st.Errors)
	}
}

// laterRegistrar is a registrar whose registry publishes a change later:
// SetDelegation is accepted (and counted) and held, the parent's servers
// get it only when publish is called.
type laterRegistrar struct {
	registrar.Registrar
	n    *atomic.Int32
	mu   sync.Mutex
	held *registrar.Delegation
}

func (r *laterRegistrar) SetDelegation(_ context.Context, _ string, want registrar.Delegation) error {
	r.n.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	d := copyDelegation(want)
	r.held = &d
	return nil
}

func (r *laterRegistrar) Delegation(ctx context.Context, z string) (registrar.Delegation, error) {
	r.mu.Lock()
	held := r.held
	r.mu.Unlock()
	if held != nil {
		return copyDelegation(*held), nil
	}
	return r.Registrar.Delegation(ctx, z)
}

// publish hands the held change to the parent's servers.
func (r *laterRegistrar) publish(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	held := r.held
	r.mu.Unlock()
	if err := r.Registrar.SetDelegation(context.Background(), "example.test.", *held); err != nil {
		t.Fatal(err)
	}
}

// A planned flip whose registrar change is not yet served by every parent
// server (a registry publishing later, a parent server that missed it) is
// made and recorded unconfirmed (exit 2). Run again, it must converge as
// rollback and flip --emergency do: no second registrar call, no gate, the
// change confirmed at every parent server, exit 2 while one does not
// serve it, exit 0 once all do, with the trail saying the parent now
// delegates to the new side. On the code before, a re-run while no parent
// server served the change yet ran every gate again and asked the
// registrar a second time; one while a parent server still served the old
// delegation could not run ("the parent's servers disagree", telling to
// run status), and once they all served it said "nothing to flip" and
// recorded nothing, the trail's delegated_to still naming both sides.
func TestFlipUnconfirmedReRunLab(t *testing.T) {
	lastEntry := func(t *testing.T, l *reviewLab) Entry {
		t.Helper()
		tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		return tr.Entries[len(tr.Entries)-1]
	}
	ctx := context.Background()

	t.Run("a registry publishing later", func(t *testing.T) {
		l := newReviewLab(t, 5)
		var calls atomic.Int32
		reg := &laterRegistrar{Registrar: l.reg, n: &calls}
		mk := func() *Config {
			c := l.mk()
			c.Registrar = reg
			return c
		}
		rep := Flip(ctx, mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed || calls.Load() != 1 {
			t.Fatalf("flip whose change is not published: %s (exit %d), %d registrar calls", rep.Result, rep.ExitCode(), calls.Load())
		}
		if !has(rep.Actions, "run `dnsparity flip --zone example.test.` again", "without") {
			t.Errorf("the actions do not say that a re-run confirms the change: %q", rep.Actions)
		}
		st := Status(ctx, mk())
		if has(st.Errors, "find out who changed the delegation") || !has(st.Errors, "flip", "not yet served", l.parent.Addr) {
			t.Errorf("status while the flip's change is not published yet: %q", st.Errors)
		}
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, not published: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || calls.Load() != 1 || len(rep.Gates) != 0 || !has(rep.Errors, l.parent.Addr, "ns1.old.example.test.") || !has(rep.Actions, "not asked again") {
			t.Fatalf("re-run while no parent server serves the change: %s (exit %d), %d registrar calls, %d gates, errors %q: want exit 2 naming the server, no gate, no second call", rep.Result, rep.ExitCode(), calls.Load(), len(rep.Gates), rep.Errors)
		}
		reg.publish(t)
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, published: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || calls.Load() != 1 || !has(rep.Actions, "confirmed at every parent server") {
			t.Errorf("re-run once the change is published: %s (exit %d), %d registrar calls, actions %q", rep.Result, rep.ExitCode(), calls.Load(), rep.Actions)
		}
		if e := lastEntry(t, l); strings.Join(e.DelegatedTo, " ") != "new" {
			t.Errorf("trail after the confirmation: %s %s delegated_to %v, want new", e.Command, e.Result, e.DelegatedTo)
		}
	})

	t.Run("a parent server that missed the change", func(t *testing.T) {
		l := newReviewLab(t, 5)
		ip := lab.Addr(t)
		stale := lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(1, "ns1.old", l.oldIP)}}})
		var calls atomic.Int32
		mk := func() *Config {
			c := l.mk()
			c.ParentServers = []string{l.parent.Addr, stale.Addr}
			c.Registrar = countingRegistrar{l.reg, &calls}
			return c
		}
		rep := Flip(ctx, mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.Confirmed || calls.Load() != 1 || nsAt(t, l) != "ns1.new.example.test." {
			t.Fatalf("flip with a parent server that misses the change: %s (exit %d), %d registrar calls", rep.Result, rep.ExitCode(), calls.Load())
		}
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, stale: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || calls.Load() != 1 || has(rep.Errors, "disagree") || !has(rep.Errors, stale.Addr, "ns1.old.example.test.") || !has(rep.Actions, "not asked again") {
			t.Errorf("re-run while a parent server still serves the old delegation: %s (exit %d), %d registrar calls, errors %q, actions %q: want exit 2 naming it, the change confirmed, no second call", rep.Result, rep.ExitCode(), calls.Load(), rep.Errors, rep.Actions)
		}
		stale.Stop()
		lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(2, "ns1.new", l.newIP)}}})
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, caught up: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || calls.Load() != 1 || !has(rep.Actions, "confirmed at every parent server") {
			t.Errorf("re-run once every parent server serves the change: %s (exit %d), %d registrar calls, actions %q", rep.Result, rep.ExitCode(), calls.Load(), rep.Actions)
		}
		if e := lastEntry(t, l); strings.Join(e.DelegatedTo, " ") != "new" {
			t.Errorf("trail after the confirmation: %s %s delegated_to %v, want new", e.Command, e.Result, e.DelegatedTo)
		}
		if st := Status(ctx, mk()); len(st.Errors) > 0 {
			t.Errorf("status once confirmed: %q", st.Errors)
		}
	})
}

// The flip's confirmation asked only cutover.parent_servers, while
// resolvers ask every server of the parent zone's own NS set. A parent
// server the config leaves out (parent-unlisted passed it: it served the
// same delegation before the flip) that does not take the change keeps
// sending the resolvers that ask it to the old side; the flip said
// "confirmed at every parent server" and recorded delegated_to new. Now
// the confirmation polls every address of the parent zone's NS set that
// serves the parent zone: such a flip is unconfirmed (exit 2, the server
// named, delegated_to both sides), and a re-run confirms it once the
// server serves it; an address that does not answer is named in a
// warning as one the confirmation cannot see. On the code before, the
// flip was done and confirmed.
func TestFlipConfirmsUnlistedParentServerLab(t *testing.T) {
	ctx := context.Background()
	t.Run("an unlisted parent server that does not take the change", func(t *testing.T) {
		l := newReviewLab(t, 5)
		tp := newTwoParents(t, l)
		lag := lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText}}})
		rep := Flip(ctx, tp.mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed || !has(rep.Errors, lag.Addr, "ns1.old.example.test.") {
			t.Fatalf("flip while an unlisted parent server keeps the old delegation: %s (exit %d), errors %q: want the change made, unconfirmed, naming %s", rep.Result, rep.ExitCode(), rep.Errors, lag.Addr)
		}
		tr := readTrail(t, tp.mk().TrailPath)
		if e := tr.Entries[len(tr.Entries)-1]; strings.Join(e.DelegatedTo, " ") != "old new" {
			t.Errorf("the flip's entry: delegated_to %v, want old new", e.DelegatedTo)
		}
		lag.Stop()
		lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.head + fmt.Sprintf("example 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
		rep = Flip(ctx, tp.mk(), false, false)
		t.Logf("re-run: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || !has(rep.Actions, "confirmed at every parent server", lag.Addr) {
			t.Errorf("re-run once the unlisted server serves the change: %s (exit %d) %q %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
		}
	})
	t.Run("an unlisted address that does not answer", func(t *testing.T) {
		l := newReviewLab(t, 5)
		tp := newTwoParents(t, l) // nothing listens on ip2
		rep := Flip(ctx, tp.mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Warnings)
		if rep.Result != ResultDone || !has(rep.Warnings, "confirmed at", tp.ip2, "not at") {
			t.Errorf("flip with an unlisted parent address that does not answer: %s %q, warnings %q: want done, the address named as not seen by the confirmation", rep.Result, rep.Errors, rep.Warnings)
		}
	})
}

// keepsOne is a registrar whose registry silently keeps only the first
// NS name of a delegation it is given (a limit on NS records, a host
// object it does not know), with that name's glue.
type keepsOne struct{ registrar.Registrar }

func (r keepsOne) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	d := copyDelegation(want)
	d.NS = d.NS[:1]
	for n := range d.Glue {
		if n != d.NS[0] {
			delete(d.Glue, n)
		}
	}
	return r.Registrar.SetDelegation(ctx, z, d)
}

// A registrar that accepts a delegation and silently keeps another (the
// new side's two NS names, one kept): the parent will never serve what
// the step set, so the step says at once what the registrar holds and
// what it dropped, and does not tell to re-run for a confirmation that
// cannot come. On the code before, it waited out the confirmation window
// and said a re-run would confirm the change "without asking the
// registrar again"; the re-run was then refused (points-to-old), the
// parent serving a delegation no step had set.
func TestFlipRegistrarKeepsLessLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	key := &lab.TSIGKey{Name: "k.", Secret: "Y3V0cmV2My1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	parentText := delegatingParent(1, "ns1.old", oldIP)
	sideZone := func(side string) string {
		apex := "@ NS ns1.old\n"
		if side == "new" {
			apex = "@ NS ns1.new\n@ NS ns2.new\n"
		}
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.%s h.example.test. 1 60 60 1209600 60\n%sns1.old A %s\nns1.new A %s\nns2.new A %s\nwww A 192.0.2.80\n", side, apex, oldIP, newIP, newIP)
	}
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("old")}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("new")}}})
	z := gitZone(t, sideZone("new"))
	c := signedConfig(t, z, map[string]string{"old": oldIP, "new": newIP}, old, nw, p, prestagedTrail(t, 60), 60)
	c.New.Delegation = []string{"ns1.new.example.test.", "ns2.new.example.test."}
	c.New.Glue = map[string][]string{"ns1.new.example.test.": {newIP}, "ns2.new.example.test.": {newIP}}
	c.ParentZone, c.Registrar = "test.", keepsOne{&parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}}
	c.Watch, c.Confirm, c.Log = time.Second, 3*time.Second, io.Discard
	c.Delegation.Accept = append(c.Delegation.Accept, delegation.CheckNSDiversity)
	rep := Flip(context.Background(), c, false, false)
	t.Logf("flip: %s %v %v %v", rep.Result, rep.Errors, rep.Actions, rep.Warnings)
	if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip through a registrar that keeps one NS name of two: %s (exit %d), gates %+v", rep.Result, rep.ExitCode(), rep.Gates)
	}
	if !has(rep.Errors, "changed the delegation it was given", "ns2.new.example.test.") {
		t.Errorf("the errors do not say the registrar holds another delegation, naming the NS name it dropped: %q", rep.Errors)
	}
	if has(rep.Actions, "again") && has(rep.Actions, "without asking the registrar again") {
		t.Errorf("the actions promise a confirmation by a re-run that cannot come: %q", rep.Actions)
	}
}

// A flip whose registrar change was made half-way (the NS set is the new
// side's, but the glue of its in-bailiwick name is the old server's
// address: a registry that kept the old host object, a person who typed
// the wrong address at the web form, a run that died between two calls)
// is not "nothing to do": a re-run completes it, and reports done only
// when every parent server serves the whole delegation.
func TestFlipHalfMadeGlueLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	half := registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.oldIP}}}
	if err := l.reg.SetDelegation(ctx, "example.test.", half); err != nil {
		t.Fatal(err)
	}
	rep := Flip(ctx, l.mk(), false, false)
	if rep.ExitCode() == 0 && rep.Result == ResultNothing {
		t.Fatalf("re-run with the new NS name glued to the old server: %s %v (a half-made flip reported as nothing to do)", rep.Result, rep.Actions)
	}
	if rep.Result != ResultDone || !rep.Change.Confirmed || rep.Changed != 1 {
		t.Fatalf("re-run: %s %+v %v, changed %d", rep.Result, rep.Gates, rep.Errors, rep.Changed)
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
	if g := strings.Join(d.Glue["ns1.new.example.test."], " "); g != l.newIP {
		t.Fatalf("glue at the parent after the re-run: %q, want %s", g, l.newIP)
	}
	// Now it is whole: nothing to do.
	if rep = Flip(ctx, l.mk(), false, false); rep.Result != ResultNothing || rep.Changed != 0 {
		t.Errorf("a second re-run: %s %v %v, changed %d", rep.Result, rep.Actions, rep.Errors, rep.Changed)
	}

	// The same for a rollback made half-way: the old NS name is back,
	// glued to the new server.
	half = registrar.Delegation{NS: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {l.newIP}}}
	if err := l.reg.SetDelegation(ctx, "example.test.", half); err != nil {
		t.Fatal(err)
	}
	rep = Rollback(ctx, l.mk(), false, false)
	if rep.Result != ResultDone || !rep.Change.Confirmed {
		t.Fatalf("rollback re-run with the old NS name glued to the new server: %s %v %+v %v", rep.Result, rep.Actions, rep.Gates, rep.Errors)
	}
	d, _ = registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
	if g := strings.Join(d.Glue["ns1.old.example.test."], " "); g != l.oldIP {
		t.Fatalf("glue at the parent after the rollback: %q, want %s", g, l.oldIP)
	}
	if rep = Rollback(ctx, l.mk(), false, false); rep.Result != ResultNothing {
		t.Errorf("a second rollback: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	}
	// The flip after it starts from the delegation recorded before the
	// first flip, not from a half-made one.
	tr := readTrail(t, l.mk().TrailPath)
	if r := tr.Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
		t.Errorf("recorded before: %+v", r)
	}
}

// A parent server address may be several nodes (a registry's anycast, a
// pool behind a load balancer) that take a change one by one. Here one
// address is in front of the parent the registrar changes and of a
// lagging copy still serving the old delegation, taken in turn: a
// confirmation from one answer calls the change confirmed while every
// third referral still sends resolvers to the old side.
func TestFlipConfirmLaggingNodeLab(t *testing.T) {
	l := newReviewLab(t, 5)
	stale := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: delegatingParent(1, "ns1.old", l.oldIP)}}})
	front := anycast(t, l.parent.Addr, l.parent.Addr, stale.Addr)
	c := l.mk()
	c.ParentServers = []string{front}
	rep := Flip(context.Background(), c, false, false)
	if rep.Change == nil || rep.Change.At.IsZero() {
		t.Fatalf("flip made no change: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep.Change.Confirmed || rep.Result != ResultError {
		t.Errorf("flip with a parent node still serving the old delegation: %s, confirmed %v", rep.Result, rep.Change.Confirmed)
	}
}

// TestFlipHalfMadeNSSetLab: a flip whose registrar change was made
// half-way in the NS set itself (the new side's name added, the old
// one not removed yet: a registrar that applies an update as an add and
// a remove, a run that died between them, a person at a web form) left
// the parent serving both sides' names. The re-run refused it
// (points-to-old: "find out who changed the delegation") and its way
// out, --from-current, would record the mixed set, the new side's name
// in it, as the delegation a rollback restores: the rollback would then
// keep sending resolvers to the new side. Now a set of only the old
// side's and the new side's names is a flip made half-way: the re-run
// completes it, recording the old delegation as before (with and
// without --from-current).
func TestFlipHalfMadeNSSetLab(t *testing.T) {
	for _, fromCurrent := range []bool{false, true} {
		t.Run(fmt.Sprintf("from-current=%v", fromCurrent), func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			half := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."},
				Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
			if err := l.reg.SetDelegation(ctx, "example.test.", half); err != nil {
				t.Fatal(err)
			}
			c := l.mk()
			c.FromCurrent = fromCurrent
			rep := Flip(ctx, c, false, false)
			if rep.Result != ResultDone || !rep.Change.Confirmed {
				t.Fatalf("re-run of a half-made flip (both sides' names at the parent): %s %+v %v %v", rep.Result, rep.Gates, rep.Errors, rep.Warnings)
			}
			d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
			if strings.Join(d.NS, " ") != "ns1.new.example.test." {
				t.Errorf("the parent after the re-run: %+v", d)
			}
			if r := readTrail(t, c.TrailPath).Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
				t.Errorf("recorded as the delegation a rollback restores: %+v; want ns1.old.example.test. at %s", r, l.oldIP)
			}
			// Said as what it does: not that --from-current records the
			// mixed set, nor that someone else changed the delegation.
			for _, w := range append(slices.Clone(rep.Warnings), rep.Errors...) {
				if strings.Contains(w, "--from-current takes that delegation") || strings.Contains(w, "find out who changed") {
					t.Errorf("the completed half-made flip says: %s", w)
				}
			}
		})
	}
	// The new side's name beside one of neither side: not a flip made
	// half-way, and --from-current does not record it either.
	l := newReviewLab(t, 5)
	ctx := context.Background()
	if err := l.reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns.elsewhere.", "ns1.new.example.test."},
		Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}}}); err != nil {
		t.Fatal(err)
	}
	c := l.mk()
	c.FromCurrent = true
	rep := Flip(ctx, c, false, false)
	g := gateNamed(rep, GatePointsToOld)
	if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "names the new side's ns1.new.example.test.") {
		t.Errorf("--from-current over the new side's name and another: %s, points-to-old %+v", rep.Result, g)
	}
	if r := readTrail(t, c.TrailPath).Restore(); r != nil {
		t.Errorf("recorded as the delegation a rollback restores: %+v", r)
	}
}

// TestRollbackHalfMadeNSSetLab is TestFlipHalfMadeNSSetLab's mirror: a
// rollback whose registrar change was made half-way in the NS set (the
// old side's name added back, the new side's not removed yet) left the
// parent serving both sides' names after a flip. The re-run refused it
// (points-to-new: "find out who changed the delegation since the flip"),
// leaving the on-call user no documented way out, with rollback
// --emergency too (it shares the gate). A set of only the old side's and
// the new side's names, one of the old side's at least, is now a
// rollback made half-way: the re-run completes it to the delegation
// recorded before the flip, and the next flip starts from that one. A set
// naming anyone else is still refused.
func TestRollbackHalfMadeNSSetLab(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ns        []string
		emergency bool // the new side down: rollback --emergency
		noFlip    bool // the trail never flipped: a flip made half-way, not a rollback
		done      bool
	}{
		{name: "half-made", ns: []string{"ns1.new.example.test.", "ns1.old.example.test."}, done: true},
		{name: "half-made, emergency", ns: []string{"ns1.new.example.test.", "ns1.old.example.test."}, emergency: true, done: true},
		{name: "a third name", ns: []string{"ns.elsewhere.", "ns1.new.example.test.", "ns1.old.example.test."}},
		{name: "a third name, emergency", ns: []string{"ns.elsewhere.", "ns1.new.example.test.", "ns1.old.example.test."}, emergency: true},
		{name: "never flipped", ns: []string{"ns1.new.example.test.", "ns1.old.example.test."}, noFlip: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			if !tc.noFlip {
				if rep := Flip(ctx, l.mk(), false, false); rep.Result != ResultDone {
					t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
				}
			}
			half := registrar.Delegation{NS: tc.ns, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
			if err := l.reg.SetDelegation(ctx, "example.test.", half); err != nil {
				t.Fatal(err)
			}
			served := nsAt(t, l)
			if tc.emergency {
				l.nw.Stop()
			}
			c := l.mk()
			rep := Rollback(ctx, c, false, tc.emergency)
			if !tc.done {
				g := gateNamed(rep, GatePointsToNew)
				if rep.Result != ResultRefused || g == nil || g.OK || !strings.Contains(g.Detail, "delegates to NS "+strings.Join(tc.ns, " ")) {
					t.Errorf("rollback over NS %v: %s, points-to-new %+v; want it refused, naming that set", tc.ns, rep.Result, g)
				}
				if ns := nsAt(t, l); ns != served {
					t.Errorf("the refused rollback changed the parent: %s, was %s", ns, served)
				}
				return
			}
			if rep.Result != ResultDone || rep.Change == nil || !rep.Change.Confirmed || rep.Emergency != tc.emergency {
				t.Fatalf("re-run of a half-made rollback (both sides' names at the parent): %s %+v %v %v", rep.Result, rep.Gates, rep.Errors, rep.Warnings)
			}
			if !has(rep.Warnings, "a rollback made half-way") {
				t.Errorf("no warning names the half-made rollback: %q", rep.Warnings)
			}
			// The old side's server the set names is not asked as one
			// of the new side's (a new side "partly down", its "up"
			// server the old one).
			if has(rep.Warnings, "providers.new.nameservers does not list") {
				t.Errorf("the gates asked the old side's server as the new side's: %q", rep.Warnings)
			}
			if g := gateNamed(rep, GateNewDown); tc.emergency && (g == nil || !g.OK || strings.Contains(g.Detail, l.oldIP)) {
				t.Errorf("new-down: %+v; want every new server down, the old one not counted", g)
			}
			d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{l.parent.Addr}, "example.test.", time.Second))
			if strings.Join(d.NS, " ") != "ns1.old.example.test." || strings.Join(d.Glue["ns1.old.example.test."], " ") != l.oldIP {
				t.Errorf("the parent after the re-run: %+v", d)
			}
			tr := readTrail(t, c.TrailPath)
			if st, e := tr.Stage(); st != StageRolledBack || e == nil || e.Command != "rollback" || e.Before == nil || !registrar.SameNS(e.Before.NS, tc.ns) {
				t.Errorf("trail: stage %s, last move %+v; want the rollback, replacing %v", st, e, tc.ns)
			}
			if r := tr.Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." {
				t.Errorf("the delegation the next flip starts from: %+v", r)
			}
			if rep = Rollback(ctx, l.mk(), false, tc.emergency); rep.Result != ResultNothing {
				t.Errorf("a second rollback: %s %v %v", rep.Result, rep.Actions, rep.Errors)
			}
			if tc.emergency {
				return
			}
			// The next flip starts from the old delegation: points-to-old
			// passes, and it records that one as before.
			c = l.mk()
			if rep = Flip(ctx, c, false, false); rep.Result != ResultDone {
				t.Fatalf("the flip after it: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
			}
			if g := gateNamed(rep, GatePointsToOld); g == nil || !g.OK {
				t.Errorf("points-to-old of the flip after it: %+v", g)
			}
			if r := readTrail(t, c.TrailPath).Restore(); r == nil || strings.Join(r.NS, " ") != "ns1.old.example.test." || strings.Join(r.Glue["ns1.old.example.test."], " ") != l.oldIP {
				t.Errorf("recorded before the flip after it: %+v", r)
			}
		})
	}
}
