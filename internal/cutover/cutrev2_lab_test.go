package cutover

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

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
	if !has(rep.Actions, "registrar: replaced") || !has(rep.Actions, "run `dnsparity rollback` again", "without") {
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
	stale := lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
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
	lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 2 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", l.oldIP)}}})
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

// A rollback while the parent's servers serve different DS sets: a DS
// change half-published (a SHA-384 DS added during the overlap, at one
// server so far) when the new side fails. RFC 4035 section 5.2: a
// validator takes the zone's DNSKEY set as secure through any DS of the
// set it holds that matches a key signing it; resolvers hold whichever
// set the server they asked served. Refusing the rollback until the
// change has spread everywhere (or for ever, a server that never takes
// it) leaves users on the failing side with no way out, --emergency
// included, which reads the parent the same way. The rollback now goes
// on when the side it moves to validates under every DS set served (gate
// dnssec), and is refused, by that gate, when it does not under one of
// them. On the code before: could not run, "the parent's servers
// disagree on the DS set", either way.
func TestRollbackDSSetsDisagreeLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	ds256, ds384 := a.DS(t, "2"), a.DS(t, "4")
	key := &lab.TSIGKey{Name: "k.", Secret: "Y3V0cmV2Mi1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	deleg := func(side string, ds ...string) string {
		text := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.%s.example\nns1.%s.example 5 A %s\n", side, side, ip[side])
		for _, d := range ds {
			text += "example 5 DS " + d + "\n"
		}
		return text
	}
	p, old, nw, z, reg := signedSidesLab(t, ip, a, key, deleg("old", ds256))
	path := prestagedTrail(t, 60)
	clock := time.Now().UTC().Truncate(time.Second)
	mk := func(servers ...string) *Config {
		c := signedConfig(t, z, ip, old, nw, p, path, 60)
		c.ParentZone, c.Registrar = "test.", reg
		c.ParentServers = append([]string{p.Addr}, servers...)
		c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
		at := time.Now()
		c.Now = func() time.Time { return clock.Add(time.Since(at)) } // the confirmation's polls need time to pass
		return c
	}
	ctx := context.Background()
	Status(ctx, mk()) // records both DNSKEY sets
	clock = clock.Add(2 * time.Minute)
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	clock = clock.Add(2 * time.Minute)
	// A second parent server, serving the new delegation with a DS set
	// that matches no key (the old side would be bogus for resolvers
	// holding it): refused by the dnssec gate, the parent untouched.
	bad := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: deleg("new", labDS)}}})
	rep := Rollback(ctx, mk(bad.Addr), false, false)
	t.Logf("rollback, a DS set matching no key at one server: %s %v; dnssec %+v", rep.Result, rep.Errors, findGate(rep.Gates, GateDNSSEC))
	if g := findGate(rep.Gates, GateDNSSEC); rep.ExitCode() != 1 || g == nil || g.OK || !strings.Contains(g.Detail, bad.Addr) {
		t.Errorf("rollback while a parent server serves a DS set the old side fails: %s (exit %d) %v: want refused by gate dnssec naming the server", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if rep.Change != nil && !rep.Change.At.IsZero() {
		t.Fatalf("the registrar was changed")
	}
	bad.Stop()
	// The SHA-384 DS added at one server so far: the old side validates
	// under both sets, the rollback is made.
	half := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: deleg("new", ds256, ds384)}}})
	clock = clock.Add(time.Minute)
	rep = Rollback(ctx, mk(half.Addr), false, false)
	t.Logf("rollback, a DS added at one server: %s %v %v; dnssec %+v", rep.Result, rep.Errors, rep.Warnings, findGate(rep.Gates, GateDNSSEC))
	if rep.Change == nil || rep.Change.At.IsZero() || !gateOK(rep, GateDNSSEC) || !has(rep.Warnings, "DS") {
		t.Errorf("rollback while a DS addition is half-published: %s (exit %d) %v, gates %+v: want the change made, the DS sets named", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
}
