package ns1_test

import (
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestPageSizes: SetPageSize takes 0 (no limit=, NS1's own pages) and a
// positive limit=, and refuses a negative one, the page size unchanged
// (it took any negative size for 0).
func TestPageSizes(t *testing.T) {
	s := ns1test.New(apiKey)
	t.Cleanup(s.Close)
	s.PageSize = 5
	s.AddZone("example.com")
	for i := range 7 {
		s.Seed(ns1test.Record{Zone: "example.com", Domain: fmt.Sprintf("h%d.example.com", i), Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{fmt.Sprintf("192.0.2.%d", i)}}}})
	}
	providertest.PageSizes(t, func(t *testing.T) provider.Provider { return newProvider(t, s, apiKey) },
		func(p provider.Provider, n int) error { return p.(*ns1.Provider).SetPageSize(n) },
		func() int { return s.Count("list") },
		"example.com.", 9, 2, []int{0, 1, 2, 7}, []int{-1, -100}) // the apex SOA and NS, 7 A
}
