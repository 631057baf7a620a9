// Package httpretry is the bounded backoff of the HTTP API providers: how long
// to wait before trying again after a 429 or a 5xx, honouring the server's
// Retry-After, and when to give up.
package httpretry

import (
	"context"
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
	// Max caps every wait, Retry-After included.
	Max time.Duration
}

// Default: 6 tries, 1 s doubling, at most 60 s per wait.
var Default = Policy{Attempts: 6, Base: time.Second, Max: 60 * time.Second}

// Retryable reports whether an HTTP status is worth another try: 429 and
// 5xx (501 aside: it never changes).
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}

// Delay is the wait before try number attempt+1 (attempt counts from 1):
// the server's Retry-After (seconds or an HTTP date) when it sent one,
// else Base·2^(attempt-1); both capped at Max.
func (p Policy) Delay(attempt int, h http.Header, now time.Time) time.Duration {
	d := p.Base << max(attempt-1, 0)
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	if ra, ok := RetryAfter(h, now); ok {
		d = ra
	}
	return min(d, p.Max)
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
