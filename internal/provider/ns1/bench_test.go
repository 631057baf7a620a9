package ns1_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// zone10k is a zone of 10,000 A RRsets.
func zone10k() string {
	var zb strings.Builder
	zb.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n")
	for i := range 10000 {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	return zb.String()
}

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty NS1 zone (the
// ns1test fake) and reports the write calls one push takes.
func BenchmarkPush10k(b *testing.B) {
	text := zone10k()
	for b.Loop() {
		b.StopTimer()
		s := ns1test.New(apiKey)
		s.PageSize = 2500
		s.Limit = 1 << 20 // counts, not the pacing
		s.AddZone("example.com")
		p := newProvider(b, s, apiKey)
		d := providertest.Desired(b, "example.com.", text)
		b.StartTimer()
		res := providertest.Push(b, p, d)
		b.ReportMetric(float64(res.Requests), "write-calls/push")
		b.ReportMetric(float64(s.Count("write")+s.Count("list")), "http-requests/push")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
