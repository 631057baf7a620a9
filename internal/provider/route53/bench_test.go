package route53_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty hosted zone
// (the r53test fake) and reports the change batches and all HTTP
// requests one push takes (the client-side 5/s limit lifted: the figures
// are counts, not speed; providertest.BenchPush10k).
func BenchmarkPush10k(b *testing.B) {
	// the fake's own apex TTLs and timers: only the 10,000 RRsets change
	providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.example.net.\n", "change-batches/push",
		func(b *testing.B) (provider.Provider, func() int, func()) {
			s := r53test.New(keyID, secret)
			s.SetLimit(nil)
			s.PendingPolls = 0
			s.AddZone("example.com", false)
			p := newProvider(b, s, keyID, secret)
			return p, func() int { return int(p.Requests()) }, s.Close
		})
}
