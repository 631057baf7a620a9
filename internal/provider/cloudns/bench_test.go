package cloudns_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty ClouDNS zone
// (the cloudnstest fake) and reports the write calls one push takes.
func BenchmarkPush10k(b *testing.B) {
	var zb strings.Builder
	zb.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS pns41.cloudns.net.\n")
	for i := range 10000 {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	for b.Loop() {
		b.StopTimer()
		s := cloudnstest.New(authID, "", password)
		s.SetLimit(nil)
		s.AddZone("example.com")
		p := newProvider(b, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
		p.SetRateLimit(httpretry.Limits{PerSecond: 1e6, Burst: 1000})
		d := providertest.Desired(b, "example.com.", zb.String())
		b.StartTimer()
		res := providertest.Push(b, p, d)
		b.ReportMetric(float64(res.Requests), "write-calls/push")
		b.ReportMetric(float64(s.Count("write")+s.Count("list")+s.Count("get-records-pages-count")+s.Count("get-zone-info")), "http-requests/push")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
