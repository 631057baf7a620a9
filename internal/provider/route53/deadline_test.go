package route53_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
)

// TestBackoffPastDeadline: throttled on every try with no Retry-After,
// the SDK's retries wait the policy's backoff, doubling (300 ms, 600 ms,
// 1.2 s); the wait that would end past the request's deadline (2 s) is
// not started: the request fails at once, naming that wait
// (httpretry.ErrWaitTooLong), before the deadline. Each try's wait is
// its own: a retryer that took every wait for the first (300 ms) would
// sleep into the deadline.
func TestBackoffPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL,
		AWS: config.AWS{AccessKeyID: config.Secret(keyID), SecretAccessKey: config.Secret(secret)}}},
		httpretry.Policy{Attempts: 6, Base: 300 * time.Millisecond, Max: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p.SetRateLimit(400, 1)
	s.AddFault(r53test.Fault{Method: "GET", Path: "/hostedzonesbyname", Times: 100, Status: 400, Code: "Throttling"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = p.Records(ctx, "example.com.")
	if !errors.Is(err, httpretry.ErrWaitTooLong) || !strings.Contains(err.Error(), "1.2s before another try") {
		t.Errorf("throttled past the deadline: %v, want %v naming the 1.2s wait", err, httpretry.ErrWaitTooLong)
	}
	if ctx.Err() != nil {
		t.Error("the request ended with its deadline, not before the wait past it")
	}
	if n := s.Count("ListHostedZonesByName"); n != 3 {
		t.Errorf("%d tries, want 3 (the waits of 300 ms and 600 ms fit)", n)
	}
}
