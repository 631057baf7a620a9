package dnsmadeeasy_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty DNS Made Easy
// domain (the dmetest fake) and reports the write calls one push takes
// (providertest.BenchPush10k).
func BenchmarkPush10k(b *testing.B) {
	providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\n", "write-calls/push",
		func(b *testing.B) (provider.Provider, func() int, func()) {
			s := dmetest.New(apiKey, secretKey)
			s.Limit = 1 << 20
			s.AddZone("example.com")
			p := newProvider(b, s, apiKey, secretKey)
			return p, func() int { return s.Count("write") + s.Count("list") }, s.Close
		})
}
