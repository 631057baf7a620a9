package powerdns_test

import (
	"context"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestClasslessReverseZone: a zone whose name holds a '/' (RFC 2317
// classless delegation: 0/26.2.0.192.in-addr.arpa.) is read and written.
// PowerDNS's own id of such a zone writes the '/' as "=2F" (the Zone
// object's id, "Guaranteed to be safe for embedding in URLs", PowerDNS
// HTTP API reference; pdns/ws-api.cc, apiZoneNameToId); the provider
// names the zone in the URL percent-encoded instead (zonePath: %2F),
// which the lab's real PowerDNS decodes to the same zone.
func TestClasslessReverseZone(t *testing.T) {
	const rev = "0/26.2.0.192.in-addr.arpa."
	text := "$ORIGIN " + rev + "\n@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 3600 600 1209600 300\n@ 300 IN NS ns1.example.com.\n1 300 IN PTR host1.example.com.\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: rev, Text: text}}})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	held, err := p.Records(ctx, rev)
	if err != nil {
		t.Fatalf("list %s: %v", rev, err)
	}
	if s := held.Get("1."+rev, dns.TypePTR); s == nil {
		t.Fatalf("1.%s PTR not listed: %v", rev, held.Sets)
	}
	want := zonetest.Load(t, text+"2 300 IN PTR host2.example.com.\n", rev)
	pl := plan.Compute(want, held, plan.Options{Caps: p.Capabilities()})
	if len(pl.Changes) != 1 {
		t.Fatalf("plan: %v (unsupported %v)", pl.Changes, pl.Unsupported)
	}
	if _, err := p.Apply(ctx, rev, pl.Changes, nil); err != nil {
		t.Fatalf("push to %s: %v", rev, err)
	}
	got, err := p.Records(ctx, rev)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Get("2."+rev, dns.TypePTR); s == nil || len(s.Strings()) != 1 {
		t.Errorf("2.%s PTR after push: %v", rev, s)
	}
}
