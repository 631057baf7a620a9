package cutover

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
)

// TestFlipNewSideStopsSigningAfterGatesLab: the new provider stops
// signing (DNSSEC switched off in its console, or by someone holding its
// account) after the dnssec gate judged its keys against the parent's
// DS, keeping the SOA serial (Route 53's never moves; PowerDNS's does
// not when its DNSSEC is switched off) and every record its listing
// holds. The serial re-check and the listing re-read right before the
// registrar see nothing; the flip installed the delegation to a side
// serving no DNSKEY under a DS set naming its key: every answer bogus.
// The re-check asks the DNSKEY set of the side moved to again and
// refuses (dnssec unmet, exit 1) when it is not the set the gate judged.
func TestFlipNewSideStopsSigningAfterGatesLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip, p, _, _, ds, parent, old, nw := multiSignerLab(t)
	ctx := context.Background()

	c := signedConfig(t, gitZone(t, msZone("old", ip)), ip, old, nw, parent, prestagedTrail(t, 2), 5)
	c.Registrar = setBy{Manual: c.Registrar.(*manual.Manual), set: func(registrar.Delegation) {
		parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "new", ds)})
	}}
	c.Watch, c.Confirm, c.Log = time.Second, 3*time.Second, io.Discard
	Status(ctx, c)
	time.Sleep(6 * time.Second) // the DNSKEY TTL (2 s) since the status run saw both key sets, the DS TTL (5 s) since it first saw the DS set
	c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
		res, err := dnssec.Gate(ctx, in)
		if in.Side == "new" {
			// Unsigned now, the same serial and records.
			nw.Reload(goT{t}, lab.Zone{Origin: "example.test.", Text: msZone("new", ip)})
		}
		return res, err
	}
	rep := Flip(ctx, c, false, false)
	g := findGate(rep.Gates, GateDNSSEC)
	t.Logf("flip: %s (exit %d); errors %q; actions %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
	if rep.Result != ResultRefused || rep.ExitCode() != 1 {
		t.Errorf("flip after the new side stopped signing: %s (exit %d), want refused (exit 1)", rep.Result, rep.ExitCode())
	}
	if g == nil || g.OK || !strings.Contains(g.Detail, "changed while the gates ran") {
		t.Errorf("dnssec gate %+v: want unmet, the DNSKEY set changed while the gates ran", g)
	}
	d, _ := registrar.Agreed(registrar.Lookup(ctx, []string{parent.Addr}, "example.test.", time.Second))
	if strings.Join(d.NS, " ") != "ns1.old.example.test." {
		t.Errorf("the parent changed: %v", d.NS)
	}
}
