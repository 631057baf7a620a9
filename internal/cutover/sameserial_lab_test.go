package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
)

// TestFlipSameSerialChangeDuringGatesLab: the new side is a PowerDNS
// whose zone was loaded, not made through its API, so a change through
// the API leaves the SOA serial as it was (no SOA-EDIT-API; Route 53's
// serial never moves either). The new side's www is deleted at its API
// while the flip's gates run, after parity, drift and old-complete
// judged it. The serials do not move and the trail records no push (the
// change came from elsewhere: the provider's UI, another checkout), so on
// the code before the flip changed the registrar and www vanished for
// every resolver the new delegation sent to the new side. The providers
// are listed again right before the registrar change: a listing that
// differs from the one the gates judged makes the parity gate unmet
// (exit 1), naming the RRset, and the parent keeps the old delegation.
// The same in an emergency flip (the old side down: nothing listens at
// its address), whose new-complete gate listed the new side: the gate
// that proved the zone there, new-matches-git, is unmet.
func TestFlipSameSerialChangeDuringGatesLab(t *testing.T) {
	for _, emergency := range []bool{false, true} {
		t.Run(map[bool]string{false: "planned", true: "emergency"}[emergency], func(t *testing.T) { sameSerialChange(t, emergency, deleteWWW, "www.example.test. A") })
	}
}

// TestFlipNestedZoneAddedDuringGatesLab: a zone of its own below the
// zone (dev.example.test.) is created at the new provider while the
// flip's gates run, after drift and new-complete listed it without one.
// Its servers answer for dev's names at once, without a delegation, and
// no serial of example.test. moves. The re-check before the registrar
// change listed the records only (listRecords), not the zones below
// (list, which the gates' listing reads): on the code before, the flip
// changed the registrar and the new side served names git does not
// have. Now the re-check reads what the gates read, one function, and
// the gate that proved the zone is unmet.
func TestFlipNestedZoneAddedDuringGatesLab(t *testing.T) {
	for _, emergency := range []bool{false, true} {
		t.Run(map[bool]string{false: "planned", true: "emergency"}[emergency], func(t *testing.T) {
			sameSerialChange(t, emergency, addNestedZone, "dev.example.test. zone")
		})
	}
}

// deleteWWW deletes www's A at the new provider (its API).
func deleteWWW(ctx context.Context, t *testing.T, c *Config, _ *lab.PowerDNS) error {
	cur, err := c.New.Provider.Records(ctx, "example.test.")
	if err != nil {
		return err
	}
	www := cur.Get("www.example.test.", dns.TypeA)
	if www == nil {
		return fmt.Errorf("no www at the new side")
	}
	_, err = c.New.Provider.Apply(ctx, "example.test.", []provider.Change{{Action: provider.Delete, Name: www.Name, Type: www.Type, Old: www}}, nil)
	return err
}

// addNestedZone creates the zone dev.example.test. at the new provider
// (its API), with an address record its servers then answer.
func addNestedZone(_ context.Context, t *testing.T, _ *Config, nw *lab.PowerDNS) error {
	nw.API(t, "POST", "/zones", map[string]any{"name": "dev.example.test.", "kind": "Native", "nameservers": []string{"ns1.new.example.test."},
		"rrsets": []map[string]any{{"name": "app.dev.example.test.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": []map[string]any{{"content": "192.0.2.77", "disabled": false}}}}}, nil)
	return nil
}

func sameSerialChange(t *testing.T, emergency bool, change func(context.Context, *testing.T, *Config, *lab.PowerDNS) error, named string) {
	lab.Require(t, "named", "knotd", "pdns_server")
	ctx := context.Background()
	key := &lab.TSIGKey{Name: "k.", Secret: "c2FtZS1zZXJpYWwta2V5LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNDU="}
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t)}
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", ip["old"])
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := &lab.Server{Addr: ip["old"] + ":53"} // down: nothing listens
	if !emergency {
		old = lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	}
	nw := lab.PDNS(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("new", ip)}}})
	c := signedConfig(t, gitZone(t, ownNSZone("new", ip)), ip, old, nw.Server, p, prestagedTrail(t, 60), 60)
	c.New.Provider = pdnsProvider(t, nw)
	c.ParentZone, c.Registrar = "test.", &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
	c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
	serial := func() uint32 {
		m, err := query.Msg(ctx, nw.Addr, "example.test.", dns.TypeSOA, query.MsgOptions{})
		if err != nil || len(m.Answer) == 0 {
			t.Fatalf("SOA at the new side: %v %v", m, err)
		}
		return m.Answer[0].(*dns.SOA).Serial
	}
	c.DNSSEC = func(ctx context.Context, in dnssec.Input) (dnssec.Result, error) {
		before := serial()
		if err := change(ctx, t, c, nw); err != nil {
			return dnssec.Result{}, err
		}
		if after := serial(); after != before {
			t.Errorf("the new side's serial moved (%d → %d): this test is about a change that leaves it", before, after)
		}
		return dnssec.Gate(ctx, in)
	}
	rep := Flip(ctx, c, false, emergency)
	if rep.ExitCode() != 1 {
		t.Fatalf("flip with %s changed at the new side while its gates ran (same serial): %s (exit %d) %v", named, rep.Result, rep.ExitCode(), rep.Errors)
	}
	proved := GateParity
	if emergency {
		proved = GateNewMatchesGit
	}
	for _, o := range rep.Gates {
		if o.Name != proved && !o.OK {
			t.Errorf("gate %s unmet: %s", o.Name, o.Detail)
		}
	}
	g := gateNamed(rep, proved)
	if g == nil || g.OK || !strings.Contains(g.Detail, "changed while the gates ran") || !strings.Contains(g.Detail, named) {
		t.Errorf("gate %s: %+v", proved, g)
	} else {
		t.Logf("gate %s: %s", proved, g.Detail)
	}
	if ns := nsAt(t, &reviewLab{parent: p}); ns != "ns1.old.example.test." {
		t.Fatalf("the parent changed: %s", ns)
	}
}
