package cloudns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// ClouDNS blocks an address that sends more than 20 requests a second
// (HTTP 200, "Request blocked, … is sending more than 20 requests per
// second."): the account's requests are kept at 10 a second, and at 20
// in any second as the API counts them (each request until its answer).
var Limits = httpretry.Limits{PerSecond: 10, Burst: 10, Count: 20, Window: time.Second}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.client.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API user shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.client.SetRateLimit(l) }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.client.Limiter }

// blocked: ClouDNS's rate-limit refusal comes as HTTP 200 with a failure
// status in the body.
func blocked(status int, _ http.Header, body []byte) bool {
	return status == http.StatusOK && bytes.Contains(body, []byte(`"Failed"`)) && bytes.Contains(body, []byte("requests per second"))
}

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// status is the frame of an answer that reports success or failure.
type status struct {
	Status      string `json:"status"`
	Description string `json:"statusDescription"`
}

// call POSTs one API call with the credentials in its form and decodes
// the answer into out. ClouDNS answers failures with HTTP 200 and
// {"status":"Failed","statusDescription":...}. A write that fails after
// a try of it was answered 5xx says so (provider.ErrEarlierTry).
func (p *Provider) call(ctx context.Context, path string, form url.Values, write bool, out any) (tries int, err error) {
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	body.Set(p.authKey, p.authID)
	body.Set("auth-password", p.password)
	enc := body.Encode()
	a, err := p.client.Do(ctx, !write, func(ctx context.Context) (*http.Request, error) {
		if write {
			p.writes.Add(1)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+path, strings.NewReader(enc))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	})
	if err != nil {
		if errors.Is(err, httpretry.ErrTransport) {
			return a.Tries, fmt.Errorf("%s: %w: %w", path, provider.ErrUnavailable, err)
		}
		return a.Tries, fmt.Errorf("%s: %w", path, err)
	}
	defer func() {
		if err != nil && a.Earlier > 0 {
			err = fmt.Errorf("%w (%w: HTTP %d)", err, provider.ErrEarlierTry, a.Earlier)
		}
	}()
	var st status
	_ = json.Unmarshal(a.Body, &st)
	// Every message below quotes the description: the password and the
	// url:'s credentials (sent as HTTP Basic) taken out whatever their
	// encoding (redact.ServerText).
	st.Description = redact.ServerText(ctx, st.Description, p.own...)
	if a.Status < 200 || a.Status > 299 {
		text := st.Description
		if text == "" {
			text = http.StatusText(a.Status)
		}
		if httpretry.Retryable(a.Status) {
			return a.Tries, provider.StatusErrorf(a.Status, "%s: HTTP %d after %d tries: %s", path, a.Status, a.Tries, text)
		}
		return a.Tries, fmt.Errorf("%s: HTTP %d: %s", path, a.Status, text)
	}
	if st.Status == "Failed" {
		if blocked(a.Status, a.Header, a.Body) {
			return a.Tries, fmt.Errorf("%s: rate limit, still refused after %d tries: %s", path, a.Tries, st.Description)
		}
		if strings.Contains(st.Description, "Invalid authentication") {
			return a.Tries, provider.AuthError("%s: credentials refused: auth-id/auth-password (%s)", path, st.Description)
		}
		return a.Tries, &apiError{path, st.Description}
	}
	if out != nil {
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Tries, fmt.Errorf("%s: bad JSON answer: %w", path, err)
		}
	}
	return a.Tries, nil
}

// apiError is a "Failed" answer.
type apiError struct{ path, text string }

func (e *apiError) Error() string { return e.path + ": " + e.text }
