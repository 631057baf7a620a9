package dnsmadeeasy_test

import (
	"fmt"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestPageSizes: SetPageSize takes a positive number of rows and refuses
// any other, the page size unchanged (it ignored 0 and below silently).
func TestPageSizes(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	for i := range 7 {
		s.Seed(id, dmetest.Record{Name: fmt.Sprintf("h%d", i), Type: "A", Value: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
	}
	providertest.PageSizes(t, func(t *testing.T) provider.Provider { return newProvider(t, s, apiKey, secretKey) },
		func(p provider.Provider, n int) error { return p.(*dnsmadeeasy.Provider).SetPageSize(n) },
		func() int { return s.Count("list") },
		"example.com.", 7, 2, []int{1, 2, 7, 1000}, []int{0, -1})
}
