package parity

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// BenchmarkIgnored measures the judging of every TXT answer for mail
// records receivers ignore (runner.ignored) on a clean run of a zone of
// 100,000 owners, each with an A and a TXT record (one in 100 an SPF
// record), both sides answering every question as git: its time as a
// ratio of building the run's questions (view.questions), from one run.
// go test -run '^$' -bench BenchmarkIgnored -benchtime 3x ./internal/parity/
func BenchmarkIgnored(b *testing.B) {
	var t strings.Builder
	t.WriteString("$ORIGIN big.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n")
	for i := 0; i < 100000; i++ {
		txt := fmt.Sprintf("id=%d", i)
		if i%100 == 0 {
			txt = "v=spf1 a -all"
		}
		fmt.Fprintf(&t, "h%d IN A 192.0.%d.%d\nh%d IN TXT %q\n", i, (i/256)%256, i%256, i, txt)
	}
	z, err := zone.Parse(strings.NewReader(t.String()), "big.zone", "big.test.", "")
	if err != nil {
		b.Fatal(err)
	}
	r := &runner{z: z, v: newView(z), rep: [2]int{0, 1}}
	sets := mailauth.Find(z) // as mail finds them, once a run
	var qsTime, ignTime time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r.qs = r.v.questions("x")
		qsTime += time.Since(start)
		r.res = [][]*query.Answer{make([]*query.Answer, len(r.qs)), make([]*query.Answer, len(r.qs))}
		for si := range r.res {
			for qi := range r.qs {
				r.res[si][qi] = asGit
			}
		}
		start = time.Now()
		if fs := r.ignored(sets); len(fs) != 0 {
			b.Fatalf("%d findings", len(fs))
		}
		ignTime += time.Since(start)
	}
	b.ReportMetric(float64(ignTime)/float64(qsTime), "ignored/questions")
	b.ReportMetric(float64(ignTime.Milliseconds())/float64(b.N), "ignored-ms/op")
}
