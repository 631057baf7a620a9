package dnsmadeeasy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty DNS Made Easy
// domain (the dmetest fake) and reports the write calls one push takes.
func BenchmarkPush10k(b *testing.B) {
	var zb strings.Builder
	zb.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\n")
	for i := range 10000 {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	for b.Loop() {
		b.StopTimer()
		s := dmetest.New(apiKey, secretKey)
		s.Limit = 1 << 20
		s.AddZone("example.com")
		p := newProvider(b, s, apiKey, secretKey)
		d := providertest.Desired(b, "example.com.", zb.String())
		b.StartTimer()
		res := providertest.Push(b, p, d)
		b.ReportMetric(float64(res.Requests), "write-calls/push")
		b.ReportMetric(float64(s.Count("write")+s.Count("list")), "http-requests/push")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
