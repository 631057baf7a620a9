package httpretry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Limits are an API's documented request budget for one account: a
// steady rate with a burst (a token bucket whose every window of the
// vendor's length stays within the vendor's count).
type Limits struct {
	PerSecond float64
	Burst     int
}

// Limiter is the API budget of one provider account, shared by every zone
// a process works on: a token bucket at the documented rate, the pacing
// the server's rate-limit headers ask for (per endpoint family, NS1's
// X-Ratelimit-*, DNS Made Easy's x-dnsme-*), and a pause for the whole
// account when an answer says Retry-After. It is safe for concurrent
// use.
type Limiter struct {
	bucket *rate.Limiter
	max    atomic.Int64 // caps a header-paced wait or a pause (ns)

	mu       sync.Mutex
	families map[string]*Budget
	paused   time.Time // no request before this

	requests  atomic.Int64
	throttled atomic.Int64
	waited    atomic.Int64 // ns
}

// NewLimiter makes a limiter; zero Limits mean no steady-rate bucket.
func NewLimiter(l Limits) *Limiter {
	lim := &Limiter{families: map[string]*Budget{}}
	if l.PerSecond > 0 {
		lim.bucket = rate.NewLimiter(rate.Limit(l.PerSecond), max(l.Burst, 1))
	}
	lim.max.Store(int64(time.Minute))
	return lim
}

// SetMax caps every wait the headers or a Retry-After ask for (tests
// shorten it).
func (l *Limiter) SetMax(d time.Duration) {
	if d > 0 {
		l.max.Store(int64(d))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.families {
		b.Max = d
	}
}

// budget is the header budget of an endpoint family ("" for the API as a
// whole).
func (l *Limiter) budget(family string) *Budget {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.families[family]
	if b == nil {
		b = &Budget{Max: time.Duration(l.max.Load())}
		l.families[family] = b
	}
	return b
}

// Wait blocks until the account may send one more request of the family:
// after any pause, the family's header pacing, and a token of the bucket.
func (l *Limiter) Wait(ctx context.Context, family string) error {
	if l == nil {
		return nil
	}
	start := time.Now()
	defer func() { l.waited.Add(int64(time.Since(start))) }()
	l.mu.Lock()
	pause := time.Until(l.paused)
	l.mu.Unlock()
	if pause > 0 {
		if err := Sleep(ctx, pause); err != nil {
			return err
		}
	}
	if err := l.budget(family).Wait(ctx); err != nil {
		return err
	}
	if l.bucket != nil {
		if err := l.bucket.Wait(ctx); err != nil {
			return err
		}
	}
	l.requests.Add(1)
	return nil
}

// Observe records the rate-limit headers of one answer of the family
// (limit 0 when not said; remaining -1 when no header).
func (l *Limiter) Observe(family string, limit, remaining int, period time.Duration) {
	if l == nil {
		return
	}
	l.budget(family).Observe(limit, remaining, period, time.Now())
}

// Throttled records a refusal for rate (429 or the vendor's equivalent):
// every request of the account waits d (capped), not only the refused
// one's retry.
func (l *Limiter) Throttled(d time.Duration) {
	if l == nil {
		return
	}
	l.throttled.Add(1)
	d = min(d, time.Duration(l.max.Load()))
	if d <= 0 {
		return
	}
	until := time.Now().Add(d)
	l.mu.Lock()
	if until.After(l.paused) {
		l.paused = until
	}
	l.mu.Unlock()
}

// Stats are what a limiter has seen: requests let through, refusals for
// rate, and the time spent waiting (summed over concurrent waiters).
type Stats struct {
	Requests, Throttled int64
	Waited              time.Duration
}

// Stats of the limiter.
func (l *Limiter) Stats() Stats {
	return Stats{Requests: l.requests.Load(), Throttled: l.throttled.Load(), Waited: time.Duration(l.waited.Load())}
}

// accounts holds one Limiter per provider account for the process: every
// provider made for the same account (several zones, or plan and the
// feature report of one run) draws from one budget, as the vendor counts
// it. It is the one process-wide state besides the provider registry.
var accounts = struct {
	sync.Mutex
	m map[string]*Limiter
}{m: map[string]*Limiter{}}

// Account is the process's limiter for one account of an API: kind names
// the API ("route53"), endpoint its base URL, credential identifies the
// account (hashed here, never kept); the first call for an account makes
// it with l.
func Account(kind, endpoint, credential string, l Limits) *Limiter {
	sum := sha256.Sum256([]byte(credential))
	key := kind + " " + endpoint + " " + hex.EncodeToString(sum[:8])
	accounts.Lock()
	defer accounts.Unlock()
	lim := accounts.m[key]
	if lim == nil {
		lim = NewLimiter(l)
		accounts.m[key] = lim
	}
	return lim
}

// Most is the most requests the limits let through in any window of
// length d (the bucket's burst and what refills meanwhile): to be held
// at or under the vendor's count for its window.
func (l Limits) Most(d time.Duration) int {
	return l.Burst + int(l.PerSecond*d.Seconds())
}
