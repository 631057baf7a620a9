package cloudns_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
)

// TestEmptyLastPage: get-records-pages-count says 2 pages of 10 rows (11
// records), and the second comes back empty (its one record lost): the
// listing is an error, never the 10 records of the first page. Only the
// count of pages tells that the last page should hold a row.
func TestEmptyLastPage(t *testing.T) {
	s := newServer(t, authID, "")
	s.AddZone("example.com") // and its two NS records
	for i := range 9 {
		s.Seed("example.com", cloudnstest.Record{Type: "A", Host: fmt.Sprintf("h%d", i), Record: fmt.Sprintf("192.0.2.%d", i), TTL: "300"})
	}
	p := newProvider(t, s, config.Provider{Settings: &cloudns.Settings{APISettings: provider.APISettings{APIKey: password}, AuthID: authID}})
	p.SetPageSize(10)
	s.AddFault(cloudnstest.Fault{Path: "records.json", Skip: 1, Times: 1, Status: cloudnstest.Short})
	_, err := p.Records(context.Background(), "example.com.")
	if want := "cloudns: zone example.com.: list records: page 2 of 2 holds 0 of 10 records a page: the listing is incomplete"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("an empty last page: %v, want %q", err, want)
	}
	if z, err := p.Records(context.Background(), "example.com."); err != nil || z.Len() != 10 { // 9 A RRsets and the NS RRset
		t.Errorf("the next listing, whole again: %v", err)
	}
}
