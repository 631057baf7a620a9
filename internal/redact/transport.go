package redact

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// MaxErrorBody bounds the body of an error answer ErrorBodies reads (an
// SDK reads it whole); the rest is dropped.
const MaxErrorBody = 1 << 20

// ErrorBodies is a transport over next (nil: http.DefaultTransport) that
// takes the secrets out of every error answer's body (any status but
// 2xx) before anything above it reads the body: the body, up to
// MaxErrorBody, is replaced by ServerText of it with the secrets the
// request's context carries, own (the client's own credentials) and
// the credentials the request's URL carries (urlCredentials). A
// 2xx answer is passed through as it came, body unread.
//
// It is the one place an HTTP API client redacts what a server sends in
// an error answer (an SDK makes the body, or a message in it, its error's
// text): GitHub's client under go-github, and every provider's client
// (provider.HTTPClient). A failure an API reports in a 2xx answer is not
// seen here: its reader calls ServerText itself.
func ErrorBodies(next http.RoundTripper, own ...string) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return errorBodies{next: next, own: slices.Clone(own)}
}

type errorBodies struct {
	next http.RoundTripper
	own  []string
}

func (t errorBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode/100 == 2 {
		return resp, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the error answer: %w", err)
	}
	b = []byte(ServerText(req.Context(), string(b), slices.Concat(t.own, urlCredentials(req))...))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// urlCredentials are the credentials the request's URL carries
// (https://user:password@host/, written into a configured url:), which
// net/http sends as an HTTP Basic credential a server may echo: those
// URLCredentials gives, the one list the Action and the command line
// mask too.
func urlCredentials(req *http.Request) []string {
	if req.URL == nil || req.URL.User == nil {
		return nil
	}
	return URLCredentials(req.URL.String())
}
