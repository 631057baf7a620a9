package httpretry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dnsparity/dnsparity/internal/httpretry"
)

// TestDoCancelledInFlight: a request whose answer the end of ctx cuts off
// is, for a write (not idempotent), an answer lost (ErrTransport: DNS
// Made Easy and ClouDNS say such a write perhaps applied), the cancel
// kept in the chain; for a read, the context's error alone. On the code
// before, both gave the bare context error, and a write the API had
// received was reported not applied.
func TestDoCancelledInFlight(t *testing.T) {
	for _, idempotent := range []bool{false, true} {
		arrived := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			<-r.Context().Done()
		}))
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		c := &httpretry.Client{}
		_, err := c.Do(ctx, idempotent, func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
		})
		srv.Close()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("idempotent %v: %v, want context.Canceled in the chain", idempotent, err)
		}
		if got := errors.Is(err, httpretry.ErrTransport); got == idempotent {
			t.Errorf("idempotent %v: ErrTransport %v, want %v (%v)", idempotent, got, !idempotent, err)
		}
	}
}
