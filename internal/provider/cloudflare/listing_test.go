package cloudflare_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
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
		setup func(s *cftest.Server, p interface{ SetPageSize(int) }) (fault cftest.Fault, want, again string)
	}{
		{"zone lookup", func(s *cftest.Server, _ interface{ SetPageSize(int) }) (cftest.Fault, string, string) {
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
		{"records", func(s *cftest.Server, p interface{ SetPageSize(int) }) (cftest.Fault, string, string) {
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
