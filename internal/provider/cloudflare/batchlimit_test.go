package cloudflare_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRRsetOverBatchRefusedByPlan: an RRset's records are created in one
// batch call (the operations at one owner name are never split, so that a
// name is swapped in one transaction), and one call takes at most 200
// operations on the Free plan ("Batch record changes", Availability and
// limits: developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/;
// cftest refuses a larger batch). An RRset of 201 records passed plan and
// failed at push, after the calls before it were applied: plan refuses
// it, naming the limit, and sends nothing of it; one of 200 is pushed and
// reads back with nothing left to do.
func TestRRsetOverBatchRefusedByPlan(t *testing.T) {
	many := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "many 300 A 10.0.%d.%d\n", i/256, i%256)
		}
		return b.String()
	}
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	p := newProvider(t, s, token)
	head := providertest.Head(zoneFile)
	over := desired(t, head+many(cloudflare.DefaultBatch+1))
	cur, err := p.Records(context.Background(), over.Origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(over, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) == 0 {
		_, err := p.Apply(context.Background(), over.Origin, pl.Changes, nil)
		t.Fatalf("plan refuses nothing; the push: %v", err)
	}
	if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != "many.example.com." || !strings.Contains(pl.Unsupported[0].Reason, "200") {
		t.Fatalf("plan refuses %v, want many.example.com. A, naming 200", pl.Unsupported)
	}
	for _, c := range pl.Changes {
		if c.Type == dns.TypeA {
			t.Errorf("the plan still sends %s", c)
		}
	}
	at := desired(t, head+many(cloudflare.DefaultBatch))
	providertest.Push(t, p, at)
	if again := providertest.Plan(t, p, at); !again.Empty() {
		t.Errorf("not converged: %v", again.Changes)
	}
}
