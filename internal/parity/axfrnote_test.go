package parity

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// wildNodes is a git zone with a wildcard (A and TXT) and, per side, the
// (owner, A) pairs of n names below it that the side's transfer held
// beside git's records: hN on old for even N, on new for odd N, on both
// for N a multiple of 3.
func wildNodes(tb testing.TB, n int) (*runner, []zone.Key) {
	tb.Helper()
	z, err := zone.Parse(strings.NewReader("$ORIGIN wild.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 1209600 60\n@ NS ns1\nns1 A 192.0.2.1\n* A 192.0.2.80\n* TXT \"wild\"\n"), "wild.zone", "wild.test.", "")
	if err != nil {
		tb.Fatal(err)
	}
	r := &runner{z: z, v: newView(z), axfr: [2]map[zone.Key]bool{{}, {}}}
	var extra []zone.Key
	for i := range n {
		k := zone.Key{Name: fmt.Sprintf("h%d.wild.test.", i), Type: dns.TypeA}
		extra = append(extra, k)
		if i%2 == 0 || i%3 == 0 {
			r.axfr[0][k] = true
		}
		if i%2 == 1 || i%3 == 0 {
			r.axfr[1][k] = true
		}
	}
	return r, extra
}

// TestAXFRNoteCovered: the note of a question coveredQuestions added
// (a name found by AXFR where git's wildcard answers, or one below it)
// names the sides whose transfer holds the node, looked up in what
// coveredQuestions built once, not by walking both transfers for every
// question. On the code before, axfrNote walked each side's whole
// transfer per question (quadratic in a large zone): here, with the
// transfers emptied after the questions are made, it found the node on
// neither side.
func TestAXFRNoteCovered(t *testing.T) {
	r, extra := wildNodes(t, 6)
	qs := r.coveredQuestions(extra, map[zone.Key]bool{})
	if len(qs) != 6*2*2 {
		t.Fatalf("%d questions, want each of 6 names and one below it asked A and TXT", len(qs))
	}
	// The transfers walked no more: a note is a lookup.
	r.axfr = [2]map[zone.Key]bool{}
	want := map[string]string{"h0": "old and new", "h1": "new", "h2": "old", "h3": "old and new", "h4": "old", "h5": "new"}
	for _, q := range qs {
		node := r.covered[q.Name]
		label := strings.TrimSuffix(node, ".wild.test.")
		note := r.axfrNote(q)
		if w := "; " + want[label] + " holds " + node + " (found by AXFR, not in git), where git's wildcard *.wild.test. answers"; !strings.HasPrefix(note, w) {
			t.Errorf("%s %s: note %q, want it to start %q", q.Name, dns.Type(q.Type), note, w)
		}
	}
}

// BenchmarkAXFRNote: the notes of every covered question of a zone of
// 20,000 names found by AXFR under git's wildcard, per question, as a
// ratio of the same on 2,000 names, from one run (1: linear in all;
// about 10: quadratic, as on the code before, which walked both
// transfers per note).
// go test -run '^$' -bench BenchmarkAXFRNote -benchtime 1x ./internal/parity/
func BenchmarkAXFRNote(b *testing.B) {
	perQuestion := func(n int) float64 {
		r, extra := wildNodes(b, n)
		start := time.Now()
		qs := r.coveredQuestions(extra, map[zone.Key]bool{})
		for _, q := range qs {
			_ = r.axfrNote(q)
		}
		return float64(time.Since(start)) / float64(len(qs))
	}
	for i := 0; i < b.N; i++ {
		small, large := perQuestion(2000), perQuestion(20000)
		b.ReportMetric(large/small, "20k/2k-per-question")
	}
}
