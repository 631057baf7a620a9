package ns1_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestPushRequestsPerRRset counts what a push sends: NS1 has no call that
// writes several records short of replacing the zone, so a push is one
// write per RRset (PUT to create, POST to replace, DELETE), sent one
// after the other, and a plain record (tier 1) is never read before it
// is replaced: a push of n RRsets is n writes and the zone's listing
// pages, no more. A 10,000-RRset push is 10,000 writes, each waiting for
// the one before and paced by the write budget NS1 announces
// (X-Ratelimit-*): its length is the writes times the slower of the
// round trip and the announced period / limit.
func TestPushRequestsPerRRset(t *testing.T) {
	const n = 40
	s := ns1test.New(apiKey)
	defer s.Close()
	s.PageSize = 1000
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	zoneWith := func(last int) string {
		var b strings.Builder
		b.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n@ 3600 NS dns2.p01.nsone.net.\n")
		for i := range n {
			fmt.Fprintf(&b, "h%02d 300 A 192.0.2.%d\n", i, last+i)
		}
		return b.String()
	}
	for _, step := range []struct {
		name   string
		last   int
		method string
	}{{"create", 1, "PUT"}, {"replace", 101, "POST"}} {
		before := map[string]int{"write": s.Count("write"), "list": s.Count("list"), "GET record": s.Count("GET record"), step.method: s.Count(step.method)}
		res := providertest.Push(t, p, providertest.Desired(t, "example.com.", zoneWith(step.last)))
		writes, lists, reads, sent := s.Count("write")-before["write"], s.Count("list")-before["list"], s.Count("GET record")-before["GET record"], s.Count(step.method)-before[step.method]
		t.Logf("%s %d RRsets: %d writes (%d %s), %d record reads, %d zone listings (plan and apply read the zone once each), %d requests counted by the provider", step.name, n, writes, sent, step.method, reads, lists, res.Requests)
		if writes != n || sent != n || reads != 0 || res.Requests != n {
			t.Errorf("%s: %d writes (%d %s), %d record reads, %d requests; want %d %s, no reads", step.name, writes, sent, step.method, reads, res.Requests, n, step.method)
		}
	}
}
