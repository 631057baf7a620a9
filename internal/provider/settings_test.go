package provider_test

import (
	"io"
	"net/http"
	"net/http/httptest"
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

// TestOpen: where an HTTP API provider starts: Endpoint's base and
// errors, and a client whose error answers never carry the key (the
// server quoting it back in a 403 body).
func TestOpen(t *testing.T) {
	const key = "sk-open-test-0123456789abcdef"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad token "+key, http.StatusForbidden)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name, url, key, err string
	}{
		{"the key refused by the server", srv.URL, key, ""},
		{"no key", srv.URL, "", "vendor: no API token"},
		{"bad url", "ftp://x", key, "is not an http(s) URL"},
	} {
		a := provider.APISettings{URL: tc.url, APIKey: config.Secret(tc.key)}
		base, u, hc, err := a.Open("vendor", "", "API token", nil)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || base != "" || u != nil || hc != nil {
				t.Errorf("%s: %q, %v, %v, %v; want the error %q", tc.name, base, u, hc, err, tc.err)
			}
			continue
		}
		if err != nil || base != srv.URL || hc == nil {
			t.Fatalf("%s: %q, %v, %v; want %q and a client", tc.name, base, hc, err, srv.URL)
		}
		resp, err := hc.Get(base + "/zones")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || strings.Contains(string(body), key) || !strings.Contains(string(body), "bad token") {
			t.Errorf("%s: %d %q: want the 403 without the key", tc.name, resp.StatusCode, body)
		}
	}
}
