package dnsmadeeasy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestRefusalKnownByItsHeader: DNS Made Easy's refusal for rate is HTTP
// 400 with x-dnsme-requestsRemaining 0 (its Go client,
// client/client.go, doRequestWithRateLimit, reads nothing else); with
// an error text other than "Rate limit exceeded" it is still retried
// and the push completes.
func TestRefusalKnownByItsHeader(t *testing.T) {
	s := newServer(t)
	s.AddZone("example.com")
	p := newProvider(t, s, apiKey, secretKey)
	d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\nwww 300 A 192.0.2.1\n")
	pl := providertest.Plan(t, p, d)
	s.AddFault(dmetest.Fault{Method: "POST", Path: "/createMulti", Times: 2, Status: http.StatusTooManyRequests, Body: "Too many requests, slow down"})
	before := s.Count("write")
	res, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil)
	if err != nil {
		t.Fatalf("a refusal for rate (400, x-dnsme-requestsRemaining: 0) was not retried: %v", err)
	}
	if len(res.Applied) != len(pl.Changes) {
		t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
	}
	if w := s.Count("write") - before; w != 3 {
		t.Errorf("writes: %d, want 3 (two refused, one taken)", w)
	}
	// Refusals for rate, not server errors: the account paused for each.
	if n := p.Limiter().Stats().Throttled; n != 2 {
		t.Errorf("refusals for rate seen by the account's limiter: %d, want 2", n)
	}
	if pl := providertest.Plan(t, p, d); !pl.Empty() {
		t.Errorf("not converged: %v", pl.Changes)
	}
}

// TestBadRequestWithRequestsLeftNotRetried: a 400 while requests remain
// (x-dnsme-requestsRemaining above 0), or with no such header (which
// DNS Made Easy's Go client reads as 0: strconv.Atoi of ""), is the
// request's own fault: sent once, the push fails.
func TestBadRequestWithRequestsLeftNotRetried(t *testing.T) {
	for _, remaining := range []string{"149", ""} {
		t.Run("remaining "+remaining, func(t *testing.T) {
			s := newServer(t)
			s.AddZone("example.com")
			target, _ := url.Parse(s.URL)
			proxy := httputil.NewSingleHostReverseProxy(target)
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					w.Header().Set("x-dnsme-requestLimit", "150")
					if remaining != "" {
						w.Header().Set("x-dnsme-requestsRemaining", remaining)
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"error":["Record with this type (A), name (www), and value (192.0.2.1) already exists."]}`))
					s.Mu.Lock()
					s.Inc("write")
					s.Mu.Unlock()
					return
				}
				proxy.ServeHTTP(w, r)
			}))
			defer front.Close()
			p := newProviderAt(t, s, front.URL+"/V2.0", apiKey, secretKey)
			d := providertest.Desired(t, "example.com.", "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns10.dnsmadeeasy.com.\nwww 300 A 192.0.2.1\n")
			pl := providertest.Plan(t, p, d)
			if _, err := p.Apply(context.Background(), d.Origin, pl.Changes, nil); err == nil {
				t.Fatal("a 400 was taken for success")
			}
			if w := s.Count("write"); w != 1 {
				t.Errorf("writes: %d, want 1 (not retried)", w)
			}
		})
	}
}
