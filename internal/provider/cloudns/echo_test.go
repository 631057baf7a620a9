package cloudns_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestEchoedPassword: a "Failed" answer that quotes the auth-password,
// \u-escaped in part or percent-encoded in mixed case, gives an error
// without it.
func TestEchoedPassword(t *testing.T) {
	providertest.EchoedKey(t, "cloudns-Pass/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka",
		func(t *testing.T, url, key string) provider.Provider {
			p, err := cloudns.New(&config.Provider{Name: "new", Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}, AuthID: "1234"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			p.SetRetry(httpretry.Policy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond})
			return p
		},
		func(w http.ResponseWriter, _ *http.Request, msg string) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"status":"Failed","statusDescription":%s}`, msg)
		})
}

// TestEchoedInRedirects: redirects that echo the auth-password in their
// Location give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, "cloudns-Pass/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka", func(t *testing.T, url, key string) provider.Provider {
		p, err := cloudns.New(&config.Provider{Name: "new", Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}, AuthID: "1234"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.SetRetry(httpretry.Policy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond})
		return p
	})
}
