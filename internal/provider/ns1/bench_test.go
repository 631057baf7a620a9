package ns1_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty NS1 zone (the
// ns1test fake) and reports the write calls one push takes
// (providertest.BenchPush10k).
func BenchmarkPush10k(b *testing.B) {
	providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n", "write-calls/push",
		func(b *testing.B) (provider.Provider, func() int, func()) {
			s := ns1test.New(apiKey)
			s.PageSize = 2500
			s.Limit = 1 << 20 // counts, not the pacing
			s.AddZone("example.com")
			p := newProvider(b, s, apiKey)
			return p, func() int { return s.Count("write") + s.Count("list") }, s.Close
		})
}
