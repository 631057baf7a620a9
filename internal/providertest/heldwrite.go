package providertest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// HoldWrite is a server in front of an API (h: a fake's handler, or a
// proxy to a real server) that passes reads through, lets the first
// write through to h (it is applied) and holds its answer until the
// client goes away: a write at the API whose answer the end of the
// client's context cuts off. Arrived is closed once that write is
// applied.
type HoldWrite struct {
	*httptest.Server
	Arrived chan struct{}
}

// NewHoldWrite starts a HoldWrite in front of h; the test closes it.
// write says which requests are writes (nil: any but GET; ClouDNS
// sends its reads as POST too).
func NewHoldWrite(h http.Handler, write func(*http.Request) bool) *HoldWrite {
	if write == nil {
		write = func(r *http.Request) bool { return r.Method != http.MethodGet }
	}
	hw := &HoldWrite{Arrived: make(chan struct{})}
	var once sync.Once
	hw.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		held := false
		if write(r) {
			once.Do(func() { held = true })
		}
		if !held {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(httptest.NewRecorder(), r) // applied; its answer held back
		close(hw.Arrived)
		<-r.Context().Done()
	}))
	return hw
}

// CancelledWrite pushes d to p (which sends through hw) and cancels the
// push once hw holds the first write: the push must fail saying that
// write is "perhaps applied" (never "nothing of it applied": the answer
// that would tell was cut off, not refused),
// keep the cancel in its error chain, and count none of that write's
// changes applied.
func CancelledWrite(t *testing.T, p provider.Provider, d *zone.Zone, hw *HoldWrite) {
	t.Helper()
	pl := Plan(t, p, d)
	if len(pl.Changes) == 0 {
		t.Fatal("nothing to push")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-hw.Arrived; cancel() }()
	res, err := p.Apply(ctx, d.Origin, pl.Changes, nil)
	if err == nil {
		t.Fatal("a push cancelled while a write was at the API: no error")
	}
	t.Logf("the cancelled push says: %v", err)
	if !strings.Contains(err.Error(), "perhaps applied") || strings.Contains(err.Error(), "nothing of it applied") || !errors.Is(err, context.Canceled) {
		t.Errorf("a write applied while its answer was cut off: %v; want it said perhaps applied, the cancel kept", err)
	}
	if len(res.Applied) == len(pl.Changes) {
		t.Errorf("all %d changes reported applied, with no answer to the held write", len(res.Applied))
	}
}
