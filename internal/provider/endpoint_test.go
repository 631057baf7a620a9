package provider

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHTTPClientKeepsCredentialsAtTheAPI: an API answer that redirects to
// another server (scheme, host or port) is not followed. net/http copies
// every header but Authorization and cookies to the new location (PowerDNS's
// X-API-Key, NS1's X-NSONE-Key) and sends a POST form again on 307 and 308
// (ClouDNS's auth-password), so the credentials would reach whatever the
// Location names, over plain HTTP too. The answer itself comes back, an HTTP
// error to the provider. A redirect within the API's own origin is followed.
func TestHTTPClientKeepsCredentialsAtTheAPI(t *testing.T) {
	const secret = "pdns-key-0123456789abcdef"
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(r.Header.Get("X-API-Key")+string(b), secret) {
			stolen.Add(1)
		}
	}))
	t.Cleanup(other.Close)
	var api *httptest.Server
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/same":
			http.Redirect(w, r, api.URL+"/ok", http.StatusTemporaryRedirect)
		case r.URL.Path == "/ok":
			w.WriteHeader(http.StatusNoContent)
		default:
			code := map[string]int{"/301": 301, "/302": 302, "/303": 303, "/307": 307, "/308": 308}[r.URL.Path]
			http.Redirect(w, r, other.URL+"/steal", code)
		}
	}))
	t.Cleanup(api.Close)
	for _, hc := range []*http.Client{nil, {}} {
		c := HTTPClient(hc)
		for _, path := range []string{"/301", "/302", "/303", "/307", "/308"} {
			req, _ := http.NewRequest(http.MethodPost, api.URL+path, strings.NewReader("auth-password="+secret))
			req.Header.Set("X-API-Key", secret)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			resp.Body.Close()
			if resp.StatusCode/100 != 3 {
				t.Errorf("%s: status %d, want the redirect itself", path, resp.StatusCode)
			}
		}
		req, _ := http.NewRequest(http.MethodPost, api.URL+"/same", strings.NewReader("x"))
		if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
			t.Errorf("a redirect within the API: %v %v", resp, err)
		}
	}
	if n := stolen.Load(); n > 0 {
		t.Errorf("the credentials reached another server %d times", n)
	}
	if hc := (&http.Client{}); HTTPClient(hc) == hc || hc.CheckRedirect != nil {
		t.Errorf("the caller's client was changed")
	}
}
