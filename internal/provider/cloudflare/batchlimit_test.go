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
	providertest.Refuses(t, p, desired(t, head+many(cloudflare.DefaultBatch+1)), "many.example.com.", dns.TypeA, "200")
	at := desired(t, head+many(cloudflare.DefaultBatch))
	providertest.Push(t, p, at)
	if again := providertest.Plan(t, p, at); !again.Empty() {
		t.Errorf("not converged: %v", again.Changes)
	}
}

// TestHeldOverBatch: a name that holds more records at Cloudflare than
// one batch call takes (made outside dnsparity: the dashboard, another
// tool) is changed in one call all the same (a name's operations are
// never split), which the API refuses past 200 operations on the Free
// plan ("Batch record changes", Availability and limits:
// developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/;
// cftest refuses a larger batch). Replaced by a small set, the name
// needs an operation per held record: plan refuses git's RRset there,
// naming the limit, and sends nothing of it (a swap cut in two would
// leave the name with old and new records together, or with none).
// Deleted whole, the name loses its records in as many calls as they
// take (it is going away: nothing replaces them), and the push
// converges.
func TestHeldOverBatch(t *testing.T) {
	held := cloudflare.DefaultBatch + 50
	seed := func(s *cftest.Server, id, name string) {
		for i := range held {
			s.Seed(id, cftest.Record{Name: name + ".example.com", Type: "A", Content: fmt.Sprintf("10.1.%d.%d", i/256, i%256), TTL: 300})
		}
	}
	head := providertest.Head(zoneFile)
	t.Run("replaced", func(t *testing.T) {
		s := cftest.New(token)
		defer s.Close()
		id := s.AddZone("example.com")
		seed(s, id, "many")
		p := newProvider(t, s, token)
		d := desired(t, head+"many 300 A 192.0.2.1\nother 300 A 192.0.2.2\n")
		cur, err := p.Records(context.Background(), d.Origin)
		if err != nil {
			t.Fatal(err)
		}
		pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
		if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != "many.example.com." || !strings.Contains(pl.Unsupported[0].Reason, "200") {
			_, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
			t.Fatalf("plan refuses %v, want many.example.com. A, naming 200; the push: %v", pl.Unsupported, err)
		}
		for _, c := range pl.Changes {
			if c.Name == "many.example.com." {
				t.Errorf("the plan still sends %s", c)
			}
		}
		if _, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil); err != nil {
			t.Fatalf("the rest of the plan: %v", err)
		}
		n := 0
		for _, r := range s.Records(id) {
			if r.Name == "many.example.com" {
				n++
			}
		}
		if n != held {
			t.Errorf("many.example.com holds %d records, want the %d it held", n, held)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		s := cftest.New(token)
		defer s.Close()
		id := s.AddZone("example.com")
		seed(s, id, "many")
		p := newProvider(t, s, token)
		d := desired(t, head+"other 300 A 192.0.2.2\n")
		providertest.Push(t, p, d)
		for _, b := range s.Batches {
			if n := len(b.Deletes) + len(b.Patches) + len(b.Posts) + len(b.Puts); n > cloudflare.DefaultBatch {
				t.Errorf("a batch of %d operations", n)
			}
		}
		if again := providertest.Plan(t, p, d); !again.Empty() {
			t.Errorf("not converged: %v", again.Changes)
		}
	})
}

// TestHeldOverBatchCountsChangesOnly: the operations a name's changes
// take are those of the RRsets that change there (apply packs the plan's
// changes, nothing of an RRset the plan leaves alone). A name holding
// 150 A and 100 AAAA records, as git has them (each under the batch
// limit of 200), takes one operation to gain a TXT record: plan passes
// it and the push converges in calls of at most 200. Counted with the
// types the plan leaves alone (251 operations), plan refused it, and
// every later change at that name, for good: git's zone could never be
// pushed again there. Both sets replaced at once (250 operations in one
// call) is still refused.
func TestHeldOverBatchCountsChangesOnly(t *testing.T) {
	records := func(prefix string, a, aaaa int) string {
		var b strings.Builder
		for i := range a {
			fmt.Fprintf(&b, "big 300 A %s.%d.%d\n", prefix, i/250, i%250+1)
		}
		for i := range aaaa {
			fmt.Fprintf(&b, "big 300 AAAA 2001:db8:%s::%x\n", strings.ReplaceAll(prefix, ".", ""), i+1)
		}
		return b.String()
	}
	head := providertest.Head(zoneFile)
	kept := records("10.9", 150, 100)
	setup := func(t *testing.T) (*cftest.Server, *cloudflare.Provider) {
		s := cftest.New(token)
		t.Cleanup(s.Close)
		s.AddZone("example.com")
		p := newProvider(t, s, token)
		// Pushed one type at a time (each fits a call), as a name grows.
		providertest.Push(t, p, desired(t, head+records("10.9", 150, 0)))
		providertest.Push(t, p, desired(t, head+kept))
		return s, p
	}
	t.Run("one-changes", func(t *testing.T) {
		s, p := setup(t)
		d := desired(t, head+kept+"big 300 TXT \"v=one\"\n")
		cur, err := p.Records(context.Background(), d.Origin)
		if err != nil {
			t.Fatal(err)
		}
		pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
		if len(pl.Unsupported) > 0 {
			t.Fatalf("plan refuses %v: the TXT takes one operation, the A and AAAA at big.example.com. are unchanged", pl.Unsupported)
		}
		s.Batches = nil
		providertest.Push(t, p, d)
		for _, b := range s.Batches {
			if n := len(b.Deletes) + len(b.Patches) + len(b.Posts) + len(b.Puts); n > cloudflare.DefaultBatch {
				t.Errorf("a batch of %d operations", n)
			}
		}
		if again := providertest.Plan(t, p, d); !again.Empty() {
			t.Errorf("not converged: %v", again.Changes)
		}
	})
	t.Run("both-change", func(t *testing.T) {
		_, p := setup(t)
		d := desired(t, head+records("10.8", 150, 100))
		pl := providertest.PlanRefusing(t, p, d)
		for _, u := range pl.Unsupported {
			if u.Set.Name != "big.example.com." || !strings.Contains(u.Reason, "200") {
				t.Errorf("plan refuses %s %s: %s; want big.example.com., naming 200", u.Set.Name, dns.TypeToString[u.Set.Type], u.Reason)
			}
		}
	})
}

// TestDeletesInCallsCut: a name's records going away, more than a batch
// call takes, go in calls of the limit one after the other (deleteParts);
// cut at the second, the change is said as its deletes went: partly
// applied (its first call's deletes done), and, when the cut call's
// answer was lost and it held the rest, perhaps applied too; never
// "nothing of it applied" beside calls that were. Cut at the first,
// with its answer lost, it is partly applied or not at all (never
// whole: its later calls were not sent); refused there, not applied.
func TestDeletesInCallsCut(t *testing.T) {
	for _, tc := range []struct {
		name    string
		records int
		fault   func(s *cftest.Server)
		want    string
		left    int // records of many.example.com left at the fake
	}{
		{"refused", 5, func(s *cftest.Server) { s.AddFault(cftest.Fault{Writes: true, Skip: 2, Times: 1, Status: 400}) },
			"- many.example.com. A partly applied (some of its deletes; re-run to finish)", 3},
		{"lost, the rest in the lost call", 4, func(s *cftest.Server) { s.WriteApplied(2, -1) },
			"- many.example.com. A partly applied (some of its deletes, the rest, in the call whose answer was lost, perhaps applied too; re-run to finish)", 0},
		{"lost, more after it", 5, func(s *cftest.Server) { s.WriteApplied(2, -1) },
			"- many.example.com. A partly applied (some of its deletes; re-run to finish)", 1},
		// Cut at its first call (k 0): its later calls were never sent,
		// so it is not "perhaps applied, all of it or nothing".
		{"lost at its first call", 5, func(s *cftest.Server) { s.WriteApplied(1, -1) },
			"many.example.com. A partly applied or not at all (its first deletes went in the call whose answer was lost, perhaps applied; re-run to finish)", 3},
		{"refused at its first call", 5, func(s *cftest.Server) { s.AddFault(cftest.Fault{Writes: true, Skip: 1, Times: 1, Status: 400}) },
			"not applied: many.example.com. A", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			for i := range tc.records {
				s.Seed(id, cftest.Record{Name: "many.example.com", Type: "A", Content: fmt.Sprintf("10.1.0.%d", i+1), TTL: 300})
			}
			p := newProvider(t, s, token)
			p.SetBatch(2)
			d := desired(t, providertest.Head(zoneFile)+"other 300 A 192.0.2.2\n")
			pl := providertest.Plan(t, p, d)
			tc.fault(s)
			_, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
			n := 0
			for _, r := range s.Records(id) {
				if r.Name == "many.example.com" {
					n++
				}
			}
			if n != tc.left {
				t.Errorf("many.example.com holds %d records, want %d", n, tc.left)
			}
			s.ClearFaults()
			providertest.Push(t, p, d)
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("not converged: %v", pl.Changes)
			}
		})
	}
}
