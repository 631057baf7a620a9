package cloudflare_test

import (
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestPageSizes: SetPageSize takes the per_page List DNS Records takes (1
// to 5,000,000) and refuses any other, the page size unchanged (cftest
// refuses those per_page as the API does: every listing would fail).
func TestPageSizes(t *testing.T) {
	s := cftest.New(token)
	t.Cleanup(s.Close)
	id := s.AddZone("example.com")
	for i := range 7 {
		s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%d.example.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
	}
	providertest.PageSizes(t, func(t *testing.T) provider.Provider { return newProvider(t, s, token) },
		func(p provider.Provider, n int) error { return p.(*cloudflare.Provider).SetPageSize(n) },
		func() int { return s.Count("GET records") },
		"example.com.", 7, 2, []int{1, 2, 7, 5_000_000}, []int{0, -1, 5_000_001})
}
