package dnsmadeeasy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestShiftedPage: GET /dns/managed/{id}/records pages by number (page,
// rows; the answer's page, totalPages, totalRecords: API V2.0
// documentation), page n being rows n×rows on of the domain as it is when
// page n is asked. A record of the first page deleted after it was read,
// and another added, move the first record of the second page onto the
// first, where it is never read; totalRecords stays whole and no record
// comes twice. The listing must be an error or the domain as it now is,
// never one without that record.
func TestShiftedPage(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com")
	var first int
	for i := range 23 {
		rid := s.Seed(id, dmetest.Record{Name: fmt.Sprintf("h%02d", i), Type: "A", Value: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
		if i == 0 {
			first = rid
		}
	}
	front := httptest.NewServer(fakeapi.Between(s.Config.Handler, func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/records") && r.Method == http.MethodGet && r.URL.Query().Get("page") == "0"
	}, func() { // once: a record of the first page deleted, another added at the end
		s.Delete(id, first)
		s.Seed(id, dmetest.Record{Name: "zz", Type: "A", Value: "192.0.2.200", TTL: 300})
	}))
	defer front.Close()
	p := newProviderAt(t, s, front.URL+"/V2.0", apiKey, secretKey)
	p.SetPageSize(5)
	held := func() []string {
		var names []string
		for _, r := range s.Records(id) {
			names = append(names, r.Name+".example.com.")
		}
		return names
	}
	providertest.ShiftedListing(t, p, "example.com.", held, "h00.example.com.")
}
