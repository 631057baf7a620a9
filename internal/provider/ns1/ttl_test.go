package ns1_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestTTLZeroRefused: ns1-go's Record has `json:"ttl,omitempty"`
// (rest/model/dns/record.go), so a TTL of 0 is never sent, and NS1 gives a
// record sent without a TTL the zone's default (the fake: 3600). A push
// of TTL 0 reported success, NS1 kept 3600, and every plan after it
// replaced the record again. plan refuses TTL 0 instead (MinTTL 1).
func TestTTLZeroRefused(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nz 0 A 192.0.2.1\nw 60 A 192.0.2.2\n")
	cur, err := p.Records(context.Background(), d.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) != 1 || !strings.Contains(pl.Unsupported[0].String(), "TTL 0") || !strings.Contains(pl.Unsupported[0].String(), "z.example.com.") {
		t.Errorf("a TTL of 0: refused %v, want z.example.com. A refused for its TTL 0", pl.Unsupported)
	}
}

// TestApexTTLs: NS1 keeps the SOA in the zone's settings, outside the
// records (the plan warns of it and does not change it), and the apex NS
// as a record of the zone (ns1test.Server.AddZone: NS1's own servers at
// 3600): after `ttl --cap` the apex NS takes git's TTL with NS1's names,
// and git's other apex records (MX, TXT) git's TTL, down and up again; a
// second plan is empty (providertest.ApexTTLs, the zone read back by
// Records).
func TestApexTTLs(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	providertest.ApexTTLs(t, p, providertest.ApexTTL{
		Extra: "@ MX 10 mail.example.org.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
	})
}
