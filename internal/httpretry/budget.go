package httpretry

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Budget follows a rate limit the server announces in its answers'
// headers (NS1's X-Ratelimit-Limit/-Remaining/-Period, DNS Made Easy's
// x-dnsme-requestLimit/-requestsRemaining over its 5-minute window) and
// spaces requests out before the server has to refuse one: while plenty
// of the window's requests remain there is no wait; when fewer than a
// tenth remain, requests are spread evenly over the window
// (period / remaining, the whole period when none remain), one after the
// other (requests waiting together do not all go at the end of one
// wait). Every wait is capped by Max (a policy's Longest). The announced limit per period is
// also kept as the server counts it (Limiter.Wait: each request counted
// until its answer), which the remaining count alone cannot do for
// requests already on their way. The zero Budget never waits.
type Budget struct {
	// Max caps a wait (default DefaultLongest).
	Max time.Duration

	mu   sync.Mutex
	next time.Time     // no request before this
	pace time.Duration // between requests, while the headers ask for it

	// The announced limit per period, as a count per window.
	limit  int
	period time.Duration
	window *window
	// heard: an answer of the family came (or the first request was given
	// up on). Until then one request goes alone, so that the limit the
	// answers announce is known before more are on their way.
	heard bool
	probe chan struct{} // closed when the request alone is answered
}

// Pace is the wait the announced numbers ask for before the next request.
func Pace(limit, remaining int, period time.Duration) time.Duration {
	if period <= 0 || remaining < 0 {
		return 0
	}
	if limit > 0 && remaining*10 > limit {
		return 0
	}
	if remaining == 0 {
		return period
	}
	return period / time.Duration(remaining)
}

// Observe records the numbers of one answer (limit 0 when the server did
// not say; remaining -1 when it sent no header).
func (b *Budget) Observe(limit, remaining int, period time.Duration, now time.Time) {
	if b == nil || remaining < 0 {
		return
	}
	d := Pace(limit, remaining, period)
	max := b.Max
	if max <= 0 {
		max = DefaultLongest
	}
	d = min(d, max)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next, b.pace = now.Add(d), d
	if limit > 0 && period > 0 && (b.window == nil || b.limit != limit || b.period != period) {
		// The requests the server has counted in its window so far take
		// their places as if answered now (they reached it before now).
		b.limit, b.period, b.window = limit, period, seededWindow(limit, limit-remaining, now)
	}
}

// Wait blocks until the budget allows the next request or ctx ends; while
// the headers ask for pacing, each request waits its turn after the one
// before.
func (b *Budget) Wait(ctx context.Context) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	at := b.next
	if now := time.Now(); at.Before(now) {
		at = now
	}
	if b.pace > 0 {
		b.next = at.Add(b.pace)
	}
	b.mu.Unlock()
	if d := time.Until(at); d > 0 {
		// The pacing the server's headers ask for: not slept into a
		// deadline it outlasts.
		if err := Worth(ctx, d, max(b.Max, d)); err != nil {
			return fmt.Errorf("the rate-limit headers ask to wait: %w", err)
		}
		return Sleep(ctx, d)
	}
	return nil
}

// admit lets one more request of the family on its way within the
// announced limit per period, counted until its answer (done, called
// after the answer's headers were observed). The family's first request
// goes alone: the others wait for its answer to say the limit.
func (b *Budget) admit(ctx context.Context) (done func(), err error) {
	for {
		b.mu.Lock()
		if b.heard {
			w, period := b.window, b.period
			b.mu.Unlock()
			if w == nil {
				return func() {}, nil
			}
			return w.take(ctx, period)
		}
		if b.probe == nil {
			probe := make(chan struct{})
			b.probe = probe
			b.mu.Unlock()
			var once sync.Once
			return func() {
				once.Do(func() {
					b.mu.Lock()
					b.heard, b.probe = true, nil
					b.mu.Unlock()
					close(probe)
				})
			}, nil
		}
		probe := b.probe
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-probe:
		}
	}
}
