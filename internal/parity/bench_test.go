package parity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// benchZone is a generated zone of about n RRsets.
func benchZone(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n", origin)
	for i := 0; i < n/2; i++ {
		fmt.Fprintf(&b, "h%d IN A 192.0.%d.%d\nh%d IN TXT \"id=%d\"\n", i, (i/256)%256, i%256, i, i)
	}
	return b.String()
}

// BenchmarkParity measures a run over a 20,000-RRset zone served by Knot
// (old) and PowerDNS (new); it reports queries per second.
func BenchmarkParity(b *testing.B) {
	lab.Require(b, "knotd", "pdns_server")
	text := benchZone(20000)
	z := loadTextTB(b, text)
	lz := []lab.Zone{{Origin: origin, Text: text}}
	old := lab.Knot(b, lab.Options{Zones: lz})
	new := lab.PDNS(b, lab.Options{Zones: lz})
	b.ResetTimer()
	var q int
	var secs float64
	for i := 0; i < b.N; i++ {
		rep, err := parity.Run(context.Background(), z, []parity.Target{{Addr: old.Addr}}, []parity.Target{{Addr: new.Addr}}, parity.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		if !rep.OK() {
			b.Fatalf("%d errors", rep.Count(parity.SevError))
		}
		q += rep.Queries
		secs += rep.Seconds
	}
	b.ReportMetric(float64(q)/secs, "queries/s")
}
