package cloudflare_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestBatchPerhapsApplied: a batch whose answer is lost, or that the API
// applied and answered with a 5xx (then tried again and refused: its
// records are there now), is reported as perhaps applied, never as
// "nothing of it applied": a batch is one transaction, all of it may be
// in the zone. The lost one is not sent again; a re-run converges.
func TestBatchPerhapsApplied(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault cftest.Fault
		sent  int
	}{
		{"lost", cftest.Fault{Method: "POST", Path: "/zones/{zone_id}/dns_records/batch", Times: 1, Status: fakeapi.Lost}, 1},
		{"applied then 502", cftest.Fault{Method: "POST", Path: "/zones/{zone_id}/dns_records/batch", Times: 1, Status: 502, Applied: true}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			s.Seed(id, cftest.Record{Name: "old.example.com", Type: "A", Content: "192.0.2.9", TTL: 300})
			p := newProvider(t, s, token)
			d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\na 300 A 192.0.2.1\nb 300 TXT \"b\"\n")
			pl := providertest.Plan(t, p, d)
			s.AddFault(tc.fault)
			res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
			if err == nil || strings.Contains(err.Error(), "nothing of it applied") || !strings.Contains(err.Error(), "perhaps applied") {
				t.Fatalf("error %v, want the batch reported perhaps applied", err)
			}
			if len(res.Applied) != 0 {
				t.Errorf("reported applied: %v", res.Applied)
			}
			if n := s.Count("POST batch"); n != tc.sent {
				t.Errorf("the batch was sent %d times, want %d", n, tc.sent)
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("the fake did not apply the batch: %v", pl.Changes)
			}
			providertest.Push(t, p, d)
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("not converged: %v", pl.Changes)
			}
		})
	}
}
