package powerdns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// TestPowerDNSOwnTypes: a zone holding PowerDNS's ALIAS and LUA records
// is read (they are left out of Records and listed by Features, not a
// failure of the whole read), and an RFC 3597 record numbered like one of
// them (TYPE65401) is refused before it is pushed.
func TestPowerDNSOwnTypes(t *testing.T) {
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n" +
		"www ALIAS lb.example.net.\n" +
		"lua LUA A \"ifportup(443, {'192.0.2.1', '192.0.2.2'})\"\n"
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	z, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatalf("Records: %v", err)
	}
	if z.Get("ns1.example.com.", dns.TypeA) == nil {
		t.Errorf("ns1 A not read: %v", z.Names())
	}
	for _, n := range z.Names() {
		if n == "www.example.com." || n == "lua.example.com." {
			t.Errorf("PowerDNS-only record at %s read as zone data", n)
		}
	}
	fs, err := p.Features(ctx, origin)
	if err != nil {
		t.Fatalf("Features: %v", err)
	}
	got := map[string]bool{}
	for _, f := range fs {
		if !f.Omitted || f.Detail == "" || f.Advice == "" {
			t.Errorf("feature %+v", f)
		}
		got[f.Name+" "+f.Type] = true
	}
	for _, want := range []string{"www.example.com. ALIAS", "lua.example.com. LUA"} {
		if !got[want] {
			t.Errorf("no feature %s in %v", want, fs)
		}
	}

	git, err := zone.Parse(strings.NewReader(text[:strings.Index(text, "www")]+"alias TYPE65401 \\# 3 abcdef\nok TYPE65000 \\# 1 00\n"), "t.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	caps := p.Capabilities()
	if ok, why := caps.Holds(git.Get("alias.example.com.", 65401)); ok || !strings.Contains(why, "ALIAS") {
		t.Errorf("TYPE65401: holds %v (%s), want refused naming ALIAS", ok, why)
	}
	if ok, why := caps.Holds(git.Get("ok.example.com.", 65000)); !ok {
		t.Errorf("TYPE65000 refused: %s", why)
	}
}
