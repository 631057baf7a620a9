package dnsmadeeasy

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// The account's request window: 150 requests per 5 minutes (API V2.0
// documentation, "Rate Limiting"), paced by the x-dnsme-* headers.
const window = 5 * time.Minute

// Limits keep a burst of zones within the window before the first
// answers' headers arrive: a bucket of 10 refilled at 140 per 5 minutes
// never sends 151 in any window, nor do 151 reach the API in one
// (each request counted until its answer).
var Limits = httpretry.Limits{PerSecond: 140.0 / 300, Burst: 10, Count: 150, Window: window}

// SetRetry sets the retry policy (tests shorten the waits).
func (p *Provider) SetRetry(r httpretry.Policy) { p.client.SetRetry(r) }

// SetRateLimit gives this provider a limiter of its own (tests); by
// default every provider of one API key shares the account's.
func (p *Provider) SetRateLimit(l httpretry.Limits) { p.client.SetRateLimit(l) }

// SetRateWindow sets the length of the rate-limit window the headers
// count in (tests: a fake with a shorter window than the 5 minutes).
func (p *Provider) SetRateWindow(d time.Duration) { p.window = d }

// Limiter is the account's API budget this provider draws from.
func (p *Provider) Limiter() *httpretry.Limiter { return p.client.Limiter }

// Writes is the number of write requests sent (tries included).
func (p *Provider) Writes() int64 { return p.writes.Load() }

// observe paces requests by the account's announced budget.
func (p *Provider) observe(h http.Header) {
	rem, err := strconv.Atoi(h.Get("x-dnsme-requestsRemaining"))
	if err != nil {
		return
	}
	limit, _ := strconv.Atoi(h.Get("x-dnsme-requestLimit"))
	p.client.Limiter.Observe("", limit, rem, p.window)
}

// rateLimited: DNS Made Easy refuses a request over the limit with HTTP
// 400 and x-dnsme-requestsRemaining 0, which is what its own Go client
// retries on (github.com/DNSMadeEasy/dme-go-client, client/client.go,
// doRequestWithRateLimit), whatever the error's text; dnscontrol
// (providers/dnsmadeeasy/restApi.go) knows it by the text "Rate limit
// exceeded", taken too. The header must be there and say 0: the Go
// client's strconv.Atoi reads a missing one as 0 and would retry every
// 400, the request's own faults included. The Go client retries a 404
// with no requests remaining as well; no document says the API refuses
// that way, and a 404 is "not found" here (a zone lookup's
// ErrZoneNotFound), so a 404 is not taken for a refusal. The wait is the retry
// policy's longest (60 s, httpretry.Client), not the Go client's 5 s: its
// tries never end, ours are bounded (6), and five waits of 60 s span the
// 5-minute window.
func rateLimited(status int, h http.Header, body []byte) bool {
	if status != http.StatusBadRequest {
		return false
	}
	if v := h.Values("x-dnsme-requestsRemaining"); len(v) > 0 && strings.TrimSpace(v[0]) == "0" {
		return true
	}
	return bytes.Contains(body, []byte("Rate limit exceeded"))
}

// sign sets the authentication headers for a request made at t.
func (p *Provider) sign(h http.Header, t time.Time) {
	date := t.UTC().Format(http.TimeFormat)
	mac := hmac.New(sha1.New, []byte(p.secret))
	mac.Write([]byte(date))
	h.Set("x-dnsme-apiKey", p.key)
	h.Set("x-dnsme-requestDate", date)
	h.Set("x-dnsme-hmac", hex.EncodeToString(mac.Sum(nil)))
}

// errNotFound is a 404 answer (zone lookups make it ErrZoneNotFound).
var errNotFound = errors.New("HTTP 404")

// apiError is the body of an error answer.
type apiError struct {
	Error []string `json:"error"`
}

// call sends one signed request and decodes a 2xx answer into out.
func (p *Provider) call(ctx context.Context, method, path string, query url.Values, body, out any) (int, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return 0, err
		}
	}
	target := p.base + "/" + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	write := method != http.MethodGet
	a, err := p.client.Do(ctx, !write, func(ctx context.Context) (*http.Request, error) {
		if write {
			p.writes.Add(1)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		p.sign(req.Header, p.now())
		return req, nil
	})
	what := method + " /" + path
	if err != nil {
		if errors.Is(err, httpretry.ErrTransport) {
			return a.Tries, fmt.Errorf("%s: %w: %w", what, provider.ErrUnavailable, err)
		}
		return a.Tries, fmt.Errorf("%s: %w", what, err)
	}
	if a.Status >= 200 && a.Status < 300 {
		if out != nil && len(bytes.TrimSpace(a.Body)) > 0 {
			if err := json.Unmarshal(a.Body, out); err != nil {
				return a.Tries, fmt.Errorf("%s: bad JSON answer: %w", what, err)
			}
		}
		return a.Tries, nil
	}
	err = failure(what, a)
	if a.Earlier > 0 {
		err = fmt.Errorf("%w (%w: HTTP %d)", err, provider.ErrEarlierTry, a.Earlier)
	}
	return a.Tries, err
}

// failure is the error of a's answer, not 2xx, to the request what.
func failure(what string, a httpretry.Answer) error {
	text := errorText(a.Status, a.Body) // the keys taken out (provider.HTTPClient)
	switch {
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		return provider.AuthError("%s: credentials refused: the API key pair (HTTP %d: %s)", what, a.Status, text)
	case a.Status == http.StatusNotFound:
		return fmt.Errorf("%s: %w: %s", what, errNotFound, text)
	case httpretry.Retryable(a.Status) || rateLimited(a.Status, a.Header, a.Body):
		return provider.StatusErrorf(a.Status, "%s: HTTP %d after %d tries: %s", what, a.Status, a.Tries, text)
	}
	return fmt.Errorf("%s: HTTP %d: %s", what, a.Status, text)
}

func errorText(status int, body []byte) string {
	var e apiError
	if err := json.Unmarshal(body, &e); err == nil && len(e.Error) > 0 {
		return strings.Join(e.Error, "; ")
	}
	return http.StatusText(status)
}
