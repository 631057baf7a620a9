package powerdns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// Retry bounds: at most maxAttempts tries of one call, no single wait over
// maxWait (a longer Retry-After, or one ending past the context's
// deadline, ends the retries at once: httpretry.Worth).
const (
	maxAttempts = 4
	maxWait     = 30 * time.Second
)

// Requests is the number of HTTP requests sent; Patches the PATCH requests
// among them.
func (p *Provider) Requests() int64 { return p.requests.Load() }

func (p *Provider) Patches() int64 { return p.patches.Load() }

// apiError is an HTTP error answer.
type apiError struct {
	Status int
	Text   string
}

func (e *apiError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Text)
}

// HTTPStatus is the answer's status (provider.Down counts a 5xx as down).
func (e *apiError) HTTPStatus() int { return e.Status }

// idempotent says whether a call may be sent again after a failure that
// leaves its outcome unknown (see the package comment).
func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodPatch
}

// retryable is an answer worth trying again: rate limited or a server
// error.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// do sends one API call, retrying idempotent ones (see the package
// comment).
func (p *Provider) do(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	for attempt := 1; ; attempt++ {
		retry, wait, err := p.once(ctx, method, path, payload, out)
		if err == nil || !retry || !idempotent(method) || attempt == maxAttempts {
			if err != nil && retry && idempotent(method) {
				return fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
			}
			return err
		}
		if wait < 0 {
			wait = p.backoff << (attempt - 1)
		}
		if werr := httpretry.Worth(ctx, wait, maxWait); werr != nil {
			return fmt.Errorf("%w (%w)", err, werr)
		}
		if serr := p.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (while waiting to retry: %w)", err, serr)
		}
	}
}

// once sends one HTTP request. retry says whether the failure may pass
// (429, 5xx, a lost connection); wait is the server's Retry-After, or -1.
func (p *Provider) once(ctx context.Context, method, path string, payload []byte, out any) (retry bool, wait time.Duration, err error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return false, -1, err
	}
	req.Header.Set("X-API-Key", p.apiKey)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	p.requests.Add(1)
	if method == http.MethodPatch {
		p.patches.Add(1)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			if method == http.MethodGet {
				return false, -1, ctx.Err()
			}
			// A write whose answer the end of ctx cut off may have been
			// sent, and applied.
			return false, -1, fmt.Errorf("%s %s: %w (ended before its answer: %w)", method, path, provider.ErrUnavailable, ctx.Err())
		}
		// url.Error carries the URL (never the key header), and of a
		// userinfo in it net/http hides only the password.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact.URL(ue.URL)
		}
		return true, -1, fmt.Errorf("%w: %v", provider.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return true, -1, fmt.Errorf("%s %s: reading answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		ae := &apiError{Status: resp.StatusCode}
		var e struct {
			Error string `json:"error"`
		}
		// The key was taken out of the body, whatever its encoding, before
		// it is read here (provider.HTTPClient).
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			ae.Text = e.Error
		} else {
			ae.Text = strings.TrimSpace(string(b))
			if len(ae.Text) > 300 {
				ae.Text = ae.Text[:300] + "..."
			}
		}
		switch resp.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return false, -1, provider.AuthError("API key refused (%v)", ae)
		case http.StatusNotFound:
			return false, -1, fmt.Errorf("%w (%v)", provider.ErrZoneNotFound, ae)
		}
		wait, ok := httpretry.RetryAfter(resp.Header, time.Now())
		if !ok {
			wait = -1
		}
		return retryable(resp.StatusCode), wait, ae
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return false, -1, fmt.Errorf("%s %s: bad JSON answer: %w", method, path, err)
		}
	}
	return false, -1, nil
}
