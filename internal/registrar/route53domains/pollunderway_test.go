package route53domains_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// TestWaitReadsThePollUnderWay: the wait for an operation ends at its
// bound, but a GetOperationDetail already sent is read to its answer,
// not abandoned. An abandoned poll still reaches the API, which answers
// it after SetDelegation returned: the operation moves (here: is polled;
// at Route 53 Domains, may be seen complete, and the fake then applies
// and publishes it) behind the caller's back. That was the flake of
// cutover's TestFlipRefusedWhileForeignRegistrarOperationPendingLab
// under load: the poll its set-up's SetDelegation abandoned at the bound
// was served after the test let the operation complete at its "next
// poll", so the operation the flip was to be refused for had completed
// (and its key was published at the parent) before the flip looked.
// Here each answer takes 200 ms and the bound is 300 ms: on the code
// before, the second poll was abandoned at 300 ms and served at 400 ms,
// after SetDelegation returned (GetOperationDetail counted once more
// afterwards). Now no request of the wait is left under way when it
// returns.
func TestWaitReadsThePollUnderWay(t *testing.T) {
	s := r53dtest.New(keyID, secret)
	defer s.Close()
	s.PendingPolls = 1 << 30
	s.Latency = 200 * time.Millisecond
	s.AddDomain("example.com", "ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk")
	reg := newRegistrar(t, s, secret)
	reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 300*time.Millisecond)
	err := reg.SetDelegation(context.Background(), "example.com.", registrar.Delegation{NS: []string{"ns1.example.net.", "ns2.example.net."}})
	if err == nil {
		t.Fatal("the operation completed; want it pending past the bound")
	}
	polled := s.Count("GetOperationDetail")
	time.Sleep(500 * time.Millisecond) // longer than an answer takes
	if again := s.Count("GetOperationDetail"); again != polled {
		t.Errorf("GetOperationDetail served %d times when SetDelegation returned, %d after: a poll was left under way", polled, again)
	}
}
