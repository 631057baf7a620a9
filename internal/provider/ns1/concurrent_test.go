package ns1_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// manyRRsets is a zone of n A RRsets beside the apex.
func manyRRsets(n int) string {
	var b strings.Builder
	b.WriteString("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 3600 NS dns1.p01.nsone.net.\n")
	for i := range n {
		fmt.Fprintf(&b, "h%03d 300 A 192.0.2.%d\n", i, i%250+1)
	}
	return b.String()
}

// TestConcurrentWrites: NS1 lets the tokens it announces be spent "as
// quickly as your automation can send requests" (IBM NS1 Connect, "API
// rate limiting"): a push has several writes under way at once (it sent
// one after the other: 10,000 RRsets were 10,000 round trips), and still
// never more than the limit NS1 announces per period (no 429), however
// small (the fake's 5, or 1, per period here).
func TestConcurrentWrites(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int
	}{
		{"limit far off", 1000},
		{"a small announced limit", 5},
		{"one per period", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ns1test.New(apiKey)
			defer s.Close()
			s.Latency = 5 * time.Millisecond
			s.PeriodUnit = 50 * time.Millisecond
			s.Limit, s.Period = tc.limit, 1
			s.AddZone("example.com")
			p := newProvider(t, s, apiKey)
			d := providertest.Desired(t, "example.com.", manyRRsets(40))
			res := providertest.Push(t, p, d)
			if len(res.Applied) != 40 {
				t.Fatalf("%d applied, want 40", len(res.Applied))
			}
			// Several at once, but never more than the limit a period
			// (each counted until its answer).
			if most := s.MostInFlight(); most < min(2, tc.limit) || most > tc.limit {
				t.Errorf("at most %d requests under way at once, want 2 to %d", most, tc.limit)
			}
			if n := s.Count("429"); n != 0 {
				t.Errorf("%d requests refused for rate: more than the announced %d per period", n, tc.limit)
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("not converged: %v", pl.Changes)
			}
		})
	}
}

// TestConcurrentWritesStopAtAFailure: a write refused while others are
// under way stops the push: no write starts after it, the Result lists
// exactly the records NS1 made, the error names the refused one and,
// once, those not sent (not applied), and a re-run converges.
func TestConcurrentWritesStopAtAFailure(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.Latency = 2 * time.Millisecond
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey)
	d := providertest.Desired(t, "example.com.", manyRRsets(40))
	pl := providertest.Plan(t, p, d)
	s.AddFault(ns1test.Fault{Method: "PUT", Skip: 10, Times: 1, Status: 400})
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err == nil || !strings.Contains(err.Error(), "failed, not applied") || !strings.Contains(err.Error(), "; not applied: ") || strings.Count(err.Error(), "; not applied: ") != 1 {
		t.Fatalf("a refused write among others: %v", err)
	}
	// A change not sent is named once, in Left's words (Settle adds
	// nothing to an error that already holds them).
	if len(res.Left.NotApplied) < 2 || strings.Count(err.Error(), res.Left.NotApplied[1].Name+" ") != 1 {
		t.Errorf("a change not sent is not named once: the Result's left %+v, the error %v", res.Left, err)
	}
	made := 0
	for i := range 40 {
		if s.Record("example.com", fmt.Sprintf("h%03d.example.com", i), "A") != nil {
			made++
		}
	}
	if len(res.Applied) != made {
		t.Errorf("the Result lists %d applied, the fake holds %d", len(res.Applied), made)
	}
	if writes := s.Count("write"); writes >= 40 {
		t.Errorf("%d writes sent: the push did not stop at the failure", writes)
	}
	providertest.Push(t, p, d)
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}
