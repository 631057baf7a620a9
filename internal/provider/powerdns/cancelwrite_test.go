package powerdns_test

import (
	"context"
	"net/http"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestWriteCancelledInFlightPerhapsApplied: providertest.CancelledWrite
// against a real PowerDNS behind a proxy that holds the PATCH's answer
// (the zone holds the change) until the push's context ends. On the code
// before, the client returned the bare context error for the PATCH as
// for a read: "not applied" for a change the zone held.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	u, err := url.Parse(srv.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	hw := providertest.NewHoldWrite(httputil.NewSingleHostReverseProxy(u), func(r *http.Request) bool { return r.Method == http.MethodPatch })
	defer hw.Close()
	p := newProvider(t, hw.URL, srv.APIKey)
	if err := p.CreateZone(context.Background(), origin, nil); err != nil {
		t.Fatal(err)
	}
	providertest.CancelledWrite(t, p, load(t), hw)
}
