// Package httpretry is the bounded backoff of the HTTP API providers: how long
// to wait before trying again after a 429 or a 5xx, honouring the server's
// Retry-After, and when to give up.
package httpretry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy bounds the retries of one request.
type Policy struct {
	// Attempts is the most tries in all (the first one included).
	Attempts int
	// Base is the first wait without a Retry-After; it doubles per try.
	Base time.Duration
	// Max caps a wait of our own choosing (the backoff, and a refusal for
	// rate that says no Retry-After). What a server asks for is not
	// capped by it: Cloudflare blocks every call for five minutes after
	// a 429 ("Rate limits", developers.cloudflare.com/fundamentals/api/
	// reference/limits/), and a try sooner only spends requests.
	Max time.Duration
	// Longest is the longest wait a server's answer is let to ask for
	// (Retry-After, the pacing its rate-limit headers ask for); 0 means
	// DefaultLongest. A longer one, or one ending past the context's
	// deadline, fails at once (Await, ErrWaitTooLong).
	Longest time.Duration
}

// Default: 6 tries, 1 s doubling, at most 60 s per wait of ours; a
// server's Retry-After honoured up to DefaultLongest.
var Default = Policy{Attempts: 6, Base: time.Second, Max: 60 * time.Second}

// DefaultLongest is the longest wait a server may ask for when the
// policy does not say: three times Cloudflare's documented five-minute
// block.
const DefaultLongest = 15 * time.Minute

// Patience is the longest wait a server's answer is let to ask for.
func (p Policy) Patience() time.Duration {
	if p.Longest > 0 {
		return p.Longest
	}
	return DefaultLongest
}

// Retryable reports whether an HTTP status is worth another try: 429 and
// 5xx (501 aside: it never changes).
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}

// Delay is the wait before try number attempt+1 (attempt counts from 1):
// the server's Retry-After (seconds or an HTTP date) when it sent one,
// whole (Await bounds it); else Base·2^(attempt-1) capped at Max.
func (p Policy) Delay(attempt int, h http.Header, now time.Time) time.Duration {
	if ra, ok := RetryAfter(h, now); ok {
		return ra
	}
	d := p.Base << max(attempt-1, 0)
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	return d
}

// ErrWaitTooLong: the server asks for a wait before another try that
// ends past the context's deadline, or is longer than the policy's
// Longest. Nothing waits for it: the request fails at once.
var ErrWaitTooLong = errors.New("the wait the server asks for is too long")

// Await waits d before another try (Delay), or fails at once, with
// ErrWaitTooLong and the wait named, when d is longer than the policy's
// Longest or would end past ctx's deadline.
func (p Policy) Await(ctx context.Context, d time.Duration) error {
	if err := Worth(ctx, d, p.Patience()); err != nil {
		return err
	}
	return Sleep(ctx, d)
}

// Worth says whether a wait of d before another try is worth starting:
// ErrWaitTooLong, naming the wait, when it is longer than longest or
// ends past ctx's deadline (the try after it could not be made).
func Worth(ctx context.Context, d, longest time.Duration) error {
	if d > longest {
		return fmt.Errorf("%w: %s before another try, more than the %s waited at most", ErrWaitTooLong, d, longest)
	}
	if dl, ok := ctx.Deadline(); ok && time.Now().Add(d).After(dl) {
		return fmt.Errorf("%w: %s before another try, past the deadline in %s", ErrWaitTooLong, d, max(time.Until(dl), 0).Round(time.Millisecond))
	}
	return nil
}

// RetryAfter reads Retry-After (delay-seconds or an HTTP date, RFC 9110
// §10.2.3).
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
