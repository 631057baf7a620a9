package powerdns_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestEchoedKey: an error answer that quotes the API key, \u-escaped in
// part or percent-encoded in mixed case, gives an error without it: in
// PowerDNS's "error" (decoded), and in a body of another shape, which
// the error quotes as it is (its first 300 characters).
func TestEchoedKey(t *testing.T) {
	for _, field := range []string{"error", "message"} {
		t.Run(field, func(t *testing.T) {
			providertest.EchoedKey(t, "pdns-Key/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka",
				func(t *testing.T, url, key string) provider.Provider { return newProvider(t, url, key) },
				func(w http.ResponseWriter, _ *http.Request, msg string) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusUnprocessableEntity)
					fmt.Fprintf(w, `{%q:%s}`, field, msg)
				})
		})
	}
}

// TestEchoedInRedirects: redirects that echo the key in their Location
// give an error without it (providertest.EchoedInRedirects).
func TestEchoedInRedirects(t *testing.T) {
	providertest.EchoedInRedirects(t, "pdns-Key/7Hq2mZ9wXr4+Lt8Vn3Bc6Yd1Fg5Js0Ka",
		func(t *testing.T, url, key string) provider.Provider { return newProvider(t, url, key) })
}
