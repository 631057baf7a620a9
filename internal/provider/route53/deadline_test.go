package route53_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/providertest"
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

// TestPendingPastDeadline: every change batch accepted, the last still
// PENDING when the push's deadline (300 ms) comes, long before the
// provider's own wait for INSYNC (10 minutes) would end: the error says
// the changes were accepted and applied (the Result lists them all), and
// names what ended the wait and how long it waited, never "after 10m0s"
// it did not wait.
func TestPendingPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	s.PendingPolls = 1 << 30
	p := newProvider(t, s, keyID, secret)
	p.SetSyncPoll(20*time.Millisecond, 10*time.Minute)
	d := desired(t, zoneFile)
	pl := providertest.Plan(t, p, d)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := p.Apply(ctx, d.Origin, pl.Changes, nil)
	if err == nil {
		t.Fatal("no error while the change is PENDING past the deadline")
	}
	t.Logf("the push says: %v", err)
	if len(res.Applied) != len(pl.Changes) {
		t.Errorf("%d of %d changes reported applied, want all (Route 53 accepted every batch)", len(res.Applied), len(pl.Changes))
	}
	for _, want := range []string{"all " + fmt.Sprint(len(pl.Changes)) + " changes accepted", "still PENDING", "the push's deadline"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "10m0s") {
		t.Errorf("error %q names a wait that did not happen", err)
	}
}

// TestPriorRequestNotComplete: two pushes change one hosted zone at once;
// Route 53 refuses a change batch that arrives while another of the zone
// is processed (PriorRequestNotComplete, r53test.ChangeTime), which the
// retryer tries again: both pushes land. Another zone is not held up.
func TestPriorRequestNotComplete(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.ChangeTime = 100 * time.Millisecond
	pol := httpretry.Policy{Attempts: 6, Base: 50 * time.Millisecond, Max: time.Second}
	newP := func() *route53.Provider {
		p, err := route53.NewWithRetry(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL,
			AWS: config.AWS{AccessKeyID: config.Secret(keyID), SecretAccessKey: config.Secret(secret)}}}, pol)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRateLimit(400, 4)
		p.SetSyncPoll(time.Millisecond, 5*time.Second)
		return p
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		p := newP()
		name := fmt.Sprintf("only%d.example.com.", i)
		d := desired(t, zoneFile+fmt.Sprintf("only%d 300 A 192.0.2.%d\n", i, 100+i))
		cs := []provider.Change{{Action: provider.Create, Name: name, Type: dns.TypeA, New: d.Get(name, dns.TypeA)}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.Apply(context.Background(), "example.com.", cs, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("push %d: %v", i, err)
		}
	}
	if n := s.Count("PriorRequestNotComplete"); n == 0 {
		t.Error("no change batch was refused while the other was processed: the fake does not hold them to one at a time")
	}
	held := 0
	for _, rs := range s.Sets(id) {
		if strings.HasPrefix(rs.Name, "only") {
			held++
		}
	}
	if held != 2 {
		t.Errorf("%d of the 2 pushed record sets held", held)
	}
}

// TestPriorWhilePending: where Route 53 refuses a change batch while the
// zone's last change is still PENDING (r53test.PriorWhilePending, the
// strictest reading of PriorRequestNotComplete), a push of several
// batches waits for its own last batch to be INSYNC when the next is
// refused, then sends that one again: every batch lands, and no batch is
// tried again before the one before it is INSYNC.
func TestPriorWhilePending(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	s.PriorWhilePending = true
	s.PendingPolls = 3
	p := newProvider(t, s, keyID, secret)
	p.SetLimits(12, 0) // several batches
	d := desired(t, zoneFile)
	pl := providertest.Plan(t, p, d)
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Errorf("%d of %d changes applied", len(res.Applied), len(pl.Changes))
	}
	batches := len(s.Batches)
	if batches < 3 {
		t.Fatalf("%d change batches: the test needs several", batches)
	}
	// One refusal at most per batch after the first: the provider waits
	// for INSYNC on the first, not by retrying blind.
	if n := s.Count("PriorRequestNotComplete"); n > batches-1 {
		t.Errorf("%d refusals for %d batches: batches were tried again while the one before was PENDING", n, batches)
	}
	if again := providertest.Plan(t, p, d); !again.Empty() {
		t.Errorf("not converged: %v", again.Changes)
	}
}

// TestPriorWhilePendingPastDeadline: the batch before is still PENDING
// when the push's deadline comes: the refused batch is reported not
// applied, the ones before applied, and the error says what it waited
// for.
func TestPriorWhilePendingPastDeadline(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com", false)
	s.PriorWhilePending = true
	s.PendingPolls = 1 << 30
	p := newProvider(t, s, keyID, secret)
	p.SetLimits(12, 0)
	p.SetSyncPoll(20*time.Millisecond, 10*time.Minute)
	d := desired(t, zoneFile)
	pl := providertest.Plan(t, p, d)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := p.Apply(ctx, d.Origin, pl.Changes, nil)
	t.Logf("the push says: %v", err)
	for _, want := range []string{"change batch 2 of", "nothing of it applied", "PriorRequestNotComplete", "still PENDING", "the push's deadline came first"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	if len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
		t.Errorf("%d of %d changes reported applied, want the first batch's", len(res.Applied), len(pl.Changes))
	}
}
