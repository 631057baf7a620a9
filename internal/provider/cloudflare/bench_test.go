package cloudflare_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty Cloudflare
// zone (the cftest fake) and reports the batch calls and all HTTP
// requests one push takes.
func BenchmarkPush10k(b *testing.B) {
	var zb strings.Builder
	zb.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\n")
	for i := range 10000 {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	d := desired(b, zb.String())
	for b.Loop() {
		b.StopTimer()
		s := cftest.New(token)
		s.AddZone("example.com")
		p := newProvider(b, s, token)
		b.StartTimer()
		cur, err := p.Records(context.Background(), d.Origin)
		if err != nil {
			b.Fatal(err)
		}
		pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
		res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
		if err != nil || len(res.Applied) != 10000 {
			b.Fatalf("%d applied: %v", len(res.Applied), err)
		}
		b.ReportMetric(float64(res.Requests), "batch-calls/push")
		b.ReportMetric(float64(p.Requests()), "http-requests/push")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
