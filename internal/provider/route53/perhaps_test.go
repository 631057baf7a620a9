package route53_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestChangeBatchPerhapsApplied: a change batch whose answer is lost, or
// that Route 53 applied and answered with a 5xx, is tried again by the
// SDK's retryer (aws-sdk-go-v2 aws/retry: connection errors and 5xx are
// retryable for every operation); the retry's DELETE then finds nothing
// ("InvalidChangeBatch ... not found"), the first try's doing. The push
// reports the batch perhaps applied, never "nothing of it applied"; a
// re-run converges.
func TestChangeBatchPerhapsApplied(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault r53test.Fault
	}{
		{"lost", r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: fakeapi.Lost}},
		{"applied then 502", r53test.Fault{Method: "POST", Path: "/rrset", Times: 1, Status: 502, Code: "InternalFailure", Applied: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.AddZone("example.com", false)
			s.Seed(id, r53test.RRSet{Name: "old.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.9")})
			p := newProvider(t, s, keyID, secret)
			d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.\na 300 A 192.0.2.1\n")
			pl := providertest.Plan(t, p, d)
			s.AddFault(tc.fault)
			res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
			if err == nil {
				t.Fatal("no error: the retried batch's DELETE found nothing")
			}
			if strings.Contains(err.Error(), "nothing of it applied") || !strings.Contains(err.Error(), "perhaps applied") {
				t.Fatalf("error %v, want the batch reported perhaps applied", err)
			}
			if len(res.Applied) != 0 {
				t.Errorf("reported applied: %v", res.Applied)
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("the fake did not apply the batch: %v", pl.Changes)
			}
		})
	}
}
