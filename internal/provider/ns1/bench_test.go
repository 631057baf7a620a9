package ns1_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty NS1 zone (the
// ns1test fake) and reports the write calls one push takes
// (providertest.BenchPush10k): with the fake answering at once, and with
// each request taking 2 ms on its way (a round trip to NS1 takes tens of
// milliseconds), where writes sent one after the other add up.
func BenchmarkPush10k(b *testing.B) {
	for _, latency := range []time.Duration{0, 2 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%s", latency), func(b *testing.B) {
			providertest.BenchPush10k(b, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n", "write-calls/push",
				func(b *testing.B) (provider.Provider, func() int, func()) {
					s := ns1test.New(apiKey)
					s.PageSize = 2500
					s.Latency = latency
					// Counts, not the pacing: more than a push sends in a
					// period. Not far more: the limiter keeps one slot per
					// request the limit announces and looks through them all
					// for each request (httpretry's window), so 1<<20 made a
					// write take about 33 ms of CPU and the push no end in sight.
					s.Limit = 2 * providertest.Bench10k
					s.AddZone("example.com")
					p := newProvider(b, s, apiKey)
					b.Cleanup(func() { b.ReportMetric(float64(s.MostInFlight()), "most-in-flight") })
					return p, func() int { return s.Count("write") + s.Count("list") }, s.Close
				})
		})
	}
}
