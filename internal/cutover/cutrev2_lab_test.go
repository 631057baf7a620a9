package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

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
