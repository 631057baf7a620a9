package cloudflare_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestMixedTTLAtProvider: Cloudflare keeps a TTL per record. An RRset
// whose records were given different TTLs by hand (the dashboard edits
// one record) is listed as one RRset whose TTL is its first record's; the
// plan compared that TTL only, so whether git's 300 "matched" depended on
// the listing order, and a record served at 86400 stayed. A listed set
// with mixed TTLs now differs: the plan replaces it (TTL only) and a
// second plan after the apply is empty. Both listing orders.
func TestMixedTTLAtProvider(t *testing.T) {
	for _, tc := range []struct {
		name  string
		seed  []cftest.Record // in the order the API lists them
		first uint32          // the listed set's TTL (its first record's)
	}{
		{"first listed at git's TTL", []cftest.Record{
			{Name: "mixed.example.com", Type: "A", Content: "192.0.2.71", TTL: 300},
			{Name: "mixed.example.com", Type: "A", Content: "192.0.2.72", TTL: 86400},
		}, 300},
		{"first listed at another TTL", []cftest.Record{
			{Name: "mixed.example.com", Type: "A", Content: "192.0.2.72", TTL: 86400},
			{Name: "mixed.example.com", Type: "A", Content: "192.0.2.71", TTL: 300},
		}, 86400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			p := newProvider(t, s, token)
			d := desired(t, zoneFile+"mixed 300 A 192.0.2.71\nmixed 300 A 192.0.2.72\n")
			providertest.Push(t, p, desired(t, zoneFile))
			// By hand, in the dashboard: one record with a TTL of a day.
			for _, r := range tc.seed {
				s.Seed(id, r)
			}
			cur, err := p.Records(context.Background(), "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			got := cur.Get("mixed.example.com.", dns.TypeA)
			if got == nil || !got.MixedTTL() || got.TTL != tc.first {
				var ttls []uint32
				for _, r := range got.Records {
					ttls = append(ttls, r.TTL)
				}
				t.Fatalf("listed TTLs %v (mixed %v): want mixed TTLs, first %d", ttls, got.MixedTTL(), tc.first)
			}
			pl := providertest.Plan(t, p, d)
			if len(pl.Changes) != 1 || !plan.TTLOnly(pl.Changes[0]) {
				t.Fatalf("plan %v: want one TTL-only replace of mixed.example.com. A", pl.Changes)
			}
			providertest.Push(t, p, d)
			if pl2 := providertest.Plan(t, p, d); len(pl2.Changes) > 0 {
				t.Errorf("second plan after apply is not empty: %v", pl2.Changes)
			}
			cur, err = p.Records(context.Background(), "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range cur.Get("mixed.example.com.", dns.TypeA).Records {
				if r.TTL != 300 {
					t.Errorf("after apply a record has TTL %d, want 300", r.TTL)
				}
			}
		})
	}
}

// TestTTLByZonePlan: a record's TTL "must be between 60 and 86400, with
// the minimum reduced to 30 for Enterprise zones" (API reference, "DNS
// Records", ttl; cloudflare-go v6.10.0 dns/record.go). An Enterprise
// zone takes 30 to 59, which plan refused as below 60; any other plan
// refuses them at plan time, naming the zone and the rule, and nothing
// is sent. Below 30 every zone refuses.
func TestTTLByZonePlan(t *testing.T) {
	for _, tc := range []struct {
		plan  string
		ttl   uint32
		takes bool
		why   string // part of the refusal
	}{
		{"enterprise", 30, true, ""},
		{"enterprise", 59, true, ""},
		{"enterprise", 29, false, "below the provider's minimum of 30"},
		{"enterprise", 60, true, ""},
		{"free", 59, false, "minimum of 60 in zone example.com."},
		{"free", 30, false, "30 to 59 in an Enterprise zone only"},
		{"business", 45, false, "zone example.com.'s plan is business"},
		{"free", 60, true, ""},
		{"free", 29, false, "below the provider's minimum of 30"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.plan, tc.ttl), func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			s.SetPlan(id, tc.plan)
			p := newProvider(t, s, token)
			ctx := context.Background()
			// The zone first: what is planned next is the short record
			// alone (Refuses: nothing of its type sent).
			providertest.Push(t, p, desired(t, zoneFile))
			d := desired(t, zoneFile+fmt.Sprintf("short %d A 192.0.2.40\n", tc.ttl))
			var pl *plan.Plan
			if tc.takes {
				if pl = providertest.PlanOf(t, p, d); len(pl.Unsupported) != 0 {
					t.Fatalf("refused at plan time: %v", pl.Unsupported)
				}
			} else {
				pl = providertest.Refuses(t, p, d, "short.example.com.", dns.TypeA, tc.why)
			}
			if _, err := p.Apply(ctx, "example.com.", pl.Changes, nil); err != nil {
				t.Fatalf("apply: %v", err)
			}
			got, err := p.Records(ctx, "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			set := got.Get("short.example.com.", dns.TypeA)
			switch {
			case tc.takes && (set == nil || set.TTL != tc.ttl):
				t.Errorf("read back %v, want TTL %d", set, tc.ttl)
			case !tc.takes && set != nil:
				t.Errorf("refused but at the provider: %v", set)
			}
		})
	}
}
