package httpretry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Client sends the requests of a small net/http API client (DNS Made
// Easy, ClouDNS) within a Policy: 429 and 5xx answers are retried after
// the server's Retry-After or the policy's backoff; transport errors only
// for requests that are safe to repeat. Errors never contain the request
// URL's query (it may carry credentials) or its headers.
type Client struct {
	HTTP   *http.Client
	Policy Policy
	// Limiter, when set, is the account's budget: waited on before every
	// try (family Family), told of every rate-limit refusal.
	Limiter *Limiter
	Family  string
	// Observe, when set, reads every answer's headers (rate-limit
	// announcements into the Limiter).
	Observe func(h http.Header)
	// Throttled, when set, says whether an answer that is neither 429 nor
	// 5xx is a rate-limit refusal all the same, from its status, headers
	// and body (DNS Made Easy answers 400 with x-dnsme-requestsRemaining
	// 0; ClouDNS 200 with a failure in the body).
	Throttled func(status int, h http.Header, body []byte) bool
}

// SetRetry sets the retry policy; the waits the limiter takes from the
// server's headers and Retry-After are capped by its Longest too.
func (c *Client) SetRetry(p Policy) {
	c.Policy = p
	c.Limiter.SetMax(p.Patience())
}

// SetRateLimit gives the client a limiter of its own (tests; by default
// a provider draws from its account's, shared in the process).
func (c *Client) SetRateLimit(l Limits) {
	c.Limiter = NewLimiter(l)
	c.Limiter.SetMax(c.Policy.Patience())
}

// Answer is the final answer of Do.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
	// Tries is the number of requests sent.
	Tries int
	// Earlier is the 5xx status of an earlier try of a request that is
	// not idempotent (0: none), which the server may have applied all
	// the same before it was tried again.
	Earlier int
}

// ErrTransport wraps a failure to get any answer.
var ErrTransport = errors.New("no answer")

// Do sends the request mk makes (once per try; mk must give a fresh body
// each time). idempotent says whether a try whose answer was lost may be
// repeated. It returns the last answer, whatever its status; an error
// only when there was none (ErrTransport) or ctx ended.
func (c *Client) Do(ctx context.Context, idempotent bool, mk func(ctx context.Context) (*http.Request, error)) (Answer, error) {
	pol := c.Policy
	if pol.Attempts <= 0 {
		pol = Default
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	var a Answer
	for attempt := 1; ; attempt++ {
		done, err := c.Limiter.Wait(ctx, c.Family)
		if err != nil {
			return a, err
		}
		req, err := mk(ctx)
		if err != nil {
			done()
			return a, err
		}
		a.Tries = attempt
		resp, err := hc.Do(req)
		if err != nil {
			done() // no answer is coming
			if ctx.Err() != nil {
				if idempotent {
					return a, ctx.Err()
				}
				// A write whose answer the end of ctx cut off may have
				// been sent, and applied: no answer, as a lost one.
				return a, fmt.Errorf("%w (ended before its answer: %w)", ErrTransport, ctx.Err())
			}
			if idempotent && attempt < pol.Attempts {
				if err := Sleep(ctx, pol.Delay(attempt, nil, time.Now())); err != nil {
					return a, err
				}
				continue
			}
			return a, fmt.Errorf("%w after %d tries: %v", ErrTransport, attempt, WithoutURL(err))
		}
		ObserveDate(req, resp)
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if c.Observe != nil {
			c.Observe(resp.Header)
		}
		done() // answered, its headers observed
		if err != nil {
			if idempotent && attempt < pol.Attempts {
				continue
			}
			return a, fmt.Errorf("%w: reading the answer: %v", ErrTransport, WithoutURL(err))
		}
		a.Status, a.Header, a.Body = resp.StatusCode, resp.Header, body
		refused := resp.StatusCode == http.StatusTooManyRequests || (c.Throttled != nil && c.Throttled(resp.StatusCode, resp.Header, body))
		if !(refused || Retryable(resp.StatusCode)) || attempt >= pol.Attempts {
			return a, nil
		}
		delay := pol.Delay(attempt, resp.Header, time.Now())
		if refused {
			// A refusal for rate without Retry-After: the window it
			// counts in is unknown, wait the longest a try waits. The
			// whole account waits, not only this request.
			if _, ok := RetryAfter(resp.Header, time.Now()); !ok {
				delay = pol.Max
			}
			c.Limiter.Throttled(delay)
		} else if !idempotent {
			a.Earlier = resp.StatusCode // perhaps applied
		}
		if err := pol.Await(ctx, delay); err != nil {
			return a, err
		}
	}
}

// WithoutURL is a transport error's message without the URL (its query
// may hold credentials).
func WithoutURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
