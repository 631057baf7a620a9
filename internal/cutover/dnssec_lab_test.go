package cutover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// "Remove the DS, then flip", with the DS removed before dnsparity ever
// looked: the old side (Knot) signs, the parent (BIND) holds no DS, the new
// side (BIND) does not sign, the trail is new. Validating resolvers that
// cached the DS just before its removal (the DS TTL: a day at .com) would
// find the new side unsigned and fail every answer (bogus); nothing here
// knows when the DS went, so the gate counts a DS of the old side's keys
// as held until the trail's first record of no DS + 86,400 s. On the code
// before, the gate passed at once as "unsigned". A new side serving the
// old side's keys (a presigned secondary) passes at once; an unsigned old
// side is not held (the other lab tests).
func TestFlipDSRemovedBeforeTrailLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns\nns A %s\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", ip["parent"], ip["old"])
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), nil)}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: msZone("new", ip)}}})
	z := gitZone(t, msZone("new", ip))
	path := TrailPath(t.TempDir(), "example.test.")
	clock := time.Now().UTC().Truncate(time.Second)
	c := signedConfig(t, z, ip, old, nw, parent, path, 300)
	c.Now = func() time.Time { return clock }
	dnssecGate := func(rep *Report) *Gate {
		t.Helper()
		g := findGate(rep.Gates, GateDNSSEC)
		if g == nil {
			t.Fatalf("%s: no dnssec gate: %+v %v", rep.Command, rep.Gates, rep.Errors)
		}
		t.Logf("%s at %s: dnssec ok=%v %s; plan %q", rep.Command, clock.Format(time.RFC3339), g.OK, g.Detail, g.Plan)
		return g
	}

	// 1. A new trail, no DS at the parent, the old side signing: refused,
	// until a day after this first record of the parent without DS.
	first := clock
	rep := Flip(context.Background(), c, true, false)
	g := dnssecGate(rep)
	until := first.Add(AssumedPreviousTTL * time.Second)
	if g.OK || !strings.Contains(g.Detail, "no DS recorded at the parent since "+first.Format(time.RFC3339)) {
		t.Errorf("flip with the old side signed and no DS ever recorded: dnssec ok=%v, want refused", g.OK)
	}
	if !slices.ContainsFunc(rep.Next, func(n Next) bool { return n.Earliest.Equal(until) }) {
		t.Errorf("the refusal does not name %s in next: %+v", until.Format(time.RFC3339), rep.Next)
	}

	// 2. A new side serving the old side's keys (a presigned secondary):
	// resolvers holding such a DS validate it; passes within the window
	// (once the old DNSKEY set was recorded for its TTL, as always).
	clock = clock.Add(time.Minute)
	at := func(serial int) string {
		return replaced(t, msZone("new", ip), " 1 60 60 1209600 2", fmt.Sprintf(" %d 60 60 1209600 2", serial))
	}
	nw.Reload(t, lab.Zone{Origin: "example.test.", Text: a.sign(t, at(2), nil)})
	Flip(context.Background(), c, true, false) // records the old DNSKEY set (its TTL counts from then)
	clock = clock.Add(time.Minute)
	if g := dnssecGate(Flip(context.Background(), c, true, false)); !g.OK {
		t.Errorf("flip to a new side signing with the old side's keys: dnssec ok=%v", g.OK)
	}

	// 3. Unsigned again, a day after the first record: passes as unsigned.
	nw.Reload(t, lab.Zone{Origin: "example.test.", Text: at(3)})
	clock = until.Add(time.Second)
	if g := dnssecGate(Flip(context.Background(), c, true, false)); !g.OK || !strings.HasPrefix(g.Detail, "unsigned") {
		t.Errorf("flip a day after the first record without DS: dnssec ok=%v", g.OK)
	}
}

// A DS removal published server by server: the trail saw DS X; then the
// parent's first server serves no DS while the second still serves X (for
// ten minutes), then neither. Resolvers that asked the second server in
// those minutes hold X for its TTL (60 s) after it dropped it. Status
// recorded the first server's view (no DS) at the start, so CachedDS
// counted X's TTL from there, and a flip to an unsigned new side passed a
// TTL later while X was still cached: validation failed for them. Now the
// set still served is recorded until every server has dropped it.
func TestStatusDSRemovedServerByServerLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ds := "12345 13 2 " + strings.Repeat("AB", 32)
	parentText := func(withDS bool) string {
		text := delegatingParent(map[bool]int{true: 1, false: 2}[withDS], "ns1.old", l.oldIP)
		if withDS {
			text += "example 60 DS " + ds + "\n"
		}
		return text
	}
	p1 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText(true)}}})
	p2 := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText(true)}}})
	clock := time.Now().UTC().Truncate(time.Second)
	c := l.mk()
	c.ParentServers = []string{p1.Addr, p2.Addr}
	c.Registrar = heldRegistrar{}
	c.Now = func() time.Time { return clock }
	ctx := context.Background()

	Status(ctx, c) // the trail sees X at both
	clock = clock.Add(time.Minute)
	p1.Reload(t, lab.Zone{Origin: "test.", Text: parentText(false)})
	Status(ctx, c) // the first server dropped X, the second still serves it
	clock = clock.Add(10 * time.Minute)
	p2.Reload(t, lab.Zone{Origin: "test.", Text: parentText(false)})
	gone := clock
	Status(ctx, c) // neither serves X

	clock = gone.Add(30 * time.Second) // X's TTL (60 s) not over since the second server dropped it
	rep := Flip(ctx, c, true, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("no dnssec gate: %+v %v", rep.Gates, rep.Errors)
	}
	t.Logf("dnssec ok=%v %s", g.OK, g.Detail)
	if g.OK || !strings.Contains(g.Detail, "may hold the removed DS (key tags 12345) until "+gone.Add(time.Minute).Format(time.RFC3339)) {
		t.Errorf("flip 30 s after the last parent server dropped the DS (TTL 60 s): dnssec ok=%v, want refused until %s", g.OK, gone.Add(time.Minute).Format(time.RFC3339))
	}
}

// dsLeftAlone is a registrar that sets the NS set and glue but not the DS
// set (a registrar whose DS change is another operation, which failed),
// and reports the failure.
type dsLeftAlone struct{ registrar.Registrar }

func (r dsLeftAlone) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	want.DS = nil
	if err := r.Registrar.SetDelegation(ctx, z, want); err != nil {
		return err
	}
	return errors.New("DS update failed (nameservers updated)")
}

// A rollback restores the NS set and the DS set recorded before the flip;
// a registrar that changes them in separate operations can fail between
// the two. Both sides serve the zone signed with the same keys; the flip
// left DS (SHA-256) in place, a SHA-384 DS was added during the overlap,
// and the rollback, restoring the one DS, had its DS operation fail. On
// the code before, the re-run found the old NS set at the parent and said
// "nothing to roll back": the DS set the rollback restores was never set.
func TestRollbackDSHalfMadeLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	a := newSigner(t, "example.test.")
	ds256, ds384 := a.DS(t, "2"), a.DS(t, "4")
	key := &lab.TSIGKey{Name: "k.", Secret: "Y3V0cmV2LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ1Ng=="}
	parentText := delegatingParent(1, "ns1.old", ip["old"], ds256)
	p, old, nw, z, reg := signedSidesLab(t, ip, a, key, parentText)
	path := prestagedTrail(t, 60)
	clock := time.Now().UTC().Truncate(time.Second)
	mk := func() *Config {
		c := signedConfig(t, z, ip, old, nw, p, path, 60)
		c.ParentZone, c.Registrar = "test.", reg
		c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
		c.Now = func() time.Time { return clock }
		return c
	}
	ctx := context.Background()
	dsAt := func() string {
		t.Helper()
		d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{p.Addr}, "example.test.", time.Second))
		if !ok {
			t.Fatal("the parent does not answer")
		}
		return dsKey(d.DS)
	}

	Status(ctx, mk()) // records both DNSKEY sets
	clock = clock.Add(2 * time.Minute)
	if rep := Flip(ctx, mk(), false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The overlap: a SHA-384 DS of the same key is added.
	if err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}, DS: []string{ds256, ds384}, DSTTL: 5}); err != nil {
		t.Fatal(err)
	}
	Status(ctx, mk())
	clock = clock.Add(2 * time.Minute)
	c := mk()
	c.Registrar = dsLeftAlone{reg}
	if rep := Rollback(ctx, c, false, false); rep.Result != ResultError {
		t.Fatalf("rollback with the DS operation failing: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if got := dsAt(); got != dsKey([]string{ds256, ds384}) {
		t.Fatalf("DS after the failed DS operation: %s", got)
	}
	clock = clock.Add(time.Minute)
	rep := Rollback(ctx, mk(), false, false)
	t.Logf("re-run: %s %v %v", rep.Result, rep.Actions, rep.Errors)
	if got := dsAt(); got != dsKey([]string{ds256}) || rep.Result != ResultDone {
		t.Errorf("re-run: %s, DS at the parent %q, want the DS recorded before the flip %q restored", rep.Result, got, dsKey([]string{ds256}))
	}
	// Whole now: nothing to do, nothing recorded.
	if rep := Rollback(ctx, mk(), false, false); rep.Result != ResultNothing {
		t.Errorf("a second re-run: %s %v %v", rep.Result, rep.Actions, rep.Errors)
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
		return delegatingParent(1, "ns1."+side, ip[side], ds...)
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
