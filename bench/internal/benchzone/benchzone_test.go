package benchzone

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestZone: the zone has exactly n RRsets, one question for each, and
// every TXT is valid SPF once its strings are joined.
func TestZone(t *testing.T) {
	for _, n := range []int{5, 6, 100, 1001} {
		text, qs := Zone("bench.test.", n)
		sets := map[string]bool{}
		zp := dns.NewZoneParser(strings.NewReader(text), "", "")
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			sets[rr.Header().Name+" "+dns.TypeToString[rr.Header().Rrtype]] = true
			if txt, isTXT := rr.(*dns.TXT); isTXT {
				if j := strings.Join(txt.Txt, ""); !strings.HasPrefix(j, "v=spf1 -all id=") {
					t.Fatalf("TXT %q joins to invalid SPF", j)
				}
			}
		}
		if err := zp.Err(); err != nil {
			t.Fatal(err)
		}
		// Body may overshoot by one (an A+AAAA or TXT+MX pair).
		if len(sets) < n || len(sets) > n+1 || len(qs) != len(sets) {
			t.Errorf("n=%d: %d RRsets, %d questions", n, len(sets), len(qs))
		}
		for _, q := range qs {
			if !sets[q] {
				t.Errorf("n=%d: question %q has no RRset", n, q)
			}
		}
	}
}
