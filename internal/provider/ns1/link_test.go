package ns1_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRelativeNextLink: NS1 pages a zone's records and the zone list by
// the Link header's rel="next" (ns1-go: rest/client.go DoWithPagination,
// rest/zone.go nextRecords and nextZones). A Link target is a
// URI-Reference, a relative one resolved against the URL of the request
// it answers (RFC 8288, section 3.1; RFC 3986, section 5). ns1-go's
// ParseLink keeps only an absolute URI or an absolute path (it reads the
// target with url.ParseRequestURI) and gives no next page for
// "<example.com?after=…>": the listing stopped after its first page, a
// smaller zone with no error. Here the fake's links are rewritten to
// such relative references: the listing must read every page, or fail.
func TestRelativeNextLink(t *testing.T) {
	s := ns1test.New(apiKey)
	defer s.Close()
	s.AddZone("example.com")
	for i := range 12 {
		s.Seed(ns1test.Record{Zone: "example.com", Domain: fmt.Sprintf("h%02d.example.com", i), Type: "A", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{fmt.Sprintf("192.0.2.%d", i)}}}})
	}
	// <http://host/v1/zones/example.com?after=…> → <example.com?after=…>:
	// the same page, relative to /v1/zones/example.com.
	abs := regexp.MustCompile(`<https?://[^/>]+/v1/zones/([^>]*)>`)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		s.Config.Handler.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if l := rec.Header().Get("Link"); l != "" {
			w.Header().Set("Link", abs.ReplaceAllString(l, "<$1>"))
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	defer front.Close()
	p, err := ns1.New(&config.Provider{Name: "new", Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: front.URL + "/v1", APIKey: config.Secret(apiKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.FastRetry)
	p.SetPageSize(5)
	z, err := p.Records(context.Background(), "example.com.")
	if err != nil {
		t.Fatalf("a listing paged by relative links: %v", err)
	}
	if n := z.Len(); n != 13+1 { // 12 A RRsets, the apex NS, the SOA
		t.Errorf("a listing paged by relative links read %d RRsets over %d list requests, want 14: its pages after the first were not followed", n, s.Count("list"))
	}
}
