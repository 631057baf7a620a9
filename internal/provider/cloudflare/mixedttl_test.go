package cloudflare_test

import (
	"context"
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
