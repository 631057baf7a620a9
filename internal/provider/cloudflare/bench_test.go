package cloudflare_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty Cloudflare
// zone (the cftest fake) and reports the batch calls and all HTTP
// requests one push takes (providertest.BenchPush10k).
func BenchmarkPush10k(b *testing.B) {
	providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\n", "batch-calls/push",
		func(b *testing.B) (provider.Provider, func() int, func()) {
			s := cftest.New(token)
			s.AddZone("example.com")
			p := newProvider(b, s, token)
			return p, func() int { return int(p.Requests()) }, s.Close
		})
}
