package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestRollbackRecordedOutOfZoneServerLab: the delegation recorded before
// the flip names a second server outside the zone (ns1.legacy.test.,
// no glue: the parent zone holds its address), which
// providers.old.nameservers does not list. The rollback restores that
// delegation, so resolvers ask that server again: its gates ask it as
// finish does (oldServers: the recorded names resolved), not only the
// glue's addresses. While it serves other data than the old provider
// old-parity (and, the new side down, old-matches-git) fails; while it
// does not serve the zone, old-authoritative does; once it serves git,
// the rollback is made (the delegation gate counting it as the old
// side's server, as it was before the flip).
func TestRollbackRecordedOutOfZoneServerLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t), "legacy": lab.Addr(t)}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample NS ns1.new.example\nns1.new.example A %s\nns1.legacy A %s\n", ip["parent"], ip["new"], ip["legacy"])
	glue := fmt.Sprintf("ns1.old A %s\nns1.new A %s\n", ip["old"], ip["new"])
	side := func(www string, apex ...string) []lab.Zone { return exampleWith(glue, www, apex...) }
	oldApex := []string{"ns1.old.example.test.", "ns1.legacy.test."}
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: side("192.0.2.80", oldApex...)})
	legacy := lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.99", oldApex...)})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: side("192.0.2.80", "ns1.new.example.test.")})
	z := gitZone(t, side("192.0.2.80", "ns1.new.example.test.")[0].Text)
	path := prestagedTrail(t, 60)
	flipped := time.Now().UTC().Add(-30 * time.Minute)
	before := registrar.Delegation{NS: oldApex, NSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}}
	appendTrail(t, path, flipEntry(flipped, before, after))
	parentSrv, _, mk := parentRegistrarLab(t, ip, parentText, z, old, nw, path)
	ctx := context.Background()
	legacyAddr := ip["legacy"] + ":53"
	parentNS := func() string {
		d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{parentSrv.Addr}, "example.test.", time.Second))
		return strings.Join(d.NS, " ")
	}
	refused := func(what string, rep *Report, gate, says string) {
		t.Helper()
		if rep.ExitCode() != 1 {
			t.Errorf("%s: %s (exit %d), want refused; gates %+v errors %v", what, rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
		}
		if g := gateNamed(rep, gate); g == nil || g.OK || !strings.Contains(g.Detail, says) {
			t.Errorf("%s: gate %s %+v, want it unmet naming %s", what, gate, g, says)
		}
		if ns := parentNS(); ns != "ns1.new.example.test." {
			t.Fatalf("%s changed the parent: %s", what, ns)
		}
	}

	// The legacy server serves another www.
	refused("rollback with the recorded legacy server serving other data", Rollback(ctx, mk(), false, false), GateOldParity, "www.example.test.")

	// The new side down: the emergency rollback checks the legacy server
	// against git, and asks it for authority.
	nw.Stop()
	rep := Rollback(ctx, mk(), false, true)
	refused("rollback --emergency with the legacy server serving other data", rep, GateOldMatchesGit, "www.example.test.")
	if g := gateNamed(rep, GateOldAuthoritative); g == nil || !g.OK || !strings.Contains(g.Detail, legacyAddr) {
		t.Errorf("old-authoritative does not ask the legacy server %s: %+v", legacyAddr, g)
	}
	legacy.Stop()
	legacy = lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: []lab.Zone{{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns1.legacy.test. h 1 60 60 1209600 60\n@ NS ns1.legacy.test.\n"}}})
	refused("rollback --emergency with the legacy server not serving the zone", Rollback(ctx, mk(), false, true), GateOldAuthoritative, legacyAddr)

	// It serves git: the rollback is made.
	legacy.Stop()
	lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.80", oldApex...)})
	rep = Rollback(ctx, mk(), false, true)
	if rep.Result != ResultDone {
		t.Fatalf("rollback --emergency with the legacy server serving git: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	if g := gateNamed(rep, GateDelegation); g == nil || !g.OK {
		t.Errorf("delegation gate: %+v", g)
	}
	if ns := parentNS(); ns != "ns1.legacy.test. ns1.old.example.test." && ns != "ns1.old.example.test. ns1.legacy.test." {
		t.Errorf("the parent after the rollback: %s", ns)
	}
}

// A record changed at the new provider during the overlap, outside git
// (its UI or API), answered resolvers; old-parity refused the rollback
// and planned "push every record changed on the new side (git is the
// truth) to the old one: `dnsparity push --provider old`", which pushes
// git, not the change: the old side still differed, and the way to make
// parity hold (push git to the new side) threw the change away unsaid.
// Now the plan names the RRsets where the new provider differs from git
// and says to import them into git to keep them, or push to drop them.
func TestRollbackNewChangedOutsideGitLab(t *testing.T) {
	l := newReviewLab(t, 60)
	ctx := context.Background()
	c := l.mk()
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	// The new side's www changed by hand during the overlap.
	l.nw.Reload(t, lab.Zone{Origin: "example.test.", Text: fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new h.example.test. 2 60 60 1209600 60\n@ NS ns1.new\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.99\n", l.oldIP, l.newIP)})
	rep := Rollback(ctx, l.mk(), false, false)
	var g *Gate
	for i := range rep.Gates {
		if rep.Gates[i].Name == GateOldParity {
			g = &rep.Gates[i]
		}
	}
	if rep.Result != ResultRefused || g == nil || g.OK {
		t.Fatalf("rollback with the new side's www changed outside git: %s, old-parity %+v", rep.Result, g)
	}
	plans := strings.Join(g.Plan, "\n")
	t.Logf("old-parity: %s\nplan:\n%s", g.Detail, plans)
	if !strings.Contains(plans, "import --provider new") || !strings.Contains(plans, "www.example.test. A") {
		t.Errorf("old-parity's plan does not name the new side's change outside git and how to keep it: %q", g.Plan)
	}
	if strings.Contains(plans, "push --provider old") {
		t.Errorf("old-parity's plan offers a push to the old side, which holds git already: %q", g.Plan)
	}
}

// A flip --from-current recorded the delegation it found, a second server
// (ns2.old, glued to a legacy server the config does not list) included;
// the rollback restores it exactly. The legacy server serves other data
// than the old provider (www), under a serial as new as its: the rollback
// proved parity between the configured old servers and the new ones only,
// and brought the legacy server back to resolvers unasked. The flip asks
// the legacy server as well (askFromServers): while it serves other data
// the flip is refused; it is made once the legacy server serves git, which
// it stops doing before the rollback.
func TestRollbackRecordedServerParityLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t), "legacy": lab.Addr(t)}
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3OS1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	parentText := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A %s\nexample NS ns1.old.example\nexample NS ns2.old.example\nns1.old.example A %s\nns2.old.example A %s\n", ip["parent"], ip["old"], ip["legacy"])
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	glue := fmt.Sprintf("ns1.old A %s\nns2.old A %s\nns1.new A %s\n", ip["old"], ip["legacy"], ip["new"])
	side := func(www string, apex ...string) []lab.Zone { return exampleWith(glue, www, apex...) }
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: side("192.0.2.80", "ns1.old.example.test.", "ns2.old.example.test.")})
	legacy := lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.99", "ns1.old.example.test.", "ns2.old.example.test.")})
	nw := lab.Knot(t, lab.Options{IP: ip["new"], Zones: side("192.0.2.80", "ns1.new.example.test.")})
	z := gitZone(t, side("192.0.2.80", "ns1.new.example.test.")[0].Text)
	path := prestagedTrail(t, 60)
	mk := func() *Config {
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 60)
		c.ParentZone, c.Log = "test.", io.Discard
		c.Registrar = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, parentSrv.Addr, key)}
		c.Watch, c.Confirm = time.Second, 2*time.Second
		return c
	}
	ctx := context.Background()
	c := mk()
	c.FromCurrent = true
	// The flip asks the legacy server too (the parent's delegation sends
	// resolvers to it): refused while it serves other data.
	if rep := Flip(ctx, c, false, false); rep.ExitCode() != 1 || !strings.Contains(gateNamed(rep, GateParity).Detail, "www.example.test.") {
		t.Fatalf("flip --from-current with the legacy server serving other data: %s (exit %d) %+v", rep.Result, rep.ExitCode(), rep.Gates)
	}
	// It serves git at the flip, and other data again by the rollback.
	legacy.Stop()
	legacy = lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.80", "ns1.old.example.test.", "ns2.old.example.test.")})
	c = mk()
	c.FromCurrent = true
	if rep := Flip(ctx, c, false, false); rep.Result != ResultDone {
		t.Fatalf("flip --from-current: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	legacy.Stop()
	lab.Knot(t, lab.Options{IP: ip["legacy"], Zones: side("192.0.2.99", "ns1.old.example.test.", "ns2.old.example.test.")})
	rep := Rollback(ctx, mk(), false, false)
	if rep.ExitCode() != 1 {
		t.Fatalf("rollback to a recorded server serving other data: %s (exit %d) %+v %v", rep.Result, rep.ExitCode(), rep.Gates, rep.Errors)
	}
	for _, g := range rep.Gates {
		if g.Name == GateOldParity && (g.OK || !strings.Contains(g.Detail, "www.example.test.")) {
			t.Errorf("old-parity: %+v", g)
		}
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{parentSrv.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.new.example.test." {
		t.Fatalf("the parent changed: %v", d.NS)
	}
}

// parentRegistrarLab starts the parent zone test. (parentText) on BIND at
// ip["parent"], taking UPDATEs signed with a key, and returns it, a
// provider changing it, and a maker of signedConfig's step configuration
// over the sides old and nw (git's zone z, the trail at path) with the
// parent as the registrar and the watch's short timings.
func parentRegistrarLab(t *testing.T, ip map[string]string, parentText string, z *zone.Zone, old, nw *lab.Server, path string) (*lab.Server, provider.Provider, func() *Config) {
	t.Helper()
	key := &lab.TSIGKey{Name: "k.", Secret: "cm9sbG9sZC1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	srv := lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	prov := rfc2136Provider(t, srv.Addr, key)
	return srv, prov, func() *Config {
		c := signedConfig(t, z, ip, old, nw, srv, path, 60)
		c.ParentZone, c.Log = "test.", io.Discard
		c.Registrar = &parent.Parent{Zone: "test.", Provider: prov}
		c.Watch, c.Confirm = time.Second, 2*time.Second
		return c
	}
}

// exampleWith is example.test. as a side serves it: its apex NS names
// apex (the SOA MNAME the first), the address lines glue, and www's
// address.
func exampleWith(glue, www string, apex ...string) []lab.Zone {
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA " + apex[0] + " h.example.test. 1 60 60 1209600 60\n"
	for _, n := range apex {
		text += "@ NS " + n + "\n"
	}
	text += glue + "www A " + www + "\n"
	return []lab.Zone{{Origin: "example.test.", Text: text}}
}
