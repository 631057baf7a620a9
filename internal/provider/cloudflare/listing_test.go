package cloudflare_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRepeatedPage: a listing that shifts while its pages are read (a
// row added before page 2 and another removed after it: cftest.Repeat)
// holds a row of page 1 again on page 2 and misses another, its counts
// unchanged, so no count can tell. The zone lookup by name and the
// records listing each refuse it as a row that came twice: a lookup that
// took it would miss a zone of the name (here a second active one, and
// choose the first), a records listing would miss a record.
func TestRepeatedPage(t *testing.T) {
	for _, c := range []struct {
		name string
		// setup fills the fake and returns the error wanted and what a
		// second read, the listing whole again, must say ("": no error).
		setup func(s *cftest.Server, p interface{ SetPageSize(int) error }) (fault cftest.Fault, want, again string)
	}{
		{"zone lookup", func(s *cftest.Server, _ interface{ SetPageSize(int) error }) (cftest.Fault, string, string) {
			// GET /zones?name= reads 50 zones a page: page 2 ends with
			// the 100th, active like the first; shifted, it starts with
			// the 50th and the 100th is on no page, and the first would
			// be taken as the one active zone.
			var ids []string
			for i := range 101 {
				ids = append(ids, s.AddZone("example.com", fmt.Sprintf("n%03d.ns.cloudflare.com", i), "bob.ns.cloudflare.com"))
				if i != 0 && i != 99 {
					s.SetStatus(ids[i], "moved")
				}
			}
			return cftest.Fault{Method: "GET", Path: "/zones", Skip: 1, Times: 1, Status: cftest.Repeat},
				"cloudflare: find zone example.com.: zone " + ids[49] + " came twice (page 2): the listing is inconsistent",
				"101 zones are named example.com."
		}},
		{"records", func(s *cftest.Server, p interface{ SetPageSize(int) error }) (cftest.Fault, string, string) {
			id := s.AddZone("example.com")
			for i := range 23 {
				s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%02d.example.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
			}
			p.SetPageSize(5)
			var h04 string
			for _, r := range s.Records(id) {
				if r.Name == "h04.example.com" {
					h04 = r.ID
				}
			}
			return cftest.Fault{Method: "GET", Path: "/zones/{zone_id}/dns_records", Skip: 1, Times: 1, Status: cftest.Repeat},
				"cloudflare: zone example.com.: list records: record " + h04 + " came twice (page 2): the listing is inconsistent", ""
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			p := newProvider(t, s, token)
			f, want, again := c.setup(s, p)
			s.AddFault(f)
			if z, err := p.Records(context.Background(), "example.com."); err == nil || !strings.Contains(err.Error(), want) {
				n := 0
				if z != nil {
					n = z.Len()
				}
				t.Errorf("a page that repeats a row of the page before: %d RRsets, %v; want %q", n, err, want)
			}
			_, err := p.Records(context.Background(), "example.com.")
			if (again == "" && err != nil) || (again != "" && (err == nil || !strings.Contains(err.Error(), again))) {
				t.Errorf("the listing whole again: %v, want %q", err, again)
			}
		})
	}
}

// TestShiftedPage: List DNS Records pages by number (page, per_page:
// developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/),
// page n being rows (n-1)×per_page+1 on of the zone as it is when page n
// is asked. A record of page 1 deleted after page 1 was read, and another
// added, move the first record of page 2 onto page 1, where it is never
// read; result_info.total_count and every page's count stay whole, and no
// row comes twice. The listing must be an error or the zone as it now
// is, never one without that record.
func TestShiftedPage(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	for i := range 23 {
		s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%02d.example.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
	}
	var h00 string
	for _, r := range s.Records(id) {
		if r.Name == "h00.example.com" {
			h00 = r.ID
		}
	}
	front := httptest.NewServer(fakeapi.Between(s.Config.Handler, func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/dns_records") && r.Method == http.MethodGet && r.URL.Query().Get("page") == "1"
	}, func() { // once: a record of page 1 deleted, another added at the end
		s.Delete(id, h00)
		s.Seed(id, cftest.Record{Name: "zz.example.com", Type: "A", Content: "192.0.2.200", TTL: 300})
	}))
	defer front.Close()
	p := newProviderAt(t, front.URL+"/client/v4", token)
	p.SetPageSize(5)
	held := func() []string {
		var names []string
		for _, r := range s.Records(id) {
			names = append(names, r.Name+".")
		}
		return names
	}
	providertest.ShiftedListing(t, p, "example.com.", held, "h00.example.com.")
}

// TestListingRequests: the records of a zone that fits one page of the
// most List DNS Records allows are read with one request. Pages are
// asked by number, so a listing of more than one page is read again
// until two readings agree (provider.Settled): 1,200 records at 500 a
// page took 3 pages twice, 6 requests. One page is one answer, whole
// at one instant, and stands as read (per_page: the schema
// dns-records_per_page, maximum 5e+06,
// developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/).
func TestListingRequests(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	id := s.AddZone("example.com")
	for i := range 1200 {
		s.Seed(id, cftest.Record{Name: fmt.Sprintf("h%04d.example.com", i), Type: "A", Content: "192.0.2.1", TTL: 300})
	}
	var lists int
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/dns_records") && r.Method == http.MethodGet {
			lists++
		}
		s.Config.Handler.ServeHTTP(w, r)
	}))
	defer front.Close()
	p := newProviderAt(t, front.URL+"/client/v4", token)
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(z.Sets); n < 1200 {
		t.Fatalf("%d RRsets read, want the 1,200 seeded", n)
	}
	if lists != 1 {
		t.Errorf("%d list requests for 1,200 records, want 1", lists)
	}
}
