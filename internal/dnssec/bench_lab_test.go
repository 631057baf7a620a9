package dnssec_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// BenchmarkGate: one gate run against two multi-signer servers (Knot and
// BIND, both DS, the 10 samples): 2 × 12 queries and their signature
// checks. go test -run '^$' -bench Gate -benchtime 20x ./internal/dnssec/
func BenchmarkGate(b *testing.B) {
	sa, sb := newSigner(b, origin), newSigner(b, origin)
	knot := serve(b, "knot", sa.sign(b, zoneText, signOpts{extraKeys: sb.keys(b)}))
	bind := serve(b, "bind", sb.sign(b, zoneText, signOpts{nsec3: true, extraKeys: sa.keys(b)}))
	in := dnssec.Input{Zone: origin, DS: []string{sa.ds(b, "2"), sb.ds(b, "2")}, DSTTL: 3600,
		Servers: []string{knot, bind}, Sample: samples, Timeout: 2 * time.Second, Now: time.Now()}
	b.ResetTimer()
	for b.Loop() {
		res, err := dnssec.Gate(context.Background(), in)
		if err != nil || !res.OK {
			b.Fatalf("%v %s", err, res.Detail)
		}
	}
}
