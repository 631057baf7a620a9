package ns1_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// echoKey is the API key the echo tests' servers quote back.
const echoKey = "ns1-Key/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka"

// newAt makes a provider for the API at url with API key key, one try.
func newAt(t *testing.T, url, key string) provider.Provider {
	p, err := ns1.New(&config.Provider{Name: "new", Type: "ns1", Settings: &ns1.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.SetRetry(providertest.OneTry)
	return p
}

// TestEchoedKey: an error answer that quotes the API key, \u-escaped in
// part or percent-encoded in mixed case, gives an error without it.
func TestEchoedKey(t *testing.T) {
	providertest.EchoedKey(t, echoKey, newAt, func(w http.ResponseWriter, _ *http.Request, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":%s}`, msg)
	})
}

// TestEchoedInRedirects: redirects that echo the key in their Location
// give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, echoKey, newAt)
}
