package ns1_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
	"github.com/dnsparity/dnsparity/internal/push"
)

// TestLinkedRecordBlocks: an NS1 record is keyed by its domain and type
// (/v1/zones/:zone/:domain/:type), and a linked record (one with "link",
// answering with another record's data) holds that key though Records
// leaves it out. git's RRset of the same name and type planned as a
// create was a PUT that NS1 refuses ("record already exists": ns1-go
// rest/record.go, ErrRecordExists), push after push. The plan refuses
// git's RRset there instead, naming the linked record.
func TestLinkedRecordBlocks(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	s.Seed(ns1test.Record{Zone: "example.com", Domain: "www.example.com", Type: "A", TTL: 300, Link: "lb.example.net", Answers: []ns1test.Answer{}})
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 3600 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\nwww 300 A 192.0.2.80\n")
	tg, err := push.Prepare(context.Background(), "new", p, &config.Provider{Name: "new", Type: "ns1"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	refused := false
	for _, u := range tg.Plan.Unsupported {
		if u.Set.Name == "www.example.com." && u.Set.Type == dns.TypeA && strings.Contains(u.Reason, "links to (lb.example.net)") {
			refused = true
		}
	}
	if !refused {
		_, err := p.Apply(context.Background(), d.Origin, tg.Plan.Changes, nil)
		t.Errorf("git's www A beside NS1's linked www A: not refused (%v), planned %v, pushed: %v", tg.Plan.Unsupported, tg.Plan.Changes, err)
	}
}
