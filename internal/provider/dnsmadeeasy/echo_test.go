package dnsmadeeasy_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// echoSecret is the secret key the echo tests' servers quote back.
const echoSecret = "dme-Secret/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"

// newAt makes a provider for the API at url with secret key key, one try.
func newAt(t *testing.T, url, key string) provider.Provider {
	p, err := dnsmadeeasy.New(&config.Provider{Name: "new", Type: "dnsmadeeasy", Settings: &dnsmadeeasy.Settings{APISettings: provider.APISettings{URL: url, APIKey: "dme-api-key-0001"}, SecretKey: config.Secret(key)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.OneTry)
	return p
}

// TestEchoedSecretKey: an error answer that quotes the secret key,
// \u-escaped in part or percent-encoded in mixed case, gives an error
// without it.
func TestEchoedSecretKey(t *testing.T) {
	providertest.EchoedKey(t, echoSecret, newAt, func(w http.ResponseWriter, _ *http.Request, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":[%s]}`, msg)
	})
}

// TestEchoedInRedirects: redirects that echo the secret key in their
// Location give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, echoSecret, newAt)
}
