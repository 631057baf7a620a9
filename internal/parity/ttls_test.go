package parity

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ttlsRunner is a run over a generated zone of n RRsets at ttl, asked of
// an old and a new server that both answered every question as git
// would (stored as asGit), but the new server's answer to one A question
// at high.
func ttlsRunner(tb testing.TB, n int, ttl, high uint32) *runner {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN ttls.test.\n$TTL %d\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n", ttl)
	for i := 0; i < n/2; i++ {
		fmt.Fprintf(&b, "h%d A 192.0.%d.%d\nh%d TXT \"id=%d\"\n", i, (i/256)%256, i%256, i, i)
	}
	z, err := zone.Parse(strings.NewReader(b.String()), "ttls.test.zone", "ttls.test.", "")
	if err != nil {
		tb.Fatal(err)
	}
	r := &runner{z: z, v: newView(z), nOld: 1,
		servers: []*query.Server{{Label: "old", Addr: "192.0.2.1:53"}, {Label: "new", Addr: "192.0.2.2:53"}}}
	r.qs = r.v.questions("dnsparity-0000000000")
	r.res = make([][]*query.Answer, 2)
	for si := range r.res {
		r.res[si] = make([]*query.Answer, len(r.qs))
		for qi := range r.qs {
			r.res[si][qi] = asGit
		}
	}
	for qi, q := range r.qs {
		if q.Name == "h7.ttls.test." && q.Probe == probeRRset && q.Type == 1 {
			a, _ := r.v.lookup(q.Name, q.Type)
			a.Answer[0].TTL = high
			r.res[1][qi] = a
		}
	}
	return r
}

// TestTTLsAboveAsGit: answers stored as git's count with git's TTLs, and
// only when git has one above the bound.
func TestTTLsAboveAsGit(t *testing.T) {
	for _, c := range []struct {
		name           string
		ttl, above     uint32
		rrsets, served int
		first          string
		oldMax, newMax uint32
		worst          int
	}{
		{"git under the bound", 300, 300, 1, 1, "h7.ttls.test. A 3600 192.0.2.2:53 new", 0, 3600, 1},
		{"git above the bound", 600, 300, 0, 0, "h7.ttls.test. A 3600 192.0.2.2:53 new", 600, 3600, MaxTTLsAbove},
	} {
		r := ttlsRunner(t, 1000, c.ttl, 3600)
		got := r.ttlsAbove(c.above)
		w := got.Worst[0]
		if first := fmt.Sprintf("%s A %d %s %s", w.Name, w.TTL, w.Server, w.Side); first != c.first || len(got.Worst) != c.worst ||
			got.Max["old"] != c.oldMax || got.Max["new"] != c.newMax {
			t.Errorf("%s: first %s, %d listed, max %v", c.name, first, len(got.Worst), got.Max)
		}
		if c.ttl <= c.above && (got.RRsets != c.rrsets || got.Served != c.served) {
			t.Errorf("%s: %d RRsets, %d served", c.name, got.RRsets, got.Served)
		}
		if c.ttl > c.above && (got.RRsets < 1000 || got.Served != 2*got.RRsets) {
			t.Errorf("%s: %d RRsets, %d served: every RRset on both servers", c.name, got.RRsets, got.Served)
		}
	}
}

// BenchmarkTTLsAbove: reading a 100,000-RRset run's answers for the
// RRsets served above the cap, git pre-staged (answers stored as git's
// are skipped) and not (git's answer looked up once per question).
func BenchmarkTTLsAbove(b *testing.B) {
	for _, c := range []struct {
		name string
		ttl  uint32
	}{{"prestaged", 300}, {"git-above", 3600}} {
		r := ttlsRunner(b, 100000, c.ttl, 7200)
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r.ttlsAbove(300)
			}
			b.ReportMetric(float64(len(r.qs)), "questions")
		})
	}
}
