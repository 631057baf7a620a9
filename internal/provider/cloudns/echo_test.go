package cloudns_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// echoPassword is the auth-password the echo tests' servers quote back.
const echoPassword = "cloudns-Pass/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"

// newAt makes a provider for the API at url with auth-password key, one
// try.
func newAt(t *testing.T, url, key string) provider.Provider {
	p, err := cloudns.New(&config.Provider{Name: "new", Type: "cloudns", Settings: &cloudns.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}, AuthID: "1234"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.OneTry)
	return p
}

// TestEchoedPassword: a "Failed" answer that quotes the auth-password,
// \u-escaped in part or percent-encoded in mixed case, gives an error
// without it.
func TestEchoedPassword(t *testing.T) {
	providertest.EchoedKey(t, echoPassword, newAt, func(w http.ResponseWriter, _ *http.Request, msg string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"Failed","statusDescription":%s}`, msg)
	})
}

// TestEchoedInRedirects: redirects that echo the auth-password in their
// Location give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, echoPassword, newAt)
}
