package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

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
	parentText := "$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample NS ns.old.test.\nns.old A " + oldIP + "\n"
	sideZone := func(ns string) string {
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA %s h.example.test. 1 60 60 60 60\n@ NS %s\nns1 A %s\nwww A 192.0.2.80\n", ns, ns, newIP)
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
			z, err := zone.Parse(strings.NewReader(sideZone("ns.old.test.")), "example.test.zone", "example.test.", "")
			if err != nil {
				t.Fatal(err)
			}
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
