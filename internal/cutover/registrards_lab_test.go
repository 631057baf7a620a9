package cutover

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// heldFewerDS is a registrar that holds the delegation the parent's
// servers serve but fewer DS records (a DS removed at the registrar that
// the registry has not published yet: the registrar's API said done), and
// whose change publishes what it holds (set).
type heldFewerDS struct {
	registrar.Registrar
	held   registrar.Delegation
	set    func(registrar.Delegation)
	called *bool
}

func (r heldFewerDS) Delegation(context.Context, string) (registrar.Delegation, error) {
	return copyDelegation(r.held), nil
}

func (r heldFewerDS) SetDelegation(_ context.Context, _ string, want registrar.Delegation) error {
	*r.called = true
	r.set(want)
	return nil
}

// TestFlipRegistrarHoldsFewerDSLab: the parent's servers serve both
// providers' DS (RFC 8901), the registrar holds the old KSK's alone: the
// new side's DS was removed there and the registry publishes it minutes
// later. parent-registrar took a DS set the servers serve beyond the
// registrar's for one the registry published itself (CDS, more digest
// types) and only warned, and the dnssec gate judged the new side under
// the served set: the flip changed the nameservers, and the registry then
// published the registrar's set, under which nothing the new side serves
// validates (exit 2 only after the fact, TestFlipRegistrarChangedDSLab's
// check). The dnssec gate judges the side under the registrar's DS set
// too, as under each set parent servers serve: unmet, exit 1, the
// registrar not asked.
func TestFlipRegistrarHoldsFewerDSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip, p, _, _, ds, parent, old, nw := multiSignerLab(t)
	ctx := context.Background()

	c := signedConfig(t, gitZone(t, msZone("old", ip)), ip, old, nw, parent, prestagedTrail(t, 2), 5)
	served, ok := registrar.Agreed(registrar.Lookup(ctx, []string{parent.Addr}, "example.test.", 2*time.Second))
	if !ok || len(served.DS) != 2 {
		t.Fatalf("the parent serves %+v (agreed %v), want both sides' DS", served, ok)
	}
	held := copyDelegation(served)
	held.DS = []string{ds[0]}
	called := false
	c.Registrar = heldFewerDS{Registrar: c.Registrar, held: held, called: &called, set: func(registrar.Delegation) {
		parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "new", ds[:1])})
	}}
	c.Watch, c.Confirm, c.Log = time.Second, 3*time.Second, io.Discard
	Status(ctx, c)
	time.Sleep(6 * time.Second) // the DNSKEY TTL (2 s) since the status run saw both key sets, the DS TTL (5 s) since it first saw the DS set
	rep := Flip(ctx, c, false, false)
	g := findGate(rep.Gates, GateDNSSEC)
	t.Logf("flip: %s (exit %d); errors %q; dnssec %+v", rep.Result, rep.ExitCode(), rep.Errors, g)
	if rep.Result != ResultRefused || rep.ExitCode() != 1 || called {
		t.Errorf("flip while the registrar holds the old KSK's DS alone: %s (exit %d), registrar asked %v; want refused (exit 1), the registrar not asked", rep.Result, rep.ExitCode(), called)
	}
	if g == nil || g.OK || !strings.Contains(g.Detail, "registrar") {
		t.Errorf("dnssec gate %+v: want unmet, naming the DS set the registrar holds", g)
	}
}
