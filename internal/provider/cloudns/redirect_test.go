package cloudns_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
)

// TestRedirectKeepsPassword: an API that answers 307 or 308 with another
// server's address does not get the auth-password sent there (net/http
// sends a POST's form again to the new location); the call fails, naming
// the status.
func TestRedirectKeepsPassword(t *testing.T) {
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), password) {
			stolen.Add(1)
		}
	}))
	t.Cleanup(other.Close)
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, code)
		}))
		t.Cleanup(api.Close)
		p, err := cloudns.New(&config.Provider{Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: api.URL, APIKey: password}, AuthID: authID}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Records(context.Background(), "example.com."); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("HTTP %d", code)) {
			t.Errorf("%d: %v, want an HTTP error", code, err)
		}
	}
	if n := stolen.Load(); n > 0 {
		t.Errorf("the auth-password was sent to another server %d times", n)
	}
}
