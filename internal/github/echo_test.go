package github

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// TestEchoedToken: a GitHub API error answer (go-github makes its message
// the error's) that quotes the token, or another secret of the run, in
// JSON \u-escaped in part or percent-encoded in mixed case gives an error
// without either.
func TestEchoedToken(t *testing.T) {
	const token = "ghp_Echo7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js0Ka"
	const other = "provider-secret/0123456789abcdef"
	for _, e := range redacttest.Echoes(token) {
		t.Run(e.Name, func(t *testing.T) {
			otherForm := redacttest.UEscape(other, func(i int) bool { return i%3 == 0 }, func(int) bool { return false })
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"message":%s,"errors":[{"resource":"User","code":"invalid","message":"with %s"}]}`, e.JSON, otherForm)
			}))
			t.Cleanup(s.Close)
			c, err := NewClient(nil, s.URL, token)
			if err != nil {
				t.Fatal(err)
			}
			set := &redact.Secrets{}
			set.Add(other)
			_, err = c.Identity(redact.WithSecrets(context.Background(), set))
			if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "with ") {
				t.Fatalf("the test plants nothing: the error (%v) does not quote the server's message %s", err, e.JSON)
			}
			if l := redacttest.Leak(err.Error(), token, e.Form, other, otherForm); l != "" {
				t.Errorf("the error quotes a secret: %s\n%v", l, err)
			}
		})
	}
}
