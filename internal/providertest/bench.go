package providertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// Bench10k is the number of A RRsets BenchPush10k pushes.
const Bench10k = 10000

// Zone10k is head (the $ORIGIN example.com. line and the apex SOA and NS
// lines the provider's fake starts with) followed by Bench10k A RRsets.
func Zone10k(head string) string {
	var zb strings.Builder
	zb.WriteString(head)
	for i := range Bench10k {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	return zb.String()
}

// BenchPush10k pushes Zone10k(head) into an empty zone example.com. of
// a fresh fake each round (start, not timed, makes the provider against
// it and gives the HTTP requests the push sent so far, and the fake's
// Close) and reports the provider's requests (unit, such as
// "batch-calls/push") and all HTTP requests one push takes. Every
// RRset is applied and the push reports its progress (Push).
func BenchPush10k(b *testing.B, head, unit string, start func(b *testing.B) (p provider.Provider, requests func() int, stop func())) {
	d := Desired(b, "example.com.", Zone10k(head))
	for b.Loop() {
		b.StopTimer()
		p, requests, stop := start(b)
		b.StartTimer()
		res := Push(b, p, d)
		if len(res.Applied) != Bench10k {
			b.Fatalf("%d applied, want %d", len(res.Applied), Bench10k)
		}
		b.ReportMetric(float64(res.Requests), unit)
		b.ReportMetric(float64(requests()), "http-requests/push")
		b.StopTimer()
		stop()
		b.StartTimer()
	}
}
