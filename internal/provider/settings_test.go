package provider_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestEndpoint: an API provider's base is its url, else the vendor's,
// without a trailing slash; a bad url and a key not set are errors naming
// the provider, and the latter what the vendor calls the key and the
// setting that names its variable.
func TestEndpoint(t *testing.T) {
	const def = "https://api.example.net/v1/"
	for _, tc := range []struct {
		name, url, key, base, err string
	}{
		{"default", "", "k", "https://api.example.net/v1", ""},
		{"configured", "http://127.0.0.1:8081/", "k", "http://127.0.0.1:8081", ""},
		{"bad url", "ftp://x", "k", "", "vendor: "},
		{"no key", "", "", "", "vendor: no API token (set api_key_env to the name of the variable holding it)"},
		{"bad url before no key", "ftp://x", "", "", "is not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := provider.APISettings{URL: tc.url, APIKey: config.Secret(tc.key)}
			base, u, err := a.Endpoint("vendor", def, "API token")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || base != "" || u != nil {
					t.Fatalf("Endpoint: %q, %v, %v; want the error %q", base, u, err, tc.err)
				}
				return
			}
			if err != nil || base != tc.base || u == nil || strings.TrimRight(u.String(), "/") != tc.base {
				t.Fatalf("Endpoint: %q, %v, %v; want %q", base, u, err, tc.base)
			}
		})
	}
}
