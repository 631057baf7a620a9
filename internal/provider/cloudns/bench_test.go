package cloudns_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty ClouDNS zone
// (the cloudnstest fake) and reports the write calls one push takes
// (providertest.BenchPush10k).
func BenchmarkPush10k(b *testing.B) {
	providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n", "write-calls/push",
		func(b *testing.B) (provider.Provider, func() int, func()) {
			s := cloudnstest.New(authID, "", password)
			s.SetLimit(nil)
			s.AddZone("example.com")
			p := newProvider(b, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
			p.SetRateLimit(httpretry.Limits{PerSecond: 1e6, Burst: 1000})
			return p, func() int {
				return s.Count("write") + s.Count("list") + s.Count("get-records-pages-count") + s.Count("get-zone-info")
			}, s.Close
		})
}
