package cloudflare_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// echoToken is the token the echo tests' servers quote back.
const echoToken = "cf-Tok/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"

// newAt makes a provider for the API at url with token key, one try.
func newAt(t *testing.T, url, key string) provider.Provider {
	p, err := cloudflare.New(&config.Provider{Name: "new", Type: "cloudflare", Settings: &cloudflare.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.OneTry)
	return p
}

// TestEchoedToken: an error answer that quotes the token, \u-escaped in
// part or percent-encoded in mixed case, gives an error without it: an
// HTTP error (redacted under the provider: provider.HTTPClient) and a
// "success": false in an HTTP 200 (redacted by the provider's messages).
func TestEchoedToken(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusOK} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			providertest.EchoedKey(t, echoToken, newAt, func(w http.ResponseWriter, _ *http.Request, msg string) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"success":false,"errors":[{"code":6003,"message":%s}],"messages":[],"result":null}`, msg)
			})
		})
	}
}

// TestEchoedInRedirects: redirects that echo the token in their Location
// give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, echoToken, newAt)
}
