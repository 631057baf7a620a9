package cloudflare_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestWriteCancelledInFlightPerhapsApplied: a push cancelled (Ctrl-C, a
// stopped run) while a batch is at the API, which applies it and has not
// answered yet, says the batch is perhaps applied, not "nothing of it
// applied": the answer that would tell was cut off, not refused. On the
// code before, call returned the bare context error for a write as for
// a read, and Apply said nothing of the batch was applied, while the
// zone held all of it.
func TestWriteCancelledInFlightPerhapsApplied(t *testing.T) {
	s := cftest.New(token)
	defer s.Close()
	s.AddZone("example.com")
	arrived := make(chan struct{})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/dns_records/batch") {
			s.Config.Handler.ServeHTTP(httptest.NewRecorder(), r) // applied; its answer held back
			close(arrived)
			<-r.Context().Done()
			return
		}
		s.Config.Handler.ServeHTTP(w, r)
	}))
	defer front.Close()
	p := newProviderAt(t, front.URL+"/client/v4", token)
	d := desired(t, "$ORIGIN example.com.\n$TTL 300\n@ SOA ns. h. 1 2 3 4 5\n@ NS ada.ns.cloudflare.com.\nwww A 192.0.2.1\n")
	cur, fs, err := provider.Read(context.Background(), p, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities(), Unreadable: fs})
	if len(pl.Changes) == 0 {
		t.Fatal("nothing to push")
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	res, err := p.Apply(ctx, "example.com.", pl.Changes, nil)
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("the cancelled push says: %v", err)
	if !provider.PerhapsApplied(err) || strings.Contains(err.Error(), "nothing of it applied") || !errors.Is(err, context.Canceled) {
		t.Errorf("a batch applied while its answer was cut off: %v; want it said perhaps applied (and the cancel kept)", err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("%d changes reported applied without an answer", len(res.Applied))
	}
}
