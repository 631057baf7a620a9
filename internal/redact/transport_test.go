package redact

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestErrorBodies: an error answer's body comes up without the client's
// own secret or the context's, in whatever encoding the server wrote
// them, and cut at MaxErrorBody; a 2xx answer's body is passed through
// as the server wrote it, secret and all (the caller asked for it).
func TestErrorBodies(t *testing.T) {
	const own, run = "own-Key/0123456789abcdef", "run-Token/0123456789abcdef"
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"json-escaped own key", `{"error":"key own\u002dKey\/0123456789abcdef refused"}`, 401, `{"error":"key *** refused"}`},
		{"percent-encoded run secret", "bad token run%2DToken%2f0123456789abcdef", 403, "bad token ***"},
		{"server error", "internal own-Key/0123456789abcdef", 500, "internal ***"},
		{"redirect body", "moved own-Key/0123456789abcdef", 302, "moved ***"},
		{"2xx untouched", `{"token":"own-Key/0123456789abcdef"}`, 200, `{"token":"own-Key/0123456789abcdef"}`},
		{"no secret kept byte for byte", "plain \\u00zz %zz refusal", 400, "plain \\u00zz %zz refusal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer s.Close()
			var set Secrets
			set.Add(run)
			ctx := WithSecrets(context.Background(), &set)
			hc := &http.Client{Transport: ErrorBodies(nil, own),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("body %q, want %q", b, tt.want)
			}
			if tt.status/100 != 2 && resp.ContentLength != int64(len(b)) {
				t.Errorf("ContentLength %d for a body of %d bytes", resp.ContentLength, len(b))
			}
		})
	}
	t.Run("cut at MaxErrorBody", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, strings.Repeat("x", MaxErrorBody+4096))
		}))
		defer s.Close()
		resp, err := (&http.Client{Transport: ErrorBodies(nil)}).Get(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(b) != MaxErrorBody {
			t.Errorf("read %d bytes of an error body, want MaxErrorBody (%d)", len(b), MaxErrorBody)
		}
	})
}
