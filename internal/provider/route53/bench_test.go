package route53_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// BenchmarkPush10k pushes a 10,000-RRset zone into an empty hosted zone
// (the r53test fake) and reports the change batches and all HTTP
// requests one push takes (the client-side 5/s limit lifted: the figures
// are counts, not speed).
func BenchmarkPush10k(b *testing.B) {
	var zb strings.Builder
	// the fake's own apex TTLs and timers: only the 10,000 RRsets change
	zb.WriteString("$ORIGIN example.com.\n@ 900 SOA ns. h. 1 7200 900 1209600 86400\n@ 172800 NS ns.example.net.\n")
	for i := range 10000 {
		fmt.Fprintf(&zb, "h%05d 300 A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
	}
	d := desired(b, zb.String())
	for b.Loop() {
		b.StopTimer()
		s := r53test.New(keyID, secret)
		s.SetLimit(nil)
		s.PendingPolls = 0
		s.AddZone("example.com", false)
		p := newProvider(b, s, keyID, secret)
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
		b.ReportMetric(float64(res.Requests), "change-batches/push")
		b.ReportMetric(float64(p.Requests()), "http-requests/push")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
