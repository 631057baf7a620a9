package providertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// OneTry is the retry policy of a provider the echo tests make: one try,
// so that an error answer is the error at once.
var OneTry = httpretry.Policy{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond}

// FastRetry is the retry policy of a provider tested against its fake:
// three tries, the waits a thousand times shorter than a real API's.
var FastRetry = httpretry.Policy{Attempts: 3, Base: time.Millisecond, Max: 20 * time.Millisecond, Longest: 5 * time.Second}

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

// EchoedInRedirects: an API that answers every request with a redirect
// within its origin whose Location echoes the key (query-escaped, as a
// server that moves the request's credentials into a login URL would)
// gives an error without the key. net/http's error at its bound of 10
// redirects is a url.Error quoting the last Location as the server sent
// it, and no redaction of error answers sees a header:
// httporigin.Client gives the last 3xx answer back instead, its body
// redacted (redact.ErrorBodies). A 307 keeps the method (and a POST's
// form), so every provider's first request is redirected again and
// again. No redaction set is on the context.
func EchoedInRedirects(t *testing.T, key string, newp func(t *testing.T, url, key string) provider.Provider) {
	t.Helper()
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 100 {
			w.WriteHeader(http.StatusServiceUnavailable) // the client did not stop
			return
		}
		http.Redirect(w, r, "/login?key="+url.QueryEscape(key), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(s.Close)
	_, err := newp(t, s.URL, key).Records(context.Background(), "example.com.")
	if err == nil {
		t.Fatal("no error from an API that only redirects")
	}
	if got := n.Load(); got > 4*11 {
		t.Errorf("%d requests: the redirects were not bounded", got)
	}
	if l := redacttest.Leak(err.Error(), key, url.QueryEscape(key)); l != "" {
		t.Errorf("the error quotes the key: %s\n%v", l, err)
	}
}
