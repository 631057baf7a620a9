package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/miekg/dns"
)

// A provider whose pipeline keeps a ZONEMD at the apex that git lacks
// (Knot's zonemd-generate: deleted by UPDATE, it is made again at the
// next serial, as seen in the lab with knotd 3.2.6) holds nothing of the
// zone's data beyond git: old-complete passes, as it does for the CDS,
// CDNSKEY and TYPE65534 a signer makes there. On the code before, the
// gate refused the flip, naming "example.test. ZONEMD" as an RRset git
// lacks (parity already took it for the signer's).
func TestCompleteLeavesProviderZONEMD(t *testing.T) {
	const git = "$TTL 60\n@ SOA ns1 h 1 60 60 60 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n"
	c := &Config{Zone: gitZone(t, git)}
	held := gitZone(t, git+"@ ZONEMD 3 1 1 9f5833fe16b8ee97223058d11f4e5c7d4d66233b1424fd019436e2b7a38b8e1621709feac04c68ac6e07d48d163ae284\n")
	if g := completeGate(c, GateOldComplete, &c.Old, held, nil, nil, nil, "vanish at the flip", nil); !g.OK {
		t.Errorf("old-complete over a listing with the provider's ZONEMD: %+v, want passed", g)
	}
	// A ZONEMD below the apex is no signer's: still refused.
	held = gitZone(t, git+"www ZONEMD 3 1 1 9f5833fe16b8ee97223058d11f4e5c7d4d66233b1424fd019436e2b7a38b8e1621709feac04c68ac6e07d48d163ae284\n")
	if g := completeGate(c, GateOldComplete, &c.Old, held, nil, nil, nil, "vanish at the flip", nil); g.OK {
		t.Errorf("old-complete over a listing with a ZONEMD below the apex: %+v, want refused", g)
	}
}

// The emergency mirror by transfer: a survivor whose transfer holds git's
// records and an apex ZONEMD its pipeline made (the provider unlistable)
// serves nothing git lacks. A guard, not a fix: it passed before too
// (parity.AXFRKeys leaves zone.SignerApexType out of a transfer).
func TestEmergencyLeavesServedZONEMD(t *testing.T) {
	const git = "$TTL 60\n@ SOA ns1 h 1 60 60 60 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n"
	c := &Config{Zone: gitZone(t, git), EmergencyListWait: 5 * time.Second}
	c.Old.Name, c.New.Name = "old", "new"
	c.Old.Provider = unlistable{}
	served := gitZone(t, git+"@ ZONEMD 3 1 1 9f5833fe16b8ee97223058d11f4e5c7d4d66233b1424fd019436e2b7a38b8e1621709feac04c68ac6e07d48d163ae284\n")
	var rrs []dns.RR
	for _, s := range served.Sets {
		if s.Type != dns.TypeSOA {
			rrs = append(rrs, s.RRs()...)
		}
	}
	soa := served.Get("example.test.", dns.TypeSOA).RRs()
	addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) {
		send(transfertest.Answer(q, append(append(slices.Clone(soa), rrs...), soa...)))
	})
	g := downComplete(context.Background(), c, &c.Old, &c.New, []string{addr})
	if !g.OK || !strings.Contains(g.Detail, "serve nothing git lacks (by AXFR)") {
		t.Errorf("old-complete with a survivor serving its own apex ZONEMD: %+v, want passed", g)
	}
}

// With the provider listed, what an emergency asks the survivors about
// (askBeyondGit: what the listing holds that git lacks) leaves out the
// apex ZONEMD of the provider's pipeline, as old-complete does; on the
// code before it was asked, and a survivor serving it refused flip
// --emergency naming "example.test. ZONEMD at ADDR".
func TestEmergencyAsksNoProviderZONEMD(t *testing.T) {
	const git = "$TTL 60\n@ SOA ns1 h 1 60 60 60 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n"
	c := &Config{Zone: gitZone(t, git)}
	held := gitZone(t, git+"@ ZONEMD 3 1 1 9f5833fe16b8ee97223058d11f4e5c7d4d66233b1424fd019436e2b7a38b8e1621709feac04c68ac6e07d48d163ae284\nextra TXT \"x\"\n")
	var what []string
	for _, b := range askBeyondGit(context.Background(), c, nil, held, nil) {
		what = append(what, b.what)
	}
	if !slices.Equal(what, []string{"extra.example.test. TXT"}) {
		t.Errorf("asked %q, want only extra.example.test. TXT", what)
	}
}
