package providertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// EchoedKey: an API that quotes the key a request carried in its error
// answer, in each of redacttest.Echoes (JSON with some characters
// \u-escaped and others not, percent-encoding in mixed case, inside a
// JSON error message), gives an error that quotes the message without any
// piece of the key or of the form the server wrote. No redaction set is
// on the context: the provider takes its own key out of what the server
// sent (provider.HTTPClient's redact.ErrorBodies, or redact.ServerText
// for a failure in a 2xx answer). newp makes the provider for an API at url
// with key; answer writes an error answer whose message is msg, a JSON
// string literal.
func EchoedKey(t *testing.T, key string, newp func(t *testing.T, url, key string) provider.Provider, answer func(w http.ResponseWriter, r *http.Request, msg string)) {
	for _, e := range redacttest.Echoes(key) {
		t.Run(e.Name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answer(w, r, e.JSON) }))
			t.Cleanup(s.Close)
			_, err := newp(t, s.URL, key).Records(context.Background(), "example.com.")
			if err == nil || !strings.Contains(err.Error(), "refused") {
				t.Fatalf("the test plants nothing: the error (%v) does not quote the server's message %s", err, e.JSON)
			}
			if l := redacttest.Leak(err.Error(), key, e.Form); l != "" {
				t.Errorf("the error quotes the key: %s\n%v", l, err)
			}
		})
	}
}
