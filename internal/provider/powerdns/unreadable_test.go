package powerdns_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestUnreadableLab: an RRset PowerDNS holds and lists that dnsparity
// cannot read (an HTTPS record with dohpath, RFC 9461's SvcParamKey 7,
// made through the API by another client: PowerDNS 4.7 has no name for it
// and lists it as key7="...", which miekg/dns refuses) stops nothing. The
// listing returns every other record and the RRset as an omitted
// unrepresentable feature; a push of git's zone, changed elsewhere, leaves
// it; a change of that very RRset is refused before anything is sent (a
// PATCH would replace it whole).
func TestUnreadableLab(t *testing.T) {
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.1\nmail A 192.0.2.25\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}})
	srv.API(t, http.MethodPatch, "/zones/example.com.", map[string]any{"rrsets": []map[string]any{{
		"name": "doh.example.com.", "type": "HTTPS", "ttl": 300, "changetype": "REPLACE",
		"records": []map[string]any{{"content": `1 . alpn=h2 key7="/dns-query{?dns}"`, "disabled": false}},
	}}}, nil)
	held := func() bool {
		return strings.Contains(string(srv.API(t, http.MethodGet, "/zones/example.com.", nil, nil)), `"doh.example.com."`)
	}
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	z, fs, err := provider.Read(ctx, p, origin)
	if err != nil {
		t.Fatalf("a record it cannot read stopped the listing: %v", err)
	}
	if _, ok := provider.Provider(p).(provider.Reader); !ok {
		t.Error("not a provider.Reader: the cutover's completeness gates would not count the record")
	}
	if len(fs) != 1 || fs[0].Feature != provider.Unrepresentable || !fs[0].Omitted || fs[0].Name != "doh.example.com." || fs[0].Type != "HTTPS" ||
		!strings.Contains(fs[0].Detail, "dnsparity cannot read this record") {
		t.Fatalf("features %+v", fs)
	}
	if z.Get("doh.example.com.", dns.TypeHTTPS) != nil || z.Get("www.example.com.", dns.TypeA) == nil {
		t.Errorf("records %v", z.Names())
	}
	wantText := strings.Replace(text, "www A 192.0.2.1", "www A 192.0.2.2", 1) + "new TXT \"new\"\n"
	want := zonetest.Load(t, wantText, origin)
	pl := plan.Compute(want, z, plan.Options{Caps: p.Capabilities()})
	for _, c := range pl.Changes {
		if c.Name == "doh.example.com." {
			t.Errorf("plan changes the record it cannot read: %s", c)
		}
	}
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatal(err)
	}
	if !held() {
		t.Fatal("the push removed doh.example.com. HTTPS")
	}
	z, _, err = provider.Read(ctx, p, origin)
	if err != nil || z.Get("new.example.com.", dns.TypeTXT) == nil {
		t.Fatalf("after the push: %v", err)
	}
	if got := plan.Compute(want, z, plan.Options{Caps: p.Capabilities()}); len(got.Changes) != 0 {
		t.Errorf("a second plan: %s", provider.Describe(got.Changes, 5))
	}
	// git wants that RRset: a PATCH would replace it whole. The plan,
	// told what the listing could not read, refuses it (push sends
	// nothing, even with --force).
	withDoH := zonetest.Load(t, wantText+"doh 300 HTTPS 1 . alpn=h2\n", origin)
	pl = plan.Compute(withDoH, z, plan.Options{Caps: p.Capabilities(), Unreadable: fs})
	for _, c := range pl.Changes {
		if c.Name == "doh.example.com." {
			t.Errorf("plan changes the record it cannot read: %s", c)
		}
	}
	if len(pl.Blocked(plan.Policy{Force: true})) == 0 {
		t.Errorf("git's doh.example.com. HTTPS over the record it cannot read: not refused (unsupported %v)", pl.Unsupported)
	}
}
